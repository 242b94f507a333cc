package io.midicatalog.midi;

import static io.midicatalog.midi.Smf.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.midicatalog.api.GmFamily;
import io.midicatalog.api.MidiFormatException;
import io.midicatalog.api.MusicalKey;
import io.midicatalog.api.TimeSignature;
import io.midicatalog.api.ValueSource;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MidiAnalyzerTest {
    /** C-E-G chord for a quarter, then D for a quarter, at 96 ppq, channel 1, program 33. */
    private static final int[] SONG = {
        0x00, 0xC0, 33,
        0x00, 0x90, 60, 100, 0x00, 64, 100, 0x00, 67, 100, // running status
        0x60, 0x80, 60, 0, 0x00, 64, 0, 0x00, 67, 0,
        0x00, 0x90, 62, 80,
        0x60, 62, 0, // Note On velocity 0 is a Note Off
    };

    private static byte[] concat(int[]... parts) {
        int[] all = new int[0];
        for (int[] part : parts) {
            int[] next = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, next, all.length, part.length);
            all = next;
        }
        return events(all);
    }

    @Test
    void analyze_simpleSong_countsNotesPolyphonyAndInstruments() {
        byte[] file = Smf.header(0, 1, 96).track(concat(SONG, Smf.END)).bytes();
        MidiAnalysis analysis = MidiAnalyzer.analyze(file);
        assertThat(analysis.format()).isZero();
        assertThat(analysis.noteCount()).isEqualTo(4);
        assertThat(analysis.durationTicks()).isEqualTo(192);
        assertThat(analysis.durationSeconds()).isEqualTo(1.0);
        assertThat(analysis.bpm()).isEqualTo(120.0);
        assertThat(analysis.bpmSource()).isEqualTo(ValueSource.DEFAULT);
        assertThat(analysis.polyphonyMax()).isEqualTo(3);
        assertThat(analysis.polyphonyAvg()).isEqualTo(2.0);
        assertThat(analysis.hasChords()).isTrue();
        assertThat(analysis.monophonic()).isFalse();
        assertThat(analysis.pitchMin()).isEqualTo(60);
        assertThat(analysis.pitchMax()).isEqualTo(67);
        assertThat(analysis.uniquePitches()).isEqualTo(4);
        assertThat(analysis.avgVelocity()).isEqualTo(95.0);
        assertThat(analysis.instruments()).containsExactly(new MidiAnalysis.Instrument(0, 33, GmFamily.BASS, 4));
        assertThat(analysis.gmFamilies()).isEqualTo(GmFamily.BASS.bit());
        assertThat(analysis.programs()).containsExactly(33);
        assertThat(analysis.detectedKey()).isEqualTo(MusicalKey.UNKNOWN);
        assertThat(analysis.warnings()).isEmpty();
        assertThat(analysis.timeSignature()).isEqualTo(TimeSignature.COMMON);
        assertThat(analysis.keySignature()).isNull();
    }

    @Test
    void analyze_tempoMap_durationThroughTempoAndLongestTempoWins() {
        int[] tempo = {
            0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, // 120 bpm
            0x60, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40, // 60 bpm after one quarter
            0x81, 0x40, 0xFF, 0x2F, 0x00, // two more quarters (192 ticks)
        };
        MidiAnalysis analysis = MidiAnalyzer.analyze(Smf.header(1, 1, 96).track(events(tempo)).bytes());
        assertThat(analysis.initialBpm()).isEqualTo(120.0);
        assertThat(analysis.bpm()).isEqualTo(60.0);
        assertThat(analysis.bpmSource()).isEqualTo(ValueSource.META);
        assertThat(analysis.tempoChanges()).extracting(MidiAnalysis.TempoChange::tick).containsExactly(0L, 96L);
        assertThat(analysis.durationSeconds()).isEqualTo(0.5 + 2.0);
    }

    @Test
    void analyze_metaEvents_decodeSignaturesAndTexts() {
        byte[] gbk = "你好".getBytes(StandardCharsets.UTF_8);
        byte[] latin = "Café".getBytes(StandardCharsets.UTF_8);
        byte[] utf8 = "Ünïcode".getBytes(StandardCharsets.UTF_8);
        int[] head = {
            0x00, 0xFF, 0x58, 0x04, 6, 3, 24, 8, // 6/8
            0x00, 0xFF, 0x59, 0x02, 0xFE, 1, // 2 flats, minor: G minor
            0x00, 0xFF, 0x03, utf8.length};
        int[] latinText = {0x00, 0xFF, 0x02, latin.length};
        int[] lyric = {0x00, 0xFF, 0x05, gbk.length};
        byte[] track = concat(head, ints(utf8), latinText, ints(latin), lyric, ints(gbk), Smf.END);
        MidiAnalysis analysis = MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(track).bytes());
        assertThat(analysis.timeSignature()).isEqualTo(new TimeSignature(6, 8));
        assertThat(analysis.keySignature()).isEqualTo(MusicalKey.G_MINOR);
        assertThat(analysis.trackNames()).containsExactly("Ünïcode");
        assertThat(analysis.copyright()).containsExactly("Café");
        assertThat(analysis.lyrics()).containsExactly("你好");
    }

    private static int[] ints(byte[] bytes) {
        int[] values = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] & 0xFF;
        }
        return values;
    }

    @Test
    void analyze_runningStatusAcrossMetaAndSysEx_keepsStatus() {
        int[] track = {
            0x00, 0x90, 60, 100,
            0x00, 0xFF, 0x01, 0x01, 'x', // text between running-status notes
            0x00, 62, 100,
            0x00, 0xF0, 0x02, 0x7E, 0xF7, // SysEx
            0x00, 64, 100,
            0x10, 0x80, 60, 0, 0x00, 62, 0, 0x00, 64, 0,
        };
        MidiAnalysis analysis = MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(concat(track, Smf.END)).bytes());
        assertThat(analysis.noteCount()).isEqualTo(3);
        assertThat(analysis.texts()).containsExactly("x");
    }

    @Test
    void analyze_fourByteDelta_isRead() {
        int[] track = {0x81, 0x80, 0x80, 0x00, 0x90, 60, 100, 0x00, 0x80, 60, 0};
        MidiAnalysis analysis = MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(concat(track, Smf.END)).bytes());
        assertThat(analysis.durationTicks()).isEqualTo(1L << 21);
    }

    @Test
    void analyze_fiveByteDelta_failsWithOffset() {
        int[] track = {0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 100};
        assertThatThrownBy(() -> MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(concat(track, Smf.END)).bytes()))
                .isInstanceOf(MidiFormatException.class)
                .hasMessage("delta time longer than 4 bytes at byte 22 (track 1)");
    }

    @Test
    void analyze_truncatedLastTrack_keepsNotesAndWarns() {
        byte[] whole = Smf.header(1, 2, 96).track(concat(SONG, Smf.END)).track(concat(SONG, Smf.END)).bytes();
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        MidiAnalysis analysis = MidiAnalyzer.analyze(cut);
        assertThat(analysis.tracks()).isEqualTo(2);
        assertThat(analysis.noteCount()).isEqualTo(4 + 3);
        assertThat(analysis.warnings()).anySatisfy(w -> assertThat(w).contains("runs past end of file"));
    }

    @Test
    void analyze_missingEndOfTrackAndTrailingGarbage_warns() {
        byte[] file = Smf.header(0, 1, 96).track(events(SONG)).raw(0x00, 0x01, 0x02).bytes();
        MidiAnalysis analysis = MidiAnalyzer.analyze(file);
        assertThat(analysis.noteCount()).isEqualTo(4);
        assertThat(analysis.warnings()).containsExactly(
                "3 bytes of trailing garbage at byte 52", "track 1 has no End of Track");
    }

    @Test
    void analyze_trackCountDisagreesAndUnknownChunk_warns() {
        byte[] file = Smf.header(1, 3, 96).ascii("XFIH").u32(2).raw(1, 2).track(concat(SONG, Smf.END)).bytes();
        MidiAnalysis analysis = MidiAnalyzer.analyze(file);
        assertThat(analysis.tracks()).isEqualTo(1);
        assertThat(analysis.warnings()).containsExactly(
                "skipped unknown chunk 'XFIH' (2 bytes) at byte 14", "header declares 3 tracks but the file has 1");
    }

    @Test
    void analyze_chunkLengthPastEndWithNothingReadable_failsWithOffset() {
        byte[] file = Smf.header(0, 1, 96).ascii("MTrk").u32(5000).raw(0x00, 0x90).bytes();
        assertThatThrownBy(() -> MidiAnalyzer.analyze(file))
                .isInstanceOf(MidiFormatException.class)
                .hasMessage("chunk length 5000 at byte 14 runs past end of file (2 bytes left)")
                .satisfies(e -> assertThat(((MidiFormatException) e).offset()).isEqualTo(14));
    }

    @Test
    void analyze_nonMidiInputs_failWithReason() {
        assertThatThrownBy(() -> MidiAnalyzer.analyze(new byte[0])).hasMessage("empty file (0 bytes)");
        assertThatThrownBy(() -> MidiAnalyzer.analyze("<!DOCTYPE html><html>".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MidiFormatException.class).hasMessageContaining("HTML");
        assertThatThrownBy(() -> MidiAnalyzer.analyze(events('P', 'K', 3, 4, 20, 0, 0, 0)))
                .isInstanceOf(MidiFormatException.class).hasMessageContaining("ZIP");
        assertThatThrownBy(() -> MidiAnalyzer.analyze(events('R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'A', 'V', 'E')))
                .isInstanceOf(MidiFormatException.class).hasMessageContaining("WAV");
        assertThatThrownBy(() -> MidiAnalyzer.analyze("SMF2CLIP".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MidiFormatException.class).hasMessageContaining("MIDI 2.0 clip");
    }

    @Test
    void analyze_illegalStatusByte_failsWithOffset() {
        int[] track = {0x00, 0xF4, 0x00, 0x90, 60, 100};
        assertThatThrownBy(() -> MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(concat(track, Smf.END)).bytes()))
                .isInstanceOf(MidiFormatException.class)
                .hasMessage("illegal status byte 0xF4 at byte 23 (track 1)");
    }

    @Test
    void analyze_riffRmid_unwrapsDataChunk() {
        byte[] smf = Smf.header(0, 1, 96).track(concat(SONG, Smf.END)).bytes();
        Smf riff = new Smf().ascii("RIFF").raw(le(smf.length + 12)).ascii("RMID").ascii("data").raw(le(smf.length));
        riff.raw(ints(smf));
        MidiAnalysis analysis = MidiAnalyzer.analyze(riff.bytes());
        assertThat(analysis.noteCount()).isEqualTo(4);
    }

    @Test
    void isMidiFileName_theExtensionsMidiFilesCarry() {
        for (String name : List.of("a.mid", "B.MID", "c.midi", "d.Kar", "e.rmi", "SONG01.SMF", "dir/f.mid")) {
            assertThat(MidiAnalyzer.isMidiFileName(Path.of(name))).as(name).isTrue();
        }
        for (String name : List.of("a.txt", "b.mid.txt", "c.wav", "mid", "d.midi2", "/", "__MACOSX/Pack/._Kick.mid",
                "._Groove.MID")) {
            assertThat(MidiAnalyzer.isMidiFileName(Path.of(name))).as(name).isFalse();
        }
    }

    @Test
    void analyze_macBinaryWrapped_readsTheDataForkAndWarns() {
        byte[] smf = Smf.header(0, 1, 96).track(concat(SONG, Smf.END)).bytes();
        byte[] wrapped = new byte[128 + smf.length + 40]; // header, data fork, a resource fork
        String name = "Groove.mid";
        wrapped[1] = (byte) name.length();
        System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, wrapped, 2, name.length());
        System.arraycopy("MidiTVOD".getBytes(StandardCharsets.US_ASCII), 0, wrapped, 65, 8);
        wrapped[83 + 2] = (byte) (smf.length >>> 8);
        wrapped[83 + 3] = (byte) smf.length;
        System.arraycopy(smf, 0, wrapped, 128, smf.length);
        Arrays.fill(wrapped, 128 + smf.length, wrapped.length, (byte) 0xA5);

        MidiAnalysis analysis = MidiAnalyzer.analyze(wrapped);

        MidiAnalysis plain = MidiAnalyzer.analyze(smf);
        assertThat(analysis.noteCount()).isEqualTo(plain.noteCount()).isEqualTo(4);
        assertThat(analysis.durationTicks()).isEqualTo(plain.durationTicks());
        assertThat(analysis.fingerprint()).isEqualTo(plain.fingerprint());
        assertThat(analysis.warnings()).containsExactly("MacBinary header (128 bytes) before the MThd chunk skipped");
        // not every file with MThd at 128 is MacBinary: 128 bytes of text before it stay an error
        byte[] text = wrapped.clone();
        Arrays.fill(text, 0, 128, (byte) 'x');
        assertThatThrownBy(() -> MidiAnalyzer.analyze(text)).isInstanceOf(MidiFormatException.class)
                .hasMessageContaining("no MThd header");
    }

    private static int[] le(int value) {
        return new int[] {value, value >>> 8, value >>> 16, value >>> 24};
    }

    @Test
    void analyze_smpteDivision_durationFromFrames() {
        int[] track = {0x00, 0x90, 60, 100, 0x81, 0x48, 0x80, 60, 0}; // 200 ticks
        byte[] file = Smf.header(0, 1, 0xE728).track(concat(track, Smf.END)).bytes(); // 25 fps x 40
        MidiAnalysis analysis = MidiAnalyzer.analyze(file);
        assertThat(analysis.smpte()).isTrue();
        assertThat(analysis.division()).isEqualTo(1000);
        assertThat(analysis.durationSeconds()).isEqualTo(0.2);
    }

    @Test
    void analyze_sameNotesOtherLayout_sameFingerprint() {
        int[] melody = {0x00, 0x90, 60, 100, 0x60, 0x80, 60, 0, 0x00, 0x90, 67, 100, 0x60, 0x80, 67, 0};
        int[] bass = {0x00, 0x91, 36, 100, 0x81, 0x40, 0x81, 36, 0};
        int[] merged = {0x00, 0x90, 60, 100, 0x00, 0x91, 36, 100, 0x60, 0x80, 60, 0,
            0x00, 0x90, 67, 100, 0x60, 0x80, 67, 0, 0x00, 0x81, 36, 0};
        int[] tempoAndText = {0x00, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40, 0x00, 0xFF, 0x01, 0x02, 'h', 'i'};
        MidiAnalysis twoTracks = MidiAnalyzer.analyze(
                Smf.header(1, 2, 96).track(concat(melody, Smf.END)).track(concat(bass, Smf.END)).bytes());
        MidiAnalysis oneTrack = MidiAnalyzer.analyze(
                Smf.header(0, 1, 96).track(concat(tempoAndText, merged, Smf.END)).bytes());
        assertThat(oneTrack.fingerprint()).isEqualTo(twoTracks.fingerprint());
        MidiAnalysis transposed = MidiAnalyzer.analyze(
                Smf.header(1, 2, 96).track(concat(melody, Smf.END)).track(concat(
                        new int[] {0x00, 0x91, 38, 100, 0x81, 0x40, 0x81, 38, 0}, Smf.END)).bytes());
        assertThat(transposed.fingerprint()).isNotEqualTo(twoTracks.fingerprint());
    }

    @Test
    void analyze_drumChannel_percussiveButNotPitched() {
        int[] track = {0x00, 0x99, 36, 100, 0x00, 0x99, 38, 100, 0x00, 0x99, 42, 100, 0x60, 0x89, 36, 0};
        MidiAnalysis analysis = MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(concat(track, Smf.END)).bytes());
        assertThat(analysis.percussive()).isTrue();
        assertThat(analysis.noteCount()).isEqualTo(3);
        assertThat(analysis.hasChords()).isFalse();
        assertThat(analysis.polyphonyMax()).isZero();
        assertThat(analysis.gmFamilies()).isEqualTo(GmFamily.DRUMS.bit());
        assertThat(analysis.programs()).isEmpty();
    }

    @Test
    void analyze_hugeTickClaims_failFast() {
        int[] track = new int[4 + 6 * 5000];
        System.arraycopy(new int[] {0x00, 0x90, 60, 100}, 0, track, 0, 4);
        for (int i = 0; i < 5000; i++) { // 5000 maximal deltas of 2^28 ticks, running-status notes
            System.arraycopy(new int[] {0xFF, 0xFF, 0xFF, 0x7F, 60, 100}, 0, track, 4 + i * 6, 6);
        }
        byte[] file = Smf.header(0, 1, 96).track(events(track)).bytes();
        assertThatThrownBy(() -> MidiAnalyzer.analyze(file))
                .isInstanceOf(MidiFormatException.class)
                .hasMessageContaining("beyond the 2^40 ticks");
    }

    @Test
    void analyze_koreanAndChineseLyrics_decodedPerFile() {
        byte[] korean = "사랑해요".getBytes(Charset.forName("EUC-KR"));
        byte[] chinese = "明山涌水".getBytes(Charset.forName("GBK"));
        byte[] latin = "Café".getBytes(Charset.forName("windows-1252"));
        for (var sample : java.util.Map.of("사랑해요", korean, "明山涌水", chinese, "Café", latin).entrySet()) {
            byte[] text = sample.getValue();
            int[] track = new int[0];
            for (int i = 0; i + 1 < text.length; i += 2) { // one syllable per Lyric event, as karaoke files do
                track = Arrays.copyOf(track, track.length + 6);
                System.arraycopy(new int[] {0x00, 0xFF, 0x05, 2, text[i] & 0xFF, text[i + 1] & 0xFF},
                        0, track, track.length - 6, 6);
            }
            MidiAnalysis analysis = MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(concat(track, Smf.END)).bytes());
            assertThat(analysis.lyrics()).containsExactly(sample.getKey());
        }
    }

    @Test
    void analyze_megabytesOfText_keepsABoundedAmountAndWarns() {
        int[] event = new int[4 + 3 + 4096];
        event[1] = 0xFF;
        event[2] = 0x01;
        event[3] = 0xA0; // length 4096 as a VLQ: 0xA0 0x00
        event[4] = 0x00;
        Arrays.fill(event, 5, event.length, 'x');
        int[][] parts = new int[301][];
        Arrays.fill(parts, 0, 300, Arrays.copyOf(event, 5 + 4096));
        parts[300] = Smf.END;
        MidiAnalysis analysis = MidiAnalyzer.analyze(Smf.header(0, 1, 96).track(concat(parts)).bytes());
        assertThat(analysis.texts()).hasSizeLessThan(300);
        assertThat(analysis.warnings()).anySatisfy(w -> assertThat(w).contains("bytes of text events"));
    }

    @Test
    void analyze_headerLengthSkippingTheFirstTrack_readsTrackAndWarns() {
        byte[] file = new Smf().ascii("MThd").u32(22).u16(0).u16(1).u16(96).track(concat(SONG, Smf.END)).bytes();
        MidiAnalysis analysis = MidiAnalyzer.analyze(file);
        assertThat(analysis.noteCount()).isEqualTo(4);
        assertThat(analysis.warnings()).containsExactly(
                "header chunk length 22 at byte 4 would skip the MTrk chunk at byte 14; read as 6");
    }

    @Test
    void analyze_noTrackChunkAtAll_fails() {
        byte[] file = Smf.header(0, 1, 96).ascii("mTrk").u32(4).raw(Smf.END).bytes();
        assertThatThrownBy(() -> MidiAnalyzer.analyze(file))
                .isInstanceOf(MidiFormatException.class)
                .hasMessage("no MTrk chunk in the file though the header declares 1 tracks");
    }
}
