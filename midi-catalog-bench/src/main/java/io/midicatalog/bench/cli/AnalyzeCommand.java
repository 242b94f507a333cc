package io.midicatalog.bench.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.midicatalog.api.MidiFormatException;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.midi.MidiAnalysis;
import io.midicatalog.midi.MidiAnalyzer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code analyze [--json] PATH...}: reads MIDI files (folders recursively: .mid .midi .kar .rmi .smf)
 * and prints what the catalog would store, one JSON object per line with {@code --json}, else a
 * table. Bad files are reported ({@code "ok":false}) and do not change the exit status; a PATH
 * that does not exist does (2), as does a file that cannot be read (1).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyse MIDI files (no database): tempo, key, notes, instruments, warnings.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON object per file (JSON Lines).")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "MIDI file or folder (searched recursively).")
    List<Path> paths;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = PathArguments.problem(paths);
        if (problem != null) {
            err.println("error: " + problem);
            return 2;
        }
        if (!json) {
            out.printf("%-48s %7s %8s %-10s %9s  %s%n", "file", "notes", "bpm", "key", "seconds", "warnings / error");
        }
        int unreadable = 0;
        for (Path path : paths) {
            for (Path file : files(path)) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    unreadable++;
                    print(out, file, null, "cannot read: " + e.getMessage());
                    continue;
                }
                try {
                    print(out, file, MidiAnalyzer.analyze(bytes), null);
                } catch (MidiFormatException e) {
                    print(out, file, null, e.getMessage());
                }
            }
        }
        out.flush();
        return unreadable == 0 ? 0 : 1;
    }

    private static List<Path> files(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).filter(MidiAnalyzer::isMidiFileName).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void print(PrintWriter out, Path file, MidiAnalysis analysis, String error) {
        if (json) {
            try {
                out.println(Json.MAPPER.writeValueAsString(analysis == null ? failure(file, error) : toJson(file, analysis)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (analysis == null) {
            out.printf("%-48s %7s %8s %-10s %9s  %s%n", shorten(file), "-", "-", "-", "-", "ERROR " + error);
        } else {
            out.printf(Locale.ROOT, "%-48s %7d %8.2f %-10s %9.1f  %s%n", shorten(file), analysis.noteCount(),
                    analysis.bpm(), analysis.detectedKey().isKnown() ? analysis.detectedKey().shortName() : "?",
                    analysis.durationSeconds(), analysis.warnings().isEmpty() ? "" : "WARN " + analysis.warnings());
        }
    }

    private static String shorten(Path file) {
        String text = file.toString();
        return text.length() <= 48 ? text : "..." + text.substring(text.length() - 45);
    }

    static ObjectNode failure(Path file, String error) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("path", file.toString());
        node.put("ok", false);
        node.put("error", error);
        return node;
    }

    /** The JSON contract of issue 3; field order is part of it. */
    static ObjectNode toJson(Path file, MidiAnalysis a) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("path", file.toString());
        node.put("ok", true);
        node.put("format", a.format());
        node.put("tracks", a.tracks());
        node.put("division", a.division());
        node.put("smpte", a.smpte());
        node.put("durationTicks", a.durationTicks());
        node.put("durationSeconds", Math.round(a.durationSeconds() * 1000) / 1000.0);
        node.put("bpm", a.bpm());
        node.put("initialBpm", a.initialBpm());
        node.put("tempoChanges", a.tempoChanges().size());
        node.put("timeSignature", a.timeSignature().toString());
        MusicalKey signature = a.keySignature();
        node.put("keySignature", signature == null ? null : signature.displayName());
        node.put("key", a.detectedKey().isKnown() ? a.detectedKey().displayName() : null);
        node.put("keyConfidence", a.keyConfidence());
        node.put("notes", a.noteCount());
        node.put("pitchMin", a.pitchMin());
        node.put("pitchMax", a.pitchMax());
        node.put("polyphonyMax", a.polyphonyMax());
        node.put("percussive", a.percussive());
        ArrayNode programs = node.putArray("programs");
        a.programs().forEach(programs::add);
        ArrayNode names = node.putArray("trackNames");
        a.trackNames().forEach(names::add);
        node.put("sha256", HexFormat.of().formatHex(a.sha256()));
        ArrayNode warnings = node.putArray("warnings");
        new ArrayList<>(a.warnings()).forEach(warnings::add);
        return node;
    }
}
