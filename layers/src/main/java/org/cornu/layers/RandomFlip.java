package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A preprocessing layer which randomly flips images during training, {@code
 * keras.layers.RandomFlip(mode="horizontal_and_vertical", seed=None)}.
 *
 * <p>This layer will flip the images horizontally and/or vertically based on the {@code mode} attribute, each image
 * with probability 0.5 per direction. During inference time, the output will be identical to the input. A flip is an
 * exact mirror (no interpolation).
 *
 * <p>Input shape: 3D (unbatched) or 4D (batched) {@code (..., height, width, channels)}, channels_last. Output
 * shape: the same.
 */
public class RandomFlip extends ImageAugmentation {
    /** The mode flipping left-right. */
    public static final String HORIZONTAL = "horizontal";
    /** The mode flipping top-bottom. */
    public static final String VERTICAL = "vertical";
    /** The mode flipping left-right and top-bottom, each with probability 0.5 (Keras's default). */
    public static final String HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical";

    private final String mode;
    private boolean horizontal;
    private boolean vertical;

    /** Keras's default mode, "horizontal_and_vertical". */
    public RandomFlip() {
        this(HORIZONTAL_AND_VERTICAL);
    }

    /**
     * A layer flipping images at random in training.
     *
     * @param mode which flip mode to use (Keras's {@code mode}): {@code "horizontal"} is a left-right flip,
     *     {@code "vertical"} a top-bottom flip, {@code "horizontal_and_vertical"} both
     * @throws IllegalArgumentException for any other mode
     */
    public RandomFlip(String mode) {
        switch (mode) {
            case HORIZONTAL -> horizontal = true;
            case VERTICAL -> vertical = true;
            case HORIZONTAL_AND_VERTICAL -> { horizontal = true; vertical = true; }
            default -> throw new IllegalArgumentException("RandomFlip layer " + name() + " received an unknown mode argument " + mode);
        }
        this.mode = mode;
    }

    /**
     * Sets the seed of the random flips (Keras's {@code seed}, default None: drawn from
     * {@link org.cornu.core.Cornu#setSeed}'s generator).
     *
     * @param s the seed
     * @return this layer
     */
    public RandomFlip seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * The flip mode.
     *
     * @return Keras's {@code mode}
     */
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
