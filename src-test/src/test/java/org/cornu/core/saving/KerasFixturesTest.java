package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.training.RunOptions;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Dense;
import org.cornu.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Files as Python Keras writes them load in Cornu and predict what numpy computes from the same
 * weights. The fixtures in {@code src/test/resources/saving} are built to Keras 3's (and Keras 2's
 * legacy HDF5) specification by {@code make_keras_fixtures.py} (h5py + zipfile; Keras itself is
 * not installable here), which also writes {@code expected.json} with numpy's float64 outputs.
 * Tolerance 1e-6: Cornu computes in float32 from the same float32 weights.
 */
class KerasFixturesTest {
    private static final double TOL = 1e-6;
    private static Map<String, Map<String, Object>> expected;

    @TempDir
    Path dir;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void reset() throws Exception {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        try (InputStream in = getClass().getResourceAsStream("/saving/expected.json")) {
            expected = new ObjectMapper().readValue(in, Map.class);
        }
    }

    private Path fixture(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/saving/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static INDArray array(Object nested) {
        List<List<Number>> rows = (List<List<Number>>) nested;
        double[][] d = new double[rows.size()][];
        for (int i = 0; i < d.length; i++) d[i] = rows.get(i).stream().mapToDouble(Number::doubleValue).toArray();
        return Nd4j.createFromArray(d);
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double[] e = expected.castTo(DataType.DOUBLE).data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).data().asDouble();
        assertArrayEquals(e, a, TOL);
    }

    @Test
    void keras3SequentialLoadsCompiledWithOptimizerState() throws Exception {
        Model m = Models.loadModel(fixture("keras3_sequential.keras"));
        Map<String, Object> ex = expected.get("keras3_sequential");
        assertInstanceOf(Sequential.class, m);
        assertEquals(List.of("dense", "dense_1"), m.layers().stream().map(l -> l.name()).toList());
        assertInstanceOf(Dense.class, m.layers().get(1));
        assertClose(array(ex.get("y")), m.predict(array(ex.get("x")).castTo(DataType.FLOAT)));
        // compile config: Adam(0.01), categorical crossentropy, accuracy
        assertTrue(m.isCompiled());
        assertInstanceOf(Adam.class, m.optimizer());
        assertEquals(0.01, m.optimizer().learningRate(), 1e-9);
        assertEquals("categorical_crossentropy", m.losses().get(0).name());
        assertEquals(List.of(List.of("accuracy")), m.compiledMetricIds());
        // optimizer state: iterations, then m0, v0, m1, v1, ... (Keras's order), read back by slot
        assertEquals(3, m.optimizer().iterations());
        List<?> vars = (List<?>) ex.get("optimizer_vars");
        List<Weight> ws = m.trainableWeights();
        for (int i = 0; i < ws.size(); i++) {
            assertArrayEquals(flat(vars.get(i)), m.optimizer().slots(ws.get(i)).get("momentum").castTo(DataType.DOUBLE).data().asDouble(), 1e-7);
            assertArrayEquals(flat(vars.get(4 + i)), m.optimizer().slots(ws.get(i)).get("velocity").castTo(DataType.DOUBLE).data().asDouble(), 1e-7);
        }
        // and it trains on
        INDArray x = array(ex.get("x")).castTo(DataType.FLOAT);
        INDArray y = Nd4j.eye(2).getRows(0, 1, 0, 1, 0).castTo(DataType.FLOAT);
        double before = m.evaluate(x, y)[0];
        for (int i = 0; i < 20; i++) m.trainOnBatch(x, y);
        assertTrue(m.evaluate(x, y)[0] < before);
        assertEquals(23, m.optimizer().iterations());
    }

    private static double[] flat(Object nested) {
        if (nested instanceof Number n) return new double[] {n.doubleValue()};
        List<?> l = (List<?>) nested;
        return l.stream().flatMapToDouble(o -> java.util.Arrays.stream(flat(o))).toArray();
    }

    @Test
    void keras3FunctionalLoads() throws Exception {
        Model m = Models.loadModel(fixture("keras3_functional.keras"));
        Map<String, Object> ex = expected.get("keras3_functional");
        assertFalse(m.isCompiled());
        assertEquals(2, m.inputs().size());
        assertInstanceOf(Concatenate.class, m.getLayer("concatenate"));
        INDArray[] out = m.predictAll(new INDArray[] {array(ex.get("a")).castTo(DataType.FLOAT),
                array(ex.get("b")).castTo(DataType.FLOAT)}, new RunOptions());
        assertClose(array(ex.get("y")), out[0]);
    }

    @Test
    void keras2LegacyH5Loads() throws Exception {
        Model m = Models.loadModel(fixture("keras2_sequential.h5"));
        Map<String, Object> ex = expected.get("keras2_sequential");
        assertEquals(List.of("dense", "dense_1"), m.layers().stream().map(l -> l.name()).toList());
        assertClose(array(ex.get("y")), m.predict(array(ex.get("x")).castTo(DataType.FLOAT)));
        // the same weights into a model built in Java
        Sequential j = new Sequential(new Dense(3, "relu").inputShape(4), new Dense(1, "sigmoid"));
        j.loadWeights(dir.resolve("keras2_sequential.h5"));
        assertClose(array(ex.get("y")), j.predict(array(ex.get("x")).castTo(DataType.FLOAT)));
    }

    @Test
    void keras2LegacyFunctionalH5Loads() throws Exception {
        Model m = Models.loadModel(fixture("keras2_functional.h5"));
        Map<String, Object> ex = expected.get("keras2_functional");
        assertEquals(List.of("input_1", "dense_a", "dense_b", "add", "out"), m.layers().stream().map(l -> l.name()).toList());
        assertClose(array(ex.get("y")), m.predict(array(ex.get("x")).castTo(DataType.FLOAT)));
    }

    @Test
    void cornuResavesAKerasFileAndLoadsItBack() throws Exception {
        Model m = Models.loadModel(fixture("keras3_sequential.keras"));
        Path p = dir.resolve("again.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        Map<String, Object> ex = expected.get("keras3_sequential");
        assertClose(array(ex.get("y")), r.predict(array(ex.get("x")).castTo(DataType.FLOAT)));
        assertEquals(3, r.optimizer().iterations());
    }
}
