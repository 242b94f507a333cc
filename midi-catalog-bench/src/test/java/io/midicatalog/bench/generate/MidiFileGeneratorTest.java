package io.midicatalog.bench.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MidiFileGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void generate_writesEveryFileOfTheManifest() throws IOException {
        MidiFileGenerator.Result result = MidiFileGenerator.generate(dir.resolve("a"), 600, 5, 2);
        List<String[]> rows = manifest(result.manifest());
        assertThat(rows).hasSize(result.total());
        assertThat(result.distinct()).isEqualTo(600);
        assertThat(result.copies()).isBetween(50, 140);
        try (Stream<Path> files = Files.walk(dir.resolve("a"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".mid")).count()).isEqualTo(result.total());
        }
        // copies are byte-identical to their original
        for (String[] row : rows) {
            if (!row[6].isEmpty() && !row[6].startsWith("near:")) {
                assertThat(Files.readAllBytes(dir.resolve("a").resolve(row[0])))
                        .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(row[6])));
            }
        }
    }

    @Test
    void generate_sameSeed_sameBytes() throws IOException {
        MidiFileGenerator.Result one = MidiFileGenerator.generate(dir.resolve("one"), 300, 9, 2);
        MidiFileGenerator.Result two = MidiFileGenerator.generate(dir.resolve("two"), 300, 9, 1);
        assertThat(Files.readString(two.manifest())).isEqualTo(Files.readString(one.manifest()));
        for (String[] row : manifest(one.manifest())) {
            assertThat(Files.readAllBytes(dir.resolve("two").resolve(row[0])))
                    .isEqualTo(Files.readAllBytes(dir.resolve("one").resolve(row[0])));
        }
    }

    @Test
    void generate_filesSayWhatTheManifestSays() throws IOException, InvalidMidiDataException {
        MidiFileGenerator.Result result = MidiFileGenerator.generate(dir.resolve("c"), 400, 11, 2);
        int checked = 0;
        for (String[] row : manifest(result.manifest())) {
            if (row[1].equals("corrupt")) {
                continue;
            }
            Sequence sequence = MidiSystem.getSequence(dir.resolve("c").resolve(row[0]).toFile());
            assertThat(tempo(sequence)).as(row[0]).isCloseTo(Double.parseDouble(row[3]), org.assertj.core.data.Offset.offset(0.01));
            boolean drums = usesChannel10(sequence);
            assertThat(drums).as(row[0]).isEqualTo(row[1].equals("drum_loop") || row[1].equals("arrangement"));
            checked++;
        }
        assertThat(checked).isGreaterThan(400);
        Map<String, Long> kinds = manifest(result.manifest()).stream().collect(Collectors.groupingBy(r -> r[1], Collectors.counting()));
        assertThat(kinds.keySet()).contains("drum_loop", "bass_line", "chords", "melody", "arp", "arrangement");
    }

    private static double tempo(Sequence sequence) {
        for (Track track : sequence.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                MidiEvent e = track.get(i);
                if (e.getMessage() instanceof MetaMessage m && m.getType() == 0x51) {
                    byte[] d = m.getData();
                    int micros = ((d[0] & 0xFF) << 16) | ((d[1] & 0xFF) << 8) | (d[2] & 0xFF);
                    return 60_000_000.0 / micros;
                }
            }
        }
        return -1;
    }

    private static boolean usesChannel10(Sequence sequence) {
        for (Track track : sequence.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                if (track.get(i).getMessage() instanceof ShortMessage m && m.getCommand() == ShortMessage.NOTE_ON
                        && m.getChannel() == 9) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String[]> manifest(Path file) throws IOException {
        return Files.readAllLines(file).stream().skip(1).map(line -> line.split(",", -1)).toList();
    }
}
