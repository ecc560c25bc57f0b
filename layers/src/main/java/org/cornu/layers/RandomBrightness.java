package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * A preprocessing layer which randomly adjusts brightness during training, {@code keras.layers.RandomBrightness(factor,
 * value_range=(0, 255), seed=None)}.
 *
 * <p>This layer will randomly increase/reduce the brightness for the input RGB images. At inference time, the output
 * will be identical to the input. Call the layer with {@code training=true} to adjust the brightness of the input.
 *
 * <p>{@code factor}: a float or a pair of floats between -1.0 and 1.0. The factor is used to determine the lower
 * bound and upper bound of the brightness adjustment. A float value will be chosen randomly between the limits
 * (one per image). When -1.0 is chosen, the output image will be black, and when 1.0 is chosen, the image will be
 * fully white. When only one float is provided, e.g. 0.2, then -0.2 will be used for lower bound and 0.2 will be
 * used for upper bound.
 *
 * <p>{@code value_range}: the lower and upper limit of the values of the input data. To make no change, use
 * {@code [0.0, 1.0]}, e.g. if the image input has been scaled before this layer. Defaults to {@code [0.0, 255.0]}.
 * The brightness adjustment will be scaled to this range ({@code x + factor * (high - low)}), and the output values
 * will be clipped to this range.
 *
 * <p>Input and output: 3D (HWC) or 4D (NHWC) channels_last tensors.
 */
public class RandomBrightness extends ColorAugmentation {
    /**
     * A layer adjusting brightness by a random factor per image in training.
     *
     * @param factor one number {@code f} in {@code [-1, 1]} for the range {@code [-|f|, |f|]}, or a pair
     *     {@code (lower, upper)} (Keras's {@code factor})
     * @throws IllegalArgumentException if {@code factor} is outside {@code [-1, 1]} or holds more than two numbers
     */
    public RandomBrightness(double... factor) {
        this.factor = RandomContrast.bounded("RandomBrightness", -1, 1, factor);
    }

    /**
     * Sets the lower and upper limit of the values of the input data (Keras's {@code value_range}, default
     * {@code (0, 255)}); the adjustment is scaled to this range and the output clipped to it. Keras sorts the pair.
     *
     * @param low the lower limit
     * @param high the upper limit
     * @return this layer
     */
    public RandomBrightness valueRange(double low, double high) {
        valueRange = range("RandomBrightness", new double[] {Math.min(low, high), Math.max(low, high)});
        return this;
    }

    /**
     * Sets the seed of the layer's random factors (Keras's {@code seed}, default None: drawn from {@link org.cornu.core.Cornu#setSeed}'s generator).
     *
     * @param s the seed
     * @return this layer
     */
    public RandomBrightness seed(long s) {
        seed = s;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomBrightness inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomBrightness name(String n) {
        return super.name(n);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] s = x.shape();
        ImageResize.checkRank(name(), s);
        if (!training) return x;
        double[] d = new double[images(s)];
        for (int i = 0; i < d.length; i++) d[i] = (float) uniform(factor[0], factor[1]) * (valueRange[1] - valueRange[0]);
        return Ops.clip(Ops.add(x, perImage(x, d)), valueRange[0], valueRange[1]);
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
    public static RandomBrightness fromConfig(Map<String, Object> c) {
        LayerConfigs.dataFormat(c);
        RandomBrightness r = new RandomBrightness(doubles(org.cornu.core.saving.Configs.require(c, "factor")));
        double[] vr = doubles(c.get("value_range"));
        if (vr != null) r.valueRange(vr.length == 2 ? vr[0] : Double.NaN, vr.length == 2 ? vr[1] : Double.NaN);
        if (c.get("seed") instanceof Number n) r.seed(n.longValue());
        return r;
    }
}
