package io.midicatalog.diagnostics.internal;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The SQL text of a DAO method's {@code @SqlQuery}: probes are built from the very annotation the
 * repository runs, so a changed query is profiled as changed. Not API.
 */
public final class DaoSql {
    private DaoSql() {}

    /**
     * @throws IllegalStateException when the DAO has no such single method with {@code @SqlQuery}
     *     (a renamed DAO method then fails the diagnostics tests, not a user's report)
     */
    public static String of(Class<?> dao, String method) {
        Method[] matches = Arrays.stream(dao.getMethods()).filter(m -> m.getName().equals(method)).toArray(Method[]::new);
        if (matches.length != 1) {
            throw new IllegalStateException(dao.getName() + " has " + matches.length + " methods named " + method);
        }
        SqlQuery query = matches[0].getAnnotation(SqlQuery.class);
        if (query == null || query.value().isBlank()) {
            throw new IllegalStateException(dao.getName() + "." + method + " has no @SqlQuery text");
        }
        return query.value();
    }
}
