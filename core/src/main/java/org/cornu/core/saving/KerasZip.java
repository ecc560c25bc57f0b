package org.cornu.core.saving;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip container of a {@code .keras} file: entries stored uncompressed, as Keras (Python's
 * {@code zipfile}) writes them. Writing streams the HDF5 entry from the arrays' buffers; reading
 * finds the entries through the central directory and hands out views of the file's bytes
 * (no copy), each checked against its CRC-32.
 */
final class KerasZip {
    private static final int EOCD = 0x06054b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    private KerasZip() {}

    /**
     * Writes {@code entries} (name to bytes), then {@code h5} as the entry {@code h5Name}, then {@code trailing}
     * (the {@code assets/} files, which Keras adds after the weights).
     */
    static void write(Path file, Map<String, byte[]> entries, String h5Name, Hdf5Writer h5, Map<String, byte[]> trailing)
            throws IOException {
        long crc = h5.crc32();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             ZipOutputStream zip = new ZipOutputStream(out)) {
            putAll(zip, entries);
            zip.putNextEntry(stored(h5Name, h5.size(), crc));
            h5.writeTo(chunked(zip));
            zip.closeEntry();
            putAll(zip, trailing);
        }
    }

    private static void putAll(ZipOutputStream zip, Map<String, byte[]> entries) throws IOException {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            CRC32 c = new CRC32();
            c.update(e.getValue());
            zip.putNextEntry(stored(e.getKey(), e.getValue().length, c.getValue()));
            zip.write(e.getValue());
            zip.closeEntry();
        }
    }

    private static ZipEntry stored(String name, long size, long crc) {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(size);
        e.setCompressedSize(size);
        e.setCrc(crc);
        return e;
    }

    /** A channel writing into {@code out} in 1 MB pieces (the zip stream takes arrays; the data may be native buffers). */
    private static WritableByteChannel chunked(OutputStream out) {
        byte[] piece = new byte[1 << 20];
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = src.remaining();
                if (src.hasArray()) {
                    out.write(src.array(), src.arrayOffset() + src.position(), n);
                    src.position(src.limit());
                    return n;
                }
                while (src.hasRemaining()) {
                    int k = Math.min(piece.length, src.remaining());
                    src.get(piece, 0, k);
                    out.write(piece, 0, k);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
    }

    /**
     * The entries of a zip held in {@code all}, by name in the central directory's order, as views
     * of {@code all}; null when the archive is not the plain kind this reads (an entry compressed,
     * encrypted or in ZIP64 form, several disks, a damaged directory), for the caller to read it with
     * {@link java.util.zip.ZipInputStream}, which also says what is wrong with a damaged one.
     *
     * @throws IllegalArgumentException if an entry's bytes do not match its CRC-32 (naming it)
     */
    static Map<String, ByteBuffer> storedEntries(byte[] all) {
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int p = all.length - 22; p >= Math.max(0, all.length - 22 - 65535); p--) {
            if (b.getInt(p) == EOCD && p + 22 + (b.getShort(p + 20) & 0xffff) == all.length) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) return null;
        int disk = b.getShort(eocd + 4) & 0xffff;
        int cdDisk = b.getShort(eocd + 6) & 0xffff;
        int count = b.getShort(eocd + 10) & 0xffff;
        long cdSize = b.getInt(eocd + 12) & 0xffffffffL;
        long cdOffset = b.getInt(eocd + 16) & 0xffffffffL;
        if (disk != 0 || cdDisk != 0 || count == 0xffff || cdOffset + cdSize > eocd) return null;
        Map<String, ByteBuffer> r = new LinkedHashMap<>();
        int p = (int) cdOffset;
        for (int i = 0; i < count; i++) {
            if (p + 46 > eocd || b.getInt(p) != CENTRAL) return null;
            int flags = b.getShort(p + 8) & 0xffff;
            int method = b.getShort(p + 10) & 0xffff;
            long crc = b.getInt(p + 16) & 0xffffffffL;
            long csize = b.getInt(p + 20) & 0xffffffffL;
            long size = b.getInt(p + 24) & 0xffffffffL;
            int nameLen = b.getShort(p + 28) & 0xffff;
            int extraLen = b.getShort(p + 30) & 0xffff;
            int commentLen = b.getShort(p + 32) & 0xffff;
            long local = b.getInt(p + 42) & 0xffffffffL;
            if ((flags & 1) != 0 || method != 0 || csize != size || size == 0xffffffffL || local == 0xffffffffL) return null;
            if (p + 46L + nameLen > eocd) return null;
            String name = new String(all, p + 46, nameLen, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            if (local + 30 > all.length || b.getInt((int) local) != LOCAL) return null;
            long data = local + 30 + (b.getShort((int) local + 26) & 0xffff) + (b.getShort((int) local + 28) & 0xffff);
            if (data + size > cdOffset) return null;
            CRC32 c = new CRC32();
            c.update(all, (int) data, (int) size);
            if (c.getValue() != crc) throw new IllegalArgumentException("the zip entry " + name + " is corrupted (its CRC-32 does not match)");
            r.put(name, ByteBuffer.wrap(all, (int) data, (int) size).slice());
            p += 46 + nameLen + extraLen + commentLen;
        }
        return r;
    }
}
