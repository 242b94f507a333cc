package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.Category;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.importer.PathIntelligence.Hint;
import io.midicatalog.importer.PathIntelligence.PathFacts;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PathIntelligenceTest {
    private final PathIntelligence defaults = new PathIntelligence(1, 2);

    @Test
    void read_producerPackTree_manufacturerCollectionAndTags() {
        PathFacts facts = defaults.read(List.of("Heavygrand", "Trap Vibes Vol 2", "Bass", "Dark"), "Dark_Bass_07_140_F#m.mid");

        assertThat(facts.manufacturer()).isEqualTo("Heavygrand");
        assertThat(facts.collection()).isEqualTo("Trap Vibes Vol 2");
        assertThat(facts.folderTags()).containsExactly("Bass", "Dark");
        assertThat(facts.bpm()).isEqualTo(new Hint<>(140.0, false));
        assertThat(facts.key()).isEqualTo(new Hint<>(MusicalKey.F_SHARP_MINOR, true));
        assertThat(facts.nameCategory()).isEqualTo(Category.BASS);
        assertThat(facts.folderCategory()).isEqualTo(Category.BASS);
    }

    @Test
    void read_configuredDepths_shallowFilesGetWhatTheyHave() {
        PathIntelligence deep = new PathIntelligence(2, 3);
        assertThat(deep.read(List.of("Downloads", "Maker", "Pack", "Kicks"), "k.mid"))
                .extracting(PathFacts::manufacturer, PathFacts::collection, PathFacts::folderTags)
                .containsExactly("Maker", "Pack", List.of("Downloads", "Kicks"));
        assertThat(defaults.read(List.of(), "Song.mid"))
                .extracting(PathFacts::manufacturer, PathFacts::collection, PathFacts::folderTags)
                .containsExactly(null, null, List.of());
        assertThat(new PathIntelligence(0, 0).read(List.of("a", "b"), "x.mid").folderTags()).containsExactly("a", "b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Deep House Chords 124bpm Am|124|true",
        "DeepChords 124 BPM|124|true",
        "loop_bpm128|128|true",
        "Dark_Bass_07_124_Am|124|false",
        "1_funk-groove1_138_beat_4-4|138|false",
        "Melody 07|-1|false",
        "Track 99 take 120|-1|false",
        "Pad_1999|-1|false",
        // catalogue, track and volume numbers are not tempos
        "Haydn - Symphony No 104 - 1|-1|false",
        "Beethoven Sonata Op 109|-1|false",
        "Bach_BWV_140_Wachet_auf|-1|false",
        "Mozart K. 183|-1|false",
        "Track 101|-1|false",
        "Kit Vol 120 - Melody|-1|false",
        "Vol 2 - Melody 140|140|false",
        "Drum Pattern 120|120|false",
        "Pop_Song_120|120|false",
        // only those words: not one with a letter outside the BMP before it, nor the Kelvin sign
        // (the names V15's patterns list must be all whose hints changed)
        "\uD835\uDC00no 117|117|false",
        "\u212A 124|124|false"})
    void bpmOf_names(String name, double bpm, boolean strong) {
        Hint<Double> hint = PathIntelligence.bpmOf(name);
        if (bpm < 0) {
            assertThat(hint).isNull();
        } else {
            assertThat(hint).isEqualTo(new Hint<>(bpm, strong));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Dark_Bass_07_124_Am|A_MINOR|true",
        "Keys F#m 90bpm|F_SHARP_MINOR|true",
        "Chill Chords 01 - 120 BPM - C minor|C_MINOR|true",
        "Lead Ebmaj|E_FLAT_MAJOR|true",
        "Loop_124_C|C_MAJOR|false",
        "Loop A|UNKNOWN|false",
        "Part B 02|UNKNOWN|false",
        "Bbmin_pad|B_FLAT_MINOR|true",
        "Loop_07_C|UNKNOWN|false",
        // a track or work number is no tempo (bpmOf), so no tonic after it either
        "Track 101 B|UNKNOWN|false",
        "Symphony_No_104_D|UNKNOWN|false",
        "Vol 120 CM Lead|UNKNOWN|false",
        "Take_3_124_C|C_MAJOR|false",
        "Track 124bpm C|C_MAJOR|false",
        // two-letter keys that are words or acronyms in titles and instrument names
        "I Am Free|UNKNOWN|false",
        "Here I Am|UNKNOWN|false",
        "Am I Blue|UNKNOWN|false",
        "Where_Am_I_120|UNKNOWN|false",
        "Kill Em All|UNKNOWN|false",
        "FM Bass 01|UNKNOWN|false",
        "Bass FM 124|UNKNOWN|false",
        "GM_128_Drums|UNKNOWN|false",
        "GM Drum Kit|UNKNOWN|false",
        "Yamaha_GM_Piano_120|UNKNOWN|false",
        "Sunday AM Session 90|UNKNOWN|false",
        "TRAP_MELODY_140_AM|UNKNOWN|false",
        // ...and the same letters where they name a key
        "Lead_128_CM_Bright|C_MAJOR|true",
        "Melody Am|A_MINOR|true",
        "Sad Keys Em|E_MINOR|true",
        "Song in Dm|D_MINOR|true",
        "Em|E_MINOR|true",
        "Dark_Em_Loop|E_MINOR|true",
        "Night Drive Gm 2|G_MINOR|true",
        "Chords - Fm - 90bpm|F_MINOR|true"})
    void keyOf_names(String name, MusicalKey key, boolean strong) {
        Hint<MusicalKey> hint = PathIntelligence.keyOf(name);
        if (key == MusicalKey.UNKNOWN) {
            assertThat(hint).isNull();
        } else {
            assertThat(hint).isEqualTo(new Hint<>(key, strong));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GoldenDrum14 128bpm|DRUMS", "Punchy_Kick_01|KICK", "HiHat Loop|HIHAT", "Open Hats 2|HIHAT",
        "808 Slide|BASS", "Sad Chords|CHORDS", "Vox Chop|VOCAL", "Full Mix 3|FULL_MIX", "Lush Pad|PAD",
        "HeavyArp13|ARP", "Untitled 4|UNKNOWN"})
    void categoryOf_names(String name, Category category) {
        assertThat(PathIntelligence.categoryOf(name).orElse(Category.UNKNOWN)).isEqualTo(category);
    }

    @Test
    void meterOf_names() {
        assertThat(PathIntelligence.meterOf("1_funk-groove1_138_beat_4-4")).isEqualTo(TimeSignature.COMMON);
        assertThat(PathIntelligence.meterOf("waltz 3_4 take")).isEqualTo(new TimeSignature(3, 4));
        assertThat(PathIntelligence.meterOf("odd 7/8")).isEqualTo(new TimeSignature(7, 8));
        assertThat(PathIntelligence.meterOf("Bass 124")).isNull();
    }

    @Test
    void tokens_splitAsTheRegexDoes() {
        java.util.regex.Pattern split = java.util.regex.Pattern.compile("[\\s_\\-.,()\\[\\]]+");
        List<String> names = new java.util.ArrayList<>(List.of("", "_", "__x", "x__", "Dark_Bass_07_124_Am",
                " C minor ", "Keys F#m 90bpm", "a.b,c(d)[e]\tf\u000Bg\fh\ri\nj", "\u00a0nbsp\u2003em", "-"));
        java.util.Random random = new java.util.Random(4);
        String alphabet = "aZ0 _-.,()[]\t\n\u000B\f\r\u00a0#m";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(name.toString());
        }
        for (String name : names) {
            assertThat(PathIntelligence.tokens(name)).as("'%s'", name).containsExactly(split.split(name));
        }
    }
}
