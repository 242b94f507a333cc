package io.midicatalog.midi.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the text of meta events. MIDI says nothing about encodings, so the encoding is guessed
 * once per file from all its text together (single syllables are too short to tell: many GBK
 * pairs are valid UTF-8): strict UTF-8 first (ASCII is UTF-8); then Shift_JIS if the text has
 * kana, EUC-KR if it reads as common Korean syllables, GBK if it reads as Chinese; else
 * windows-1252 (ISO-8859-1 with the printable 0x80-0x9F range).
 */
public final class TextDecoder {
    /** Longest text kept per event; longer events are cut (files embed whole documents). */
    public static final int MAX_BYTES = 4096;
    /** How much of a file's text is looked at to guess the encoding. */
    private static final int SAMPLE_BYTES = 16_384;

    private static final Charset WINDOWS_1252 = charset("windows-1252", StandardCharsets.ISO_8859_1);
    private static final Charset SHIFT_JIS = charset("Shift_JIS", null);
    private static final Charset EUC_KR = charset("EUC-KR", null);
    private static final Charset GBK = charset("GBK", null);
    /** Very frequent Hangul syllables: real Korean is full of them, Chinese read as EUC-KR is not. */
    private static final String COMMON_HANGUL =
            "이다는에가고하서지의을를나사리기아도로으한니요어자대면게수해인우시있보일주그내들만것라거제정무오마모세여상소전부조구장스위비히러날랑음없네말금영"
            + "너우리너무랑사람마음눈물사랑하늘바람꿈별밤길손";

    private TextDecoder() {}

    private static Charset charset(String name, Charset fallback) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) { // unsupported in a trimmed runtime
            return fallback;
        }
    }

    /**
     * Guesses the encoding of a file's texts.
     *
     * @param refs triples (meta type, offset, length) into {@code bytes}
     */
    static Charset detect(byte[] bytes, IntList refs) {
        ByteArrayOutputStream sample = new ByteArrayOutputStream();
        for (int i = 0; i < refs.size() && sample.size() < SAMPLE_BYTES; i += 3) {
            int offset = refs.get(i + 1);
            int length = Math.min(refs.get(i + 2), MAX_BYTES);
            for (int j = 0; j < length; j++) {
                if (bytes[offset + j] < 0) {
                    sample.write(bytes, offset, length);
                    sample.write('\n');
                    break;
                }
            }
        }
        if (sample.size() == 0) {
            return StandardCharsets.UTF_8;
        }
        byte[] text = sample.toByteArray();
        if (strict(StandardCharsets.UTF_8, text) != null) {
            return StandardCharsets.UTF_8;
        }
        String japanese = strict(SHIFT_JIS, text);
        if (japanese != null && count(japanese, "kana") * 5 >= nonAscii(japanese)) {
            return SHIFT_JIS;
        }
        String korean = strict(EUC_KR, text);
        if (korean != null && count(korean, "common-hangul") * 5 >= nonAscii(korean)) {
            return EUC_KR;
        }
        String chinese = strict(GBK, text);
        if (chinese != null && count(chinese, "han") * 2 >= nonAscii(chinese)) {
            return GBK;
        }
        return WINDOWS_1252;
    }

    /** Decodes one text with the file's charset, dropping trailing NULs and cutting at {@link #MAX_BYTES}. */
    static String decode(byte[] bytes, int offset, int length, Charset charset) {
        int n = Math.min(length, MAX_BYTES);
        while (n > 0 && bytes[offset + n - 1] == 0) {
            n--;
        }
        return new String(bytes, offset, n, charset);
    }

    private static int nonAscii(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                n++;
            }
        }
        return Math.max(1, n);
    }

    private static int count(String text, String kind) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean match = switch (kind) {
                case "kana" -> c >= 0x3040 && c <= 0x30FF;
                case "common-hangul" -> c >= 0xAC00 && c <= 0xD7A3 && COMMON_HANGUL.indexOf(c) >= 0;
                case "han" -> c >= 0x4E00 && c <= 0x9FFF;
                default -> throw new IllegalArgumentException(kind);
            };
            if (match) {
                n++;
            }
        }
        return n;
    }

    private static String strict(Charset charset, byte[] text) {
        if (charset == null) {
            return null;
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(text));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
