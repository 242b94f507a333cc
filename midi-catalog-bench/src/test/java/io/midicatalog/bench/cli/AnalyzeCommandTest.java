package io.midicatalog.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    private static final byte[] SONG = {
        'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
        'M', 'T', 'r', 'k', 0, 0, 0, 20,
        0, (byte) 0xFF, 0x51, 3, 0x07, (byte) 0xA1, 0x20,
        0, (byte) 0x90, 60, 100, 0x60, (byte) 0x80, 60, 0,
        0, (byte) 0xFF, 0x2F, 0};

    private static String[] run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = MidiCatalogCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertThat(status).as(err.toString()).isEqualTo(expectedStatus);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void analyzeJson_folderWithGoodAndBadFiles_oneLinePerFileAndExitZero(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.mid"), SONG);
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.MIDI"), "<html>not midi</html>");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        String out = run(0, "analyze", "--json", dir.toString())[0];
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode good = Json.MAPPER.readTree(lines.get(0));
        assertThat(good.get("ok").asBoolean()).isTrue();
        assertThat(good.get("notes").asInt()).isEqualTo(1);
        assertThat(good.get("bpm").asDouble()).isEqualTo(120.0);
        assertThat(good.get("timeSignature").asText()).isEqualTo("4/4");
        assertThat(good.get("keySignature").isNull()).isTrue();
        assertThat(good.get("sha256").asText()).hasSize(64);
        assertThat(good.fieldNames()).toIterable().containsExactly("path", "ok", "format", "tracks", "division", "smpte",
                "durationTicks", "durationSeconds", "bpm", "initialBpm", "tempoChanges", "timeSignature", "keySignature",
                "key", "keyConfidence", "notes", "pitchMin", "pitchMax", "polyphonyMax", "percussive", "programs",
                "trackNames", "sha256", "warnings");
        JsonNode bad = Json.MAPPER.readTree(lines.get(1));
        assertThat(bad.get("ok").asBoolean()).isFalse();
        assertThat(bad.get("error").asText()).contains("not a MIDI file");
    }

    @Test
    void analyze_missingPath_exitsNonZero(@TempDir Path dir) {
        String err = run(2, "analyze", dir.resolve("nope.mid").toString())[1];
        assertThat(err).contains("no such file or folder");
    }

    @Test
    void analyzeAndImport_emptyPathArgument_refusedInsteadOfWalkingTheCurrentFolder(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.mid"), SONG);
        assertThat(run(2, "analyze", dir.toString(), "")[1]).contains("empty PATH argument");
        assertThat(run(2, "import", dir.toString(), "  ")[1]).contains("empty PATH argument");
    }

    @Test
    void import_missingSecondPath_refusedBeforeTheFirstIsImported(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.mid"), SONG);
        String[] result = run(2, "import", dir.toString(), dir.resolve("nope").toString(),
                "--database-url", "jdbc:postgresql://127.0.0.1:1/never");
        assertThat(result[1]).contains("no such file or folder: " + dir.resolve("nope"));
        assertThat(result[0]).isEmpty();
    }

    @Test
    void import_maxFileSizeOutOfRange_isAUsageError(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.mid"), SONG);
        String err = run(2, "import", dir.toString(), "--max-file-size", "0",
                "--database-url", "jdbc:postgresql://127.0.0.1:1/never")[1];
        assertThat(err).contains("--max-file-size must be 1-2047 MiB: 0");
    }

    @Test
    void analyze_table_printsOneRowPerFile(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.mid"), SONG);
        String out = run(0, "analyze", dir.toString())[0];
        assertThat(out.lines()).hasSize(2);
        assertThat(out).contains("a.mid");
    }
}
