package io.midicatalog.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheSpecTest {
    @Test
    void defaults_areTheGuides() {
        CacheSpec spec = CacheSpec.defaults();
        assertThat(spec.enabled()).isTrue();
        assertThat(spec.detailsMaxSize()).isEqualTo(10_000);
        assertThat(spec.detailsTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.tracksMaxSize()).isEqualTo(1_000);
        assertThat(spec.tracksTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.searchMaxSize()).isEqualTo(1_000);
        assertThat(spec.searchTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.recentTtl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(spec.listsTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(CacheSpec.disabled().enabled()).isFalse();
    }

    @Test
    void builder_badValue_failsAtOnceQuotingIt() {
        assertThatThrownBy(() -> CacheSpec.builder().detailsMaxSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("detailsMaxSize must be positive: -1");
        assertThatThrownBy(() -> CacheSpec.builder().tracksMaxSize(0)).hasMessage("tracksMaxSize must be positive: 0");
        assertThatThrownBy(() -> CacheSpec.builder().searchTtl(Duration.ZERO)).hasMessage("searchTtl must be positive: PT0S");
        assertThatThrownBy(() -> CacheSpec.builder().listsTtl(Duration.ofSeconds(-1)))
                .hasMessage("listsTtl must be positive: PT-1S");
        assertThatThrownBy(() -> CacheSpec.builder().recentTtl(null)).hasMessage("recentTtl must not be null");
    }

    @Test
    void builder_everyValueIsConfigurable() {
        CacheSpec spec = CacheSpec.builder().detailsMaxSize(5).detailsTtl(Duration.ofSeconds(5)).tracksMaxSize(6)
                .tracksTtl(Duration.ofSeconds(6)).searchMaxSize(7).searchTtl(Duration.ofSeconds(7)).recentMaxSize(8)
                .recentTtl(Duration.ofSeconds(8)).listsMaxSize(9).listsTtl(Duration.ofSeconds(9)).build();
        assertThat(spec).isEqualTo(new CacheSpec(true, 5, Duration.ofSeconds(5), 6, Duration.ofSeconds(6), 7,
                Duration.ofSeconds(7), 8, Duration.ofSeconds(8), 9, Duration.ofSeconds(9)));
    }
}
