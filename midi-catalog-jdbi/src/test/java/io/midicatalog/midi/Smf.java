package io.midicatalog.midi;

import java.io.ByteArrayOutputStream;

/** Builds Standard MIDI File bytes by hand, including broken ones, for tests. */
final class Smf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Smf header(int format, int tracks, int division) {
        Smf smf = new Smf();
        smf.ascii("MThd").u32(6).u16(format).u16(tracks).u16(division);
        return smf;
    }

    /** An MTrk chunk with the right length around {@code events}. */
    Smf track(byte[] events) {
        ascii("MTrk").u32(events.length);
        out.writeBytes(events);
        return this;
    }

    Smf ascii(String text) {
        for (char c : text.toCharArray()) {
            out.write(c);
        }
        return this;
    }

    Smf u32(long value) {
        return raw((int) (value >>> 24), (int) (value >>> 16), (int) (value >>> 8), (int) value);
    }

    Smf u16(int value) {
        return raw(value >>> 8, value);
    }

    Smf raw(int... values) {
        for (int v : values) {
            out.write(v & 0xFF);
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] events(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static final int[] END = {0x00, 0xFF, 0x2F, 0x00};
}
