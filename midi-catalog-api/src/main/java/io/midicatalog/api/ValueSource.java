package io.midicatalog.api;

import java.util.Locale;

/** Where a stored value came from; stored as its lower-case name. */
public enum ValueSource {
    /** Derived from the notes and events of the file. */
    CONTENT,
    /** A meta event that states it (Set Tempo, Key Signature, Time Signature). */
    META,
    /** The file or folder name. */
    NAME,
    /** Nothing said anything: the MIDI default (120 BPM, 4/4) or unknown. */
    DEFAULT,
    /** Set by a person through the catalog; never overwritten by a re-import. */
    MANUAL;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ValueSource fromDbName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
