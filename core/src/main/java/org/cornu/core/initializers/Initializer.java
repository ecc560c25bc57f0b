package org.cornu.core.initializers;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Creates a weight's initial value, as {@code keras.initializers.Initializer}. */
public interface Initializer {
    /**
     * A new array of the given shape and type.
     *
     * @param shape the weight's shape
     * @param dtype its data type
     * @return the initial value
     */
    INDArray apply(long[] shape, DataType dtype);

    /**
     * Keras's registered name, e.g. {@code glorot_uniform}.
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
