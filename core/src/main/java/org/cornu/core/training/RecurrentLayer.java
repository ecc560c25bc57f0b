package org.cornu.core.training;

import org.cornu.core.ops.RnnOps;
import org.cornu.core.Weight;

/**
 * What the small-batch JVM training path ({@code SmallPath}) needs to know of a recurrent layer
 * (implemented by the layers module's {@code SimpleRNN}, {@code LSTM} and {@code GRU}).
 */
public interface RecurrentLayer {
    /**
     * The cell: SimpleRNN, LSTM or GRU.
     *
     * @return the cell
     */
    RnnOps.Cell cell();

    /**
     * The input kernel (Keras's {@code kernel}).
     *
     * @return the weight
     */
    Weight kernel();

    /**
     * The recurrent kernel (Keras's {@code recurrent_kernel}).
     *
     * @return the weight
     */
    Weight recurrentKernel();

    /**
     * The bias, or null without one.
     *
     * @return the weight, or null
     */
    Weight bias();

    /**
     * Keras's name of the activation.
     *
     * @return the name
     */
    String activationName();

    /**
     * Keras's name of the recurrent activation.
     *
     * @return the name
     */
    String recurrentActivationName();

    /**
     * Whether the layer is a plain last-output recurrence: no return_sequences or return_state,
     * no go_backwards, not stateful, no dropout or recurrent dropout, no regularizers.
     *
     * @return true for a plain last-output recurrence
     */
    boolean plainLastOutput();
}
