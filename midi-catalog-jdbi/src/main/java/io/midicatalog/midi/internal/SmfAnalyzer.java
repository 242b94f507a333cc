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
 * header), then all tracks are played at once, merged in tick order through a heap of track
 * cursors, so every time-dependent fact (polyphony, note durations, program in force, tempo map,
 * fingerprint) is computed in that single pass without storing events. Track cursors are
 * parallel primitive arrays; nothing is allocated per event.
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

    private static final class Tables {
        final int[] instrumentNotes = new int[16 * 128];
        final int[] keyActive = new int[16 * 128];
        final long[] keyStart = new long[16 * 128];
    }

    private static final ThreadLocal<Tables> TABLES = ThreadLocal.withInitial(Tables::new);

    private final byte[] bytes;
    private final List<String> warnings = new ArrayList<>();
    private int droppedWarnings;

    // Header.
    private int format;
    private int declaredTracks;
    private int division;
    private boolean smpte;
    private double ticksPerSecondSmpte;

    // Track cursors (parallel arrays indexed by track).
    private int trackCount;
    private int[] pos;
    private int[] end;
    private boolean[] chunkTruncated;
    private boolean[] ended;
    private long[] tick;
    private int[] running;
    private int[] eventStatusOf;
    private int[] eventData;
    private int[] eventLength;
    private int[] eventType;
    private long[] lastTick;
    private int[] eventsRead;
    private long[] heap;
    private int heapSize;
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
    private final int[] tempoValues = new int[MAX_DISTINCT_TEMPOS];
    private final long[] tempoTicks = new long[MAX_DISTINCT_TEMPOS];

    // Meters, keys, text.
    private final List<TimeSignatureChange> timeSignatures = new ArrayList<>();
    private final List<KeySignatureChange> keySignatures = new ArrayList<>();
    private final IntList textRefs = new IntList(); // triples: meta type, data offset, length

    // Notes.
    private int noteCount;
    private long velocitySum;
    private int pitchMin = -1;
    private int pitchMax = -1;
    private final long[] pitchesUsed = new long[2];
    private final int[] program = new int[16];
    // Tables of 2048 (channel x pitch or program) entries are reused per thread; only the
    // entries marked in the touched bit sets are non-zero, and only those are cleared afterwards.
    private final Tables tables = TABLES.get();
    private final int[] instrumentNotes = tables.instrumentNotes;
    private final int[] keyActive = tables.keyActive;
    private final long[] keyStart = tables.keyStart;
    private final long[] touchedKeys = new long[32];
    private final long[] touchedInstruments = new long[32];
    private final double[] pitchClassWeight = new double[12];
    private int pitchedNotes;
    private long maxCreditTicks;
    private int sounding; // pitched keys sounding now
    private int polyphonyMax;
    private long polyphonyTicks;
    private double polyphonySum;
    private long sweepTick;
    private boolean percussive;
    // Melody: per channel notes, notes starting over a sounding note, distinct pitches.
    private final int[] channelNotes = new int[16];
    private final int[] channelOverlaps = new int[16];
    private final int[] channelSounding = new int[16];
    private final long[] channelPitches = new long[32];
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
        this.bytes = bytes;
    }

    /** Runs the analysis; throws {@link MidiFormatException} for unreadable input. */
    public MidiAnalysis analyze() {
        try {
            readStructure();
            play();
            return result();
        } finally {
            clearTables();
        }
    }

    private void clearTables() {
        for (int word = 0; word < 32; word++) {
            for (long bits = touchedKeys[word]; bits != 0; bits &= bits - 1) {
                int key = word * 64 + Long.numberOfTrailingZeros(bits);
                keyActive[key] = 0;
                keyStart[key] = 0;
            }
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
        ended = new boolean[capacity];
        tick = new long[capacity];
        running = new int[capacity];
        eventStatusOf = new int[capacity];
        eventData = new int[capacity];
        eventLength = new int[capacity];
        eventType = new int[capacity];
        lastTick = new long[capacity];
        eventsRead = new int[capacity];
    }

    private void addTrack(int start, int chunkEnd, boolean truncated) {
        if (trackCount == pos.length) {
            int capacity = Math.min(MAX_TRACKS, trackCount * 2);
            pos = Arrays.copyOf(pos, capacity);
            end = Arrays.copyOf(end, capacity);
            chunkTruncated = Arrays.copyOf(chunkTruncated, capacity);
            ended = Arrays.copyOf(ended, capacity);
            tick = Arrays.copyOf(tick, capacity);
            running = Arrays.copyOf(running, capacity);
            eventStatusOf = Arrays.copyOf(eventStatusOf, capacity);
            eventData = Arrays.copyOf(eventData, capacity);
            eventLength = Arrays.copyOf(eventLength, capacity);
            eventType = Arrays.copyOf(eventType, capacity);
            lastTick = Arrays.copyOf(lastTick, capacity);
            eventsRead = Arrays.copyOf(eventsRead, capacity);
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
        // Heap entries are tick << 16 | track: one long comparison orders by tick, then track.
        heap = new long[Math.max(1, trackCount)];
        for (int t = 0; t < trackCount; t++) {
            if (run(t, -1, false)) { // decodes the first event only
                heap[heapSize++] = key(t);
            }
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
        while (heapSize > 0) {
            int t = (int) (heap[0] & 0xFFFF);
            // The top track plays on until its next event comes after the earliest other track's.
            long limit = Long.MAX_VALUE;
            if (heapSize > 1) {
                limit = heapSize > 2 ? Math.min(heap[1], heap[2]) : heap[1];
            }
            if (run(t, limit, true)) {
                siftDown(0, key(t));
            } else if (--heapSize > 0) {
                siftDown(0, heap[heapSize]);
            }
        }
        for (int t = 0; t < trackCount; t++) {
            durationTicks = Math.max(durationTicks, lastTick[t]);
        }
        if (truncatedChunkError >= 0) {
            int total = 0;
            for (int t = 0; t < trackCount; t++) {
                total += eventsRead[t];
            }
            if (total == 0) {
                throw new MidiFormatException(truncatedChunkMessage, truncatedChunkError);
            }
        }
        finishSounding();
    }

    private long key(int t) {
        return tick[t] << 16 | t;
    }

    private void siftDown(int i, long entry) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= entry) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = entry;
    }

    /**
     * Plays track {@code t}: handles its decoded pending event (when {@code handlePending}), then
     * decodes and handles events while their heap key (tick, track) is below {@code limit}.
     * The first event beyond is decoded into the cursor arrays and left pending. The cursor lives
     * in locals meanwhile: this loop is the hot path. Returns false when the track has ended (End
     * of Track, end of chunk, or a cut-off event, which is warned about).
     */
    private boolean run(int t, long limit, boolean handlePending) {
        final byte[] b = bytes;
        final int e = end[t];
        int p = pos[t];
        long now = tick[t];
        int status = running[t];
        if (handlePending) {
            handle(t);
            if (ended[t]) {
                return false;
            }
            p = pos[t];
        }
        int handled = 0;
        long handledTick = lastTick[t];
        boolean alive;
        while (true) {
            if (p >= e) {
                if (!chunkTruncated[t]) {
                    warn("track " + (t + 1) + " has no End of Track");
                }
                alive = false;
                break;
            }
            int eventStart = p;
            int c = b[p++];
            long delta = c & 0x7F;
            if (c < 0) {
                int i = 1;
                while (true) {
                    if (p >= e) {
                        break;
                    }
                    c = b[p++];
                    delta = (delta << 7) | (c & 0x7F);
                    if (c >= 0) {
                        break;
                    }
                    if (++i == 4) {
                        throw new MidiFormatException("delta time longer than 4 bytes at byte " + eventStart
                                + " (track " + (t + 1) + ")", eventStart);
                    }
                }
            }
            if (p >= e) {
                alive = cutOff(t, eventStart);
                break;
            }
            long eventTick = now + delta;
            if (eventTick > MAX_TICK) {
                throw new MidiFormatException("track " + (t + 1) + " reaches tick " + eventTick + " at byte "
                        + eventStart + ", beyond the 2^40 ticks this reader accepts", eventStart);
            }
            int eventStatus = b[p] & 0xFF;
            if (eventStatus >= 0x80) {
                p++;
            } else {
                eventStatus = status;
                if (eventStatus == 0) {
                    throw new MidiFormatException("data byte 0x" + hex(b[p]) + " at byte " + p
                            + " without a running status (track " + (t + 1) + ")", p);
                }
            }
            int type = 0;
            int length;
            if (eventStatus < 0xF0) {
                length = (eventStatus & 0xE0) == 0xC0 ? 1 : 2;
                if (p + length > e) {
                    alive = cutOff(t, eventStart);
                    break;
                }
                if ((b[p] | b[p + length - 1]) < 0) {
                    int at = b[p] < 0 ? p : p + length - 1;
                    throw new MidiFormatException("status byte 0x" + hex(b[at]) + " at byte " + at
                            + " where a data byte of 0x" + hex((byte) eventStatus) + " was expected (track "
                            + (t + 1) + ")", at);
                }
                status = eventStatus;
            } else if (eventStatus == 0xFF || eventStatus == 0xF0 || eventStatus == 0xF7) {
                if (eventStatus == 0xFF) {
                    if (p >= e) {
                        alive = cutOff(t, eventStart);
                        break;
                    }
                    type = b[p++] & 0xFF;
                }
                long value = 0;
                int lengthStart = p;
                boolean complete = false;
                for (int i = 0; p < e; i++) {
                    c = b[p++];
                    value = (value << 7) | (c & 0x7F);
                    if (c >= 0) {
                        complete = true;
                        break;
                    }
                    if (i == 3) {
                        throw new MidiFormatException("event length longer than 4 bytes at byte " + lengthStart
                                + " (track " + (t + 1) + ")", lengthStart);
                    }
                }
                if (!complete || value > e - p) {
                    alive = cutOff(t, eventStart);
                    break;
                }
                length = (int) value;
            } else {
                throw new MidiFormatException("illegal status byte 0x" + hex((byte) eventStatus) + " at byte "
                        + (p - 1) + " (track " + (t + 1) + ")", p - 1);
            }
            now = eventTick;
            if ((eventTick << 16 | t) > limit) {
                eventStatusOf[t] = eventStatus;
                eventType[t] = type;
                eventData[t] = p;
                eventLength[t] = length;
                p += length;
                alive = true;
                break;
            }
            // Handle it here, without going through the cursor arrays.
            handled++;
            handledTick = eventTick;
            if (eventTick != sweepTick) {
                advanceTime(eventTick);
            }
            int data = p;
            p += length;
            if (eventStatus < 0xF0) {
                channelEvent(eventStatus, data, eventTick);
            } else if (eventStatus == 0xFF) {
                pos[t] = p;
                meta(t, type, data, length, eventTick);
                if (ended[t]) {
                    p = pos[t];
                    alive = false;
                    break;
                }
            }
        }
        pos[t] = p;
        tick[t] = now;
        running[t] = status;
        eventsRead[t] += handled;
        lastTick[t] = handledTick;
        return alive;
    }

    private boolean cutOff(int t, int eventStart) {
        warn("track " + (t + 1) + " is cut off: the event at byte " + eventStart
                + (chunkTruncated[t] ? " runs past end of file" : " runs past the end of its chunk"));
        return false;
    }

    /** Handles the pending event decoded into the cursor arrays. */
    private void handle(int t) {
        long now = tick[t];
        eventsRead[t]++;
        lastTick[t] = now;
        if (now != sweepTick) {
            advanceTime(now);
        }
        int status = eventStatusOf[t];
        if (status < 0xF0) {
            channelEvent(status, eventData[t], now);
        } else if (status == 0xFF) {
            meta(t, eventType[t], eventData[t], eventLength[t], now);
        }
    }

    private void channelEvent(int status, int data, long now) {
        switch (status & 0xF0) {
            case 0x90 -> {
                int velocity = bytes[data + 1];
                if (velocity > 0) {
                    noteOn(status & 0x0F, bytes[data], velocity, now);
                } else {
                    noteOff(status & 0x0F, bytes[data], now);
                }
            }
            case 0x80 -> noteOff(status & 0x0F, bytes[data], now);
            case 0xC0 -> program[status & 0x0F] = bytes[data];
            default -> { } // aftertouch, controllers, pitch bend: nothing the catalog stores
        }
    }

    /** Closes the polyphony interval that ends at {@code now} and the fingerprint's last tick. */
    private void advanceTime(long now) {
        long span = now - sweepTick;
        if (sounding > 0 && span > 0) {
            polyphonyMax = Math.max(polyphonyMax, sounding);
            polyphonyTicks += span;
            polyphonySum += (double) sounding * span;
        }
        sweepTick = now;
    }

    private void noteOn(int channel, int pitch, int velocity, long now) {
        noteCount++;
        velocitySum += velocity;
        if (pitchMin < 0 || pitch < pitchMin) {
            pitchMin = pitch;
        }
        pitchMax = Math.max(pitchMax, pitch);
        pitchesUsed[pitch >> 6] |= 1L << (pitch & 63);
        int instrument = channel * 128 + program[channel];
        instrumentNotes[instrument]++;
        touchedInstruments[instrument >> 6] |= 1L << instrument;
        boolean drum = channel == DRUMS;
        fingerprintNote(now, (pitch << 1) | (drum ? 1 : 0));
        if (drum) {
            percussive = true;
            return;
        }
        pitchedNotes++;
        channelNotes[channel]++;
        if (channelSounding[channel] > 0) {
            channelOverlaps[channel]++;
        }
        channelPitches[channel * 2 + (pitch >> 6)] |= 1L << (pitch & 63);
        if (!hasChords && now - previousStartTick2 <= chordWindow
                && pitch != previousPitch1 && pitch != previousPitch2 && previousPitch1 != previousPitch2) {
            hasChords = true;
        }
        previousStartTick2 = previousStartTick1;
        previousPitch2 = previousPitch1;
        previousStartTick1 = now;
        previousPitch1 = pitch;
        int key = channel * 128 + pitch;
        if (keyActive[key] > 0) {
            credit(pitch, now - keyStart[key]); // a re-struck key: the old sound ends here
        } else {
            sounding++;
            channelSounding[channel]++;
        }
        keyActive[key]++;
        keyStart[key] = now;
        touchedKeys[key >> 6] |= 1L << key;
    }

    private void noteOff(int channel, int pitch, long now) {
        if (channel == DRUMS) {
            return;
        }
        int key = channel * 128 + pitch;
        if (keyActive[key] == 0) {
            return;
        }
        credit(pitch, now - keyStart[key]);
        keyStart[key] = now;
        if (--keyActive[key] == 0) {
            sounding--;
            channelSounding[channel]--;
        }
    }

    private void finishSounding() {
        advanceTime(Math.max(sweepTick, durationTicks));
        for (int word = 0; word < 32; word++) {
            for (long bits = touchedKeys[word]; bits != 0; bits &= bits - 1) {
                int key = word * 64 + Long.numberOfTrailingZeros(bits);
                if (keyActive[key] > 0) {
                    credit(key & 127, durationTicks - keyStart[key]);
                }
            }
        }
        flushFingerprintTick();
    }

    /** Adds a sounding span to the key histogram; a hanging note counts for a few beats at most. */
    private void credit(int pitch, long ticks) {
        pitchClassWeight[pitch % 12] += Math.max(1, Math.min(ticks, maxCreditTicks));
    }

    /**
     * The fingerprint hashes, tick by tick, the set of notes starting at that tick: a sum of
     * mixed values within a tick (so the order tracks list them in does not matter, and no sort
     * is needed), chained across ticks in order.
     */
    private void fingerprintNote(long now, int value) {
        if (now != fingerprintTick) {
            flushFingerprintTick();
            fingerprintTick = now;
        }
        tickSum += finish(value + 0x9E3779B97F4A7C15L);
        tickNoteCount++;
    }

    private void flushFingerprintTick() {
        if (tickNoteCount == 0) {
            return;
        }
        long normalised = division == FINGERPRINT_PPQ ? fingerprintTick
                : (fingerprintTick * FINGERPRINT_PPQ + division / 2) / division;
        fingerprint = mix(mix(fingerprint, normalised), tickSum);
        tickSum = 0;
        tickNoteCount = 0;
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

    private void meta(int t, int type, int data, int length, long now) {
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
            case 0x2F -> {
                if (pos[t] < end[t]) {
                    int left = end[t] - pos[t];
                    warn("track " + (t + 1) + " has " + left + " bytes after End of Track at byte " + data);
                }
                pos[t] = end[t];
                ended[t] = true;
            }
            default -> { } // sequence number, markers, cue points, SMPTE offset, sequencer data
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
        boolean hasMelody = false;
        for (int channel = 0; channel < 16; channel++) {
            int distinct = Long.bitCount(channelPitches[channel * 2]) + Long.bitCount(channelPitches[channel * 2 + 1]);
            if (channel != DRUMS && channelNotes[channel] >= 16 && distinct >= 5
                    && channelOverlaps[channel] <= channelNotes[channel] / 4) {
                hasMelody = true;
            }
        }
        Texts texts = texts();
        if (droppedWarnings > 0) {
            warnings.add("and " + droppedWarnings + " more warnings");
        }
        int uniquePitches = Long.bitCount(pitchesUsed[0]) + Long.bitCount(pitchesUsed[1]);
        return new MidiAnalysis(format, trackCount, division, smpte, durationTicks, durationSeconds,
                bpm, initialBpm, bpmSource, tempoChanges, timeSignature, timeSignatures,
                keySignature, keySignatures, key.key(), key.confidence(),
                noteCount, uniquePitches, pitchMin, pitchMax,
                noteCount == 0 ? 0 : (double) velocitySum / noteCount,
                durationSeconds > 0 ? noteCount / durationSeconds : 0,
                polyphonyMax, polyphonyTicks == 0 ? 0 : polyphonySum / polyphonyTicks,
                polyphonyMax <= 1, percussive, hasChords, hasMelody,
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
