package io.midicatalog.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * CPU seconds used by a PostgreSQL server running on this Linux machine: its postmaster, the
 * children it has reaped (ended backends, autovacuum workers) and the children still running,
 * from /proc. Benchmarks report it beside wall time, which other work on a shared machine bends.
 */
final class ServerCpu {
    /** Linux's USER_HZ, the unit of /proc/PID/stat times, on every architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long postmaster;

    private ServerCpu(long postmaster) {
        this.postmaster = postmaster;
    }

    /** The server behind ds, or null when its processes are not visible here (another machine, a container). */
    static @Nullable ServerCpu of(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            String[] backend = stat(rs.getInt(1));
            if (backend == null || !backend[1].contains("postgres")) {
                return null;
            }
            long parent = Long.parseLong(backend[3]);
            String[] postmaster = stat(parent);
            return postmaster != null && postmaster[1].contains("postgres") ? new ServerCpu(parent) : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    double seconds() {
        String[] self = stat(postmaster);
        if (self == null) {
            return Double.NaN;
        }
        // utime, stime, cutime, cstime: fields 14-17
        long ticks = Long.parseLong(self[13]) + Long.parseLong(self[14]) + Long.parseLong(self[15])
                + Long.parseLong(self[16]);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] child = stat(Long.parseLong(name));
                if (child != null && Long.parseLong(child[3]) == postmaster) {
                    ticks += Long.parseLong(child[13]) + Long.parseLong(child[14]);
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** /proc/PID/stat split into fields (the command, field 2, kept whole), or null when gone. */
    private static String @Nullable [] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            String[] rest = line.substring(close + 2).split(" ");
            String[] fields = new String[rest.length + 2];
            fields[0] = line.substring(0, open).trim();
            fields[1] = line.substring(open + 1, close);
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
