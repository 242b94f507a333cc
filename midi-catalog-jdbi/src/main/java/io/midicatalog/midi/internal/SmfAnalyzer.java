package io.midicatalog.midi.internal;

import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MidiFormatException;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.ValueSource;
import io.midicatalog.midi.MidiAnalysis;
import io.midicatalog.midi.MidiAnalysis.Instrument;
import io.midicatalog.midi.MidiAnalysis.KeySignatureChange;
import io.midicatalog.midi.MidiAnalysis.TempoChange;
import io.midicatalog.midi.MidiAnalysis.TimeSignatureChange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One analysis of one file. First the chunk structure is walked (cheap: it hops from header to
 * header). Then each track is decoded in one tight pass into a compact event buffer that keeps
 * only what the analysis needs in time order (note starts, pitched note ends, program changes,
 * the meta events of interest): controllers, pitch bend, SysEx and drum note ends are dropped
 * there, and the facts that do not depend on order (pitch histogram, velocities) are counted
 * there. Finally the buffered events are played in (tick, track) order: a single track directly,
 * several through a loser tree that merges their already sorted runs. Buffers hold a bounded
 * number of events per round, so a file of any size is read in bounded memory.
 *
 * <p>The merged order is exactly that of a reader that decodes all tracks lazily side by side:
 * problems found while decoding (a cut-off event, a missing End of Track, a fatal error) are
 * buffered as markers right after the event the lazy reader would have decoded them after, so
 * warnings come in the same order and the same fatal error wins.
 *
 * <p>Format 2 tracks are independent patterns; like javax.sound.midi they are played as if
 * simultaneous, so polyphony and duration of format 2 files are approximate.
 *
 * <p>Not thread-safe; create one per file (scratch tables are reused per thread).
 */
public final class SmfAnalyzer {
    /** Ticks beyond this are rejected: keeps every tick sum and product far from overflow. */
    static final long MAX_TICK = 1L << 40;
    /** More MTrk chunks than this are ignored (a 16-bit header count cannot ask for more). */
    static final int MAX_TRACKS = 65_535;
    /** Length of the MacBinary header of a classic Mac OS file, before its data fork. */
    private static final int MAC_BINARY_HEADER = 128;
    /** Caps on kept lists so a pathological file cannot fill the heap with records or strings. */
    static final int MAX_LIST = 10_000;
    static final int MAX_WARNINGS = 100;
    /** Text bytes decoded per file (names, texts, lyrics together); the rest is dropped with a warning. */
    static final int MAX_TEXT_BYTES = 1 << 20;
    /** Normalised resolution of the fingerprint, so the same music at another PPQ matches. */
    private static final int FINGERPRINT_PPQ = 480;
    private static final int DRUMS = 9;
    /** Tempo values tracked for "the tempo that holds longest"; later new values are not ranked. */
    private static final int MAX_DISTINCT_TEMPOS = 256;
    /** Events buffered per round over all tracks (12 bytes each); larger files take several rounds. */
    static final int ROUND_EVENTS = 1 << 18;
    /** Smallest per-track buffer, so files with very many tracks still progress a run at a time. */
    private static final int MIN_SEGMENT = 16;

    // Buffered events: an int per event next to its tick. Non-negative values are a kind in the
    // top bits over channel << 7 | pitch (or program); a meta event is stored as the bitwise NOT
    // of the offset of its type byte and re-read when played.
    private static final int NOTE_OFF = 1 << 28;
    private static final int PROGRAM = 2 << 28;
    private static final int ISSUE = 3 << 28;
    private static final int PAYLOAD = (1 << 28) - 1;

    // How decoding a track stopped (besides pausing on a full segment).
    private static final int NONE = 0;
    private static final int ENDED = 1; // End of Track, or the end of a cut-off chunk (already warned about)
    private static final int NO_END_OF_TRACK = 2;
    private static final int CUT_OFF = 3;
    private static final int AFTER_END_OF_TRACK = 4;
    private static final int DELTA_TOO_LONG = 5;
    private static final int BEYOND_MAX_TICK = 6;
    private static final int NO_RUNNING_STATUS = 7;
    private static final int DATA_EXPECTED = 8;
    private static final int LENGTH_TOO_LONG = 9;
    private static final int ILLEGAL_STATUS = 10;

    /** The fingerprint's per-note hash of (pitch << 1 | drum), looked up instead of mixed per note. */
    private static final long[] NOTE_HASH = new long[256];

    /** Pitch class of each MIDI pitch, looked up instead of a modulo per note. */
    private static final int[] PITCH_CLASS = new int[128];

    static {
        for (int pitch = 0; pitch < 128; pitch++) {
            PITCH_CLASS[pitch] = pitch % 12;
        }
        for (int value = 0; value < NOTE_HASH.length; value++) {
            NOTE_HASH[value] = finish(value + 0x9E3779B97F4A7C15L);
        }
    }

    private static final class Tables {
        final int[] notesPerKey = new int[16 * 128];
        final int[] instrumentNotes = new int[16 * 128];
        final int[] keyActive = new int[16 * 128];
        final long[] keyStart = new long[16 * 128];
        final Buffer segments = new Buffer(1024);
        final Buffer merged = new Buffer(1024);

        /** Drops everything, for when an analysis stopped where the touched-entry records may be incomplete. */
        void clearAll() {
            Arrays.fill(notesPerKey, 0);
            Arrays.fill(instrumentNotes, 0);
            Arrays.fill(keyActive, 0);
            Arrays.fill(keyStart, 0);
        }
    }

    /** Buffered events: ticks and encoded events side by side. */
    private static final class Buffer {
        long[] ticks;
        int[] events;

        Buffer(int capacity) {
            ticks = new long[capacity];
            events = new int[capacity];
        }

        /**
         * A buffer for {@code size} events: this one, grown when needed. Only up to ROUND_EVENTS
         * stays with the thread for its next file; a file with a huge number of tracks gets a
         * larger buffer of its own.
         */
        Buffer sized(int size) {
            if (ticks.length >= size) {
                return this;
            }
            Buffer larger = new Buffer(Math.max(size, Math.min(ROUND_EVENTS, ticks.length * 2)));
            if (larger.ticks.length > ROUND_EVENTS) {
                return larger;
            }
            ticks = larger.ticks;
            events = larger.events;
            return this;
        }
    }

    private static final ThreadLocal<Tables> TABLES = ThreadLocal.withInitial(Tables::new);

    /** A problem found while decoding, reported when play reaches the place it was found. */
    private record Issue(String message, int offset, boolean fatal) {}

