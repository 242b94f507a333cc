package io.midicatalog.midi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A 24 MB file is analysed in a JVM limited to a 64 MB heap. */
class LargeFileMemoryTest {
    static final int SIZE = 24 * 1024 * 1024;

    @Test
    void analyze_24MegabyteFile_fitsIn64MegabyteHeap() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LargeFileMemoryTest.class.getName())
                .redirectErrorStream(true)
                .start();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            process.destroyForcibly();
        }
        System.out.print(output);
        assertThat(done).as("finished within 60 s").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("notes=");
    }

    /** Builds the file in place (no stream buffer that would double it) and analyses it. */
    public static void main(String[] args) {
        byte[] file = new byte[SIZE];
        int p = 0;
        p = put(file, p, 'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, 'M', 'T', 'r', 'k');
        int lengthAt = p;
        p += 4;
        p = put(file, p, 0x00, 0x90, 60, 100);
        int notes = 1;
        int step = 0;
        while (p + 16 < SIZE) {
            int pitch = 48 + (step * 7) % 36;
            // running-status Note On, then Note Off as velocity 0: 4 bytes each
            p = put(file, p, 0x10, pitch, 90, 0x20, pitch, 0);
            notes++;
            step++;
        }
        p = put(file, p, 0x00, 0xFF, 0x2F, 0x00);
        int length = p - lengthAt - 4;
        put(file, lengthAt, length >>> 24, length >>> 16, length >>> 8, length);
        byte[] exact = java.util.Arrays.copyOf(file, p);
        file = null;
        long start = System.nanoTime();
        MidiAnalysis analysis = MidiAnalyzer.analyze(exact);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("24 MB file: notes=%d (expected %d), key=%s, %d ms, %.1f MB/s%n", analysis.noteCount(), notes,
                analysis.detectedKey(), millis, exact.length / 1e6 / Math.max(1, millis) * 1000);
        if (analysis.noteCount() != notes) {
            System.exit(2);
        }
    }

    private static int put(byte[] file, int p, int... values) {
        for (int v : values) {
            file[p++] = (byte) v;
        }
        return p;
    }
}
