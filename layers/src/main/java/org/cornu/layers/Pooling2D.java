package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * Base of {@link MaxPooling2D} and {@link AveragePooling2D} on channels_last inputs
 * {@code (batch, height, width, channels)}: window {@code pool_size}, {@code strides}
 * defaulting to the pool size, padding "valid" or "same" (TF's: padded cells never count).
 */
public abstract class Pooling2D<T extends Pooling2D<T>> extends Layer {
    private final String kind;
    private int[] poolSize;
    private int[] strides;
    private String padding = "valid";

    /**
     * A pooling layer named {@code kind} in messages, "valid" padding, strides equal to the pool size.
     *
     * @param kind the layer's class name, used in error messages
     * @param poolSize the window: one int for both axes or {@code (ph, pw)} (Keras's {@code pool_size})
     */
    protected Pooling2D(String kind, int... poolSize) {
        this.kind = kind;
        this.poolSize = ConvUtils.tuple(kind, "pool_size", 2, poolSize);
        this.inputNdim = 4;
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
     * Sets the step of the window (Keras's {@code strides}, default None meaning the pool size):
     * one int for both axes or {@code (sh, sw)}.
     *
     * @param s the strides
     * @return this layer
     */
    public T strides(int... s) {
        this.strides = ConvUtils.tuple(kind, "strides", 2, s);
        return self();
    }

    /**
     * Sets the padding (Keras's {@code padding}, default {@code "valid"}): {@code "valid"} drops
     * windows that do not fit, {@code "same"} pads so that the output is {@code ceil(n / stride)} long
     * (padded cells never win a max nor count in an average).
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

    /**
     * The window size.
     *
     * @return a copy of {@code (ph, pw)}, Keras's {@code pool_size}
     */
    public int[] poolSize() {
        return poolSize.clone();
    }

    /**
     * The strides in use: those set, or else the pool size.
     *
     * @return {@code (sh, sw)}
     */
    protected int[] effectiveStrides() {
        return strides == null ? poolSize : strides;
    }

    /**
     * Whether the padding is {@code "same"}.
     *
     * @return true for "same", false for "valid"
     */
    protected boolean same() {
        return padding.equals("same");
    }

    /**
     * Pools {@code x} over windows of {@code pool} moved by {@code strides}.
     *
     * @param x the input {@code (batch, height, width, channels)}
     * @param pool the window {@code (ph, pw)}
     * @param strides the step {@code (sh, sw)}
     * @param same true for "same" padding, false for "valid"
     * @return the output {@code (batch, new_height, new_width, channels)}
     */
    protected abstract Tensor pool(Tensor x, int[] pool, int[] strides, boolean same);

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return pool(x, poolSize, effectiveStrides(), same());
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return ConvUtils.outputShape(name(), s, s.get(-1), poolSize, effectiveStrides(), padding, new int[] {1, 1});
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
        c.put("strides", ConvUtils.list(effectiveStrides()));
        c.put("data_format", "channels_last");
        return c;
    }

    /** Reads {@code padding}, {@code strides} (null: the pool size) and {@code data_format} into {@code l}. */
    static <T extends Pooling2D<T>> T configure(T l, Map<String, Object> c) {
        l.padding(Configs.getString(c, "padding", "valid"));
        if (c.get("strides") != null) l.strides(LayerConfigs.ints(c, "strides", 2));
        l.dataFormat(LayerConfigs.dataFormat(c));
        return l;
    }
}