    private final byte[] bytes;
    private final int roundEvents;
    private final List<String> warnings = new ArrayList<>();
    private int droppedWarnings;
    private List<Issue> issues = List.of();

    // Header.
    private int format;
    private int declaredTracks;
    private int division;
    private boolean smpte;
    private double ticksPerSecondSmpte;

    // Track cursors (parallel arrays indexed by track) and their buffer segments.
    private int trackCount;
    private int[] pos;
    private int[] end;
    private boolean[] chunkTruncated;
    private boolean[] finished;
    private long[] tick;
    private int[] running;
    private int[] begin;
    private boolean hasEvents;
    private int[] segmentStart;
    private int[] segmentEnd;
    private int[] fill;
    private int[] head;
    private long[] loserTree;
    private long[] winners;
    private long[] mergedTicks;
    private int[] mergedEvents;
    private int truncatedChunkError = -1;
    private String truncatedChunkMessage = "";

    // Tempo.
    private final List<TempoChange> tempoChanges = new ArrayList<>();
    private int tempoEvents;
    private long tempoTick;
    private int tempoMicros = 500_000;
    private double secondsBeforeTempoTick;
    private double initialBpm = 120;
    private int distinctTempos;
    private int[] tempoValues = new int[4]; // grows up to MAX_DISTINCT_TEMPOS
    private long[] tempoTicks = new long[4];

    // Meters, keys, text.
    private final List<TimeSignatureChange> timeSignatures = new ArrayList<>();
    private final List<KeySignatureChange> keySignatures = new ArrayList<>();
    private final IntList textRefs = new IntList(); // triples: meta type, data offset, length

    // Notes. Tables of 2048 (channel x pitch or program) entries are reused per thread; only the
    // entries of channels in channelMask (and instruments in touchedInstruments) are non-zero,
    // and only those are cleared afterwards.
    private final Tables tables = TABLES.get();
    private final int[] notesPerKey = tables.notesPerKey;
    private final int[] instrumentNotes = tables.instrumentNotes;
    private final int[] keyActive = tables.keyActive;
    private final long[] keyStart = tables.keyStart;
    private long[] ticks;
    private int[] events;
    private int channelMask;
    private long velocitySum;
    private final int[] program = new int[16];
    private final int[] notesAtProgram = new int[16];
    private final long[] touchedInstruments = new long[32];
    // Integer tick sums are exact (far below 2^53) and turn into the same doubles as summing doubles.
    private final long[] pitchClassTicks = new long[12];
    private long maxCreditTicks;
    private int sounding; // pitched keys sounding now
    private int polyphonyMax;
    private long polyphonyTicks;
    private long polyphonySum; // sounding keys x ticks: exact as a long, the same double at the end
    private long sweepTick;
    // Melody: per channel notes, notes starting over a sounding note.
    private final int[] channelNotes = new int[16];
    private final int[] channelOverlaps = new int[16];
    private final int[] channelSounding = new int[16];
    // Chords: the two previous pitched note starts.
    private long chordWindow;
    private long previousStartTick1 = Long.MIN_VALUE / 2;
    private long previousStartTick2 = Long.MIN_VALUE / 2;
    private int previousPitch1 = -1;
    private int previousPitch2 = -1;
    private boolean hasChords;
    // Fingerprint: the notes starting at the current tick.
    private long fingerprint = 0x6A09E667F3BCC908L;
    private long fingerprintTick = -1;
    private long tickSum;
    private int tickNoteCount;

    private long durationTicks;

    public SmfAnalyzer(byte[] bytes) {
        this(bytes, ROUND_EVENTS);
    }

    /** With another number of events buffered per round; the results must not depend on it. */
    SmfAnalyzer(byte[] bytes, int roundEvents) {
        this.bytes = bytes;
        this.roundEvents = roundEvents;
    }

    /** Runs the analysis; throws {@link MidiFormatException} for unreadable input. */
    public MidiAnalysis analyze() {
        boolean complete = false;
        try {
            readStructure();
            play();
            MidiAnalysis analysis = result();
            complete = true;
            return analysis;
        } finally {
            if (complete) {
                clearTables();
            } else {
                tables.clearAll();
            }
        }
    }

    private void clearTables() {
        for (int mask = channelMask; mask != 0; mask &= mask - 1) {
            int from = Integer.numberOfTrailingZeros(mask) * 128;
            Arrays.fill(notesPerKey, from, from + 128, 0);
            Arrays.fill(keyActive, from, from + 128, 0);
            Arrays.fill(keyStart, from, from + 128, 0);
        }
        for (int word = 0; word < 32; word++) {
            for (long bits = touchedInstruments[word]; bits != 0; bits &= bits - 1) {
                instrumentNotes[word * 64 + Long.numberOfTrailingZeros(bits)] = 0;
            }
        }
    }

    // ---------------------------------------------------------------- structure

