package io.midicatalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SearchWordsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Heavygrand_Sarsonmo_Drum_71_Em.mid | heavygrand sarsonmo drum 71 em",
        "house.mid                          | house",
        "DeepHouseBass_124bpm.MID           | deep house bass 124 bpm",
        "HTMLParser.midi                    | html parser",
        "Café del Mar - Chill (F#m).kar     | cafe del mar chill f m",
        "01. Intro.mid                      | 01 intro",
        "loop.v2.final.mid                  | loop v 2 final",
        "BASS.mid                           | bass",
        "no_extension                       | no extension",
    })
    void ofFileName_splitsAndLowerCases(String name, String words) {
        assertThat(SearchWords.ofFileName(name)).isEqualTo(words);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'Loopmasters'        | loopmasters",
        "'Trap Essentials Vol.2' | trap essentials vol 2",
        "''                   | ''",
        "'日本の音楽'          | 日本の音楽",
    })
    void of_text(String text, String words) {
        assertThat(SearchWords.of(text)).isEqualTo(words);
    }

    @Test
    void signature_coversEveryWordItWasBuiltFrom() {
        String words = SearchWords.of("Loopmasters Deep House Vol 2 kick 124 bpm");
        long sig = SearchWords.signature(words);
        for (String w : words.split(" ")) {
            assertThat(sig & SearchWords.bits(w)).as(w).isEqualTo(SearchWords.bits(w)).isNotZero();
        }
        assertThat(SearchWords.signature("")).isZero();
    }

    @Test
    void signature_mostlyExcludesOtherWords() {
        long sig = SearchWords.signature("deep house bass 124 bpm");
        long excluded = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "word" + Integer.toString(i, 26)
                .replaceAll("[0-9]", "x")).filter(w -> (sig & SearchWords.bits(w)) != SearchWords.bits(w)).count();
        // 5 words set at most 10 of 64 bits: a random word passes with about (10/64)^2 = 2.4 %
        assertThat(excluded).isGreaterThan(900);
    }

    @Test
    void bits_onlyForWordsTheParserCannotSplit() {
        assertThat(SearchWords.bits("house")).isNotZero();
        assertThat(SearchWords.bits("124")).isNotZero();
        assertThat(SearchWords.bits("日本の音楽")).isZero();
        assertThat(SearchWords.bits("cafe1")).isZero();
        assertThat(SearchWords.bits("")).isZero();
    }

    @Test
    void signature_coversAsciiRunsInsideOtherWords() {
        // if a locale's parser splits "日本abc" it indexes "abc" as a word: the signature must have it
        long sig = SearchWords.signature("日本abc");
        assertThat(sig & SearchWords.bits("abc")).isEqualTo(SearchWords.bits("abc"));
    }
}
