package io.midicatalog.bench.generate;

import io.midicatalog.api.Category;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.internal.LongHashSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The distributions of a producer-pack world, fixed by a seed: hundreds of manufacturers and
 * thousands of collections whose popularity follows a Zipf law, categories weighted like real
 * packs, BPM peaks at 120/128/140/90 over a 60-180 spread, minor keys common, mostly 4/4.
 *
 * <p>{@link #file(long)} describes file number {@code index} from its own random stream, so any
 * file can be computed independently of the others (parallel generation stays deterministic).
 * Paths can collide; {@link Sequence} numbers files in order and makes paths unique.
 * Both generators (rows straight into a database, and real .mid files) use this one model.
 */
public final class LibraryModel {
    /** Number of manufacturers (labels) in every model. */
    public static final int MANUFACTURERS = 400;
    /** Number of collections (packs) in every model. */
    public static final int COLLECTIONS = 5000;
    /** Share of files that have a byte-identical copy elsewhere (an alternate location). */
    public static final double DUPLICATE_SHARE = 0.15;
    /** Share of files that are near-duplicates (same notes, re-saved) of the file before them. */
    public static final double NEAR_DUPLICATE_SHARE = 0.03;

    private static final String[] MAKER_PREFIX = {"Heavy", "Deep", "Black", "Golden", "Loop", "Sample", "Sonic",
        "Urban", "Cyber", "Analog", "Vinyl", "Neon", "Royal", "Prime", "Future", "Lo", "Hyper", "Silver", "Echo",
        "Pulse", "Midnight", "Crystal", "Dusty", "Iron", "Velvet", "Solar", "Lunar", "Static", "Wild", "True"};
    private static final String[] MAKER_SUFFIX = {"grand", "wave", "tone", "beat", "sound", "lab", "works", "audio",
        "house", "smith", "forge", "kit", "loops", "theory", "mode"};
    private static final String[] MAKER_TAIL = {"", "", " Audio", " Sounds", " Samples", " Records", " Music"};
    private static final String[] GENRES = {"Deep House", "Tech House", "Trap", "Lofi", "Drill", "Future Bass",
        "Techno", "Dubstep", "Drum and Bass", "RnB", "Hip Hop", "Afrobeat", "Reggaeton", "Synthwave", "Ambient",
        "Pop", "EDM", "Garage", "Jazz", "Soul", "Trance", "Progressive House", "Boom Bap", "Cinematic", "Funk"};
    private static final String[] PACK_WORDS = {"Essentials", "Grooves", "Vibes", "Sessions", "Toolkit", "Anthems",
        "MIDI Pack", "Chords", "Melodies", "Construction Kit", "Nights", "Heat", "Elements", "Foundations",
        "Signature", "Underground", "Gold", "Collection"};
    private static final String[] ADJECTIVES = {"Dark", "Deep", "Bright", "Warm", "Dirty", "Smooth", "Hard",
        "Soft", "Rolling", "Bouncy", "Lush", "Dreamy", "Groovy", "Heavy", "Funky", "Moody", "Chill", "Epic",
        "Sad", "Happy", "Hypnotic", "Liquid", "Punchy", "Wobbly", "Vintage", "Glassy", "Late", "Golden"};
    private static final String[] SUBFOLDERS = {"Loops", "Fills", "Verse", "Chorus", "Intro", "Drop", "Breakdown",
        "Variations", "Dark", "Clean", "Extra"};

    /** The categories of generated files with their weights (out of 100). */
    private static final Category[] CATEGORIES = {Category.DRUMS, Category.KICK, Category.SNARE, Category.HIHAT,
        Category.PERCUSSION, Category.BASS, Category.CHORDS, Category.PAD, Category.LEAD, Category.MELODY,
        Category.ARP, Category.KEYS, Category.STRINGS, Category.BRASS, Category.FX, Category.VOCAL, Category.FULL_MIX};
    private static final int[] CATEGORY_WEIGHTS = {20, 4, 3, 3, 4, 14, 12, 5, 7, 10, 5, 4, 2, 1, 1, 1, 4};

    /** How names in a collection write BPM and key. */
    enum NameStyle { UNDERSCORE, BPM_SUFFIX, SPACED, PLAIN }

    private final long seed;
    private final List<String> manufacturers;
    private final List<Collection> collections;
    private final double[] collectionCumulative;

    /** A pack: its manufacturer, name and the way its files are named. */
    record Collection(String manufacturer, String name, NameStyle style) {}

    public LibraryModel(long seed) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> makers = new LinkedHashSet<>();
        while (makers.size() < MANUFACTURERS) {
            makers.add(pick(random, MAKER_PREFIX) + pick(random, MAKER_SUFFIX) + pick(random, MAKER_TAIL));
        }
        this.manufacturers = List.copyOf(makers);
        double[] makerCumulative = zipf(MANUFACTURERS, 1.0);
        Set<String> names = new LinkedHashSet<>();
        List<Collection> packs = new ArrayList<>(COLLECTIONS);
        while (packs.size() < COLLECTIONS) {
            String maker = manufacturers.get(sample(makerCumulative, random.nextDouble()));
            String name = pick(random, GENRES) + " " + pick(random, PACK_WORDS)
                    + (random.nextInt(3) == 0 ? " Vol " + (2 + random.nextInt(6)) : "");
            if (names.add(maker + "/" + name)) {
                packs.add(new Collection(maker, name, NameStyle.values()[random.nextInt(NameStyle.values().length)]));
            }
        }
        this.collections = List.copyOf(packs);
        this.collectionCumulative = zipf(COLLECTIONS, 0.9);
    }

    public long seed() {
        return seed;
    }

    /** Distinct manufacturer names, most prolific first is not guaranteed. */
    public List<String> manufacturers() {
        return manufacturers;
    }

    /** The file kinds the file generator writes. */
    public enum Kind { DRUM_LOOP, BASS_LINE, CHORDS, MELODY, ARP, ARRANGEMENT }

    /**
     * One generated file's ground truth. {@code programs} pairs channel and program
     * ({@code channel * 128 + program}); channel 9 is drums.
     */
    public record FileSpec(
            long index,
            String manufacturer,
            String collection,
            List<String> folderTags,
            Category category,
            Kind kind,
            double bpm,
            MusicalKey key,
            TimeSignature meter,
            int bars,
            int ticksPerQuarter,
            double durationSeconds,
            long durationTicks,
            int noteCount,
            boolean percussive,
            int[] channelPrograms,
            int gmFamilies,
            String fileName,
            boolean nameHasBpm,
            boolean nameHasKey,
            boolean duplicated,
            boolean nearDuplicateOfPrevious,
            long variant) {

        /** {@code Manufacturer/Collection/Category[/Sub]/Name.mid} with '/' separators. */
        public String relativePath() {
            StringBuilder path = new StringBuilder(96).append(manufacturer).append('/').append(collection);
            for (String tag : folderTags) {
                path.append('/').append(tag);
            }
            return path.append('/').append(fileName).toString();
        }

        /** A copy with another file name (path collisions are resolved by renaming). */
        FileSpec withFileName(String name) {
            return new FileSpec(index, manufacturer, collection, folderTags, category, kind, bpm, key, meter, bars,
                    ticksPerQuarter, durationSeconds, durationTicks, noteCount, percussive, channelPrograms, gmFamilies,
                    name, nameHasBpm, nameHasKey, duplicated, nearDuplicateOfPrevious, variant);
        }
    }

    /** The random stream of file {@code index}: independent of every other file's. */
    SplittableRandom randomOf(long index) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 1));
    }

    /** Describes file {@code index} (its name may collide with another's; see {@link Sequence}). */
    public FileSpec file(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
        SplittableRandom r = randomOf(index);
        Collection pack = collections.get(sample(collectionCumulative, r.nextDouble()));
        Category category = CATEGORIES[weighted(r, CATEGORY_WEIGHTS)];
        Kind kind = kindOf(category);
        boolean percussive = kind == Kind.DRUM_LOOP || kind == Kind.ARRANGEMENT;
        double bpm = bpm(r);
        MusicalKey key = kind == Kind.DRUM_LOOP ? MusicalKey.UNKNOWN : key(r);
        TimeSignature meter = meter(r);
        int bars = kind == Kind.ARRANGEMENT ? 16 * (2 + r.nextInt(5)) : new int[] {1, 2, 2, 4, 4, 4, 4, 8, 8, 16}[r.nextInt(10)];
        int tpq = new int[] {96, 480, 480, 960}[r.nextInt(4)];
        double quartersPerBar = meter.numerator() * 4.0 / meter.denominator();
        long durationTicks = Math.round(bars * quartersPerBar * tpq);
        double durationSeconds = bars * quartersPerBar * 60.0 / bpm;
        int[] programs = programs(r, category);
        int families = 0;
        for (int cp : programs) {
            families |= cp / 128 == 9 ? GmFamily.DRUMS.bit() : GmFamily.ofProgram(cp % 128).bit();
        }
        int notes = noteCount(r, category, bars, quartersPerBar);

        List<String> folders = new ArrayList<>(2);
        folders.add(folderName(category));
        if (r.nextInt(5) == 0) {
            folders.add(pick(r, SUBFOLDERS));
        }
        boolean hints = pack.style() != NameStyle.PLAIN;
        boolean nameHasKey = hints && key.isKnown() && r.nextInt(10) != 0;
        String name = fileName(r, pack.style(), category, bpm, key, nameHasKey);
        return new FileSpec(index, pack.manufacturer(), pack.name(), List.copyOf(folders), category, kind, bpm, key,
                meter, bars, tpq, durationSeconds, durationTicks, notes, percussive, programs, families, name,
                hints, nameHasKey, r.nextDouble() < DUPLICATE_SHARE, index > 0 && r.nextDouble() < NEAR_DUPLICATE_SHARE,
                r.nextLong());
    }

    /** Another location for a duplicate of {@code spec}: same file name or renamed, in another pack. */
    public String alternatePath(FileSpec spec) {
        SplittableRandom r = randomOf(~spec.index());
        Collection pack = collections.get(sample(collectionCumulative, r.nextDouble()));
        String name = r.nextBoolean() ? spec.fileName() : "Copy of " + spec.fileName();
        return pack.manufacturer() + "/" + pack.name() + "/" + folderName(spec.category()) + "/" + name;
    }

    private static Kind kindOf(Category category) {
        return switch (category) {
            case DRUMS, KICK, SNARE, HIHAT, PERCUSSION -> Kind.DRUM_LOOP;
            case BASS -> Kind.BASS_LINE;
            case CHORDS, PAD, KEYS, STRINGS, BRASS -> Kind.CHORDS;
            case ARP -> Kind.ARP;
            case FULL_MIX -> Kind.ARRANGEMENT;
            default -> Kind.MELODY;
        };
    }

    private static double bpm(SplittableRandom r) {
        int u = r.nextInt(100);
        if (u < 20) {
            return 120;
        } else if (u < 38) {
            return 128;
        } else if (u < 53) {
            return 140;
        } else if (u < 65) {
            return 90;
        }
        return 60 + r.nextInt(121);
    }

    private static MusicalKey key(SplittableRandom r) {
        boolean minor = r.nextInt(100) < 62;
        // A, C, F, G, D, E more common than the black-key tonics
        int[] tonics = {9, 9, 9, 0, 0, 0, 5, 5, 7, 7, 2, 2, 4, 4, 1, 3, 6, 8, 10, 11};
        return MusicalKey.of(tonics[r.nextInt(tonics.length)], minor);
    }

    private static TimeSignature meter(SplittableRandom r) {
        int u = r.nextInt(100);
        if (u < 88) {
            return TimeSignature.COMMON;
        } else if (u < 93) {
            return new TimeSignature(3, 4);
        } else if (u < 98) {
            return new TimeSignature(6, 8);
        }
        return new TimeSignature(7, 8);
    }

    private static int[] programs(SplittableRandom r, Category category) {
        return switch (category) {
            case DRUMS, KICK, SNARE, HIHAT, PERCUSSION -> new int[] {9 * 128};
            case BASS -> new int[] {pickInt(r, 33, 34, 35, 38, 39, 87)};
            case CHORDS -> new int[] {pickInt(r, 0, 4, 5, 48, 89, 90, 16)};
            case PAD -> new int[] {88 + r.nextInt(8)};
            case LEAD -> new int[] {80 + r.nextInt(8)};
            case MELODY -> new int[] {pickInt(r, 0, 80, 73, 11, 26, 81)};
            case ARP -> new int[] {pickInt(r, 81, 4, 8, 46, 98)};
            case KEYS -> new int[] {pickInt(r, 0, 1, 2, 4, 5, 16)};
            case STRINGS -> new int[] {pickInt(r, 48, 49, 40, 44)};
            case BRASS -> new int[] {pickInt(r, 56, 57, 61, 62)};
            case FX -> new int[] {96 + r.nextInt(8)};
            case VOCAL -> new int[] {pickInt(r, 52, 53, 54)};
            default -> new int[] {9 * 128, 1 * 128 + pickInt(r, 33, 38), 2 * 128 + pickInt(r, 0, 4, 89),
                3 * 128 + pickInt(r, 80, 81, 73)};
        };
    }

    private static int noteCount(SplittableRandom r, Category category, int bars, double quartersPerBar) {
        double perBar = switch (category) {
            case DRUMS -> 16 + r.nextInt(24);
            case KICK -> 4 + r.nextInt(3);
            case SNARE -> 2 + r.nextInt(4);
            case HIHAT -> 8 + r.nextInt(9);
            case PERCUSSION -> 6 + r.nextInt(10);
            case BASS -> 4 + r.nextInt(9);
            case CHORDS, PAD, STRINGS, BRASS, KEYS -> (1 + r.nextInt(2)) * (3 + r.nextInt(3));
            case ARP -> 8 + r.nextInt(9);
            case FULL_MIX -> 40 + r.nextInt(40);
            default -> 3 + r.nextInt(6);
        };
        return (int) Math.max(1, Math.round(perBar * bars * quartersPerBar / 4.0));
    }

    static String folderName(Category category) {
        return switch (category) {
            case DRUMS -> "Drums";
            case KICK -> "Kicks";
            case SNARE -> "Snares";
            case HIHAT -> "Hihats";
            case PERCUSSION -> "Percussion";
            case BASS -> "Bass";
            case CHORDS -> "Chords";
            case PAD -> "Pads";
            case LEAD -> "Leads";
            case MELODY -> "Melodies";
            case ARP -> "Arps";
            case KEYS -> "Keys";
            case STRINGS -> "Strings";
            case BRASS -> "Brass";
            case FX -> "FX";
            case VOCAL -> "Vocals";
            case FULL_MIX -> "Full Mix";
            default -> capitalize(category.label());
        };
    }

    private static String nameWord(Category category) {
        return switch (category) {
            case DRUMS -> "Drum";
            case HIHAT -> "Hat";
            case PERCUSSION -> "Perc";
            case FX -> "FX";
            case VOCAL -> "Vox";
            case FULL_MIX -> "Full";
            default -> capitalize(category.label());
        };
    }

    private static String fileName(SplittableRandom r, NameStyle style, Category category, double bpm,
            MusicalKey key, boolean withKey) {
        String adjective = pick(r, ADJECTIVES);
        String word = nameWord(category);
        String number = String.format(Locale.ROOT, "%02d", 1 + r.nextInt(40));
        int tempo = (int) Math.round(bpm);
        String keyText = withKey ? key.shortName() : "";
        return switch (style) {
            case UNDERSCORE -> adjective + "_" + word + "_" + number + "_" + tempo + (withKey ? "_" + keyText : "") + ".mid";
            case BPM_SUFFIX -> adjective + word + number + " " + tempo + "bpm" + (withKey ? " " + keyText : "") + ".mid";
            case SPACED -> adjective + " " + word + " " + number + " - " + tempo + " BPM"
                    + (withKey ? " - " + key.tonicName() + (key.isMinor() ? " minor" : " major") : "") + ".mid";
            case PLAIN -> adjective + " " + word + " " + number + ".mid";
        };
    }

    /**
     * Files in index order with unique paths: a colliding name gets a {@code _2}, {@code _3}...
     * suffix. Remembers 64-bit hashes of the paths (8 bytes a file), not the paths.
     */
    public final class Sequence {
        private final LongHashSet seen;
        private long next;

        Sequence(long expected) {
            seen = new LongHashSet((int) Math.min(Integer.MAX_VALUE / 4, Math.max(16, expected * 2)));
        }

        public FileSpec next() {
            FileSpec spec = file(next++);
            String path = spec.relativePath();
            if (seen.add(pathHash(path))) {
                return spec;
            }
            String name = spec.fileName();
            String base = name.substring(0, name.length() - 4);
            for (int n = 2; ; n++) {
                FileSpec renamed = spec.withFileName(base + "_" + n + ".mid");
                if (seen.add(pathHash(renamed.relativePath()))) {
                    return renamed;
                }
            }
        }

        /** Registers another path (an alternate location) so no later file takes it. */
        public boolean claim(String relativePath) {
            return seen.add(pathHash(relativePath));
        }
    }

    /** A sequence of files from index 0 sized for about {@code expected} files. */
    public Sequence sequence(long expected) {
        return new Sequence(expected);
    }

    static long pathHash(String path) {
        return LongHashSet.hash(path);
    }

    static long mix(long z) {
        return LongHashSet.mix(z);
    }

    private static double[] zipf(int n, double exponent) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, exponent);
            cumulative[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    private static int sample(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int weighted(SplittableRandom r, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int u = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static int pickInt(SplittableRandom r, int... values) {
        return values[r.nextInt(values.length)];
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
