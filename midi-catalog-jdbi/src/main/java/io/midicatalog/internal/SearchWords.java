package io.midicatalog.internal;

import java.nio.ByteBuffer;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns file names and folder names into the words the full-text search indexes, so that
 * {@code Heavygrand_Sarsonmo_Drum_71_Em.mid} is found by {@code drum} and {@code DeepHouseBass.mid}
 * by {@code house}. PostgreSQL's parsers keep {@code house.mid} and underscore-joined names as one
 * token, so we split in Java before the text reaches {@code to_tsvector}. Not API.
 *
 * <p>Rules: drop a MIDI extension; split on anything that is not a letter or digit; split
 * camelCase ({@code DeepHouse} -> {@code deep house}) and letter/digit runs ({@code 124bpm} ->
 * {@code 124 bpm}, {@code Am7} stays a chord-ish token split as {@code am 7}); strip accents;
 * lower-case. Words are separated by single spaces.
 */
public final class SearchWords {
    private SearchWords() {}

    /** Words of a file name (extension dropped). */
    public static String ofFileName(String fileName) {
        String name = fileName;
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (ext.equals("mid") || ext.equals("midi") || ext.equals("kar") || ext.equals("rmi") || ext.equals("smf")) {
                name = name.substring(0, dot);
            }
        }
        return of(name);
    }

    /** Words of any text (folder names, manufacturer, collection, tags). */
    public static String of(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        // NFKD leaves ASCII as it is: most names need not go through the normalizer
        String plain = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(plain.length() + 8);
        int prevType = 0; // 0 none, 1 lower, 2 upper, 3 digit, 4 other letter
        for (int i = 0; i < plain.length(); ) {
            int cp = plain.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK) {
                continue; // accents: "Café" -> "cafe"
            }
            int kind;
            if (Character.isDigit(cp)) {
                kind = 3;
            } else if (Character.isUpperCase(cp)) {
                kind = 2;
            } else if (Character.isLowerCase(cp)) {
                kind = 1;
            } else if (Character.isLetter(cp)) {
                kind = 4;
            } else {
                kind = 0;
            }
            if (kind == 0) {
                prevType = 0;
                continue;
            }
            boolean boundary = prevType == 0
                    || (kind == 3) != (prevType == 3)
                    || (kind == 2 && prevType == 1)
                    || (kind == 1 && prevType == 2 && upperRunBefore(out));
            if (boundary && out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                if (kind == 1 && prevType == 2 && upperRunBefore(out)) {
                    // "HTMLParser": the last capital starts the next word ("html parser")
                    int last = out.length() - 1;
                    char moved = out.charAt(last);
                    out.setLength(last);
                    out.append(' ').append(moved);
                } else {
                    out.append(' ');
                }
            }
            out.appendCodePoint(Character.toLowerCase(cp));
            prevType = kind;
        }
        return out.toString().trim();
    }

    /**
     * A 64-bit signature of search words (two bits per word, a Bloom filter): a file whose name
     * or document contains a word has that word's {@link #bits} set, so a search can skip, from
     * the sort index alone, every file whose signature lacks the bits of a word it requires (see
     * schema V5). Besides each word, every maximal run of ASCII letters or digits inside a word
     * with other characters is added too: PostgreSQL's parser may split such a word (locale
     * dependent) and then index that run as a word of its own, and a signature may over-cover
     * (only more files are checked) but never under-cover (a match would be lost).
     *
     * @param words words as {@link #of} produces them, separated by single spaces
     */
    public static long signature(String words) {
        long sig = 0;
        int start = 0;
        int n = words.length();
        while (start < n) {
            int end = words.indexOf(' ', start);
            if (end < 0) {
                end = n;
            }
            if (end > start) {
                sig |= wordBits(words, start, end);
                if (!plainAscii(words, start, end)) {
                    sig |= asciiRunBits(words, start, end);
                }
            }
            start = end + 1;
        }
        return sig;
    }

    /** Most words {@link #tsvector} writes itself; below PostgreSQL's 256 positions a lexeme. */
    static final int TSVECTOR_MAX_WORDS = 250;
    /** Longest word {@link #tsvector} writes itself; far below the parser's limit (2,047 bytes). */
    static final int TSVECTOR_MAX_WORD = 200;

    /**
     * The text form of {@code to_tsvector('simple', parts joined by single spaces)}, so the
     * importer can write the search documents of schema V2 instead of having PostgreSQL parse every
     * file's words (since V8 they are plain columns: 8 us of server CPU a file saved). Each word is
     * a lexeme at its position, 1 for the first word; a repeated word keeps every position.
     *
     * <p>Only for words PostgreSQL's default parser is sure to take one by one: runs of lower-case
     * ASCII letters or of ASCII digits (what {@link #of} makes of ASCII text), at most
     * {@value #TSVECTOR_MAX_WORDS} of them, none longer than {@value #TSVECTOR_MAX_WORD}. Anything
     * else returns null, and the database computes the document itself (the trigger of V8).
     *
     * @param parts word lists as {@link #of} produces them (empty ones allowed)
     */
    public static @Nullable String tsvector(String... parts) {
        String[] words = documentWords(parts);
        if (words == null) {
            return null;
        }
        int[] order = lexemeOrder(words);
        StringBuilder out = new StringBuilder(words.length * 12);
        for (int i = 0; i < order.length; i++) {
            String word = words[order[i]];
            if (i == 0 || !word.equals(words[order[i - 1]])) {
                out.append(i == 0 ? "'" : " '").append(word).append("':");
            } else {
                out.append(',');
            }
            out.append(order[i] + 1);
        }
        return out.toString();
    }

    /**
     * {@link #tsvector} in PostgreSQL's binary form (what {@code tsvector_send} writes and binary
     * COPY reads): the lexeme count, then each lexeme NUL-terminated with its position count and
     * positions (weight D), in lexeme order. Null where {@link #tsvector} is.
     */
    public static byte @Nullable [] tsvectorBinary(String... parts) {
        String[] words = documentWords(parts);
        if (words == null) {
            return null;
        }
        int[] order = lexemeOrder(words);
        int lexemes = 0;
        int size = 4 + 2 * words.length;
        for (int i = 0; i < order.length; i++) {
            if (i == 0 || !words[order[i]].equals(words[order[i - 1]])) {
                lexemes++;
                size += words[order[i]].length() + 3;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(lexemes);
        for (int i = 0; i < order.length; ) {
            String word = words[order[i]];
            int same = i + 1;
            while (same < order.length && words[order[same]].equals(word)) {
                same++;
            }
            for (int k = 0; k < word.length(); k++) {
                out.put((byte) word.charAt(k)); // ASCII: see documentWords
            }
            out.put((byte) 0).putShort((short) (same - i));
            for (; i < same; i++) {
                out.putShort((short) (order[i] + 1));
            }
        }
        return out.array();
    }

    /**
     * The words of the parts in order (word i at position i + 1), or null when PostgreSQL must
     * parse them itself (see {@link #tsvector}).
     */
    private static String @Nullable [] documentWords(String... parts) {
        String[] words = new String[16];
        int n = 0;
        for (String part : parts) {
            int start = 0;
            int length = part.length();
            while (start < length) {
                int end = part.indexOf(' ', start);
                end = end < 0 ? length : end;
                if (end > start) {
                    if (end - start > TSVECTOR_MAX_WORD || !plainAscii(part, start, end) || n == TSVECTOR_MAX_WORDS) {
                        return null;
                    }
                    if (n == words.length) {
                        words = Arrays.copyOf(words, n * 2);
                    }
                    words[n++] = part.substring(start, end);
                }
                start = end + 1;
            }
        }
        return Arrays.copyOf(words, n);
    }

    /**
     * Word indexes in PostgreSQL's lexeme order (for ASCII, String order: bytes, a prefix first),
     * equal words by position: an insertion sort, as documents have a few dozen words at most.
     */
    private static int[] lexemeOrder(String[] words) {
        int[] order = new int[words.length];
        for (int i = 0; i < order.length; i++) {
            int k = i;
            while (k > 0 && words[order[k - 1]].compareTo(words[i]) > 0) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
        }
        return order;
    }

    /**
     * The signature bits a search may require for a query word, or 0 when the word is not one
     * the signature is sure to cover (anything but plain ASCII letters or plain ASCII digits).
     */
    public static long bits(String word) {
        return !word.isEmpty() && plainAscii(word, 0, word.length()) ? wordBits(word, 0, word.length()) : 0;
    }

    private static boolean plainAscii(String s, int from, int to) {
        char first = s.charAt(from);
        boolean digits = first >= '0' && first <= '9';
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (digits ? (c < '0' || c > '9') : (c < 'a' || c > 'z')) {
                return false;
            }
        }
        return true;
    }

    private static long asciiRunBits(String s, int from, int to) {
        long bits = 0;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            int kind = asciiKind(c);
            if (kind == 0) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < to && asciiKind(s.charAt(i)) == kind) {
                i++;
            }
            bits |= wordBits(s, runStart, i);
        }
        return bits;
    }

    /** Whether every char of {@code s} is ASCII. */
    public static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** 1 lower-case ASCII letter, 2 ASCII digit, 0 anything else. */
    private static int asciiKind(char c) {
        return c >= 'a' && c <= 'z' ? 1 : c >= '0' && c <= '9' ? 2 : 0;
    }

    /** Two bits chosen by a 64-bit FNV-1a hash of the word's chars, finished with a murmur mix. */
    private static long wordBits(String s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (1L << (h & 63)) | (1L << ((h >>> 6) & 63));
    }

    /** True when the current word so far is two or more capitals ("HTMLP" before "arser"). */
    private static boolean upperRunBefore(StringBuilder out) {
        // out holds lower-cased text; we only need to know whether the current word has >= 2
        // letters, all of which were capitals. The caller only asks right after a capital, so a
        // word of length >= 2 whose previous char was also a capital qualifies. We approximate by
        // word length, which is exact because a lower->upper change always starts a new word.
        int start = out.lastIndexOf(" ") + 1;
        return out.length() - start >= 2;
    }
}
