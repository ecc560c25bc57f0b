package org.cornu.datasets;

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
 * Finds the files of Keras's datasets, as {@code keras.utils.get_file} does, checking their hash.
 *
 * <p>A file is looked for, in this order:
 * <ol>
 *   <li>in the folder named by the system property {@code cornu.datasets} or, if that is not set,
 *       the environment variable {@code CORNU_DATASETS} (a relative path is taken from the working
 *       directory), if the folder holds the file;</li>
 *   <li>in the cache folder: the system property {@code cornu.cache.dir} if set, else
 *       {@code $KERAS_HOME/datasets} if {@code KERAS_HOME} is set, else
 *       {@code ~/.keras/datasets}, Keras's own cache, so files Keras downloaded are reused;</li>
 *   <li>otherwise it is downloaded from its origin URL into the cache folder: into a temporary file
 *       in the same folder, renamed into place only once its hash checks out.</li>
 * </ol>
 * Files found locally are hash-checked too; the result is remembered per path, size and
 * modification time, so repeated loads do not hash the file again. A file in the cache whose
 * hash is wrong is downloaded again, as Keras does; one in the {@code CORNU_DATASETS} folder is an
 * error.
 */
public final class DatasetFiles {
    static {
        org.cornu.core.Cornu.init();
    }
    /** Environment variable naming a folder that holds dataset files (tests, CI, offline machines). */
    public static final String ENV_DATASETS = "CORNU_DATASETS";
    /** System property that overrides {@link #ENV_DATASETS}. */
    public static final String PROP_DATASETS = "cornu.datasets";
    /** System property naming the cache (download) folder; defaults to {@code ~/.keras/datasets}. */
    public static final String PROP_CACHE_DIR = "cornu.cache.dir";
    /** Where Keras downloads its datasets from. */
    public static final String KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/";

    private static final Logger LOG = LoggerFactory.getLogger(DatasetFiles.class);
    private static final Map<String, String> VERIFIED = new ConcurrentHashMap<>();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long PROGRESS_NANOS = 5_000_000_000L;

    private DatasetFiles() {
    }

    /**
     * Returns the local path of a dataset file, downloading it if needed.
     *
     * @param fileName  the file's name, as in Keras's cache
     * @param originUrl where to download it from
     * @param fileHash  its SHA-256 (64 hex digits) or MD5 (32 hex digits), as Keras's
     *                  {@code file_hash}; null to skip the check
     * @throws IOException if the file cannot be found or downloaded, or its hash is wrong; the
     *                     message names the file, and for a failed download the URL and the
     *                     folder where the file can be put by hand
     */
    public static Path get(String fileName, String originUrl, String fileHash) throws IOException {
        return get(null, fileName, originUrl, fileHash);
    }

    /**
     * As {@link #get(String, String, String)}, for a file kept in a subfolder of the dataset and
     * cache folders, as Keras's {@code cache_subdir="datasets/fashion-mnist"}.
     *
     * @param subdir the subfolder, such as {@code "fashion-mnist"}; null or empty for none
     */
    public static Path get(String subdir, String fileName, String originUrl, String fileHash) throws IOException {
        String algorithm = algorithm(fileHash);
        String display = subdir == null || subdir.isEmpty() ? fileName : subdir + "/" + fileName;

        Path datasets = datasetsDir();
        if (datasets != null) {
            Path candidate = resolve(datasets, subdir, fileName);
            if (Files.isRegularFile(candidate)) {
                String actual = hashOf(candidate, algorithm);
                if (actual != null && !actual.equalsIgnoreCase(fileHash)) {
                    throw new IOException(candidate + ": wrong " + algorithm + " hash: expected " + fileHash.toLowerCase(Locale.ROOT)
                            + ", found " + actual + " (the file is incomplete, corrupted or a different version)");
                }
                LOG.debug("Using {}", candidate);
                return candidate;
            }
            LOG.debug("{} not in {} ({} / {}), looking in the cache", display, datasets, PROP_DATASETS, ENV_DATASETS);
        }

        Path cacheDir = subdir == null || subdir.isEmpty() ? cacheDir() : cacheDir().resolve(subdir);
        Path cached = cacheDir.resolve(fileName);
        String staleNote = "";
        if (Files.isRegularFile(cached)) {
            String actual = hashOf(cached, algorithm);
            if (actual == null || actual.equalsIgnoreCase(fileHash)) {
                LOG.debug("Using {}", cached);
                return cached;
            }
            staleNote = " (the cached copy " + cached + " has the wrong " + algorithm + " hash: expected "
                    + fileHash.toLowerCase(Locale.ROOT) + ", found " + actual + ")";
            LOG.warn("A local file was found, but it seems to be incomplete or outdated because its {} hash "
                    + "does not match the original value of {} (found {}), so we will re-download the data: {}",
                    algorithm, fileHash, actual, cached);
        }
        download(display, originUrl, cacheDir, cached, fileHash, algorithm, staleNote);
        return cached;
    }

