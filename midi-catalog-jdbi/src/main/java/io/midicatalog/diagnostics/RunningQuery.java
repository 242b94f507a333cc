package io.midicatalog.diagnostics;

import java.util.Objects;

/** A statement running longer than the threshold ({@code pg_stat_activity}); query cut at 200 characters. */
public record RunningQuery(int pid, String state, long durationMillis, String query) {
    public RunningQuery {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(query, "query");
    }
}
