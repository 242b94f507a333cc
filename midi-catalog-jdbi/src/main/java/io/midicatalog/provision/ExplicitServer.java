package io.midicatalog.provision;

import org.jspecify.annotations.Nullable;

/** A server named by a JDBC URL; closing it closes nothing (we did not start it). */
final class ExplicitServer extends JdbcServer {
    private ExplicitServer(String url, String user, String password) {
        super(Kind.EXPLICIT, url, user, password);
    }

    static ExplicitServer connect(String url, @Nullable String user, @Nullable String password) {
        JdbcUrls.Parsed parsed = JdbcUrls.parse(url);
        String u = user != null ? user : parsed.param("user").orElse(System.getProperty("user.name"));
        String p = password != null ? password : parsed.param("password").orElse("");
        ExplicitServer server = new ExplicitServer(parsed.withoutCredentials(), u, p);
        server.version(); // fail now, with the host named, if it does not answer
        return server;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
