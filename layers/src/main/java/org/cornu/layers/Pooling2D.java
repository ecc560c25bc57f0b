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

    /** Step of the window (one int or {@code (sh, sw)}); by default the pool size. */
    public T strides(int... s) {
        this.strides = ConvUtils.tuple(kind, "strides", 2, s);
        return self();
    }

    /** {@code "valid"} (default) or {@code "same"}. */
    public T padding(String p) {
        this.padding = ConvUtils.padding(kind, p, false);
        return self();
    }

    /** Only {@code "channels_last"} is supported. */
    public T dataFormat(String f) {
        ConvUtils.dataFormat(kind, f);
        return self();
    }

    public int[] poolSize() {
        return poolSize.clone();
    }

    protected int[] effectiveStrides() {
        return strides == null ? poolSize : strides;
    }

    protected boolean same() {
        return padding.equals("same");
    }

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
