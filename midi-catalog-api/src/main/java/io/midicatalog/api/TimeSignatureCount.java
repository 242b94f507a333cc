package io.midicatalog.api;

import java.util.Objects;

/** A time signature and its number of files. */
public record TimeSignatureCount(TimeSignature timeSignature, long files) {
    public TimeSignatureCount {
        Objects.requireNonNull(timeSignature, "timeSignature");
        if (files < 0) {
            throw new IllegalArgumentException("files must be >= 0: " + files);
        }
    }
}
