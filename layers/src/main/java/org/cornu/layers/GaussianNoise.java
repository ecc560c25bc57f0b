package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Apply additive zero-centered Gaussian noise, {@code keras.layers.GaussianNoise}. This is useful
 * to mitigate overfitting (you could see it as a form of random data augmentation). Gaussian
 * Noise (GS) is a natural choice as corruption process for real valued inputs. As it is a
 * regularization layer, it is only active at training time: it adds noise of standard deviation
 * {@code stddev} (in [0, 1]); at inference it is the identity. Masks pass through.
 */
public class GaussianNoise extends Layer {
    private final double stddev;
    private Long seed;
    private Random rng;

    /**
     * A layer adding zero-centered Gaussian noise of standard deviation {@code stddev} in training.
     *
     * @param stddev standard deviation of the noise distribution, in {@code [0, 1]} (Keras's {@code stddev})
     * @throws IllegalArgumentException if {@code stddev} is outside {@code [0, 1]}
     */
    public GaussianNoise(double stddev) {
        if (!(stddev >= 0 && stddev <= 1)) {
            throw new IllegalArgumentException("Invalid value received for argument `stddev`. Expected a float value between 0 and 1."
                    + " Received: stddev=" + stddev);
        }
        this.stddev = stddev;
    }

    @Override
    @SuppressWarnings("unchecked")
    public GaussianNoise name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public GaussianNoise inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the seed of the random noise (Keras's {@code seed}, default None: drawn from {@link org.cornu.core.Cornu#setSeed}'s
     * generator).
     *
     * @param s the seed
     * @return this layer
     */
    public GaussianNoise seed(long s) {
        this.seed = s;
        this.rng = null;
        return this;
    }

    /**
     * The standard deviation of the noise.
     *
     * @return Keras's {@code stddev}
     */
    public double stddev() {
        return stddev;
    }

    static INDArray normal(Random[] holder, Long seed, long[] shape, org.nd4j.linalg.api.buffer.DataType dt, double mean, double std) {
        if (holder[0] == null) holder[0] = Nd4j.getRandomFactory().getNewRandomInstance(seed != null ? seed : Cornu.nextSeed());
        INDArray n = Nd4j.createUninitialized(dt, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(n, mean, std), holder[0]);
        return n;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        if (!training || stddev == 0) return x;
        Random[] h = {rng};
        INDArray noise = normal(h, seed, x.shape(), x.value().dataType(), 0.0, stddev);
        rng = h[0];
        return Masks.passThrough(x, Ops.add(x, Tensor.constant(noise)));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("stddev", stddev);
        c.put("seed", seed);
        return c;
    }

    /**
     * Re-creates a GaussianNoise layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GaussianNoise fromConfig(Map<String, Object> c) {
        GaussianNoise g = new GaussianNoise(Configs.getDouble(c, "stddev"));
        Long seed = Configs.getLongOrNull(c, "seed");
        if (seed != null) g.seed(seed);
        return g;
    }
}
