package org.cornu.layers;

import java.util.Map;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.saving.Configs;

/**
 * Gated recurrent unit, {@code keras.layers.GRU}: gates z, r, h in that order in kernel
 * {@code (input_dim, 3*units)} and recurrent kernel {@code (units, 3*units)}.
 * With {@code reset_after=True} (Keras 3's default and cuDNN's form) the bias is {@code (2, 3*units)}
 * (input bias, recurrent bias): {@code z = rec_act(x W_z + b_z + h U_z + br_z)}, likewise r,
 * {@code hh = act(x W_h + b_h + r * (h U_h + br_h))}. With {@code reset_after=False} (the original
 * form) the bias is {@code (3*units)}: {@code z = rec_act(x W_z + b_z + h U_z)}, likewise r,
 * {@code hh = act(x W_h + b_h + (r * h) U_h)}. Both: {@code h_t = z * h_{t-1} + (1 - z) * hh}.
 */
public class GRU extends RNNBase {
    private boolean resetAfter = true;

    /**
     * A GRU of {@code units} units with Keras's defaults (tanh, sigmoid gates, reset_after true).
     *
     * @param units dimensionality of the output space (Keras's {@code units})
     */
    public GRU(int units) {
        super(units);
    }

    /**
     * Sets whether the reset gate applies after ({@code true}) or before ({@code false}) the
     * recurrent product of the candidate (Keras's {@code reset_after}, default true); set it before the
     * layer is built.
     *
     * @param b the convention
     * @return this layer
     * @throws IllegalStateException if the layer is built and the value changes
     */
    public GRU resetAfter(boolean b) {
        if (built && b != resetAfter) {
            throw new IllegalStateException("Layer \"" + name() + "\": reset_after cannot change once the layer is built (it sets the bias shape)");
        }
        this.resetAfter = b;
        return this;
    }

    /**
     * Whether the reset gate is applied after the recurrent product.
     *
     * @return Keras's {@code reset_after}
     */
    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public RnnOps.Cell cell() {
        return RnnOps.Cell.GRU;
    }

    @Override
    protected void configureOptions(RnnOps.Options o) {
        o.resetAfter = resetAfter;
    }

    @Override
    protected RNNBase newInstance() {
        return new GRU(units).resetAfter(resetAfter);
    }

    @Override
    protected long[] biasShape() {
        return resetAfter ? new long[] {2, 3L * units} : new long[] {3L * units};
    }

    @Override
    @SuppressWarnings("unchecked")
    public GRU inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public GRU name(String n) {
        return super.name(n);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("reset_after", resetAfter);
        return c;
    }

    /**
     * Re-creates a GRU layer from Keras's config (reset_after true when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GRU fromConfig(Map<String, Object> c) {
        GRU l = configure(new GRU(Configs.getInt(c, "units")), c);
        l.resetAfter(Configs.getBoolean(c, "reset_after", true));
        return l;
    }
}
