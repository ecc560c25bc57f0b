package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code keras.layers.RandomZoom(height_factor, width_factor=None, fill_mode="reflect",
 * interpolation="bilinear", seed=None, fill_value=0.0)}: in training, zooms each image about its centre.
 * A factor {@code f} means {@code [-f, f]}; positive values zoom out, negative zoom in (the zoom is
 * {@code 1 + uniform(lower, upper)}). Without {@code widthFactor} the width zoom equals the height zoom
 * (aspect ratio kept). Identity at inference.
 */
public class RandomZoom extends ImageAugmentation {
    private final double[] height;
    private double[] width;

    public RandomZoom(double... heightFactor) {
        height = check(factor("RandomZoom", "height_factor", heightFactor), "height_factor");
    }

    private static double[] check(double[] f, String arg) {
        if (f[0] < -1 || f[1] < -1) {
            throw new IllegalArgumentException("RandomZoom: `" + arg + "` cannot have a lower bound less than -1, received: [" + f[0] + ", " + f[1] + "]");
        }
        return f;
    }

    public RandomZoom widthFactor(double... f) {
        width = check(factor("RandomZoom", "width_factor", f), "width_factor");
        return this;
    }

    public RandomZoom fillMode(String m) {
        checkFillMode(m);
        fillMode = m;
        return this;
    }

    public RandomZoom interpolation(String m) {
        checkInterpolation(m);
        interpolation = m;
        return this;
    }

    public RandomZoom fillValue(double v) {
        fillValue = v;
        return this;
    }

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