    private void readStructure() {
        int length = bytes.length;
        if (length == 0) {
            throw new MidiFormatException("empty file (0 bytes)", 0);
        }
        int base = 0;
        int limit = length;
        if (startsWith(0, "RIFF")) {
            int[] data = riffData();
            base = data[0];
            limit = data[1];
        } else if (macBinary()) {
            // a classic Mac OS file copied with its 128-byte MacBinary header, as old archives hold
            // them: the data fork is the SMF, a resource fork may follow it
            base = MAC_BINARY_HEADER;
            limit = (int) Math.min(length, MAC_BINARY_HEADER + u32(83));
            warn("MacBinary header (" + MAC_BINARY_HEADER + " bytes) before the MThd chunk skipped");
        }
        if (startsWith(base, "SMF2CLIP")) {
            throw new MidiFormatException("MIDI 2.0 clip file (SMF2CLIP header), not a Standard MIDI File", base);
        }
        if (!startsWith(base, "MThd")) {
            throw new MidiFormatException("not a MIDI file: " + describeStart(base, limit), base);
        }
        if (limit - base < 14) {
            throw new MidiFormatException("header chunk at byte " + base + " is cut off: file ends after "
                    + (limit - base) + " bytes, 14 needed", base);
        }
        long headerLength = u32(base + 4);
        if (headerLength < 6) {
            throw new MidiFormatException("header chunk length " + headerLength + " at byte " + (base + 4)
                    + " is less than 6", base + 4);
        }
        if (headerLength > limit - base - 8) {
            throw new MidiFormatException(pastEnd(headerLength, base, limit - base - 8), base);
        }
        format = u16(base + 8);
        declaredTracks = u16(base + 10);
        int rawDivision = u16(base + 12);
        if (format > 2) {
            throw new MidiFormatException("SMF format " + format + " at byte " + (base + 8)
                    + " is not 0, 1 or 2", base + 8);
        }
        if ((rawDivision & 0x8000) != 0) {
            int fps = -(byte) (rawDivision >> 8);
            int ticksPerFrame = rawDivision & 0xFF;
            if (fps != 24 && fps != 25 && fps != 29 && fps != 30) {
                throw new MidiFormatException("SMPTE frame rate " + fps + " at byte " + (base + 12)
                        + " is not 24, 25, 29 or 30", base + 12);
            }
            if (ticksPerFrame == 0) {
                throw new MidiFormatException("SMPTE division with 0 ticks per frame at byte " + (base + 13), base + 13);
            }
            smpte = true;
            division = fps * ticksPerFrame;
            ticksPerSecondSmpte = (fps == 29 ? 29.97 : fps) * ticksPerFrame;
        } else {
            if (rawDivision == 0) {
                throw new MidiFormatException("division of 0 ticks per quarter note at byte " + (base + 12), base + 12);
            }
            division = rawDivision;
        }
        int capacity = Math.max(1, Math.min(Math.min(declaredTracks, MAX_TRACKS), (limit - base) / 8 + 1));
        allocateTracks(capacity);
        int p = (int) (base + 8 + headerLength);
        if (headerLength != 6 && startsWith(base + 14, "MTrk")) {
            warn("header chunk length " + headerLength + " at byte " + (base + 4)
                    + " would skip the MTrk chunk at byte " + (base + 14) + "; read as 6");
            p = base + 14;
        }
        while (p < limit) {
            int left = limit - p;
            if (left < 8) {
                warn(left + " bytes of trailing garbage at byte " + p);
                break;
            }
            long chunkLength = u32(p + 4);
            if (startsWith(p, "MTrk")) {
                int start = p + 8;
                int available = limit - start;
                boolean truncated = chunkLength > available;
                if (truncated) {
                    String message = pastEnd(chunkLength, p, available);
                    warn(message + "; read what is there");
                    if (truncatedChunkError < 0) {
                        truncatedChunkError = p;
                        truncatedChunkMessage = message;
                    }
                }
                int chunkEnd = truncated ? limit : (int) (start + chunkLength);
                if (trackCount == MAX_TRACKS) {
                    warn("more than " + MAX_TRACKS + " track chunks; ignored the rest from byte " + p);
                    break;
                }
                addTrack(start, chunkEnd, truncated);
                p = chunkEnd;
            } else if (printable(p)) {
                String id = new String(bytes, p, 4, StandardCharsets.ISO_8859_1);
                if (chunkLength > left - 8) {
                    warn("unknown chunk '" + id + "' at byte " + p + " runs past end of file; ignored the rest");
                    break;
                }
                warn("skipped unknown chunk '" + id + "' (" + chunkLength + " bytes) at byte " + p);
                p += 8 + (int) chunkLength;
            } else {
                warn(left + " bytes of trailing garbage at byte " + p);
                break;
            }
        }
        if (trackCount == 0 && declaredTracks > 0) {
            throw new MidiFormatException("no MTrk chunk in the file though the header declares " + declaredTracks
                    + " tracks", base + 8 + headerLength);
        }
        if (trackCount != declaredTracks) {
            warn("header declares " + declaredTracks + " tracks but the file has " + trackCount);
        }
        if (format == 0 && trackCount > 1) {
            warn("format 0 file with " + trackCount + " tracks");
        }
    }

    /**
     * A MacBinary header (version 0 byte, a 1-63 byte file name, zero bytes at 74 and 82, a data
     * fork length at 83) followed by an MThd chunk.
     */
    private boolean macBinary() {
        if (bytes.length < MAC_BINARY_HEADER + 14 || bytes[0] != 0 || bytes[1] < 1 || bytes[1] > 63
                || bytes[74] != 0 || bytes[82] != 0 || !startsWith(MAC_BINARY_HEADER, "MThd")) {
            return false;
        }
        return u32(83) >= 14;
    }

    /** Finds the SMF inside a RIFF RMID wrapper; returns {start, end}. */
    private int[] riffData() {
        if (bytes.length < 12) {
            throw new MidiFormatException("RIFF file too short (" + bytes.length + " bytes)", 0);
        }
        if (!startsWith(8, "RMID")) {
            String type = new String(bytes, 8, 4, StandardCharsets.ISO_8859_1);
            throw new MidiFormatException("RIFF '" + printableText(type) + "' file, not RIFF RMID MIDI"
                    + (type.equals("WAVE") ? " (WAV audio)" : ""), 8);
        }
        int p = 12;
        while (bytes.length - p >= 8) {
            long size = u32le(p + 4);
            if (startsWith(p, "data")) {
                int start = p + 8;
                if (size > bytes.length - start) {
                    warn("RIFF data chunk length " + size + " at byte " + p + " runs past end of file ("
                            + (bytes.length - start) + " bytes left)");
                    return new int[] {start, bytes.length};
                }
                return new int[] {start, (int) (start + size)};
            }
            long next = p + 8 + size + (size & 1);
            if (next > bytes.length) {
                break;
            }
            p = (int) next;
        }
        throw new MidiFormatException("RIFF RMID file without a 'data' chunk", 12);
    }

    private void allocateTracks(int capacity) {
        pos = new int[capacity];
        end = new int[capacity];
        chunkTruncated = new boolean[capacity];
    }

    private void addTrack(int start, int chunkEnd, boolean truncated) {
        if (trackCount == pos.length) {
            int capacity = Math.min(MAX_TRACKS, trackCount * 2);
            pos = Arrays.copyOf(pos, capacity);
            end = Arrays.copyOf(end, capacity);
            chunkTruncated = Arrays.copyOf(chunkTruncated, capacity);
        }
        int t = trackCount++;
        pos[t] = start;
        end[t] = chunkEnd;
        chunkTruncated[t] = truncated;
    }

    // ---------------------------------------------------------------- playback

    private void play() {
        maxCreditTicks = smpte ? (long) ticksPerSecondSmpte * 4 : 8L * division;
        chordWindow = Math.max(1, smpte ? (long) (ticksPerSecondSmpte / 50) : division / 24);
        layOutSegments();
        while (true) {
            // Every event still to decode comes after the bound (tick << 16 | track) of its track.
            long bound = Long.MAX_VALUE;
            for (int t = 0; t < trackCount; t++) {
                if (!finished[t]) {
                    decode(t);
                    if (!finished[t]) {
                        bound = Math.min(bound, tick[t] << 16 | t);
                    }
                }
            }
            merge(bound);
            if (bound == Long.MAX_VALUE) {
                break;
            }
            keepUnplayed();
        }
        if (truncatedChunkError >= 0 && !hasEvents) {
            throw new MidiFormatException(truncatedChunkMessage, truncatedChunkError);
        }
        finishSounding();
    }

