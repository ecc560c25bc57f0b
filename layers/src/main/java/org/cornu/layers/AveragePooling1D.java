package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * Average pooling for temporal data, {@code keras.layers.AveragePooling1D}. Downsamples the
 * input representation by taking the average value over the window defined by
 * {@code pool_size}; the window is shifted by {@code strides} (default: the pool size). The
 * resulting output when using "valid" padding option has a shape of
 * {@code output_shape = (input_shape - pool_size + 1) / strides}; with "same" padding,
 * {@code output_shape = input_shape / strides} (rounded up), and a window is averaged over its
 * real steps only (padded steps never count, as TF).
 *
 * <p>Input: {@code (batch_size, steps, features)} (channels_last); output:
 * {@code (batch_size, downsampled_steps, features)}.
 */
public class AveragePooling1D extends Layer {
    private final int poolSize;
    private Integer strides;
    private String padding = "valid";

    /**
     * Windows of {@code poolSize} steps, stride equal to the pool size, "valid" padding.
     *
     * @param poolSize size of the window (Keras's {@code pool_size}; required, as in Keras 3)
     */
    public AveragePooling1D(int poolSize) {
        this.poolSize = ConvUtils.tuple("AveragePooling1D", "pool_size", 1, poolSize)[0];
        this.inputNdim = 3;
    }

    @Override
    @SuppressWarnings("unchecked")
    public AveragePooling1D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public AveragePooling1D name(String n) {
        return super.name(n);
    }

    /**
     * Sets how far the window moves at each step (Keras's {@code strides}, default None meaning the pool size).
     *
     * @param s the stride
     * @return this layer
     */
    public AveragePooling1D strides(int s) {
        this.strides = ConvUtils.tuple("AveragePooling1D", "strides", 1, s)[0];
        return this;
    }

    /**
     * Sets the padding (Keras's {@code padding}, default {@code "valid"}): {@code "valid"} drops a
     * window that does not fit, {@code "same"} pads so that the output has {@code ceil(steps / stride)} steps.
     *
     * @param p the padding mode
     * @return this layer
     */
    public AveragePooling1D padding(String p) {
        this.padding = ConvUtils.padding("AveragePooling1D", p, false);
        return this;
    }

    /**
     * Sets the data format (Keras's {@code data_format}); only {@code "channels_last"}, the default, is supported.
     *
     * @param f the data format
     * @return this layer
     */
    public AveragePooling1D dataFormat(String f) {
        ConvUtils.dataFormat("AveragePooling1D", f);
        return this;
    }

    private int stride() {
        return strides == null ? poolSize : strides;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] xs = x.shape();
        Tensor x4 = Ops.reshape(x, xs[0], 1, xs[1], xs[2]);
        Tensor z = ConvOps.avgPool2d(x4, new int[] {1, poolSize}, new int[] {1, stride()}, padding.equals("same"));
        long[] zs = z.shape();
        return Ops.reshape(z, zs[0], zs[2], zs[3]);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return ConvUtils.outputShape(name(), s, s.get(-1), new int[] {poolSize}, new int[] {stride()}, padding, new int[] {1});
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("pool_size", ConvUtils.list(poolSize));
        c.put("padding", padding);
        c.put("strides", ConvUtils.list(stride()));
        c.put("data_format", "channels_last");
        return c;
    }

    /**
     * Re-creates an AveragePooling1D layer from Keras's config (strides = pool_size, "valid" when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static AveragePooling1D fromConfig(Map<String, Object> c) {
        AveragePooling1D l = new AveragePooling1D(LayerConfigs.ints(c, "pool_size", 1)[0]);
        if (c.get("strides") != null) l.strides(LayerConfigs.ints(c, "strides", 1)[0]);
        l.padding(Configs.getString(c, "padding", "valid"));
        l.dataFormat(LayerConfigs.dataFormat(c));
        return l;
    }
}
