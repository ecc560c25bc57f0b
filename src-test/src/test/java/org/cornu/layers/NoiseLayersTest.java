package org.cornu.layers;

import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.cornu.layers.LayerTestSupport.json;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Layer;
import org.cornu.core.autodiff.LossCollector;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.LayerFactory;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** SpatialDropout1D/2D, GaussianNoise, GaussianDropout, ActivityRegularization: training-only behaviour as Keras's. */
class NoiseLayersTest extends Float64Test {
    private static INDArray train(Layer l, INDArray x) {
        return l.invoke(List.of(Tensor.constant(x)), true).get(0).value();
    }

    /** The input gradient of sum(w * layer(x)) in training, and the output of that same call. */
    private static INDArray[] gradient(Layer l, INDArray x, INDArray w) {
        Tensor t = Tensor.variable(x);
        Tensor y;
        try (Tape tape = Tape.record()) {
            y = l.invoke(List.of(t), true).get(0);
            tape.backward(Ops.sum(Ops.mul(y, Tensor.constant(w))));
        }
        return new INDArray[] {t.grad(), y.value()};
    }

    @Test
    void spatialDropout1DDropsWholeChannels() {
        INDArray x = rand(1, 0.5, 1, 40, 6, 8); // no zeros in the input
        INDArray y = train(new SpatialDropout1D(0.25).seed(3), x);
        int dropped = 0;
        for (int b = 0; b < 40; b++) for (int c = 0; c < 8; c++) {
            boolean zero = y.getDouble(b, 0, c) == 0;
            if (zero) dropped++;
            for (int t = 0; t < 6; t++) {
                // the whole (b, :, c) feature map is dropped or kept, kept ones scaled by 1 / (1 - rate)
                assertEquals(zero ? 0 : x.getDouble(b, t, c) / 0.75, y.getDouble(b, t, c), 1e-12);
            }
        }
        // 320 Bernoulli(0.25) draws: 80 expected, standard deviation 7.7
        assertTrue(dropped > 50 && dropped < 110, "dropped " + dropped + " of 320 channels");
        assertEquals(x, new SpatialDropout1D(0.25).apply(x), "inference is the identity");
        // the same seed gives the same mask
        assertEquals(y, train(new SpatialDropout1D(0.25).seed(3), x));
        INDArray w = rand(2, -1, 1, 40, 6, 8);
        INDArray[] g = gradient(new SpatialDropout1D(0.25).seed(3), x, w);
        assertArrayEquals(w.mul(g[1].div(x)).data().asDouble(), g[0].data().asDouble(), 1e-12);
    }

    @Test
    void spatialDropout2DDropsWholeFeatureMaps() {
        INDArray x = rand(4, 0.5, 1, 30, 3, 4, 5);
        INDArray y = train(new SpatialDropout2D(0.5).seed(5), x);
        int dropped = 0;
        for (int b = 0; b < 30; b++) for (int c = 0; c < 5; c++) {
            boolean zero = y.getDouble(b, 0, 0, c) == 0;
            if (zero) dropped++;
            for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) {
                assertEquals(zero ? 0 : 2 * x.getDouble(b, i, j, c), y.getDouble(b, i, j, c), 1e-12);
            }
        }
        assertTrue(dropped > 50 && dropped < 100, "dropped " + dropped + " of 150 maps");
        assertThrows(IllegalArgumentException.class, () -> new SpatialDropout2D(0.1).apply(rand(6, 0, 1, 2, 3, 4)));
    }

    @Test
    void gaussianNoiseAddsNoiseOfStddevOnlyInTraining() {
        INDArray x = rand(7, -1, 1, 200, 500);
        INDArray n = train(new GaussianNoise(0.2).seed(1), x).sub(x);
        double mean = n.meanNumber().doubleValue(), std = n.stdNumber().doubleValue();
        // 100000 draws: the mean's standard error is 6e-4, the std's 4.5e-4
        assertEquals(0, mean, 3e-3);
        assertEquals(0.2, std, 3e-3);
        assertSame(x, new GaussianNoise(0.2).apply(x));
        INDArray w = rand(8, -1, 1, 200, 500);
        assertEquals(w, gradient(new GaussianNoise(0.2), x, w)[0], "d(x + noise)/dx = 1");
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(1.5));
    }

    @Test
    void gaussianDropoutMultipliesByOneCenteredNoise() {
        INDArray x = rand(9, 0.5, 1, 200, 500);
        INDArray r = train(new GaussianDropout(0.2).seed(2), x).div(x);
        // stddev sqrt(rate / (1 - rate)) = 0.5
        assertEquals(1, r.meanNumber().doubleValue(), 1e-2);
        assertEquals(0.5, r.stdNumber().doubleValue(), 1e-2);
        assertSame(x, new GaussianDropout(0.2).apply(x));
        INDArray w = rand(10, -1, 1, 200, 500);
        INDArray[] g = gradient(new GaussianDropout(0.2).seed(4), x, w);
        assertArrayEquals(w.mul(g[1].div(x)).data().asDouble(), g[0].data().asDouble(), 1e-12);
    }

    @Test
    void activityRegularizationAddsTheL1L2PenaltyPerSample() {
        INDArray x = rand(11, -1, 1, 4, 3);
        ActivityRegularization a = new ActivityRegularization().l1(0.01).l2(0.1);
        LossCollector.start();
        INDArray y;
        List<Tensor> losses;
        try {
            y = a.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        } finally {
            losses = LossCollector.finish();
        }
        assertEquals(x, y);
        assertEquals(1, losses.size());
        double l1 = 0, l2 = 0;
        for (long i = 0; i < x.length(); i++) {
            l1 += Math.abs(x.getDouble(i));
            l2 += x.getDouble(i) * x.getDouble(i);
        }
        // Keras 3 divides the activity penalty by the batch size
        assertEquals((0.01 * l1 + 0.1 * l2) / 4, losses.get(0).value().getDouble(0), 1e-12);
        assertFalse(a.getConfig().containsKey("activity_regularizer"));
    }

    @Test
    void configsAreKeras3s() {
        configRoundTrip(new SpatialDropout1D(0.3).seed(7), "SpatialDropout1D", "rate", "seed", "name", "dtype");
        configRoundTrip(new SpatialDropout2D(0.3), "SpatialDropout2D", "rate", "seed", "name", "dtype", "data_format");
        configRoundTrip(new GaussianNoise(0.1).seed(3), "GaussianNoise", "name", "trainable", "dtype", "stddev", "seed");
        configRoundTrip(new GaussianDropout(0.1), "GaussianDropout", "name", "trainable", "dtype", "rate", "seed");
        ActivityRegularization a = (ActivityRegularization) configRoundTrip(new ActivityRegularization(0.01, 0.02),
                "ActivityRegularization", "name", "trainable", "dtype", "l1", "l2");
        assertEquals(0.02, a.l2());
        // Keras 3.15.1's SpatialDropout2D config, without trainable
        SpatialDropout2D s = (SpatialDropout2D) LayerFactory.create("SpatialDropout2D",
                json("{\"rate\": 0.5, \"seed\": null, \"name\": \"spatial_dropout2d\", \"dtype\": \"float32\", \"data_format\": \"channels_last\"}"));
        assertEquals(0.5, s.rate());
        assertNotEquals(null, s.getConfig().get("data_format"));
    }
}
