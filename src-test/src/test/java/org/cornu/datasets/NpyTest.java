package org.cornu.datasets;

import static org.cornu.datasets.NpyBytes.be;
import static org.cornu.datasets.NpyBytes.le;
import static org.cornu.datasets.NpyBytes.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Npy} on small arrays whose bytes the tests write by hand ({@link NpyBytes}). */
class NpyTest {
    @TempDir
    Path tmp;

    private static INDArray read(byte[] bytes) throws IOException {
        return Npy.read(new ByteArrayInputStream(bytes), "test.npy");
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    private static void check(byte[] file, DataType type, long[] shape, double... expected) throws IOException {
        INDArray a = read(file);
        assertEquals(type, a.dataType());
        assertArrayEquals(shape, a.shape());
        assertArrayEquals(expected, values(a), 0.0);
    }

    @Test
    void everyLittleEndianDtype() throws IOException {
        long[] s3 = {3};
        check(npy("|b1", false, s3, new byte[] {1, 0, 1}), DataType.BOOL, s3, 1, 0, 1);
        check(npy("|i1", false, s3, new byte[] {-128, 0, 127}), DataType.BYTE, s3, -128, 0, 127);
        check(npy("|u1", false, s3, new byte[] {0, (byte) 128, (byte) 255}), DataType.UBYTE, s3, 0, 128, 255);
        check(npy("<i2", false, s3, le(6).putShort((short) -32768).putShort((short) 1).putShort((short) 32767).array()),
                DataType.SHORT, s3, -32768, 1, 32767);
        check(npy("<u2", false, s3, le(6).putShort((short) 0).putShort((short) 40000).putShort((short) 65535).array()),
                DataType.UINT16, s3, 0, 40000, 65535);
        check(npy("<i4", false, s3, le(12).putInt(Integer.MIN_VALUE).putInt(-1).putInt(123456789).array()),
                DataType.INT, s3, Integer.MIN_VALUE, -1, 123456789);
        check(npy("<u4", false, s3, le(12).putInt(0).putInt(-1).putInt(7).array()),
                DataType.UINT32, s3, 0, 4294967295.0, 7);
        check(npy("<i8", false, s3, le(24).putLong(-5_000_000_000L).putLong(0).putLong(1L << 40).array()),
                DataType.LONG, s3, -5e9, 0, Math.pow(2, 40));
        check(npy("<u8", false, s3, le(24).putLong(0).putLong(3).putLong(1L << 52).array()),
                DataType.UINT64, s3, 0, 3, Math.pow(2, 52));
        // float16: 0x3c00 = 1.0, 0xc000 = -2.0, 0x3555 = 0.333251953125
        check(npy("<f2", false, s3, le(6).putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3555).array()),
                DataType.HALF, s3, 1.0, -2.0, 0.333251953125);
        check(npy("<f4", false, s3, le(12).putFloat(1.5f).putFloat(-0.25f).putFloat(3.4e38f).array()),
                DataType.FLOAT, s3, 1.5, -0.25, (double) 3.4e38f);
        check(npy("<f8", false, s3, le(24).putDouble(Math.PI).putDouble(-1e300).putDouble(0.1).array()),
                DataType.DOUBLE, s3, Math.PI, -1e300, 0.1);
    }

    @Test
    void bigEndianDtypesAreSwapped() throws IOException {
        long[] s2 = {2};
        check(npy(">i2", false, s2, be(4).putShort((short) -2).putShort((short) 300).array()), DataType.SHORT, s2, -2, 300);
        check(npy(">u2", false, s2, be(4).putShort((short) 65000).putShort((short) 1).array()), DataType.UINT16, s2, 65000, 1);
        check(npy(">i4", false, s2, be(8).putInt(-100000).putInt(1 << 20).array()), DataType.INT, s2, -100000, 1 << 20);
        check(npy(">i8", false, s2, be(16).putLong(-3L << 33).putLong(9).array()), DataType.LONG, s2, -3.0 * (1L << 33), 9);
        check(npy(">f4", false, s2, be(8).putFloat(2.5f).putFloat(-1e-3f).array()), DataType.FLOAT, s2, 2.5, (double) -1e-3f);
        check(npy(">f8", false, s2, be(16).putDouble(6.02e23).putDouble(-7.5).array()), DataType.DOUBLE, s2, 6.02e23, -7.5);
        check(npy("|u1", false, s2, new byte[] {7, (byte) 200}), DataType.UBYTE, s2, 7, 200);
    }

