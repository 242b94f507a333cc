package io.midicatalog.midi;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.ValueSource;
import io.midicatalog.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BPM and time signature agree with the Groove MIDI Dataset's info.csv for every file. */
class GrooveGroundTruthTest {

    @Test
    void analyze_grooveFiles_bpmAndTimeSignatureMatchInfoCsv() throws IOException {
        Path groove = Corpus.folder("groove-midi-dataset/groove");
        List<String> lines = Files.readAllLines(groove.resolve("info.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int bpmColumn = header.indexOf("bpm");
        int meterColumn = header.indexOf("time_signature");
        int fileColumn = header.indexOf("midi_filename");
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            Path file = groove.resolve(cells[fileColumn]);
            MidiAnalysis analysis = MidiAnalyzer.analyze(Files.readAllBytes(file));
            double bpm = Double.parseDouble(cells[bpmColumn]);
            TimeSignature meter = TimeSignature.parse(cells[meterColumn]);
            checked++;
            if (Math.abs(analysis.bpm() - bpm) > 0.01 || analysis.bpmSource() != ValueSource.META
                    || !analysis.timeSignature().equals(meter)) {
                mismatches.add(cells[fileColumn] + ": expected " + bpm + " " + meter + ", got " + analysis.bpm()
                        + " " + analysis.timeSignature());
            }
            assertThat(analysis.percussive()).as(cells[fileColumn]).isTrue();
        }
        assertThat(mismatches).isEmpty();
        assertThat(checked).isGreaterThan(1000);
    }
}
