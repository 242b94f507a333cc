package io.midicatalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