    /**
     * Gives each track a buffer segment. A track of n bytes holds at most n / 2 events (the
     * smallest, a running-status Program Change, takes 2), so small files decode in one round.
     */
    private void layOutSegments() {
        int tracks = trackCount;
        finished = new boolean[tracks];
        tick = new long[tracks];
        running = new int[tracks];
        begin = Arrays.copyOf(pos, tracks);
        segmentStart = new int[tracks];
        segmentEnd = new int[tracks];
        fill = new int[tracks];
        head = new int[tracks];
        int perTrack = Math.max(MIN_SEGMENT, roundEvents / Math.max(1, tracks));
        int total = 0;
        for (int t = 0; t < tracks; t++) {
            segmentStart[t] = total;
            fill[t] = total;
            head[t] = total;
            // + 2: room for the marker of how the track ended, plus the slot decode keeps free for it.
            total += (int) Math.min(perTrack, (end[t] - pos[t]) / 2L + 2);
            segmentEnd[t] = total;
        }
        Buffer segments = tables.segments.sized(total);
        ticks = segments.ticks;
        events = segments.events;
        if (tracks > 1) {
            int leaves = Integer.highestOneBit(tracks - 1) << 1;
            loserTree = new long[leaves];
            winners = new long[2 * leaves];
            Buffer merged = tables.merged.sized(total);
            mergedTicks = merged.ticks;
            mergedEvents = merged.events;
        }
    }

    /**
     * Decodes track {@code t} from where it stopped until it ends or its segment is full. Every
     * check and message is that of the SMF grammar. What does not depend on order is counted
     * here; what does is appended to the track's segment. The cursor lives in locals and problems
     * leave the loop as a code, described afterwards: this loop sees every byte of every track
     * and stays small.
     */
    private void decode(int t) {
        final byte[] b = bytes;
        final long[] tickOf = ticks;
        final int[] eventOf = events;
        final int[] histogram = notesPerKey;
        final int e = end[t];
        int p = pos[t];
        long now = tick[t];
        int status = running[t];
        int w = fill[t];
        // Every event takes at least 2 bytes, so stopping before this byte leaves the segment's
        // last slot free for the marker of how the track ended.
        final int stop = (int) Math.min(e, p + 2L * (segmentEnd[t] - 1 - w));
        long velocities = 0;
        int channels = 0;
        int problem = NONE;
        int at = -1;
        long value = 0;
        int eventStart = p;
        while (true) {
            eventStart = p;
            if (p >= stop) {
                if (p < e) {
                    break; // the segment is full: the track goes on next round
                }
                problem = chunkTruncated[t] ? ENDED : NO_END_OF_TRACK;
                break;
            }
            int c = b[p++];
            long delta = c & 0x7F;
            if (c < 0) {
                int i = 1;
                while (p < e) {
                    c = b[p++];
                    delta = (delta << 7) | (c & 0x7F);
                    if (c >= 0) {
                        break;
                    }
                    if (++i == 4) {
                        problem = DELTA_TOO_LONG;
                        break;
                    }
                }
                if (problem != NONE) {
                    break;
                }
            }
            if (p >= e) {
                problem = CUT_OFF;
                break;
            }
            long eventTick = now + delta;
            if (eventTick > MAX_TICK) {
                problem = BEYOND_MAX_TICK;
                value = eventTick;
                break;
            }
            int eventStatus = b[p] & 0xFF;
            if (eventStatus >= 0x80) {
                p++;
            } else {
                eventStatus = status;
                if (eventStatus == 0) {
                    problem = NO_RUNNING_STATUS;
                    at = p;
                    break;
                }
            }
            if (eventStatus < 0xF0) {
                int length = (eventStatus & 0xE0) == 0xC0 ? 1 : 2;
                if (p + length > e) {
                    problem = CUT_OFF;
                    break;
                }
                int data1 = b[p];
                if ((data1 | b[p + length - 1]) < 0) {
                    problem = DATA_EXPECTED;
                    at = data1 < 0 ? p : p + length - 1;
                    value = eventStatus;
                    break;
                }
                status = eventStatus;
                now = eventTick;
                int channel = eventStatus & 0x0F;
                int event = -1;
                switch (eventStatus >> 4) {
                    case 0x9 -> {
                        int velocity = b[p + 1];
                        if (velocity > 0) {
                            histogram[channel << 7 | data1]++;
                            velocities += velocity;
                            channels |= 1 << channel;
                            event = channel << 7 | data1;
                        } else if (channel != DRUMS) { // drum note ends change nothing
                            event = NOTE_OFF | channel << 7 | data1;
                        }
                    }
                    case 0x8 -> {
                        if (channel != DRUMS) {
                            event = NOTE_OFF | channel << 7 | data1;
                        }
                    }
                    case 0xC -> event = PROGRAM | channel << 7 | data1;
                    default -> { } // aftertouch, controllers, pitch bend: nothing the catalog stores
                }
                p += length;
                if (event >= 0) {
                    tickOf[w] = now;
                    eventOf[w++] = event;
                }
            } else if (eventStatus == 0xFF || eventStatus == 0xF0 || eventStatus == 0xF7) {
                int type = 0;
                int typeAt = p;
                if (eventStatus == 0xFF) {
                    if (p >= e) {
                        problem = CUT_OFF;
                        break;
                    }
                    type = b[p++] & 0xFF;
                }
                long length = 0;
                int lengthStart = p;
                boolean complete = false;
                for (int i = 0; p < e; i++) {
                    c = b[p++];
                    length = (length << 7) | (c & 0x7F);
                    if (c >= 0) {
                        complete = true;
                        break;
                    }
                    if (i == 3) {
                        problem = LENGTH_TOO_LONG;
                        at = lengthStart;
                        break;
                    }
                }
                if (problem != NONE) {
                    break;
                }
                if (!complete || length > e - p) {
                    problem = CUT_OFF;
                    break;
                }
                now = eventTick;
                int data = p;
                p += (int) length;
                if (eventStatus == 0xFF) {
                    if (type == 0x2F) {
                        eventStart = p;
                        if (p < e) {
                            problem = AFTER_END_OF_TRACK;
                            at = data;
                            value = e - p;
                        } else {
                            problem = ENDED;
                        }
                        p = e;
                        break;
                    }
                    if (type == 0x51 || type == 0x58 || type == 0x59 || (type <= 0x05 && type != 0x04 && type != 0)) {
                        tickOf[w] = now;
                        eventOf[w++] = ~typeAt;
                    }
                }
            } else {
                problem = ILLEGAL_STATUS;
                at = p - 1;
                value = eventStatus;
                break;
            }
        }
        pos[t] = p;
        tick[t] = now;
        running[t] = status;
        velocitySum += velocities;
        channelMask |= channels;
        // eventStart is where the last complete event ended: past the track's start when it had one.
        boolean decoded = eventStart > begin[t];
        hasEvents |= decoded;
        if (problem != NONE) {
            finished[t] = true;
            if (problem != ENDED) {
                Issue issue = issue(problem, t, eventStart, at, value);
                if (!decoded) {
                    // The track's first event, which the lazy reader decodes for every track before playing any.
                    report(issue);
                } else {
                    if (issues.isEmpty()) {
                        issues = new ArrayList<>();
                    }
                    tickOf[w] = now;
                    eventOf[w++] = ISSUE | issues.size();
                    issues.add(issue);
                }
            }
        }
        fill[t] = w;
    }

