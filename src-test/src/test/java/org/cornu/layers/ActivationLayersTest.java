package org.cornu.layers;

import static org.cornu.layers.LayerGradientTest.checkLayer;
import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.cornu.layers.LayerTestSupport.d;
import static org.cornu.layers.LayerTestSupport.json;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.LayerFactory;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** LeakyReLU, PReLU, ELU and Softmax: Keras's equations, float64 gradients, configs as Keras 3.15 writes them. */
class ActivationLayersTest extends Float64Test {
    /** Values away from 0, where the activations have kinks, so central differences are exact. */
    private static INDArray awayFromZero(long seed, long... shape) {
        INDArray x = rand(seed, -2, 2, shape);
        for (long i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            if (Math.abs(v) < 0.05) x.putScalar(i, v < 0 ? -0.3 : 0.3);
        }
        return x;
    }

    @Test
    void leakyReluIsKerasDefaultSlopePointThree() {
        INDArray x = d(new long[] {1, 4}, -3, -1, 0, 2);
        assertArrayEquals(new double[] {-0.9, -0.3, 0, 2}, new LeakyReLU().apply(x).data().asDouble(), 1e-12);
        assertArrayEquals(new double[] {-1.5, -0.5, 0, 2}, new LeakyReLU(0.5).apply(x).data().asDouble(), 1e-12);
        checkLayer(new LeakyReLU(0.2), awayFromZero(1, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> new LeakyReLU(-0.1));
    }

    @Test
    void eluIsAlphaTimesExpMinusOneBelowZero() {
        INDArray x = awayFromZero(2, 3, 4);
        INDArray y = new ELU(0.7).apply(x);
        for (long i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            assertEquals(v >= 0 ? v : 0.7 * (Math.exp(v) - 1), y.getDouble(i), 1e-12);
        }
        checkLayer(new ELU(1.3), awayFromZero(3, 2, 6));
    }

    @Test
    void preluWithSharedAxesHasOneAlphaPerChannel() {
        PReLU p = new PReLU().sharedAxes(1, 2).alphaInitializer("random_uniform");
        INDArray x = awayFromZero(4, 2, 3, 4, 5);
        p.build(Shape.of(-1, 3, 4, 5));
        assertArrayEquals(new long[] {1, 1, 5}, p.alpha().value().shape());
        INDArray a = p.alpha().value();
        INDArray y = p.apply(x);
        for (int b = 0; b < 2; b++) for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) for (int c = 0; c < 5; c++) {
            double v = x.getDouble(b, i, j, c);
            // Keras: relu(x) - alpha * relu(-x)
            assertEquals(Math.max(v, 0) - a.getDouble(0, 0, c) * Math.max(-v, 0), y.getDouble(b, i, j, c), 1e-12);
        }
        checkLayer(new PReLU().sharedAxes(1).alphaInitializer("random_normal"), awayFromZero(5, 2, 3, 4));
        PReLU full = new PReLU();
        full.build(Shape.of(-1, 3, 4));
        assertArrayEquals(new long[] {3, 4}, full.alpha().value().shape());
        assertEquals("alpha", full.alpha().name());
        assertTrue(full.alpha().value().sumNumber().doubleValue() == 0, "alpha starts at zeros");
    }

