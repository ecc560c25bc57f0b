package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.Weight;
import org.cornu.core.training.RunOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cornu's {@code .keras} files load in real Keras. Each file of {@code saving/keras315} is loaded
 * by Cornu, trained one step and saved again by Cornu; {@link KerasFileCheck} walks every such
 * file as Keras's loader does (always). Where a Python with Keras is named by
 * {@code CORNU_KERAS_PYTHON} (Keras is not installable from the build machines' registries; see
 * {@code make_keras315_files.py} for the virtualenv), {@code keras_reads_cornu.py} then loads
 * each file in Keras, which must predict what Cornu predicted, count the same optimizer variables
 * and, after one {@code train_on_batch}, hold the weights Cornu holds after the same step.
 */
class KerasReadsCornuFilesTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object nested(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        if (d.rank() == 0) return d.getDouble(0);
        List<Object> r = new ArrayList<>();
        for (long i = 0; i < d.size(0); i++) r.add(d.rank() == 1 ? d.getDouble(i) : nested(d.slice(i)));
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void cornuFilesPassTheCheckerAndLoadInKeras() throws Exception {
        Map<String, Object> expected;
        try (InputStream in = getClass().getResourceAsStream("/saving/keras315/keras315_expected.json")) {
            expected = JSON.readValue(in, Map.class);
        }
        Map<String, Object> files = (Map<String, Object>) expected.get("files");
        int checkedVariables = 0;
        for (Map.Entry<String, Object> e : files.entrySet()) {
            Cornu.clearSession();
            Cornu.setFloatx("float32");
            String name = e.getKey();
            Map<String, Object> ex = (Map<String, Object>) e.getValue();
            Path src = dir.resolve("keras_" + name + ".keras");
            try (InputStream in = getClass().getResourceAsStream("/saving/keras315/keras315_" + name + ".keras")) {
                Files.copy(in, src);
            }
            Model m = Models.loadModel(src);
            boolean multi = name.startsWith("functional");
            DataType xType = name.startsWith("recurrent") ? DataType.INT32 : DataType.FLOAT;
            INDArray[] x = arrays(ex.get("x"), multi, xType);
            INDArray[] y = arrays(ex.get("y"), multi, DataType.FLOAT);
            m.trainOnBatch(x, y, null); // Cornu's own state from here on

            Path out = dir.resolve("cornu_" + name + ".keras");
            m.save(out);
            checkedVariables += KerasFileCheck.check(out);
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("multi", multi);
            j.put("x", ex.get("x"));
            j.put("x_dtype", xType == DataType.INT32 ? "int32" : "float32");
            j.put("y", ex.get("y"));
            INDArray[] pred = m.predictAll(x, new RunOptions().verbose(0));
            List<Object> p = new ArrayList<>();
            for (INDArray a : pred) p.add(nested(a));
            j.put("predict", multi ? p : p.get(0));
            j.put("optimizer_variables", m.optimizer().variables(m.trainableWeights()).size());
            m.trainOnBatch(x, y, null);
            if (Boolean.TRUE.equals(ex.get("step_comparable"))) {
                List<Object> ws = new ArrayList<>();
                for (Weight w : m.weights()) ws.add(nested(w.value()));
                j.put("weights_after_step", ws);
            } else {
                j.put("weights_after_step", null);
            }
            Files.write(dir.resolve("cornu_" + name + ".json"), JSON.writeValueAsBytes(j));
        }
        assertTrue(checkedVariables > 100, "variables checked: " + checkedVariables);
        // the text model (strings in, vocabularies in the assets) saved again by Cornu: walked as Keras's loader walks it
        for (String name : ((Map<String, Object>) expected.get("text_files")).keySet()) {
            Cornu.clearSession();
            Path src = dir.resolve("keras_" + name + ".keras");
            try (InputStream in = getClass().getResourceAsStream("/saving/keras315/keras315_" + name + ".keras")) {
                Files.copy(in, src);
            }
            Path out = dir.resolve("cornu_text_" + name + ".keras");
            Models.loadModel(src).save(out);
            assertTrue(KerasFileCheck.check(out) > 0, name);
            assertEquals(SavingTestSupport.zipEntries(src).keySet(), SavingTestSupport.zipEntries(out).keySet(), name + ": archive entries");
            Files.delete(out);
        }

        String py = System.getenv("CORNU_KERAS_PYTHON");
        Assumptions.assumeTrue(py != null && !py.isBlank(),
                "CORNU_KERAS_PYTHON is not set: the files passed KerasFileCheck; loading them in real Keras is skipped");
        Path script = dir.resolve("keras_reads_cornu.py");
        try (InputStream in = getClass().getResourceAsStream("/saving/keras315/keras_reads_cornu.py")) {
            Files.copy(in, script);
        }
        Files.list(dir).filter(f -> f.getFileName().toString().matches("keras_.*\\.keras")).forEach(f -> f.toFile().delete());
        ProcessBuilder pb = new ProcessBuilder(py, script.toString(), dir.toString()).redirectErrorStream(false);
        pb.environment().putIfAbsent("KERAS_BACKEND", "jax");
        Process proc = pb.start();
        String stdout = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), "Keras did not finish");
        long ok = stdout.lines().filter(l -> l.contains("\"ok\": true")).count();
        assertEquals(0, proc.exitValue(), "real Keras could not load Cornu's files:\n" + stdout + "\n" + tail(stderr));
        assertEquals(files.size(), ok, stdout);
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    private static INDArray[] arrays(Object spec, boolean multi, DataType type) {
        List<Object> parts = multi ? (List<Object>) spec : List.of(spec);
        INDArray[] r = new INDArray[parts.size()];
        for (int i = 0; i < r.length; i++) r[i] = RealKerasFilesTest.array(parts.get(i), type);
        return r;
    }
}
