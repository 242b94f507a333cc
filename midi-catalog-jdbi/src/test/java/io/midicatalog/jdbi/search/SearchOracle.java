package io.midicatalog.jdbi.search;

import io.midicatalog.api.Category;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.SearchQuery;
import io.midicatalog.api.SearchQuery.Direction;
import io.midicatalog.api.SearchQuery.Sort;
import io.midicatalog.jdbi.search.SearchFixture.FileRow;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Brute-force search in Java over the fixture rows: what the database must return. */
final class SearchOracle {
    private SearchOracle() {}

    static List<FileRow> search(List<FileRow> rows, SearchQuery q) {
        TextQuery text = TextQuery.parse(q.text());
        List<FileRow> hits = rows.stream().filter(f -> matches(f, q, text)).toList();
        return hits.stream().sorted(order(q, text)).toList();
    }

    static boolean matches(FileRow f, SearchQuery q, TextQuery text) {
        if (!text.isEmpty() && !eval(text, docWords(f))) {
            return false;
        }
        if (q.bpmMin() != null || q.bpmMax() != null) {
            if (f.bpm() == null) {
                return false;
            }
            float min = q.bpmMin() != null ? q.bpmMin() : 0f;
            float max = q.bpmMax() != null ? q.bpmMax() : Float.MAX_VALUE;
            float b = f.bpm();
            boolean hit = b >= min && b <= max;
            if (q.bpmHalfDouble()) {
                hit |= b >= min / 2 && b <= max / 2;
                hit |= b >= min * 2 && b <= (max == Float.MAX_VALUE ? max : max * 2);
            }
            if (!hit) {
                return false;
            }
        }
        List<MusicalKey> keys = q.effectiveKeys();
        if (!keys.isEmpty() && !keys.contains(MusicalKey.fromCode(f.keyCode()))) {
            return false;
        }
        if (q.timeSignature() != null && !(f.tsNum() != null && f.tsNum() == q.timeSignature().numerator()
                && f.tsDen() != null && f.tsDen() == q.timeSignature().denominator())) {
            return false;
        }
        if (!q.manufacturers().isEmpty() && (f.manufacturer() == null || !q.manufacturers().contains(f.manufacturer()))) {
            return false;
        }
        if (!q.collections().isEmpty() && (f.collection() == null || !q.collections().contains(f.collection()))) {
            return false;
        }
        if (!q.categories().isEmpty() && !q.categories().contains(Category.fromCode(f.category()))) {
            return false;
        }
        Set<String> tags = f.tags().stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (!q.tagsAll().stream().allMatch(t -> tags.contains(t.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (!q.tagsAny().isEmpty() && q.tagsAny().stream().noneMatch(t -> tags.contains(t.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (q.favoritesOnly() && !f.favorite()) {
            return false;
        }
        if (!q.gmFamilies().isEmpty()) {
            int mask = q.gmFamilies().stream().mapToInt(GmFamily::bit).reduce(0, (a, b) -> a | b);
            if ((f.gmFamilies() & mask) == 0) {
                return false;
            }
        }
        if (q.percussive() != null && q.percussive() != f.percussive()) {
            return false;
        }
        if (q.durationMin() != null && (f.duration() == null || f.duration() < q.durationMin())) {
            return false;
        }
        if (q.durationMax() != null && (f.duration() == null || f.duration() > q.durationMax())) {
            return false;
        }
        if (q.noteCountMin() != null && f.noteCount() < q.noteCountMin()) {
            return false;
        }
        if (q.noteCountMax() != null && f.noteCount() > q.noteCountMax()) {
            return false;
        }
        if (q.smfFormat() != null && !q.smfFormat().equals(f.format())) {
            return false;
        }
        if (q.multiTrack() != null) {
            int tracks = f.numTracks() == null ? 0 : f.numTracks();
            if (q.multiTrack() != (tracks > 1)) {
                return false;
            }
        }
        return true;
    }

    static List<String> nameWords(FileRow f) {
        return split(f.nameWords());
    }

    static List<String> docWords(FileRow f) {
        return split(f.nameWords() + " " + f.contextWords());
    }

    private static List<String> split(String s) {
        return Arrays.stream(s.split(" ")).filter(w -> !w.isEmpty()).toList();
    }

    /** tsquery semantics over a word sequence: OR of clauses, AND of terms, phrases adjacent. */
    static boolean eval(TextQuery text, List<String> words) {
        for (TextQuery.Clause clause : text.clauses()) {
            boolean all = true;
            for (TextQuery.Term term : clause.terms()) {
                if (containsPhrase(words, term.words()) == term.negated()) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsPhrase(List<String> words, List<String> phrase) {
        outer:
        for (int i = 0; i + phrase.size() <= words.size(); i++) {
            for (int j = 0; j < phrase.size(); j++) {
                if (!words.get(i + j).equals(phrase.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static Comparator<FileRow> order(SearchQuery q, TextQuery text) {
        Comparator<FileRow> byId = Comparator.comparingLong(FileRow::id);
        boolean desc = q.direction() == Direction.DESC;
        Sort sort = q.sort() == Sort.RELEVANCE && text.isEmpty() ? Sort.NEWEST : q.sort();
        Comparator<FileRow> c = switch (sort) {
            case RELEVANCE -> Comparator.<FileRow>comparingInt(f -> eval(text, nameWords(f)) ? 0 : 1)
                    .thenComparing(Comparator.comparing(FileRow::createdAt).thenComparing(byId).reversed());
            case NEWEST -> dir(Comparator.comparing(FileRow::createdAt).thenComparing(byId), desc);
            case NAME -> dir(Comparator.comparing(FileRow::filename).thenComparing(byId), desc);
            case BPM -> Comparator.<FileRow>comparingInt(f -> f.bpm() == null ? 1 : 0)
                    .thenComparing(dir(Comparator.<FileRow, Float>comparing(f -> f.bpm() == null ? 0f : f.bpm()).thenComparing(byId), desc));
            case DURATION -> Comparator.<FileRow>comparingInt(f -> f.duration() == null ? 1 : 0)
                    .thenComparing(dir(Comparator.<FileRow, Double>comparing(f -> f.duration() == null ? 0.0 : f.duration()).thenComparing(byId), desc));
        };
        return c;
    }

    private static <T> Comparator<T> dir(Comparator<T> c, boolean desc) {
        return desc ? c.reversed() : c;
    }
}
