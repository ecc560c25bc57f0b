package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * A preprocessing layer which randomly adjusts contrast during training, {@code keras.layers.RandomContrast(factor,
 * value_range=(0, 255), seed=None)}.
 *
 * <p>This layer will randomly adjust the contrast of an image or images by a random factor. Contrast is adjusted
 * independently for each channel of each image during training. For each channel, this layer computes the mean of
 * the image pixels in the channel and then adjusts each component {@code x} of each pixel to
 * {@code (x - mean) * contrast_factor + mean}; the result is clipped to {@code value_range}. At inference the
 * output is the input.
 *
 * <p>{@code factor}: a positive float represented as fraction of value (in {@code [0, 1]}), or a pair representing
 * lower and upper bound. When a single float {@code f}, lower = {@code max(-f, 0)} = 0 and upper = {@code f} (as
 * Keras 3 stores it). The contrast factor is randomly picked in {@code [1.0 - lower, 1.0 + upper]}, one per image.
 *
 * <p>{@code value_range}: the range of values the incoming images will have, {@code [low, high]}; typically
 * {@code [0, 1]} or {@code [0, 255]} (default) depending on how the preprocessing pipeline is set up.
 *
 * <p>Input and output shape: 3D (unbatched) or 4D (batched) {@code (..., height, width, channels)}, channels_last.
 */
public class RandomContrast extends ColorAugmentation {
    /**
     * A layer adjusting contrast by a random factor per image in training, picked in
     * {@code [1 - lower, 1 + upper]}.
     *
     * @param factor one number {@code f} in {@code [0, 1]} for {@code lower = 0, upper = f}, or a pair
     *     {@code (lower, upper)} (Keras's {@code factor})
     * @throws IllegalArgumentException if {@code factor} is outside {@code [0, 1]} or holds more than two numbers
     */
    public RandomContrast(double... factor) {
        this.factor = bounded("RandomContrast", 0, 1, factor);
    }

    /** Keras's {@code _set_factor} with {@code _FACTOR_BOUNDS}. */
    static double[] bounded(String layer, double lo, double hi, double... f) {
        String msg = layer + ": the `factor` argument should be a number (or a list of two numbers) in the range [" + fmt(lo)
                + ", " + fmt(hi) + "]. Received: factor=" + (f.length == 1 ? Double.toString(f[0]) : java.util.Arrays.toString(f));
        if (f.length == 2) {
            if (f[0] > hi || f[1] < lo) throw new IllegalArgumentException(msg);
            return new double[] {Math.min(f[0], f[1]), Math.max(f[0], f[1])};
        }
        if (f.length != 1 || f[0] < lo || f[0] > hi) throw new IllegalArgumentException(msg);
        double a = Math.abs(f[0]);
        return new double[] {Math.max(-a, lo), a};
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Sets the range of values the incoming images will have (Keras's {@code value_range}, default
     * {@code (0, 255)}); the output is clipped to it.
     *
     * @param low the lower limit
     * @param high the upper limit
     * @return this layer
     */
    public RandomContrast valueRange(double low, double high) {
        valueRange = range("RandomContrast", new double[] {low, high});
        return this;
    }

    /**
     * Sets the seed of the layer's random factors (Keras's {@code seed}, default None: drawn from {@link org.cornu.core.Cornu#setSeed}'s generator).
     *
     * @param s the seed
     * @return this layer
     */
    public RandomContrast seed(long s) {
        seed = s;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomContrast inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomContrast name(String n) {
        return super.name(n);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] s = x.shape();
        ImageResize.checkRank(name(), s);
        if (!training) return x;
        double[] f = new double[images(s)];
        for (int i = 0; i < f.length; i++) f[i] = (float) uniform(1 - factor[0], 1 + factor[1]);
        int hAxis = s.length - 3, wAxis = s.length - 2;
        Tensor mean = Ops.mean(Ops.mean(x, hAxis, true), wAxis, true);
        Tensor out = Ops.add(Ops.mul(Ops.sub(x, mean), perImage(x, f)), mean);
        return Ops.clip(out, valueRange[0], valueRange[1]);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("data_format", "channels_last");
        c.put("factor", list(factor));
        c.put("value_range", list(valueRange));
        c.put("seed", seed);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RandomContrast fromConfig(Map<String, Object> c) {
        LayerConfigs.dataFormat(c);
        RandomContrast r = new RandomContrast(doubles(org.cornu.core.saving.Configs.require(c, "factor")));
        double[] vr = doubles(c.get("value_range"));
        if (vr != null) r.valueRange = range("RandomContrast", vr);
        if (c.get("seed") instanceof Number n) r.seed(n.longValue());
        return r;
    }

    static List<Double> list(double[] d) {
        return ImageAugmentation.list(d);
    }
}
