package io.midicatalog.importer;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitor;
import java.nio.file.Path;
import java.util.Set;

/** The real disk, calling a hook before each read: tests count reads or act at a given one. */
final class HookedDisk implements Disk {
    interface Hook {
        void beforeRead(Path file) throws IOException;
    }

    private final Hook hook;

    HookedDisk(Hook hook) {
        this.hook = hook;
    }

    @Override
    public void walk(Path start, Set<FileVisitOption> options, FileVisitor<Path> visitor) throws IOException {
        Disk.REAL.walk(start, options, visitor);
    }

    @Override
    public byte[] read(Path file) throws IOException {
        hook.beforeRead(file);
        return Disk.REAL.read(file);
    }
}
