package io.midicatalog.bench.cli;

import io.midicatalog.MidiCatalog;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tag ID TAG...} and {@code untag ID TAG...}; both print the file's tags afterwards. */
public final class TagCommands {
    private TagCommands() {}

    abstract static class TagCommand extends FileCommand {
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG", description = "Tag names (case-insensitive).")
        List<String> tags;

        private final boolean add;

        TagCommand(boolean add) {
            this.add = add;
        }

        @Override
        String apply(MidiCatalog catalog) {
            int changed = add ? catalog.tags().add(List.of(id), tags) : catalog.tags().remove(List.of(id), tags);
            return (add ? "added " : "removed ") + changed + " tag(s); file " + id + " has: "
                    + String.join(", ", catalog.tags().tagsOf(id));
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Add tags to a file.")
    public static final class Tag extends TagCommand {
        public Tag() {
            super(true);
        }
    }

    @Command(name = "untag", mixinStandardHelpOptions = true, description = "Remove tags from a file.")
    public static final class Untag extends TagCommand {
        public Untag() {
            super(false);
        }
    }
}
