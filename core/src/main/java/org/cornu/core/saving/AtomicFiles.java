package org.cornu.core.saving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Atomic file replacement: the content is written to a temporary file in the target's folder,
 * then moved over the target ({@code ATOMIC_MOVE}), so a failure at any point (an exception, a
 * read-only folder, a full disk, a crash) leaves the previous file intact.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes a file's content to the given path. */
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Writes through {@code w} to a temporary file beside {@code target}, then moves it over {@code target}. */
    public static void write(Path target, Writer w) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (dir != null && !Files.isDirectory(dir)) Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            w.write(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("Cannot save " + target + ": permission denied (" + e.getFile()
                    + "); the existing file, if any, is unchanged", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save " + target + ": " + e + "; the existing file, if any, is unchanged", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

}
