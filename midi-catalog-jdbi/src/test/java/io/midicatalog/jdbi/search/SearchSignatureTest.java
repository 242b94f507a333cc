package io.midicatalog.jdbi.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.internal.SearchWords;
import io.midicatalog.jdbi.search.SearchFixture.FileRow;
import io.midicatalog.testing.Corpus;
import io.midicatalog.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The word signatures that let date walks skip files (schema V5) must never lose a match: every
 * word PostgreSQL's parser indexes for a file, and a query may require, has its bits in the
 * file's signature; and rows whose words change without a new signature stay findable.
 */
class SearchSignatureTest {
    private static MidiCatalog catalog;
    private static Jdbi jdbi;

    @BeforeAll
    static void setUp() {
        catalog = TestDatabases.migratedCatalog(SearchSignatureTest.class);
        jdbi = Jdbi.create(catalog.dataSource());
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    @Test
    void signature_coversEveryLexemeThePostgresParserIndexes() throws Exception {
        List<String> names = new ArrayList<>(List.of(
                "Heavygrand_Sarsonmo_Drum_71_Em.mid", "Café del Mar - Chill (F#m).kar", "日本の音楽abc_02.mid",
                "Ωmega-Βass ΑΒΓ 128.mid", "naïve façade Ünïcödé.mid", "x\u0301y\u0327z.mid", "العربية bass 90.mid",
                "emoji 🎹 keys 🥁 drums.mid", "tab\tand\u00a0nbsp.mid", "ǅungla ǈj ﬁne ligature.mid",
                "'; DROP TABLE files; --.mid", "a&b|c!d:e*f(g)h.mid", "1e5 0x1F 3.14 v2.0-beta.mid"));
        Random r = new Random(5);
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 3 + r.nextInt(20); c++) {
                sb.appendCodePoint(switch (r.nextInt(5)) {
                    case 0 -> 'a' + r.nextInt(26);
                    case 1 -> 'A' + r.nextInt(26);
                    case 2 -> '0' + r.nextInt(10);
                    case 3 -> " _-.#'".charAt(r.nextInt(6));
                    default -> 0xA0 + r.nextInt(0x3000);
                });
            }
            names.add(sb + ".mid");
        }
        Path corpus = Corpus.find();
        if (corpus != null) {
            try (Stream<Path> files = Files.walk(corpus)) {
                files.filter(Files::isRegularFile).limit(3000).forEach(p -> names.add(p.getFileName().toString()));
            }
        }
        jdbi.useHandle(h -> {
            for (String name : names) {
                String words = SearchWords.ofFileName(name);
                long sig = SearchWords.signature(words);
                List<String> lexemes = h.createQuery("SELECT unnest(tsvector_to_array(to_tsvector('simple', :w)))")
                        .bind("w", words).mapTo(String.class).list();
                for (String lexeme : lexemes) {
                    long bits = SearchWords.bits(lexeme);
                    assertThat(sig & bits).as("'%s' from %s (words '%s')", lexeme, name, words).isEqualTo(bits);
                }
            }
        });
    }

    @Test
    void wordsChangedWithoutSignature_stayFindable() throws Exception {
        List<FileRow> rows = SearchFixture.generate(400, 11);
        SearchFixture.insert(catalog.dataSource(), rows);
        jdbi.useHandle(h -> h.execute("UPDATE files SET name_words = 'zebra crossing' WHERE id % 3 = 0"));
        long expected = rows.stream().filter(f -> f.id() % 3 == 0).count();
        // walk always (no collecting): the date walk's signature filter decides what is read
        var walking = new JdbiSearchRepository(Jdbi.create(catalog.dataSource())
                .installPlugin(new org.jdbi.v3.postgres.PostgresPlugin()), 1000, 0);
        SearchQuery query = SearchQuery.builder().text("zebra").pageSize(500).build();
        assertThat(walking.search(query).rows()).hasSize((int) expected);
        long reset = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM files WHERE name_sig = -1 AND doc_sig = -1")
                .mapTo(Long.class).one());
        assertThat(reset).isEqualTo(expected);
    }
}
