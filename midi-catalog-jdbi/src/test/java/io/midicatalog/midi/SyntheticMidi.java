package io.midicatalog.midi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/** Writes test files with {@code javax.sound.midi} (tests only: production code never uses it). */
final class SyntheticMidi {
    private static final int[] MAJOR_SCALE = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR_SCALE = {0, 2, 3, 5, 7, 8, 10}; // natural; V and vii use the raised 7th
    /** Chord roots as scale degrees (0-based): I IV V I vi ii V I and i iv V i VI iv V i. */
    private static final int[] PROGRESSION = {0, 3, 4, 0, 5, 1, 4, 0};

    private SyntheticMidi() {}

    static byte[] write(Sequence sequence) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MidiSystem.write(sequence, sequence.getTracks().length > 1 ? 1 : 0, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void note(Track track, int channel, int pitch, int velocity, long tick, long duration) {
        track.add(new MidiEvent(message(ShortMessage.NOTE_ON, channel, pitch, velocity), tick));
        track.add(new MidiEvent(message(ShortMessage.NOTE_OFF, channel, pitch, 0), tick + duration));
    }

    static ShortMessage message(int command, int channel, int data1, int data2) {
        try {
            return new ShortMessage(command, channel, data1, data2);
        } catch (InvalidMidiDataException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static MetaMessage meta(int type, byte[] data) {
        try {
            return new MetaMessage(type, data, data.length);
        } catch (InvalidMidiDataException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static MetaMessage tempo(int microsPerQuarter) {
        return meta(0x51, new byte[] {(byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter});
    }

    /**
     * A piece in a known key: bass roots, triads and a melody of chord and scale tones over a
     * common progression, eight bars at 480 ppq. The minor mode raises the 7th in V, as music does.
     *
     * @param defaultSignature add the C major key signature many files carry whatever the music
     */
    static byte[] piece(int tonic, boolean minor, long seed, boolean defaultSignature) {
        Random random = new Random(seed);
        Sequence sequence = sequence(480);
        Track track = sequence.createTrack();
        if (defaultSignature) {
            track.add(new MidiEvent(meta(0x59, new byte[] {0, 0}), 0));
        }
        int[] scale = minor ? MINOR_SCALE : MAJOR_SCALE;
        int bar = 4 * 480;
        int bars = 8 + random.nextInt(9);
        for (int b = 0; b < bars; b++) {
            int degree = b == bars - 1 ? 0 : PROGRESSION[(b + (b >= 8 ? random.nextInt(7) : 0)) % PROGRESSION.length];
            int[] chord = new int[3];
            for (int i = 0; i < 3; i++) {
                int step = degree + 2 * i;
                int pc = scale[step % 7] + 12 * (step / 7);
                if (minor && step % 7 == 6 && degree == 4) {
                    pc += 1; // leading tone in the dominant chord
                }
                chord[i] = tonic + pc;
            }
            long start = (long) b * bar;
            note(track, 1, 36 + Math.floorMod(chord[0], 12), 80, start, bar);
            for (int half = 0; half < 2 && seed % 2 == 0; half++) { // odd seeds: melody and bass only
                for (int pitch : chord) {
                    note(track, 0, 60 + Math.floorMod(pitch - 60, 12), 70, start + half * bar / 2, bar / 2 - 10);
                }
            }
            for (int eighth = 0; eighth < 8; eighth++) {
                int pitch;
                if (b == bars - 1 && eighth >= 6) {
                    pitch = tonic;
                } else if (random.nextDouble() < 0.65) {
                    pitch = chord[random.nextInt(3)];
                } else {
                    int step = random.nextInt(7);
                    pitch = tonic + scale[step] + (minor && step == 6 && random.nextBoolean() ? 1 : 0);
                }
                note(track, 2, 72 + Math.floorMod(pitch, 12), 90, start + eighth * 240L, 220);
            }
        }
        return write(sequence);
    }

    static Sequence sequence(int ppq) {
        try {
            return new Sequence(Sequence.PPQ, ppq);
        } catch (InvalidMidiDataException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
