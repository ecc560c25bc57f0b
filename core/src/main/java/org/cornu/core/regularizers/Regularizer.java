package org.cornu.core.regularizers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;

/** A penalty added to the loss, as {@code keras.regularizers.Regularizer}. */
public interface Regularizer {
    /** The scalar penalty for {@code x}, differentiable. */
    Tensor apply(Tensor x);

    /** Keras's registered name, e.g. {@code l2}. */
    String name();

    Map<String, Object> getConfig();
}
