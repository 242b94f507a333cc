package io.midicatalog.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar midi-catalog-bench/target/midi-catalog.jar COMMAND ...}: the command line of
 * midi-catalog. Every command that touches a database takes {@code --database-url}; without it
 * an embedded PostgreSQL keeps its data in {@code ~/.midi-catalog} (see {@link DatabaseOptions}).
 */
@Command(name = "midi-catalog", mixinStandardHelpOptions = true, versionProvider = MidiCatalogCli.Version.class,
        description = "Catalog, search and profile large MIDI libraries in PostgreSQL.",
        subcommands = {
            CommandLine.HelpCommand.class,
            // analyze (issue 3)
            AnalyzeCommand.class,

            // generate, import (issue 4)
            GenerateCommand.class,
            ImportCommand.class,

            // search (issue 5)
            SearchCommand.class,

            // show, tag, untag, favorite, unfavorite (issue 6)
            ShowCommand.class,
            TagCommands.Tag.class,
            TagCommands.Untag.class,
            FavoriteCommands.Favorite.class,
            FavoriteCommands.Unfavorite.class,

            // profile (issue 7)
            ProfileCommand.class,

            // bench-compare (issue 8)
            io.midicatalog.bench.jmh.CompareCommand.class,
        })
public final class MidiCatalogCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit status (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with the CLI's error handling, for callers that set their own out and err. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MidiCatalogCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + exception.getMessage());
            if (System.getenv("MIDI_CATALOG_DEBUG") != null) {
                exception.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MidiCatalogCli.class.getPackage().getImplementationVersion();
            return new String[] {"midi-catalog " + (v == null ? "development build" : v)};
        }
    }
}
