package org.cornu.datasets;

import static org.cornu.datasets.NpyBytes.le;
import static org.cornu.datasets.NpyBytes.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Npz} on archives written by NumPy (embedded) and by hand ({@link NpyBytes}). */
class NpzTest {
    /**
     * Written once by NumPy 2.4.6 with {@code np.savez_compressed} (deflated entries, ZIP64
     * local headers):
     * <pre>
     * c_i2  = np.array([[1, -2, 3], [-4, 5, -32768]], dtype=np.int16)
     * f_f8  = np.asfortranarray([[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]])   # header says fortran_order True
     * b     = np.array([True, False, True])
     * be_i4 = np.array([1, -2, 100000], dtype='>i4')
     * u1    = np.array([0, 128, 255], dtype=np.uint8)
     * obj   = np.array([[1, 2], [3]], dtype=object)                    # pickled: descr '|O'
     * </pre>
     */
    static final String NUMPY_NPZ = "UEsDBC0AAAAIAAAAIQD0pUyH//////////8IABQAY19pMi5ucHkBABAAjAAAAAAAAABTAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TaaSuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CsaaOgq1CmQDLkaGf/+ZGf78Z2VgaAAAUEsDBC0AAAAIAAAAIQBvGbdd//////////8IABQAZl9mOC5ucHkBABAAsAAAAAAAAABZAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEg8pKk0FChdnJBakArkaRjoKxpo6CrUK5AMuBjB4YA+heRwg9A8oXwjKZ4HSYg4AUEsDBC0AAAAIAAAAIQAWk4y7//////////8FABQAYi5ucHkBABAAgwAAAAAAAABHAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF6TZKiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC5GBkYAUEsDBC0AAAAIAAAAIQD8YxEQ//////////8JABQAYmVfaTQubnB5AQAQAIwAAAAAAAAAUQAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBul2mirqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RrGOpo6CrUKFAAuBgYGxv////9jYGxbAABQSwMELQAAAAgAAAAhAOPN8g3//////////wYAFAB1MS5ucHkBABAAgwAAAAAAAABHAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF5Taqiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC6Ghv8AUEsDBC0AAAAIAAAAIQCGB0w5//////////8HABQAb2JqLm5weQEAEAAiAQAAAAAAAMwAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXuOvrqOgnpZfVFKUmBefX5SSChJ2S8wpTgWKF2ckFqQC+RpGOpo6CrUKlACuBpap0xkgoEcsrzS3oFIvPjm/KFUvtzSnJDOxqCixckoPT3xRanJ+XnFJUWlyyZTJU3pYwSqn9LDnpUCUTJ7izdA6xZkxaUr7lKApGt6M3kytUzKYe1hTSioLUkFamPwtpnR2QGSZexhrpvj5+Xn9BwIw4W1fMiWpM3aKRixEc2rsFG/mxFSgoB4AUEsBAi0DLQAAAAgAAAAhAPSlTIdTAAAAjAAAAAgAAAAAAAAAAAAAAIABAAAAAGNfaTIubnB5UEsBAi0DLQAAAAgAAAAhAG8Zt11ZAAAAsAAAAAgAAAAAAAAAAAAAAIABjQAAAGZfZjgubnB5UEsBAi0DLQAAAAgAAAAhABaTjLtHAAAAgwAAAAUAAAAAAAAAAAAAAIABIAEAAGIubnB5UEsBAi0DLQAAAAgAAAAhAPxjERBRAAAAjAAAAAkAAAAAAAAAAAAAAIABngEAAGJlX2k0Lm5weVBLAQItAy0AAAAIAAAAIQDjzfINRwAAAIMAAAAGAAAAAAAAAAAAAACAASoCAAB1MS5ucHlQSwECLQMtAAAACAAAACEAhgdMOcwAAAAiAQAABwAAAAAAAAAAAAAAgAGpAgAAb2JqLm5weVBLBQYAAAAABgAGAD8BAACuAwAAAAA=";

    /**
     * Written once by NumPy 2.4.6: {@code np.lib.format.write_array(f, np.array([[1.25, -2.5],
     * [3.0, 4e30]], dtype=np.float32), version=(2, 0))}, a format 2.0 header.
     */
    static final String NUMPY_NPY_V2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAKA/AAAgwAAAQEDK8kly";

    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    @Test
    void readsWhatNumpyWrote() throws IOException {
        Path p = write("numpy.npz", Base64.getDecoder().decode(NUMPY_NPZ));
        try (Npz npz = Npz.open(p)) {
            assertEquals(List.of("c_i2", "f_f8", "b", "be_i4", "u1", "obj"), npz.keys());
            INDArray c = npz.get("c_i2");
            assertEquals(DataType.SHORT, c.dataType());
            assertArrayEquals(new long[] {2, 3}, c.shape());
            assertArrayEquals(new double[] {1, -2, 3, -4, 5, -32768}, values(c), 0.0);

            assertTrue(npz.header("f_f8").fortranOrder());
            INDArray f = npz.get("f_f8.npy");   // the key may carry .npy, as in NumPy
            assertEquals(DataType.DOUBLE, f.dataType());
            assertArrayEquals(new long[] {2, 3}, f.shape());
            assertEquals(1.5, f.getDouble(0, 1), 0.0);
            assertEquals(3.5, f.getDouble(1, 0), 0.0);
            assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5, 4.5, 5.5}, values(f), 0.0);

