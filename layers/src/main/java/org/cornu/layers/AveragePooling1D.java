package org.cornu.layers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;

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
public class AveragePooling1D extends Pooling1D<AveragePooling1D> {
    /**
     * Windows of {@code poolSize} steps, stride equal to the pool size, "valid" padding.
     *
     * @param poolSize size of the window (Keras's {@code pool_size}; required, as in Keras 3)
     */
    public AveragePooling1D(int poolSize) {
        super("AveragePooling1D", poolSize);
    }

    @Override
    protected Tensor pool(Tensor x, int[] pool, int[] strides, boolean same) {
        return ConvOps.avgPool2d(x, pool, strides, same);
    }

    /**
     * Re-creates an AveragePooling1D layer from Keras's config (strides = pool_size, "valid" when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static AveragePooling1D fromConfig(Map<String, Object> c) {
        return configure(new AveragePooling1D(LayerConfigs.ints(c, "pool_size", 1)[0]), c);
    }
}
