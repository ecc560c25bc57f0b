package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Applies dropout to its input, {@code keras.layers.Dropout}: during training it sets each
 * input unit to 0 with probability {@code rate} and scales the kept ones by {@code 1/(1-rate)},
 * so that the expected sum is unchanged; at inference (or with {@code training} false, as in
 * {@code fit}'s validation, {@code evaluate} and {@code predict}) it passes the input through.
 * Seeded by {@code seed} or else by {@link Cornu#setSeed}. Helps against overfitting.
 *
 * <p>Input shape: any. Output shape: the same as the input.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Dense(64, "relu").inputShape(16),
 *         new Dropout(0.5),
 *         new Dense(10, "softmax"));
 * }</pre>
 */
public class Dropout extends Layer {
    private final double rate;
    private Long seed;
    private Random rng;

    /**
     * A dropout layer that drops a fraction {@code rate} of its inputs in training.
     *
     * @param rate fraction of the input units to drop, in {@code [0, 1)} (Keras's {@code rate})
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" + rate);
        }
        this.rate = rate;
    }

    /**
     * Sets the seed of the random mask (Keras's {@code seed}, default None: drawn from {@link Cornu#setSeed}'s generator).
     *
     * @param s the seed
     * @return this layer
     */
    public Dropout seed(long s) {
        this.seed = s;
        this.rng = null;
        return this;
    }

    /**
     * The fraction of input units dropped in training.
     *
     * @return Keras's {@code rate}
     */
    public double rate() {
        return rate;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        if (!training || rate == 0) return x;
        if (rng == null) rng = Nd4j.getRandomFactory().getNewRandomInstance(seed != null ? seed : Cornu.nextSeed());
        return Ops.dropout(x, rate, rng);
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
        c.put("noise_shape", null);
        return c;
    }

    /**
     * Re-creates a Dropout layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Dropout fromConfig(Map<String, Object> c) {
        Dropout d = new Dropout(Configs.getDouble(c, "rate"));
        Long seed = Configs.getLongOrNull(c, "seed");
        if (seed != null) d.seed(seed);
        return d;
    }
}
