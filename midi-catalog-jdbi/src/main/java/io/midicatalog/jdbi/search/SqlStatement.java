package io.midicatalog.jdbi.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** SQL text with named parameters ({@code :name}) and their values. */
record SqlStatement(String sql, Map<String, Object> bindings) {
    SqlStatement {
        bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    }
}
