package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * Upsampling layer for 2D inputs, {@code keras.layers.UpSampling2D(size=(2, 2), data_format=None,
 * interpolation="nearest")}: repeats the rows and columns of the data by {@code size[0]} and {@code size[1]}
 * respectively (nearest-neighbour interpolation, the only one supported).
 *
 * <p>Input shape: 4D tensor {@code (batch_size, rows, cols, channels)}, channels_last. Output shape:
 * {@code (batch_size, rows * size[0], cols * size[1], channels)}.
 *
 * <pre>{@code
 * INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 1, 3);
 * INDArray y = new UpSampling2D(1, 2).apply(x);   // shape (2, 2, 2, 3)
 * }</pre>
 */
public class UpSampling2D extends Layer {
    private final int[] size;

    /**
     * Repeats every row and column twice (Keras's default {@code size=(2, 2)}).
     */
    public UpSampling2D() {
        this(2);
    }

    /**
     * One int for both axes or {@code (sh, sw)}.
     *
     * @param size the upsampling factors for rows and columns (Keras's {@code size}, default {@code (2, 2)})
     */
    public UpSampling2D(int... size) {
        this.size = ConvUtils.tuple("UpSampling2D", "size", 2, size);
        this.inputNdim = 4;
    }

    @Override
    @SuppressWarnings("unchecked")
    public UpSampling2D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public UpSampling2D name(String n) {
        return super.name(n);
    }

    /**
     * Sets the interpolation (Keras's {@code interpolation}, default {@code "nearest"}); only {@code "nearest"} is supported.
     *
     * @param i the interpolation
     * @return this layer
     */
    public UpSampling2D interpolation(String i) {
        if (!"nearest".equals(i)) {
            throw new IllegalArgumentException("UpSampling2D: only interpolation=\"nearest\" is supported. Received: " + i);
        }
        return this;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return ConvOps.upSample2d(x, size[0], size[1]);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        long h = s.get(1), w = s.get(2);
        return Shape.of(s.get(0), h < 0 ? -1 : h * size[0], w < 0 ? -1 : w * size[1], s.get(3));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("size", ConvUtils.list(size));
        c.put("data_format", "channels_last");
        c.put("interpolation", "nearest");
        return c;
    }

    /**
     * Re-creates an UpSampling2D layer from Keras's config (size (2, 2), nearest when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static UpSampling2D fromConfig(Map<String, Object> c) {
        UpSampling2D u = new UpSampling2D(LayerConfigs.ints(c, "size", 2, 2));
        u.interpolation(Configs.getString(c, "interpolation", "nearest"));
        LayerConfigs.dataFormat(c);
        return u;
    }
}
