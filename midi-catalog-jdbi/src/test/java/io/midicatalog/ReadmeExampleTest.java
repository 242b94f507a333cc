package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.api.FileDetails;
import io.midicatalog.api.ImportResult;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchHit;
import io.midicatalog.api.SearchPage;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.TrackBatch;
import io.midicatalog.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, line for line, so the README stays true. */
class ReadmeExampleTest {

    @Test
    void readmeExample_importsSearchesLoadsAndTags(@TempDir Path samples) throws Exception {
        writeBassLine(samples.resolve("Acme/Deep Grooves/Bass/Deep_Bass_124_Am.mid"));
        DataSource dataSource = TestDatabases.fresh(ReadmeExampleTest.class);

        try (MidiCatalog catalog = new MidiCatalog(dataSource)) {
            catalog.migrate();
            ImportResult imported = catalog.importer().importDirectory(samples);
            SearchPage page = catalog.search().search(SearchQuery.builder()
                    .text("deep bass").bpm(120, 130).key(MusicalKey.A_MINOR).pageSize(50).build());
            TrackBatch tracks = catalog.tracks().load(page.rows().stream().mapToLong(SearchHit::id).toArray());
            long first = page.rows().get(0).id();
            FileDetails details = catalog.details().get(first).orElseThrow();
            catalog.tags().add(first, "favourite groove");

            assertThat(imported.counts().imported()).isEqualTo(1);
            assertThat(tracks.entries()).hasSize(1);
            assertThat(details.track().filename()).isEqualTo("Deep_Bass_124_Am.mid");
            assertThat(catalog.details().get(first).orElseThrow().tags()).containsExactly("favourite groove");
        }
    }

    /** An A minor bass line at 124 BPM, written with javax.sound.midi. */
    private static void writeBassLine(Path file) throws Exception {
        Sequence sequence = new Sequence(Sequence.PPQ, 480);
        Track track = sequence.createTrack();
        int mpq = 60_000_000 / 124;
        track.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (mpq >> 16), (byte) (mpq >> 8), (byte) mpq}, 3), 0));
        track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 0, 33, 0), 0));
        int[] line = {45, 48, 52, 45, 43, 47, 50, 45, 41, 45, 48, 40, 45, 52, 48, 45};
        long tick = 0;
        for (int pitch : line) {
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, pitch, 100), tick));
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, pitch, 0), tick + 400));
            tick += 480;
        }
        Files.createDirectories(file.getParent());
        try {
            MidiSystem.write(sequence, 0, file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
