package io.midicatalog.internal;

import io.midicatalog.api.CatalogException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the migrations of {@code schema/} (shipped in the jar) with Flyway. Not API. */
public final class SchemaMigrator {
    /** Flyway's history table; named so it does not collide with an application's own Flyway. */
    public static final String HISTORY_TABLE = "midi_catalog_schema_history";
    static final String LOCATION = "classpath:io/midicatalog/schema";

    private SchemaMigrator() {}

    public static int migrate(DataSource dataSource) {
        requireReachable(dataSource);
        Flyway flyway = flyway(dataSource);
        try {
            refuseNewerSchema(flyway, dataSource);
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new CatalogException("schema migration of " + DataSources.describe(dataSource) + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Reaches the database, so that an unreachable one is named plainly, not as a Flyway error. */
    public static void requireReachable(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid(1);
        } catch (SQLException e) {
            throw DataSources.unreachable(dataSource, "migrate the schema", e);
        }
    }

    /** The latest schema version this library knows. */
    public static String libraryVersion(DataSource dataSource) {
        MigrationVersion latest = latestKnown(flyway(dataSource));
        return latest == null ? "none" : latest.getVersion();
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                // V4 ends with a SELECT whose (empty) result Flyway would log as an ASCII table
                // into the application's log at INFO
                .outputQueryResults(false)
                .load();
    }

    private static MigrationVersion latestKnown(Flyway flyway) {
        MigrationVersion latest = null;
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getVersion() != null && info.getScript() != null && info.getPhysicalLocation() != null
                    && !info.getPhysicalLocation().isEmpty()) {
                if (latest == null || info.getVersion().compareTo(latest) > 0) {
                    latest = info.getVersion();
                }
            }
        }
        return latest;
    }

    private static void refuseNewerSchema(Flyway flyway, DataSource dataSource) {
        MigrationVersion known = latestKnown(flyway);
        MigrationInfo current = flyway.info().current();
        if (current != null && current.getVersion() != null && known != null
                && current.getVersion().compareTo(known) > 0) {
            throw new CatalogException("the schema of " + DataSources.describe(dataSource) + " is version "
                    + current.getVersion() + ", newer than this midi-catalog library knows (" + known
                    + "); upgrade midi-catalog to use this database");
        }
    }
}
