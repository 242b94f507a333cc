package io.midicatalog.midi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.MidiFormatException;
import io.midicatalog.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;

/**
 * Tracks are decoded into buffers of a bounded number of events per round, so large files take
 * several rounds of decode and merge. No corpus file is large enough to need a second round; with
 * rounds of the smallest size every file needs many, and every result must stay the same.
 */
class SmfAnalyzerRoundsTest {
    private static final int SMALLEST_ROUND = 1;

    @Test
    void analyze_inRoundsOfFewEvents_sameAsInOneRound_wholeCorpus() {
        int compared = 0;
        for (Path file : Corpus.files(Corpus.root())) {
            byte[] bytes = Corpus.read(file);
            assertSameInRounds(bytes, file.toString());
            compared++;
        }
        assertThat(compared).isGreaterThan(1000);
    }

    @Test
    void analyze_interleavedTracksInRoundsOfFewEvents_sameAsInOneRound() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            Sequence sequence = new Sequence(Sequence.PPQ, 96 + random.nextInt(400));
            int tracks = 2 + random.nextInt(5);
            for (int t = 0; t < tracks; t++) {
                Track track = sequence.createTrack();
                track.add(new MidiEvent(meta(0x03, ("track " + t).getBytes(StandardCharsets.US_ASCII)), 0));
                if (random.nextBoolean()) {
                    int micros = 300_000 + random.nextInt(400_000);
                    track.add(new MidiEvent(meta(0x51, new byte[] {(byte) (micros >> 16), (byte) (micros >> 8), (byte) micros}),
                            random.nextInt(2000)));
                }
                for (int n = 0; n < 400; n++) {
                    // Channels shared between tracks, programs set from other tracks: order matters.
                    int channel = random.nextInt(4) == 0 ? 9 : random.nextInt(3);
                    long start = random.nextInt(20_000);
                    if (random.nextInt(50) == 0) {
                        track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, channel, random.nextInt(128), 0), start));
                    }
                    int pitch = 40 + random.nextInt(40);
                    track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, pitch, 1 + random.nextInt(126)), start));
                    track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, pitch, 0), start + random.nextInt(500)));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MidiSystem.write(sequence, 1, out);
            byte[] bytes = out.toByteArray();
            assertSameInRounds(bytes, "generated file " + round);
            // Cut off inside the last track: warnings from decoding join the merged order.
            assertSameInRounds(java.util.Arrays.copyOf(bytes, bytes.length - 1 - random.nextInt(200)), "cut generated file " + round);
        }
    }

    private static void assertSameInRounds(byte[] bytes, String what) {
        Object oneRound = outcome(new SmfAnalyzer(bytes));
        Object manyRounds = outcome(new SmfAnalyzer(bytes, SMALLEST_ROUND));
        assertThat(manyRounds).as(what).usingRecursiveComparison().isEqualTo(oneRound);
    }

    /** The analysis, or the message and offset of the format exception. */
    private static Object outcome(SmfAnalyzer analyzer) {
        try {
            return analyzer.analyze();
        } catch (MidiFormatException e) {
            return e.getMessage() + " at " + e.offset();
        }
    }

    private static MetaMessage meta(int type, byte[] data) throws Exception {
        return new MetaMessage(type, data, data.length);
    }
}