            assertEquals(DataType.BOOL, npz.get("b").dataType());
            assertArrayEquals(new double[] {1, 0, 1}, values(npz.get("b")), 0.0);
            assertEquals(">i4", npz.header("be_i4").descr());
            assertArrayEquals(new double[] {1, -2, 100000}, values(npz.get("be_i4")), 0.0);
            assertEquals(DataType.UBYTE, npz.get("u1").dataType());
            assertArrayEquals(new double[] {0, 128, 255}, values(npz.get("u1")), 0.0);

            assertTrue(npz.header("obj").isObjectArray());
            IOException e = assertThrows(IOException.class, () -> npz.get("obj"));
            assertTrue(e.getMessage().startsWith(p + ": entry obj.npy: holds a Python object array"), e.getMessage());
        }
        INDArray v2 = Npy.read(new ByteArrayInputStream(Base64.getDecoder().decode(NUMPY_NPY_V2)), "v2.npy");
        assertEquals(DataType.FLOAT, v2.dataType());
        assertArrayEquals(new double[] {1.25, -2.5, 3.0, 4e30f}, values(v2), 0.0);
    }

    @Test
    void storedAndDeflatedEntries() throws IOException {
        byte[] x = npy("<f4", false, new long[] {2, 2}, le(16).putFloat(1).putFloat(2).putFloat(3).putFloat(4).array());
        byte[] y = npy("<i8", false, new long[] {3}, le(24).putLong(7).putLong(8).putLong(9).array());
        byte[] fo = npy("<i2", true, new long[] {2, 3}, le(12).putShort((short) 0).putShort((short) 3).putShort((short) 1)
                .putShort((short) 4).putShort((short) 2).putShort((short) 5).array());
        for (boolean deflate : new boolean[] {false, true}) {
            Path p = write(deflate ? "deflated.npz" : "stored.npz", NpyBytes.npz(deflate, "y", y, "x", x, "fo", fo));
            Map<String, INDArray> all = Npz.readAll(p);
            assertEquals(List.of("y", "x", "fo"), List.copyOf(all.keySet()));
            assertArrayEquals(new double[] {1, 2, 3, 4}, values(all.get("x")), 0.0);
            assertEquals(DataType.FLOAT, all.get("x").dataType());
            assertArrayEquals(new double[] {7, 8, 9}, values(all.get("y")), 0.0);
            assertEquals(1, all.get("fo").getInt(0, 1));
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, values(all.get("fo")), 0.0);
            assertArrayEquals(new double[] {7, 8, 9}, values(Npz.read(p, "y")), 0.0);
        }
    }

    @Test
    void missingKeyNamesTheFileAndTheKeys() throws IOException {
        Path p = write("k.npz", NpyBytes.npz(true, "a", npy("|u1", false, new long[] {1}, new byte[1])));
        try (Npz npz = Npz.open(p)) {
            assertFalse(npz.contains("b"));
            IOException e = assertThrows(IOException.class, () -> npz.get("b"));
            assertEquals(p + ": no array named 'b' (the archive holds [a])", e.getMessage());
        }
    }

    @Test
    void truncatedArchiveIsAnErrorNamingTheFile() throws IOException {
        byte[] full = Base64.getDecoder().decode(NUMPY_NPZ);
        Path p = write("cut.npz", Arrays.copyOf(full, full.length / 2));
        IOException e = assertThrows(IOException.class, () -> Npz.open(p));
        assertTrue(e.getMessage().startsWith(p + ": not a readable .npz (ZIP) archive, truncated or corrupted"), e.getMessage());

        Path notZip = write("text.npz", "hello".getBytes());
        e = assertThrows(IOException.class, () -> Npz.read(notZip, "x"));
        assertTrue(e.getMessage().startsWith(notZip + ": not a readable .npz"), e.getMessage());
    }

    @Test
    void entryShorterThanItsHeaderSaysIsAnErrorNamingFileAndEntry() throws IOException {
        // header promises (10, 5) uint8 = 50 bytes, the entry holds 12
        byte[] shortEntry = npy("|u1", false, new long[] {10, 5}, new byte[12]);
        for (boolean deflate : new boolean[] {false, true}) {
            Path p = write("short" + deflate + ".npz", NpyBytes.npz(deflate, "x_train", shortEntry));
            IOException e = assertThrows(IOException.class, () -> Npz.read(p, "x_train"));
            assertTrue(e.getMessage().startsWith(p + ": entry x_train.npy: expected 50 data bytes, found 12"), e.getMessage());
        }
    }

    @Test
    void corruptedDataIsDetected() throws IOException {
        byte[] data = new byte[64];
        Arrays.fill(data, (byte) 3);
        byte[] zip = NpyBytes.npz(false, "x", npy("|u1", false, new long[] {64}, data));
        // flip one data byte inside the stored entry: the CRC-32 no longer matches
        int at = indexOf(zip, new byte[] {3, 3, 3, 3, 3, 3, 3, 3}) + 10;
        zip[at] = 4;
        Path p = write("flipped.npz", zip);
        IOException e = assertThrows(IOException.class, () -> Npz.read(p, "x"));
        assertEquals(p + ": entry x.npy: CRC-32 mismatch (the file is corrupted)", e.getMessage());

        // damage a deflated stream
        byte[] def = NpyBytes.npz(true, "x", npy("<f8", false, new long[] {500}, new byte[4000]));
        int start = 30 + "x.npy".length();   // local header + name: the deflate data follow
        for (int i = start; i < start + 20; i++) def[i] = (byte) 0xff;
        Path q = write("garbled.npz", def);
        e = assertThrows(IOException.class, () -> Npz.read(q, "x"));
        assertTrue(e.getMessage().startsWith(q + ": entry x.npy: "), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
