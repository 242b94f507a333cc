package io.midicatalog.midi.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the text of meta events. MIDI says nothing about encodings, so: strict UTF-8 first
 * (ASCII is UTF-8), then the East Asian double-byte encodings common in karaoke files when the
 * result is entirely in that script, then windows-1252 (a superset of ISO-8859-1 for text).
 * Costs one decoder per call; only used for the few text events of a file.
 */
public final class TextDecoder {
    /** Longest text kept per event; longer events are cut (files embed whole documents). */
    public static final int MAX_BYTES = 4096;

    private static final Charset WINDOWS_1252 = charset("windows-1252", StandardCharsets.ISO_8859_1);
    private static final Charset SHIFT_JIS = charset("Shift_JIS", null);
    private static final Charset EUC_KR = charset("EUC-KR", null);
    private static final Charset GBK = charset("GBK", null);

    private TextDecoder() {}

    private static Charset charset(String name, Charset fallback) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) { // unsupported in a trimmed runtime
            return fallback;
        }
    }

    /** Decodes {@code length} bytes at {@code offset}, dropping trailing NULs and cutting at {@link #MAX_BYTES}. */
    public static String decode(byte[] bytes, int offset, int length) {
        int n = Math.min(length, MAX_BYTES);
        while (n > 0 && bytes[offset + n - 1] == 0) {
            n--;
        }
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (bytes[offset + i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, offset, n, StandardCharsets.US_ASCII);
        }
        String text = strict(StandardCharsets.UTF_8, bytes, offset, n);
        if (text != null) {
            return text;
        }
        text = tryScript(SHIFT_JIS, bytes, offset, n, Script.JAPANESE);
        if (text == null) {
            text = tryScript(EUC_KR, bytes, offset, n, Script.KOREAN);
        }
        if (text == null) {
            text = tryScript(GBK, bytes, offset, n, Script.CHINESE);
        }
        return text != null ? text : new String(bytes, offset, n, WINDOWS_1252);
    }

    private enum Script { JAPANESE, KOREAN, CHINESE }

    private static String tryScript(Charset charset, byte[] bytes, int offset, int n, Script script) {
        if (charset == null) {
            return null;
        }
        String text = strict(charset, bytes, offset, n);
        if (text == null) {
            return null;
        }
        boolean sawNative = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            boolean kana = c >= 0x3040 && c <= 0x30FF;
            boolean hangul = (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x3130 && c <= 0x318F);
            boolean han = c >= 0x4E00 && c <= 0x9FFF;
            boolean punctuation = (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
            boolean fits = switch (script) {
                case JAPANESE -> kana || han || punctuation;
                case KOREAN -> hangul || han || punctuation;
                case CHINESE -> han || punctuation;
            };
            if (!fits) {
                return null;
            }
            // Shift_JIS decodes much Chinese and Korean too; insist on kana for Japanese.
            sawNative |= switch (script) {
                case JAPANESE -> kana;
                case KOREAN -> hangul;
                case CHINESE -> han;
            };
        }
        return sawNative ? text : null;
    }

    private static String strict(Charset charset, byte[] bytes, int offset, int n) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, offset, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
