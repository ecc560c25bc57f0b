package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * Base of {@link MaxPooling1D} and {@link AveragePooling1D} on {@code (batch, steps, channels)}:
 * windows of {@code pool_size} steps, {@code strides} defaulting to the pool size, padding
 * "valid" or "same" (TF's: padded steps never count). Runs the 2-D pooling op over a height
 * of 1.
 *
 * @param <T> the concrete layer, returned by the fluent setters
 */
public abstract class Pooling1D<T extends Pooling1D<T>> extends Layer {
    private final String kind;
    private final int poolSize;
    private Integer strides;
    private String padding = "valid";

    /**
     * A pooling layer named {@code kind} in messages: windows of {@code poolSize} steps, stride
     * equal to the pool size, "valid" padding.
     *
     * @param kind the layer's class name, used in error messages
     * @param poolSize size of the window (Keras's {@code pool_size})
     */
    protected Pooling1D(String kind, int poolSize) {
        this.kind = kind;
        this.poolSize = ConvUtils.tuple(kind, "pool_size", 1, poolSize)[0];
        this.inputNdim = 3;
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T name(String n) {
        return super.name(n);
    }

    /**
     * Sets how far the window moves at each step (Keras's {@code strides}, default None meaning the pool size).
     *
     * @param s the stride
     * @return this layer
     */
    public T strides(int s) {
        this.strides = ConvUtils.tuple(kind, "strides", 1, s)[0];
        return self();
    }

    /**
     * Sets the padding (Keras's {@code padding}, default {@code "valid"}): {@code "valid"} drops a
     * window that does not fit, {@code "same"} pads so that the output has {@code ceil(steps / stride)} steps.
     *
     * @param p the padding mode
     * @return this layer
     */
    public T padding(String p) {
        this.padding = ConvUtils.padding(kind, p, false);
        return self();
    }

    /**
     * Sets the data format (Keras's {@code data_format}); only {@code "channels_last"}, the default, is supported.
     *
     * @param f the data format
     * @return this layer
     */
    public T dataFormat(String f) {
        ConvUtils.dataFormat(kind, f);
        return self();
    }

    private int stride() {
        return strides == null ? poolSize : strides;
    }

    /**
     * Pools a channels_last 4-D tensor (the subclass's max or average).
     *
     * @param x the input {@code (batch, 1, steps, channels)}
     * @param pool the window {@code {1, pool_size}}
     * @param strides the strides {@code {1, stride}}
     * @param same true for "same" padding
     * @return the pooled tensor
     */
    protected abstract Tensor pool(Tensor x, int[] pool, int[] strides, boolean same);

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] xs = x.shape();
        Tensor x4 = Ops.reshape(x, xs[0], 1, xs[1], xs[2]);
        Tensor z = pool(x4, new int[] {1, poolSize}, new int[] {1, stride()}, padding.equals("same"));
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

    /** Sets a new layer's strides, padding and data format from Keras's config ({@code fromConfig}'s common part). */
    static <L extends Pooling1D<L>> L configure(L l, Map<String, Object> c) {
        if (c.get("strides") != null) l.strides(LayerConfigs.ints(c, "strides", 1)[0]);
        l.padding(Configs.getString(c, "padding", "valid"));
        l.dataFormat(LayerConfigs.dataFormat(c));
        return l;
    }
}
