package io.midicatalog.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.midicatalog.midi.MidiAnalyzer;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The floor the reader benchmark measures must do a reader's whole walk, not less. */
class MidiReaderBenchmarkTest {

    @Test
    void floorScan_countsEveryNoteTheAnalyserCounts_onEveryBenchmarkedFile() {
        boolean corpus;
        try {
            corpus = Files.isDirectory(MidiReaderBenchmark.corpusRoot());
        } catch (IllegalStateException e) {
            corpus = false;
        }
        assumeTrue(corpus, "../shared/corpus is absent: the reader benchmark has no files to check");
        List<byte[]> files = MidiReaderBenchmark.loadCorpus();
        assertThat(files).hasSizeGreaterThan(100);
        int checked = 0;
        for (byte[] file : files) {
            int[] histogram = new int[16 * 128];
            MidiReaderBenchmark.scan(file, histogram);
            long notes = 0;
            for (int count : histogram) {
                notes += count;
            }
            assertThat(notes).as("file %d of %d bytes", checked, file.length).isEqualTo(MidiAnalyzer.analyze(file).noteCount());
            checked++;
        }
    }
}
