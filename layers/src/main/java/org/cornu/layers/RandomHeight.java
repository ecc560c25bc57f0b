package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/**
 * A preprocessing layer which randomly varies image height during training, {@code keras.layers.RandomHeight(factor,
 * interpolation="bilinear", seed=None)} (Keras 2's layer; Keras 3 keeps it only as {@code keras._legacy.layers.RandomHeight},
 * which needs TensorFlow).
 *
 * <p>This layer adjusts the height of a batch of images by a random factor. The input should be a 3D (unbatched) or
 * 4D (batched) tensor in channels_last format. By default, this layer is inactive during inference (the output is
 * the input).
 *
 * <p>{@code factor}: a positive float (fraction of original height) or a pair of size 2 representing lower and upper
 * bound for resizing. For instance, {@code factor=(0.2, 0.3)} results in an output with height changed by a random
 * amount in the range {@code [20%, 30%]}; {@code factor=(-0.2, 0.3)} in the range {@code [-20%, +30%]};
 * {@code factor=0.2} in {@code [-20%, +20%]}. One factor {@code f ~ U(1 + lower, 1 + upper)} is drawn per batch
 * (float32), and the batch is resized (with {@code interpolation}, "bilinear" or "nearest", as {@code tf.image.resize})
 * to height {@code int(f * height)}, keeping its width.
 *
 * <p>Input shape: {@code (..., height, width, channels)}. Output shape: {@code (..., random_height, width, channels)}
 * for RandomHeight, {@code (..., height, random_width, channels)} for RandomWidth: that axis is unknown (None).
 */
public class RandomHeight extends ImageAugmentation {
    private final Object factorConfig;
    private final double lower;
    private final double upper;

    /** {@code factor}: one number {@code f} for {@code [-f, f]}, or a pair {@code (lower, upper)}. */
    public RandomHeight(double... factor) {
        if (factor.length != 1 && factor.length != 2) {
            throw new IllegalArgumentException("RandomHeight: `factor` must be a number or a pair (lower, upper). Received: factor="
                    + java.util.Arrays.toString(factor));
        }
        lower = factor.length == 1 ? -factor[0] : factor[0];
        upper = factor.length == 1 ? factor[0] : factor[1];
        if (upper < lower) {
            throw new IllegalArgumentException("RandomHeight: `factor` argument cannot have an upper bound lesser than the lower bound. Received: factor="
                    + java.util.Arrays.toString(factor));
        }
        if (lower < -1 || upper < -1) {
            throw new IllegalArgumentException("RandomHeight: `factor` argument must have values larger than -1. Received: factor="
                    + java.util.Arrays.toString(factor));
        }
        factorConfig = factor.length == 1 ? (Object) factor[0] : List.of(factor[0], factor[1]);
    }

    /** The interpolation method: "bilinear" (default) or "nearest". */
    public RandomHeight interpolation(String m) {
        checkInterpolation(m);
        interpolation = m;
        return this;
    }

    /** Seeds the layer's random factors. */
    public RandomHeight seed(long s) {
        seed = s;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomHeight inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomHeight name(String n) {
        return super.name(n);
    }

    @Override
    protected double[] transform(int h, int w) {
        return new double[] {1, 0, 0, 0, 1, 0};
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] s = x.shape();
        ImageResize.checkRank(name(), s);
        if (!training) return x;
        int h = (int) s[s.length - 3], w = (int) s[s.length - 2];
        float f = (float) uniform(1 + lower, 1 + upper);
        int size = Math.max(1, (int) (f * (float) h));
        return ImageResize.resize(x, size, w, interpolation, false, false, 0);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        ImageResize.checkRank(name(), s.dims());
        return s.with(-3, Shape.NONE);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("factor", factorConfig);
        c.put("interpolation", interpolation);
        c.put("seed", seed);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RandomHeight fromConfig(Map<String, Object> c) {
        RandomHeight r = new RandomHeight(doubles(org.cornu.core.saving.Configs.require(c, "factor")));
        if (c.get("interpolation") != null) r.interpolation(c.get("interpolation").toString());
        if (c.get("seed") instanceof Number n) r.seed(n.longValue());
        return r;
    }
}
