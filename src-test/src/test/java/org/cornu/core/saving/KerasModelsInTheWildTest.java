package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.Predict;
import org.cornu.datasets.Mnist;
import org.cornu.testing.RealData;
import org.cornu.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The six model files that real Keras wrote ({@code ../shared/keras-models}: Keras 3.13.2,
 * 3.11.3, 3.3.3, a Keras 3.5.0 legacy {@code .h5}, Keras 2.3.1 and 2.2.0) load with the default
 * {@code loadModel(path)} (compile on) and predict what an independent float64 numpy
 * re-implementation computes from the files' own weights ({@code keras_models_reference.py}
 * beside the expected values; it also reproduces the accuracies the folder's README gives).
 * Cornu computes in float32: tolerance 1e-5 on outputs in [0, 1] and 1e-4 on the LSTM
 * regression outputs.
 */
class KerasModelsInTheWildTest {
    private static Map<String, Map<String, Object>> expected;
    private static INDArray xTest;
    private static int[] yTest;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (InputStream in = KerasModelsInTheWildTest.class.getResourceAsStream("/saving/keras_models_expected.json")) {
            expected = new ObjectMapper().readValue(in, Map.class);
        }
        Mnist.Split s = Mnist.loadData(RealData.file("mnist.npz"));
        xTest = s.xTest().castTo(DataType.FLOAT).divi(255);
        INDArray y = s.yTest();
        yTest = new int[(int) y.length()];
        for (int i = 0; i < yTest.length; i++) yTest[i] = y.getInt(i);
    }

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
    }

    private static Model load(String file) {
        Path p = RealData.kerasModel(file);
        return Models.loadModel(p);
    }

    @SuppressWarnings("unchecked")
    private static double[] flat(Object nested) {
        List<Object> l = (List<Object>) nested;
        if (l.isEmpty() || l.get(0) instanceof Number) return l.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
        return l.stream().flatMapToDouble(o -> java.util.Arrays.stream(flat(o))).toArray();
    }

    private static INDArray images(boolean flat, int n) {
        INDArray x = n < 0 ? xTest : xTest.get(NDArrayIndex.interval(0, n), NDArrayIndex.all(), NDArrayIndex.all());
        long rows = x.size(0);
        return flat ? x.reshape(rows, 784) : x.reshape(rows, 28, 28, 1);
    }

    private static double accuracy(INDArray probabilities) {
        INDArray arg = probabilities.argMax(1);
        int correct = 0;
        for (int i = 0; i < yTest.length; i++) if (arg.getInt(i) == yTest[i]) correct++;
        return correct / (double) yTest.length;
    }

    private void checkMnist(String file, boolean flat) {
        Model m = load(file);
        assertTrue(m.isCompiled(), file + " has a compile config and loads compiled");
        Map<String, Object> ex = expected.get(file);
        INDArray first = m.predict(images(flat, 16));
        assertArrayEquals(flat(ex.get("first16")), first.castTo(DataType.DOUBLE).data().asDouble(), 1e-5, file);
        INDArray all = m.predict(images(flat, -1), Predict.batchSize(500).verbose(0));
        // float32 against float64 may flip an image whose top two classes tie to 1e-6; none did here
        assertEquals(((Number) ex.get("accuracy")).doubleValue(), accuracy(all), 1e-4, file);
        // the compile config works: evaluate gives the same accuracy through the file's own loss and metric
        boolean sparse = m.losses().get(0).name().startsWith("sparse");
        INDArray labels = sparse ? Nd4j.createFromArray(yTest).castTo(DataType.FLOAT)
                : Utils.toCategorical(Nd4j.createFromArray(yTest), 10);
        double[] lossAndAcc = m.evaluate(images(flat, -1), labels, org.cornu.core.Evaluate.batchSize(500).verbose(0));
        assertEquals(accuracy(all), lossAndAcc[1], 1e-6, file + " evaluate");
    }

    /** Keras 3.13.2, Adam state in Keras's interleaved order (m0, v0, m1, v1, ...). */
    @Test
    void sami0009ConvnetKeras313() {
        checkMnist("k3_sami0009_mnist.keras", false);
    }

    /** Keras 3.11.3: DTypePolicy objects as dtype, shared_object_id, and a compile config without optimizer. */
    @Test
    void sannmyatminDenseKeras311() {
        checkMnist("k3_sannmyatmin_mnist.keras", true);
    }

    /** A legacy .h5 that Keras 3.5.0 wrote. */
    @Test
    void kimthanggConvnetKeras35LegacyH5() {
        checkMnist("k3h5_kimthangg_mnist.h5", false);
    }

    /** Keras 2.3.1: batch_input_shape, VarianceScaling initializers, lr-era optimizer config. */
    @Test
    void ikukangConvnetKeras231() {
        checkMnist("k2_ikukang_mnist_cnn.h5", false);
    }

    private void checkLstm(String file, double tol) {
        Model m = load(file);
        assertTrue(m.isCompiled(), file + " loads compiled");
        Map<String, Object> ex = expected.get(file);
        long[] shape = java.util.Arrays.stream(flat(ex.get("x_shape"))).mapToLong(d -> (long) d).toArray();
        double[] x = new double[(int) (shape[0] * shape[1] * shape[2])];
        for (int k = 0; k < x.length; k++) x[k] = Math.sin(0.37 * k);
        INDArray y = m.predict(Nd4j.create(x, shape, DataType.FLOAT));
        assertArrayEquals(flat(ex.get("y")), y.castTo(DataType.DOUBLE).data().asDouble(), tol, file);
    }

    /** Keras 3.3.3: OrthogonalInitializer, LSTM weights under cell/vars, Adam state interleaved. */
    @Test
    void komeiStackedLstmKeras333() {
        checkLstm("k3_komei_lstm.keras", 1e-4);
        Model m = load("k3_komei_lstm.keras");
        // the Adam state was read, not started fresh: Keras counted its steps
        assertTrue(m.optimizer().iterations() > 0, "iterations " + m.optimizer().iterations());
    }

    /**
     * Keras 2.2.0: a list-form Sequential config, relu LSTM with Keras 2's hard_sigmoid
     * ({@code clip(0.2 x + 0.5)}; Keras 3's {@code x / 6 + 0.5} would change the outputs).
     */
    @Test
    void jiachengxingLstmKeras22() {
        checkLstm("k2_jiachengxing_lstm.h5", 1e-5);
    }
}
