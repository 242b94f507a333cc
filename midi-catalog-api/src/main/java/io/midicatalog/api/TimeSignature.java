package io.midicatalog.api;

/** A meter such as 4/4 or 6/8. The denominator is a power of two, 1 to 64. */
public record TimeSignature(int numerator, int denominator) {
    public static final TimeSignature COMMON = new TimeSignature(4, 4);

    public TimeSignature {
        if (numerator < 1 || numerator > 255) {
            throw new IllegalArgumentException("numerator must be 1-255: " + numerator);
        }
        if (denominator < 1 || denominator > 64 || Integer.bitCount(denominator) != 1) {
            throw new IllegalArgumentException("denominator must be a power of two 1-64: " + denominator);
        }
    }

    /** Parses {@code 4/4}, {@code 6-8}, {@code 7_8}. */
    public static TimeSignature parse(String text) {
        String[] parts = text.trim().split("[/\\-_]");
        if (parts.length != 2) {
            throw new IllegalArgumentException("time signature must look like 4/4: " + text);
        }
        try {
            return new TimeSignature(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("time signature must look like 4/4: " + text, e);
        }
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
