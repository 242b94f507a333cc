package io.midicatalog.midi;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.MusicalKey;
import io.midicatalog.testing.Corpus;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Detected-key accuracy on labelled files; prints the accuracy it measures. */
class KeyDetectionAccuracyTest {

    @Test
    void detectedKey_syntheticPiecesInAll24Keys_meetAccuracyFloor() {
        int total = 0;
        int exact = 0;
        int relative = 0;
        for (boolean defaultSignature : new boolean[] {false, true}) {
            for (int code = 0; code < 24; code++) {
                MusicalKey key = MusicalKey.fromCode(code);
                for (int seed = 0; seed < 4; seed++) {
                    byte[] file = SyntheticMidi.piece(key.tonic(), key.isMinor(), code * 31L + seed, defaultSignature);
                    MusicalKey detected = MidiAnalyzer.analyze(file).detectedKey();
                    total++;
                    if (detected == key) {
                        exact++;
                    } else if (detected == key.relative()) {
                        relative++;
                    }
                }
            }
        }
        double exactRate = (double) exact / total;
        double withRelative = (double) (exact + relative) / total;
        System.out.printf("key accuracy on %d synthetic pieces: %.1f%% exact, %.1f%% exact or relative%n",
                total, 100 * exactRate, 100 * withRelative);
        assertThat(exactRate).isGreaterThanOrEqualTo(0.90);
        assertThat(withRelative).isGreaterThanOrEqualTo(0.97);
    }

    /**
     * tonejs-midi-tests file names do not state keys, but the pieces are catalogued works whose key
     * is public knowledge (the Bach files' own track names say "in C-Dur", "in c-Moll", "in D-Dur").
     * bach_format0 and the Bartok (atonal-ish) are left out: no single key to check.
     */
    private static final java.util.Map<String, MusicalKey> KNOWN_PIECES = java.util.Map.ofEntries(
            java.util.Map.entry("bach_846.mid", MusicalKey.C_MAJOR),
            java.util.Map.entry("bach_847.mid", MusicalKey.C_MINOR),
            java.util.Map.entry("bach_850.mid", MusicalKey.D_MAJOR),
            java.util.Map.entry("claire_de_lune.mid", MusicalKey.D_FLAT_MAJOR),
            java.util.Map.entry("passepied.mid", MusicalKey.F_SHARP_MINOR),
            java.util.Map.entry("prelude.mid", MusicalKey.F_MAJOR),
            java.util.Map.entry("menuet.mid", MusicalKey.F_MAJOR),
            java.util.Map.entry("childrens_corner_1.mid", MusicalKey.C_MAJOR),
            java.util.Map.entry("childrens_corner_2.mid", MusicalKey.B_FLAT_MAJOR),
            java.util.Map.entry("childrens_corner_3.mid", MusicalKey.E_MAJOR),
            java.util.Map.entry("childrens_corner_4.mid", MusicalKey.D_MINOR),
            java.util.Map.entry("childrens_corner_5.mid", MusicalKey.E_FLAT_MAJOR), // No. 6, Golliwogg's Cakewalk
            java.util.Map.entry("symphony_7_2.mid", MusicalKey.A_MINOR),
            java.util.Map.entry("symphony_7_2_singletrack.mid", MusicalKey.A_MINOR),
            java.util.Map.entry("TheEntertainer.mid", MusicalKey.C_MAJOR),
            java.util.Map.entry("tchaikovsky_seasons.mid", MusicalKey.G_MINOR)); // No. 6, June: Barcarolle

    @Test
    void detectedKey_catalogedRealPieces_meetAccuracyFloor() {
        Path dir = Corpus.folder("tonejs-midi-tests");
        int total = 0;
        int exact = 0;
        int relative = 0;
        for (Path file : Corpus.midiFiles(dir)) {
            MusicalKey expected = KNOWN_PIECES.get(file.getFileName().toString());
            if (expected == null) {
                continue;
            }
            MidiAnalysis analysis = MidiAnalyzer.analyze(Corpus.read(file));
            total++;
            exact += analysis.detectedKey() == expected ? 1 : 0;
            relative += analysis.detectedKey() == expected.relative() ? 1 : 0;
            System.out.printf("key %s: expected %s, detected %s (confidence %.2f, signature %s)%n",
                    file.getFileName(), expected, analysis.detectedKey(), analysis.keyConfidence(),
                    analysis.keySignature());
        }
        System.out.printf("real pieces: %d of %d exact, %d more relative%n", exact, total, relative);
        assertThat(total).isGreaterThanOrEqualTo(15);
        assertThat((double) exact / total).isGreaterThanOrEqualTo(0.8);
    }

    /** Names like {@code bach_846} say nothing; {@code ..._in_d_minor} or {@code ..._Fmaj} would. */
    static Optional<MusicalKey> keyInName(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?i)(?:^|[_\\- ])([a-g](?:#|b|s|is|es)?)[_\\- ]?(maj(?:or)?|min(?:or)?|dur|moll)(?:[_\\-. ]|$)")
                .matcher(name);
        if (!m.find()) {
            return Optional.empty();
        }
        String tonic = m.group(1).replaceAll("(?i)^([a-g])(s|is)$", "$1#").replaceAll("(?i)^([a-g])es$", "$1b");
        return MusicalKey.parse(tonic + " " + m.group(2));
    }
}
