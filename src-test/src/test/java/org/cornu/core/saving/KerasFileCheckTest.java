package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cornu.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The checker itself: it accepts the files real Keras wrote (Keras 3.3.3, 3.13.2 and 3.15.1), so
 * what it demands of Cornu's files is what Keras writes, and it rejects a file without the root
 * {@code vars} group that Keras 3.0 to 3.5 need.
 */
class KerasFileCheckTest {
    @TempDir
    Path dir;

    @Test
    void acceptsFilesRealKerasWrote() throws Exception {
        int checked = 0;
        for (String f : List.of("k3_komei_lstm.keras", "k3_sami0009_mnist.keras")) {
            checked += KerasFileCheck.check(RealData.kerasModel(f));
        }
        for (String name : List.of("convnet_adam", "recurrent_rmsprop", "conv1d_nadam", "schedule_adamw",
                "functional_adam", "nested_adam", "dense_amsgrad")) {
            Path p = dir.resolve(name + ".keras");
            try (InputStream in = getClass().getResourceAsStream("/saving/keras315/keras315_" + name + ".keras")) {
                Files.copy(in, p);
            }
            checked += KerasFileCheck.check(p);
        }
        assertTrue(checked > 150, "variables checked: " + checked);
    }

    @Test
    void rejectsAFileWithoutTheRootVarsGroup() throws Exception {
        org.cornu.core.Cornu.clearSession();
        org.cornu.core.Sequential m = new org.cornu.core.Sequential(new org.cornu.core.InputLayer(3),
                new org.cornu.layers.Dense(2));
        Path p = dir.resolve("m.keras");
        m.save(p);
        KerasFileCheck.check(p);
        // the same archive with an HDF5 file holding only the datasets (what Cornu wrote before)
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> vars = WeightsStore.collect(m, true);
        Path h5 = dir.resolve("bare.weights.h5");
        WeightsStore.write(vars, h5);
        Path bad = dir.resolve("bad.keras");
        try (var zin = new java.util.zip.ZipFile(p.toFile());
             var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(bad))) {
            for (String e : List.of("metadata.json", "config.json")) {
                zout.putNextEntry(new java.util.zip.ZipEntry(e));
                zout.write(zin.getInputStream(zin.getEntry(e)).readAllBytes());
                zout.closeEntry();
            }
            zout.putNextEntry(new java.util.zip.ZipEntry("model.weights.h5"));
            zout.write(Files.readAllBytes(h5));
            zout.closeEntry();
        }
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> KerasFileCheck.check(bad));
        assertTrue(e.getMessage().contains("'vars'"), e.getMessage());
    }
}
