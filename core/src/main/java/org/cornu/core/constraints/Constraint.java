package org.cornu.core.constraints;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Projects a weight after each optimizer update, as {@code keras.constraints.Constraint}. */
public interface Constraint {
    /** The constrained value of {@code w} (may be {@code w} modified in place). */
    INDArray apply(INDArray w);

    String name();

    Map<String, Object> getConfig();
}
