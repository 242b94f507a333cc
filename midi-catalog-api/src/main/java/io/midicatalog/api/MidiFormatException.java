package io.midicatalog.api;

/**
 * The bytes given are not a MIDI file the reader can make sense of. The message says what is wrong
 * and {@link #offset()} at which byte of the input (after any RIFF wrapper was removed, the offset
 * still counts from the start of the original input).
 */
public final class MidiFormatException extends CatalogException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public MidiFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset in the input where the problem was found; -1 when the problem has no place. */
    public long offset() {
        return offset;
    }
}
