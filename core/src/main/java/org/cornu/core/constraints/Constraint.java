package org.cornu.core.constraints;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Projects a weight after each optimizer update, as {@code keras.constraints.Constraint}. */
public interface Constraint {
    /**
     * The constrained value of {@code w} (may be {@code w} modified in place).
     *
     * @param w the weight's value after an optimizer update
     * @return the constrained value
     */
    INDArray apply(INDArray w);

    /**
     * Keras's registered name, e.g. {@code max_norm}.
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
