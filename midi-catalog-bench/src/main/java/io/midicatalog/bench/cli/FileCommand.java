package io.midicatalog.bench.cli;

import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command about one file by id: opens the catalog, exits 1 with a message when there is no such
 * file, else prints what {@link #apply} returns.
 */
abstract class FileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Parameters(index = "0", paramLabel = "ID", description = "Catalog id of the file.")
    long id;

    @Override
    public Integer call() throws Exception {
        String output;
        try (DatabaseOptions.Session session = database.open(PoolProfile.MIXED)) {
            if (session.catalog().tracks().load(id).isEmpty()) {
                spec.commandLine().getErr().println("no file with id " + id);
                return 1;
            }
            output = apply(session.catalog());
        }
        spec.commandLine().getOut().println(output);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Does the command's work on an existing file; returns what to print. */
    abstract String apply(MidiCatalog catalog) throws Exception;
}
