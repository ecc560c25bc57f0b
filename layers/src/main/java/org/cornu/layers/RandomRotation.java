package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keras.layers.RandomRotation(factor, fill_mode="reflect", interpolation="bilinear", seed=None,
 * fill_value=0.0)}: in training, rotates each image about its centre by a random angle drawn uniformly from
 * {@code [lower, upper] * 2π} (a number {@code f} means {@code [-f, f]}); identity at inference.
 */
public class RandomRotation extends ImageAugmentation {
    private final double lower;
    private final double upper;

    /** {@code factor}: a fraction of 2π, or {@code (lower, upper)}. */
    public RandomRotation(double... factor) {
        double[] f = factor("RandomRotation", "factor", factor);
        lower = f[0];
        upper = f[1];
    }

    public RandomRotation fillMode(String m) {
        checkFillMode(m);
        fillMode = m;
        return this;
    }

    public RandomRotation interpolation(String m) {
        checkInterpolation(m);
        interpolation = m;
        return this;
    }

    public RandomRotation fillValue(double v) {
        fillValue = v;
        return this;
    }

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
