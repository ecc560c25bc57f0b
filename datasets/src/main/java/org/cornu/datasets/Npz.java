package org.cornu.datasets;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads NumPy {@code .npz} archives (as written by {@code np.savez} and
 * {@code np.savez_compressed}): a ZIP file whose entries {@code <key>.npy} are {@link Npy} arrays,
 * stored or deflated. Entries are read one at a time, on demand, and their CRC-32 is checked.
 *
 * <pre>{@code
 * try (Npz npz = Npz.open(path)) {
 *     INDArray x = npz.get("x_train");
 * }
 * }</pre>
 */
public final class Npz implements Closeable {
    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    private Npz(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
        var en = zip.entries();
        while (en.hasMoreElements()) {
            ZipEntry e = en.nextElement();
            if (e.isDirectory()) continue;
            String name = e.getName();
            entries.put(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name, e);
        }
    }

    /**
     * Opens an archive; close it when done.
     *
     * @param file the {@code .npz} file
     * @return the open archive
     * @throws IOException if the file does not exist or is not a readable ZIP archive
     */
    public static Npz open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such .npz file");
        }
        try {
            return new Npz(file, new ZipFile(file.toFile()));
        } catch (ZipException e) {
            throw new IOException(file + ": not a readable .npz (ZIP) archive, truncated or corrupted: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads one array of an archive.
     *
     * @param file the {@code .npz} file
     * @param key the array's name, with or without {@code .npy}
     * @return the array
     * @throws IOException if the file cannot be read, has no such entry, or the entry is not a valid array
     */
    public static INDArray read(Path file, String key) throws IOException {
        try (Npz npz = open(file)) {
            return npz.get(key);
        }
    }

    /**
     * Reads all arrays of an archive, in archive order.
     *
     * @param file the {@code .npz} file
     * @return the arrays by key
     * @throws IOException if the file cannot be read or an entry is not a valid array
     */
    public static Map<String, INDArray> readAll(Path file) throws IOException {
        try (Npz npz = open(file)) {
            Map<String, INDArray> all = new LinkedHashMap<>();
            for (String k : npz.keys()) all.put(k, npz.get(k));
            return all;
        }
    }

    /**
     * The archive's file.
     *
     * @return the path it was opened from
     */
    public Path file() {
        return file;
    }

    /**
     * The keys (entry names without {@code .npy}), in archive order, as NumPy's {@code files}.
     *
     * @return the keys
     */
    public List<String> keys() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    /**
     * Whether the archive holds {@code key} (with or without {@code .npy}).
     *
     * @param key the array's name
     * @return true if the archive holds it
     */
    public boolean contains(String key) {
        return entry(key) != null;
    }

    /**
     * The {@code .npy} header of an entry, without reading its data.
     *
     * @param key the array's name, with or without {@code .npy}
     * @return the entry's header
     * @throws IOException if there is no such entry or its header is not valid
     */
    public Npy.Header header(String key) throws IOException {
        try (Entry e = openEntry(key)) {
            return e.header();
        }
    }

    /**
     * Reads the array stored under {@code key} (with or without {@code .npy}).
     *
     * @param key the array's name, with or without {@code .npy}
     * @return the array, in C order
     * @throws IOException if there is no such entry, or it is not a valid array or fails its CRC check
     */
    public INDArray get(String key) throws IOException {
        try (Entry e = openEntry(key)) {
            INDArray a = Npy.readData(e.header(), e.data(), e.dataBytes(), e.where());
            e.checkCrc();
            return a;
        } catch (ZipException | java.io.EOFException e) {
            throw new IOException(where(entry(key)) + ": corrupted compressed data: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an object array ({@code descr '|O'}) of integer sequences stored under {@code key},
     * such as {@code x} of Keras's {@code reuters.npz}: a 1-D array whose elements are Python
     * lists of ints, pickled. The pickle is read by a restricted reader that rebuilds only NumPy
     * arrays and plain data and executes nothing; anything else is refused.
     *
     * @param key the array's name, with or without {@code .npy}
     * @return one {@code int[]} per element, in array order
     * @throws IOException if the entry is missing, not an object array of integer lists, holds
     *                     a value outside the 32-bit range, or is truncated or corrupted; the
     *                     message names the file and entry (and for a refused pickle, the opcode
     *                     or global)
     */
    public int[][] getSequences(String key) throws IOException {
        try (Entry e = openEntry(key)) {
            return Npy.readSequences(e.header(), e.data(), e.dataBytes(), e.where(), e::checkCrc);
        } catch (ZipException | java.io.EOFException e) {
            throw new IOException(where(entry(key)) + ": corrupted compressed data: " + e.getMessage(), e);
        }
    }

    /**
     * An opened entry: its header, and a stream positioned at its first data byte.
     * Used by readers of entries that are not raw data (pickled object arrays).
     */
    record Entry(String where, Npy.Header header, CrcStream data, long dataBytes, long crc) implements Closeable {
        /** Reads the rest of the entry and checks its CRC-32 against the archive's. */
        void checkCrc() throws IOException {
            data.skipRest();
            if (crc != -1 && data.crc.getValue() != crc) {
                throw new IOException(where + ": CRC-32 mismatch (the file is corrupted)");
            }
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    /** Opens an entry and reads its {@code .npy} header. */
    Entry openEntry(String key) throws IOException {
        ZipEntry e = entry(key);
        if (e == null) {
            throw new IOException(file + ": no array named '" + key + "' (the archive holds " + entries.keySet() + ")");
        }
        String where = where(e);
        CrcStream in = new CrcStream(new BufferedInputStream(zip.getInputStream(e), 1 << 16));
        try {
            Npy.Header h;
            try {
                h = Npy.readHeader(in, where);
            } catch (ZipException | java.io.EOFException x) {
                throw new IOException(where + ": corrupted compressed data: " + x.getMessage(), x);
            }
            long size = e.getSize();
            return new Entry(where, h, in, size < 0 ? -1 : size - h.headerBytes(), e.getCrc());
        } catch (IOException | RuntimeException x) {
            in.close();
            throw x;
        }
    }

    private ZipEntry entry(String key) {
        ZipEntry e = entries.get(key);
        if (e == null && key.endsWith(".npy")) e = entries.get(key.substring(0, key.length() - 4));
        return e;
    }

    private String where(ZipEntry e) {
        return file + ": entry " + (e == null ? "?" : e.getName());
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Computes the CRC-32 of what passes through it. */
    static final class CrcStream extends FilterInputStream {
        final CRC32 crc = new CRC32();

        CrcStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) crc.update(b);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) crc.update(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) break;
                done += r;
            }
            return done;
        }

        void skipRest() throws IOException {
            byte[] buf = new byte[8192];
            while (read(buf, 0, buf.length) >= 0) {
                // drain, so the CRC covers the whole entry
            }
        }
    }
}
