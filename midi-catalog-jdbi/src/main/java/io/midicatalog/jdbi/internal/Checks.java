package io.midicatalog.jdbi.internal;

import io.midicatalog.api.CatalogException;
import io.midicatalog.api.TagRepository;
import io.midicatalog.api.TrackRepository;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks shared by the repositories and their cache decorators, so both reject the same
 * input with the same message, and the wrapping of database failures. Not API.
 */
public final class Checks {
    private Checks() {}

    public static long id(long id) {
        if (id < 1) {
            throw new IllegalArgumentException("file id must be positive: " + id);
        }
        return id;
    }

    /** Validated ids, duplicates kept (callers that care dedupe). */
    public static long[] ids(long @Nullable [] ids) {
        if (ids == null) {
            throw new IllegalArgumentException("ids must not be null");
        }
        size(ids.length);
        for (long id : ids) {
            id(id);
        }
        return ids.clone();
    }

    public static long[] ids(@Nullable Collection<Long> ids) {
        if (ids == null) {
            throw new IllegalArgumentException("ids must not be null");
        }
        size(ids.size());
        long[] result = new long[ids.size()];
        int i = 0;
        for (Long id : ids) {
            if (id == null) {
                throw new IllegalArgumentException("ids must not contain null (at index " + i + ")");
            }
            result[i++] = id(id);
        }
        return result;
    }

    private static void size(int size) {
        if (size == 0) {
            throw new IllegalArgumentException("ids must not be empty");
        }
        if (size > TrackRepository.MAX_IDS) {
            throw new IllegalArgumentException("at most " + TrackRepository.MAX_IDS + " ids per call: " + size);
        }
    }

    /**
     * A trimmed tag name, 1 to 100 characters. Characters are code points, as PostgreSQL's
     * {@code length()} in the tags CHECK counts them: an emoji is one, not the two chars of its
     * surrogate pair.
     */
    public static String tag(@Nullable String tag) {
        if (tag == null) {
            throw new IllegalArgumentException("tag must not be null");
        }
        storable(tag, "tag");
        String trimmed = tag.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("tag must not be blank: '" + tag + "'");
        }
        int characters = trimmed.codePointCount(0, trimmed.length());
        if (characters > TagRepository.MAX_TAG_LENGTH) {
            throw new IllegalArgumentException("tag must be at most " + TagRepository.MAX_TAG_LENGTH
                    + " characters: " + characters);
        }
        return trimmed;
    }

    /** Trimmed tag names, each once (case-insensitive; the first spelling wins). */
    public static List<String> tags(@Nullable Collection<String> tags) {
        if (tags == null) {
            throw new IllegalArgumentException("tags must not be null");
        }
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("tags must not be empty");
        }
        if (tags.size() > TrackRepository.MAX_IDS) {
            throw new IllegalArgumentException("at most " + TrackRepository.MAX_IDS + " tags per call: " + tags.size());
        }
        Map<String, String> byLower = new LinkedHashMap<>();
        for (String tag : tags) {
            String t = tag(tag);
            byLower.putIfAbsent(t.toLowerCase(Locale.ROOT), t);
        }
        return new ArrayList<>(byLower.values());
    }

    public static int limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new IllegalArgumentException("limit must be 1-" + max + ": " + limit);
        }
        return limit;
    }

    /** A text that is not blank, stripped (what is searched for). */
    public static String text(@Nullable String text, String name) {
        return exact(text, name).strip();
    }

    /**
     * A text that is not blank, as given: a name compared exactly, such as a manufacturer, which is
     * a folder name and may begin or end in a space.
     */
    public static String exact(@Nullable String text, String name) {
        if (text == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        storable(text, name);
        if (text.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank: '" + text + "'");
        }
        return text;
    }

    /**
     * Rejects a NUL, which PostgreSQL's text cannot hold (the database would fail on it instead),
     * and a lone surrogate, which the driver's UTF-8 encoder turns into '?' (a tag "a\uD800b" was
     * stored as "a?b").
     */
    private static void storable(String value, String name) {
        int at = value.indexOf('\0');
        if (at >= 0) {
            throw new IllegalArgumentException(name + " must not contain NUL (U+0000), found at position " + at);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " must be valid UTF-16: a lone surrogate at position " + i);
            }
        }
    }

    /** PostgreSQL's earliest timestamp, 4714-11-24 00:00 UTC BC, in microseconds since 1970. */
    private static final long EARLIEST_TIMESTAMP_MICROS = -210_866_803_200_000_000L;

    /**
     * A time in microseconds since 1970 (as cursors carry it) as a value PostgreSQL's timestamptz
     * holds exactly. Its latest timestamp (294276 AD) lies beyond every long of microseconds, so
     * only the earliest bounds it.
     *
     * @throws IllegalArgumentException before 4714-11-24 BC, where PostgreSQL's timestamps begin
     */
    public static OffsetDateTime timestamp(long micros, String what) {
        if (micros < EARLIEST_TIMESTAMP_MICROS) {
            throw new IllegalArgumentException(what + " is before PostgreSQL's earliest timestamp (4714 BC): " + micros);
        }
        return OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /** Runs a database call, wrapping JDBI's exceptions into a CatalogException that says what failed. */
    public static <T> T db(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (JdbiException e) {
            throw new CatalogException("could not " + what + ": " + e.getMessage(), e);
        }
    }
}
