package io.midicatalog.importer;

import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MidiFormatException;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.ValueSource;
import io.midicatalog.midi.MidiAnalysis;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Small MIDI files for importer tests, written with javax.sound.midi, and a stand-in analyser
 * that reads them back with javax.sound.midi: the importer's tests need not wait for our reader.
 */
final class TestMidi {
    private TestMidi() {}

    /**
     * Writes {@code files} distinct one-bar files under {@code root} in 7 manufacturers and 13
     * collections, named {@code Loop_<i>_120.mid}; half of them drums.
     */
    static Path tree(Path root, int files) {
        for (int i = 0; i < files; i++) {
            write(root.resolve("M" + (i % 7) + "/C" + (i % 13) + "/Loop_" + i + "_120.mid"), 120, i % 2 == 0 ? 9 : 0,
                    i % 128, 36 + i % 40, "file " + i);
        }
        return root;
    }

    /** Writes a one-bar file: tempo {@code bpm}, notes on {@code channel} starting at {@code pitch}. */
    static Path write(Path file, double bpm, int channel, int program, int pitch, String text) {
        try {
            Sequence s = new Sequence(Sequence.PPQ, 96);
            Track t = s.createTrack();
            int micros = (int) Math.round(60_000_000 / bpm);
            t.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (micros >> 16), (byte) (micros >> 8), (byte) micros}, 3), 0));
            byte[] name = text.getBytes(StandardCharsets.UTF_8);
            t.add(new MidiEvent(new MetaMessage(0x03, name, name.length), 0));
            if (channel != 9) {
                t.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, channel, program, 0), 0));
            }
            for (int i = 0; i < 4; i++) {
                t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, pitch + (channel == 9 ? 0 : i * 2), 100), i * 96L));
                t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, pitch + (channel == 9 ? 0 : i * 2), 0), i * 96L + 90));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MidiSystem.write(s, 0, out);
            Files.createDirectories(file.getParent());
            Files.write(file, out.toByteArray());
            return file;
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A distinct little file (the text makes the bytes unique). */
    static Path write(Path file, String text) {
        return write(file, 124, 0, 0, 60, text);
    }

    /** Stand-in for MidiAnalyzer.analyze: javax.sound.midi reads, SHA-256 of the bytes. */
    static MidiAnalysis analyze(byte[] bytes) {
        Sequence s;
        try {
            s = MidiSystem.getSequence(new ByteArrayInputStream(bytes));
        } catch (InvalidMidiDataException | IOException | RuntimeException e) {
            throw new MidiFormatException("not MIDI: " + e.getMessage(), 0);
        }
        double bpm = 120;
        boolean tempo = false;
        int notes = 0;
        int min = 127;
        int max = -1;
        boolean drums = false;
        int program = 0;
        for (Track t : s.getTracks()) {
            for (int i = 0; i < t.size(); i++) {
                if (t.get(i).getMessage() instanceof MetaMessage m && m.getType() == 0x51 && !tempo) {
                    byte[] d = m.getData();
                    bpm = 60_000_000.0 / (((d[0] & 0xFF) << 16) | ((d[1] & 0xFF) << 8) | (d[2] & 0xFF));
                    tempo = true;
                } else if (t.get(i).getMessage() instanceof ShortMessage m) {
                    if (m.getCommand() == ShortMessage.PROGRAM_CHANGE) {
                        program = m.getData1();
                    } else if (m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0) {
                        notes++;
                        drums |= m.getChannel() == 9;
                        min = Math.min(min, m.getData1());
                        max = Math.max(max, m.getData1());
                    }
                }
            }
        }
        byte[] sha;
        try {
            sha = MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        GmFamily family = drums ? GmFamily.DRUMS : GmFamily.ofProgram(program);
        List<MidiAnalysis.Instrument> instruments = new ArrayList<>();
        if (notes > 0) {
            instruments.add(new MidiAnalysis.Instrument(drums ? 9 : 0, drums ? 0 : program, family, notes));
        }
        return new MidiAnalysis(s.getTracks().length > 1 ? 1 : 0, s.getTracks().length, s.getResolution(), false,
                s.getTickLength(), s.getMicrosecondLength() / 1e6, bpm, bpm, tempo ? ValueSource.META : ValueSource.DEFAULT,
                tempo ? List.of(new MidiAnalysis.TempoChange(0, bpm)) : List.of(), TimeSignature.COMMON, List.of(), null,
                List.of(), drums ? MusicalKey.UNKNOWN : MusicalKey.C_MAJOR, drums ? 0 : 0.7, notes, notes == 0 ? 0 : 4,
                notes == 0 ? -1 : min, max, 100, notes, 1, 1, !drums, drums, false, !drums, instruments,
                notes == 0 ? 0 : family.bit(), List.of(), List.of(), List.of(), List.of(), sha, sha[0] * 31L + sha[1],
                List.of());
    }
}