    private Issue issue(int problem, int t, int eventStart, int at, long value) {
        String track = " (track " + (t + 1) + ")";
        return switch (problem) {
            case NO_END_OF_TRACK -> new Issue("track " + (t + 1) + " has no End of Track", -1, false);
            case CUT_OFF -> new Issue("track " + (t + 1) + " is cut off: the event at byte " + eventStart
                    + (chunkTruncated[t] ? " runs past end of file" : " runs past the end of its chunk"), -1, false);
            case AFTER_END_OF_TRACK -> new Issue("track " + (t + 1) + " has " + value + " bytes after End of Track at byte "
                    + at, -1, false);
            case DELTA_TOO_LONG -> new Issue("delta time longer than 4 bytes at byte " + eventStart + track, eventStart, true);
            case BEYOND_MAX_TICK -> new Issue("track " + (t + 1) + " reaches tick " + value + " at byte " + eventStart
                    + ", beyond the 2^40 ticks this reader accepts", eventStart, true);
            case NO_RUNNING_STATUS -> new Issue("data byte 0x" + hex(bytes[at]) + " at byte " + at
                    + " without a running status" + track, at, true);
            case DATA_EXPECTED -> new Issue("status byte 0x" + hex(bytes[at]) + " at byte " + at
                    + " where a data byte of 0x" + hex((byte) value) + " was expected" + track, at, true);
            case LENGTH_TOO_LONG -> new Issue("event length longer than 4 bytes at byte " + at + track, at, true);
            case ILLEGAL_STATUS -> new Issue("illegal status byte 0x" + hex((byte) value) + " at byte " + at + track, at, true);
            default -> throw new IllegalStateException("problem " + problem);
        };
    }

    private void report(Issue issue) {
        if (issue.fatal()) {
            throw new MidiFormatException(issue.message(), issue.offset());
        }
        warn(issue.message());
    }

    /**
     * Plays the buffered events whose key (tick << 16 | track) is at most {@code bound}, in key
     * order. Several tracks go through a loser tree: the track with the smallest key moves its
     * next event to the merge buffer and the key after it goes back up the tree, by min/max only.
     * Runs between track switches are a few events long, so a heap's sift, or even the exit of a
     * loop copying a run, is a mispredicted branch per run; this has none.
     */
    private void merge(long bound) {
        if (trackCount < 2) {
            if (trackCount == 1) { // one run, already in order
                head[0] = play(ticks, events, head[0], fill[0]);
            }
            return;
        }
        int leaves = loserTree.length;
        long[] tree = loserTree; // tree[n]: the loser at inner node n
        long[] up = winners; // up[n]: the winner at node n; leaves from index `leaves`
        for (int t = 0; t < leaves; t++) {
            up[leaves + t] = t < trackCount ? nextKey(t, head[t], bound) : Long.MAX_VALUE;
        }
        for (int n = leaves - 1; n >= 1; n--) {
            tree[n] = Math.max(up[2 * n], up[2 * n + 1]);
            up[n] = Math.min(up[2 * n], up[2 * n + 1]);
        }
        long winner = up[1];
        final long[] tickOf = ticks;
        final int[] eventOf = events;
        final long[] mergedTick = mergedTicks;
        final int[] mergedEvent = mergedEvents;
        int m = 0;
        while (winner != Long.MAX_VALUE) {
            int t = (int) (winner & 0xFFFF);
            int i = head[t];
            mergedTick[m] = tickOf[i];
            mergedEvent[m++] = eventOf[i++];
            head[t] = i;
            long key = nextKey(t, i, bound);
            for (int n = (leaves + t) >> 1; n >= 1; n >>= 1) {
                long loser = tree[n];
                tree[n] = Math.max(loser, key);
                key = Math.min(loser, key);
            }
            winner = key;
        }
        play(mergedTick, mergedEvent, 0, m);
    }

    /** The key of track {@code t}'s buffered event at {@code i}, or MAX_VALUE when none is left to play this round. */
    private long nextKey(int t, int i, long bound) {
        long key = i < fill[t] ? ticks[i] << 16 | t : Long.MAX_VALUE;
        return key <= bound ? key : Long.MAX_VALUE;
    }

    /** Moves the events a round could not play yet to the start of their segments. */
    private void keepUnplayed() {
        for (int t = 0; t < trackCount; t++) {
            int left = fill[t] - head[t];
            if (left > 0 && head[t] != segmentStart[t]) {
                System.arraycopy(ticks, head[t], ticks, segmentStart[t], left);
                System.arraycopy(events, head[t], events, segmentStart[t], left);
            }
            head[t] = segmentStart[t];
            fill[t] = segmentStart[t] + left;
        }
    }

