package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * A preprocessing layer which randomly crops images during training, {@code keras.layers.RandomCrop(height, width,
 * seed=None)}.
 *
 * <p>During training, this layer will randomly choose a location to crop images down to a target size. The layer
 * will crop all the images in the same batch to the same cropping location.
 *
 * <p>At inference time, and during training if an input image is smaller than the target size, the input will be
 * resized and cropped so as to return the largest possible window in the image that matches the target aspect
 * ratio. (Keras 3.15's code returns the input unchanged at inference, contrary to its documentation and to its
 * own {@code compute_output_shape}; Cornu does what the documentation says, so that a model's output shape holds.)
 *
 * <p>Input shape: 3D (unbatched) or 4D (batched) {@code (..., height, width, channels)}, channels_last. Output
 * shape: {@code (..., target_height, target_width, channels)}.
 *
 * <p>Without a seed, the layer draws one (as Keras's {@code make_default_seed}) and reports it in its config.
 */
public class RandomCrop extends ImageAugmentation {
    private final int height;
    private final int width;

    /**
     * A layer cropping images to {@code height x width}, at a random location in training.
     *
     * @param height the height of the output shape
     * @param width the width of the output shape
     * @throws IllegalArgumentException if {@code height} or {@code width} is not positive
     */
    public RandomCrop(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("RandomCrop: `height` and `width` must be positive. Received: height=" + height
                    + ", width=" + width);
        }
        this.height = height;
        this.width = width;
        this.seed = (Cornu.nextSeed() >>> 33) % 1_000_000_000L;
    }

    /**
     * Sets the seed of the layer's random crops (Keras's {@code seed}, default None: one drawn at construction and kept in the config).
     *
     * @param s the seed
     * @return this layer
     */
    public RandomCrop seed(long s) {
        seed = s;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomCrop inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RandomCrop name(String n) {
        return super.name(n);
    }

    @Override
    protected double[] transform(int h, int w) {
        return new double[] {1, 0, 0, 0, 1, 0};
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] s = x.shape();
        ImageResize.checkRank(name(), s);
        int h = (int) s[s.length - 3], w = (int) s[s.length - 2];
        if (!training) return ImageResize.resize(x, height, width, "bilinear", true, false, 0);
        int top, left;
        if (h > height && w > width) {
            top = (int) uniform(0, h - height + 1);
            left = (int) uniform(0, w - width + 1);
        } else {
            int ch = Math.max(Math.min(h, (int) ((double) w * height / width)), 1);
            int cw = Math.max(Math.min(w, (int) ((double) h * width / height)), 1);
            top = (int) ((double) (h - ch) / 2);
            left = (int) ((double) (w - cw) / 2);
        }
        // Keras slices [top, top + height) x [left, left + width) (clipped to the image), then resizes if smaller
        int winH = Math.min(height, h - top), winW = Math.min(width, w - left);
        return ImageResize.resizeWindow(x, top, left, winH, winW, height, width);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        ImageResize.checkRank(name(), s.dims());
        return s.with(-3, height).with(-2, width);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("data_format", "channels_last");
        c.put("height", height);
        c.put("width", width);
        c.put("seed", seed);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RandomCrop fromConfig(Map<String, Object> c) {
        LayerConfigs.dataFormat(c);
        RandomCrop r = new RandomCrop(Configs.getInt(c, "height"), Configs.getInt(c, "width"));
        if (c.get("seed") instanceof Number n) r.seed(n.longValue());
        return r;
    }
}
