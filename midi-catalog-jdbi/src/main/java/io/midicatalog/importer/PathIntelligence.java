package io.midicatalog.importer;

import static java.util.Objects.requireNonNull;

import io.midicatalog.api.Category;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.internal.SearchWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What folder and file names say about a file, the way producers' packs name things.
 *
 * <p>Rules (each is tested in {@code PathIntelligenceTest}):
 * <ul>
 *   <li><b>Manufacturer and collection</b>: the folder at {@code manufacturerDepth} under the import
 *       root (1 = the first folder) names the manufacturer, the folder at {@code collectionDepth}
 *       the collection; a file too shallow for a level gets none for it.</li>
 *   <li><b>Folder tags</b>: every other folder between the root and the file, in order.</li>
 *   <li><b>BPM</b>: {@code 124bpm}, {@code 124 BPM}, {@code bpm124}, {@code 124-bpm} are strong
 *       hints; a lone number 40-250 between separators ({@code _124_}, {@code - 124 -}) is a weak
 *       hint, and only when it is the only such number in the name and not a work, track or volume
 *       number ({@code Symphony No 104}, {@code Op 109}, {@code Track 101}, {@code Vol 120}).</li>
 *   <li><b>Key</b>: a token with a mode ({@code Am}, {@code F#m}, {@code Bbmin}, {@code Cmaj}) or a
 *       tonic followed by {@code minor}/{@code major} ({@code C minor}) is a strong hint; a bare
 *       tonic ({@code C}, {@code F#}, {@code Bb}) counts only right after a BPM hint
 *       ({@code Loop_124_C}), since a lone capital letter is usually a part name ("Loop A"). The
 *       two-letter forms are also words and acronyms ("I Am Free", "FM Bass", "GM Drums"), so they
 *       count only where the name reads as a loop's (see {@code twoLetterKey}).</li>
 *   <li><b>Meter</b>: {@code 4-4}, {@code 6_8}, {@code 7/8} between separators.</li>
 *   <li><b>Category</b>: words of the file name first ({@code kick}, {@code hat}, {@code bass},
 *       {@code chords}, {@code pad}, {@code arp}, {@code vox}, {@code beat}...), then folder names
 *       from the nearest folder up.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class PathIntelligence {
    private static final Pattern STRONG_BPM = Pattern.compile(
            "(?i)(?<![0-9.])(\\d{2,3}(?:\\.\\d{1,2})?)\\s*[-_]?\\s*bpm|bpm\\s*[-_:]?\\s*(\\d{2,3}(?:\\.\\d{1,2})?)(?![0-9])");
    private static final Pattern LONE_NUMBER = Pattern.compile("(?<=^|[\\s_\\-.()\\[\\]])(\\d{2,3})(?=$|[\\s_\\-.()\\[\\]])");
    private static final Pattern METER = Pattern.compile("(?<=^|[\\s_\\-(\\[])([2-9]|1[0-5])[-_/](4|8|16)(?=$|[\\s_\\-)\\]])");
    private static final Pattern KEY_WITH_MODE = Pattern.compile("^([A-G])([#b\u266F\u266D]?)(m|min|minor|maj|major|M)$");
    private static final Pattern BARE_TONIC = Pattern.compile("^([A-G])([#b\u266F\u266D]?)$");
    /** Words after which a lone number counts a work, part or item, not a tempo: see {@link #wordBefore}. */
    private static final Set<String> INDEX_WORDS = Set.of("no", "nr", "num", "number", "op", "opus", "bwv", "k", "kv",
            "hob", "rv", "hwv", "woo", "symphony", "sonata", "concerto", "psalm", "hymn", "track", "trk", "take",
            "part", "pt", "vol", "volume", "disc", "cd", "chapter", "episode", "level", "map", "stage", "act",
            "scene", "bank", "preset", "patch", "program", "page");
    private static final Pattern NUMBER_TOKEN = Pattern.compile("^\\d{2,3}(bpm)?$", Pattern.CASE_INSENSITIVE);

    private static final Map<String, Category> WORDS = Map.ofEntries(
            Map.entry("kick", Category.KICK), Map.entry("kicks", Category.KICK), Map.entry("bd", Category.KICK),
            Map.entry("snare", Category.SNARE), Map.entry("snares", Category.SNARE), Map.entry("snr", Category.SNARE),
            Map.entry("clap", Category.SNARE),
            Map.entry("hat", Category.HIHAT), Map.entry("hats", Category.HIHAT), Map.entry("hihat", Category.HIHAT),
            Map.entry("hihats", Category.HIHAT), Map.entry("hh", Category.HIHAT),
            Map.entry("cymbal", Category.CYMBAL), Map.entry("cymbals", Category.CYMBAL), Map.entry("ride", Category.CYMBAL),
            Map.entry("crash", Category.CYMBAL),
            Map.entry("perc", Category.PERCUSSION), Map.entry("percs", Category.PERCUSSION),
            Map.entry("percussion", Category.PERCUSSION), Map.entry("conga", Category.PERCUSSION),
            Map.entry("bongo", Category.PERCUSSION), Map.entry("shaker", Category.PERCUSSION),
            Map.entry("drum", Category.DRUMS), Map.entry("drums", Category.DRUMS), Map.entry("beat", Category.DRUMS),
            Map.entry("beats", Category.DRUMS), Map.entry("groove", Category.DRUMS), Map.entry("grooves", Category.DRUMS),
            Map.entry("fill", Category.DRUMS), Map.entry("fills", Category.DRUMS), Map.entry("breakbeat", Category.DRUMS),
            Map.entry("bass", Category.BASS), Map.entry("bassline", Category.BASS), Map.entry("sub", Category.BASS),
            Map.entry("808", Category.BASS), Map.entry("808s", Category.BASS),
            Map.entry("chord", Category.CHORDS), Map.entry("chords", Category.CHORDS), Map.entry("prog", Category.CHORDS),
            Map.entry("progression", Category.CHORDS), Map.entry("progressions", Category.CHORDS),
            Map.entry("pad", Category.PAD), Map.entry("pads", Category.PAD),
            Map.entry("lead", Category.LEAD), Map.entry("leads", Category.LEAD),
            Map.entry("melody", Category.MELODY), Map.entry("melodies", Category.MELODY), Map.entry("mel", Category.MELODY),
            Map.entry("hook", Category.MELODY), Map.entry("hooks", Category.MELODY), Map.entry("topline", Category.MELODY),
            Map.entry("arp", Category.ARP), Map.entry("arps", Category.ARP), Map.entry("arpeggio", Category.ARP),
            Map.entry("keys", Category.KEYS), Map.entry("rhodes", Category.KEYS), Map.entry("epiano", Category.KEYS),
            Map.entry("organ", Category.KEYS),
            Map.entry("piano", Category.PIANO), Map.entry("pianos", Category.PIANO),
            Map.entry("guitar", Category.GUITAR), Map.entry("guitars", Category.GUITAR),
            Map.entry("strings", Category.STRINGS), Map.entry("string", Category.STRINGS), Map.entry("violin", Category.STRINGS),
            Map.entry("cello", Category.STRINGS),
            Map.entry("brass", Category.BRASS), Map.entry("horn", Category.BRASS), Map.entry("horns", Category.BRASS),
            Map.entry("trumpet", Category.BRASS),
            Map.entry("flute", Category.WOODWIND), Map.entry("sax", Category.WOODWIND), Map.entry("woodwind", Category.WOODWIND),
            Map.entry("synth", Category.SYNTH), Map.entry("synths", Category.SYNTH),
            Map.entry("pluck", Category.PLUCK), Map.entry("plucks", Category.PLUCK),
            Map.entry("fx", Category.FX), Map.entry("sfx", Category.FX), Map.entry("riser", Category.FX),
            Map.entry("vocal", Category.VOCAL), Map.entry("vocals", Category.VOCAL), Map.entry("vox", Category.VOCAL),
            Map.entry("full", Category.FULL_MIX), Map.entry("song", Category.FULL_MIX),
            Map.entry("arrangement", Category.FULL_MIX), Map.entry("mix", Category.FULL_MIX));

    private final int manufacturerDepth;
    private final int collectionDepth;

    /**
     * @param manufacturerDepth folder level naming the manufacturer (0 = none)
     * @param collectionDepth folder level naming the collection (0 = none)
     */
    public PathIntelligence(int manufacturerDepth, int collectionDepth) {
        if (manufacturerDepth < 0 || collectionDepth < 0) {
            throw new IllegalArgumentException("depths must be >= 0: " + manufacturerDepth + ", " + collectionDepth);
        }
        this.manufacturerDepth = manufacturerDepth;
        this.collectionDepth = collectionDepth;
    }

    /** A name hint and how sure it is (strong: the name says it explicitly). */
    public record Hint<T>(T value, boolean strong) {}

    /**
     * What the path says.
     *
     * @param folderTags the folders between the root and the file that name neither the
     *     manufacturer nor the collection, outermost first
     * @param folderWords search words of the manufacturer, collection and folder tags, in order
     */
    public record PathFacts(
            @Nullable String manufacturer,
            @Nullable String collection,
            List<String> folderTags,
            String fileName,
            @Nullable Hint<Double> bpm,
            @Nullable Hint<MusicalKey> key,
            @Nullable TimeSignature meter,
            @Nullable Category nameCategory,
            @Nullable Category folderCategory,
            String folderWords) {
        public PathFacts {
            folderTags = List.copyOf(folderTags);
            requireNonNull(folderWords, "folderWords");
        }
    }

    /**
     * What the folders between the import root and a file say: the same for every file in them, so
     * an import reads it once per folder ({@link #read(Folder, String)}).
     *
     * @param category the category the nearest folder naming one names
     * @param words search words of manufacturer, collection and tags ({@link SearchWords#of})
     */
    public record Folder(@Nullable String manufacturer, @Nullable String collection, List<String> tags,
            @Nullable Category category, String words) {
        public Folder {
            tags = List.copyOf(tags);
            requireNonNull(words, "words");
        }
    }

    /**
     * Reads the facts of a file given as its folders under the import root and its name.
     *
     * @param folders folder names from the root down to the file's folder (not the root itself)
     */
    public PathFacts read(List<String> folders, String fileName) {
        return read(folder(folders), fileName);
    }

    /** Reads the facts of a file in a folder read before. */
    public PathFacts read(Folder folder, String fileName) {
        String base = stripExtension(fileName);
        return new PathFacts(folder.manufacturer(), folder.collection(), folder.tags(), fileName, bpmOf(base),
                keyOf(base), meterOf(base), categoryOf(base).orElse(null), folder.category(), folder.words());
    }

    /**
     * Reads what folders say.
     *
     * @param folders folder names from the root down to the file's folder (not the root itself)
     */
    public Folder folder(List<String> folders) {
        String manufacturer = manufacturerDepth > 0 && folders.size() >= manufacturerDepth
                ? folders.get(manufacturerDepth - 1) : null;
        String collection = collectionDepth > 0 && folders.size() >= collectionDepth
                ? folders.get(collectionDepth - 1) : null;
        List<String> tags = new ArrayList<>(folders.size());
        for (int i = 0; i < folders.size(); i++) {
            if (i + 1 != manufacturerDepth && i + 1 != collectionDepth) {
                tags.add(folders.get(i));
            }
        }
        Category category = null;
        for (int i = folders.size() - 1; i >= 0 && category == null; i--) {
            category = categoryOf(folders.get(i)).orElse(null);
        }
        StringBuilder words = new StringBuilder();
        if (manufacturer != null) {
            words.append(manufacturer).append(' ');
        }
        if (collection != null) {
            words.append(collection).append(' ');
        }
        words.append(String.join(" ", tags));
        return new Folder(manufacturer, collection, tags, category, SearchWords.of(words.toString()));
    }

    /** BPM hint of a file name without extension. */
    static @Nullable Hint<Double> bpmOf(String name) {
        // both patterns need ASCII digits, the strong one "bpm" too: many names skip a regex
        if (!hasAsciiDigit(name)) {
            return null;
        }
        Matcher strong = STRONG_BPM.matcher(name);
        if (containsBpm(name) && strong.find()) {
            String number = strong.group(1) != null ? strong.group(1) : strong.group(2);
            double bpm = Double.parseDouble(number);
            return bpm >= 20 && bpm <= 400 ? new Hint<>(bpm, true) : null;
        }
        Matcher lone = LONE_NUMBER.matcher(name);
        Double found = null;
        while (lone.find()) {
            double value = Integer.parseInt(lone.group(1));
            if (value < 40 || value > 250 || INDEX_WORDS.contains(wordBefore(name, lone.start(1)))) {
                continue;
            }
            if (found != null && found != value) {
                return null; // two candidates: the name does not say which is the tempo
            }
            found = value;
        }
        return found == null ? null : new Hint<>(found, false);
    }

    /**
     * The word before a number in a file name, lower case ("" if none): "Symphony No 104",
     * "Op 109", "BWV 140", "Track 101", "Vol 120" number works, tracks and volumes, not tempos.
     * Letters are code points (a letter outside the BMP is part of the word), and a word with a
     * non-ASCII letter is "" (the Kelvin sign is no "k"): V15's patterns, which list the files
     * these words read otherwise, match the ASCII words only.
     */
    private static String wordBefore(String name, int at) {
        int end = at;
        while (end > 0 && "\t\n\u000B\f\r _-.()[]".indexOf(name.charAt(end - 1)) >= 0) {
            end--;
        }
        int start = end;
        boolean ascii = true;
        while (start > 0) {
            int cp = name.codePointBefore(start);
            if (!Character.isLetter(cp)) {
                break;
            }
            ascii &= cp < 0x80;
            start -= Character.charCount(cp);
        }
        return ascii ? name.substring(start, end).toLowerCase(Locale.ROOT) : "";
    }

    /** Key hint of a file name without extension. */
    static @Nullable Hint<MusicalKey> keyOf(String name) {
        String[] tokens = tokens(name);
        for (int i = tokens.length - 1; i >= 0; i--) {
            String token = tokens[i];
            // both key patterns start with a tonic letter
            if (token.isEmpty() || token.charAt(0) < 'A' || token.charAt(0) > 'G') {
                continue;
            }
            if (KEY_WITH_MODE.matcher(token).matches() && (token.length() > 2 || twoLetterKey(name, tokens, i))) {
                Optional<MusicalKey> key = MusicalKey.parse(token);
                if (key.isPresent()) {
                    return new Hint<>(key.get(), true);
                }
            }
            if (BARE_TONIC.matcher(token).matches()) {
                String next = i + 1 < tokens.length ? tokens[i + 1].toLowerCase(Locale.ROOT) : "";
                if (next.equals("minor") || next.equals("major") || next.equals("min") || next.equals("maj")) {
                    Optional<MusicalKey> key = MusicalKey.parse(token + " " + next);
                    if (key.isPresent()) {
                        return new Hint<>(key.get(), true);
                    }
                }
                boolean afterTempo = i > 0 && isTempoToken(tokens, i - 1);
                if (afterTempo) {
                    Optional<MusicalKey> key = MusicalKey.parse(token);
                    if (key.isPresent()) {
                        return new Hint<>(key.get(), false);
                    }
                }
            }
        }
        return null;
    }

    /**
     * Whether a two-letter key token ({@code Am}, {@code Em}, {@code FM}, {@code GM}...) names a
     * key here. They are also words and acronyms: "I Am Free", "Kill Em All", "FM Bass" (FM
     * synthesis), "GM Drums" (General MIDI), "Sunday AM". Read as a key:
     * <ul>
     *   <li>an upper-case {@code M} (major by the usual convention) only beside a tempo
     *       ({@code Loop_124_CM}) in a name that has lower-case letters, so its case is deliberate,
     *       and never FM or GM; in an all-capitals name the mode is unknowable and the notes decide;</li>
     *   <li>a lower-case {@code m} (minor) unless it is {@code Am} beside {@code I}, or the name
     *       reads as a title: three or more words with spaces and nothing musical (no digit, no
     *       category word such as "melody" or "bass", not after "in" or "key").</li>
     * </ul>
     */
    private static boolean twoLetterKey(String name, String[] tokens, int i) {
        String previous = i > 0 ? tokens[i - 1] : "";
        String next = i + 1 < tokens.length ? tokens[i + 1] : "";
        boolean besideTempo = isTempoToken(tokens, i - 1) || isTempoToken(tokens, i + 1);
        if (tokens[i].charAt(1) == 'M') {
            // FM (synthesis) and GM (General MIDI) name sounds far more often than F or G major
            char tonic = tokens[i].charAt(0);
            return besideTempo && hasLowerCase(name) && tonic != 'F' && tonic != 'G';
        }
        if (tokens[i].charAt(0) == 'A' && (previous.equalsIgnoreCase("i") || next.equalsIgnoreCase("i"))) {
            return false;
        }
        return besideTempo || tokens.length < 3 || name.indexOf(' ') < 0 || hasAsciiDigit(name)
                || previous.equalsIgnoreCase("in") || previous.equalsIgnoreCase("key")
                || categoryOf(name).isPresent();
    }

    /**
     * Whether token {@code t} is a tempo beside a key: {@code 124}, {@code 124bpm} (40-250) or
     * {@code bpm}; a bare number after a work, track or volume word ({@code Track 101},
     * {@code No 104}) is none, as {@link #bpmOf} reads it.
     */
    private static boolean isTempoToken(String[] tokens, int t) {
        if (t < 0 || t >= tokens.length) {
            return false;
        }
        String token = tokens[t];
        if (token.equalsIgnoreCase("bpm")) {
            return true;
        }
        if (!NUMBER_TOKEN.matcher(token).matches()) {
            return false;
        }
        int end = 0;
        while (end < token.length() && isAsciiDigit(token.charAt(end))) {
            end++;
        }
        int value = Integer.parseInt(token, 0, end, 10);
        if (end == token.length() && t > 0 && INDEX_WORDS.contains(tokens[t - 1].toLowerCase(Locale.ROOT))
                && SearchWords.isAscii(tokens[t - 1])) {
            return false;
        }
        return value >= 40 && value <= 250;
    }

    private static boolean hasLowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isLowerCase(name.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static @Nullable TimeSignature meterOf(String name) {
        if (!hasDigitSeparatorDigit(name)) {
            return null; // what METER needs at least: most names skip the regex
        }
        Matcher m = METER.matcher(name);
        if (m.find()) {
            return new TimeSignature(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return null;
    }

    /** Category named by the words of a file or folder name; the last matching word wins. */
    static Optional<Category> categoryOf(String name) {
        String words = SearchWords.of(name);
        if (words.contains("full mix")) {
            return Optional.of(Category.FULL_MIX);
        }
        if (words.contains("hi hat")) {
            return Optional.of(Category.HIHAT);
        }
        Category found = null;
        for (String word : words.split(" ")) {
            Category c = WORDS.get(word);
            if (c != null) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The tokens of a name, as {@code Pattern.compile("[\\s_\\-.,()\\[\\]]+").split(name)} gives
     * them (PathIntelligenceTest compares), without the regex engine (Pattern.split was 15% of the
     * time read() took in a profiled 100K-file import): runs of ASCII white space
     * and {@code _ - . , ( ) [ ]} split; a name starting with one gives a leading empty token;
     * trailing empty tokens are dropped.
     */
    static String[] tokens(String name) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < name.length()) {
            if (isTokenSeparator(name.charAt(i))) {
                tokens.add(name.substring(start, i));
                while (i < name.length() && isTokenSeparator(name.charAt(i))) {
                    i++;
                }
                start = i;
            } else {
                i++;
            }
        }
        if (tokens.isEmpty()) {
            return new String[] {name}; // no separator: the name itself, as String.split gives it
        }
        tokens.add(name.substring(start));
        int size = tokens.size();
        while (size > 0 && tokens.get(size - 1).isEmpty()) {
            size--;
        }
        return tokens.subList(0, size).toArray(String[]::new);
    }

    /** {@code \s} (ASCII white space, as java.util.regex means it) and {@code _ - . , ( ) [ ]}. */
    private static boolean isTokenSeparator(char c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000B', '\f', '\r', '_', '-', '.', ',', '(', ')', '[', ']' -> true;
            default -> false;
        };
    }

    private static boolean hasAsciiDigit(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (isAsciiDigit(name.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** "bpm" in any ASCII case, as STRONG_BPM's (?i) matches it. */
    private static boolean containsBpm(String name) {
        for (int i = 0; i + 3 <= name.length(); i++) {
            if (name.regionMatches(true, i, "bpm", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    /** A digit, one of - _ /, a digit. */
    private static boolean hasDigitSeparatorDigit(String name) {
        for (int i = 1; i + 1 < name.length(); i++) {
            char c = name.charAt(i);
            if ((c == '-' || c == '_' || c == '/') && isAsciiDigit(name.charAt(i - 1)) && isAsciiDigit(name.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
