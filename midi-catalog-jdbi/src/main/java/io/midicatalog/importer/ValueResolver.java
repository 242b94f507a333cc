package io.midicatalog.importer;

import io.midicatalog.api.Category;
import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.ValueSource;
import io.midicatalog.importer.PathIntelligence.Hint;
import io.midicatalog.importer.PathIntelligence.PathFacts;
import io.midicatalog.midi.MidiAnalysis;
import org.jspecify.annotations.Nullable;

/**
 * Decides the stored BPM, key, meter and category of a file from what its content says and what
 * its path says, with the source and a confidence 0..1 for each. The rules, in short:
 * <ul>
 *   <li>BPM: a name that agrees with the file's tempo event makes it certain (meta, 1.0). A tempo
 *       event of exactly 120 (what DAWs write by default) loses to a name that says otherwise
 *       (name, 0.8 strong / 0.6 weak), and so does a file without tempo events. A name at half or
 *       double the tempo wins (producers name loops by their felt tempo). Otherwise the tempo
 *       event wins (meta, 0.6 against a strong name, 0.85 against a weak one, 0.9 alone).</li>
 *   <li>Key: a name key equal to the detected key is certain (content, >= 0.95); a name key wins
 *       over detection otherwise (name, 0.85 when they are relatives, which detection confuses,
 *       else 0.75 strong / 0.6 weak); without a name, the detected key (content, its confidence);
 *       with no detection a non-C-major key signature (meta, 0.5); else unknown.</li>
 *   <li>Meter: the first Time Signature event (meta); else a name meter ({@code 6-8}: name); else
 *       4/4 (default).</li>
 *   <li>Category: channel 10 alone means drums (content 0.95) and a name may refine it to kick,
 *       snare, hihat, cymbal or percussion (name 0.9). A name category of pitched material wins
 *       over the content guess (name 0.8; 0.95 when they agree), unless the content is drums only
 *       (then content wins: a "bass" file with only drum notes is drums). Folder names count like
 *       the name at 0.7. The losing guess is kept as the secondary category.</li>
 * </ul>
 */
final class ValueResolver {
    private static final double DEFAULT_BPM = 120.0;

    private ValueResolver() {}

    record Resolved(
            double bpm, ValueSource bpmSource, double bpmConfidence,
            MusicalKey key, ValueSource keySource, double keyConfidence,
            TimeSignature meter, ValueSource meterSource,
            Category category, ValueSource categorySource, double categoryConfidence,
            @Nullable Category secondaryCategory) {}

