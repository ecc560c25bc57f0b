package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * A preprocessing layer which resizes images, {@code keras.layers.Resizing(height, width,
 * interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode="constant",
 * fill_value=0.0)}.
 *
 * <p>This layer resizes an image input to a target height and width. The input should be a 4D (batched) or 3D
 * (unbatched) tensor in "channels_last" format. Input pixel values can be of any range (e.g. {@code [0., 1.)} or
 * {@code [0, 255]}). It is active both in training and at inference.
 *
 * <p>Input shape: {@code (..., height, width, channels)}. Output shape: {@code (..., target_height, target_width,
 * channels)}.
 *
 * <p>The resize is Keras's with {@code antialias=False}: half-pixel centres, as {@code jax.image.resize} and
 * {@code tf.image.resize} (see {@link ImageResize}).
 *
 * <pre>{@code
 * Layer resizer = new Resizing(128, 128);
 * INDArray resized = resizer.apply(image);   // (32, 32, 3) -> (128, 128, 3)
 * }</pre>
 */
public class Resizing extends Layer {
    private final int height;
    private final int width;
    private String interpolation = "bilinear";
    private boolean cropToAspectRatio;
    private boolean padToAspectRatio;
    private double fillValue;

    /**
     * A layer resizing images to {@code height x width} with bilinear interpolation, without keeping the aspect
     * ratio.
     *
     * @param height the height of the output shape
     * @param width the width of the output shape
     * @throws IllegalArgumentException if {@code height} or {@code width} is not positive
     */
    public Resizing(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Resizing: `height` and `width` must be positive. Received: height=" + height
                    + ", width=" + width);
        }
        this.height = height;
        this.width = width;
    }

    /**
     * Sets the interpolation method (Keras's {@code interpolation}, default {@code "bilinear"}).
     *
     * @param m {@code "bilinear"} or {@code "nearest"} (Keras's {@code "bicubic"}, {@code "lanczos3"} and
     *     {@code "lanczos5"} are not implemented)
     * @return this layer
     * @throws IllegalArgumentException for any other method
     */
    public Resizing interpolation(String m) {
        if (!"bilinear".equals(m) && !"nearest".equals(m)) {
            throw new IllegalArgumentException("Resizing: invalid value for argument `interpolation`. Expected one of"
                    + " {\"bilinear\", \"nearest\"} (Cornu does not implement \"bicubic\", \"lanczos3\", \"lanczos5\"). Received: interpolation=" + m);
        }
        interpolation = m;
        return this;
    }

    /**
     * If true, resize the images without aspect ratio distortion: when the original aspect ratio differs from the
     * target aspect ratio, the output image is cropped so as to return the largest possible window in the image
     * (of size {@code (height, width)}) that matches the target aspect ratio. By default (false), aspect ratio may
     * not be preserved. Keras's {@code crop_to_aspect_ratio}.
     *
     * @param b whether to crop
     * @return this layer
     * @throws IllegalArgumentException if {@code pad_to_aspect_ratio} is also true
     */
    public Resizing cropToAspectRatio(boolean b) {
        if (b && padToAspectRatio) throw new IllegalArgumentException("Resizing: only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be true.");
        cropToAspectRatio = b;
        return this;
    }

    /**
     * If true, pad the images without aspect ratio distortion: when the original aspect ratio differs from the
     * target aspect ratio, the output image is evenly padded on the short side with {@code fill_value}. Keras's
     * {@code pad_to_aspect_ratio}, default false.
     *
     * @param b whether to pad
     * @return this layer
     * @throws IllegalArgumentException if {@code crop_to_aspect_ratio} is also true
     */
    public Resizing padToAspectRatio(boolean b) {
        if (b && cropToAspectRatio) throw new IllegalArgumentException("Resizing: only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be true.");
        padToAspectRatio = b;
        return this;
    }

    /**
     * Sets the padding value to use when {@code pad_to_aspect_ratio=true} (Keras's {@code fill_value}, default 0).
     *
     * @param v the value
     * @return this layer
     */
    public Resizing fillValue(double v) {
        fillValue = v;
        return this;
    }

    /**
     * The height of the output.
     *
     * @return Keras's {@code height}
     */
    public int height() {
        return height;
    }

    /**
     * The width of the output.
     *
     * @return Keras's {@code width}
     */
    public int width() {
        return width;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Resizing inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Resizing name(String n) {
        return super.name(n);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        ImageResize.checkRank(name(), x.shape());
        return ImageResize.resize(x, height, width, interpolation, cropToAspectRatio, padToAspectRatio, fillValue);
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
        c.put("interpolation", interpolation);
        c.put("crop_to_aspect_ratio", cropToAspectRatio);
        c.put("pad_to_aspect_ratio", padToAspectRatio);
        c.put("fill_mode", "constant");
        c.put("fill_value", fillValue);
        c.put("antialias", false);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Resizing fromConfig(Map<String, Object> c) {
        LayerConfigs.dataFormat(c);
        String fm = Configs.getString(c, "fill_mode", "constant");
        if (!"constant".equals(fm)) {
            throw new IllegalArgumentException("Resizing \"" + c.get("name") + "\": only fill_mode=\"constant\" is supported. Received: fill_mode=" + fm);
        }
        if (Boolean.TRUE.equals(c.get("antialias"))) {
            throw new IllegalArgumentException("Resizing \"" + c.get("name") + "\": antialias=True is not supported");
        }
        Resizing r = new Resizing(Configs.getInt(c, "height"), Configs.getInt(c, "width"));
        r.interpolation(Configs.getString(c, "interpolation", "bilinear"));
        r.cropToAspectRatio(Boolean.TRUE.equals(c.get("crop_to_aspect_ratio")));
        r.padToAspectRatio(Boolean.TRUE.equals(c.get("pad_to_aspect_ratio")));
        r.fillValue(LayerConfigs.scalar(c, "fill_value", 0.0));
        return r;
    }
}
