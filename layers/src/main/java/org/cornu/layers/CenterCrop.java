package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * A preprocessing layer which crops images, {@code keras.layers.CenterCrop(height, width)}.
 *
 * <p>This layer crops the central portion of the images to a target size. If an image is smaller than the target
 * size, it will be resized and cropped so as to return the largest possible window in the image that matches the
 * target aspect ratio. Input pixel values can be of any range (e.g. {@code [0., 1.)} or {@code [0, 255]}).
 *
 * <p>Input shape: 3D (unbatched) or 4D (batched) {@code (..., height, width, channels)}, channels_last. Output
 * shape: {@code (..., target_height, target_width, channels)}.
 *
 * <p>If the input height/width is even and the target height/width is odd (or inversely), the crop starts at
 * {@code (input - target) // 2}, one pixel nearer the top/left.
 */
public class CenterCrop extends Layer {
    private final int height;
    private final int width;

    /**
     * @param height the height of the output shape
     * @param width the width of the output shape
     */
    public CenterCrop(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("CenterCrop: `height` and `width` must be positive. Received: height=" + height
                    + ", width=" + width);
        }
        this.height = height;
        this.width = width;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CenterCrop inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CenterCrop name(String n) {
        return super.name(n);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] s = x.shape();
        ImageResize.checkRank(name(), s);
        int h = (int) s[s.length - 3], w = (int) s[s.length - 2];
        if (h >= height && w >= width) {
            return ImageResize.crop(x, (h - height) / 2, (w - width) / 2, height, width);
        }
        return ImageResize.resize(x, height, width, "bilinear", true, false, 0); // keras.utils.smart_resize
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
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static CenterCrop fromConfig(Map<String, Object> c) {
        LayerConfigs.dataFormat(c);
        return new CenterCrop(Configs.getInt(c, "height"), Configs.getInt(c, "width"));
    }
}
