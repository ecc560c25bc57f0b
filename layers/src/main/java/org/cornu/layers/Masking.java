package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Skips timesteps whose features all equal {@code maskValue}, {@code keras.layers.Masking}:
 * the output is the input with those steps zeroed, carrying the mask {@code (batch, timesteps)}
 * for downstream recurrent layers.
 */
public class Masking extends Layer {
    private final double maskValue;

    /**
     * Masks the timesteps whose features are all 0 (Keras's default {@code mask_value=0.0}).
     */
    public Masking() {
        this(0.0);
    }

    /**
     * Masks the timesteps whose features all equal {@code maskValue}.
     *
     * @param maskValue the value marking a padded step (Keras's {@code mask_value}, default 0.0)
     */
    public Masking(double maskValue) {
        this.maskValue = maskValue;
        this.inputMinNdim = 3;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Masking inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        INDArray v = x.value();
        // keep[b, t] = any(x[b, t, :] != maskValue)
        INDArray keep = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero(
                v.sub(maskValue), v.rank() - 1)).gt(0).castTo(v.dataType());
        long[] ks = java.util.Arrays.copyOf(keep.shape(), v.rank());
        ks[v.rank() - 1] = 1;
        Tensor o = Ops.mul(x, Tensor.constant(keep.reshape(ks)));
        return o.withMask(keep);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        return List.of(inputShapes.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("mask_value", maskValue);
        return c;
    }

    /**
     * Re-creates a Masking layer from Keras's config (mask_value 0 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Masking fromConfig(Map<String, Object> c) {
        return new Masking(Configs.getDouble(c, "mask_value", 0.0));
    }
}
