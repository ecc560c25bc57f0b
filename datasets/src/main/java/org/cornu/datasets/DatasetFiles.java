package org.cornu.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.cornu.utils.GetFile;
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
 *       {@code datasets} in Keras's cache directory ({@link GetFile#kerasHome()}:
 *       {@code $KERAS_HOME} or {@code ~/.keras}), so files Keras downloaded are reused;</li>
 *   <li>otherwise it is downloaded from its origin URL into the cache folder by
 *       {@link GetFile#getFile} ({@code keras.utils.get_file}): into a temporary file in the same
 *       folder, renamed into place only once its hash checks out.</li>
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

    private DatasetFiles() {
    }

    /**
     * Returns the local path of a dataset file, downloading it if needed.
     *
     * @param fileName  the file's name, as in Keras's cache
     * @param originUrl where to download it from
     * @param fileHash  its SHA-256 (64 hex digits) or MD5 (32 hex digits), as Keras's
     *                  {@code file_hash}; null to skip the check
     * @return the file's path, in the dataset folder or the cache
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
     * @param fileName  the file's name, as in Keras's cache
     * @param originUrl where to download it from
     * @param fileHash  its SHA-256 or MD5; null to skip the check
     * @return the file's path, in the dataset folder or the cache
     * @throws IOException if the file cannot be found or downloaded, or its hash is wrong
     */
    public static Path get(String subdir, String fileName, String originUrl, String fileHash) throws IOException {
        String algorithm = GetFile.hashAlgorithm(fileHash);
        String display = subdir == null || subdir.isEmpty() ? fileName : subdir + "/" + fileName;

        Path datasets = datasetsDir();
        if (datasets != null) {
            Path candidate = resolve(datasets, subdir, fileName);
            if (Files.isRegularFile(candidate)) {
                String actual = algorithm == null ? null : GetFile.hashFile(candidate, algorithm);
                if (actual != null && !actual.equalsIgnoreCase(fileHash)) {
                    throw new IOException(candidate + ": wrong " + (algorithm.equals("md5") ? "MD5" : "SHA-256") + " hash: expected " + fileHash.toLowerCase(Locale.ROOT)
                            + ", found " + actual + " (the file is incomplete, corrupted or a different version)");
                }
                LOG.debug("Using {}", candidate);
                return candidate;
            }
            LOG.debug("{} not in {} ({} / {}), looking in the cache", display, datasets, PROP_DATASETS, ENV_DATASETS);
        }

        try {
            return GetFile.getFile(fileName, originUrl, fileHash, subdir, cacheDir());
        } catch (GetFile.DownloadException e) {
            throw new IOException("Cannot get the dataset file " + display + ": download from " + e.origin()
                    + " failed: " + e.reason() + ". Without a network, copy the file to " + e.target()
                    + ", or to " + display + " in a folder named by the " + ENV_DATASETS + " environment variable"
                    + " (or the " + PROP_DATASETS + " system property).", e.getCause());
        }
    }

    /**
     * The folder named by {@code cornu.datasets} or {@code CORNU_DATASETS}, if set and existing.
     *
     * @return the absolute folder, or null when neither is set or the folder does not exist (logged as a warning)
     */
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
     *
     * @return the absolute folder; it may not exist yet
     */
    public static Path cacheDir() {
        String dir = System.getProperty(PROP_CACHE_DIR);
        if (dir != null && !dir.isBlank()) return Path.of(dir).toAbsolutePath().normalize();
        return GetFile.kerasHome().resolve("datasets");
    }

    /**
     * Checks a file's hash, throwing an IOException that names the file and both hashes if it is
     * wrong. Verified files are remembered per path, size and modification time.
     *
     * @param file the file
     * @param fileHash its SHA-256 (64 hex digits) or MD5 (32 hex digits)
     * @throws IOException if the file cannot be read or its hash is wrong
     */
    public static void verify(Path file, String fileHash) throws IOException {
        GetFile.verify(file, fileHash);
    }

    private static Path resolve(Path dir, String subdir, String fileName) {
        return subdir == null || subdir.isEmpty() ? dir.resolve(fileName) : dir.resolve(subdir).resolve(fileName);
    }
}
