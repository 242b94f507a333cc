package io.midicatalog.jdbi.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQL text with named parameters ({@code :name}) and their values. */
record SqlStatement(String sql, Map<String, Object> bindings) {
    /** {@code :name}, not a {@code ::type} cast. */
    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");

    SqlStatement {
        bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    }

    /** The statement with JDBC {@code ?} placeholders and the values in their order. */
    Positional positional() {
        Matcher m = PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder(sql.length());
        List<Object> values = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            if (!bindings.containsKey(name)) {
                throw new IllegalStateException("no value bound for :" + name + " in " + sql);
            }
            values.add(bindings.get(name));
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return new Positional(out.toString(), values);
    }

    /** SQL with {@code ?} placeholders and their values. */
    record Positional(String sql, List<Object> values) {}
}
