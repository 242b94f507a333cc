package io.midicatalog.provision;

import io.midicatalog.api.CatalogException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** What every kind of server shares: URLs, simple DataSources, database creation. */
abstract class JdbcServer implements PostgresServer {
    private final Kind kind;
    private final JdbcUrls.Parsed url;
    private final String username;
    private final String password;

    JdbcServer(Kind kind, String jdbcUrl, String username, String password) {
        this.kind = kind;
        this.url = JdbcUrls.parse(jdbcUrl);
        this.username = username;
        this.password = password;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String jdbcUrl() {
        return url.withoutCredentials();
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public DataSource dataSource() {
        return dataSource(url.database());
    }

    @Override
    public String jdbcUrl(String database) {
        return JdbcUrls.parse(url.withoutCredentials()).withDatabase(database);
    }

    @Override
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl(database));
        ds.setUser(username);
        ds.setPassword(password);
        return ds;
    }

    @Override
    public String createDatabase(String prefix) {
        String safePrefix = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = (safePrefix.length() > 40 ? safePrefix.substring(0, 40) : safePrefix)
                + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            return name;
        } catch (SQLException e) {
            throw new CatalogException("could not create database " + name + " on " + url.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String version() {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new CatalogException("PostgreSQL at " + url.describe() + " as " + username
                    + " does not answer: " + e.getMessage(), e);
        }
    }
}
