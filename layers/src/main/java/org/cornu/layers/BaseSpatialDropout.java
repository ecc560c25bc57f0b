package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base of {@link SpatialDropout1D} and {@link SpatialDropout2D}: in training, drops entire
 * channels (feature maps) with probability {@code rate} and scales the kept ones by
 * {@code 1 / (1 - rate)}; at inference, the identity. Seeded by {@code seed} or by
 * {@link Cornu#setSeed}. Keras's config holds only {@code rate}, {@code seed}, {@code name} and
 * {@code dtype} (no {@code trainable}).
 */
public abstract class BaseSpatialDropout extends Layer {
    private final double rate;
    private Long seed;
    private Random rng;

    /**
     * A spatial dropout layer for inputs of rank {@code ndim}.
     *
     * @param rate fraction of the input units to drop, in {@code [0, 1)} (Keras's {@code rate})
     * @param ndim the input rank: 3 for SpatialDropout1D, 4 for SpatialDropout2D
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    protected BaseSpatialDropout(double rate, int ndim) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Invalid value received for argument `rate`. Expected a float value between 0 and 1."
                    + " Received: rate=" + rate);
        }
        this.rate = rate;
        this.inputNdim = ndim;
    }

    /**
     * Sets the seed of the random masks (Keras's {@code seed}, default None: drawn from
     * {@link Cornu#setSeed}'s generator).
     *
     * @param <T> the layer's own class
     * @param s the seed
     * @return this layer
     */
    @SuppressWarnings("unchecked")
    public <T extends BaseSpatialDropout> T seed(long s) {
        this.seed = s;
        this.rng = null;
        return (T) this;
    }

    /**
     * The fraction of channels dropped in training.
     *
     * @return Keras's {@code rate}
     */
    public double rate() {
        return rate;
    }

    /**
     * The shape of the dropout mask: one draw per sample and channel.
     *
     * @param xs the input shape
     * @return {@code (batch, 1, channels)} or {@code (batch, 1, 1, channels)}
     */
    protected long[] noiseShape(long[] xs) {
        long[] n = new long[xs.length];
        java.util.Arrays.fill(n, 1);
        n[0] = xs[0];
        n[xs.length - 1] = xs[xs.length - 1];
        return n;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        if (!training || rate == 0) return x;
        if (rng == null) rng = Nd4j.getRandomFactory().getNewRandomInstance(seed != null ? seed : Cornu.nextSeed());
        INDArray mask = Nd4j.createUninitialized(x.value().dataType(), noiseShape(x.shape()));
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - rate), rng);
        mask.muli(1.0 / (1.0 - rate));
        return Masks.passThrough(x, Ops.mul(x, Tensor.constant(mask)));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> base = super.getConfig();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rate", rate);
        c.put("seed", seed);
        c.put("name", base.get("name"));
        c.put("dtype", base.get("dtype"));
        if (base.containsKey("batch_input_shape")) c.put("batch_input_shape", base.get("batch_input_shape"));
        return c;
    }
}
