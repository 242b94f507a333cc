package io.midicatalog.jdbi.search;

import io.midicatalog.internal.SearchWords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Web-search text parsed into "any of these clauses, each all of its terms": words, "quoted
 * phrases", -excluded terms, and {@code or} between alternatives (so {@code a or b c} is
 * {@code a | (b & c)}, as PostgreSQL's websearch_to_tsquery reads it). Each word or phrase is
 * normalised with {@link SearchWords#ofFileName} exactly like the indexed file names, so a
 * trailing MIDI extension is dropped ({@code Deep_House.mid} finds that file; {@code mid} alone is
 * still the word "mid"), and a token that normalises to several words ({@code DeepHouse},
 * {@code deep-house}) is a phrase. Any input parses; input that
 * has no words is {@link #EMPTY}.
 *
 * <p>A term with a word no index can hold (see {@link #MAX_WORD_BYTES}) can never match: excluded,
 * it excludes nothing and is dropped; required, it makes its clause unmatchable, and the clause is
 * dropped. When every clause is dropped the query is {@link #NOTHING}, which has no clauses but is
 * not empty. Immutable.
 *
 * @param matchesNothing true only for {@link #NOTHING}
 */
public record TextQuery(List<Clause> clauses, boolean matchesNothing) {
    /** No text to search. */
    public static final TextQuery EMPTY = new TextQuery(List.of());
    /** Text that no file can match: the search has no results, and no SQL (see {@link SearchSql}). */
    public static final TextQuery NOTHING = new TextQuery(List.of(), true);
    /** Terms kept per query; the rest are ignored (keeps tsquery and plans small). */
    static final int MAX_TERMS = 32;
    /** Words kept per phrase. */
    static final int MAX_PHRASE_WORDS = 16;
    /** PostgreSQL indexes no word of 2048 bytes or more, so a longer query word can never match. */
    static final int MAX_WORD_BYTES = 2047;

    /** One word or phrase, possibly excluded. */
    public record Term(List<String> words, boolean negated) {
        public Term {
            words = List.copyOf(words);
            if (words.isEmpty()) {
                throw new IllegalArgumentException("a term needs at least one word");
            }
        }
    }

    /** Terms that must all hold. */
    public record Clause(List<Term> terms) {
        public Clause {
            terms = List.copyOf(terms);
        }
    }

    public TextQuery {
        clauses = List.copyOf(clauses);
        if (matchesNothing && !clauses.isEmpty()) {
            throw new IllegalArgumentException("a query that matches nothing has no clauses: " + clauses);
        }
    }

    public TextQuery(List<Clause> clauses) {
        this(clauses, false);
    }

    /** True when there is no text to search (every file passes); false for {@link #NOTHING}. */
    public boolean isEmpty() {
        return clauses.isEmpty() && !matchesNothing;
    }

    /** Parses any text; never throws. */
    public static TextQuery parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Clauses clauses = new Clauses();
        boolean orPending = false;
        int terms = 0;
        int i = 0;
        int n = text.length();
        while (i < n && terms < MAX_TERMS) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean negated = false;
            if (c == '-') {
                negated = true;
                i++;
                if (i >= n || Character.isWhitespace(text.charAt(i))) {
                    continue;
                }
                c = text.charAt(i);
            }
            String raw;
            boolean quoted = c == '"';
            if (quoted) {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    end = n;
                }
                raw = text.substring(i + 1, end);
                i = Math.min(n, end + 1);
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') {
                    i++;
                }
                raw = text.substring(start, i);
                if (!negated && raw.equalsIgnoreCase("or")) {
                    orPending = clauses.started();
                    continue;
                }
            }
            List<String> words = words(raw);
            if ((words != null && words.isEmpty()) || (words == null && negated)) {
                continue; // no words, or an exclusion of what no file contains
            }
            if (orPending) {
                clauses.end();
                orPending = false;
            }
            clauses.add(words == null ? null : new Term(words, negated));
            terms++;
        }
        return clauses.result();
    }

    /** Collects the clauses while parsing; a clause with a term that can never match is dropped. */
    private static final class Clauses {
        private final List<Clause> kept = new ArrayList<>();
        private List<Term> current = new ArrayList<>();
        private boolean currentUnmatchable;
        private boolean dropped;

        /** Adds a term to the current clause; null for a required term that can never match. */
        void add(@Nullable Term term) {
            if (term == null) {
                currentUnmatchable = true;
            } else {
                current.add(term);
            }
        }

        boolean started() {
            return !current.isEmpty() || currentUnmatchable;
        }

        void end() {
            if (currentUnmatchable) {
                dropped = true;
            } else if (!current.isEmpty()) {
                kept.add(new Clause(current));
            }
            current = new ArrayList<>();
            currentUnmatchable = false;
        }

        TextQuery result() {
            end();
            return !kept.isEmpty() ? new TextQuery(kept) : dropped ? NOTHING : EMPTY;
        }
    }

    /**
     * The words of a term, at most {@value #MAX_PHRASE_WORDS}; empty when it has none; null when
     * one is a word no index can hold, so the term can never match.
     */
    private static @Nullable List<String> words(String raw) {
        String normalised = SearchWords.ofFileName(raw);
        if (normalised.isEmpty()) {
            return List.of();
        }
        List<String> words = new ArrayList<>();
        for (String w : normalised.split(" ")) {
            if (w.isEmpty()) {
                continue;
            }
            if (w.getBytes(StandardCharsets.UTF_8).length > MAX_WORD_BYTES) {
                return null;
            }
            words.add(w);
            if (words.size() == MAX_PHRASE_WORDS) {
                break;
            }
        }
        return words;
    }

    /**
     * The query as tsquery text, e.g. {@code ('deep' <-> 'house') & !'loop' | 'bass'}; empty for
     * {@link #EMPTY} and {@link #NOTHING}. Every lexeme is quoted, so no input can make a tsquery syntax error.
     */
    public String toTsquery() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < clauses.size(); c++) {
            if (c > 0) {
                sb.append(" | ");
            }
            List<Term> terms = clauses.get(c).terms();
            boolean wrap = clauses.size() > 1 && terms.size() > 1;
            if (wrap) {
                sb.append('(');
            }
            for (int t = 0; t < terms.size(); t++) {
                if (t > 0) {
                    sb.append(" & ");
                }
                Term term = terms.get(t);
                if (term.negated()) {
                    sb.append('!');
                }
                if (term.words().size() > 1) {
                    sb.append('(');
                }
                for (int w = 0; w < term.words().size(); w++) {
                    if (w > 0) {
                        sb.append(" <-> ");
                    }
                    sb.append('\'').append(term.words().get(w).replace("\\", "\\\\").replace("'", "''")).append('\'');
                }
                if (term.words().size() > 1) {
                    sb.append(')');
                }
            }
            if (wrap) {
                sb.append(')');
            }
        }
        return sb.toString();
    }

    /** The word when the query is exactly one word (no phrase, no exclusion, no alternative), else null. */
    public @Nullable String singleWord() {
        if (clauses.size() != 1 || clauses.get(0).terms().size() != 1) {
            return null;
        }
        Term term = clauses.get(0).terms().get(0);
        return term.negated() || term.words().size() != 1 ? null : term.words().get(0);
    }

    /**
     * The words every match contains (those of the non-excluded terms when there is one clause;
     * with alternatives, none: each clause may match without the others' words).
     */
    public List<String> requiredWords() {
        return clauses.size() == 1 ? positiveWords(clauses.get(0)) : List.of();
    }

    /** True when some term is excluded ({@code -word}). */
    public boolean hasExclusion() {
        return clauses.stream().flatMap(c -> c.terms().stream()).anyMatch(Term::negated);
    }

    /** Every word of a non-excluded term (the words whose frequencies bound the match count). */
    public Set<String> positiveWords() {
        Set<String> words = new LinkedHashSet<>();
        for (Clause clause : clauses) {
            for (Term term : clause.terms()) {
                if (!term.negated()) {
                    words.addAll(term.words());
                }
            }
        }
        return words;
    }

    /**
     * Files expected to match if words occurred independently: per clause the files times the
     * share of each positive word, summed over clauses (at most the files). Not a bound either
     * way; a guess for plan choices where {@link #upperBound} is far too high (several words).
     */
    public double independentEstimate(Map<String, Long> filesByWord, long totalFiles) {
        if (totalFiles <= 0) {
            return 0;
        }
        double sum = 0;
        for (Clause clause : clauses) {
            double clauseFiles = totalFiles;
            for (String w : positiveWords(clause)) {
                clauseFiles *= Math.min(1.0, filesByWord.getOrDefault(w, 0L) / (double) totalFiles);
            }
            sum += clauseFiles;
        }
        return Math.min(totalFiles, sum);
    }

    /**
     * An upper bound of the files this query can match, from per-word file counts: a term matches
     * at most as many files as its rarest word, a clause as its rarest positive term, the query
     * the sum of its clauses. Excluded terms and clauses without a positive term bound nothing.
     */
    public long upperBound(Map<String, Long> filesByWord, long totalFiles) {
        long sum = 0;
        for (Clause clause : clauses) {
            long bound = totalFiles;
            for (String w : positiveWords(clause)) {
                bound = Math.min(bound, filesByWord.getOrDefault(w, 0L));
            }
            sum += bound;
            if (sum >= totalFiles) {
                return totalFiles;
            }
        }
        return sum;
    }

    /** The words of a clause's non-excluded terms. */
    private static List<String> positiveWords(Clause clause) {
        List<String> words = new ArrayList<>();
        for (Term term : clause.terms()) {
            if (!term.negated()) {
                words.addAll(term.words());
            }
        }
        return words;
    }
}
