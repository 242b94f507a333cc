package io.midicatalog.bench.cli;

import io.midicatalog.MidiCatalog;
import io.midicatalog.api.FileDetails;
import io.midicatalog.api.FileLocation;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.InstrumentEntry;
import io.midicatalog.api.MusicalFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show ID [--json]}: everything the catalog knows about one file (one details query). Exit status 1
 * when there is no such file.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one file's details: the analysis facts plus id, category, tags, favorite and locations.")
public final class ShowCommand extends FileCommand {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    String apply(MidiCatalog catalog) throws Exception {
        FileDetails details = catalog.details().get(id).orElseThrow(() -> new IllegalStateException(
                "file " + id + " vanished"));
        Map<String, @Nullable Object> view = view(details);
        if (json) {
            return Json.MAPPER.writeValueAsString(view);
        }
        List<String> lines = new ArrayList<>();
        view.forEach((name, value) -> lines.add(name + ": " + text(value)));
        return String.join(System.lineSeparator(), lines);
    }

    /**
     * The details as JSON-ready values (no java.time types: the CLI's mapper has no JSR-310 module).
     * Names of facts {@code analyze --json} also prints are the same as there.
     */
    static Map<String, @Nullable Object> view(FileDetails d) {
        Map<String, @Nullable Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("path", d.track().path());
        v.put("filename", d.track().filename());
        v.put("originalFilename", d.originalFilename());
        v.put("sizeBytes", d.sizeBytes());
        v.put("sha256", d.contentHash());
        v.put("fingerprint", d.fingerprint());
        v.put("format", d.track().format());
        v.put("tracks", d.track().tracks());
        v.put("division", d.track().division());
        v.put("smpte", d.track().smpte());
        v.put("durationSeconds", d.track().durationSeconds());
        v.put("durationTicks", d.track().durationTicks());
        v.put("bpm", d.bpm());
        v.put("key", d.key().displayName());
        v.put("timeSignature", d.timeSignature() == null ? null : d.timeSignature().toString());
        v.put("notes", d.noteCount());
        v.put("percussive", d.percussive());
        List<String> families = new ArrayList<>();
        for (GmFamily family : GmFamily.values()) {
            if ((d.gmFamilies() & family.bit()) != 0) {
                families.add(family.name());
            }
        }
        v.put("gmFamilies", families);
        MusicalFacts m = d.musical();
        if (m != null) {
            v.put("bpmSource", m.bpmSource().dbName());
            v.put("bpmConfidence", m.bpmConfidence());
            v.put("initialBpm", m.initialBpm());
            v.put("tempoChanges", m.tempoChangeCount());
            v.put("keySource", m.keySource().dbName());
            v.put("keyConfidence", m.keyConfidence());
            v.put("detectedKey", m.detectedKey() == null ? null : m.detectedKey().displayName());
            v.put("keySignature", m.keySignature() == null ? null : m.keySignature().displayName());
            v.put("timeSignatureSource", m.timeSignatureSource().dbName());
            v.put("uniquePitches", m.uniquePitches());
            v.put("pitchMin", m.pitchMin());
            v.put("pitchMax", m.pitchMax());
            v.put("avgVelocity", m.avgVelocity());
            v.put("noteDensity", m.noteDensity());
            v.put("polyphonyMax", m.polyphonyMax());
            v.put("polyphonyAvg", m.polyphonyAvg());
            v.put("monophonic", m.monophonic());
            v.put("hasChords", m.hasChords());
            v.put("hasMelody", m.hasMelody());
            v.put("trackNames", m.trackNames());
            v.put("copyright", m.copyright());
            v.put("texts", m.texts());
            v.put("lyrics", m.lyrics());
            v.put("warnings", m.warnings());
        }
        List<String> instruments = new ArrayList<>();
        for (InstrumentEntry i : d.instruments()) {
            instruments.add("ch" + (i.channel() + 1) + " program " + i.program() + " " + i.family().name()
                    + " (" + i.noteCount() + " notes)");
        }
        v.put("programs", d.instruments().stream().map(InstrumentEntry::program).distinct().sorted().toList());
        v.put("instruments", instruments);
        v.put("manufacturer", d.manufacturer());
        v.put("collection", d.collection());
        v.put("folderTags", d.folderTags());
        v.put("category", d.category().primary().label());
        v.put("secondaryCategory", d.category().secondary() == null ? null : d.category().secondary().label());
        v.put("categorySource", d.category().source().dbName());
        v.put("categoryConfidence", d.category().confidence());
        v.put("categoryManual", d.category().manual());
        v.put("tags", d.tags());
        v.put("favorite", d.favorite());
        List<Map<String, @Nullable Object>> locations = new ArrayList<>();
        for (FileLocation l : d.locations()) {
            Map<String, @Nullable Object> location = new LinkedHashMap<>();
            location.put("path", l.path());
            location.put("primary", l.primary());
            location.put("sizeBytes", l.sizeBytes());
            location.put("lastSeenAt", l.lastSeenAt().toString());
            location.put("missingSince", instant(l.missingSince()));
            locations.add(location);
        }
        v.put("locations", locations);
        v.put("importedAt", d.createdAt().toString());
        v.put("updatedAt", d.updatedAt().toString());
        v.put("analyzedAt", instant(d.analyzedAt()));
        v.put("missingSince", instant(d.missingSince()));
        return v;
    }

    private static @Nullable String instant(@Nullable Instant value) {
        return value == null ? null : value.toString();
    }

    private static String text(@Nullable Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Collection<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object item : list) {
                parts.add(item instanceof Map<?, ?> map ? map.get("path") + (Boolean.TRUE.equals(map.get("primary"))
                        ? " (primary)" : "") + (map.get("missingSince") != null ? " (missing)" : "") : String.valueOf(item));
            }
            return parts.isEmpty() ? "-" : String.join(", ", parts);
        }
        return value.toString();
    }
}
