package org.cornu.layers;

import java.util.Map;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.saving.Configs;

/** Fully-connected RNN, {@code keras.layers.SimpleRNN}: {@code h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)}; kernel {@code (input_dim, units)}, recurrent kernel {@code (units, units)}, bias {@code (units)}. */
public class SimpleRNN extends RNNBase {
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

    /** Re-creates a SimpleRNN layer from Keras's config (absent keys take Keras's defaults). */
    public static SimpleRNN fromConfig(Map<String, Object> c) {
        return configure(new SimpleRNN(Configs.getInt(c, "units")), c);
    }
}
