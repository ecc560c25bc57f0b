package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * Apply multiplicative 1-centered Gaussian noise, {@code keras.layers.GaussianDropout}. As it is
 * a regularization layer, it is only active at training time: the inputs are multiplied by noise
 * of mean 1 and standard deviation {@code sqrt(rate / (1 - rate))}; at inference it is the
 * identity. {@code rate} is the drop probability (as with Dropout), in [0, 1). Masks pass
 * through.
 */
public class GaussianDropout extends Layer {
    private final double rate;
    private Long seed;
    private Random rng;

    /**
     * A layer multiplying its input by Gaussian noise of mean 1 and standard deviation {@code sqrt(rate / (1 - rate))}
     * in training.
     *
     * @param rate the drop probability (as with Dropout), in {@code [0, 1)} (Keras's {@code rate})
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public GaussianDropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Invalid value received for argument `rate`. Expected a float value between 0 and 1."
                    + " Received: rate=" + rate);
        }
        this.rate = rate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public GaussianDropout name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public GaussianDropout inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the seed of the random noise (Keras's {@code seed}, default None: drawn from {@link org.cornu.core.Cornu#setSeed}'s
     * generator).
     *
     * @param s the seed
     * @return this layer
     */
    public GaussianDropout seed(long s) {
        this.seed = s;
        this.rng = null;
        return this;
    }

    /**
     * The drop probability.
     *
     * @return Keras's {@code rate}
     */
    public double rate() {
        return rate;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        if (!training || rate == 0) return x;
        Random[] h = {rng};
        INDArray noise = GaussianNoise.normal(h, seed, x.shape(), x.value().dataType(), 1.0, Math.sqrt(rate / (1.0 - rate)));
        rng = h[0];
        return Masks.passThrough(x, Ops.mul(x, Tensor.constant(noise)));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("rate", rate);
        c.put("seed", seed);
        return c;
    }

    /**
     * Re-creates a GaussianDropout layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GaussianDropout fromConfig(Map<String, Object> c) {
        GaussianDropout g = new GaussianDropout(Configs.getDouble(c, "rate"));
        Long seed = Configs.getLongOrNull(c, "seed");
        if (seed != null) g.seed(seed);
        return g;
    }
}
