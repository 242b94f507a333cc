package io.midicatalog.midi;

import io.midicatalog.api.MidiFormatException;
import io.midicatalog.midi.internal.SmfAnalyzer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a Standard MIDI File (format 0, 1, 2; RIFF RMID and MacBinary unwrapped; .kar) from bytes and computes
 * every fact of {@link MidiAnalysis} in one pass. Thread-safe and stateless.
 *
 * <p>Cost: one pass over the bytes plus a SHA-256 of them; memory is a few fixed tables plus
 * buffers of decoded events, 12 bytes each and reused per thread: at most 2^18 events a round
 * (larger files take several rounds; only a file of more than 16,384 tracks gets 16 per track),
 * and as many again to merge several tracks. Never a copy of the input or an object per event.
 */
public final class MidiAnalyzer {
    private MidiAnalyzer() {}

    /**
     * Whether a file's name says MIDI: {@code .mid}, {@code .midi}, {@code .kar} (karaoke),
     * {@code .rmi} (RIFF RMID) or {@code .smf} (as some keyboards and trackers name them), in any
     * case; not a name starting with {@code ._}, which macOS gives the AppleDouble file holding
     * another file's Finder metadata (next to every file it copies to a FAT or exFAT drive, and
     * under {@code __MACOSX/} in every zip it makes). What imports and the {@code analyze} command read.
     */
    public static boolean isMidiFileName(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String n = name.toString().toLowerCase(Locale.ROOT);
        if (n.startsWith("._")) {
            return false;
        }
        return n.endsWith(".mid") || n.endsWith(".midi") || n.endsWith(".kar") || n.endsWith(".rmi") || n.endsWith(".smf");
    }

    /**
     * Analyses one file. Damage the reader can read past (missing End of Track, a cut-off last
     * track, trailing garbage, a wrong track count, unknown chunks) comes back in
     * {@link MidiAnalysis#warnings()}.
     *
     * @throws MidiFormatException when the bytes are not a readable MIDI file; never anything else
     */
    public static MidiAnalysis analyze(byte[] bytes) {
        if (bytes == null) {
            throw new MidiFormatException("no bytes (null)", -1);
        }
        try {
            return new SmfAnalyzer(bytes).analyze();
        } catch (MidiFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug of ours, not the file's fault; the contract still promises one exception type.
            MidiFormatException wrapped = new MidiFormatException("reader failed unexpectedly: " + e, -1);
            wrapped.initCause(e);
            throw wrapped;
        }
    }
}
