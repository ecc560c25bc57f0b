package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code keras.layers.RandomFlip(mode="horizontal_and_vertical", seed=None)}: in training, flips each image
 * left-right ("horizontal") and/or top-bottom ("vertical") with probability 0.5 each; identity at inference.
 * A flip is an exact mirror (no interpolation).
 */
public class RandomFlip extends ImageAugmentation {
    public static final String HORIZONTAL = "horizontal";
    public static final String VERTICAL = "vertical";
    public static final String HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical";

    private final String mode;
    private boolean horizontal;
    private boolean vertical;

    /** Keras's default mode, "horizontal_and_vertical". */
    public RandomFlip() {
        this(HORIZONTAL_AND_VERTICAL);
    }

    public RandomFlip(String mode) {
        switch (mode) {
            case HORIZONTAL -> horizontal = true;
            case VERTICAL -> vertical = true;
            case HORIZONTAL_AND_VERTICAL -> { horizontal = true; vertical = true; }
            default -> throw new IllegalArgumentException("RandomFlip layer " + name() + " received an unknown mode argument " + mode);
        }
        this.mode = mode;
    }

    public RandomFlip seed(long s) {
        this.seed = s;
        return this;
    }

    public String mode() {
        return mode;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomFlip inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomFlip name(String n) {
        return super.name(n);
    }

    @Override
    protected double[] transform(int h, int w) {
        boolean fx = horizontal && rng().nextDouble() < 0.5;
        boolean fy = vertical && rng().nextDouble() < 0.5;
        return new double[] {fx ? -1 : 1, 0, fx ? w - 1 : 0, 0, fy ? -1 : 1, fy ? h - 1 : 0};
    }

    @Override
    protected void augment(float[] src, float[] dst, int off, int h, int w, int c) {
        double[] t = transform(h, w);
        boolean fx = t[0] < 0, fy = t[4] < 0;
        for (int y = 0; y < h; y++) {
            int sy = fy ? h - 1 - y : y;
            for (int x = 0; x < w; x++) {
                int sx = fx ? w - 1 - x : x;
                System.arraycopy(src, (sy * w + sx) * c, dst, off + (y * w + x) * c, c);
            }
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("mode", mode);
        c.put("seed", seed);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RandomFlip fromConfig(Map<String, Object> c) {
        RandomFlip f = new RandomFlip(c.get("mode") != null ? c.get("mode").toString() : HORIZONTAL_AND_VERTICAL);
        if (c.get("seed") instanceof Number n) f.seed(n.longValue());
        return f;
    }
}