    @Test
    void softmaxOverAxesAndWithAMask() {
        INDArray x = rand(6, -2, 2, 2, 3, 4);
        INDArray y = new Softmax(1).apply(x);
        for (int b = 0; b < 2; b++) for (int k = 0; k < 4; k++) {
            double s = 0;
            for (int j = 0; j < 3; j++) s += Math.exp(x.getDouble(b, j, k));
            for (int j = 0; j < 3; j++) assertEquals(Math.exp(x.getDouble(b, j, k)) / s, y.getDouble(b, j, k), 1e-12);
        }
        // two axes: normalized over the (3, 4) block of each sample
        INDArray y2 = new Softmax().axis(1, 2).apply(x);
        for (int b = 0; b < 2; b++) {
            double s = 0;
            for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) s += Math.exp(x.getDouble(b, j, k));
            for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) {
                assertEquals(Math.exp(x.getDouble(b, j, k)) / s, y2.getDouble(b, j, k), 1e-12);
            }
        }
        // a (batch, 1, 4) mask broadcast over axis 1: masked columns are 0, the rest renormalized
        INDArray m = d(new long[] {2, 1, 4}, 1, 0, 1, 1, 0, 0, 0, 1);
        INDArray ym = new Softmax().apply(x, m);
        for (int b = 0; b < 2; b++) for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 4; k++) s += m.getDouble(b, 0, k) * Math.exp(x.getDouble(b, j, k));
            for (int k = 0; k < 4; k++) {
                assertEquals(m.getDouble(b, 0, k) * Math.exp(x.getDouble(b, j, k)) / s, ym.getDouble(b, j, k), 1e-12);
            }
        }
        // a fully masked row is all zeros (not uniform)
        INDArray none = new Softmax().apply(d(new long[] {1, 3}, 1, 2, 3), d(new long[] {1, 3}, 0, 0, 0));
        assertArrayEquals(new double[] {0, 0, 0}, none.data().asDouble(), 0.0);
        Exception e = assertThrows(IllegalArgumentException.class, () -> new Softmax().apply(x, Nd4j.ones(2, 3)));
        assertTrue(e.getMessage().contains("broadcastable"), e.getMessage());
        checkLayer(new Softmax(), rand(7, -1, 1, 3, 4));
        checkLayer(new Softmax().axis(1, 2), rand(8, -1, 1, 2, 3, 2));
    }

    @Test
    void softmaxTakesTheMaskAnInputCarries() {
        INDArray x = rand(9, -1, 1, 2, 3);
        INDArray keep = d(new long[] {2, 3}, 1, 1, 0, 0, 1, 1);
        Tensor out = new Softmax().invoke(List.of(Tensor.constant(x).withMask(keep)), false).get(0);
        assertEquals(0.0, out.value().getDouble(0, 2), 0.0);
        assertEquals(0.0, out.value().getDouble(1, 0), 0.0);
        assertEquals(1.0, out.value().getDouble(0, 0) + out.value().getDouble(0, 1), 1e-12);
        assertNotNull(out.mask(), "Softmax supports masking: the mask passes on");
    }

    @Test
    void configsAreKeras3s() {
        configRoundTrip(new LeakyReLU(0.1), "LeakyReLU", "name", "trainable", "dtype", "negative_slope");
        configRoundTrip(new ELU(0.5), "ELU", "name", "trainable", "dtype", "alpha");
        configRoundTrip(new Softmax(1), "Softmax", "name", "trainable", "dtype", "axis");
        assertEquals(List.of(1, 2), configRoundTrip(new Softmax().axis(1, 2), "Softmax", "name", "trainable", "dtype", "axis")
                .getConfig().get("axis"));
        PReLU p = (PReLU) configRoundTrip(new PReLU().sharedAxes(1, 2).alphaRegularizer("l2"), "PReLU", "name", "trainable",
                "dtype", "alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes");
        assertArrayEquals(new int[] {1, 2}, p.sharedAxes());
        assertNull(new PReLU().getConfig().get("shared_axes"));
        assertEquals(0.3, new LeakyReLU().getConfig().get("negative_slope"));
    }

    @Test
    void configsAsKerasWritesThemAreRead() {
        // Keras 3.15.1's get_config() (dtype policy shortened to its name)
        PReLU p = (PReLU) LayerFactory.create("PReLU", json("{\"name\": \"p_re_lu\", \"trainable\": true, \"dtype\": \"float32\","
                + " \"alpha_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"Zeros\", \"config\": {},"
                + " \"registered_name\": null}, \"alpha_regularizer\": null, \"alpha_constraint\": null, \"shared_axes\": [1, 2]}"));
        assertArrayEquals(new int[] {1, 2}, p.sharedAxes());
        LeakyReLU l = (LeakyReLU) LayerFactory.create("LeakyReLU", json("{\"name\": \"lr\", \"negative_slope\": 0.3}"));
        assertEquals(0.3, l.negativeSlope());
        // Keras 2 wrote alpha
        assertEquals(0.2, ((LeakyReLU) LayerFactory.create("LeakyReLU", json("{\"name\": \"lr2\", \"alpha\": 0.2}"))).negativeSlope());
        assertEquals(1.0, ((ELU) LayerFactory.create("ELU", json("{\"name\": \"e\", \"alpha\": 1.0}"))).alpha());
        Map<String, Object> sc = json("{\"name\": \"s\", \"axis\": [1, 2]}");
        assertArrayEquals(new int[] {1, 2}, ((Softmax) LayerFactory.create("Softmax", sc)).axis());
    }
}
