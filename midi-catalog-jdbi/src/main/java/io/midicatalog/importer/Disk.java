package io.midicatalog.importer;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * How an import reaches the files: {@link #REAL} is the file system. Tests wrap it to fail where
 * chmod cannot make a process that runs as root fail (a folder that cannot be listed, a file that
 * cannot be read), so the import's error paths are tested on every machine.
 */
interface Disk {
    Disk REAL = new Disk() {
        @Override
        public void walk(Path start, Set<FileVisitOption> options, FileVisitor<Path> visitor) throws IOException {
            Files.walkFileTree(start, options, Integer.MAX_VALUE, visitor);
        }

        @Override
        public byte[] read(Path file) throws IOException {
            return Files.readAllBytes(file);
        }
    };

    /** {@link Files#walkFileTree(Path, Set, int, FileVisitor)} without a depth limit. */
    void walk(Path start, Set<FileVisitOption> options, FileVisitor<Path> visitor) throws IOException;

    /** {@link Files#readAllBytes(Path)}. */
    byte[] read(Path file) throws IOException;
}
