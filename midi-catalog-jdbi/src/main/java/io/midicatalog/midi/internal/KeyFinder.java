package io.midicatalog.midi.internal;

import io.midicatalog.api.MusicalKey;
import org.jspecify.annotations.Nullable;

/**
 * Key detection from a duration-weighted pitch-class histogram (Krumhansl-Schmuckler family):
 * the mean Pearson correlation with four published profiles (Aarden-Essen, Temperley-Kostka-Payne,
 * Bellman-Budge, Albrecht-Shanahan; see KEY-FINDING.md) rotated to all 24 keys. Combining them
 * avoids the fifth-away errors of any single profile. A non-C-major key signature is evidence
 * for the accidentals; a C-major one is ignored because most files carry it by default.
 */
public final class KeyFinder {
    private static final double[][] MAJOR = {
        {17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998, 4.95122},
        {0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400},
        {16.80, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.80, 8.04, 0.62, 10.57},
        {0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081},
    };
    private static final double[][] MINOR = {
        {18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619, 1.75623},
        {0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330},
        {18.16, 0.69, 12.99, 13.34, 1.07, 11.15, 1.38, 21.07, 7.49, 1.53, 0.92, 10.21},
        {0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052},
    };
    private static final double[] MEAN_MAJOR = meanNormalised(MAJOR);
    private static final double[] MEAN_MINOR = meanNormalised(MINOR);
    /** Fewer pitched notes than this give {@link MusicalKey#UNKNOWN}. */
    public static final int MIN_NOTES = 8;
    /** Score bonus for the two keys a non-C-major signature names (mean correlation units). */
    private static final double SIGNATURE_BONUS = 0.15;
    /** Extra bonus for the mode the signature states (files get the mode wrong more often). */
    private static final double SIGNATURE_MODE_BONUS = 0.01;
    /** Mean-correlation margin to the runner-up that counts as full confidence. */
    private static final double FULL_CONFIDENCE_MARGIN = 0.12;

    private KeyFinder() {}

    /** The detected key and a 0..1 confidence. */
    public record Result(MusicalKey key, double confidence) {}

    /**
     * @param histogram weight per pitch class 0 (C) to 11 (B)
     * @param pitchedNotes number of pitched notes behind the histogram
     * @param signature the file's first key signature, or null
     */
    public static Result detect(double[] histogram, int pitchedNotes, @Nullable MusicalKey signature) {
        int classesUsed = 0;
        for (double w : histogram) {
            if (w > 0) {
                classesUsed++;
            }
        }
        if (pitchedNotes < MIN_NOTES || classesUsed < 3) {
            return new Result(MusicalKey.UNKNOWN, 0);
        }
        // Pearson r = sum(h' p') / (|h'| |p'|) with h', p' centred; the mean of four r's over one
        // rotation of h is one dot product with the mean of the four normalised profiles
        double mean = 0;
        for (int i = 0; i < 12; i++) {
            mean += histogram[i];
        }
        mean /= 12;
        double[] centred = new double[12];
        double norm = 0;
        for (int i = 0; i < 12; i++) {
            centred[i] = histogram[i] - mean;
            norm += centred[i] * centred[i];
        }
        double[] scores = new double[24];
        if (norm > 0) {
            norm = Math.sqrt(norm);
            for (int tonic = 0; tonic < 12; tonic++) {
                double major = 0;
                double minor = 0;
                for (int i = 0, j = tonic; i < 12; i++, j = j == 11 ? 0 : j + 1) {
                    major += centred[j] * MEAN_MAJOR[i];
                    minor += centred[j] * MEAN_MINOR[i];
                }
                scores[tonic] = major / norm;
                scores[12 + tonic] = minor / norm;
            }
        }
        if (signature != null && signature.isKnown() && signature != MusicalKey.C_MAJOR) {
            scores[signature.code()] += SIGNATURE_BONUS + SIGNATURE_MODE_BONUS;
            scores[signature.relative().code()] += SIGNATURE_BONUS;
        }
        int best = 0;
        for (int k = 1; k < 24; k++) {
            if (scores[k] > scores[best]) {
                best = k;
            }
        }
        double runnerUp = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 24; k++) {
            if (k != best && scores[k] > runnerUp) {
                runnerUp = scores[k];
            }
        }
        double margin = Math.min(1, (scores[best] - runnerUp) / FULL_CONFIDENCE_MARGIN);
        double fit = Math.max(0, Math.min(1, scores[best]));
        double confidence = Math.round(margin * Math.sqrt(fit) * 1000) / 1000.0;
        return new Result(MusicalKey.fromCode(best), confidence);
    }

    /** The mean of the profiles, each centred and scaled to unit length (see {@link #detect}). */
    private static double[] meanNormalised(double[][] profiles) {
        double[] sum = new double[12];
        for (double[] profile : profiles) {
            double mean = 0;
            for (double v : profile) {
                mean += v;
            }
            mean /= 12;
            double norm = 0;
            for (double v : profile) {
                norm += (v - mean) * (v - mean);
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < 12; i++) {
                sum[i] += (profile[i] - mean) / norm / profiles.length;
            }
        }
        return sum;
    }
}
