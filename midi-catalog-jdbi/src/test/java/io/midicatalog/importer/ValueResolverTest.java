package io.midicatalog.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.Category;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.ValueSource;
import io.midicatalog.importer.ValueResolver.Resolved;
import io.midicatalog.midi.MidiAnalysis;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ValueResolverTest {
    private final PathIntelligence paths = new PathIntelligence(1, 2);

    /** A hand-built analysis: tempo (META unless null), detected key, families, pitch range. */
    static MidiAnalysis analysis(@Nullable Double bpm, MusicalKey detected, double keyConfidence, int families,
            int pitchMax, boolean chords, @Nullable MusicalKey signature) {
        double tempo = bpm == null ? 120 : bpm;
        return new MidiAnalysis(0, 1, 480, false, 1920, 2, tempo, tempo, bpm == null ? ValueSource.DEFAULT : ValueSource.META,
                bpm == null ? List.of() : List.of(new MidiAnalysis.TempoChange(0, tempo)), TimeSignature.COMMON, List.of(),
                signature, List.of(), detected, keyConfidence, 16, 5, 30, pitchMax, 100, 8, chords ? 4 : 1, 1, !chords,
                (families & GmFamily.DRUMS.bit()) != 0, chords, !chords, List.of(), families, List.of(), List.of(),
                List.of(), List.of(), new byte[32], 1, List.of());
    }

    private Resolved resolve(MidiAnalysis a, String name, String... folders) {
        return ValueResolver.resolve(a, paths.read(List.of(folders), name));
    }

    @Test
    void bpm_nameAgreesWithTempoEvent_certain() {
        Resolved r = resolve(analysis(123.99999, MusicalKey.A_MINOR, 0.8, GmFamily.BASS.bit(), 50, false, null), "Bass_124_Am.mid");
        assertThat(r).extracting(Resolved::bpm, Resolved::bpmSource, Resolved::bpmConfidence)
                .containsExactly(124.0, ValueSource.META, 1.0);
    }

    @Test
    void bpm_defaultTempoEventAgainstName_nameWins() {
        Resolved r = resolve(analysis(120.0, MusicalKey.A_MINOR, 0.8, GmFamily.BASS.bit(), 50, false, null), "Bass 124bpm.mid");
        assertThat(r).extracting(Resolved::bpm, Resolved::bpmSource).containsExactly(124.0, ValueSource.NAME);
        Resolved none = resolve(analysis(null, MusicalKey.A_MINOR, 0.8, GmFamily.BASS.bit(), 50, false, null), "Bass_96_.mid");
        assertThat(none).extracting(Resolved::bpm, Resolved::bpmSource, Resolved::bpmConfidence)
                .containsExactly(96.0, ValueSource.NAME, 0.6);
    }

    @Test
    void bpm_realTempoEventAgainstName_tempoWinsWithLowConfidence() {
        Resolved r = resolve(analysis(100.0, MusicalKey.A_MINOR, 0.8, GmFamily.BASS.bit(), 50, false, null), "Bass 124bpm.mid");
        assertThat(r).extracting(Resolved::bpm, Resolved::bpmSource, Resolved::bpmConfidence)
                .containsExactly(100.0, ValueSource.META, 0.6);
        Resolved half = resolve(analysis(70.0, MusicalKey.A_MINOR, 0.8, GmFamily.BASS.bit(), 50, false, null), "Trap 140bpm.mid");
        assertThat(half).extracting(Resolved::bpm, Resolved::bpmSource).containsExactly(140.0, ValueSource.NAME);
        Resolved alone = resolve(analysis(null, MusicalKey.A_MINOR, 0.8, GmFamily.BASS.bit(), 50, false, null), "Bass.mid");
        assertThat(alone).extracting(Resolved::bpm, Resolved::bpmSource).containsExactly(120.0, ValueSource.DEFAULT);
    }

    @Test
    void key_nameVersusDetection() {
        MidiAnalysis cMajor = analysis(120.0, MusicalKey.C_MAJOR, 0.6, GmFamily.PIANO.bit(), 72, true, null);
        assertThat(resolve(cMajor, "Keys C.mid").keySource()).isEqualTo(ValueSource.CONTENT); // bare C: no hint
        assertThat(resolve(cMajor, "Keys Cmaj.mid")).extracting(Resolved::key, Resolved::keySource, Resolved::keyConfidence)
                .containsExactly(MusicalKey.C_MAJOR, ValueSource.CONTENT, 0.95);
        assertThat(resolve(cMajor, "Keys Am.mid")).extracting(Resolved::key, Resolved::keySource, Resolved::keyConfidence)
                .containsExactly(MusicalKey.A_MINOR, ValueSource.NAME, 0.85);
        MidiAnalysis unknown = analysis(120.0, MusicalKey.UNKNOWN, 0, GmFamily.DRUMS.bit(), 50, false, MusicalKey.E_MINOR);
        assertThat(resolve(unknown, "Beat.mid")).extracting(Resolved::key, Resolved::keySource)
                .containsExactly(MusicalKey.E_MINOR, ValueSource.META);
        MidiAnalysis defaultSignature = analysis(120.0, MusicalKey.UNKNOWN, 0, GmFamily.DRUMS.bit(), 50, false, MusicalKey.C_MAJOR);
        assertThat(resolve(defaultSignature, "Beat.mid").key()).isEqualTo(MusicalKey.UNKNOWN);
    }

    @Test
    void category_drumsFromChannel10AndNames() {
        MidiAnalysis drums = analysis(120.0, MusicalKey.UNKNOWN, 0, GmFamily.DRUMS.bit(), 50, false, null);
        assertThat(resolve(drums, "Groove 3.mid")).extracting(Resolved::category, Resolved::categorySource)
                .containsExactly(Category.DRUMS, ValueSource.CONTENT);
        assertThat(resolve(drums, "Punchy Kick.mid")).extracting(Resolved::category, Resolved::categorySource, Resolved::secondaryCategory)
                .containsExactly(Category.KICK, ValueSource.NAME, Category.DRUMS);
        assertThat(resolve(drums, "Deep Bass.mid")).extracting(Resolved::category, Resolved::secondaryCategory)
                .containsExactly(Category.DRUMS, Category.BASS);
        MidiAnalysis low = analysis(120.0, MusicalKey.A_MINOR, 0.7, GmFamily.SYNTH_LEAD.bit(), 48, false, null);
        assertThat(resolve(low, "Untitled.mid", "Maker", "Pack").category()).isEqualTo(Category.BASS);
        assertThat(resolve(low, "Untitled.mid", "Maker", "Pack", "Leads")).extracting(Resolved::category, Resolved::categoryConfidence)
                .containsExactly(Category.LEAD, 0.7);
        MidiAnalysis band = analysis(120.0, MusicalKey.A_MINOR, 0.7,
                GmFamily.DRUMS.bit() | GmFamily.BASS.bit() | GmFamily.PIANO.bit(), 80, true, null);
        assertThat(resolve(band, "Song.mid").category()).isEqualTo(Category.FULL_MIX);
    }
}
