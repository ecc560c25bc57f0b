package org.cornu.core.training;

import org.cornu.core.ops.RnnOps;
import org.cornu.core.Weight;

/**
 * What the small-batch JVM training path ({@code SmallPath}) needs to know of a recurrent layer
 * (implemented by the layers module's {@code SimpleRNN}, {@code LSTM} and {@code GRU}).
 */
public interface RecurrentLayer {
    /** The cell: SimpleRNN, LSTM or GRU. */
    RnnOps.Cell cell();

    Weight kernel();

    Weight recurrentKernel();

    /** The bias, or null without one. */
    Weight bias();

    /** Keras names of the activation and the recurrent activation. */
    String activationName();

    String recurrentActivationName();

    /**
     * Whether the layer is a plain last-output recurrence: no return_sequences or return_state,
     * no go_backwards, not stateful, no dropout or recurrent dropout, no regularizers.
     */
    boolean plainLastOutput();
}
