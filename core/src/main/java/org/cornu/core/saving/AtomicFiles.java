package org.cornu.core.saving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic file replacement, as a careful program saves: the content is written to a temporary
 * file in the target's folder, flushed to the disk, then moved over the target
 * ({@code ATOMIC_MOVE}), so a failure at any point (an exception, a read-only folder, a full disk,
 * a crash) leaves the previous file intact.
 *
 * <ul>
 *   <li><b>Permissions:</b> the new file keeps the permissions (and, where allowed, the owner and
 *       group) of the file it replaces; a new file gets those of any newly created file (0644 under
 *       a 022 umask), not the 0600 of {@code Files.createTempFile}.</li>
 *   <li><b>Temporary files:</b> named {@code .<name>.cornu-<host>-<pid>-<random>.tmp}. A process
 *       killed while saving leaves one behind; the next save to the same path removes those of this
 *       host whose process is gone (or is this process, with no save of it in progress), and never
 *       any other file.</li>
 * </ul>
 */
public final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = hostTag();
    /** Temporary files of this process's saves in progress. */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    /** Name bytes kept from the target in a temporary file's name (file names are limited to 255 bytes). */
    private static final int MAX_STEM = 180;

    private AtomicFiles() {}

    /** Writes a file's content to the given path. */
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param tmp the temporary file to write
         * @throws IOException if writing fails
         */
        void write(Path tmp) throws IOException;
    }

    /**
     * Writes through {@code w} to a temporary file beside {@code target}, flushes it to the disk,
     * then moves it over {@code target}. The temporary file exists (empty, with its final
     * permissions) when {@code w} is called; {@code w} may replace it.
     *
     * @param target the file to replace
     * @param w writes the content
     * @throws UncheckedIOException if anything fails; {@code target} is then unchanged
     */
    public static void write(Path target, Writer w) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            if (dir != null && !Files.isDirectory(dir)) Files.createDirectories(dir);
            removeStale(abs);
            tmp = createTemp(abs);
            PosixFileAttributes old = existing(abs);
            // while being written, a replacement is private: the old file may have been
            if (old != null) restrict(tmp);
            w.write(tmp);
            if (old != null) keepPermissions(old, abs, tmp);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            IN_FLIGHT.remove(tmp);
            tmp = null;
            syncFolder(dir);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("Cannot save " + target + ": permission denied (" + e.getFile()
                    + "); the existing file, if any, is unchanged", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save " + target + ": " + e + "; the existing file, if any, is unchanged", e);
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            throw new UncheckedIOException("Cannot save " + target + ": " + cause + "; the existing file, if any, is unchanged", cause);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; a later save to the same path removes it
                }
                IN_FLIGHT.remove(tmp);
            }
        }
    }

    // ------------------------------------------------------------------ temporary files

    /** The part of a temporary file's name taken from the target's: the name itself, or a prefix and a checksum when long. */
    static String stem(Path target) {
        String name = target.getFileName().toString();
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_STEM) return name;
        CRC32 crc = new CRC32();
        crc.update(utf8);
        int cut = Math.min(name.length(), 100);
        if (Character.isHighSurrogate(name.charAt(cut - 1))) cut--;
        return name.substring(0, cut) + "~" + String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /** The pattern of this class's temporary files for {@code target}: groups 1 host, 2 pid. */
    static Pattern tempPattern(Path target) {
        return Pattern.compile("\\." + Pattern.quote(stem(target)) + "\\.cornu-([0-9a-f]{8})-([0-9]{1,19})-[0-9a-f]{16}\\.tmp");
    }

    /** A temporary file name for {@code target} from this process (host and pid in it). */
    static String tempName(Path target, long pid, String host) {
        return "." + stem(target) + ".cornu-" + host + "-" + pid + "-"
                + String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    /** This host's tag in temporary file names: a checksum of its name. */
    static String host() {
        return HOST;
    }

    private static Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = target.resolveSibling(tempName(target, PID, HOST));
            IN_FLIGHT.add(tmp);
            try {
                // created as any new file is (0666 less the umask), not private as createTempFile makes it
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                IN_FLIGHT.remove(tmp);
                if (attempt > 100) throw e;
            } catch (IOException | RuntimeException e) {
                IN_FLIGHT.remove(tmp);
                throw e;
            }
        }
    }

    /**
     * Removes the temporary files that saves to {@code target} left behind: those of this host
     * whose process has ended, and this process's own that no save in progress holds. Best effort:
     * a file that cannot be removed stays.
     */
    static void removeStale(Path target) {
        Path dir = target.getParent();
        if (dir == null) return;
        Pattern p = tempPattern(target);
        String prefix = "." + stem(target) + ".cornu-";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(prefix))) {
            for (Path f : s) {
                Matcher m = p.matcher(f.getFileName().toString());
                if (!m.matches() || !m.group(1).equals(HOST)) continue;
                long pid;
                try {
                    pid = Long.parseLong(m.group(2));
                } catch (NumberFormatException e) {
                    continue;
                }
                boolean stale = pid == PID ? !IN_FLIGHT.contains(f) : ProcessHandle.of(pid).isEmpty();
                if (!stale) continue;
                try {
                    if (Files.deleteIfExists(f)) LOG.debug("Removed {}, left by an interrupted save (process {})", f, pid);
                } catch (IOException e) {
                    LOG.debug("Cannot remove the stale temporary file {}: {}", f, e.toString());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("Cannot list {} for stale temporary files: {}", dir, e.toString());
        }
    }

    private static String hostTag() {
        String name = null;
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) name = Files.readString(p).strip();
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        if (name == null || name.isEmpty()) name = System.getenv("HOSTNAME");
        if (name == null || name.isEmpty()) name = System.getenv("COMPUTERNAME");
        if (name == null) name = "";
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    // ------------------------------------------------------------------ permissions and durability

    /** The POSIX attributes of the file being replaced, or null for a new file (or a file system without them). */
    private static PosixFileAttributes existing(Path target) throws IOException {
        try {
            return Files.readAttributes(target, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** Owner read and write only. */
    private static void restrict(Path tmp) throws IOException {
        Files.setPosixFilePermissions(tmp, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    /** Gives {@code tmp} the permissions of the file it replaces, and its owner and group where allowed. */
    private static void keepPermissions(PosixFileAttributes old, Path target, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view == null) return;
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.owner().equals(old.owner())) view.setOwner(old.owner());
        } catch (IOException e) {
            LOG.debug("Cannot give {} the owner of {}: {}", tmp, target, e.toString());
        }
        try {
            if (!now.group().equals(old.group())) view.setGroup(old.group());
        } catch (IOException e) {
            LOG.debug("Cannot give {} the group of {}: {}", tmp, target, e.toString());
        }
        // after the owner and group: changing them may clear set-id bits
        view.setPermissions(old.permissions());
    }

    /** Flushes the folder's entries (the rename) to the disk where the platform allows it. */
    private static void syncFolder(Path dir) {
        if (dir == null) return;
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here (Windows): the file itself was flushed before the move
        }
    }
}
