package org.cornu.core.regularizers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;

/** A penalty added to the loss, as {@code keras.regularizers.Regularizer}. */
public interface Regularizer {
    /**
     * The scalar penalty for {@code x}, differentiable.
     *
     * @param x the weight or the layer output
     * @return the penalty, a scalar
     */
    Tensor apply(Tensor x);

    /**
     * Keras's registered name, e.g. {@code l2}.
     *
     * @return the name
     */
    String name();

    /**
     * The same keys as Keras's {@code get_config()}.
     *
     * @return key to JSON-ready value
     */
    Map<String, Object> getConfig();
}
