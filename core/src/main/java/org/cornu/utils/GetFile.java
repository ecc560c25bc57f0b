package org.cornu.utils;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a file from a URL if it is not already in the cache, as {@code keras.utils.get_file}.
 *
 * <p>By default the file at {@code origin} is downloaded to the cache directory
 * {@code ~/.keras} (Keras's own, so files Keras downloaded are reused), placed in the
 * {@code cacheSubdir} {@code datasets} or {@code models}, and given the name {@code fname}: the
 * final location of {@code example.txt} in {@code models} is {@code ~/.keras/models/example.txt}.
 * {@code KERAS_HOME} moves the cache directory, as in Keras; so does the system property
 * {@value #PROP_KERAS_HOME}, which takes precedence. A cache directory that cannot be written is
 * replaced by {@code /tmp/.keras}, as Keras does.
 *
 * <p>With a {@code fileHash} (SHA-256, 64 hex digits, or MD5, 32 hex digits, told apart by length
 * as Keras's {@code hash_algorithm="auto"}) a cached file is checked and downloaded again if its
 * hash is wrong, and a download is kept only if its hash is right. A download goes to a temporary
 * file in the same folder, renamed into place when complete, so a failed download never leaves a
 * partial file under {@code fname}. Verified hashes are remembered per path, size and modification
 * time.
 *
 * <p>With the system property {@value #PROP_OFFLINE}{@code =true} nothing is downloaded: a file
 * missing from the cache is an error naming the file, its URL and where to put it.
 *
 * <pre>{@code
 * Path p = GetFile.getFile("imagenet_class_index.json",
 *         "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json",
 *         "c2c37ea517e94d9795004a39431a14cb", "models");
 * }</pre>
 */
public final class GetFile {
    /** System property naming the cache directory (Keras's {@code cache_dir}); overrides {@code KERAS_HOME}. */
    public static final String PROP_KERAS_HOME = "cornu.keras.home";
    /** System property that, set to {@code true}, forbids downloads. */
    public static final String PROP_OFFLINE = "cornu.offline";

    private static final Logger LOG = LoggerFactory.getLogger(GetFile.class);
    private static final Map<String, String> VERIFIED = new ConcurrentHashMap<>();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long PROGRESS_NANOS = 5_000_000_000L;

    private GetFile() {}

    /**
     * A download that could not be made (network error, HTTP error, downloads off): the file's
     * origin, the path it was to be saved at, and why, so that callers can say where to put the
     * file by hand.
     */
    public static final class DownloadException extends IOException {
        /** The file's name. */
        private final String fileName;
        /** The URL. */
        private final String origin;
        /** The path in the cache. */
        private final Path target;
        /** The failure. */
        private final String reason;

        DownloadException(String fileName, String origin, Path target, String reason, Throwable cause) {
            super("Cannot get the file " + fileName + ": download from " + origin + " failed: " + reason
                    + ". Without a network, copy the file to " + target + ".", cause);
            this.fileName = fileName;
            this.origin = origin;
            this.target = target;
            this.reason = reason;
        }

        /**
         * The file's name ({@code fname}).
         *
         * @return the name
         */
        public String fileName() {
            return fileName;
        }

        /**
         * The URL it was to be downloaded from.
         *
         * @return the URL
         */
        public String origin() {
            return origin;
        }

        /**
         * Where it was to be saved (and where a copy made by hand is found).
         *
         * @return the path in the cache
         */
        public Path target() {
            return target;
        }

        /**
         * Why the download failed.
         *
         * @return a short description of the failure
         */
        public String reason() {
            return reason;
        }
    }

    /**
     * The local path of {@code fname}, downloaded from {@code origin} into
     * {@code <cache dir>/<cacheSubdir>/} if it is not there (Keras's
     * {@code get_file(fname, origin, file_hash=fileHash, cache_subdir=cacheSubdir)}).
     *
     * @param fname       the file's name in the cache
     * @param origin      its URL
     * @param fileHash    its SHA-256 or MD5 in hex, or null to skip the check
     * @param cacheSubdir the subfolder of the cache directory ({@code "datasets"}, {@code "models"});
     *                    null or empty for the cache directory itself
     * @return the path of the file in the cache
     * @throws DownloadException if the file is absent and cannot be downloaded
     * @throws IOException       if the downloaded file has the wrong hash, or the cache cannot be written
     */
    public static Path getFile(String fname, String origin, String fileHash, String cacheSubdir) throws IOException {
        return getFile(fname, origin, fileHash, cacheSubdir, null);
    }

    /**
     * As {@link #getFile(String, String, String, String)} with an explicit cache directory
     * (Keras's {@code cache_dir}); null for the default ({@link #kerasHome()}).
     *
     * @param fname the file's name in the cache
     * @param origin its URL
     * @param fileHash its SHA-256 or MD5 in hex, or null to skip the check
     * @param cacheSubdir the subfolder of the cache directory, or null
     * @param cacheDir the cache directory, or null for {@link #kerasHome()}
     * @return the path of the file in the cache
     * @throws IOException if the file cannot be downloaded ({@link DownloadException}), has the wrong hash, or the cache cannot be written
     */
    public static Path getFile(String fname, String origin, String fileHash, String cacheSubdir, Path cacheDir)
            throws IOException {
        if (fname == null || fname.isEmpty()) {
            throw new IllegalArgumentException("get_file: `fname` must be a file name. Received: fname=" + fname);
        }
        if (origin == null || origin.isEmpty()) {
            throw new IllegalArgumentException("get_file: please specify the `origin` argument (URL of the file to download)."
                    + " Received: origin=" + origin);
        }
        String algorithm = algorithm(fileHash);
        Path base = cacheDir != null ? cacheDir.toAbsolutePath().normalize() : writableOrTmp(kerasHome());
        Path dir = cacheSubdir == null || cacheSubdir.isEmpty() ? base : base.resolve(cacheSubdir);
        Path target = dir.resolve(fname);
        String staleNote = "";
        if (Files.isRegularFile(target)) {
            String actual = hashOf(target, algorithm);
            if (actual == null || actual.equalsIgnoreCase(fileHash)) {
                LOG.debug("Using {}", target);
                return target;
            }
            staleNote = " (the cached copy " + target + " has the wrong " + algorithm + " hash: expected "
                    + fileHash.toLowerCase(Locale.ROOT) + ", found " + actual + ")";
            LOG.warn("A local file was found, but it seems to be incomplete or outdated because its {} hash "
                    + "does not match the original value of {} (found {}), so we will re-download the data: {}",
                    algorithm, fileHash, actual, target);
        }
        if (Boolean.getBoolean(PROP_OFFLINE)) {
            throw new DownloadException(fname, origin, target, "downloads are off (system property " + PROP_OFFLINE
                    + "=true)" + staleNote, null);
        }
        download(fname, origin, dir, target, fileHash, algorithm, staleNote);
        return target;
    }

    /**
     * Keras's cache directory: the system property {@value #PROP_KERAS_HOME} if set, else
     * {@code $KERAS_HOME}, else {@code ~/.keras}.
     *
     * @return the cache directory
     */
    public static Path kerasHome() {
        String dir = System.getProperty(PROP_KERAS_HOME);
        if (dir == null || dir.isBlank()) dir = System.getenv("KERAS_HOME");
        Path p = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".keras");
        return p.toAbsolutePath().normalize();
    }

    /** Keras's fallback: a cache directory that exists but cannot be written becomes {@code /tmp/.keras}. */
    private static Path writableOrTmp(Path base) {
        if (Files.isDirectory(base) && !Files.isWritable(base)) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"), ".keras");
            LOG.debug("{} is not writable; using {}", base, tmp);
            return tmp;
        }
        return base;
    }

    /**
     * Checks a file's hash (Keras's {@code validate_file}, raising instead of returning false): an
     * IOException names the file and both hashes if it is wrong. Null {@code fileHash} checks nothing.
     *
     * @param file the file
     * @param fileHash the expected SHA-256 or MD5 in hex, or null
     * @throws IOException if the hash differs or the file cannot be read
     */
    public static void verify(Path file, String fileHash) throws IOException {
        String algorithm = algorithm(fileHash);
        String actual = hashOf(file, algorithm);
        if (actual != null && !actual.equalsIgnoreCase(fileHash)) {
            throw new IOException(file + ": wrong " + algorithm + " hash: expected " + fileHash.toLowerCase(Locale.ROOT)
                    + ", found " + actual);
        }
    }

    /**
     * The file's hash in lower-case hex ({@code "sha256"} or {@code "md5"}, Keras's
     * {@code hash_file}); remembered per path, size and modification time.
     *
     * @param file the file
     * @param algorithm {@code "sha256"} or {@code "md5"}
     * @return the hash in hex
     * @throws IOException if the file cannot be read
     */
    public static String hashFile(Path file, String algorithm) throws IOException {
        String a = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha256", "sha-256" -> "SHA-256";
            case "md5" -> "MD5";
            default -> throw new IllegalArgumentException("hash_file: algorithm must be 'sha256' or 'md5'. Received: " + algorithm);
        };
        return hashOf(file, a);
    }

    /**
     * The algorithm of a hash by its length, as Keras's {@code hash_algorithm="auto"}:
     * {@code "sha256"} for 64 hex digits, {@code "md5"} for 32, null for a null or empty hash;
     * anything else is an IllegalArgumentException.
     *
     * @param fileHash a hash in hex, or null
     * @return {@code "sha256"}, {@code "md5"} or null
     */
    public static String hashAlgorithm(String fileHash) {
        String a = algorithm(fileHash);
        return a == null ? null : a.equals("MD5") ? "md5" : "sha256";
    }

    /** "SHA-256" or "MD5" from the hash's length, as Keras's {@code hash_algorithm="auto"}; null for none. */
    private static String algorithm(String fileHash) {
        if (fileHash == null || fileHash.isEmpty()) return null;
        if (!fileHash.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("file hash is not hexadecimal: " + fileHash);
        }
        if (fileHash.length() == 64) return "SHA-256";
        if (fileHash.length() == 32) return "MD5";
        throw new IllegalArgumentException("file hash must be a SHA-256 (64 hex digits) or MD5 (32 hex digits): " + fileHash);
    }

    private static String hashOf(Path file, String algorithm) throws IOException {
        if (algorithm == null) return null;
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        String key = file.toAbsolutePath().normalize() + "|" + attrs.size() + "|" + attrs.lastModifiedTime()
                + "|" + algorithm;
        String known = VERIFIED.get(key);
        if (known != null) return known;
        MessageDigest md = digest(algorithm);
        long t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        String hex = HexFormat.of().formatHex(md.digest());
        LOG.debug("{} of {}: {} ({} ms)", algorithm, file, hex, (System.nanoTime() - t0) / 1_000_000);
        VERIFIED.put(key, hex);
        return hex;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    private static void download(String fname, String origin, Path dir, Path target, String fileHash,
                                 String algorithm, String staleNote) throws IOException {
        Path tmp = null;
        try {
            try {
                Files.createDirectories(dir);
                tmp = Files.createTempFile(dir, target.getFileName() + ".", ".part");
            } catch (IOException e) {
                throw new DownloadException(fname, origin, target, "cannot write to " + dir + ": " + e + staleNote, e);
            }
            LOG.info("Downloading data from {}", origin);
            MessageDigest md = algorithm == null ? null : digest(algorithm);
            long bytes;
            long t0 = System.nanoTime();
            try {
                bytes = fetch(fname, origin, tmp, md);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download of " + fname + " from " + origin + " interrupted");
            } catch (IOException | IllegalArgumentException e) {
                throw new DownloadException(fname, origin, target, describe(e) + staleNote, e);
            }
            if (md != null) {
                String actual = HexFormat.of().formatHex(md.digest());
                if (!actual.equalsIgnoreCase(fileHash)) {
                    throw new IOException(fname + ": the file downloaded from " + origin + " has the wrong "
                            + algorithm + " hash: expected " + fileHash.toLowerCase(Locale.ROOT) + ", found " + actual
                            + "; it was deleted");
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            LOG.info("Downloaded {} ({}) in {} s to {}", fname, megabytes(bytes),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9), target);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("Could not delete the temporary file {}: {}", tmp, e.toString());
                }
            }
        }
    }

    private static long fetch(String fname, String origin, Path tmp, MessageDigest md)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin))
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", "cornu")
                .GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            InputStream in = md == null ? body : new DigestInputStream(body, md);
            long done = 0;
            long lastLog = System.nanoTime();
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    done += n;
                    long now = System.nanoTime();
                    if (now - lastLog > PROGRESS_NANOS) {
                        lastLog = now;
                        LOG.info("{}: {}{}", fname, megabytes(done),
                                total > 0 ? " of " + megabytes(total) + String.format(Locale.ROOT, " (%d%%)", 100 * done / total) : "");
                    }
                }
            }
            if (total >= 0 && done != total) {
                throw new IOException("connection closed after " + done + " of " + total + " bytes");
            }
            return done;
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) return "connection refused or unreachable" + (m == null ? "" : " (" + m + ")");
        if (e instanceof java.nio.channels.UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            return "unknown host" + (m == null ? "" : " (" + m + ")");
        }
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
