package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cornu's HDF5 writer and reader: what the writer writes, jHDF and h5py (libhdf5) read with the
 * same groups, types, shapes and values; what h5py writes, the reader reads as h5py does, and
 * what it cannot read goes to jHDF.
 */
class Hdf5FilesTest {
    @TempDir
    Path dir;

    /** Datasets of every stored type, rank 0 to 4, views and Fortran order, odd names; values known. */
    private static Map<String, INDArray> mixed() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("layers/dense/vars/0", Nd4j.create(new float[] {1.5f, -2.25f, 3e-8f, 4e30f, -0f, 6, 7, 8, 9, 10, 11, 12}, new long[] {3, 4}, 'c'));
        m.put("layers/dense/vars/1", Nd4j.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new long[] {4}, 'c'));
        m.put("layers/conv/vars/0", seq(-12, 24).reshape(2, 3, 2, 2));
        m.put("a/f64", Nd4j.create(new double[] {Math.PI, -Math.E, 1e-300, 1e300, 0.1, Double.MIN_VALUE}, new long[] {2, 3}, 'c'));
        m.put("a/f16", Nd4j.create(new float[] {0.5f, -2f, 65504f, 0.099975586f, 1f}, new long[] {5}, 'c').castTo(DataType.HALF));
        m.put("a/i64 scalar", Nd4j.scalar(DataType.LONG, 7L));
        m.put("a/i32", Nd4j.createFromArray(-1, 0, Integer.MAX_VALUE));
        m.put("a/i8", Nd4j.createFromArray(new byte[] {-128, -1, 0, 127}));
        m.put("a/u8", Nd4j.createFromArray(0, 200, 255).castTo(DataType.UBYTE));
        m.put("a/f32 scalar", Nd4j.scalar(DataType.FLOAT, 0.001f));
        m.put("a/empty", Nd4j.create(DataType.FLOAT, 0, 3));
        // a transposed view (5, 3) and a Fortran-order copy: stored in C order
        m.put("a/transposed", seq(1, 15).reshape(3, 5).transpose());
        m.put("a/fortran", seq(1, 6).reshape(2, 3).dup('f'));
        m.put("\u00fc/kernel:0", Nd4j.create(new float[] {42}, new long[] {1, 1}, 'c'));
        return m;
    }

    /** n float32 values from {@code start} by steps of 1. */
    private static INDArray seq(int start, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = start + i;
        return Nd4j.create(v, new long[] {n}, 'c');
    }

    private static final List<String> EMPTY_GROUPS = List.of("vars", "layers/flatten/vars", "deep/a/b/c", "layers/dense");

    /** The groups a file holding {@link #mixed()} and {@link #EMPTY_GROUPS} has. */
    private static TreeSet<String> expectedGroups() {
        return new TreeSet<>(List.of("layers", "layers/dense", "layers/dense/vars", "layers/conv", "layers/conv/vars", "a",
                "\u00fc", "vars", "layers/flatten", "layers/flatten/vars", "deep", "deep/a", "deep/a/b", "deep/a/b/c"));
    }

    private static double[] values(INDArray a) {
        return a.length() == 0 ? new double[0] : a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    private static void assertSameArrays(Map<String, INDArray> expected, Map<String, INDArray> read, String reader) {
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(read.keySet()), reader + ": datasets");
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            INDArray r = read.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), r.shape(), reader + ": shape of " + e.getKey());
            assertArrayEquals(values(e.getValue()), values(r), 0.0, reader + ": values of " + e.getKey());
        }
    }

    private static void groups(Group g, String prefix, TreeSet<String> out) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Group c) {
                out.add(prefix + n.getName());
                groups(c, prefix + n.getName() + "/", out);
            }
        }
    }

    @Test
    void emptyGroupsAndEveryTypeReadBackWithCornuAndJhdf() throws Exception {
        Map<String, INDArray> data = mixed();
        Path p = dir.resolve("mixed.h5");
        WeightsStore.write(data, EMPTY_GROUPS, p);
        byte[] bytes = Files.readAllBytes(p);
        assertEquals(new Hdf5Writer(data, EMPTY_GROUPS).size(), bytes.length);

        Hdf5Reader r = Hdf5Reader.read(ByteBuffer.wrap(bytes));
        assertEquals(expectedGroups(), new TreeSet<>(r.groups()));
        Map<String, INDArray> ours = r.arrays();
        assertSameArrays(data, ours, "Cornu's reader");
        // types as stored: floats keep their width, integers come back as int64
        assertEquals(DataType.HALF, ours.get("a/f16").dataType());
        assertEquals(DataType.DOUBLE, ours.get("a/f64").dataType());
        assertEquals(DataType.LONG, ours.get("a/u8").dataType());
        assertEquals(0, ours.get("a/i64 scalar").rank());

        try (HdfFile f = HdfFile.fromBytes(bytes)) {
            TreeSet<String> g = new TreeSet<>();
            groups(f, "", g);
            assertEquals(expectedGroups(), g, "jHDF: groups");
            assertTrue(((Group) f.getByPath("deep/a/b/c")).getChildren().isEmpty());
            // WeightsStore.toArray (jHDF's arrays to ND4J) takes floats, int32 and int64: compare those
            Map<String, INDArray> comparable = new LinkedHashMap<>(data);
            comparable.keySet().removeAll(List.of("a/f16", "a/i8", "a/u8", "a/empty"));
            assertArrayEquals(new int[] {0, 3}, ((io.jhdf.api.Dataset) f.getByPath("a/empty")).getDimensions());
            Map<String, INDArray> jhdf = new LinkedHashMap<>();
            for (String k : comparable.keySet()) jhdf.put(k, WeightsStore.toArray((io.jhdf.api.Dataset) f.getByPath(k)));
            assertSameArrays(comparable, jhdf, "jHDF");
        }
    }

    @Test
    void emptyGroupsAndEveryTypeReadBackWithH5py() throws Exception {
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): h5py check skipped");
        Map<String, INDArray> data = mixed();
        Path p = dir.resolve("mixed.h5");
        WeightsStore.write(data, EMPTY_GROUPS, p);
        List<String> lines = SavingTestSupport.python(py, String.join("\n",
                "import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'r')",
                "def show(name, obj):",
                "    if isinstance(obj, h5py.Group):",
                "        print('G', name.encode('unicode_escape').decode(), len(obj))",
                "    else:",
                "        v = np.asarray(obj[()]).ravel()",
                "        print('D', name.encode('unicode_escape').decode().replace(' ', '_'), obj.dtype, ','.join(str(d) for d in obj.shape),",
                "              ' '.join(repr(float(x)) for x in v))",
                "f.visititems(show)"), p.toString());
        TreeSet<String> groups = new TreeSet<>();
        Map<String, String> types = new TreeMap<>();
        Map<String, INDArray> read = new LinkedHashMap<>();
        for (String l : lines) {
            String[] parts = l.split(" ", 5);
            String name = parts[1].replace("\\xfc", "\u00fc");
            if (parts[0].equals("G")) {
                groups.add(name);
                continue;
            }
            name = name.replace('_', ' ');
            types.put(name, parts[2]);
            long[] shape = parts[3].isEmpty() ? new long[0] : java.util.Arrays.stream(parts[3].split(",")).mapToLong(Long::parseLong).toArray();
            double[] v = parts.length < 5 || parts[4].isEmpty() ? new double[0]
                    : java.util.Arrays.stream(parts[4].split(" ")).mapToDouble(Double::parseDouble).toArray();
            long n = 1;
            for (long d : shape) n *= d;
            read.put(name, n == 0 ? Nd4j.create(DataType.DOUBLE, shape) : Nd4j.create(v, shape, DataType.DOUBLE));
        }
        assertEquals(expectedGroups(), groups);
        assertSameArrays(data, read, "h5py");
        Map<String, String> expectedTypes = new TreeMap<>();
        for (Map.Entry<String, INDArray> e : data.entrySet()) {
            expectedTypes.put(e.getKey(), Hdf5Types.forArray(e.getValue().dataType()).numpyName());
        }
        assertEquals(expectedTypes, types);
    }

    /**
     * The paths for buffers that are not host memory (CUDA), taken here on the CPU: arrays copied out
     * through Java arrays (float16 and small integers widened to types those copy), and read back
     * through Java arrays.
     */
    @Test
    void copiesThroughJavaArraysGiveTheSameValues() {
        Map<String, INDArray> data = mixed();
        Hdf5Writer w = new Hdf5Writer(data, EMPTY_GROUPS, false);
        Hdf5Reader r = Hdf5Reader.read(ByteBuffer.wrap(w.toBytes()));
        assertSameArrays(data, r.arrays(false), "written and read through Java arrays");
        assertSameArrays(data, r.arrays(true), "written through Java arrays, read in place");
        assertEquals(Hdf5Types.Kind.F32, r.datasets().get("a/f16").type().kind());
        assertEquals(Hdf5Types.Kind.I32, r.datasets().get("a/i8").type().kind());
        assertEquals(Hdf5Types.Kind.U32, r.datasets().get("a/u8").type().kind());
        assertEquals(Hdf5Types.Kind.F64, r.datasets().get("a/f64").type().kind());
        Hdf5Reader direct = Hdf5Reader.read(ByteBuffer.wrap(new Hdf5Writer(data, EMPTY_GROUPS, true).toBytes()));
        assertSameArrays(data, direct.arrays(false), "written in place, read through Java arrays");
        assertEquals(DataType.HALF, direct.arrays(false).get("a/f16").dataType());
    }

    /** Groups past one symbol table node (8 entries), one B-tree node (256) and two levels (8192). */
    @Test
    void largeGroupsNeedDeeperBTrees() throws Exception {
        Map<String, INDArray> data = new LinkedHashMap<>();
        for (int i = 0; i < 9; i++) data.put("nine/" + i, Nd4j.scalar(DataType.LONG, (long) i));
        for (int i = 0; i < 300; i++) data.put("optimizer/vars/" + i, Nd4j.scalar(DataType.FLOAT, i * 0.5f));
        for (int i = 0; i < 8300; i++) data.put("huge/" + i, Nd4j.scalar(DataType.LONG, 3L * i));
        Path p = dir.resolve("large.h5");
        WeightsStore.write(data, List.of(), p);
        byte[] bytes = Files.readAllBytes(p);
        assertSameArrays(data, Hdf5Reader.read(ByteBuffer.wrap(bytes)).arrays(), "Cornu's reader");
        try (HdfFile f = HdfFile.fromBytes(bytes)) {
            assertSameArrays(data, WeightsStore.readAll(f), "jHDF");
        }
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): h5py check skipped");
        List<String> lines = SavingTestSupport.python(py, String.join("\n",
                "import sys, h5py",
                "f = h5py.File(sys.argv[1], 'r')",
                "for g in ['nine', 'optimizer/vars', 'huge']:",
                "    names = list(f[g].keys())",
                "    print(g, len(names), sum(float(f[g][n][()]) for n in names), float(f[g]['299'][()]) if '299' in names else -1)"),
                p.toString());
        // sums: 0..8 = 36; 0.5 * (0..299) = 22425; 3 * (0..8299) = 103307550; each group's own '299'
        assertEquals(List.of("nine 9 36.0 -1", "optimizer/vars 300 22425.0 149.5", "huge 8300 103322550.0 897.0"), lines);
    }

    /** What h5py (libhdf5) writes by default, as Keras saves: read by Cornu's reader with h5py's values. */
    @Test
    void readsWhatH5pyWrites() throws Exception {
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): h5py check skipped");
        Path p = dir.resolve("h5py.h5");
        List<String> lines = SavingTestSupport.python(py, String.join("\n",
                "import sys, h5py, numpy as np",
                "rng = np.random.default_rng(3)",
                "f = h5py.File(sys.argv[1], 'w')",
                "f.create_group('vars')",
                "f.attrs['note'] = 'attributes are skipped'",
                "d = {}",
                "for t in ['<f2', '<f4', '<f8', '>f2', '>f4', '>f8', 'i1', '<i2', '<i4', '<i8', '>i2', '>i8', 'u1', '<u2', '<u4', '<u8']:",
                "    v = rng.standard_normal((2, 3)) * 50",
                "    d['types/' + t.replace('<', 'le_').replace('>', 'be_')] = (np.abs(v) if 'u' in t else v).astype(t)",
                "d['scalars/int64'] = np.int64(-5)",
                "d['scalars/float32'] = np.float32(0.125)",
                "d['scalars/be_float64'] = np.array(-2.5, '>f8')",
                "d['shapes/empty'] = np.zeros((0, 4), 'f4')",
                "d['shapes/rank5'] = rng.standard_normal((2, 1, 3, 1, 2)).astype('f4')",
                "for i in range(300):",
                "    d['optimizer/vars/%d' % i] = np.float32(i) * np.ones((2,), 'f4')",
                "for k, v in d.items():",
                "    f[k] = v",
                "f['types/be_f4'].attrs['dtype'] = 'just an attribute'",
                "dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)",
                "dcpl.set_layout(h5py.h5d.COMPACT)",
                "sp = h5py.h5s.create_simple((3,))",
                "h5py.h5d.create(f['shapes'].id, b'compact', h5py.h5t.NATIVE_FLOAT, sp, dcpl=dcpl).write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([1.5, 2.5, 3.5], 'f4'))",
                "f.close()",
                "f = h5py.File(sys.argv[1], 'r')",
                "def show(name, obj):",
                "    if isinstance(obj, h5py.Dataset):",
                "        v = np.asarray(obj[()]).ravel()",
                "        print(name, ','.join(str(s) for s in obj.shape), ' '.join(repr(float(x)) for x in v))",
                "    else:",
                "        print(name)",
                "f.visititems(show)"), p.toString());
        Hdf5Reader r = Hdf5Reader.read(ByteBuffer.wrap(Files.readAllBytes(p)));
        Map<String, INDArray> ours = r.arrays();
        int datasets = 0;
        TreeSet<String> groups = new TreeSet<>();
        for (String l : lines) {
            String[] parts = l.split(" ", 3);
            if (parts.length == 1) {
                groups.add(parts[0]);
                continue;
            }
            datasets++;
            INDArray a = ours.get(parts[0]);
            long[] shape = parts[1].isEmpty() ? new long[0] : java.util.Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
            assertArrayEquals(shape, a.shape(), parts[0]);
            double[] v = parts[2].isEmpty() ? new double[0] : java.util.Arrays.stream(parts[2].split(" ")).mapToDouble(Double::parseDouble).toArray();
            assertArrayEquals(v, values(a), 0.0, parts[0]);
        }
        assertEquals(16 + 3 + 3 + 300, datasets);
        assertEquals(datasets, ours.size());
        assertEquals(groups, new TreeSet<>(r.groups()));
        assertTrue(groups.contains("vars"));
    }

    /** Chunked, compressed datasets are outside Cornu's reader: loading goes to jHDF and gets the values. */
    @Test
    void filesOutsideTheSubsetGoToJhdf() throws Exception {
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): h5py check skipped");
        Path p = dir.resolve("gzip.h5");
        SavingTestSupport.python(py, String.join("\n",
                "import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'w')",
                "f.create_dataset('layers/dense/vars/0', data=np.arange(12, dtype='f4').reshape(3, 4), chunks=(1, 4), compression='gzip')",
                "f.close()"), p.toString());
        byte[] bytes = Files.readAllBytes(p);
        Hdf5Reader.Unsupported e = assertThrows(Hdf5Reader.Unsupported.class, () -> Hdf5Reader.read(ByteBuffer.wrap(bytes)));
        assertTrue(e.getMessage().contains("layers/dense/vars/0") && e.getMessage().contains("filtered"), e.getMessage());
        INDArray v = Models.readH5(ByteBuffer.wrap(bytes), p.toString()).get("layers/dense/vars/0");
        assertArrayEquals(new long[] {3, 4}, v.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, values(v), 0.0);
    }

    @Test
    void truncatedFilesAreNotReadAsTheirHeadersSay() throws Exception {
        Path p = dir.resolve("t.h5");
        WeightsStore.write(mixed(), EMPTY_GROUPS, p);
        byte[] all = Files.readAllBytes(p);
        for (int cut : new int[] {50, 200, all.length / 2, all.length - 1}) {
            byte[] part = java.util.Arrays.copyOf(all, cut);
            assertThrows(Hdf5Reader.Unsupported.class, () -> Hdf5Reader.read(ByteBuffer.wrap(part)), "cut at " + cut);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Models.readH5(ByteBuffer.wrap(part), "weights.h5"), "cut at " + cut);
            assertTrue(e.getMessage().contains("weights.h5"), e.getMessage());
        }
    }

    /** Every half-precision bit pattern converts as numpy converts it (the path for big-endian files and non-CPU backends). */
    @Test
    void halfPrecisionBitsConvertAsNumpy() throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor() == 0, "python3 with numpy not installed: half-precision check skipped");
        Path out = dir.resolve("halves.bin");
        SavingTestSupport.python("python3", String.join("\n",
                "import sys, numpy as np",
                "np.arange(65536, dtype='<u2').view('<f2').astype('<f4').tofile(sys.argv[1])"), out.toString());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(65536 * 4, b.capacity());
        for (int h = 0; h < 65536; h++) {
            float expected = b.getFloat(4 * h);
            float got = Hdf5Types.halfToFloat((short) h);
            if (Float.isNaN(expected)) assertTrue(Float.isNaN(got), "half 0x" + Integer.toHexString(h));
            else assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void badPathsAreRefused() {
        INDArray one = Nd4j.scalar(DataType.FLOAT, 1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Hdf5Writer(Map.of("a//b", one), List.of()));
        assertTrue(e.getMessage().contains("'a//b'"), e.getMessage());
        Map<String, INDArray> clash = new LinkedHashMap<>();
        clash.put("a/b", one);
        clash.put("a/b/c", one);
        e = assertThrows(IllegalArgumentException.class, () -> new Hdf5Writer(clash, List.of()));
        assertTrue(e.getMessage().contains("'a/b/c'") && e.getMessage().contains("a dataset"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Hdf5Writer(Map.of("a/b", one), List.of("a/b")));
        assertTrue(e.getMessage().contains("'a/b'"), e.getMessage());
        List<String> none = new ArrayList<>();
        assertEquals(96 + 40 + 32 + 8 + 544, new Hdf5Writer(Map.of(), none).size(), "an empty file: superblock and root group");
    }
}
