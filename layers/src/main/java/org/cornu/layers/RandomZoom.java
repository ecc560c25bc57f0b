package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A preprocessing layer which randomly zooms images during training, {@code keras.layers.RandomZoom(height_factor,
 * width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0)}.
 *
 * <p>This layer will randomly zoom in or out on each axis of an image independently, about its centre, filling
 * empty space according to {@code fill_mode}. A factor {@code f} means {@code [-f, f]}; positive values zoom out,
 * negative values zoom in (the zoom is {@code 1 + uniform(lower, upper)}). Without {@code width_factor} the width
 * zoom equals the height zoom (aspect ratio kept). At inference time, the layer does nothing.
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
public class RandomZoom extends ImageAugmentation {
    private final double[] height;
    private double[] width;

    /**
     * A layer zooming images by a random amount in training, keeping their aspect ratio unless
     * {@link #widthFactor} is set.
     *
     * @param heightFactor a single number {@code f} for {@code [-f, f]}, or a pair {@code (lower, upper)}, for
     *     zooming vertically: {@code (0.2, 0.3)} zooms out by a random amount in {@code [+20%, +30%]},
     *     {@code (-0.3, -0.2)} zooms in by a random amount in {@code [+20%, +30%]} (Keras's {@code height_factor})
     * @throws IllegalArgumentException if the factor holds more than two numbers, its bounds are reversed, or its
     *     lower bound is less than -1
     */
    public RandomZoom(double... heightFactor) {
        height = check(factor("RandomZoom", "height_factor", heightFactor), "height_factor");
    }

    private static double[] check(double[] f, String arg) {
        if (f[0] < -1 || f[1] < -1) {
            throw new IllegalArgumentException("RandomZoom: `" + arg + "` cannot have a lower bound less than -1, received: [" + f[0] + ", " + f[1] + "]");
        }
        return f;
    }

    /**
     * Sets the range for zooming horizontally (Keras's {@code width_factor}, default None: zooming both directions
     * by the same amount, preserving the aspect ratio).
     *
     * @param f a single number {@code f} for {@code [-f, f]}, or a pair {@code (lower, upper)}
     * @return this layer
     * @throws IllegalArgumentException if the factor holds more than two numbers, its bounds are reversed, or its
     *     lower bound is less than -1
     */
    public RandomZoom widthFactor(double... f) {
        width = check(factor("RandomZoom", "width_factor", f), "width_factor");
        return this;
    }

    /**
     * Sets how points outside the boundaries of the input are filled (Keras's {@code fill_mode}, default
     * {@code "reflect"}).
     *
     * @param m {@code "reflect"}, {@code "wrap"}, {@code "nearest"} or {@code "constant"}
     * @return this layer
     * @throws IllegalArgumentException for any other mode
     */
    public RandomZoom fillMode(String m) {
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
    public RandomZoom interpolation(String m) {
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
    public RandomZoom fillValue(double v) {
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
    public RandomZoom seed(long s) {
        seed = s;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomZoom inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomZoom name(String n) {
        return super.name(n);
    }

    @Override
    protected double[] transform(int h, int w) {
        double zy = 1 + uniform(height[0], height[1]);
        double zx = width == null ? zy : 1 + uniform(width[0], width[1]);
        return zoom(zy, zx, h, w);
    }

    /** Output-to-input transform of a zoom about the centre ({@code z > 1}: zoom out). */
    static double[] zoom(double zy, double zx, int h, int w) {
        return new double[] {zx, 0, (w - 1) / 2.0 * (1 - zx), 0, zy, (h - 1) / 2.0 * (1 - zy)};
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
    public static RandomZoom fromConfig(Map<String, Object> c) {
        RandomZoom z = new RandomZoom(doubles(c.get("height_factor")));
        double[] w = doubles(c.get("width_factor"));
        if (w != null) z.widthFactor(w);
        z.readGeometry(c);
        return z;
    }
}
