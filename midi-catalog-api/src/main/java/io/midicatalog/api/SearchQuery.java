package io.midicatalog.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What to search for. Every filter is optional; an empty list means "any". Text uses web-search
 * syntax: words (all must match), {@code "quoted phrases"}, {@code -excluded} words, and
 * {@code or} between alternatives; any text at all is safe. Build with {@link #builder()}.
 *
 * <p>Ranges are inclusive. {@code bpmHalfDouble} also matches half and double the range;
 * {@code compatibleKeys} widens each key to {@link MusicalKey#compatibleKeys()}. {@code gmFamilies}
 * matches files that use any of the families. Rows without a BPM or duration sort last in both
 * directions of the BPM and duration sorts.
 */
public record SearchQuery(
        @Nullable String text,
        @Nullable Float bpmMin,
        @Nullable Float bpmMax,
        boolean bpmHalfDouble,
        List<MusicalKey> keys,
        boolean compatibleKeys,
        @Nullable TimeSignature timeSignature,
        List<String> manufacturers,
        List<String> collections,
        List<Category> categories,
        List<String> tagsAll,
        List<String> tagsAny,
        boolean favoritesOnly,
        List<GmFamily> gmFamilies,
        @Nullable Boolean percussive,
        @Nullable Double durationMin,
        @Nullable Double durationMax,
        @Nullable Integer noteCountMin,
        @Nullable Integer noteCountMax,
        @Nullable Integer smfFormat,
        @Nullable Boolean multiTrack,
        Sort sort,
        Direction direction,
        int pageSize,
        @Nullable String cursor,
        boolean facets) {

    /** Largest page a search returns. */
    public static final int MAX_PAGE_SIZE = 500;
    /** Longest list a filter takes. */
    public static final int MAX_LIST = 10_000;
    /** Longest text a query takes (characters); longer text is a caller bug, not a search. */
    public static final int MAX_TEXT = 100_000;
    /**
     * Longest cursor a query takes (characters). A cursor of the name sort holds the last file
     * name in UTF-8: one of 255 UTF-16 units (the longest a file system allows) counted at 4
     * bytes each, with the cursor's 23 other bytes, base64-encoded.
     */
    public static final int MAX_CURSOR = (23 + 255 * 4 + 2) / 3 * 4;

    /** Sort orders; {@link #RELEVANCE} needs text (file-name matches first, newest first within). */
    public enum Sort { RELEVANCE, NEWEST, BPM, NAME, DURATION }

    public enum Direction { ASC, DESC }

    public SearchQuery {
        if (text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("text must be at most " + MAX_TEXT + " characters: " + text.length());
        }
        checkBpm(bpmMin, "bpmMin");
        checkBpm(bpmMax, "bpmMax");
        if (bpmMin != null && bpmMax != null && bpmMin > bpmMax) {
            throw new IllegalArgumentException("bpmMin must be <= bpmMax: " + bpmMin + " > " + bpmMax);
        }
        keys = list(keys, "keys");
        manufacturers = list(manufacturers, "manufacturers");
        collections = list(collections, "collections");
        categories = list(categories, "categories");
        tagsAll = list(tagsAll, "tagsAll");
        if (tagsAll.size() > 100) {
            throw new IllegalArgumentException("tagsAll takes at most 100 tags: " + tagsAll.size());
        }
        tagsAny = list(tagsAny, "tagsAny");
        gmFamilies = list(gmFamilies, "gmFamilies");
        if (durationMin != null && (durationMin < 0 || durationMin.isNaN())) {
            throw new IllegalArgumentException("durationMin must be >= 0: " + durationMin);
        }
        if (durationMax != null && (durationMax < 0 || durationMax.isNaN())) {
            throw new IllegalArgumentException("durationMax must be >= 0: " + durationMax);
        }
        if (durationMin != null && durationMax != null && durationMin > durationMax) {
            throw new IllegalArgumentException("durationMin must be <= durationMax: " + durationMin + " > " + durationMax);
        }
        if (noteCountMin != null && noteCountMin < 0) {
            throw new IllegalArgumentException("noteCountMin must be >= 0: " + noteCountMin);
        }
        if (noteCountMax != null && noteCountMax < 0) {
            throw new IllegalArgumentException("noteCountMax must be >= 0: " + noteCountMax);
        }
        if (noteCountMin != null && noteCountMax != null && noteCountMin > noteCountMax) {
            throw new IllegalArgumentException("noteCountMin must be <= noteCountMax: " + noteCountMin + " > " + noteCountMax);
        }
        if (smfFormat != null && (smfFormat < 0 || smfFormat > 2)) {
            throw new IllegalArgumentException("smfFormat must be 0, 1 or 2: " + smfFormat);
        }
        requireNonNull(sort, "sort");
        requireNonNull(direction, "direction");
        if (sort == Sort.RELEVANCE && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("sort RELEVANCE needs text");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1-" + MAX_PAGE_SIZE + ": " + pageSize);
        }
        if (cursor != null && (cursor.isEmpty() || cursor.length() > MAX_CURSOR)) {
            throw new IllegalArgumentException("cursor is not one this library made: " + abbreviate(cursor));
        }
    }

    /** True when the text has something to search (it may still parse to no words). */
    public boolean hasText() {
        return text != null && !text.isBlank();
    }

    /** Keys to match: the given keys, widened when {@link #compatibleKeys()} is set, no repeats. */
    public List<MusicalKey> effectiveKeys() {
        if (!compatibleKeys) {
            return keys.stream().distinct().toList();
        }
        return keys.stream().flatMap(k -> k.compatibleKeys().stream()).distinct().toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's values, e.g. to ask for the next page with a cursor. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.text = text;
        b.bpmMin = bpmMin;
        b.bpmMax = bpmMax;
        b.bpmHalfDouble = bpmHalfDouble;
        b.keys.addAll(keys);
        b.compatibleKeys = compatibleKeys;
        b.timeSignature = timeSignature;
        b.manufacturers.addAll(manufacturers);
        b.collections.addAll(collections);
        b.categories.addAll(categories);
        b.tagsAll.addAll(tagsAll);
        b.tagsAny.addAll(tagsAny);
        b.favoritesOnly = favoritesOnly;
        b.gmFamilies.addAll(gmFamilies);
        b.percussive = percussive;
        b.durationMin = durationMin;
        b.durationMax = durationMax;
        b.noteCountMin = noteCountMin;
        b.noteCountMax = noteCountMax;
        b.smfFormat = smfFormat;
        b.multiTrack = multiTrack;
        b.sort = sort;
        b.direction = direction;
        b.pageSize = pageSize;
        b.cursor = cursor;
        b.facets = facets;
        return b;
    }

    private static void checkBpm(@Nullable Float bpm, String name) {
        if (bpm != null && !(bpm > 0 && bpm < 1000)) {
            throw new IllegalArgumentException(name + " must be > 0 and < 1000: " + bpm);
        }
    }

    private static <T> List<T> list(List<T> values, String name) {
        requireNonNull(values, name);
        if (values.size() > MAX_LIST) {
            throw new IllegalArgumentException(name + " takes at most " + MAX_LIST + " values: " + values.size());
        }
        int index = 0;
        for (T v : values) {
            if (v == null) {
                throw new IllegalArgumentException(name + " must not contain null");
            }
            // PostgreSQL's text cannot hold a NUL: the search would fail in the database instead
            if (v instanceof String s && s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(name + " must not contain NUL (U+0000), found in value " + index
                        + " at position " + s.indexOf('\0'));
            }
            index++;
        }
        return List.copyOf(values);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Fluent, fail-fast builder; {@link #build()} validates the whole query. */
    public static final class Builder {
        private @Nullable String text;
        private @Nullable Float bpmMin;
        private @Nullable Float bpmMax;
        private boolean bpmHalfDouble;
        private final List<MusicalKey> keys = new ArrayList<>();
        private boolean compatibleKeys;
        private @Nullable TimeSignature timeSignature;
        private final List<String> manufacturers = new ArrayList<>();
        private final List<String> collections = new ArrayList<>();
        private final List<Category> categories = new ArrayList<>();
        private final List<String> tagsAll = new ArrayList<>();
        private final List<String> tagsAny = new ArrayList<>();
        private boolean favoritesOnly;
        private final List<GmFamily> gmFamilies = new ArrayList<>();
        private @Nullable Boolean percussive;
        private @Nullable Double durationMin;
        private @Nullable Double durationMax;
        private @Nullable Integer noteCountMin;
        private @Nullable Integer noteCountMax;
        private @Nullable Integer smfFormat;
        private @Nullable Boolean multiTrack;
        private @Nullable Sort sort;
        private @Nullable Direction direction;
        private int pageSize = 50;
        private @Nullable String cursor;
        private boolean facets;

        private Builder() {}

        public Builder text(@Nullable String value) {
            text = value;
            return this;
        }

        /** Inclusive BPM range; either bound may be null (open). */
        public Builder bpm(@Nullable Number min, @Nullable Number max) {
            bpmMin = min == null ? null : min.floatValue();
            bpmMax = max == null ? null : max.floatValue();
            return this;
        }

        public Builder bpmHalfDouble(boolean value) {
            bpmHalfDouble = value;
            return this;
        }

        public Builder key(MusicalKey value) {
            keys.add(requireNonNull(value, "key"));
            return this;
        }

        public Builder keys(Collection<MusicalKey> values) {
            keys.addAll(requireNonNull(values, "keys"));
            return this;
        }

        public Builder compatibleKeys(boolean value) {
            compatibleKeys = value;
            return this;
        }

        public Builder timeSignature(@Nullable TimeSignature value) {
            timeSignature = value;
            return this;
        }

        public Builder manufacturer(String value) {
            manufacturers.add(requireNonNull(value, "manufacturer"));
            return this;
        }

        public Builder manufacturers(Collection<String> values) {
            manufacturers.addAll(requireNonNull(values, "manufacturers"));
            return this;
        }

        public Builder collection(String value) {
            collections.add(requireNonNull(value, "collection"));
            return this;
        }

        public Builder collections(Collection<String> values) {
            collections.addAll(requireNonNull(values, "collections"));
            return this;
        }

        public Builder category(Category value) {
            categories.add(requireNonNull(value, "category"));
            return this;
        }

        public Builder categories(Collection<Category> values) {
            categories.addAll(requireNonNull(values, "categories"));
            return this;
        }

        /** Files must carry every one of these tags (case-insensitive names). */
        public Builder tagsAll(Collection<String> values) {
            tagsAll.addAll(requireNonNull(values, "tagsAll"));
            return this;
        }

        /** Files must carry at least one of these tags (case-insensitive names). */
        public Builder tagsAny(Collection<String> values) {
            tagsAny.addAll(requireNonNull(values, "tagsAny"));
            return this;
        }

        public Builder favoritesOnly(boolean value) {
            favoritesOnly = value;
            return this;
        }

        public Builder gmFamily(GmFamily value) {
            gmFamilies.add(requireNonNull(value, "gmFamily"));
            return this;
        }

        public Builder percussive(@Nullable Boolean value) {
            percussive = value;
            return this;
        }

        public Builder duration(@Nullable Double minSeconds, @Nullable Double maxSeconds) {
            durationMin = minSeconds;
            durationMax = maxSeconds;
            return this;
        }

        public Builder noteCount(@Nullable Integer min, @Nullable Integer max) {
            noteCountMin = min;
            noteCountMax = max;
            return this;
        }

        public Builder smfFormat(@Nullable Integer value) {
            smfFormat = value;
            return this;
        }

        public Builder multiTrack(@Nullable Boolean value) {
            multiTrack = value;
            return this;
        }

        /** Default: RELEVANCE with text, else NEWEST. */
        public Builder sort(Sort value) {
            sort = requireNonNull(value, "sort");
            return this;
        }

        /** Default: DESC for NEWEST (newest first), ASC for BPM, NAME, DURATION; RELEVANCE ignores it. */
        public Builder direction(Direction value) {
            direction = requireNonNull(value, "direction");
            return this;
        }

        public Builder pageSize(int value) {
            if (value < 1 || value > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("pageSize must be 1-" + MAX_PAGE_SIZE + ": " + value);
            }
            pageSize = value;
            return this;
        }

        public Builder cursor(@Nullable String value) {
            cursor = value;
            return this;
        }

        public Builder facets(boolean value) {
            facets = value;
            return this;
        }

        public SearchQuery build() {
            boolean hasText = text != null && !text.isBlank();
            Sort s = sort != null ? sort : hasText ? Sort.RELEVANCE : Sort.NEWEST;
            Direction d = direction != null ? direction
                    : s == Sort.NEWEST || s == Sort.RELEVANCE ? Direction.DESC : Direction.ASC;
            if (s == Sort.RELEVANCE) {
                d = Direction.DESC;
            }
            return new SearchQuery(text, bpmMin, bpmMax, bpmHalfDouble, keys, compatibleKeys, timeSignature,
                    manufacturers, collections, categories, tagsAll, tagsAny, favoritesOnly, gmFamilies,
                    percussive, durationMin, durationMax, noteCountMin, noteCountMax, smfFormat, multiTrack,
                    s, d, pageSize, cursor, facets);
        }
    }
}
