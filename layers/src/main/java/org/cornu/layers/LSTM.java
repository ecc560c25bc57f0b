package org.cornu.layers;

import java.util.Map;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.saving.Configs;

/**
 * Long short-term memory layer, {@code keras.layers.LSTM} (Hochreiter and Schmidhuber, 1997), on
 * inputs {@code (batch, timesteps, features)}. Keras's weight layout: kernel {@code (input_dim,
 * 4*units)}, recurrent kernel {@code (units, 4*units)}, bias {@code (4*units)}, gates in the order
 * i, f, c, o: {@code i = rec_act(z_i), f = rec_act(z_f), c_t = f * c_{t-1} + i * act(z_c),
 * o = rec_act(z_o), h_t = o * act(c_t)}, where {@code z = x_t W + h_{t-1} U + b}. States
 * {@code [h, c]}.
 *
 * <p>Output: {@code (batch, units)}, or {@code (batch, timesteps, units)} with
 * {@code returnSequences(true)}; {@code returnState(true)} adds the final {@code h} and {@code c},
 * each {@code (batch, units)}. Options and their defaults are {@link RNNBase}'s.
 *
 * <pre>{@code
 * // (32, 10, 8) -> (32, 4)
 * LSTM lstm = new LSTM(4);
 * // (32, 10, 8) -> (32, 10, 4), (32, 4), (32, 4)
 * LSTM full = new LSTM(4).returnSequences(true).returnState(true);
 * }</pre>
 */
public class LSTM extends RNNBase {
    private boolean unitForgetBias = true;

    /**
     * An LSTM of {@code units} units with Keras's defaults (tanh, sigmoid gates, unit_forget_bias).
     *
     * @param units dimensionality of the output space (Keras's {@code units})
     */
    public LSTM(int units) {
        super(units);
    }

    /**
     * Sets whether the forget gate's bias starts at 1, the other gates' from the bias initializer
     * (Keras's {@code unit_forget_bias}, default true).
     *
     * @param b true to add 1 to the forget gate's initial bias
     * @return this layer
     */
    public LSTM unitForgetBias(boolean b) {
        this.unitForgetBias = b;
        return this;
    }

    @Override
    public RnnOps.Cell cell() {
        return RnnOps.Cell.LSTM;
    }

    @Override
    protected RNNBase newInstance() {
        return new LSTM(units).unitForgetBias(unitForgetBias);
    }

    @Override
    protected org.cornu.core.Weight makeBias() {
        org.cornu.core.Weight w = super.makeBias();
        if (unitForgetBias) {
            // Keras: concat(bias_initializer(units), ones(units), bias_initializer(2 * units))
            org.nd4j.linalg.api.ndarray.INDArray v = w.value().dup();
            org.nd4j.linalg.api.ndarray.INDArray a = biasOptions.initializer().apply(new long[] {units}, v.dataType());
            org.nd4j.linalg.api.ndarray.INDArray b = biasOptions.initializer().apply(new long[] {2L * units}, v.dataType());
            org.nd4j.linalg.api.ndarray.INDArray full = org.nd4j.linalg.factory.Nd4j.concat(0, a,
                    org.nd4j.linalg.factory.Nd4j.ones(v.dataType(), units), b);
            w.assign(full);
        }
        return w;
    }

    @Override
    @SuppressWarnings("unchecked")
    public LSTM inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public LSTM name(String n) {
        return super.name(n);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("unit_forget_bias", unitForgetBias);
        return c;
    }

    /**
     * Re-creates a LSTM layer from Keras's config (absent keys take Keras's defaults; unit_forget_bias true).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static LSTM fromConfig(Map<String, Object> c) {
        LSTM l = configure(new LSTM(Configs.getInt(c, "units")), c);
        l.unitForgetBias(Configs.getBoolean(c, "unit_forget_bias", true));
        return l;
    }
}
