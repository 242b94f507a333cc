package io.midicatalog.bench.cli;

import io.midicatalog.MidiCatalog;
import picocli.CommandLine.Command;

/** {@code favorite ID} and {@code unfavorite ID}. */
public final class FavoriteCommands {
    private FavoriteCommands() {}

    @Command(name = "favorite", mixinStandardHelpOptions = true, description = "Mark a file as a favorite.")
    public static final class Favorite extends FileCommand {
        @Override
        String apply(MidiCatalog catalog) {
            return "file " + id + (catalog.favorites().add(id) ? " is now a favorite" : " was already a favorite");
        }
    }

    @Command(name = "unfavorite", mixinStandardHelpOptions = true, description = "Remove a file from the favorites.")
    public static final class Unfavorite extends FileCommand {
        @Override
        String apply(MidiCatalog catalog) {
            return "file " + id + (catalog.favorites().remove(id) ? " is no longer a favorite" : " was not a favorite");
        }
    }
}
