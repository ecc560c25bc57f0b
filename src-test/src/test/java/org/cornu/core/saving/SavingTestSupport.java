package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.cornu.core.Model;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers for the saving tests: zip reading, exact array comparison, h5py through python3. */
final class SavingTestSupport {
    private SavingTestSupport() {}

    static Map<String, byte[]> zipEntries(Path p) throws IOException {
        Map<String, byte[]> r = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(p))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) r.put(e.getName(), z.readAllBytes());
        }
        return r;
    }

    static INDArray data(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(2);
    }

    /** Bit-for-bit equality of two arrays. */
    static void assertSame(INDArray a, INDArray b, String what) {
        assertArrayEquals(a.shape(), b.shape(), what + ": shapes");
        assertArrayEquals(a.castTo(DataType.FLOAT).data().asFloat(), b.castTo(DataType.FLOAT).data().asFloat(), 0f, what);
    }

    static void assertSameWeights(Model a, Model b) {
        List<Weight> wa = a.weights();
        List<Weight> wb = b.weights();
        assertEquals(wa.size(), wb.size(), "weight count");
        for (int i = 0; i < wa.size(); i++) assertSame(wa.get(i).value(), wb.get(i).value(), "weight " + wa.get(i).path());
    }

    /** A python3 that imports h5py, or null (Debian's python3-h5py lives under /usr/bin/python3). */
    static String pythonWithH5py() {
        for (String py : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import h5py, numpy").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return py;
            } catch (IOException | InterruptedException e) {
                // try the next
            }
        }
        return null;
    }

    /** Runs a python script with arguments and returns its standard output lines; fails on a non-zero exit. */
    static List<String> python(String py, String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(py, "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        if (p.exitValue() != 0) throw new AssertionError("python failed:\n" + out);
        return List.of(out.strip().split("\n"));
    }
}
