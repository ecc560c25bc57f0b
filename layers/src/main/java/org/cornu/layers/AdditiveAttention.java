package org.cornu.layers;

import java.util.List;
import java.util.Map;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * Additive attention layer, a.k.a. Bahdanau-style attention, {@code keras.layers.AdditiveAttention}.
 *
 * <p>Inputs are a list with 2 or 3 elements:
 * <ol>
 *   <li>A {@code query} tensor of shape {@code (batch_size, Tq, dim)}.</li>
 *   <li>A {@code value} tensor of shape {@code (batch_size, Tv, dim)}.</li>
 *   <li>An optional {@code key} tensor of shape {@code (batch_size, Tv, dim)}. If none supplied,
 *       {@code value} will be used as {@code key}.</li>
 * </ol>
 *
 * <p>The calculation follows the steps:
 * <ol>
 *   <li>Calculate attention scores using {@code query} and {@code key} with shape
 *       {@code (batch_size, Tq, Tv)} as a non-linear sum
 *       {@code scores = reduce_sum(tanh(query + key), axis=-1)}.</li>
 *   <li>Use scores to calculate a softmax distribution with shape {@code (batch_size, Tq, Tv)}.</li>
 *   <li>Use the softmax distribution to create a linear combination of {@code value} with shape
 *       {@code (batch_size, Tq, dim)}.</li>
 * </ol>
 *
 * <p>With {@code use_scale} (the default) the layer holds a {@code scale} vector of shape
 * {@code (dim,)} (glorot_uniform) and the scores are {@code reduce_sum(scale * tanh(query + key), axis=-1)}.
 * Masks, {@code return_attention_scores} and {@code use_causal_mask} work as in {@link Attention}.
 */
public class AdditiveAttention extends Attention {
    /** An additive attention layer with Keras's defaults: {@code use_scale=True}, {@code dropout=0.0}. */
    public AdditiveAttention() {
        this.useScale = true;
    }

    @Override
    public AdditiveAttention useScale(boolean s) {
        super.useScale(s);
        return this;
    }

    @Override
    public AdditiveAttention dropout(double rate) {
        super.dropout(rate);
        return this;
    }

    /** Not an argument of AdditiveAttention: its scores are always additive. */
    @Override
    public AdditiveAttention scoreMode(String mode) {
        throw new UnsupportedOperationException("AdditiveAttention has no score_mode; use Attention for dot or concat scores");
    }

    @Override
    public String scoreMode() {
        return "additive";
    }

    @Override
    public void build(List<Shape> shapes) {
        validate(shapes.size());
        long dim = shapes.get(0).get(-1);
        if (useScale) scale = addWeight("scale", new long[] {dim}, Registry.initializer("glorot_uniform"), null, true, null);
        built = true;
    }

    @Override
    protected Tensor scores(Tensor q, Tensor k) {
        Tensor t = Ops.tanh(Ops.add(Ops.expandDims(q, -2), Ops.expandDims(k, -3)));
        if (scale != null) t = Ops.mul(scale.tensor(), t);
        return Ops.sum(t, -1, false);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.remove("score_mode");
        return c;
    }

    /**
     * Re-creates an AdditiveAttention layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static AdditiveAttention fromConfig(Map<String, Object> c) {
        AdditiveAttention a = new AdditiveAttention().useScale(Configs.getBoolean(c, "use_scale", true))
                .dropout(Configs.getDouble(c, "dropout", 0.0));
        Long s = Configs.getLongOrNull(c, "seed");
        if (s != null) a.seed(s);
        return a;
    }
}
