package io.midicatalog.bench.cli;

import io.midicatalog.PoolProfile;
import io.midicatalog.api.FavoriteRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code favorite ID} and {@code unfavorite ID}. */
public final class FavoriteCommands {
    private FavoriteCommands() {}

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Parameters(index = "0", paramLabel = "ID", description = "Catalog id of the file.")
        long id;

        @Override
        public Integer call() {
            try (DatabaseOptions.Session session = database.open(PoolProfile.MIXED)) {
                if (session.catalog().tracks().load(id).isEmpty()) {
                    spec.commandLine().getErr().println("no file with id " + id);
                    return 1;
                }
                boolean changed = apply(session.catalog().favorites());
                spec.commandLine().getOut().println("file " + id + (changed ? " " + done() : " was already " + state()));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }

        abstract boolean apply(FavoriteRepository favorites);

        abstract String done();

        abstract String state();
    }

    @Command(name = "favorite", mixinStandardHelpOptions = true, description = "Mark a file as a favorite.")
    public static final class Favorite extends Base {
        @Override
        boolean apply(FavoriteRepository favorites) {
            return favorites.add(id);
        }

        @Override
        String done() {
            return "is now a favorite";
        }

        @Override
        String state() {
            return "a favorite";
        }
    }

    @Command(name = "unfavorite", mixinStandardHelpOptions = true, description = "Remove a file from the favorites.")
    public static final class Unfavorite extends Base {
        @Override
        boolean apply(FavoriteRepository favorites) {
            return favorites.remove(id);
        }

        @Override
        String done() {
            return "is no longer a favorite";
        }

        @Override
        String state() {
            return "not a favorite";
        }
    }
}
