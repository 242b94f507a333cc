package io.midicatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.TagCount;
import io.midicatalog.api.TagMatch;
import io.midicatalog.api.TagRepository;
import io.midicatalog.testing.CatalogFixtures;
import io.midicatalog.testing.StatementCounter;
import io.midicatalog.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TagRepositoryTest {
    private static MidiCatalog catalog;
    private static CatalogFixtures fixtures;
    private static TagRepository tags;

    @BeforeAll
    static void setUp() {
        catalog = TestDatabases.migratedCatalog(TagRepositoryTest.class);
        fixtures = new CatalogFixtures(catalog.dataSource());
        tags = catalog.tags();
    }

    @AfterAll
    static void tearDown() {
        catalog.close();
    }

    /** A tag name no other test uses. */
    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void add_toManyFiles_addsEachPairOnceAndSkipsUnknownFiles() {
        List<Long> files = fixtures.files("add", 3);
        String dark = unique("dark");
        List<Long> withUnknown = new ArrayList<>(files);
        withUnknown.add(777_777_777L);
        assertThat(tags.add(withUnknown, List.of(dark, "  " + dark.toUpperCase() + " "))).isEqualTo(3);
        assertThat(tags.add(files.get(0), dark)).isZero();
        for (long file : files) {
            assertThat(tags.tagsOf(file)).containsExactly(dark);
        }
        assertThat(count(dark)).isEqualTo(3);
    }

    @Test
    void add_existingTagInOtherCase_usesTheStoredName() {
        long file = fixtures.file("/lib/case.mid");
        String name = unique("Warm");
        tags.add(file, name);
        long other = fixtures.file("/lib/case2.mid");
        tags.add(other, name.toLowerCase());
        assertThat(tags.tagsOf(other)).containsExactly(name);
    }

    @Test
    void remove_removesOnlyThosePairs_andCountsFollow() {
        List<Long> files = fixtures.files("remove", 4);
        String a = unique("a");
        String b = unique("b");
        tags.add(files, List.of(a, b));
        assertThat(tags.remove(files.subList(0, 2), List.of(a.toUpperCase()))).isEqualTo(2);
        assertThat(tags.remove(files.get(0), a)).isZero();
        assertThat(tags.tagsOf(files.get(0))).containsExactly(b);
        assertThat(tags.tagsOf(files.get(3))).containsExactlyInAnyOrder(a, b);
        assertThat(count(a)).isEqualTo(2);
        assertThat(count(b)).isEqualTo(4);
    }

    @Test
    void withCounts_matchesAGroupByOverFileTags_inOneStatement() {
        List<Long> files = fixtures.files("counts", 5);
        tags.add(files, List.of(unique("x")));
        tags.add(files.subList(0, 2), List.of(unique("y")));
        StatementCounter counter = StatementCounter.installOn(catalog.readJdbi());
        List<TagCount> counts = tags.withCounts();
        assertThat(counter.count()).isEqualTo(1);
        List<List<String>> truth = fixtures.rows("""
                SELECT t.name, count(ft.file_id) FROM tags t LEFT JOIN file_tags ft ON ft.tag_id = t.id
                 GROUP BY t.id, t.name ORDER BY count(ft.file_id) DESC, lower(t.name)""");
        assertThat(counts).extracting(c -> List.of(c.tag(), Long.toString(c.files()))).containsExactlyElementsOf(truth);
    }

    @Test
    void autocomplete_byPrefix_isCaseInsensitiveAndTakesWildcardsLiterally() {
        long file = fixtures.file("/lib/auto.mid");
        String stem = unique("Pre");
        tags.add(file, stem + "_one", stem + "Xone", stem + "-two");
        assertThat(tags.autocomplete(stem.toLowerCase(), 10)).extracting(TagCount::tag)
                .containsExactlyInAnyOrder(stem + "_one", stem + "Xone", stem + "-two");
        assertThat(tags.autocomplete(stem + "_", 10)).extracting(TagCount::tag).containsExactly(stem + "_one");
        assertThat(tags.autocomplete(stem, 1)).hasSize(1);
    }

    @Test
    void autocomplete_prefixEndingInASpace_findsOnlyNamesWithThatSpace() {
        long file = fixtures.file("/lib/auto-space.mid");
        String stem = unique("deep");
        tags.add(file, stem + " house", stem + "er");
        assertThat(tags.autocomplete(stem + " ", 10)).extracting(TagCount::tag).containsExactly(stem + " house");
        assertThat(tags.autocomplete(" " + stem, 10)).extracting(TagCount::tag)
                .containsExactlyInAnyOrder(stem + " house", stem + "er");
    }

    @Test
    void similar_findsMisspelledTags_mostSimilarFirst() {
        long file = fixtures.file("/lib/similar.mid");
        tags.add(file, "orchestral", "orchestra hit", "drum");
        List<TagMatch> matches = tags.similar("orkestral", 5);
        assertThat(matches).extracting(TagMatch::tag).contains("orchestral").doesNotContain("drum");
        assertThat(matches.get(0).tag()).isEqualTo("orchestral");
        assertThat(matches).isSortedAccordingTo((x, y) -> Double.compare(y.similarity(), x.similarity()));
    }

    @Test
    void rename_changesTheNameForEveryFile_andRefusesATakenName() {
        List<Long> files = fixtures.files("rename", 2);
        String old = unique("old");
        String taken = unique("taken");
        tags.add(files, List.of(old, taken));
        String renamed = unique("new");
        assertThat(tags.rename(old, renamed)).isTrue();
        assertThat(tags.tagsOf(files.get(1))).contains(renamed).doesNotContain(old);
        assertThat(tags.rename(old, "whatever")).isFalse();
        assertThat(tags.rename(renamed, renamed.toUpperCase())).isTrue();
        assertThatThrownBy(() -> tags.rename(renamed, taken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a tag named '" + taken + "' exists already");
    }

    @Test
    void merge_combinesFileSetsWithoutDuplicates_andDeletesTheSources() {
        List<Long> files = fixtures.files("merge", 5);
        String a = unique("a");
        String b = unique("b");
        String target = unique("target");
        tags.add(files.subList(0, 3), List.of(a));   // 0 1 2
        tags.add(files.subList(2, 5), List.of(b));   // 2 3 4
        tags.add(files.subList(4, 5), List.of(target));   // 4 already has the target
        assertThat(tags.merge(List.of(a, b, "no-such-tag"), target)).isEqualTo(4);
        for (long file : files) {
            assertThat(tags.tagsOf(file)).containsExactly(target);
        }
        assertThat(count(target)).isEqualTo(5);
        assertThat(tags.autocomplete(a, 5)).isEmpty();
        fixtures.execute("SELECT browse_compact_counts()");   // drops the deleted tags' delta rows
        assertThat(count(target)).isEqualTo(5);
        assertThat(fixtures.queryLong("SELECT count(*) FROM tag_file_counts c"
                + " WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.id = c.tag_id)")).isZero();
        assertThat(fixtures.queryLong("SELECT count(*) FROM file_tags ft JOIN tags t ON t.id = ft.tag_id"
                + " WHERE lower(t.name) = lower(?)", target)).isEqualTo(5);
    }

    @Test
    void merge_intoANewTag_createsIt() {
        List<Long> files = fixtures.files("merge-new", 2);
        String a = unique("a");
        String target = unique("fresh");
        tags.add(files, List.of(a));
        assertThat(tags.merge(Set.of(a), target)).isEqualTo(2);
        assertThat(tags.tagsOf(files.get(0))).containsExactly(target);
    }

    @Test
    void invalidInput_isRejectedWithClearMessages() {
        assertThatThrownBy(() -> tags.add(1, "  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag must not be blank: '  '");
        assertThatThrownBy(() -> tags.add(1, "x".repeat(101))).hasMessage("tag must be at most 100 characters: 101");
        assertThatThrownBy(() -> tags.add(List.of(1L), List.of())).hasMessage("tags must not be empty");
        assertThatThrownBy(() -> tags.add(List.of(), List.of("a"))).hasMessage("ids must not be empty");
        assertThatThrownBy(() -> tags.add(-1, "a")).hasMessage("file id must be positive: -1");
        assertThatThrownBy(() -> tags.add(1, (String[]) null)).hasMessage("tags must not be null");
        assertThatThrownBy(() -> tags.autocomplete("", 5)).hasMessage("prefix must not be blank: ''");
        assertThatThrownBy(() -> tags.autocomplete("a", 0)).hasMessage("limit must be 1-1000: 0");
        assertThatThrownBy(() -> tags.similar(null, 5)).hasMessage("text must not be null");
        assertThatThrownBy(() -> tags.rename("a", " ")).hasMessage("tag must not be blank: ' '");
    }

    @Test
    void nulInAnyTagInput_isRejectedBeforeTheDatabase() {
        String message = "must not contain NUL (U+0000), found at position 1";
        assertThatThrownBy(() -> tags.add(1, "a\u0000b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag " + message);
        assertThatThrownBy(() -> tags.add(List.of(1L), List.of("ok", "a\u0000"))).hasMessage("tag " + message);
        assertThatThrownBy(() -> tags.rename("x", "a\u0000b")).hasMessage("tag " + message);
        assertThatThrownBy(() -> tags.merge(List.of("a\u0000b"), "x")).hasMessage("tag " + message);
        assertThatThrownBy(() -> tags.autocomplete("a\u0000", 5)).hasMessage("prefix " + message);
        assertThatThrownBy(() -> tags.similar("a\u0000", 5)).hasMessage("text " + message);
    }

    @Test
    void add_tagOfSixtyEmoji_isSixtyCharacters() {
        long file = fixtures.file("/lib/emoji.mid");
        String keys = unique("\uD83C\uDFB9".repeat(60));   // 60 x U+1F3B9 (a surrogate pair each) and 9 ASCII
        assertThat(tags.add(file, keys)).isEqualTo(1);
        assertThat(tags.tagsOf(file)).containsExactly(keys);
        assertThatThrownBy(() -> tags.add(file, "\uD83C\uDFB9".repeat(101)))
                .hasMessage("tag must be at most 100 characters: 101");
    }

    @Test
    void add_whileAMergeDeletesTheTag_isNotLost() throws Exception {
        assertThat(addRacingWith(catalog -> catalog.tags().merge(List.of("groovy"), "funky"))).containsExactly("funky");
    }

    @Test
    void add_whileARenameTakesTheName_isNotLost() throws Exception {
        assertThat(addRacingWith(catalog -> catalog.tags().rename("groovy", "swung"))).containsExactly("swung");
    }

    /**
     * Tags a file "groovy" (a tag another file has) while {@code write} runs, from the moment the
     * add has seen the tag exist but not yet inserted its pairs. Returns the file's tags once both
     * are done: the add must count, before or after the write.
     */
    private static List<String> addRacingWith(Consumer<MidiCatalog> write) throws Exception {
        try (MidiCatalog own = TestDatabases.migratedCatalog(TagRepositoryTest.class)) {
            CatalogFixtures data = new CatalogFixtures(own.dataSource());
            own.tags().add(data.file("/lib/race/first.mid"), "groovy");
            long late = data.file("/lib/race/late.mid");
            assertThat(racing(own, "INSERT INTO file_tags", () -> own.tags().add(late, "groovy"), write)).isEqualTo(1);
            return own.tags().tagsOf(late);
        }
    }

    @Test
    void merge_whileARenameTakesTheSourceToTheTarget_neitherFails() throws Exception {
        try (MidiCatalog own = TestDatabases.migratedCatalog(TagRepositoryTest.class)) {
            long file = new CatalogFixtures(own.dataSource()).file("/lib/race/merge.mid");
            own.tags().add(file, "old");
            // both want "old" and the new name "fresh"
            racing(own, "FOR UPDATE", () -> own.tags().merge(List.of("old"), "fresh"),
                    catalog -> catalog.tags().rename("old", "fresh"));
            assertThat(own.tags().tagsOf(file)).containsExactly("fresh");
        }
    }

    @Test
    void merges_intoEachOtherAtOnce_bothSucceed() throws Exception {
        try (MidiCatalog own = TestDatabases.migratedCatalog(TagRepositoryTest.class)) {
            CatalogFixtures data = new CatalogFixtures(own.dataSource());
            long first = data.file("/lib/race/cycle1.mid");
            long second = data.file("/lib/race/cycle2.mid");
            own.tags().add(first, "warm");
            own.tags().add(second, "dark");
            // each locks its source, then waits for the other's: PostgreSQL aborts one, which runs again
            racing(own, "FOR KEY SHARE", () -> own.tags().merge(List.of("warm"), "dark"),
                    catalog -> catalog.tags().merge(List.of("dark"), "warm"));
            assertThat(own.tags().tagsOf(first)).hasSize(1).isEqualTo(own.tags().tagsOf(second));
            assertThat(own.tags().withCounts()).extracting(TagCount::files).containsExactly(2L);
        }
    }

    @Test
    void remove_whileAMergeCopiesTheTag_staysRemoved() throws Exception {
        try (MidiCatalog own = TestDatabases.migratedCatalog(TagRepositoryTest.class)) {
            long file = new CatalogFixtures(own.dataSource()).file("/lib/race/remove.mid");
            own.tags().add(file, "loud");
            // the merge starts once the remove has deleted the pair, before it commits
            assertThat(racing(own, "DELETE FROM file_tags", true, () -> own.tags().remove(file, "loud"),
                    catalog -> catalog.tags().merge(List.of("loud"), "punchy"))).isEqualTo(1);
            assertThat(own.tags().tagsOf(file)).isEmpty();
        }
    }

    private static <T> T racing(MidiCatalog own, String marker, Callable<T> call, Consumer<MidiCatalog> write)
            throws Exception {
        return racing(own, marker, false, call, write);
    }

    /**
     * Runs {@code call} here and {@code write} on another thread, started when {@code call} is
     * about to run (or, {@code afterIt}, has run) its first statement containing {@code marker};
     * {@code write} gets two seconds before {@code call} goes on (a write that waits for the
     * call's locks goes on when it commits). Both must succeed; returns what {@code call} returned.
     */
    private static <T> T racing(MidiCatalog own, String marker, boolean afterIt, Callable<T> call,
            Consumer<MidiCatalog> write) throws Exception {
        Thread caller = Thread.currentThread();
        ExecutorService other = Executors.newSingleThreadExecutor();
        AtomicReference<Future<?>> racing = new AtomicReference<>();
        try {
            own.jdbi().setSqlLogger(new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                    if (!afterIt) {
                        race(context);
                    }
                }

                @Override
                public void logAfterExecution(StatementContext context) {
                    if (afterIt) {
                        race(context);
                    }
                }

                private void race(StatementContext context) {
                    if (context.getRawSql().contains(marker) && racing.get() == null
                            && Thread.currentThread() == caller) {
                        racing.set(other.submit(() -> write.accept(own)));
                        try {
                            racing.get().get(2, TimeUnit.SECONDS);
                        } catch (TimeoutException e) {
                            // the write waits for the call: let the call go on
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            T result = call.call();
            assertThat(racing.get()).as("the write ran").isNotNull();
            racing.get().get(10, TimeUnit.SECONDS);
            return result;
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void loneSurrogateInATagName_isRejectedBeforeItIsStoredAsAQuestionMark() {
        long file = fixtures.file("/lib/surrogate.mid");
        assertThatThrownBy(() -> tags.add(file, "a\uD800b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag must be valid UTF-16: a lone surrogate at position 1");
        assertThat(tags.tagsOf(file)).isEmpty();
    }

    private static long count(String tag) {
        return tags.withCounts().stream().filter(c -> c.tag().equalsIgnoreCase(tag)).findFirst().orElseThrow().files();
    }
}
