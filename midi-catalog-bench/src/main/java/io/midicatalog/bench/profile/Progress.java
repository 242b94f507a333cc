package io.midicatalog.bench.profile;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines on stderr ({@code [profile 12.3s] step...}), so stdout stays the report. */
public final class Progress {
    private final PrintStream err;
    private final long start = System.nanoTime();

    public Progress(PrintStream err) {
        this.err = err;
    }

    public void step(String format, Object... args) {
        err.printf(Locale.ROOT, "[profile %5.1fs] %s%n", seconds(), String.format(Locale.ROOT, format, args));
        err.flush();
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
