package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * Base of the global pooling layers on channels_last {@code (batch, height, width, channels)}:
 * output {@code (batch, channels)}, or {@code (batch, 1, 1, channels)} with {@code keepdims}.
 */
public abstract class GlobalPooling2D<T extends GlobalPooling2D<T>> extends Layer {
    private final String kind;
    private boolean keepdims;

    /**
     * A global pooling layer named {@code kind} in messages, keepdims false.
     *
     * @param kind the layer's class name, used in error messages
     */
    protected GlobalPooling2D(String kind) {
        this.kind = kind;
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
     * Sets whether the pooled axes are kept with length 1, as numpy's {@code keepdims} (Keras's {@code keepdims}, default false).
     *
     * @param k true to keep the pooled axes
     * @return this layer
     */
    public T keepdims(boolean k) {
        this.keepdims = k;
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
     * Pools the input over its spatial axes.
     *
     * @param x the input {@code (batch, height, width, channels)}
     * @return the pooled tensor {@code (batch, features)}
     */
    protected abstract Tensor pool(Tensor x);

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor y = pool(x);
        if (!keepdims) return y;
        long[] s = y.shape();
        return Ops.reshape(y, s[0], 1, 1, s[1]);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return keepdims ? Shape.of(s.get(0), 1, 1, s.get(-1)) : Shape.of(s.get(0), s.get(-1));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("data_format", "channels_last");
        c.put("keepdims", keepdims);
        return c;
    }

    /** Reads {@code keepdims} (default false) and {@code data_format} into {@code l}. */
    static <T extends GlobalPooling2D<T>> T configure(T l, Map<String, Object> c) {
        l.keepdims(Configs.getBoolean(c, "keepdims", false));
        l.dataFormat(LayerConfigs.dataFormat(c));
        return l;
    }
}
