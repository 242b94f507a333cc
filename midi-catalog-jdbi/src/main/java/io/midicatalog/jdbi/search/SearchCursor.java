package io.midicatalog.jdbi.search;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Where a page ended: the sort segment, the last row's sort value and id, and a fingerprint of
 * the query's filters and sort (the first 8 bytes of a SHA-256 over them), so a cursor handed to
 * another query is rejected instead of silently skipping rows. Encoded as URL-safe base64.
 *
 * @param value {@link Long} (timestamps as epoch microseconds), {@link Float}, {@link Double},
 *     {@link String}, or null in a segment sorted by id only
 */
record SearchCursor(long fingerprint, int segment, @Nullable Object value, long id) {
    private static final byte VERSION = 1;
    private static final byte NONE = 0;
    private static final byte LONG = 1;
    private static final byte FLOAT = 2;
    private static final byte DOUBLE = 3;
    private static final byte TEXT = 4;

    String encode() {
        byte[] text = value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : new byte[0];
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 1 + 1 + 8 + 4 + text.length + 8);
        buf.put(VERSION).putLong(fingerprint).put((byte) segment);
        if (value == null) {
            buf.put(NONE);
        } else if (value instanceof Long l) {
            buf.put(LONG).putLong(l);
        } else if (value instanceof Float f) {
            buf.put(FLOAT).putFloat(f);
        } else if (value instanceof Double d) {
            buf.put(DOUBLE).putDouble(d);
        } else if (value instanceof String) {
            buf.put(TEXT).putInt(text.length).put(text);
        } else {
            throw new IllegalStateException("unsupported cursor value " + value.getClass());
        }
        buf.putLong(id);
        byte[] bytes = new byte[buf.position()];
        buf.flip().get(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Decodes a cursor and checks it belongs to the query with this fingerprint.
     *
     * @throws IllegalArgumentException when it is damaged or belongs to another query
     */
    static SearchCursor decode(String cursor, long expectedFingerprint) {
        SearchCursor decoded;
        try {
            ByteBuffer buf = ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor));
            if (buf.get() != VERSION) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            long fingerprint = buf.getLong();
            int segment = buf.get();
            byte type = buf.get();
            Object value = switch (type) {
                case NONE -> null;
                case LONG -> buf.getLong();
                case FLOAT -> buf.getFloat();
                case DOUBLE -> buf.getDouble();
                case TEXT -> {
                    int len = buf.getInt();
                    if (len < 0 || len > buf.remaining()) {
                        throw new IllegalArgumentException("bad text length");
                    }
                    byte[] text = new byte[len];
                    buf.get(text);
                    yield text(text);
                }
                default -> throw new IllegalArgumentException("bad value type");
            };
            long id = buf.getLong();
            if (buf.hasRemaining() || segment < 0) {
                throw new IllegalArgumentException("trailing bytes");
            }
            decoded = new SearchCursor(fingerprint, segment, value, id);
        } catch (RuntimeException | CharacterCodingException e) {
            throw new IllegalArgumentException("cursor is damaged or not one this library made: "
                    + abbreviate(cursor), e);
        }
        if (decoded.fingerprint != expectedFingerprint) {
            throw new IllegalArgumentException("cursor belongs to another query (different text, filters or sort):"
                    + " start again without a cursor");
        }
        return decoded;
    }

    /**
     * A cursor's text, decoded strictly: malformed UTF-8 or a NUL (which PostgreSQL's text cannot
     * hold) is no file name this library wrote, and would reach the database as an error.
     */
    private static String text(byte[] utf8) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in the cursor's text");
        }
        return text;
    }

    /** The fingerprint of a query's canonical description (filters and sort, not page size). */
    static long fingerprint(String canonicalQuery) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalQuery.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
