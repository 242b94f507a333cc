package io.midicatalog.api;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The musical analysis of one file with the sources and confidences of its derived values. The
 * tempo, key and meter change lists are kept as the JSON the catalog stores
 * ({@code [[tick, bpm], ...]}, {@code [[tick, key_code], ...]}, {@code [[tick, num, den], ...]}).
 */
public record MusicalFacts(
        ValueSource bpmSource, @Nullable Double bpmConfidence, @Nullable Double initialBpm,
        @Nullable Double contentBpm, int tempoChangeCount, @Nullable String tempoChangesJson,
        ValueSource keySource, @Nullable Double keyConfidence, @Nullable MusicalKey detectedKey,
        @Nullable MusicalKey keySignature, @Nullable String keyChangesJson,
        ValueSource timeSignatureSource, @Nullable String timeSignatureChangesJson,
        @Nullable Integer uniquePitches, @Nullable Integer pitchMin, @Nullable Integer pitchMax,
        @Nullable Double avgVelocity, @Nullable Double noteDensity, @Nullable Integer polyphonyMax,
        @Nullable Double polyphonyAvg, boolean monophonic, boolean hasChords, boolean hasMelody,
        List<String> trackNames, @Nullable String copyright, List<String> texts, @Nullable String lyrics,
        List<String> warnings) {
    public MusicalFacts {
        Objects.requireNonNull(bpmSource, "bpmSource");
        Objects.requireNonNull(keySource, "keySource");
        Objects.requireNonNull(timeSignatureSource, "timeSignatureSource");
        trackNames = List.copyOf(Objects.requireNonNull(trackNames, "trackNames"));
        texts = List.copyOf(Objects.requireNonNull(texts, "texts"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }
}
