package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code keras.layers.RandomTranslation(height_factor, width_factor, fill_mode="reflect",
 * interpolation="bilinear", seed=None, fill_value=0.0)}: in training, shifts each image by
 * {@code uniform(lower, upper) * height} rows (positive: down) and {@code uniform(...) * width} columns
 * (positive: right). A factor {@code f} means {@code [-f, f]}, bounds in [-1, 1]. Identity at inference.
 */
public class RandomTranslation extends ImageAugmentation {
    private final double[] height;
    private final double[] width;

    /** Symmetric factors {@code [-heightFactor, heightFactor]}, {@code [-widthFactor, widthFactor]}. */
    public RandomTranslation(double heightFactor, double widthFactor) {
        this(new double[] {heightFactor}, new double[] {widthFactor});
    }

    /** Factors as Keras: each a single number or a pair {@code (lower, upper)}. */
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

    public RandomTranslation fillMode(String m) {
        checkFillMode(m);
        fillMode = m;
        return this;
    }

    public RandomTranslation interpolation(String m) {
        checkInterpolation(m);
        interpolation = m;
        return this;
    }

    public RandomTranslation fillValue(double v) {
        fillValue = v;
        return this;
    }

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
