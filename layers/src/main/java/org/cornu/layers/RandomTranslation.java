package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A preprocessing layer which randomly translates images during training, {@code
 * keras.layers.RandomTranslation(height_factor, width_factor, fill_mode="reflect", interpolation="bilinear",
 * seed=None, fill_value=0.0)}.
 *
 * <p>This layer will apply random translations to each image during training, filling empty space according to
 * {@code fill_mode}: each image is shifted by {@code uniform(lower, upper) * height} rows (positive: down) and
 * {@code uniform(lower, upper) * width} columns (positive: right). At inference time, the layer does nothing.
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
 */
public class RandomTranslation extends ImageAugmentation {
    private final double[] height;
    private final double[] width;

    /**
     * A layer shifting images by random fractions of their size in training, within symmetric ranges.
     *
     * @param heightFactor {@code f} for vertical shifts in {@code [-f, f]} of the height, e.g. 0.2 for
     *     {@code [-20%, +20%]} (Keras's {@code height_factor})
     * @param widthFactor {@code f} for horizontal shifts in {@code [-f, f]} of the width (Keras's
     *     {@code width_factor})
     * @throws IllegalArgumentException if a factor's bounds are outside {@code [-1, 1]}
     */
    public RandomTranslation(double heightFactor, double widthFactor) {
        this(new double[] {heightFactor}, new double[] {widthFactor});
    }

    /**
     * A layer shifting images by random fractions of their size in training.
     *
     * @param heightFactor a single number {@code f} for {@code [-f, f]}, or a pair {@code (lower, upper)}, of the
     *     height: a negative value shifts the image up, a positive one down; {@code (-0.2, 0.3)} shifts by a random
     *     amount in {@code [-20%, +30%]} (Keras's {@code height_factor})
     * @param widthFactor the same for horizontal shifts: a negative value shifts the image left, a positive one
     *     right (Keras's {@code width_factor})
     * @throws IllegalArgumentException if a factor holds more than two numbers, its bounds are reversed, or are
     *     outside {@code [-1, 1]}
     */
    public RandomTranslation(double[] heightFactor, double[] widthFactor) {
        height = check(factor("RandomTranslation", "height_factor", heightFactor), "height_factor");
        width = check(factor("RandomTranslation", "width_factor", widthFactor), "width_factor");
    }

    private static double[] check(double[] f, String arg) {
        if (f[0] < -1 || f[1] > 1) {
            throw new IllegalArgumentException("RandomTranslation: `" + arg + "` must have values between [-1, 1], received: [" + f[0] + ", " + f[1] + "]");
        }
        return f;
    }

    /**
     * Sets how points outside the boundaries of the input are filled (Keras's {@code fill_mode}, default
     * {@code "reflect"}).
     *
     * @param m {@code "reflect"}, {@code "wrap"}, {@code "nearest"} or {@code "constant"}
     * @return this layer
     * @throws IllegalArgumentException for any other mode
     */
    public RandomTranslation fillMode(String m) {
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
    public RandomTranslation interpolation(String m) {
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
    public RandomTranslation fillValue(double v) {
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
    public RandomTranslation seed(long s) {
        seed = s;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomTranslation inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomTranslation name(String n) {
        return super.name(n);
    }

    @Override
    protected double[] transform(int h, int w) {
        double dy = uniform(height[0], height[1]) * h;
        double dx = uniform(width[0], width[1]) * w;
        return new double[] {1, 0, -dx, 0, 1, -dy};
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("height_factor", list(height));
        c.put("width_factor", list(width));
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
    public static RandomTranslation fromConfig(Map<String, Object> c) {
        RandomTranslation t = new RandomTranslation(doubles(c.get("height_factor")), doubles(c.get("width_factor")));
        t.readGeometry(c);
        return t;
    }
}
