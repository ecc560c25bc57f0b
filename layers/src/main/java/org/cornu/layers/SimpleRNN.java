package org.cornu.layers;

import java.util.Map;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.saving.Configs;

/**
 * Fully-connected RNN whose output is fed back as the next step's state, {@code keras.layers.SimpleRNN},
 * on inputs {@code (batch, timesteps, features)}: {@code h_t = activation(x_t @ kernel + h_{t-1} @
 * recurrent_kernel + bias)}; kernel {@code (input_dim, units)}, recurrent kernel {@code (units,
 * units)}, bias {@code (units)}.
 *
 * <p>Output: {@code (batch, units)}, or {@code (batch, timesteps, units)} with
 * {@code returnSequences(true)}; {@code returnState(true)} adds the final state {@code (batch, units)}.
 * Options and their defaults are {@link RNNBase}'s.
 *
 * <pre>{@code
 * // (32, 10, 8) -> (32, 4)
 * SimpleRNN rnn = new SimpleRNN(4);
 * }</pre>
 */
public class SimpleRNN extends RNNBase {
    /**
     * A SimpleRNN of {@code units} units with Keras's defaults (tanh activation).
     *
     * @param units dimensionality of the output space (Keras's {@code units})
     */
    public SimpleRNN(int units) {
        super(units);
    }

    @Override
    public RnnOps.Cell cell() {
        return RnnOps.Cell.SIMPLE;
    }

    @Override
    protected RNNBase newInstance() {
        return new SimpleRNN(units);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SimpleRNN inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SimpleRNN name(String n) {
        return super.name(n);
    }

    @Override
    public Map<String, Object> getConfig() {
        return super.getConfig();
    }

    /**
     * Re-creates a SimpleRNN layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static SimpleRNN fromConfig(Map<String, Object> c) {
        return configure(new SimpleRNN(Configs.getInt(c, "units")), c);
    }
}
