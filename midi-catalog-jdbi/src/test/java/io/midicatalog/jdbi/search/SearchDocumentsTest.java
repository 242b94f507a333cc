package io.midicatalog.jdbi.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.midicatalog.MidiCatalog;
import io.midicatalog.internal.SearchWords;
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
 * The search documents (schema V2, plain columns since V8): what the importer writes
 * ({@link SearchWords#tsvector}) is what {@code to_tsvector('simple', ...)} makes of the same words,
 * and rows written without documents, or whose words change, get them from the database.
 */
class SearchDocumentsTest {
    private static MidiCatalog catalog;
    private static Jdbi jdbi;

    @BeforeAll
    static void setUp() {
        catalog = TestDatabases.migratedCatalog(SearchDocumentsTest.class);
        jdbi = Jdbi.create(catalog.dataSource());
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    @Test
    void tsvector_isWhatPostgresMakesOfTheSameWords() throws Exception {
        List<String> names = new ArrayList<>(List.of(
                "Heavygrand_Sarsonmo_Drum_71_Em.mid", "kick kick kick_01 kick.mid", "007 0 00 10 BPM.mid",
                "Café del Mar - Chill (F#m).kar", "日本の音楽abc_02.mid", "naïve façade.mid", "1e5 0x1F 3.14 v2.0-beta.mid",
                "'; DROP TABLE files; --.mid", "a&b|c!d:e*f(g)h.mid", ".mid", "_.mid", "x".repeat(300) + ".mid"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append("w").append(i % 7).append(' ');
        }
        names.add(many + ".mid");
        Random r = new Random(8);
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 3 + r.nextInt(30); c++) {
                sb.appendCodePoint(switch (r.nextInt(6)) {
                    case 0, 5 -> 'a' + r.nextInt(26);
                    case 1 -> 'A' + r.nextInt(26);
                    case 2 -> '0' + r.nextInt(10);
                    case 3 -> " _-.#'".charAt(r.nextInt(6));
                    default -> r.nextInt(10) == 0 ? 0xA0 + r.nextInt(0x3000) : 'k';
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
        List<String> contexts = List.of("", "loopmasters deep house kicks kick", "trap essentials vol 2 drums");
        List<String> words = new ArrayList<>();
        List<String> context = new ArrayList<>();
        List<String> nameDocs = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String w = SearchWords.ofFileName(names.get(i));
            String c = contexts.get(i % contexts.size());
            String name = SearchWords.tsvector(w);
            String doc = SearchWords.tsvector(w, c);
            if (name == null) {
                assertThat(doc).as("document of '%s'", w).isNull();
                continue;
            }
            words.add(w);
            context.add(c);
            nameDocs.add(name);
            docs.add(doc);
        }
        // the text PostgreSQL prints of its own documents, and of ours read as tsvector, equal ours
        List<String> differing = jdbi.withHandle(h -> h.createQuery("""
                SELECT format('%s + %s: ours %s | %s, theirs %s | %s', w, c, n, d, to_tsvector('simple', w),
                              to_tsvector('simple', w || ' ' || c))
                  FROM unnest(:w, :c, :n, :d) AS t(w, c, n, d)
                 WHERE to_tsvector('simple', w)::text IS DISTINCT FROM n OR n::tsvector::text IS DISTINCT FROM n
                    OR to_tsvector('simple', w || ' ' || c)::text IS DISTINCT FROM d""")
                .bind("w", words.toArray(String[]::new)).bind("c", context.toArray(String[]::new))
                .bind("n", nameDocs.toArray(String[]::new)).bind("d", docs.toArray(String[]::new))
                .mapTo(String.class).list());
        assertThat(differing).isEmpty();
        int written = words.size();
        // most names are plain ASCII: the importer writes their documents itself
        assertThat(written).isGreaterThan(names.size() / 2);
    }

    @Test
    void insertWithoutDocuments_andUpdatesOfWords_getThemFromTheDatabase() {
        jdbi.useHandle(h -> {
            h.execute("""
                INSERT INTO files (filepath, filename, original_filename, file_size_bytes, content_hash, name_words,
                                   context_words)
                VALUES ('/a/Zebra.mid', 'Zebra.mid', 'Zebra.mid', 1, decode(repeat('ab', 32), 'hex'), 'zebra walk', 'zoo'),
                       ('/a/Given.mid', 'Given.mid', 'Given.mid', 1, decode(repeat('cd', 32), 'hex'), 'given', 'ctx')""");
            assertThat(documents("/a/Zebra.mid")).isEqualTo("'walk':2 'zebra':1|'walk':2 'zebra':1 'zoo':3");

            h.execute("UPDATE files SET context_words = 'savannah' WHERE filepath = '/a/Zebra.mid'");
            assertThat(documents("/a/Zebra.mid")).isEqualTo("'walk':2 'zebra':1|'savannah':3 'walk':2 'zebra':1");

            // documents written by hand are made to agree with the words again
            h.execute("UPDATE files SET name_tsv = 'wrong', doc_tsv = 'wrong' WHERE filepath = '/a/Given.mid'");
            assertThat(documents("/a/Given.mid")).isEqualTo("'given':1|'ctx':2 'given':1");
        });
    }

    private static String documents(String path) {
        return jdbi.withHandle(h -> h.createQuery("SELECT name_tsv::text || '|' || doc_tsv::text FROM files WHERE filepath = :p")
                .bind("p", path).mapTo(String.class).one());
    }
}