    /**
     * Plays buffered events {@code from} to {@code to} (exclusive) and returns {@code to}. Note starts and ends are nearly every event and change the state every
     * next event reads (sounding keys, the fingerprint chain): that state lives in locals here and
     * goes back to the fields once per call; the rare kinds are handled by calls that touch none of it.
     */
    private int play(long[] tickOf, int[] eventOf, int from, int to) {
        final int[] notes = channelNotes;
        final int[] soundingOn = channelSounding;
        final int[] overlaps = channelOverlaps;
        final int[] active = keyActive;
        final long[] started = keyStart;
        final long[] classTicks = pitchClassTicks;
        final long window = chordWindow;
        final long maxCredit = maxCreditTicks;
        long sweep = sweepTick;
        int sound = sounding;
        int polyMax = polyphonyMax;
        long polyTicks = polyphonyTicks;
        long polySum = polyphonySum;
        long fpTick = fingerprintTick;
        long fpSum = tickSum;
        int fpNotes = tickNoteCount;
        long fp = fingerprint;
        boolean chords = hasChords;
        long start1 = previousStartTick1;
        long start2 = previousStartTick2;
        int pitch1 = previousPitch1;
        int pitch2 = previousPitch2;
        int i = from;
        for (; i < to; i++) {
            long now = tickOf[i];
            int event = eventOf[i];
            if (event >= NOTE_OFF || event < 0) {
                if (event >= PROGRAM || event < 0) {
                    handleRare(event, now);
                    continue;
                }
                int key = event & 0x7FF; // a pitched note end
                if (active[key] == 0) {
                    continue;
                }
                if (now != sweep) { // close the polyphony interval that ends here
                    if (sound > 0) {
                        polyMax = Math.max(polyMax, sound);
                        polyTicks += now - sweep;
                        polySum += (long) sound * (now - sweep);
                    }
                    sweep = now;
                }
                classTicks[PITCH_CLASS[key & 127]] += Math.max(1, Math.min(now - started[key], maxCredit));
                started[key] = now;
                if (--active[key] == 0) {
                    sound--;
                    soundingOn[key >> 7]--;
                }
                continue;
            }
            int channel = event >> 7; // a note start
            int pitch = event & 127;
            notes[channel]++;
            if (now != fpTick) {
                if (fpNotes != 0) {
                    fp = chainFingerprint(fp, fpTick, fpSum);
                    fpSum = 0;
                    fpNotes = 0;
                }
                fpTick = now;
            }
            fpNotes++;
            if (channel == DRUMS) {
                fpSum += NOTE_HASH[pitch << 1 | 1];
                continue;
            }
            fpSum += NOTE_HASH[pitch << 1];
            if (now != sweep) {
                if (sound > 0) {
                    polyMax = Math.max(polyMax, sound);
                    polyTicks += now - sweep;
                    polySum += (long) sound * (now - sweep);
                }
                sweep = now;
            }
            if (soundingOn[channel] > 0) {
                overlaps[channel]++;
            }
            if (!chords) { // once a chord is found the previous starts no longer matter
                chords = now - start2 <= window && pitch != pitch1 && pitch != pitch2 && pitch1 != pitch2;
                start2 = start1;
                pitch2 = pitch1;
                start1 = now;
                pitch1 = pitch;
            }
            if (active[event] > 0) { // a re-struck key: the old sound ends here
                classTicks[PITCH_CLASS[pitch]] += Math.max(1, Math.min(now - started[event], maxCredit));
            } else {
                sound++;
                soundingOn[channel]++;
            }
            active[event]++;
            started[event] = now;
        }
        sweepTick = sweep;
        sounding = sound;
        polyphonyMax = polyMax;
        polyphonyTicks = polyTicks;
        polyphonySum = polySum;
        fingerprintTick = fpTick;
        tickSum = fpSum;
        tickNoteCount = fpNotes;
        fingerprint = fp;
        hasChords = chords;
        previousStartTick1 = start1;
        previousStartTick2 = start2;
        previousPitch1 = pitch1;
        previousPitch2 = pitch2;
        return i;
    }

    /** Handles a buffered meta event, program change or problem marker. */
    private void handleRare(int event, long now) {
        if (event < 0) {
            meta(~event, now);
        } else if (event < ISSUE) {
            programChange((event >> 7) & 15, event & 127);
        } else {
            report(issues.get(event & PAYLOAD));
        }
    }

    /** Closes the polyphony interval that ends at {@code now}. */
    private void advanceTime(long now) {
        long span = now - sweepTick;
        if (sounding > 0 && span > 0) {
            polyphonyMax = Math.max(polyphonyMax, sounding);
            polyphonyTicks += span;
            polyphonySum += (long) sounding * span;
        }
        sweepTick = now;
    }

    private void programChange(int channel, int newProgram) {
        countInstrumentNotes(channel);
        program[channel] = newProgram;
    }

    /** Credits the notes the channel played since its last program change to the program then in force. */
    private void countInstrumentNotes(int channel) {
        int notes = channelNotes[channel] - notesAtProgram[channel];
        if (notes > 0) {
            int instrument = channel * 128 + program[channel];
            instrumentNotes[instrument] += notes;
            touchedInstruments[instrument >> 6] |= 1L << instrument;
            notesAtProgram[channel] = channelNotes[channel];
        }
    }

    private void finishSounding() {
        for (int t = 0; t < trackCount; t++) {
            durationTicks = Math.max(durationTicks, tick[t]);
        }
        advanceTime(Math.max(sweepTick, durationTicks));
        for (int mask = channelMask; mask != 0; mask &= mask - 1) {
            int from = Integer.numberOfTrailingZeros(mask) * 128;
            for (int key = from; key < from + 128; key++) {
                if (keyActive[key] > 0) {
                    credit(key & 127, durationTicks - keyStart[key]);
                }
            }
        }
        for (int channel = 0; channel < 16; channel++) {
            countInstrumentNotes(channel);
        }
        flushFingerprintTick();
    }

    /** Adds a sounding span to the key histogram; a hanging note counts for a few beats at most. */
    private void credit(int pitch, long ticks) {
        pitchClassTicks[PITCH_CLASS[pitch]] += Math.max(1, Math.min(ticks, maxCreditTicks));
    }

    /**
     * The fingerprint hashes, tick by tick, the set of notes starting at that tick: a sum of
     * mixed values within a tick (so the order tracks list them in does not matter, and no sort
     * is needed), chained across ticks in order.
     */
    private long chainFingerprint(long hash, long tick, long notesHash) {
        long normalised = division == FINGERPRINT_PPQ ? tick : (tick * FINGERPRINT_PPQ + division / 2) / division;
        return mix(mix(hash, normalised), notesHash);
    }

    private void flushFingerprintTick() {
        if (tickNoteCount > 0) {
            fingerprint = chainFingerprint(fingerprint, fingerprintTick, tickSum);
        }
    }