    @Test
    void fortranOrderComesOutWithTheRightElements() throws IOException {
        // The (2, 3) array [[0, 1, 2], [3, 4, 5]] in Fortran order is stored column by column: 0 3 1 4 2 5.
        byte[] f = npy("<i4", true, new long[] {2, 3}, le(24).putInt(0).putInt(3).putInt(1).putInt(4).putInt(2).putInt(5).array());
        INDArray a = read(f);
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertEquals(1, a.getInt(0, 1));
        assertEquals(3, a.getInt(1, 0));
        assertEquals(5, a.getInt(1, 2));
        assertEquals('c', a.ordering());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, values(a), 0.0);

        // (2, 3, 4) with a[i, j, k] = 100 i + 10 j + k; Fortran order varies i fastest.
        java.nio.ByteBuffer data = le(8 * 24);
        for (int k = 0; k < 4; k++) for (int j = 0; j < 3; j++) for (int i = 0; i < 2; i++) data.putDouble(100 * i + 10 * j + k);
        INDArray b = read(npy("<f8", true, new long[] {2, 3, 4}, data.array()));
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) {
            assertEquals(100 * i + 10 * j + k, b.getDouble(i, j, k), 0.0);
        }
        // And the same array in C order reads the same.
        java.nio.ByteBuffer c = le(8 * 24);
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) c.putDouble(100 * i + 10 * j + k);
        assertEquals(read(npy("<f8", false, new long[] {2, 3, 4}, c.array())), b);
    }

    @Test
    void headerVersions2And3() throws IOException {
        byte[] data = le(8).putFloat(1f).putFloat(2f).array();
        for (int major = 1; major <= 3; major++) {
            byte[] file = npy(major, "<f4", false, new long[] {1, 2}, data);
            Npy.Header h = Npy.readHeader(new ByteArrayInputStream(file), "v.npy");
            assertEquals(major, h.majorVersion());
            assertEquals(file.length - 8, h.headerBytes());
            assertEquals("<f4", h.descr());
            check(file, DataType.FLOAT, new long[] {1, 2}, 1, 2);
        }
    }

    @Test
    void headerDictIsParsedRobustly() throws IOException {
        byte[] data = le(12).putInt(1).putInt(2).putInt(3).array();
        // keys in another order, double quotes, Python 2 longs, no trailing comma, odd spacing
        String[] headers = {
            "{\"shape\": (3L,), \"fortran_order\": False, \"descr\": \"<i4\"}",
            "{ 'fortran_order' :False,'shape':( 3, ),'descr':'<i4' , }",
            "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), 'extra': [1, (2, 'x'), None]}",
        };
        for (String h : headers) {
            check(NpyBytes.npyWithHeader(1, h, data), DataType.INT, new long[] {3}, 1, 2, 3);
        }
        // Python 2 style shape (60000L, 28L) seen in old Keras files
        Npy.Header h = Npy.readHeader(new ByteArrayInputStream(
                NpyBytes.npyWithHeader(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (60000L, 28L, 28L), }", new byte[0])),
                "old.npy");
        assertArrayEquals(new long[] {60000, 28, 28}, h.shape());
    }

    @Test
    void scalarAndEmptyArrays() throws IOException {
        INDArray s = read(npy("<f8", false, new long[] {}, le(8).putDouble(2.75).array()));
        assertEquals(0, s.rank());
        assertEquals(2.75, s.getDouble(0), 0.0);
        INDArray e = read(npy("<f4", false, new long[] {0, 3}, new byte[0]));
        assertTrue(e.isEmpty());
        assertArrayEquals(new long[] {0, 3}, e.shape());
        assertEquals(DataType.FLOAT, e.dataType());
    }

    @Test
    void readsAFileAndNamesItInErrors() throws IOException {
        Path ok = tmp.resolve("ok.npy");
        Files.write(ok, npy("<i8", false, new long[] {2}, le(16).putLong(4).putLong(-4).array()));
        assertArrayEquals(new double[] {4, -4}, values(Npy.read(ok)), 0.0);

        Path badMagic = tmp.resolve("bad_magic.npy");
        Files.write(badMagic, "PK\3\4 this is not numpy".getBytes());
        IOException e = assertThrows(IOException.class, () -> Npy.read(badMagic));
        assertTrue(e.getMessage().contains(badMagic.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a .npy"), e.getMessage());

        Path truncated = tmp.resolve("truncated.npy");
        byte[] full = npy("<i4", false, new long[] {2, 3}, new byte[24]);
        Files.write(truncated, Arrays.copyOf(full, full.length - 14));
        e = assertThrows(IOException.class, () -> Npy.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": expected 24 data bytes, found 10"), e.getMessage());

        // the same truncation seen through a stream (size unknown beforehand)
        e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(Arrays.copyOf(full, full.length - 14)), "s.npy"));
        assertTrue(e.getMessage().startsWith("s.npy: expected 24 data bytes, found 10"), e.getMessage());

        Path cutHeader = tmp.resolve("cut_header.npy");
        Files.write(cutHeader, Arrays.copyOf(full, 30));
        e = assertThrows(IOException.class, () -> Npy.read(cutHeader));
        assertTrue(e.getMessage().contains(cutHeader.toString()) && e.getMessage().contains("truncated .npy header"), e.getMessage());

        Path empty = tmp.resolve("empty.npy");
        Files.write(empty, new byte[0]);
        e = assertThrows(IOException.class, () -> Npy.read(empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void badHeadersAndUnsupportedTypesAreClearErrors() {
        byte[] data = new byte[16];
        String[][] cases = {
            {"{'descr': '<i4', 'fortran_order': False}", "no 'shape' key"},
            {"{'descr': '<i4', 'fortran_order': 0, 'shape': (4,)}", "'fortran_order' is not True or False"},
            {"{'descr': '<i4', 'fortran_order': False, 'shape': (4,)", "malformed .npy header"},
            {"{'descr': '<i4', 'fortran_order': False, 'shape': (-4,)}", "bad dimension"},
            {"{'descr': '<i4', 'fortran_order': False, 'shape': __import__('os')}", "malformed .npy header"},
            {"{'descr': '<c16', 'fortran_order': False, 'shape': (1,)}", "unsupported dtype '<c16'"},
            {"{'descr': '<U4', 'fortran_order': False, 'shape': (1,)}", "unsupported dtype '<U4'"},
            {"{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,)}", "structured dtype"},
            {"{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", "Python object array"},
        };
        for (String[] c : cases) {
            IOException e = assertThrows(IOException.class, () -> read(NpyBytes.npyWithHeader(1, c[0], data)), c[0]);
            assertTrue(e.getMessage().startsWith("test.npy: "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        IOException e = assertThrows(IOException.class, () -> read(npy(4, "<i4", false, new long[] {1}, new byte[4])));
        assertTrue(e.getMessage().contains("unsupported .npy format version 4.0"), e.getMessage());
    }

    @Test
    void largeUint8ArrayLoadsFast() throws IOException {
        // 47 MB, the size of MNIST's x_train: bulk copies, no per-element work.
        int n = 60000 * 28 * 28;
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) data[i] = (byte) (i * 7);
        byte[] file = npy("|u1", false, new long[] {60000, 28, 28}, data);
        read(npy("|u1", false, new long[] {4}, new byte[4])); // ND4J start-up outside the timing
        long t0 = System.nanoTime();
        INDArray a = read(file);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals((byte) (12345 * 7) & 0xff, a.getInt(12345 / 784, 12345 % 784 / 28, 12345 % 28));
        assertEquals((byte) ((n - 1) * 7) & 0xff, a.getInt(59999, 27, 27));
        assertTrue(seconds < 1.0, "47 MB took " + seconds + " s");
    }
}
