package org.cornu.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small files in the format of Keras's dataset files ({@code /work/shared/datasets/README.md}):
 * a deflated ZIP of {@code .npy} entries, version 1.0 headers, and object arrays of integer lists as
 * Python 2's numpy pickled them (protocol 2: {@code numpy.core.multiarray._reconstruct}, REDUCE,
 * BUILD with the state {@code (1, (n,), dtype('O8'), False, [list, ...])}).
 *
 * <pre>{@code
 * KerasNpz.create().sequences("x_train", xs).int64("y_train", ys)...write(path);
 * }</pre>
 */
public final class KerasNpz {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private KerasNpz() {
    }

    public static KerasNpz create() {
        return new KerasNpz();
    }

    /** An object array of integer lists, as {@code x} of reuters.npz or {@code x_train} of imdb.npz. */
    public KerasNpz sequences(String name, int[][] lists) {
        entries.put(name, npy("|O", new long[] {lists.length}, pickle(lists)));
        return this;
    }

    /** An int64 vector ({@code <i8}), as the labels of imdb.npz and reuters.npz. */
    public KerasNpz int64(String name, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putLong(v);
        entries.put(name, npy("<i8", new long[] {values.length}, b.array()));
        return this;
    }

    /** A uint8 array ({@code |u1}) of the given shape, as the images and labels of mnist.npz. */
    public KerasNpz uint8(String name, long[] shape, byte[] data) {
        entries.put(name, npy("|u1", shape, data));
        return this;
    }

    /** Writes the archive (to a temporary file, then renamed). */
    public Path write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                z.setMethod(ZipEntry.DEFLATED);
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] npy(String descr, long[] shape, byte[] data) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        byte[] h = (dict + " ".repeat(padded - total) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        return b.array();
    }

    /** Protocol 2 pickle of a 1-d object ndarray holding Python lists of ints. */
    private static byte[] pickle(int[][] lists) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);                                                  // PROTO 2
        ascii(p, "cnumpy.core.multiarray\n_reconstruct\n");          // GLOBAL
        ascii(p, "cnumpy\nndarray\n");                               // GLOBAL
        p.write('K');
        p.write(0);
        p.write(0x85);                                               // (0,)
        shortString(p, "b");
        p.write(0x87);                                               // (ndarray, (0,), 'b')
        p.write('R');                                                // REDUCE
        p.write('(');                                                // MARK: the state tuple
        p.write('K');
        p.write(1);
        binint(p, lists.length);
        p.write(0x85);                                               // (n,)
        ascii(p, "cnumpy\ndtype\n");
        shortString(p, "O8");
        p.write(0x89);
        p.write(0x88);
        p.write(0x87);                                               // ('O8', False, True)
        p.write('R');
        p.write('(');                                                // dtype state (3, '|', None, None, None, -1, -1, 63)
        p.write('K');
        p.write(3);
        shortString(p, "|");
        p.write('N');
        p.write('N');
        p.write('N');
        binint(p, -1);
        binint(p, -1);
        p.write('K');
        p.write(63);
        p.write('t');
        p.write('b');                                                // BUILD the dtype
        p.write(0x89);                                               // not Fortran order
        p.write(']');
        p.write('(');
        for (int[] l : lists) {
            p.write(']');
            p.write('(');
            for (int v : l) binint(p, v);
            p.write('e');                                            // APPENDS
        }
        p.write('e');
        p.write('t');                                                // the state tuple
        p.write('b');                                                // BUILD the array
        p.write('.');                                                // STOP
        return p.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream p, String s) {
        p.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void shortString(ByteArrayOutputStream p, String s) {
        p.write('U');
        p.write(s.length());
        ascii(p, s);
    }

    private static void binint(ByteArrayOutputStream p, int v) {
        p.write('J');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }
}
