package org.cornu.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;
import org.cornu.core.saving.KerasCallArguments;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dot-product attention layer, a.k.a. Luong-style attention, {@code keras.layers.Attention}.
 *
 * <p>Inputs are a list with 2 or 3 elements:
 * <ol>
 *   <li>A {@code query} tensor of shape {@code (batch_size, Tq, dim)}.</li>
 *   <li>A {@code value} tensor of shape {@code (batch_size, Tv, dim)}.</li>
 *   <li>An optional {@code key} tensor of shape {@code (batch_size, Tv, dim)}. If none supplied,
 *       {@code value} will be used as a {@code key}.</li>
 * </ol>
 *
 * <p>The calculation follows the steps:
 * <ol>
 *   <li>Calculate attention scores using {@code query} and {@code key} with shape
 *       {@code (batch_size, Tq, Tv)}.</li>
 *   <li>Use scores to calculate a softmax distribution with shape {@code (batch_size, Tq, Tv)}.</li>
 *   <li>Use the softmax distribution to create a linear combination of {@code value} with shape
 *       {@code (batch_size, Tq, dim)}.</li>
 * </ol>
 *
 * <p>Masks: the masks the inputs carry (an {@code Embedding(maskZero)} or {@code Masking}
 * upstream) are Keras's {@code mask=[query_mask, value_mask]}: with a {@code query_mask}, the
 * output is zero where the mask is false; with a {@code value_mask}, values at masked positions
 * do not contribute to the result. The output carries the query's mask.
 *
 * <p>Keras's call arguments {@code return_attention_scores} and {@code use_causal_mask} are held
 * by the layer ({@link #returnAttentionScores(boolean)}, {@link #useCausalMask(boolean)}) and
 * apply to each of its calls; a {@code .keras} file carries them in the call's {@code kwargs},
 * as Keras writes them.
 *
 * <pre>{@code
 * KerasTensor context = new Attention().apply(List.of(query, value));
 * List<KerasTensor> both = new Attention().returnAttentionScores(true).applyAll(List.of(query, value));
 * }</pre>
 */
public class Attention extends Layer implements KerasCallArguments {
    /**
     * Keras's {@code use_scale}: whether a learned scalar multiplies the scores (default false).
     */
    protected boolean useScale;
    private String scoreMode = "dot";
    /**
     * Keras's {@code dropout}: the fraction of attention weights dropped in training (default 0).
     */
    protected double dropout;
    private Long seed;
    private Random rng;
    private boolean returnAttentionScores;
    private boolean useCausalMask;
    /**
     * The learned scalar scale, or null without {@code use_scale} or before the layer is built.
     */
    protected Weight scale;
    private Weight concatScoreWeight;

    /** An attention layer with Keras's defaults: {@code use_scale=False}, {@code score_mode="dot"}, {@code dropout=0.0}. */
    public Attention() {}

    @Override
    @SuppressWarnings("unchecked")
    public Attention name(String n) {
        return super.name(n);
    }

    /**
     * If {@code true}, will create a scalar variable to scale the attention scores.
     *
     * @param s true for a learned scale (Keras's {@code use_scale}, default false)
     * @return this layer
     */
    public Attention useScale(boolean s) {
        this.useScale = s;
        return this;
    }

    /**
     * Function to use to compute attention scores, one of {@code "dot"}, {@code "concat"}.
     * {@code "dot"} refers to the dot product between the query and key vectors. {@code "concat"}
     * refers to the hyperbolic tangent of the concatenation of the {@code query} and {@code key} vectors.
     *
     * @param mode {@code "dot"} or {@code "concat"} (Keras's {@code score_mode}, default {@code "dot"})
     * @return this layer
     */
    public Attention scoreMode(String mode) {
        if (!"dot".equals(mode) && !"concat".equals(mode)) {
            throw new IllegalArgumentException("Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                    + "Received: score_mode=" + mode);
        }
        this.scoreMode = mode;
        return this;
    }

    /**
     * Float between 0 and 1. Fraction of the units to drop for the attention scores. Defaults to {@code 0.0}.
     *
     * @param rate the dropout rate (Keras's {@code dropout})
     * @return this layer
     */
    public Attention dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": dropout must be in [0, 1), received " + rate);
        }
        this.dropout = rate;
        return this;
    }

    /**
     * A seed for the dropout of the attention scores.
     *
     * @param s the seed (Keras's {@code seed}, default None)
     * @return this layer
     */
    public Attention seed(long s) {
        this.seed = s;
        this.rng = null;
        return this;
    }

    /**
     * Keras's call argument {@code return_attention_scores}: if {@code true}, each call returns the
     * attention scores (after masking and softmax, shape {@code (batch_size, Tq, Tv)}) as a second output.
     *
     * @param r true to also return the scores
     * @return this layer
     */
    public Attention returnAttentionScores(boolean r) {
        this.returnAttentionScores = r;
        return this;
    }

    /**
     * Keras's call argument {@code use_causal_mask}: set to {@code true} for decoder
     * self-attention. Adds a mask such that position {@code i} cannot attend to positions
     * {@code j > i}. This prevents the flow of information from the future towards the past.
     *
     * @param c true for a causal mask
     * @return this layer
     */
    public Attention useCausalMask(boolean c) {
        this.useCausalMask = c;
        return this;
    }

    /**
     * Whether the scores are multiplied by a learned scalar.
     *
     * @return Keras's {@code use_scale}
     */
    public boolean useScale() {
        return useScale;
    }

    /**
     * How query and key are scored.
     *
     * @return Keras's {@code score_mode}
     */
    public String scoreMode() {
        return scoreMode;
    }

    /**
     * The fraction of attention weights dropped in training.
     *
     * @return Keras's {@code dropout}
     */
    public double dropout() {
        return dropout;
    }

    /**
     * Whether the attention scores are returned as a second output.
     *
     * @return Keras's {@code return_attention_scores}
     */
    public boolean returnAttentionScores() {
        return returnAttentionScores;
    }

    /**
     * Whether a causal mask hides later positions.
     *
     * @return Keras's {@code use_causal_mask}
     */
    public boolean useCausalMask() {
        return useCausalMask;
    }

    /**
     * The {@code scale} weight, or null.
     *
     * @return the weight
     */
    public Weight scale() {
        return scale;
    }

    /**
     * The {@code concat_score_weight} weight ({@code score_mode="concat"}), or null.
     *
     * @return the weight
     */
    public Weight concatScoreWeight() {
        return concatScoreWeight;
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Checks the number of inputs: 2 ({@code [query, value]}) or 3 ({@code [query, value, key]}).
     *
     * @param n the number of inputs
     * @throws IllegalArgumentException otherwise
     */
    protected void validate(int n) {
        if (n < 2 || n > 3) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " layer accepts inputs list of length 2 or 3, "
                    + "namely [query, value] or [query, value, key]. Received length: " + n + " (layer \"" + name() + "\")");
        }
    }

    @Override
    public void build(List<Shape> shapes) {
        validate(shapes.size());
        if (useScale) scale = addWeight("scale", new long[0], Registry.initializer("ones"), null, true, null);
        if ("concat".equals(scoreMode)) {
            concatScoreWeight = addWeight("concat_score_weight", new long[0], Registry.initializer("ones"), null, true, null);
        }
        built = true;
    }

    @Override
    public void build(Shape inputShape) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " layer must be called on a list of inputs, "
                + "namely [query, value] or [query, value, key] (layer \"" + name() + "\")");
    }

    /** A scalar weight as a tensor broadcastable to rank {@code rank}. */
    static Tensor scalar(Weight w, int rank) {
        long[] ones = new long[rank];
        java.util.Arrays.fill(ones, 1);
        return Ops.reshape(w.tensor(), ones);
    }

    /**
     * Attention scores {@code (batch_size, Tq, Tv)} of {@code query} and {@code key}.
     *
     * @param q the query {@code (batch_size, Tq, dim)}
     * @param k the key {@code (batch_size, Tv, dim)}
     * @return the scores
     */
    protected Tensor scores(Tensor q, Tensor k) {
        if ("dot".equals(scoreMode)) {
            Tensor s = Ops.batchMatmul(q, Ops.transpose(k, 0, 2, 1));
            return scale == null ? s : Ops.mul(s, scalar(scale, 3));
        }
        Tensor sum = Ops.add(Ops.expandDims(q, -2), Ops.expandDims(k, -3));
        if (scale != null) sum = Ops.mul(scalar(scale, 4), sum);
        return Ops.mul(scalar(concatScoreWeight, 3), Ops.sum(Ops.tanh(sum), -1, false));
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        validate(inputs.size());
        Tensor q = inputs.get(0), v = inputs.get(1), k = inputs.size() > 2 ? inputs.get(2) : v;
        checkRank(q, "query");
        checkRank(v, "value");
        checkRank(k, "key");
        INDArray qMask = q.mask(), vMask = v.mask();
        Tensor s = scores(q, k);
        DataType dt = s.value().dataType();
        long b = s.shape()[0], tq = s.shape()[1], tv = s.shape()[2];
        INDArray scoresMask = null; // 1 = attend, broadcastable to (b, tq, tv)
        if (vMask != null) scoresMask = vMask.castTo(dt).gt(0.5).castTo(dt).reshape(b, 1, tv);
        if (useCausalMask) {
            INDArray causal = causalMask(tq, tv, dt).reshape(1, tq, tv);
            scoresMask = scoresMask == null ? causal : scoresMask.mul(causal);
        }
        if (scoresMask != null) {
            INDArray padding = scoresMask.rsub(1.0).muli(1.0e9);
            if (!java.util.Arrays.equals(padding.shape(), s.shape())) padding = padding.broadcast(s.shape()).dup('c');
            s = Ops.sub(s, Tensor.constant(padding));
        }
        Tensor weights = Ops.softmax(s, -1);
        Tensor w = weights;
        if (training && dropout > 0) {
            if (rng == null) rng = Nd4j.getRandomFactory().getNewRandomInstance(seed != null ? seed : Cornu.nextSeed());
            w = Ops.dropout(weights, dropout, rng);
        }
        Tensor out = Ops.batchMatmul(w, v);
        if (qMask != null) {
            INDArray m = qMask.castTo(dt).gt(0.5).castTo(dt).reshape(b, tq, 1);
            out = Ops.mul(out, Tensor.constant(m.broadcast(out.shape()).dup('c')));
            out.withMask(qMask);
        }
        return returnAttentionScores ? List.of(out, weights) : List.of(out);
    }

    private void checkRank(Tensor t, String what) {
        if (t.rank() != 3) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the " + what + " must have shape (batch_size, T, dim); "
                    + "received shape " + Shape.format(t.shape()));
        }
    }

    /** Keras's causal mask: 1 where row {@code i >= } column {@code j}, shape {@code (tq, tv)}. */
    static INDArray causalMask(long tq, long tv, DataType dt) {
        INDArray m = Nd4j.zeros(dt, tq, tv);
        for (long i = 0; i < tq; i++) for (long j = 0; j <= Math.min(i, tv - 1); j++) m.putScalar(i, j, 1.0);
        return m;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        validate(in.size());
        Shape q = in.get(0), v = in.get(1), k = in.size() > 2 ? in.get(2) : v;
        Shape out = q.with(-1, v.get(-1));
        if (!returnAttentionScores) return List.of(out);
        return List.of(out, Shape.of(q.get(0), q.get(1), k.get(1)));
    }

    /**
     * Eager call (inference) on {@code [query, value]} or {@code [query, value, key]}; the outputs as arrays.
     *
     * @param inputs {@code [query, value]} or {@code [query, value, key]}
     * @return {@code [output]}, or {@code [output, scores]} with {@code returnAttentionScores}
     */
    public List<INDArray> applyAll(INDArray... inputs) {
        List<Tensor> ts = new ArrayList<>();
        for (INDArray x : inputs) ts.add(Tensor.constant(x));
        List<INDArray> r = new ArrayList<>();
        for (Tensor t : invoke(ts, false)) r.add(t.value());
        return r;
    }

    // ------------------------------------------------------------------ config

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("use_scale", useScale);
        c.put("score_mode", scoreMode);
        c.put("dropout", dropout);
        c.put("seed", seed);
        return c;
    }

    /**
     * Re-creates an Attention layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Attention fromConfig(Map<String, Object> c) {
        Attention a = new Attention().useScale(Configs.getBoolean(c, "use_scale", false))
                .scoreMode(Configs.getString(c, "score_mode", "dot"))
                .dropout(Configs.getDouble(c, "dropout", 0.0));
        Long s = Configs.getLongOrNull(c, "seed");
        if (s != null) a.seed(s);
        return a;
    }

    Long seedValue() {
        return seed;
    }

    // ------------------------------------------------------------------ Keras's call arguments

    @Override
    public void toKerasCall(List<Object> inputs, List<Object> args, Map<String, Object> kwargs) {
        args.add(new ArrayList<>(inputs));
        if (returnAttentionScores) kwargs.put("return_attention_scores", true);
        if (useCausalMask) kwargs.put("use_causal_mask", true);
    }

    @Override
    public <T> List<T> fromKerasCall(List<T> args, Map<String, T> tensorKwargs, Map<String, Object> otherKwargs) {
        if (!tensorKwargs.isEmpty()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" (" + getClass().getSimpleName()
                    + "): Cornu cannot take the call arguments " + tensorKwargs.keySet()
                    + " as tensors; masks reach the layer with its inputs");
        }
        applyFlags(otherKwargs);
        return args;
    }

    void applyFlags(Map<String, Object> kwargs) {
        for (Map.Entry<String, Object> e : kwargs.entrySet()) {
            switch (e.getKey()) {
                case "return_attention_scores" -> returnAttentionScores = Boolean.TRUE.equals(e.getValue());
                case "use_causal_mask" -> useCausalMask = Boolean.TRUE.equals(e.getValue());
                case "training" -> { }
                default -> {
                    if (e.getValue() != null) {
                        throw new IllegalArgumentException("Layer \"" + name() + "\" (" + getClass().getSimpleName()
                                + "): unsupported call argument '" + e.getKey() + "' = " + e.getValue());
                    }
                }
            }
        }
    }
}
