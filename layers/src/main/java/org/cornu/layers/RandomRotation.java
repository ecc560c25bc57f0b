package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A preprocessing layer which randomly rotates images during training, {@code keras.layers.RandomRotation(factor,
 * fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0)}.
 *
 * <p>This layer will apply random rotations to each image about its centre, filling empty space according to
 * {@code fill_mode}. Random rotations are only applied during training; at inference time, the layer does nothing.
 * The angle is drawn uniformly from {@code [lower, upper] * 2π} per image, with Keras 3's rotation matrix.
 *
 * <p>{@code fill_mode}: points outside the boundaries of the input are filled according to the given mode:
 * {@code "reflect"} (default), {@code (d c b a | a b c d | d c b a)}, the input is extended by reflecting about the
 * edge of the last pixel; {@code "constant"}, {@code (k k k k | a b c d | k k k k)}, the input is extended by
 * filling all values beyond the edge with the same constant value {@code k = fill_value}; {@code "wrap"},
 * {@code (a b c d | a b c d | a b c d)}, the input is extended by wrapping around to the opposite edge;
 * {@code "nearest"}, {@code (a a a a | a b c d | d d d d)}, the input is extended by the nearest pixel.
 * {@code interpolation}: {@code "bilinear"} (default) or {@code "nearest"}.
 *
 * <p>Input pixel values can be of any range (e.g. {@code [0, 1)} or {@code [0, 255]}). Input shape: 3D (unbatched)
 * or 4D (batched) {@code (..., height, width, channels)}, channels_last. Output shape: the same.
 *
 * <pre>{@code
 * Sequential augmentation = new Sequential(new RandomFlip("horizontal"), new RandomRotation(0.1));
 * }</pre>
 */
public class RandomRotation extends ImageAugmentation {
    private final double lower;
    private final double upper;

    /**
     * A layer rotating images by a random angle in training.
     *
     * @param factor a float represented as fraction of 2π, or a pair {@code (lower, upper)} (Keras's
     *     {@code factor}). A positive value means rotating counter-clockwise, a negative value clockwise. A single
     *     float {@code f} gives {@code [-f * 2π, f * 2π]}; {@code (-0.2, 0.3)} gives {@code [-20% * 2π, 30% * 2π]}
     * @throws IllegalArgumentException if {@code factor} holds more than two numbers or its lower bound exceeds its
     *     upper
     */
    public RandomRotation(double... factor) {
        double[] f = factor("RandomRotation", "factor", factor);
        lower = f[0];
        upper = f[1];
    }

    /**
     * Sets how points outside the boundaries of the input are filled (Keras's {@code fill_mode}, default
     * {@code "reflect"}).
     *
     * @param m {@code "reflect"}, {@code "wrap"}, {@code "nearest"} or {@code "constant"}
     * @return this layer
     * @throws IllegalArgumentException for any other mode
     */
    public RandomRotation fillMode(String m) {
        checkFillMode(m);
        fillMode = m;
        return this;
    }

    /**
     * Sets the interpolation mode (Keras's {@code interpolation}, default {@code "bilinear"}).
     *
     * @param m {@code "bilinear"} or {@code "nearest"}
     * @return this layer
     * @throws IllegalArgumentException for any other mode
     */
    public RandomRotation interpolation(String m) {
        checkInterpolation(m);
        interpolation = m;
        return this;
    }

    /**
     * Sets the value to be filled outside the boundaries when {@code fill_mode="constant"} (Keras's
     * {@code fill_value}, default 0).
     *
     * @param v the value
     * @return this layer
     */
    public RandomRotation fillValue(double v) {
        fillValue = v;
        return this;
    }

    /**
     * Sets the seed of the random transforms (Keras's {@code seed}, default None: drawn from
     * {@link org.cornu.core.Cornu#setSeed}'s generator).
     *
     * @param s the seed
     * @return this layer
     */
    public RandomRotation seed(long s) {
        seed = s;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomRotation inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomRotation name(String n) {
        return super.name(n);
    }

    @Override
    protected double[] transform(int h, int w) {
        return rotation(uniform(lower, upper) * 2 * Math.PI, h, w);
    }

    /** Output-to-input transform of a rotation by {@code angle} about the image centre (Keras 3's matrix). */
    static double[] rotation(double angle, int h, int w) {
        double cos = Math.cos(angle), sin = Math.sin(angle);
        double xo = ((w - 1) - (cos * (w - 1) - sin * (h - 1))) / 2.0;
        double yo = ((h - 1) - (sin * (w - 1) + cos * (h - 1))) / 2.0;
        return new double[] {cos, -sin, xo, sin, cos, yo};
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("factor", list(new double[] {lower, upper}));
        c.put("value_range", List.of(0.0, 255.0));
        c.put("data_format", "channels_last");
        putGeometry(c);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RandomRotation fromConfig(Map<String, Object> c) {
        RandomRotation r = new RandomRotation(doubles(c.get("factor")));
        r.readGeometry(c);
        return r;
    }
}
