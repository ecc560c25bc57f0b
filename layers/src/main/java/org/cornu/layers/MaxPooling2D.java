package org.cornu.layers;

import org.cornu.core.ops.ConvOps;
import org.cornu.core.autodiff.Tensor;

/** Max pooling over 2-D windows, {@code keras.layers.MaxPooling2D}; channels_last. */
public class MaxPooling2D extends Pooling2D<MaxPooling2D> {
    /** 2x2 windows with stride 2. */
    public MaxPooling2D() {
        this(2);
    }

    /** Windows {@code poolSize} (one int or {@code (ph, pw)}), strides equal to the pool size. */
    public MaxPooling2D(int... poolSize) {
        super("MaxPooling2D", poolSize);
    }

    @Override
    protected Tensor pool(Tensor x, int[] pool, int[] strides, boolean same) {
        return ConvOps.maxPool2d(x, pool, strides, same);
    }

    /** Re-creates a MaxPooling2D layer from Keras's config (pool_size (2, 2), strides = pool_size, "valid" when absent). */
    public static MaxPooling2D fromConfig(java.util.Map<String, Object> c) {
        return configure(new MaxPooling2D(LayerConfigs.ints(c, "pool_size", 2, 2)), c);
    }
}
