package org.cornu.layers;

import java.util.Map;
import org.cornu.core.RnnOps;
import org.cornu.core.saving.Configs;

/** Gated recurrent unit, {@code keras.layers.GRU} with {@code reset_after=True} (Keras 3's default and cuDNN's form): gates z, r, h in that order in kernel {@code (input_dim, 3*units)} and recurrent kernel {@code (units, 3*units)}; bias {@code (2, 3*units)} (input bias, recurrent bias): {@code z = rec_act(x W_z + b_z + h U_z + br_z)}, likewise r, {@code hh = act(x W_h + b_h + r * (h U_h + br_h))}, {@code h_t = z * h_{t-1} + (1 - z) * hh}. */
public class GRU extends RNNBase {
    public GRU(int units) {
        super(units);
    }

    /** Only {@code true} (Keras 3's default) is implemented. */
    public GRU resetAfter(boolean b) {
        if (!b) throw new UnsupportedOperationException("Layer \"" + name() + "\": GRU(reset_after=False) is not implemented; use the default reset_after=True");
        return this;
    }

    @Override
    protected RnnOps.Cell cell() {
        return RnnOps.Cell.GRU;
    }

    @Override
    protected RNNBase newInstance() {
        return new GRU(units);
    }

    @Override
    protected long[] biasShape() {
        return new long[] {2, 3L * units};
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
        c.put("reset_after", true);
        return c;
    }

    /** Re-creates a GRU layer from Keras's config (reset_after true when absent; false is not implemented). */
    public static GRU fromConfig(Map<String, Object> c) {
        GRU l = configure(new GRU(Configs.getInt(c, "units")), c);
        l.resetAfter(Configs.getBoolean(c, "reset_after", true));
        return l;
    }
}
