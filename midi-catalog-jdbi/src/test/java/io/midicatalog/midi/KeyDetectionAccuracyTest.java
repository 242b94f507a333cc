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

    @Test
    void detectedKey_tonejsPiecesNamingTheirKey_report() {
        Path dir = Corpus.folder("tonejs-midi-tests");
        int named = 0;
        int right = 0;
        for (Path file : Corpus.midiFiles(dir)) {
            Optional<MusicalKey> expected = keyInName(file.getFileName().toString());
            if (expected.isEmpty()) {
                continue;
            }
            named++;
            MidiAnalysis analysis = MidiAnalyzer.analyze(Corpus.read(file));
            boolean ok = analysis.detectedKey() == expected.get();
            right += ok ? 1 : 0;
            System.out.printf("key %s: named %s, detected %s (%.2f)%n", file.getFileName(), expected.get(),
                    analysis.detectedKey(), analysis.keyConfidence());
        }
        System.out.printf("tonejs pieces naming a key: %d of %d detected exactly%n", right, named);
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
