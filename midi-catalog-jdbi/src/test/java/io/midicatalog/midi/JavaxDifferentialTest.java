package io.midicatalog.midi;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.MidiFormatException;
import io.midicatalog.testing.Corpus;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;

/**
 * For every corpus file {@code javax.sound.midi} accepts, our note count, number of tempo events
 * and tick length agree with it. javax is only the oracle here; production code never uses it.
 */
class JavaxDifferentialTest {
    /**
     * Files where javax is wrong for a documented reason. javax stops at a track chunk whose length
     * runs past the end of the file (or past the track's real end) and silently returns empty
     * tracks with 0 notes and 0 ticks; we read what is there and warn, as players do:
     * test-corrupt-file-missing-byte, MIDIBadTrackLength, PiDamaged. javax honours a header length
     * of 22 that skips into the first MTrk and again returns nothing (MIDIBadHeaderLength).
     * ValueError_Control168 (a corrupted file) has a status byte 0xA8 where a data byte belongs;
     * javax stores it as data value 168, which no MIDI message can carry; we reject the file.
     */
    private static final Set<String> EXCLUDED = Set.of(
            "test-corrupt-file-missing-byte.mid",
            "MIDIBadTrackLength.mid",
            "PiDamaged.mid",
            "MIDIBadHeaderLength.mid",
            "ValueError_Control168.mid");

    @Test
    void analyze_filesJavaxAccepts_agreeOnNotesTemposAndTicks() {
        Path root = Corpus.root();
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        for (Path file : Corpus.midiFiles(root)) {
            String name = root.relativize(file).toString();
            if (EXCLUDED.stream().anyMatch(name::endsWith)) {
                continue;
            }
            byte[] bytes = Corpus.read(file);
            Sequence sequence;
            try {
                sequence = MidiSystem.getSequence(new ByteArrayInputStream(bytes));
            } catch (Exception e) {
                continue; // javax rejects it: nothing to compare
            }
            Facts expected = facts(sequence);
            MidiAnalysis analysis;
            try {
                analysis = MidiAnalyzer.analyze(bytes);
            } catch (MidiFormatException e) {
                disagreements.add(name + ": javax reads it, we reject it: " + e.getMessage());
                continue;
            }
            compared++;
            Facts actual = new Facts(analysis.noteCount(), analysis.tempoChanges().size(), analysis.durationTicks());
            if (!actual.equals(expected)) {
                disagreements.add(name + ": javax " + expected + ", ours " + actual + " " + analysis.warnings());
            }
        }
        System.out.println("javax differential: compared " + compared + " files");
        assertThat(disagreements).isEmpty();
        assertThat(compared).isGreaterThan(1000);
    }

    record Facts(int notes, int tempoEvents, long ticks) {}

    static Facts facts(Sequence sequence) {
        int notes = 0;
        int tempos = 0;
        for (Track track : sequence.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                MidiEvent event = track.get(i);
                if (event.getMessage() instanceof ShortMessage message) {
                    if (message.getCommand() == ShortMessage.NOTE_ON && message.getData2() > 0) {
                        notes++;
                    }
                } else if (event.getMessage() instanceof MetaMessage meta && meta.getType() == 0x51) {
                    tempos++;
                }
            }
        }
        return new Facts(notes, tempos, sequence.getTickLength());
    }
}