    private static long mix(long hash, long value) {
        long h = (hash ^ value) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    /** Handles the meta event whose type byte is at {@code typeAt} (decode checked its length). */
    private void meta(int typeAt, long now) {
        int type = bytes[typeAt] & 0xFF;
        int data = typeAt + 1;
        int length = 0;
        int c;
        do {
            c = bytes[data++];
            length = (length << 7) | (c & 0x7F);
        } while (c < 0);
        switch (type) {
            case 0x51 -> {
                if (length < 3) {
                    warn("Set Tempo with " + length + " data bytes at byte " + data + " ignored");
                    return;
                }
                int micros = ((bytes[data] & 0xFF) << 16) | ((bytes[data + 1] & 0xFF) << 8) | (bytes[data + 2] & 0xFF);
                tempo(now, micros, data);
            }
            case 0x58 -> {
                if (length < 2) {
                    warn("Time Signature with " + length + " data bytes at byte " + data + " ignored");
                    return;
                }
                int numerator = bytes[data] & 0xFF;
                int exponent = bytes[data + 1] & 0xFF;
                if (numerator == 0 || exponent > 6) {
                    warn("Time Signature " + numerator + "/2^" + exponent + " at byte " + data + " ignored");
                    return;
                }
                if (timeSignatures.size() < MAX_LIST) {
                    timeSignatures.add(new TimeSignatureChange(now, new TimeSignature(numerator, 1 << exponent)));
                }
            }
            case 0x59 -> {
                if (length < 2) {
                    warn("Key Signature with " + length + " data bytes at byte " + data + " ignored");
                    return;
                }
                int sharps = bytes[data];
                int mode = bytes[data + 1];
                if (sharps < -7 || sharps > 7 || mode < 0 || mode > 1) {
                    warn("Key Signature " + sharps + " sharps, mode " + mode + " at byte " + data + " ignored");
                    return;
                }
                if (keySignatures.size() < MAX_LIST) {
                    int majorTonic = Math.floorMod(sharps * 7, 12);
                    MusicalKey key = mode == 1 ? MusicalKey.of(majorTonic + 9, true) : MusicalKey.of(majorTonic, false);
                    keySignatures.add(new KeySignatureChange(now, key));
                }
            }
            case 0x01, 0x02, 0x03, 0x05 -> {
                if (textRefs.size() < 3 * MAX_LIST) {
                    textRefs.add(type);
                    textRefs.add(data);
                    textRefs.add(length);
                }
            }
            default -> throw new IllegalStateException("meta type " + type + " is not buffered");
        }
    }

    private void tempo(long now, int micros, int offset) {
        if (micros == 0) {
            warn("Set Tempo of 0 microseconds per quarter at byte " + offset + " ignored");
            return;
        }
        tempoEvents++;
        if (tempoChanges.size() < MAX_LIST) {
            tempoChanges.add(new TempoChange(now, roundBpm(60_000_000.0 / micros)));
        }
        closeTempoSpan(now);
        tempoMicros = micros;
        if (now == 0) {
            initialBpm = roundBpm(60_000_000.0 / micros);
        }
    }

    private void closeTempoSpan(long now) {
        long span = now - tempoTick;
        secondsBeforeTempoTick += span * (tempoMicros / 1e6) / division;
        if (span > 0) {
            int i = 0;
            while (i < distinctTempos && tempoValues[i] != tempoMicros) {
                i++;
            }
            if (i == distinctTempos && distinctTempos < MAX_DISTINCT_TEMPOS) {
                if (distinctTempos == tempoValues.length) {
                    tempoValues = Arrays.copyOf(tempoValues, distinctTempos * 2);
                    tempoTicks = Arrays.copyOf(tempoTicks, distinctTempos * 2);
                }
                tempoValues[distinctTempos++] = tempoMicros;
            }
            if (i < distinctTempos) {
                tempoTicks[i] += span;
            }
        }
        tempoTick = now;
    }

    private static double roundBpm(double bpm) {
        return Math.round(bpm * 1000) / 1000.0;
    }

    // ---------------------------------------------------------------- result

    private MidiAnalysis result() {
        closeTempoSpan(durationTicks);
        double durationSeconds = smpte ? durationTicks / ticksPerSecondSmpte : secondsBeforeTempoTick;
        ValueSource bpmSource = tempoEvents > 0 ? ValueSource.META : ValueSource.DEFAULT;
        double bpm = 120;
        if (tempoEvents > 0) {
            int longest = 0;
            long longestTicks = -1;
            for (int i = 0; i < distinctTempos; i++) {
                long ticks = tempoTicks[i];
                if (ticks > longestTicks || (ticks == longestTicks && tempoValues[i] < longest)) {
                    longest = tempoValues[i];
                    longestTicks = ticks;
                }
            }
            bpm = roundBpm(60_000_000.0 / (longestTicks < 0 ? tempoMicros : longest));
        }
        if (tempoEvents > tempoChanges.size()) {
            warn("kept the first " + tempoChanges.size() + " of " + tempoEvents + " tempo events");
        }
        TimeSignature timeSignature = timeSignatures.isEmpty() ? TimeSignature.COMMON : timeSignatures.get(0).timeSignature();
        MusicalKey keySignature = keySignatures.isEmpty() ? null : keySignatures.get(0).key();
        int noteCount = 0;
        int pitchMin = -1;
        int pitchMax = -1;
        long pitchesUsed0 = 0;
        long pitchesUsed1 = 0;
        boolean hasMelody = false;
        for (int mask = channelMask; mask != 0; mask &= mask - 1) {
            int channel = Integer.numberOfTrailingZeros(mask);
            long used0 = 0;
            long used1 = 0;
            for (int pitch = 0; pitch < 128; pitch++) {
                if (notesPerKey[channel * 128 + pitch] != 0) {
                    if (pitch < 64) {
                        used0 |= 1L << pitch;
                    } else {
                        used1 |= 1L << pitch;
                    }
                }
            }
            pitchesUsed0 |= used0;
            pitchesUsed1 |= used1;
            noteCount += channelNotes[channel];
            int distinct = Long.bitCount(used0) + Long.bitCount(used1);
            if (channel != DRUMS && channelNotes[channel] >= 16 && distinct >= 5
                    && channelOverlaps[channel] <= channelNotes[channel] / 4) {
                hasMelody = true;
            }
        }
        if ((pitchesUsed0 | pitchesUsed1) != 0) {
            pitchMin = pitchesUsed0 != 0 ? Long.numberOfTrailingZeros(pitchesUsed0) : 64 + Long.numberOfTrailingZeros(pitchesUsed1);
            pitchMax = pitchesUsed1 != 0 ? 127 - Long.numberOfLeadingZeros(pitchesUsed1) : 63 - Long.numberOfLeadingZeros(pitchesUsed0);
        }
        int pitchedNotes = noteCount - channelNotes[DRUMS];
        double[] pitchClassWeight = new double[12];
        for (int i = 0; i < 12; i++) {
            pitchClassWeight[i] = pitchClassTicks[i];
        }
        KeyFinder.Result key = KeyFinder.detect(pitchClassWeight, pitchedNotes, keySignature);

        List<Instrument> instruments = new ArrayList<>();
        int gmFamilies = 0;
        for (int word = 0; word < 32; word++) {
            for (long bits = touchedInstruments[word]; bits != 0; bits &= bits - 1) {
                int instrument = word * 64 + Long.numberOfTrailingZeros(bits);
                int channel = instrument >> 7;
                int prog = instrument & 127;
                GmFamily family = channel == DRUMS ? GmFamily.DRUMS : GmFamily.ofProgram(prog);
                instruments.add(new Instrument(channel, prog, family, instrumentNotes[instrument]));
                gmFamilies |= family.bit();
            }
        }
        Texts texts = texts();
        if (droppedWarnings > 0) {
            warnings.add("and " + droppedWarnings + " more warnings");
        }
        int uniquePitches = Long.bitCount(pitchesUsed0) + Long.bitCount(pitchesUsed1);
        return new MidiAnalysis(format, trackCount, division, smpte, durationTicks, durationSeconds,
                bpm, initialBpm, bpmSource, tempoChanges, timeSignature, timeSignatures,
                keySignature, keySignatures, key.key(), key.confidence(),
                noteCount, uniquePitches, pitchMin, pitchMax,
                noteCount == 0 ? 0 : (double) velocitySum / noteCount,
                durationSeconds > 0 ? noteCount / durationSeconds : 0,
                polyphonyMax, polyphonyTicks == 0 ? 0 : (double) polyphonySum / polyphonyTicks,
                polyphonyMax <= 1, channelNotes[DRUMS] > 0, hasChords, hasMelody,
                instruments, gmFamilies, texts.trackNames, texts.copyright, texts.texts, texts.lyrics,
                sha256(bytes), finish(fingerprint), warnings);
    }

    private record Texts(List<String> trackNames, List<String> copyright, List<String> texts, List<String> lyrics) {}

    private Texts texts() {
        List<String> trackNames = new ArrayList<>();
        List<String> copyright = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        StringBuilder lyricEvents = new StringBuilder();
        StringBuilder karaokeText = new StringBuilder();
        boolean karaoke = false;
        boolean karaokeHeader = false;
        boolean karaokeBreaks = false;
        java.nio.charset.Charset charset = TextDecoder.detect(bytes, textRefs);
        long decoded = 0;
        for (int i = 0; i < textRefs.size(); i += 3) {
            int type = textRefs.get(i);
            decoded += Math.min(textRefs.get(i + 2), TextDecoder.MAX_BYTES);
            if (decoded > MAX_TEXT_BYTES) {
                warn("more than " + MAX_TEXT_BYTES + " bytes of text events; kept the first " + (i / 3));
                break;
            }
            String text = TextDecoder.decode(bytes, textRefs.get(i + 1), textRefs.get(i + 2), charset);
            switch (type) {
                case 0x01 -> {
                    if (text.startsWith("@")) {
                        karaoke |= text.startsWith("@KMIDI");
                        karaokeHeader = true;
                        texts.add(text);
                    } else {
                        karaokeBreaks |= text.startsWith("/") || text.startsWith("\\");
                        appendSyllable(karaokeText, text);
                        texts.add(text);
                    }
                }
                case 0x02 -> copyright.add(text);
                case 0x03 -> trackNames.add(text);
                case 0x05 -> appendSyllable(lyricEvents, text);
                default -> throw new IllegalStateException("text type " + type);
            }
        }
        List<String> lyrics;
        if (lyricEvents.length() > 0) {
            lyrics = lines(lyricEvents);
        } else if (karaoke || (karaokeHeader && karaokeBreaks)) {
            lyrics = lines(karaokeText);
            texts.removeIf(text -> !text.startsWith("@")); // the syllables are lyrics, not texts
        } else {
            lyrics = List.of();
        }
        return new Texts(trackNames, copyright, texts, lyrics);
    }

    /** Karaoke convention: '/' starts a new line and '\' a new paragraph. */
    private static void appendSyllable(StringBuilder lyrics, String syllable) {
        if (lyrics.length() > MAX_LIST * 100) {
            return;
        }
        if (syllable.startsWith("/") || syllable.startsWith("\\")) {
            lyrics.append('\n');
            syllable = syllable.substring(1);
        }
        lyrics.append(syllable);
    }

    private static List<String> lines(StringBuilder text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.toString().split("[\r\n]+")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && lines.size() < MAX_LIST) {
                lines.add(trimmed);
            }
        }
        return lines;
    }

    // ---------------------------------------------------------------- helpers

    private void warn(String warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        } else {
            droppedWarnings++;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private boolean startsWith(int offset, String ascii) {
        if (offset + ascii.length() > bytes.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[offset + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean printable(int offset) {
        for (int i = 0; i < 4; i++) {
            if (bytes[offset + i] < 0x20 || bytes[offset + i] > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private String describeStart(int base, int limit) {
        if (startsWith(base, "RIFF") && startsWith(base + 8, "WAVE")) {
            return "RIFF WAVE audio";
        }
        if (startsWith(base, "PK\u0003\u0004")) {
            return "a ZIP archive";
        }
        int n = Math.min(limit - base, 16);
        String head = new String(bytes, base, n, StandardCharsets.ISO_8859_1);
        String lower = head.toLowerCase(java.util.Locale.ROOT).strip();
        if (lower.startsWith("<!doctype") || lower.startsWith("<html") || lower.startsWith("<?xml") || lower.startsWith("<")) {
            return "looks like HTML/XML text (starts with '" + printableText(head) + "')";
        }
        if (n < 4) {
            return "only " + n + " bytes, no MThd header";
        }
        return "no MThd header (starts with '" + printableText(head) + "')";
    }

    private static String printableText(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '.');
        }
        return out.toString();
    }

    private static String pastEnd(long chunkLength, int chunkOffset, int left) {
        return "chunk length " + chunkLength + " at byte " + chunkOffset + " runs past end of file ("
                + left + " bytes left)";
    }

    private int u16(int p) {
        return ((bytes[p] & 0xFF) << 8) | (bytes[p + 1] & 0xFF);
    }

    private long u32(int p) {
        return ((long) (bytes[p] & 0xFF) << 24) | ((bytes[p + 1] & 0xFF) << 16) | ((bytes[p + 2] & 0xFF) << 8)
                | (bytes[p + 3] & 0xFF);
    }

    private long u32le(int p) {
        return ((long) (bytes[p + 3] & 0xFF) << 24) | ((bytes[p + 2] & 0xFF) << 16) | ((bytes[p + 1] & 0xFF) << 8)
                | (bytes[p] & 0xFF);
    }

    private static String hex(byte b) {
        return String.format("%02X", b & 0xFF);
    }
}
