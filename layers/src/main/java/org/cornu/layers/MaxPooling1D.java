package org.cornu.layers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;

/**
 * Max pooling over time, {@code keras.layers.MaxPooling1D}, on {@code (batch, steps, channels)}:
 * windows of {@code pool_size} steps, {@code strides} defaulting to the pool size, padding
 * "valid" or "same". Runs as {@link ConvOps#maxPool2d} over a height of 1.
 */
public class MaxPooling1D extends Pooling1D<MaxPooling1D> {
    /** Windows of 2 steps, stride 2. */
    public MaxPooling1D() {
        this(2);
    }

    /**
     * Windows of {@code poolSize} steps, stride equal to the pool size, "valid" padding.
     *
     * @param poolSize size of the window (Keras's {@code pool_size}, default 2)
     */
    public MaxPooling1D(int poolSize) {
        super("MaxPooling1D", poolSize);
    }

    @Override
    protected Tensor pool(Tensor x, int[] pool, int[] strides, boolean same) {
        return ConvOps.maxPool2d(x, pool, strides, same);
    }

    /**
     * Re-creates a MaxPooling1D layer from Keras's config (pool_size 2, strides = pool_size, "valid" when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static MaxPooling1D fromConfig(Map<String, Object> c) {
        return configure(new MaxPooling1D(LayerConfigs.ints(c, "pool_size", 1, 2)[0]), c);
    }
}
