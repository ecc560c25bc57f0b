package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Registry;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.kernels.ActivationKernels;
import org.cornu.core.Model;
import org.cornu.layers.GRU;
import org.cornu.layers.LSTM;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras 2's meanings where Keras 3 changed them: what {@link Keras2} rewrites in a legacy file's
 * model and training configs, and the two hard sigmoids.
 */
class Keras2Test {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String s) throws Exception {
        return new ObjectMapper().readValue(s, Map.class);
    }

    @Test
    void versionsOfKeras2AndEarlier() {
        assertTrue(Keras2.wrote("2.2.0"));
        assertTrue(Keras2.wrote("2.3.1"));
        assertTrue(Keras2.wrote("2.15.0")); // tf.keras 2
        assertTrue(Keras2.wrote("1.2.2"));
        assertTrue(Keras2.wrote(null)); // no keras_version attribute: Keras before 2.1
        assertFalse(Keras2.wrote("3.5.0"));
    }

    /** A Keras 2.1 GRU (no reset_after: the original GRU) and hard_sigmoid gates, in a list-form Sequential. */
    @Test
    void hardSigmoidAndGruResetAfter() throws Exception {
        Map<String, Object> top = json("""
            {"class_name": "Sequential", "config": [
              {"class_name": "GRU", "config": {"name": "gru_1", "batch_input_shape": [null, 4, 3], "units": 5,
                "return_sequences": true, "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": true}},
              {"class_name": "Bidirectional", "config": {"name": "bidirectional_1", "merge_mode": "concat",
                "layer": {"class_name": "LSTM", "config": {"name": "lstm_1", "units": 2, "activation": "tanh",
                  "recurrent_activation": "hard_sigmoid", "use_bias": true}}}},
              {"class_name": "Dense", "config": {"name": "dense_1", "units": 1, "activation": "hard_sigmoid"}}]}
            """);
        Keras2.adapt(top, "test");
        List<?> layers = (List<?>) top.get("config");
        Map<?, ?> gru = (Map<?, ?>) ((Map<?, ?>) layers.get(0)).get("config");
        assertEquals(false, gru.get("reset_after"));
        assertEquals("hard_sigmoid_keras2", gru.get("recurrent_activation"));
        assertEquals("tanh", gru.get("activation"));
        Map<?, ?> inner = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) layers.get(1)).get("config")).get("layer")).get("config");
        assertEquals("hard_sigmoid_keras2", inner.get("recurrent_activation"));
        assertEquals("hard_sigmoid_keras2", ((Map<?, ?>) ((Map<?, ?>) layers.get(2)).get("config")).get("activation"));

        Cornu.clearSession();
        Model m = ModelConfig.deserialize(top, false);
        GRU g = (GRU) m.getLayer("gru_1");
        assertFalse(g.resetAfter());
        assertEquals(List.of(15L), List.of(g.weights().get(2).shape()[0]), "reset_after=False: one bias of 3 * units");
        assertEquals("hard_sigmoid_keras2", g.recurrentActivationName());
        assertEquals(1, m.predict(Nd4j.rand(DataType.FLOAT, 2, 4, 3)).size(1));
    }

    @Test
    void aGruThatNamesResetAfterKeepsIt() throws Exception {
        Map<String, Object> top = json("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "GRU", "config": {"name": "gru_1", "batch_input_shape": [null, 4, 3], "units": 5,
                "reset_after": true}}]}}
            """);
        Keras2.adapt(top, "test");
        Cornu.clearSession();
        assertTrue(((GRU) ModelConfig.deserialize(top, false).getLayer("gru_1")).resetAfter());
    }

    @Test
    void lrBecomesLearningRate() throws Exception {
        Object opt = Keras2.optimizer(json("""
            {"class_name": "Adam", "config": {"lr": 0.0010000000474974513, "beta_1": 0.8999999761581421,
              "beta_2": 0.9990000128746033, "decay": 0.0, "epsilon": 1e-07, "amsgrad": false}}
            """));
        Map<?, ?> c = (Map<?, ?>) ((Map<?, ?>) opt).get("config");
        assertFalse(c.containsKey("lr"));
        assertEquals(0.0010000000474974513, ((Number) c.get("learning_rate")).doubleValue(), 0.0);
        assertEquals(0.0010000000474974513, ModelConfig.deserializeOptimizer(opt).learningRate(), 0.0);
    }

    /** clip(0.2 x + 0.5, 0, 1) against Keras 3's clip(x / 6 + 0.5, 0, 1), values by hand. */
    @Test
    void theTwoHardSigmoids() {
        double[] x = {-3, -2.5, -1, 0, 1, 2, 2.5, 4};
        double[] keras2 = {0, 0, 0.3, 0.5, 0.7, 0.9, 1, 1};
        double[] keras3 = {0, 1.0 / 12, 1.0 / 3, 0.5, 2.0 / 3, 5.0 / 6, 11.0 / 12, 1};
        var in = Nd4j.createFromArray(x);
        double[] k2 = Registry.activation("hard_sigmoid_keras2").apply(new Tensor(in, false)).value().toDoubleVector();
        double[] k3 = Registry.activation("hard_sigmoid").apply(new Tensor(in, false)).value().toDoubleVector();
        for (int i = 0; i < x.length; i++) {
            assertEquals(keras2[i], k2[i], 1e-12, "keras2 at " + x[i]);
            assertEquals(keras3[i], k3[i], 1e-12, "keras3 at " + x[i]);
            assertEquals(keras2[i], ActivationKernels.value(ActivationKernels.HARD_SIGMOID_KERAS2,
                    ActivationKernels.Form.LIBRARY, x[i]), 1e-12);
        }
        assertEquals(0.2, ActivationKernels.derivative(ActivationKernels.HARD_SIGMOID_KERAS2, 0.7), 0.0);
        assertEquals(0.0, ActivationKernels.derivative(ActivationKernels.HARD_SIGMOID_KERAS2, 1.0), 0.0);
    }

    /** An LSTM with Keras 2's gates runs through the recurrent kernels (not only the activation registry). */
    @Test
    void lstmWithKeras2GatesDiffersFromKeras3Gates() {
        Cornu.clearSession();
        Cornu.setSeed(7);
        var x = Nd4j.rand(DataType.FLOAT, 2, 3, 4).muli(4).subi(2);
        LSTM a = new LSTM(3).recurrentActivation("hard_sigmoid_keras2");
        LSTM b = new LSTM(3).recurrentActivation("hard_sigmoid");
        Model ma = new org.cornu.core.Sequential(new org.cornu.core.InputLayer(3, 4), a);
        Model mb = new org.cornu.core.Sequential(new org.cornu.core.InputLayer(3, 4), b);
        for (int i = 0; i < 3; i++) b.weights().get(i).assign(a.weights().get(i).value());
        double diff = ma.predict(x).sub(mb.predict(x)).norm2Number().doubleValue();
        assertTrue(diff > 1e-3, "the gates' slopes differ (0.2 against 1/6): " + diff);
    }
}