    /** The folder named by {@code cornu.datasets} or {@code CORNU_DATASETS}, if set and existing. */
    public static Path datasetsDir() {
        String dir = System.getProperty(PROP_DATASETS);
        if (dir == null || dir.isBlank()) dir = System.getenv(ENV_DATASETS);
        if (dir == null || dir.isBlank()) return null;
        Path p = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            LOG.warn("The dataset folder {} ({} / {}) does not exist; ignoring it", p, PROP_DATASETS, ENV_DATASETS);
            return null;
        }
        return p;
    }

    /**
     * The cache folder where downloads go: {@code cornu.cache.dir}, else
     * {@code $KERAS_HOME/datasets}, else {@code ~/.keras/datasets}.
     */
    public static Path cacheDir() {
        String dir = System.getProperty(PROP_CACHE_DIR);
        if (dir != null && !dir.isBlank()) return Path.of(dir).toAbsolutePath().normalize();
        String kerasHome = System.getenv("KERAS_HOME");
        Path base = kerasHome != null && !kerasHome.isBlank()
                ? Path.of(kerasHome) : Path.of(System.getProperty("user.home"), ".keras");
        return base.resolve("datasets").toAbsolutePath().normalize();
    }

    /**
     * Checks a file's hash, throwing an IOException that names the file and both hashes if it is
     * wrong. Verified files are remembered per path, size and modification time.
     */
    public static void verify(Path file, String fileHash) throws IOException {
        String algorithm = algorithm(fileHash);
        String actual = hashOf(file, algorithm);
        if (actual != null && !actual.equalsIgnoreCase(fileHash)) {
            throw new IOException(file + ": wrong " + algorithm + " hash: expected " + fileHash.toLowerCase(Locale.ROOT)
                    + ", found " + actual);
        }
    }

    private static Path resolve(Path dir, String subdir, String fileName) {
        return subdir == null || subdir.isEmpty() ? dir.resolve(fileName) : dir.resolve(subdir).resolve(fileName);
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

    /** The file's hash in lower-case hex, or null if algorithm is null; cached per path, size and mtime. */
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

    private static void download(String display, String originUrl, Path dir, Path target, String fileHash,
                                 String algorithm, String staleNote) throws IOException {
        Path tmp = null;
        try {
            try {
                Files.createDirectories(dir);
                tmp = Files.createTempFile(dir, target.getFileName() + ".", ".part");
            } catch (IOException e) {
                throw cannotGet(display, originUrl, target, "cannot write to " + dir + ": " + e, staleNote, e);
            }
            LOG.info("Downloading data from {}", originUrl);
            MessageDigest md = algorithm == null ? null : digest(algorithm);
            long bytes;
            long t0 = System.nanoTime();
            try {
                bytes = fetch(display, originUrl, tmp, md);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("download of " + display + " from " + originUrl + " interrupted");
            } catch (IOException | IllegalArgumentException e) {
                throw cannotGet(display, originUrl, target, describe(e), staleNote, e);
            }
            if (md != null) {
                String actual = HexFormat.of().formatHex(md.digest());
                if (!actual.equalsIgnoreCase(fileHash)) {
                    throw new IOException(display + ": the file downloaded from " + originUrl + " has the wrong "
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
            LOG.info("Downloaded {} ({}) in {} s to {}", display, megabytes(bytes),
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

    private static long fetch(String display, String originUrl, Path tmp, MessageDigest md)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(originUrl))
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", "cornu-datasets")
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
                        LOG.info("{}: {}{}", display, megabytes(done),
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

    private static IOException cannotGet(String display, String originUrl, Path target, String why, String staleNote,
                                         Exception cause) {
        return new IOException("Cannot get the dataset file " + display + ": download from " + originUrl
                + " failed: " + why + staleNote + ". Without a network, copy the file to " + target
                + ", or to " + display + " in a folder named by the " + ENV_DATASETS + " environment variable"
                + " (or the " + PROP_DATASETS + " system property).", cause);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
