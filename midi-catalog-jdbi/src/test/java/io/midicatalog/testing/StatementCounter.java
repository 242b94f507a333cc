package io.midicatalog.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/** Counts the statements a Jdbi executes (each is one round trip to the server). */
public final class StatementCounter implements SqlLogger {
    private final AtomicInteger count = new AtomicInteger();

    public static StatementCounter installOn(Jdbi jdbi) {
        StatementCounter counter = new StatementCounter();
        jdbi.setSqlLogger(counter);
        return counter;
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        count.incrementAndGet();
    }

    @Override
    public void logException(StatementContext context, java.sql.SQLException ex) {
        count.incrementAndGet();
    }

    public int count() {
        return count.get();
    }

    public void reset() {
        count.set(0);
    }
}
