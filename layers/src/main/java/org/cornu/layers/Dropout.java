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
 * Inverted dropout, {@code keras.layers.Dropout}: in training, zeroes a fraction {@code rate}
 * of the inputs and scales the rest by {@code 1/(1-rate)}; at inference, the identity.
 * Seeded by {@code seed} or by {@link Cornu#setSeed}.
 */
public class Dropout extends Layer {
    private final double rate;
    private Long seed;
    private Random rng;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=" + rate);
        }
        this.rate = rate;
    }

    public Dropout seed(long s) {
        this.seed = s;
        this.rng = null;
        return this;
    }

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

    /** Re-creates a Dropout layer from Keras's config. */
    public static Dropout fromConfig(Map<String, Object> c) {
        Dropout d = new Dropout(Configs.getDouble(c, "rate"));
        Long seed = Configs.getLongOrNull(c, "seed");
        if (seed != null) d.seed(seed);
        return d;
    }
}
