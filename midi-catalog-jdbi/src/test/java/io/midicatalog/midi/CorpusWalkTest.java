package io.midicatalog.midi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.MidiFormatException;
import io.midicatalog.testing.Corpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every file of the shared corpus gives a result or a {@link MidiFormatException}, nothing else. */
class CorpusWalkTest {

    @Test
    void analyze_wholeCorpus_givesResultOrFormatException() {
        Path root = Corpus.root();
        List<String> failures = new ArrayList<>();
        int ok = 0;
        int rejected = 0;
        for (Path file : Corpus.files(root)) {
            byte[] bytes = Corpus.read(file);
            try {
                MidiAnalysis analysis = MidiAnalyzer.analyze(bytes);
                ok++;
                assertThat(analysis.sha256()).hasSize(32);
                if (Boolean.getBoolean("midi.verbose") && !analysis.warnings().isEmpty()) {
                    System.out.println("WARN " + root.relativize(file) + " " + analysis.warnings());
                }
            } catch (MidiFormatException e) {
                rejected++;
                assertThat(e.getMessage()).doesNotContain("unexpectedly");
                if (Boolean.getBoolean("midi.verbose") && Corpus.isMidiName(file)) {
                    System.out.println("FAIL " + root.relativize(file) + " " + e.getMessage());
                }
            } catch (Throwable e) {
                failures.add(root.relativize(file) + ": " + e);
            }
        }
        System.out.printf("corpus walk: %d analysed, %d rejected%n", ok, rejected);
        assertThat(failures).isEmpty();
        assertThat(ok).isGreaterThan(1000);
    }

    @Test
    void analyze_midi2ClipFiles_failCleanly() {
        Path dir = Corpus.folder("jazz-soft-test-midi-files/midi2");
        for (Path file : Corpus.files(dir)) {
            assertThatThrownBy(() -> MidiAnalyzer.analyze(Corpus.read(file)))
                    .as(file.toString())
                    .isInstanceOf(MidiFormatException.class)
                    .hasMessageNotContaining("unexpectedly");
        }
    }
}