    static Resolved resolve(MidiAnalysis analysis, PathFacts path) {
        // BPM
        // tempo events hold whole microseconds per beat: 124 BPM is stored as 123.99999
        double content = Math.round(analysis.bpm() * 100) / 100.0;
        boolean hasTempo = analysis.bpmSource() == ValueSource.META;
        Hint<Double> nameBpm = path.bpm();
        double bpm;
        ValueSource bpmSource;
        double bpmConfidence;
        if (nameBpm == null) {
            bpm = hasTempo ? content : DEFAULT_BPM;
            bpmSource = hasTempo ? ValueSource.META : ValueSource.DEFAULT;
            bpmConfidence = hasTempo ? 0.9 : 0.3;
        } else {
            double named = nameBpm.value();
            if (hasTempo && Math.abs(named - content) < 0.5) {
                bpm = named;
                bpmSource = ValueSource.META;
                bpmConfidence = 1.0;
            } else if (!hasTempo || Math.abs(content - DEFAULT_BPM) < 0.01
                    || Math.abs(named - 2 * content) < 1 || Math.abs(2 * named - content) < 1) {
                bpm = named;
                bpmSource = ValueSource.NAME;
                bpmConfidence = nameBpm.strong() ? 0.8 : 0.6;
            } else {
                bpm = content;
                bpmSource = ValueSource.META;
                bpmConfidence = nameBpm.strong() ? 0.6 : 0.85;
            }
        }

        // key
        MusicalKey detected = analysis.detectedKey();
        Hint<MusicalKey> nameKey = path.key();
        MusicalKey key;
        ValueSource keySource;
        double keyConfidence;
        if (nameKey != null) {
            if (nameKey.value() == detected) {
                key = detected;
                keySource = ValueSource.CONTENT;
                keyConfidence = Math.max(0.95, clamp(analysis.keyConfidence()));
            } else {
                key = nameKey.value();
                keySource = ValueSource.NAME;
                keyConfidence = detected.isKnown() && detected.relative() == nameKey.value() ? 0.85
                        : nameKey.strong() ? 0.75 : 0.6;
            }
        } else if (detected.isKnown()) {
            key = detected;
            keySource = ValueSource.CONTENT;
            keyConfidence = clamp(analysis.keyConfidence());
        } else if (analysis.keySignature() != null && analysis.keySignature() != MusicalKey.C_MAJOR
                && analysis.keySignature().isKnown()) {
            key = analysis.keySignature();
            keySource = ValueSource.META;
            keyConfidence = 0.5;
        } else {
            key = MusicalKey.UNKNOWN;
            keySource = ValueSource.DEFAULT;
            keyConfidence = 0;
        }

        // meter
        TimeSignature meter;
        ValueSource meterSource;
        if (!analysis.timeSignatureChanges().isEmpty()) {
            meter = analysis.timeSignature();
            meterSource = ValueSource.META;
        } else if (path.meter() != null) {
            meter = path.meter();
            meterSource = ValueSource.NAME;
        } else {
            meter = TimeSignature.COMMON;
            meterSource = ValueSource.DEFAULT;
        }

        // category
        Category fromContent = contentCategory(analysis);
        Category named = path.nameCategory() != null ? path.nameCategory() : path.folderCategory();
        double namedConfidence = path.nameCategory() != null ? 0.8 : 0.7;
        Category category;
        ValueSource categorySource;
        double categoryConfidence;
        Category secondary = null;
        if (named == null) {
            category = fromContent;
            categorySource = fromContent == Category.UNKNOWN ? ValueSource.DEFAULT : ValueSource.CONTENT;
            categoryConfidence = fromContent == Category.DRUMS ? 0.95 : fromContent == Category.UNKNOWN ? 0 : 0.5;
        } else if (named == fromContent) {
            category = named;
            categorySource = ValueSource.CONTENT;
            categoryConfidence = 0.95;
        } else if (fromContent == Category.DRUMS) {
            if (isDrumPart(named)) {
                category = named;
                categorySource = ValueSource.NAME;
                categoryConfidence = 0.9;
                secondary = Category.DRUMS;
            } else {
                category = Category.DRUMS;
                categorySource = ValueSource.CONTENT;
                categoryConfidence = 0.9;
                secondary = named;
            }
        } else {
            category = named;
            categorySource = ValueSource.NAME;
            categoryConfidence = namedConfidence;
            secondary = fromContent == Category.UNKNOWN ? null : fromContent;
        }
        return new Resolved(bpm, bpmSource, bpmConfidence, key, keySource, keyConfidence, meter, meterSource,
                category, categorySource, categoryConfidence, secondary);
    }

    private static boolean isDrumPart(Category c) {
        return c == Category.KICK || c == Category.SNARE || c == Category.HIHAT || c == Category.CYMBAL
                || c == Category.PERCUSSION || c == Category.DRUMS;
    }

    /** What the notes alone suggest. */
    static Category contentCategory(MidiAnalysis a) {
        if (a.noteCount() == 0) {
            return Category.UNKNOWN;
        }
        int families = a.gmFamilies();
        boolean drums = (families & GmFamily.DRUMS.bit()) != 0;
        int pitched = families & ~GmFamily.DRUMS.bit();
        if (drums && pitched == 0) {
            return Category.DRUMS;
        }
        if (drums || Integer.bitCount(pitched) >= 3) {
            return Category.FULL_MIX;
        }
        if (pitched == GmFamily.BASS.bit() || (a.monophonic() && a.pitchMax() >= 0 && a.pitchMax() < 55)) {
            return Category.BASS;
        }
        if (pitched == GmFamily.SYNTH_PAD.bit()) {
            return Category.PAD;
        }
        if (pitched == GmFamily.SYNTH_LEAD.bit()) {
            return a.hasChords() ? Category.CHORDS : Category.LEAD;
        }
        if (pitched == GmFamily.STRINGS.bit() || pitched == GmFamily.ENSEMBLE.bit()) {
            return Category.STRINGS;
        }
        if (pitched == GmFamily.BRASS.bit()) {
            return Category.BRASS;
        }
        if (pitched == GmFamily.SOUND_EFFECTS.bit() || pitched == GmFamily.SYNTH_EFFECTS.bit()) {
            return Category.FX;
        }
        if (a.hasChords()) {
            return Category.CHORDS;
        }
        if (a.monophonic() && a.hasMelody()) {
            return Category.MELODY;
        }
        if (pitched == GmFamily.PIANO.bit() || pitched == GmFamily.ORGAN.bit()) {
            return Category.KEYS;
        }
        return Category.UNKNOWN;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
