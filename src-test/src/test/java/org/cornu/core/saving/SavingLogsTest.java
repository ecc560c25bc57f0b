package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Saving and loading log nothing of jHDF's at INFO: a fresh JVM whose SLF4J binding (slf4j-simple)
 * logs at INFO saves and loads a model in both formats, loads a file Keras wrote and a legacy
 * {@code .h5} model file Keras 2.3 wrote (with {@code loadModel}, {@code loadWeights} and
 * {@code loadWeightsByName}), and its output has Cornu's INFO lines but no jHDF line.
 */
class SavingLogsTest {
    @TempDir
    Path dir;

    /** Run in the child JVM: an INFO line of its own, then saves and loads. */
    public static void main(String[] args) throws Exception {
        LoggerFactory.getLogger("org.cornu.probe").info("probe: INFO lines reach this log");
        Path d = Path.of(args[0]);
        Cornu.setSeed(1);
        Sequential m = new Sequential(new Flatten().inputShape(2, 3), new Dense(4, "relu"), new Dense(2));
        m.compile("adam", "mse");
        m.trainOnBatch(org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 2, 3),
                org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 2));
        m.save(d.resolve("m.keras"));
        m.save(d.resolve("m.keras"));
        m.saveWeights(d.resolve("m.weights.h5"));
        Model back = Models.loadModel(d.resolve("m.keras"));
        back.loadWeights(d.resolve("m.weights.h5"));
        back.loadWeights(d.resolve("m.keras"));
        Models.loadModel(Path.of(args[1]));
        Path legacy = Path.of(args[2]);
        Model old = Models.loadModel(legacy);
        old.loadWeights(legacy);
        old.loadWeightsByName(legacy, false);
        System.out.println("probe: done");
    }

    @Test
    void noJhdfLinesAtInfo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path fixture = Path.of("src-test/src/test/resources/saving/keras3_sequential.keras");
        if (!fixture.toFile().exists()) fixture = Path.of("src/test/resources/saving/keras3_sequential.keras");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                SavingLogsTest.class.getName(), dir.toString(), fixture.toAbsolutePath().toString(),
                RealData.kerasModel("k2_ikukang_mnist_cnn.h5").toAbsolutePath().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("INFO org.cornu.probe - probe: INFO lines reach this log"), "the child does not log at INFO:\n" + out);
        assertTrue(out.contains("probe: done"), out);
        List<String> jhdf = out.lines().filter(l -> l.contains("io.jhdf") || l.contains("jHDF")).toList();
        assertEquals(List.of(), jhdf, "jHDF lines in a user's INFO log");
        assertTrue(new File(dir.toFile(), "m.keras").length() > 0);
    }
}
