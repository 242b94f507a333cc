package io.midicatalog.bench.cli;

import io.midicatalog.PoolProfile;
import io.midicatalog.api.TagRepository;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tag ID TAG...} and {@code untag ID TAG...}; both print the file's tags afterwards. */
public final class TagCommands {
    private TagCommands() {}

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Parameters(index = "0", paramLabel = "ID", description = "Catalog id of the file.")
        long id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG", description = "Tag names (case-insensitive).")
        List<String> tags;

        @Override
        public Integer call() {
            try (DatabaseOptions.Session session = database.open(PoolProfile.MIXED)) {
                TagRepository repository = session.catalog().tags();
                if (session.catalog().tracks().load(id).isEmpty()) {
                    spec.commandLine().getErr().println("no file with id " + id);
                    return 1;
                }
                int changed = apply(repository);
                spec.commandLine().getOut().println(verb() + " " + changed + " tag(s); file " + id + " has: "
                        + String.join(", ", repository.tagsOf(id)));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }

        abstract int apply(TagRepository repository);

        abstract String verb();
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Add tags to a file.")
    public static final class Tag extends Base {
        @Override
        int apply(TagRepository repository) {
            return repository.add(List.of(id), tags);
        }

        @Override
        String verb() {
            return "added";
        }
    }

    @Command(name = "untag", mixinStandardHelpOptions = true, description = "Remove tags from a file.")
    public static final class Untag extends Base {
        @Override
        int apply(TagRepository repository) {
            return repository.remove(List.of(id), tags);
        }

        @Override
        String verb() {
            return "removed";
        }
    }
}
