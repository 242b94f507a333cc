package io.midicatalog.jdbi.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextQueryTest {
    /** Lexeme: one quoted word of letters/digits; operators only between lexemes. */
    private static final String TSQUERY = "^(!?\\(?'[\\p{L}\\p{N}]+'( <-> '[\\p{L}\\p{N}]+')*\\)?"
            + "|\\(|\\)| & | \\| | <-> )*$";

    @Test
    void toTsquery_webSearchSyntax() {
        String[][] cases = {
            {"deep house", "'deep' & 'house'"},
            {"\"deep house\"", "('deep' <-> 'house')"},
            {"DeepHouse", "('deep' <-> 'house')"},
            {"deep -loop", "'deep' & !'loop'"},
            {"deep or house", "'deep' | 'house'"},
            {"a or b c", "'a' | ('b' & 'c')"},
            {"Heavygrand_Drum_71.mid", "('heavygrand' <-> 'drum' <-> '71')"},
            {"DeepHouse.MIDI -loop.kar", "('deep' <-> 'house') & !'loop'"},
            {"\"dark pad.smf\"", "('dark' <-> 'pad')"},
            {"mid", "'mid'"},
            {".mid", "'mid'"},
            {"pad.mid.txt", "('pad' <-> 'mid' <-> 'txt')"},
            {"or deep", "'deep'"},
            {"deep or", "'deep'"},
            {"-or", "!'or'"},
            {"Caf\u00e9", "'cafe'"},
            {"\"unterminated phrase", "('unterminated' <-> 'phrase')"},
            {"'; DROP TABLE files; --", "'drop' & 'table' & 'files'"},
        };
        for (String[] c : cases) {
            assertThat(TextQuery.parse(c[0]).toTsquery()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "'   '", "'&|!():*'", "'-'", "'\"\"'", "'or'", "'- - -'"})
    void parse_textWithoutWords_isEmpty(String text) {
        assertThat(TextQuery.parse(text).isEmpty()).isTrue();
        assertThat(TextQuery.parse(text).toTsquery()).isEmpty();
    }

    /** {@code LONG} stands for a word of 2048 bytes, which no tsvector holds; {@code LONGEST} for one of 2047. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "LONG                 | NOTHING",
        "drum LONG            | NOTHING",
        "\"deep LONG\"        | NOTHING",
        "LONG -drum           | NOTHING",
        "LONG or LONG         | NOTHING",
        "drum or LONG         | 'drum'",
        "LONG or drum         | 'drum'",
        "LONG bass or drum    | 'drum'",
        "drum -LONG           | 'drum'",
        "-LONG                | EMPTY",
        "LONGEST drum         | 'LONGEST' & 'drum'",
    })
    void parse_requiredWordNoIndexCanHold_dropsItsClause(String text, String expected) {
        String longest = "z".repeat(TextQuery.MAX_WORD_BYTES);
        TextQuery query = TextQuery.parse(text.replace("LONGEST", longest).replace("LONG", longest + "z"));
        switch (expected) {
            case "NOTHING" -> {
                assertThat(query).isEqualTo(TextQuery.NOTHING);
                assertThat(query.isEmpty()).isFalse();
            }
            case "EMPTY" -> assertThat(query).isEqualTo(TextQuery.EMPTY);
            default -> assertThat(query.toTsquery()).isEqualTo(expected.replace("LONGEST", longest));
        }
    }

    @Property(tries = 2000)
    void parse_anyText_givesWellFormedTsqueryOrNothing(@ForAll @StringLength(max = 300) String text) {
        String tsquery = TextQuery.parse(text).toTsquery();
        assertThat(tsquery).matches(TSQUERY);
    }

    @Property(tries = 300)
    void parse_anyTextAroundOperators_neverThrows(@ForAll @StringLength(max = 40) String a,
            @ForAll @StringLength(max = 40) String b) {
        for (String op : List.of("\"", "-", " or ", "&", "|", "!", "(", ")", ":*", "\\", "'")) {
            String tsquery = TextQuery.parse(a + op + b).toTsquery();
            assertThat(tsquery).matches(TSQUERY);
        }
    }

    @Property(tries = 20)
    void parse_longText_keepsAtMostMaxTerms(@ForAll @StringLength(min = 5000, max = 10_240) String text) {
        TextQuery q = TextQuery.parse(text);
        assertThat(q.clauses().stream().mapToInt(c -> c.terms().size()).sum()).isLessThanOrEqualTo(TextQuery.MAX_TERMS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "deep house      | 100",
        "deep or house   | 1100",
        "deep -house     | 1000",
        "\"deep house\"  | 100",
        "missing         | 0",
        "-house          | 10000",
    })
    void upperBound_rarestWordPerClauseSummedOverClauses(String text, long bound) {
        Map<String, Long> counts = Map.of("deep", 1000L, "house", 100L);
        assertThat(TextQuery.parse(text).upperBound(counts, 10_000)).isEqualTo(bound);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "deep house      | 10",
        "\"deep house\"  | 10",
        "deep or house   | 1100",
        "deep -house     | 1000",
        "missing deep    | 0",
        "-house          | 10000",
    })
    void independentEstimate_productOfWordSharesPerClause(String text, double expected) {
        Map<String, Long> counts = Map.of("deep", 1000L, "house", 100L);
        assertThat(TextQuery.parse(text).independentEstimate(counts, 10_000)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }
}
