package io.midicatalog.provision;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small parser of {@code jdbc:postgresql://host:port/database?params} URLs. */
public final class JdbcUrls {
    private static final Pattern URL = Pattern.compile(
            "jdbc:postgresql://(?<hosts>[^/?]*)(?:/(?<db>[^?]*))?(?:\\?(?<params>.*))?");

    private JdbcUrls() {}

    /** The parts of a PostgreSQL JDBC URL. */
    public record Parsed(String hosts, String database, Map<String, String> params) {
        public Parsed {
            params = Map.copyOf(params);
        }

        public Optional<String> param(String name) {
            return Optional.ofNullable(params.get(name));
        }

        /** The same URL for another database. */
        public String withDatabase(String db) {
            return build(hosts, db, params);
        }

        /** The URL without user and password (safe to print). */
        public String withoutCredentials() {
            Map<String, String> rest = new LinkedHashMap<>(params);
            rest.remove("user");
            rest.remove("password");
            return build(hosts, database, rest);
        }

        /** {@code host:port/database} for messages. */
        public String describe() {
            return (hosts.isEmpty() ? "localhost:5432" : hosts.contains(":") ? hosts : hosts + ":5432") + "/" + database;
        }
    }

    public static Parsed parse(String url) {
        Matcher m = URL.matcher(url.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db): "
                    + redact(url));
        }
        Map<String, String> params = new LinkedHashMap<>();
        String query = m.group("params");
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        String db = m.group("db");
        return new Parsed(m.group("hosts"), db == null || db.isEmpty() ? "postgres" : db, params);
    }

    /** The URL with any password parameter value replaced by {@code ***}. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String build(String hosts, String db, Map<String, String> params) {
        StringBuilder sb = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(db);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=')
                    .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }
}
