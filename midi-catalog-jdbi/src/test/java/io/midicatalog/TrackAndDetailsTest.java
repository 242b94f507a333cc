package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.Category;
import io.midicatalog.api.FileDetails;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.TrackBatch;
import io.midicatalog.api.TrackEntry;
import io.midicatalog.api.ValueSource;
import io.midicatalog.testing.CatalogFixtures;
import io.midicatalog.testing.StatementCounter;
import io.midicatalog.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrackAndDetailsTest {
    private static MidiCatalog catalog;
    private static CatalogFixtures fixtures;

    @BeforeAll
    static void setUp() {
        catalog = TestDatabases.migratedCatalog(TrackAndDetailsTest.class);
        fixtures = new CatalogFixtures(catalog.dataSource());
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    @Test
    void load_existingId_returnsEntryWithHeaderFacts() {
        long id = fixtures.file("/lib/one/kick.mid");
        TrackEntry entry = catalog.tracks().load(id).orElseThrow();
        assertThat(entry).isEqualTo(new TrackEntry(id, "/lib/one/kick.mid", "kick.mid", 1, 3, 480, false, 8.5, 7680L, false));
    }

    @Test
    void load_unknownId_isEmpty() {
        assertThat(catalog.tracks().load(987_654_321L)).isEmpty();
    }

    @Test
    void loadMany_returnsAskedOrderAndNamesMissingIds() {
        List<Long> ids = new ArrayList<>(fixtures.files("order", 6));
        Collections.reverse(ids);
        List<Long> asked = new ArrayList<>(ids);
        asked.add(2, 999_999_001L);
        asked.add(999_999_002L);
        asked.add(ids.get(0));   // duplicate: answered once, at its first position
        TrackBatch batch = catalog.tracks().load(asked);
        assertThat(batch.entries()).extracting(TrackEntry::id).containsExactlyElementsOf(ids);
        assertThat(batch.missing()).containsExactly(999_999_001L, 999_999_002L);
        assertThat(batch.complete()).isFalse();
        long[] primitive = ids.stream().mapToLong(Long::longValue).toArray();
        assertThat(catalog.tracks().load(primitive).entries()).extracting(TrackEntry::id).containsExactlyElementsOf(ids);
    }

    @Test
    void loadMany_isOneRoundTrip() {
        List<Long> ids = fixtures.files("roundtrip", 10);
        StatementCounter counter = StatementCounter.installOn(catalog.readJdbi());
        assertThat(catalog.tracks().load(ids).entries()).hasSize(10);
        assertThat(counter.count()).isEqualTo(1);
    }

    @Test
    void load_invalidIds_areRejectedWithClearMessages() {
        assertThatThrownBy(() -> catalog.tracks().load(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file id must be positive: 0");
        assertThatThrownBy(() -> catalog.tracks().load(-5)).hasMessage("file id must be positive: -5");
        assertThatThrownBy(() -> catalog.tracks().load(new long[0])).hasMessage("ids must not be empty");
        assertThatThrownBy(() -> catalog.tracks().load((List<Long>) null)).hasMessage("ids must not be null");
        assertThatThrownBy(() -> catalog.tracks().load(Arrays.asList(1L, null)))
                .hasMessage("ids must not contain null (at index 1)");
        long[] tooMany = LongStream.rangeClosed(1, 10_001).toArray();
        assertThatThrownBy(() -> catalog.tracks().load(tooMany)).hasMessage("at most 10000 ids per call: 10001");
        assertThatThrownBy(() -> catalog.details().get(-1)).hasMessage("file id must be positive: -1");
    }

    @Test
    void loadMany_tenThousandIds_isAccepted() {
        long[] ids = LongStream.rangeClosed(1_000_000, 1_009_999).toArray();
        assertThat(catalog.tracks().load(ids).missing()).hasSize(10_000);
    }

    @Test
    void details_holdEverythingTheCatalogKnows_inOneStatement() {
        long id = fixtures.file("/lib/Acme/Beats/bass_loop.mid", "Acme", "Beats", 21, 7, 6, 8);
        fixtures.execute("UPDATE files SET fingerprint = 42, folder_tags = '{Acme,Beats}', gm_families = ? WHERE id = ?",
                GmFamily.BASS.bit() | GmFamily.DRUMS.bit(), id);
        fixtures.execute("""
                INSERT INTO musical_metadata (file_id, bpm_source, bpm_confidence, initial_bpm, content_bpm,
                    tempo_change_count, tempo_changes, key_source, key_confidence, detected_key_code,
                    key_signature_code, time_sig_source, unique_pitches, pitch_min, pitch_max, avg_velocity,
                    has_melody, track_names, warnings)
                VALUES (?, 'meta', 0.9, 120, 120, 1, '[[0, 120]]', 'content', 0.75, 21, 21, 'meta', 5, 36, 60,
                    100.5, true, '{Bass,Drums}', '{missing end of track}')""", id);
        fixtures.execute("INSERT INTO file_categories (file_id, secondary_category, source, confidence, manual)"
                + " VALUES (?, 1, 'name', 0.8, true)", id);
        fixtures.execute("INSERT INTO file_instruments VALUES (?, 9, 0, 16, 40), (?, 1, 33, 4, 24)", id, id);
        fixtures.execute("INSERT INTO file_locations (path, file_id, file_size_bytes) VALUES (?, ?, 1234), (?, ?, 1234)",
                "/lib/Acme/Beats/bass_loop.mid", id, "/backup/bass_loop copy.mid", id);
        catalog.tags().add(id, "groovy", "Bass");
        catalog.favorites().add(id);

        StatementCounter counter = StatementCounter.installOn(catalog.readJdbi());
        FileDetails details = catalog.details().get(id).orElseThrow();
        assertThat(counter.count()).isEqualTo(1);

        assertThat(details.id()).isEqualTo(id);
        assertThat(details.track().path()).isEqualTo("/lib/Acme/Beats/bass_loop.mid");
        assertThat(details.manufacturer()).isEqualTo("Acme");
        assertThat(details.collection()).isEqualTo("Beats");
        assertThat(details.folderTags()).containsExactly("Acme", "Beats");
        assertThat(details.fingerprint()).isEqualTo(42L);
        assertThat(details.contentHash()).hasSize(64);
        assertThat(details.bpm()).isEqualTo(120.0);
        assertThat(details.key()).isEqualTo(MusicalKey.A_MINOR);
        assertThat(details.timeSignature()).isEqualTo(new TimeSignature(6, 8));
        assertThat(details.gmFamilies()).isEqualTo(GmFamily.BASS.bit() | GmFamily.DRUMS.bit());
        assertThat(details.musical()).isNotNull();
        assertThat(details.musical().bpmSource()).isEqualTo(ValueSource.META);
        assertThat(details.musical().bpmConfidence()).isEqualTo(0.9);
        assertThat(details.musical().keyConfidence()).isEqualTo(0.75);
        assertThat(details.musical().detectedKey()).isEqualTo(MusicalKey.A_MINOR);
        assertThat(details.musical().tempoChangesJson()).isEqualTo("[[0, 120]]");
        assertThat(details.musical().trackNames()).containsExactly("Bass", "Drums");
        assertThat(details.musical().warnings()).containsExactly("missing end of track");
        assertThat(details.musical().hasMelody()).isTrue();
        assertThat(details.category().primary()).isEqualTo(Category.BASS);
        assertThat(details.category().secondary()).isEqualTo(Category.DRUMS);
        assertThat(details.category().source()).isEqualTo(ValueSource.NAME);
        assertThat(details.category().confidence()).isEqualTo(0.8);
        assertThat(details.category().manual()).isTrue();
        assertThat(details.instruments()).extracting(i -> i.channel() + ":" + i.program() + ":" + i.family())
                .containsExactly("1:33:BASS", "9:0:DRUMS");
        assertThat(details.tags()).containsExactly("Bass", "groovy");
        assertThat(details.favorite()).isTrue();
        assertThat(details.locations()).extracting(l -> l.path() + ":" + l.primary())
                .containsExactly("/backup/bass_loop copy.mid:false", "/lib/Acme/Beats/bass_loop.mid:true");
    }

    @Test
    void details_fileWithoutAnalysis_hasNoMusicalFactsAndEmptyLists() {
        long id = fixtures.file("/lib/bare.mid", null, null, 24, 0, null, null);
        FileDetails details = catalog.details().get(id).orElseThrow();
        assertThat(details.musical()).isNull();
        assertThat(details.manufacturer()).isNull();
        assertThat(details.timeSignature()).isNull();
        assertThat(details.category().primary()).isEqualTo(Category.UNKNOWN);
        assertThat(details.category().source()).isEqualTo(ValueSource.DEFAULT);
        assertThat(details.instruments()).isEmpty();
        assertThat(details.tags()).isEmpty();
        assertThat(details.locations()).isEmpty();
        assertThat(details.favorite()).isFalse();
    }

    @Test
    void details_unknownId_isEmpty() {
        assertThat(catalog.details().get(888_888_888L)).isEmpty();
    }
}
