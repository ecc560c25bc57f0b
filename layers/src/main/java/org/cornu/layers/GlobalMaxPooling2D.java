package org.cornu.layers;

import org.cornu.core.ops.ConvOps;
import org.cornu.core.autodiff.Tensor;

/**
 * Global max pooling operation for 2D data, {@code keras.layers.GlobalMaxPooling2D(data_format=None,
 * keepdims=False)}: the maximum of each channel over height and width.
 *
 * <p>{@code keepdims} ({@link #keepdims(boolean)}, default false): if false, the rank of the tensor is reduced for
 * the spatial dimensions; if true, the spatial dimensions are retained with length 1, as {@code np.max} with
 * {@code keepdims=True}.
 *
 * <p>Input shape: 4D tensor {@code (batch_size, height, width, channels)} (channels_last, the only data format
 * supported). Output shape: {@code (batch_size, channels)}, or {@code (batch_size, 1, 1, channels)} with
 * {@code keepdims}.
 *
 * <pre>{@code
 * INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4, 5, 3);
 * INDArray y = new GlobalMaxPooling2D().apply(x);   // shape (2, 3)
 * }</pre>
 */
public class GlobalMaxPooling2D extends GlobalPooling2D<GlobalMaxPooling2D> {
    /**
     * A layer taking the maximum over height and width, keepdims false.
     */
    public GlobalMaxPooling2D() {
        super("GlobalMaxPooling2D");
    }

    @Override
    protected Tensor pool(Tensor x) {
        return ConvOps.globalMaxPool(x);
    }

    /**
     * Re-creates a GlobalMaxPooling2D layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GlobalMaxPooling2D fromConfig(java.util.Map<String, Object> c) {
        return configure(new GlobalMaxPooling2D(), c);
    }
}
