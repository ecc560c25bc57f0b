package org.cornu.layers;

import org.cornu.core.ops.ConvOps;
import org.cornu.core.autodiff.Tensor;

/**
 * Average pooling over 2-D windows, {@code keras.layers.AveragePooling2D}; channels_last.
 * With "same" padding a window is averaged over its real cells only (as TF).
 */
public class AveragePooling2D extends Pooling2D<AveragePooling2D> {
    /** 2x2 windows with stride 2. */
    public AveragePooling2D() {
        this(2);
    }

    /**
     * Windows of {@code poolSize}, strides equal to the pool size, "valid" padding.
     *
     * @param poolSize one int for both axes or {@code (ph, pw)} (Keras's {@code pool_size}, default {@code (2, 2)})
     */
    public AveragePooling2D(int... poolSize) {
        super("AveragePooling2D", poolSize);
    }

    @Override
    protected Tensor pool(Tensor x, int[] pool, int[] strides, boolean same) {
        return ConvOps.avgPool2d(x, pool, strides, same);
    }

    /**
     * Re-creates a AveragePooling2D layer from Keras's config (pool_size (2, 2), strides = pool_size, "valid" when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static AveragePooling2D fromConfig(java.util.Map<String, Object> c) {
        return configure(new AveragePooling2D(LayerConfigs.ints(c, "pool_size", 2, 2)), c);
    }
}
