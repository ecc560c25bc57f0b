package org.cornu.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .npy} and {@code .npz} bytes by hand, following the NPY format specification
 * (numpy/lib/format.py): magic {@code \x93NUMPY}, version, little-endian header length, an
 * ASCII dict padded with spaces and ended by a newline, then the raw data.
 */
final class NpyBytes {
    private NpyBytes() {
    }

    /** A version 1.0 file with the usual header dict. */
    static byte[] npy(String descr, boolean fortran, long[] shape, byte[] data) {
        return npy(1, descr, fortran, shape, data);
    }

    static byte[] npy(int major, String descr, boolean fortran, long[] shape, byte[] data) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + s + ", }";
        return npyWithHeader(major, dict, data);
    }

    /** A file with the given header text (padded to a multiple of 64 bytes as NumPy does). */
    static byte[] npyWithHeader(int major, String dict, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 8 + lengthBytes;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) h.length);
        else b.putInt(h.length);
        b.put(h).put(data);
        return b.array();
    }

    /** An .npz archive; each pair is a name (without .npy) and its .npy bytes. */
    static byte[] npz(boolean deflate, Object... namesAndBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndBytes.length; i += 2) {
                byte[] bytes = (byte[]) namesAndBytes[i + 1];
                ZipEntry e = new ZipEntry(namesAndBytes[i] + ".npy");
                if (deflate) {
                    e.setMethod(ZipEntry.DEFLATED);
                } else {
                    e.setMethod(ZipEntry.STORED);
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    e.setCrc(crc.getValue());
                    e.setSize(bytes.length);
                    e.setCompressedSize(bytes.length);
                }
                zip.putNextEntry(e);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer be(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.BIG_ENDIAN);
    }
}
