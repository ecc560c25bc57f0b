package org.cornu.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.LossCollector;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.AttentionOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.regularizers.Regularizer;
import org.cornu.core.saving.Configs;
import org.cornu.core.saving.KerasCallArguments;
import org.cornu.core.saving.KerasVariableGroups;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MultiHeadAttention layer, {@code keras.layers.MultiHeadAttention}.
 *
 * <p>This is an implementation of multi-headed attention as described in the paper "Attention is
 * all you Need" (Vaswani et al., 2017). If {@code query}, {@code key}, {@code value} are the same,
 * then this is self-attention. Each timestep in {@code query} attends to the corresponding
 * sequence in {@code key}, and returns a fixed-width vector.
 *
 * <p>This layer first projects {@code query}, {@code key} and {@code value}. These are
 * (effectively) a list of tensors of length {@code num_attention_heads}, where the corresponding
 * shapes are {@code (batch_size, <query dimensions>, key_dim)},
 * {@code (batch_size, <key/value dimensions>, key_dim)},
 * {@code (batch_size, <key/value dimensions>, value_dim)}.
 *
 * <p>Then, the query and key tensors are dot-producted and scaled. These are softmaxed to obtain
 * attention probabilities. The value tensors are then interpolated by these probabilities, then
 * concatenated back to a single tensor.
 *
 * <p>Finally, the result tensor with the last dimension as {@code value_dim} can take a linear
 * projection and return.
 *
 * <p>Weights, as Keras lays them out (its {@code EinsumDense} sub-layers {@code query},
 * {@code key}, {@code value} and {@code attention_output}): {@code query/kernel}
 * {@code (query_dim, num_heads, key_dim)} and {@code query/bias} {@code (num_heads, key_dim)};
 * the same for {@code key} (of the key's last dimension) and {@code value} (with
 * {@code value_dim}); {@code attention_output/kernel} {@code (num_heads, value_dim, *output_shape)}
 * and {@code attention_output/bias} {@code output_shape}. A {@code .keras} file holds them under
 * {@code query_dense}, {@code key_dense}, {@code value_dense} and {@code output_dense}.
 *
 * <p>Inputs: the list {@code [query, value]}, {@code [query, value, key]} or
 * {@code [query, value, key, attention_mask]} (pass {@code value} as {@code key} for an attention
 * mask without a separate key). {@code query} has shape {@code (B, T, dim)}, {@code value} and
 * {@code key} {@code (B, S, dim)}; {@code attention_mask} is a mask of shape {@code (B, T, S)}
 * (1 attends, 0 does not; broadcasting can happen for the missing batch dimensions and the head
 * dimension). The masks the inputs carry (an {@code Embedding(maskZero)} upstream) are Keras's
 * {@code query_mask}, {@code value_mask} and {@code key_mask}, merged with the attention mask
 * by logical AND; the output carries the query's mask.
 *
 * <p>Keras's call arguments {@code return_attention_scores} and {@code use_causal_mask} are held
 * by the layer ({@link #returnAttentionScores(boolean)}, {@link #useCausalMask(boolean)}) and
 * apply to each of its calls; a {@code .keras} file carries them in the call's {@code kwargs}.
 * Attention scores have shape {@code (B, num_heads, T, S)}.
 *
 * <pre>{@code
 * KerasTensor y = new MultiHeadAttention(2, 16).apply(x, x);                  // self-attention
 * KerasTensor d = new MultiHeadAttention(2, 16).useCausalMask(true).apply(x, x);
 * }</pre>
 */
public class MultiHeadAttention extends Layer implements KerasCallArguments, KerasVariableGroups {
    private final int numHeads;
    private final int keyDim;
    private Integer valueDim;
    private double dropout;
    private boolean useBias = true;
    private long[] outputShape;
    private int[] attentionAxes;
    private Integer slidingWindow;
    private final WeightOptions kernelOptions = WeightOptions.kernel();
    private final WeightOptions biasOptions = WeightOptions.bias();
    private Regularizer projectionActivityRegularizer;
    private Long seed;
    private Random rng;
    private boolean returnAttentionScores;
    private boolean useCausalMask;

    private Weight queryKernel, queryBias, keyKernel, keyBias, valueKernel, valueBias, outputKernel, outputBias;
    private long[] resolvedOutputShape;

    /**
     * A multi-head attention layer with {@code numHeads} heads of size {@code keyDim}.
     *
     * @param numHeads number of attention heads
     * @param keyDim size of each attention head for query and key
     */
    public MultiHeadAttention(int numHeads, int keyDim) {
        if (numHeads <= 0) {
            throw new IllegalArgumentException("Received an invalid value for argument `num_heads`, expected a positive integer. "
                    + "Received: num_heads=" + numHeads);
        }
        if (keyDim <= 0) {
            throw new IllegalArgumentException("Received an invalid value for argument `key_dim`, expected a positive integer. "
                    + "Received: key_dim=" + keyDim);
        }
        this.numHeads = numHeads;
        this.keyDim = keyDim;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MultiHeadAttention name(String n) {
        return super.name(n);
    }

    /**
     * Size of each attention head for value (default {@code key_dim}).
     *
     * @param d Keras's {@code value_dim}
     * @return this layer
     */
    public MultiHeadAttention valueDim(int d) {
        if (d <= 0) {
            throw new IllegalArgumentException("Received an invalid value for argument `value_dim`, expected a positive integer "
                    + "or `None`. Received: value_dim=" + d);
        }
        this.valueDim = d;
        return this;
    }

    /**
     * Dropout probability (of the attention probabilities, in training).
     *
     * @param rate the dropout rate (Keras's {@code dropout}, default 0)
     * @return this layer
     */
    public MultiHeadAttention dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": dropout must be in [0, 1), received " + rate);
        }
        this.dropout = rate;
        return this;
    }

    /**
     * Whether the dense layers use bias vectors/matrices (default true).
     *
     * @param b Keras's {@code use_bias}
     * @return this layer
     */
    public MultiHeadAttention useBias(boolean b) {
        this.useBias = b;
        return this;
    }

    /**
     * The expected shape of an output tensor, besides the batch and sequence dims. If not
     * specified, projects back to the query feature dim (the query input's last dimension).
     *
     * @param shape Keras's {@code output_shape}
     * @return this layer
     */
    public MultiHeadAttention outputShape(long... shape) {
        this.outputShape = shape == null || shape.length == 0 ? null : shape.clone();
        return this;
    }

    /**
     * Axes over which the attention is applied. Unset means attention over all axes, but batch, heads, and features.
     *
     * @param axes Keras's {@code attention_axes}
     * @return this layer
     */
    public MultiHeadAttention attentionAxes(int... axes) {
        this.attentionAxes = axes == null || axes.length == 0 ? null : axes.clone();
        return this;
    }

    /**
     * Restricts each query position to attend only to key positions within
     * {@code sliding_window - 1} of itself (a symmetric band); composes with {@code use_causal_mask}.
     *
     * @param w the window
     * @return this layer
     */
    public MultiHeadAttention slidingWindow(int w) {
        if (w <= 0) {
            throw new IllegalArgumentException("`sliding_window` must be `None` or a positive integer. Received: sliding_window=" + w);
        }
        this.slidingWindow = w;
        return this;
    }

    /**
     * Initializer for dense layer kernels (default glorot_uniform).
     *
     * @param i the initializer (Keras's {@code kernel_initializer})
     * @return this layer
     */
    public MultiHeadAttention kernelInitializer(Object i) {
        kernelOptions.initializer(i);
        return this;
    }

    /**
     * Initializer for dense layer biases (default zeros).
     *
     * @param i the initializer (Keras's {@code bias_initializer})
     * @return this layer
     */
    public MultiHeadAttention biasInitializer(Object i) {
        biasOptions.initializer(i);
        return this;
    }

    /**
     * Regularizer for dense layer kernels.
     *
     * @param r the regularizer, or null for none (Keras's {@code kernel_regularizer})
     * @return this layer
     */
    public MultiHeadAttention kernelRegularizer(Object r) {
        kernelOptions.regularizer(r);
        return this;
    }

    /**
     * Regularizer for dense layer biases.
     *
     * @param r the regularizer, or null for none (Keras's {@code bias_regularizer})
     * @return this layer
     */
    public MultiHeadAttention biasRegularizer(Object r) {
        biasOptions.regularizer(r);
        return this;
    }

    /**
     * Constraint for dense layer kernels.
     *
     * @param c the constraint, or null for none (Keras's {@code kernel_constraint})
     * @return this layer
     */
    public MultiHeadAttention kernelConstraint(Object c) {
        kernelOptions.constraint(c);
        return this;
    }

    /**
     * Constraint for dense layer biases.
     *
     * @param c the constraint, or null for none (Keras's {@code bias_constraint})
     * @return this layer
     */
    public MultiHeadAttention biasConstraint(Object c) {
        biasOptions.constraint(c);
        return this;
    }

    /**
     * Regularizer for dense layer activity: as in Keras, applied to the output of each of the four
     * projections ({@code query}, {@code key}, {@code value}, {@code attention_output}).
     */
    @Override
    @SuppressWarnings("unchecked")
    public MultiHeadAttention activityRegularizer(Object reg) {
        this.projectionActivityRegularizer = Registry.regularizer(reg);
        return this;
    }

    @Override
    public Regularizer activityRegularizer() {
        return projectionActivityRegularizer;
    }

    /**
     * Integer to seed the dropout layer.
     *
     * @param s Keras's {@code seed}
     * @return this layer
     */
    public MultiHeadAttention seed(long s) {
        this.seed = s;
        this.rng = null;
        return this;
    }

    /**
     * Keras's call argument {@code return_attention_scores}: each call returns
     * {@code (attention_output, attention_scores)} when true.
     *
     * @param r true to also return the scores
     * @return this layer
     */
    public MultiHeadAttention returnAttentionScores(boolean r) {
        this.returnAttentionScores = r;
        return this;
    }

    /**
     * Keras's call argument {@code use_causal_mask}: applies a causal mask to prevent tokens from
     * attending to future tokens (e.g., used in a decoder Transformer).
     *
     * @param c true for a causal mask
     * @return this layer
     */
    public MultiHeadAttention useCausalMask(boolean c) {
        this.useCausalMask = c;
        return this;
    }

    /**
     * The number of attention heads.
     *
     * @return Keras's {@code num_heads}
     */
    public int numHeads() {
        return numHeads;
    }

    /**
     * The size of each head for query and key.
     *
     * @return Keras's {@code key_dim}
     */
    public int keyDim() {
        return keyDim;
    }

    /**
     * The size of each head for value.
     *
     * @return Keras's {@code value_dim} ({@code key_dim} unless set)
     */
    public int valueDim() {
        return valueDim != null ? valueDim : keyDim;
    }

    /**
     * The dropout rate of the attention probabilities.
     *
     * @return Keras's {@code dropout}
     */
    public double dropout() {
        return dropout;
    }

    /**
     * Whether the projections have biases.
     *
     * @return Keras's {@code use_bias}
     */
    public boolean useBias() {
        return useBias;
    }

    /**
     * The attention axes: as given, or, once built, resolved as Keras resolves them; null when unset and unbuilt.
     *
     * @return the axes, or null
     */
    public int[] attentionAxes() {
        return attentionAxes == null ? null : attentionAxes.clone();
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
     * The weights of one of Keras's sub-layers, {@code "query"}, {@code "key"}, {@code "value"} or {@code "attention_output"}: kernel then bias (if any).
     *
     * @param sublayer the sub-layer's name
     * @return its kernel, then its bias when it has one
     */
    public List<Weight> sublayerWeights(String sublayer) {
        Weight k, b;
        switch (sublayer) {
            case "query" -> { k = queryKernel; b = queryBias; }
            case "key" -> { k = keyKernel; b = keyBias; }
            case "value" -> { k = valueKernel; b = valueBias; }
            case "attention_output" -> { k = outputKernel; b = outputBias; }
            default -> throw new IllegalArgumentException("MultiHeadAttention has no sub-layer '" + sublayer
                    + "' (query, key, value, attention_output)");
        }
        List<Weight> r = new ArrayList<>();
        if (k != null) r.add(k);
        if (b != null) r.add(b);
        return r;
    }

    // ------------------------------------------------------------------ build

    private void checkCount(int n) {
        if (n < 2 || n > 4) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" (MultiHeadAttention) takes [query, value], [query, value, key]"
                    + " or [query, value, key, attention_mask]; received " + n + " inputs");
        }
    }

    @Override
    public void build(Shape inputShape) {
        throw new IllegalArgumentException("Layer \"" + name() + "\" (MultiHeadAttention) takes at least [query, value]");
    }

    @Override
    public void build(List<Shape> shapes) {
        checkCount(shapes.size());
        long[] q = shapes.get(0).dims(), v = shapes.get(1).dims(), k = shapes.size() > 2 ? shapes.get(2).dims() : v;
        checkKeyValue(v, k);
        int rank = q.length + 1; // projected rank: (B, ..., heads, channels)
        if (attentionAxes == null) {
            attentionAxes = new int[rank - 3];
            for (int i = 0; i < attentionAxes.length; i++) attentionAxes[i] = i + 1;
        } else {
            int[] a = new int[attentionAxes.length];
            for (int i = 0; i < a.length; i++) a[i] = attentionAxes[i] >= 0 ? attentionAxes[i] : (rank - 1) + attentionAxes[i];
            attentionAxes = a;
        }
        for (int a : attentionAxes) {
            if (a < 1 || a > q.length - 2) {
                throw new IllegalArgumentException("Layer \"" + name() + "\": attention axis " + a + " is not a non-batch, "
                        + "non-feature axis of the query of shape " + Shape.format(q));
            }
        }
        long qd = q[q.length - 1], vd = v[v.length - 1], kd = k[k.length - 1];
        int vdim = valueDim();
        queryKernel = kernelOptions.add(this::addWeight, "query/kernel", qd, numHeads, keyDim);
        if (useBias) queryBias = biasOptions.add(this::addWeight, "query/bias", numHeads, keyDim);
        keyKernel = kernelOptions.add(this::addWeight, "key/kernel", kd, numHeads, keyDim);
        if (useBias) keyBias = biasOptions.add(this::addWeight, "key/bias", numHeads, keyDim);
        valueKernel = kernelOptions.add(this::addWeight, "value/kernel", vd, numHeads, vdim);
        if (useBias) valueBias = biasOptions.add(this::addWeight, "value/bias", numHeads, vdim);
        resolvedOutputShape = outputShape != null ? outputShape.clone() : new long[] {qd};
        long[] ok = new long[2 + resolvedOutputShape.length];
        ok[0] = numHeads;
        ok[1] = vdim;
        System.arraycopy(resolvedOutputShape, 0, ok, 2, resolvedOutputShape.length);
        outputKernel = kernelOptions.add(this::addWeight, "attention_output/kernel", ok);
        if (useBias) outputBias = biasOptions.add(this::addWeight, "attention_output/bias", resolvedOutputShape);
        built = true;
    }

    private void checkKeyValue(long[] v, long[] k) {
        boolean same = v.length == k.length;
        for (int i = 1; same && i < v.length - 1; i++) same = v[i] == k[i];
        if (!same) {
            throw new IllegalArgumentException("All dimensions of `value` and `key`, except the last one, must be equal. Received: "
                    + "value_shape=" + Shape.format(v) + " and key_shape=" + Shape.format(k) + " (layer \"" + name() + "\")");
        }
    }

    // ------------------------------------------------------------------ call

    /** {@code x} (..., d) times a kernel (d, *out) plus a bias (*out): Keras's EinsumDense projections. */
    private Tensor project(Tensor x, Weight kernel, Weight bias, int boundDims) {
        long[] xs = x.shape();
        long[] ks = kernel.shape();
        long in = 1, out = 1;
        for (int i = 0; i < boundDims; i++) in *= ks[i];
        for (int i = boundDims; i < ks.length; i++) out *= ks[i];
        long[] lead = Arrays.copyOf(xs, xs.length - boundDims);
        Tensor x2 = Ops.reshape(x, append(lead, in));
        Tensor y = Ops.linear(x2, Ops.reshape(kernel.tensor(), in, out), bias == null ? null : Ops.reshape(bias.tensor(), out));
        long[] full = append(lead, Arrays.copyOfRange(ks, boundDims, ks.length));
        y = Ops.reshape(y, full);
        if (projectionActivityRegularizer != null && LossCollector.active()) {
            LossCollector.add(Ops.mulScalar(projectionActivityRegularizer.apply(y), 1.0 / y.shape()[0]));
        }
        return y;
    }

    private static long[] append(long[] a, long... b) {
        long[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        checkCount(inputs.size());
        Tensor query = inputs.get(0), value = inputs.get(1);
        Tensor key = inputs.size() > 2 ? inputs.get(2) : null;
        INDArray attentionMask = inputs.size() > 3 ? inputs.get(3).value() : null;
        checkKeyValue(value.shape(), (key != null ? key : value).shape());
        if (query.rank() + 1 - 3 < attentionAxes.length || query.rank() != value.rank()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": query of shape " + Shape.format(query.shape())
                    + " and value of shape " + Shape.format(value.shape()) + " do not fit the layer built for rank "
                    + (queryKernel == null ? "?" : "query_dim " + queryKernel.shape()[0]));
        }
        DataType dt = query.value().dataType();
        INDArray mask = attentionMask(query, value, key, attentionMask, dt);

        Tensor q = project(query, queryKernel, queryBias, 1);            // (B, T..., N, H)
        Tensor k = project(key != null ? key : value, keyKernel, keyBias, 1); // (B, S..., N, H)
        Tensor v = project(value, valueKernel, valueBias, 1);          // (B, S..., N, Hv)

        int R = q.rank();
        List<Integer> batchDims = new ArrayList<>();
        for (int i = 0; i < R - 1; i++) {
            final int ax = i;
            if (Arrays.stream(attentionAxes).noneMatch(a -> a == ax)) batchDims.add(i);
        }
        int[] perm = new int[R];
        int p = 0;
        for (int d : batchDims) perm[p++] = d;
        for (int a : attentionAxes) perm[p++] = a;
        perm[p] = R - 1;
        long[] qs = q.shape(), ks = k.shape();
        long bflat = 1, tflat = 1, sflat = 1;
        List<Long> scoreShape = new ArrayList<>();
        for (int d : batchDims) { bflat *= qs[d]; scoreShape.add(qs[d]); }
        for (int a : attentionAxes) { tflat *= qs[a]; scoreShape.add(qs[a]); }
        for (int a : attentionAxes) { sflat *= ks[a]; scoreShape.add(ks[a]); }
        long[] fullScores = scoreShape.stream().mapToLong(Long::longValue).toArray();

        INDArray m = null;
        if (mask != null) {
            // Keras's _masked_softmax: expand from the heads axis until the ranks agree, then broadcast
            INDArray e = mask;
            int axis = -attentionAxes.length * 2 - 1;
            while (e.rank() < fullScores.length) {
                long[] es = e.shape();
                int at = es.length + 1 + axis;
                long[] ns = new long[es.length + 1];
                for (int i = 0, j = 0; i < ns.length; i++) ns[i] = i == at ? 1 : es[j++];
                e = e.reshape(ns);
            }
            m = e.castTo(dt).gt(0.5).castTo(dt);
        }
        Random dropRng = null;
        if (training && dropout > 0) {
            if (rng == null) rng = Nd4j.getRandomFactory().getNewRandomInstance(seed != null ? seed : Cornu.nextSeed());
            dropRng = rng;
        }
        double scale = 1.0 / Math.sqrt(keyDim);
        // one attention axis of a (B, T, N, H) projection is the op's own layout; other axes are
        // moved to (batch dims..., attention axes..., H) and flattened to one head of (B', T', 1, H)
        boolean direct = R == 4 && attentionAxes.length == 1 && attentionAxes[0] == 1;
        Tensor q4 = direct ? q : Ops.reshape(Ops.transpose(q, perm), bflat, tflat, 1, keyDim);
        Tensor k4 = direct ? k : Ops.reshape(Ops.transpose(k, perm), bflat, sflat, 1, keyDim);
        Tensor v4 = direct ? v : Ops.reshape(Ops.transpose(v, perm), bflat, sflat, 1, valueDim());
        INDArray m4 = m == null || direct ? m : m.broadcast(fullScores).dup('c').reshape(bflat, 1, tflat, sflat);
        AttentionOps.Result attended = AttentionOps.attention(q4, k4, v4, m4, scale, training ? dropout : 0, dropRng,
                returnAttentionScores);
        Tensor context = attended.output(); // (B, T..., N, Hv)
        if (!direct) {
            long[] ctxShape = new long[R];
            int c = 0;
            for (int d : batchDims) ctxShape[c++] = qs[d];
            for (int a : attentionAxes) ctxShape[c++] = qs[a];
            ctxShape[c] = valueDim();
            int[] inv = new int[R];
            for (int i = 0; i < R; i++) inv[perm[i]] = i;
            context = Ops.transpose(Ops.reshape(context, ctxShape), inv);
        }
        Tensor out = project(context, outputKernel, outputBias, 2);
        if (query.mask() != null) out.withMask(query.mask());
        if (returnAttentionScores) return List.of(out, Ops.reshape(attended.probabilities(), fullScores));
        return List.of(out);
    }

    /**
     * Keras's {@code _compute_attention_mask}: query mask {@code (B, T, 1)}, value and key masks
     * {@code (B, 1, S)}, causal {@code (1, T, S)}, sliding window {@code (1, T, S)} and the given
     * attention mask, merged by AND; null when there is none.
     */
    private INDArray attentionMask(Tensor query, Tensor value, Tensor key, INDArray attentionMask, DataType dt) {
        INDArray auto = null;
        long b = query.shape()[0], t = query.shape()[1], s = value.shape()[1];
        if (query.mask() != null) auto = and(auto, bool(query.mask(), dt).reshape(b, t, 1));
        if (value.mask() != null) auto = and(auto, bool(value.mask(), dt).reshape(b, 1, s));
        if (key != null && key.mask() != null) auto = and(auto, bool(key.mask(), dt).reshape(b, 1, s));
        if (useCausalMask) auto = and(auto, Attention.causalMask(t, s, dt).reshape(1, t, s));
        if (slidingWindow != null) {
            INDArray w = Nd4j.zeros(dt, 1, t, s);
            for (long i = 0; i < t; i++) for (long j = 0; j < s; j++) if (Math.abs(i - j) < slidingWindow) w.putScalar(0, i, j, 1.0);
            auto = and(auto, w);
        }
        INDArray am = attentionMask == null ? null : bool(attentionMask, dt);
        if (auto == null) return am;
        return am == null ? auto : and(am, auto);
    }

    private static INDArray bool(INDArray m, DataType dt) {
        return m.castTo(dt).gt(0.5).castTo(dt);
    }

    /** Logical AND of 0/1 arrays, numpy broadcasting. */
    private static INDArray and(INDArray a, INDArray b) {
        if (a == null) return b;
        Tensor r = Ops.mul(Tensor.constant(a), Tensor.constant(b));
        return r.value();
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        checkCount(in.size());
        long[] q = in.get(0).dims(), v = in.get(1).dims();
        checkKeyValue(v, in.size() > 2 ? in.get(2).dims() : v);
        long[] o = q;
        if (outputShape != null) o = append(Arrays.copyOf(q, q.length - 1), outputShape);
        Shape out = Shape.of(o);
        if (!returnAttentionScores) return List.of(out);
        // (B, non-attention dims..., heads, query attention dims..., key attention dims...)
        int[] axes = attentionAxes;
        if (axes == null) {
            axes = new int[q.length - 2];
            for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        }
        List<Long> s = new ArrayList<>();
        for (int i = 0; i < q.length - 1; i++) {
            final int ax = i;
            if (Arrays.stream(axes).noneMatch(a -> a == ax)) s.add(q[i]);
        }
        s.add((long) numHeads);
        for (int a : axes) s.add(q[a]);
        for (int a : axes) s.add(v[a]);
        return List.of(out, Shape.of(s.stream().mapToLong(Long::longValue).toArray()));
    }

    /**
     * Eager call (inference): {@code key} and {@code attentionMask} may be null. Returns the
     * attention output, and the attention scores when {@link #returnAttentionScores(boolean)} is set.
     *
     * @param query the query {@code (batch, Tq, dim)}
     * @param value the value {@code (batch, Tv, dim)}
     * @param key the key {@code (batch, Tv, dim)}, or null to use {@code value}
     * @param attentionMask a 0/1 mask {@code (batch, Tq, Tv)} of the positions that may be attended to, or null
     * @return {@code [output]}, or {@code [output, scores]}
     */
    public List<INDArray> applyAll(INDArray query, INDArray value, INDArray key, INDArray attentionMask) {
        List<Tensor> ts = new ArrayList<>(List.of(Tensor.constant(query), Tensor.constant(value)));
        if (key != null || attentionMask != null) ts.add(Tensor.constant(key != null ? key : value));
        if (attentionMask != null) ts.add(Tensor.constant(attentionMask));
        List<INDArray> r = new ArrayList<>();
        for (Tensor t : invoke(ts, false)) r.add(t.value());
        return r;
    }

    @Override
    protected void checkInputs(List<Shape> shapes, boolean concrete) {
        checkCount(shapes.size());
    }

    // ------------------------------------------------------------------ config and saving

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("num_heads", numHeads);
        c.put("key_dim", keyDim);
        c.put("value_dim", valueDim());
        c.put("dropout", dropout);
        c.put("use_bias", useBias);
        c.put("use_gate", false);
        c.put("output_shape", outputShape == null ? null : longs(outputShape));
        c.put("attention_axes", attentionAxes == null ? null : ints(attentionAxes));
        c.put("sliding_window", slidingWindow);
        WeightOptions.putConfigWithActivity(c, projectionActivityRegularizer, kernelOptions, biasOptions);
        c.put("seed", seed);
        return c;
    }

    private static List<Object> longs(long[] a) {
        List<Object> l = new ArrayList<>();
        for (long x : a) l.add(x);
        return l;
    }

    private static List<Object> ints(int[] a) {
        List<Object> l = new ArrayList<>();
        for (int x : a) l.add(x);
        return l;
    }

    /**
     * Re-creates a MultiHeadAttention layer from Keras's config ({@code use_gate=True} is not supported).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static MultiHeadAttention fromConfig(Map<String, Object> c) {
        MultiHeadAttention m = new MultiHeadAttention(Configs.getInt(c, "num_heads"), Configs.getInt(c, "key_dim"));
        if (c.get("value_dim") != null) m.valueDim(Configs.getInt(c, "value_dim"));
        m.dropout(Configs.getDouble(c, "dropout", 0.0));
        m.useBias(Configs.getBoolean(c, "use_bias", true));
        if (Configs.getBoolean(c, "use_gate", false)) {
            throw new IllegalArgumentException("MultiHeadAttention \"" + c.get("name") + "\": use_gate=True (gated attention) is not "
                    + "supported by Cornu");
        }
        Object os = c.get("output_shape");
        if (os instanceof Number n) m.outputShape(n.longValue());
        else if (os instanceof List<?>) m.outputShape(Configs.getLongs(c, "output_shape"));
        Object ax = c.get("attention_axes");
        if (ax instanceof Number n) m.attentionAxes(n.intValue());
        else if (ax instanceof List<?> l) {
            int[] a = new int[l.size()];
            for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).intValue();
            m.attentionAxes(a);
        }
        if (c.get("sliding_window") != null) m.slidingWindow(Configs.getInt(c, "sliding_window"));
        WeightOptions.readConfig(c, m.kernelOptions, m.biasOptions);
        if (c.get("activity_regularizer") != null) m.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        Long s = Configs.getLongOrNull(c, "seed");
        if (s != null) m.seed(s);
        return m;
    }

    /**
     * Keras saves the variables under the layer's sub-objects: {@code query_dense}, {@code key_dense},
     * {@code value_dense}, {@code output_dense}, and the empty {@code _softmax} and {@code _dropout_layer}.
     */
    @Override
    public Map<String, List<Weight>> kerasVariableGroups() {
        Map<String, List<Weight>> g = new LinkedHashMap<>();
        g.put("_dropout_layer", List.of());
        g.put("_softmax", List.of());
        g.put("key_dense", sublayerWeights("key"));
        g.put("output_dense", sublayerWeights("attention_output"));
        g.put("query_dense", sublayerWeights("query"));
        g.put("value_dense", sublayerWeights("value"));
        return g;
    }

    @Override
    public void toKerasCall(List<Object> inputs, List<Object> args, Map<String, Object> kwargs) {
        args.add(inputs.get(0));
        args.add(inputs.get(1));
        if (inputs.size() > 2) kwargs.put("key", inputs.get(2));
        if (inputs.size() > 3) kwargs.put("attention_mask", inputs.get(3));
        if (returnAttentionScores) kwargs.put("return_attention_scores", true);
        if (useCausalMask) kwargs.put("use_causal_mask", true);
    }

    @Override
    public <T> List<T> fromKerasCall(List<T> args, Map<String, T> tensorKwargs, Map<String, Object> otherKwargs) {
        List<T> r = new ArrayList<>(args);
        if (r.size() < 2) {
            if (tensorKwargs.containsKey("query") && r.isEmpty()) r.add(tensorKwargs.get("query"));
            if (tensorKwargs.containsKey("value") && r.size() == 1) r.add(tensorKwargs.get("value"));
        }
        if (r.size() < 2 || r.size() > 3) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" (MultiHeadAttention): a call needs query and value (and at "
                    + "most a key) as positional arguments; received " + r.size());
        }
        T key = r.size() > 2 ? r.get(2) : tensorKwargs.get("key");
        T am = tensorKwargs.get("attention_mask");
        for (String k : tensorKwargs.keySet()) {
            if (!List.of("query", "value", "key", "attention_mask").contains(k)) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" (MultiHeadAttention): Cornu cannot take the call "
                        + "argument '" + k + "' as a tensor; masks reach the layer with its inputs");
            }
        }
        List<T> out = new ArrayList<>(r.subList(0, 2));
        if (key != null || am != null) out.add(key != null ? key : r.get(1));
        if (am != null) out.add(am);
        for (Map.Entry<String, Object> e : otherKwargs.entrySet()) {
            switch (e.getKey()) {
                case "return_attention_scores" -> returnAttentionScores = Boolean.TRUE.equals(e.getValue());
                case "use_causal_mask" -> useCausalMask = Boolean.TRUE.equals(e.getValue());
                case "training", "query_mask", "value_mask", "key_mask", "attention_mask", "key" -> {
                    if (e.getValue() != null && !"training".equals(e.getKey())) {
                        throw new IllegalArgumentException("Layer \"" + name() + "\" (MultiHeadAttention): unsupported call argument '"
                                + e.getKey() + "' = " + e.getValue());
                    }
                }
                default -> throw new IllegalArgumentException("Layer \"" + name() + "\" (MultiHeadAttention): unsupported call "
                        + "argument '" + e.getKey() + "' = " + e.getValue());
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> kerasBuildConfig(List<Object> inputShapes) {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("query_shape", inputShapes.get(0));
        sd.put("value_shape", inputShapes.get(1));
        if (inputShapes.size() > 2) sd.put("key_shape", inputShapes.get(2));
        Map<String, Object> bc = new LinkedHashMap<>();
        bc.put("shapes_dict", sd);
        return bc;
    }
}
