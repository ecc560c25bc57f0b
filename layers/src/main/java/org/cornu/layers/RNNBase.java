package org.cornu.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.kernels.Workspaces;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shared configuration and running of {@link SimpleRNN}, {@link LSTM} and {@link GRU}: input
 * {@code (batch, timesteps, features)}; the whole sequence runs as one fused tape node
 * ({@link RnnOps#rnn}). Extra inputs after the sequence are initial states (Keras's
 * {@code initial_state}); with {@code returnState} the outputs are {@code [output, h (, c)]}.
 * A mask attached to the input ({@link Tensor#mask()}) skips timesteps: a masked step keeps
 * the previous state and outputs the previous output (zeros with {@code zeroOutputForMask}).
 */
public abstract class RNNBase extends Layer implements org.cornu.core.saving.KerasVariableGroups, org.cornu.core.training.RecurrentLayer {
    /**
     * The dimensionality of the output space and of each state (Keras's {@code units}).
     */
    protected final int units;
    /**
     * The activation of the candidate/output, by name (Keras's {@code activation}, default {@code "tanh"}).
     */
    protected String activation = "tanh";
    /**
     * The activation of the gates, by name (Keras's {@code recurrent_activation}, default {@code "sigmoid"}).
     */
    protected String recurrentActivation = "sigmoid";
    /**
     * Whether the layer has a bias (Keras's {@code use_bias}, default true).
     */
    protected boolean useBias = true;
    /** Keras's {@code kernel_*}, {@code recurrent_*} and {@code bias_*} arguments. */
    final WeightOptions kernelOptions = WeightOptions.kernel(), recurrentOptions = WeightOptions.recurrent(),
            biasOptions = WeightOptions.bias();
    /**
     * Keras's {@code return_sequences}, {@code return_state}, {@code go_backwards}, {@code stateful},
     * {@code unroll} and {@code zero_output_for_mask}, all false by default.
     */
    protected boolean returnSequences, returnState, goBackwards, stateful, unroll, zeroOutputForMask;
    /** Set by Bidirectional: sequence outputs in input time order when going backwards. */
    boolean restoreOrder;
    /**
     * The input kernel, recurrent kernel and bias (null until built; bias null without {@code use_bias}).
     */
    protected Weight kernel, recurrentKernel, bias;
    private INDArray[] states;
    /**
     * Keras's {@code dropout} and {@code recurrent_dropout} rates, 0 by default.
     */
    protected double dropout, recurrentDropout;
    /**
     * Seed of the dropout masks (Keras's {@code seed}); null draws one from {@link org.cornu.core.Cornu#setSeed}'s generator.
     */
    protected Long seed;
    private java.util.Random rng;

    /**
     * A recurrent layer of {@code units} units with Keras's defaults.
     *
     * @param units dimensionality of the output space, a positive integer (Keras's {@code units})
     * @throws IllegalArgumentException if {@code units} is not positive
     */
    protected RNNBase(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Received an invalid value for argument `units`, expected a positive integer, got " + units + ".");
        }
        this.units = units;
        this.inputNdim = 3;
    }

    /** Gates per unit: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
    @Override
    public abstract RnnOps.Cell cell();

    /**
     * A new layer of the same class and configuration, unbuilt (Bidirectional's backward copy).
     *
     * @return the new layer
     */
    protected abstract RNNBase newInstance();

    RNNBase copyConfig() {
        RNNBase c = newInstance();
        c.activation = activation;
        c.recurrentActivation = recurrentActivation;
        c.useBias = useBias;
        c.kernelOptions.copyFrom(kernelOptions);
        c.recurrentOptions.copyFrom(recurrentOptions);
        c.biasOptions.copyFrom(biasOptions);
        c.returnSequences = returnSequences;
        c.returnState = returnState;
        c.goBackwards = goBackwards;
        c.stateful = stateful;
        c.zeroOutputForMask = zeroOutputForMask;
        c.dropout = dropout;
        c.recurrentDropout = recurrentDropout;
        c.seed = seed == null ? null : seed + 1;
        return c;
    }

    // ------------------------------------------------------------------ options (Keras names)

    @SuppressWarnings("unchecked")
    private <T extends RNNBase> T self() {
        return (T) this;
    }

    /**
     * Sets the activation of the candidate/output: tanh, sigmoid, relu, linear or hard_sigmoid, by name or object; null means linear (Keras's {@code activation}, default {@code "tanh"}).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param a the activation
     * @return this layer
     */
    public <T extends RNNBase> T activation(Object a) {
        this.activation = checkAct(a, "activation");
        return self();
    }

    /**
     * Sets the activation of the gates, one of those {@link #activation} takes (Keras's {@code recurrent_activation}, default {@code "sigmoid"}).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param a the activation
     * @return this layer
     */
    public <T extends RNNBase> T recurrentActivation(Object a) {
        this.recurrentActivation = checkAct(a, "recurrent_activation");
        return self();
    }

    private String checkAct(Object a, String arg) {
        String n = a == null ? "linear" : a instanceof String str && RnnOps.supportsActivation(str) ? str : Registry.activation(a).name();
        if (!RnnOps.supportsActivation(n)) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": unsupported " + arg + "=" + n
                    + "; the recurrent layers support tanh, sigmoid, relu, linear and hard_sigmoid");
        }
        return n;
    }

    /**
     * Sets whether the layer adds a bias vector (Keras's {@code use_bias}, default true).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param b true to use a bias
     * @return this layer
     */
    public <T extends RNNBase> T useBias(boolean b) { this.useBias = b; return self(); }
    /**
     * Sets the kernel's initializer, by name or object (Keras's {@code kernel_initializer}, default {@code "glorot_uniform"}).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param i the initializer
     * @return this layer
     */
    public <T extends RNNBase> T kernelInitializer(Object i) { kernelOptions.initializer(i); return self(); }
    /**
     * Sets the recurrent kernel's initializer (Keras's {@code recurrent_initializer}, default {@code "orthogonal"}).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param i the initializer
     * @return this layer
     */
    public <T extends RNNBase> T recurrentInitializer(Object i) { recurrentOptions.initializer(i); return self(); }
    /**
     * Sets the bias's initializer, by name or object (Keras's {@code bias_initializer}, default {@code "zeros"}).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param i the initializer
     * @return this layer
     */
    public <T extends RNNBase> T biasInitializer(Object i) { biasOptions.initializer(i); return self(); }
    /**
     * Sets a regularizer on the kernel, by name or object (Keras's {@code kernel_regularizer}, default None).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public <T extends RNNBase> T kernelRegularizer(Object r) { kernelOptions.regularizer(r); return self(); }
    /**
     * Sets a regularizer on the recurrent kernel (Keras's {@code recurrent_regularizer}, default None).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public <T extends RNNBase> T recurrentRegularizer(Object r) { recurrentOptions.regularizer(r); return self(); }
    /**
     * Sets a regularizer on the bias, by name or object (Keras's {@code bias_regularizer}, default None).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public <T extends RNNBase> T biasRegularizer(Object r) { biasOptions.regularizer(r); return self(); }
    /**
     * Sets a constraint applied to the kernel after each optimizer update (Keras's {@code kernel_constraint}, default None).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param c the constraint, or null for none
     * @return this layer
     */
    public <T extends RNNBase> T kernelConstraint(Object c) { kernelOptions.constraint(c); return self(); }
    /**
     * Sets a constraint applied to the recurrent kernel after each update (Keras's {@code recurrent_constraint}, default None).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param c the constraint, or null for none
     * @return this layer
     */
    public <T extends RNNBase> T recurrentConstraint(Object c) { recurrentOptions.constraint(c); return self(); }
    /**
     * Sets a constraint applied to the bias after each optimizer update (Keras's {@code bias_constraint}, default None).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param c the constraint, or null for none
     * @return this layer
     */
    public <T extends RNNBase> T biasConstraint(Object c) { biasOptions.constraint(c); return self(); }
    /**
     * Sets whether to return the whole output sequence {@code (batch, timesteps, units)} rather than the last output {@code (batch, units)} (Keras's {@code return_sequences}, default false).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param b true for the whole sequence
     * @return this layer
     */
    public <T extends RNNBase> T returnSequences(boolean b) { this.returnSequences = b; return self(); }
    /**
     * Sets whether to return the final states as extra outputs after the output: {@code [output, h]}, or {@code [output, h, c]} for LSTM (Keras's {@code return_state}, default false).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param b true to return the states
     * @return this layer
     */
    public <T extends RNNBase> T returnState(boolean b) { this.returnState = b; return self(); }
    /**
     * Sets whether to process the sequence backwards; the returned sequence is then in reversed order (Keras's {@code go_backwards}, default false).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param b true to go backwards
     * @return this layer
     */
    public <T extends RNNBase> T goBackwards(boolean b) { this.goBackwards = b; return self(); }
    /**
     * Sets whether the last states of each batch become the initial states of the next batch, sample i following sample i ({@link #resetStates()} clears them) (Keras's {@code stateful}, default false).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param b true for a stateful layer
     * @return this layer
     */
    public <T extends RNNBase> T stateful(boolean b) { this.stateful = b; return self(); }
    /**
     * Accepted for Keras compatibility (Keras's {@code unroll}, default false); the fused loop runs step by step either way.
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param b ignored
     * @return this layer
     */
    public <T extends RNNBase> T unroll(boolean b) { this.unroll = b; return self(); }
    /**
     * Sets whether masked steps output zeros instead of the previous output (Keras's {@code zero_output_for_mask}, default false).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param b true to output zeros
     * @return this layer
     */
    public <T extends RNNBase> T zeroOutputForMask(boolean b) { this.zeroOutputForMask = b; return self(); }

    /**
     * Sets the fraction of input features dropped in training, one mask per sequence (Keras's {@code dropout}, default 0).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param rate a rate in {@code [0, 1)}
     * @return this layer
     */
    public <T extends RNNBase> T dropout(double rate) { this.dropout = checkRate(rate, "dropout"); return self(); }
    /**
     * Sets the fraction of state units dropped where the state enters the recurrent product, in training, one mask per sequence (Keras's {@code recurrent_dropout}, default 0).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param rate a rate in {@code [0, 1)}
     * @return this layer
     */
    public <T extends RNNBase> T recurrentDropout(double rate) { this.recurrentDropout = checkRate(rate, "recurrent_dropout"); return self(); }
    /**
     * Sets the seed of the dropout masks (Keras's {@code seed}, default None).
     *
     * @param <T> the concrete layer class, inferred at the call site
     * @param s the seed
     * @return this layer
     */
    public <T extends RNNBase> T seed(long s) { this.seed = s; this.rng = null; return self(); }

    private double checkRate(double r, String arg) {
        if (!(r >= 0 && r < 1)) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": `" + arg + "` must be in [0, 1), received " + arg + "=" + r);
        }
        return r;
    }

    private double[] dropMask(int n, double rate) {
        if (rng == null) rng = new java.util.Random(seed != null ? seed : org.cornu.core.Cornu.nextSeed());
        double[] m = new double[n];
        double keep = 1.0 / (1.0 - rate);
        for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < rate ? 0 : keep;
        return m;
    }

    /**
     * The number of units.
     *
     * @return Keras's {@code units}
     */
    public int units() { return units; }
    /**
     * Whether the whole output sequence is returned.
     *
     * @return Keras's {@code return_sequences}
     */
    public boolean returnSequences() { return returnSequences; }
    /**
     * Whether the final states are returned too.
     *
     * @return Keras's {@code return_state}
     */
    public boolean returnState() { return returnState; }
    /**
     * Whether the sequence is processed backwards.
     *
     * @return Keras's {@code go_backwards}
     */
    public boolean goBackwards() { return goBackwards; }
    /**
     * The input kernel, {@code (input_dim, gates*units)}.
     *
     * @return the weight, or null before the layer is built
     */
    public Weight kernel() { return kernel; }
    /**
     * The recurrent kernel, {@code (units, gates*units)}.
     *
     * @return the weight, or null before the layer is built
     */
    public Weight recurrentKernel() { return recurrentKernel; }
    /**
     * The bias, {@code (gates*units)} (GRU with reset_after: {@code (2, 3*units)}).
     *
     * @return the weight, or null before the layer is built or without a bias
     */
    public Weight bias() { return bias; }

    @Override
    public String activationName() {
        return activation;
    }

    @Override
    public String recurrentActivationName() {
        return recurrentActivation;
    }

    @Override
    public boolean plainLastOutput() {
        return !returnSequences && !returnState && !goBackwards && !stateful && dropout == 0 && recurrentDropout == 0
                && kernelOptions.regularizer() == null && recurrentOptions.regularizer() == null && biasOptions.regularizer() == null
                && activityRegularizer() == null;
    }

    /**
     * The number of state tensors.
     *
     * @return 2 for LSTM (h and c), 1 otherwise
     */
    protected int stateCount() {
        return cell() == RnnOps.Cell.LSTM ? 2 : 1;
    }

    /**
     * The shape of the bias weight.
     *
     * @return {@code (gates*units)} by default
     */
    protected long[] biasShape() {
        return new long[] {gates() * (long) units};
    }

    /**
     * The number of gates per unit.
     *
     * @return 1 (SimpleRNN), 4 (LSTM) or 3 (GRU)
     */
    protected int gates() {
        return switch (cell()) { case LSTM -> 4; case GRU -> 3; default -> 1; };
    }

    /**
     * Sets cell-specific options of the fused loop (GRU: reset_after); none by default.
     *
     * @param o the options to fill in
     */
    protected void configureOptions(RnnOps.Options o) {}

    /**
     * Creates the bias weight; LSTM overrides it for unit_forget_bias.
     *
     * @return the new bias weight
     */
    protected Weight makeBias() {
        return biasOptions.add(this::addWeight, "bias", biasShape());
    }

    @Override
    public void build(Shape inputShape) {
        long in = inputShape.get(-1);
        if (in < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the last dimension of the input must be known, got " + inputShape);
        }
        long gu = gates() * (long) units;
        kernel = kernelOptions.add(this::addWeight, "kernel", in, gu);
        recurrentKernel = recurrentOptions.add(this::addWeight, "recurrent_kernel", units, gu);
        if (useBias) bias = makeBias();
        inputAxes.put(-1, in);
        built = true;
    }

    @Override
    public void build(List<Shape> inputShapes) {
        build(inputShapes.get(0));
    }

    /** Sets the states of a stateful layer to zeros. */
    public void resetStates() {
        if (states != null) for (INDArray s : states) s.assign(0);
    }

    /**
     * The current states of a stateful layer.
     *
     * @return {@code [h]} or {@code [h, c]}, or null before the first call
     */
    public List<INDArray> states() {
        return states == null ? null : List.of(states);
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        Tensor x = inputs.get(0);
        if (x.rank() != 3) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=3, found ndim="
                    + x.rank() + ". Full shape received: " + Shape.format(x.shape()));
        }
        long batch = x.shape()[0];
        List<Tensor> init = new ArrayList<>();
        if (inputs.size() > 1) {
            if (inputs.size() - 1 != stateCount()) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" expects " + stateCount() + " initial state(s), but it received "
                        + (inputs.size() - 1));
            }
            init.addAll(inputs.subList(1, inputs.size()));
        } else if (stateful) {
            if (states == null || states[0].size(0) != batch) {
                if (states != null) {
                    throw new IllegalArgumentException("Layer \"" + name() + "\" is stateful with batch size " + states[0].size(0)
                            + ", but it received a batch of " + batch + " samples; stateful RNNs need a fixed batch size");
                }
                try (MemoryWorkspace ws = Workspaces.outside()) {
                    states = new INDArray[stateCount()];
                    for (int i = 0; i < states.length; i++) states[i] = Nd4j.zeros(x.value().dataType(), batch, units);
                }
            }
            for (INDArray s : states) init.add(Tensor.constant(s.dup()));
        }
        INDArray mask = x.mask();
        if (training && dropout > 0) {
            long[] s = x.shape();
            INDArray dm = Nd4j.create(dropMask((int) (s[0] * s[2]), dropout), new long[] {s[0], 1, s[2]}, x.value().dataType());
            x = org.cornu.core.ops.Ops.mul(x, Tensor.constant(dm));
        }
        RnnOps.Options o = new RnnOps.Options();
        if (training && recurrentDropout > 0) o.recurrentMask = dropMask((int) (batch * units), recurrentDropout);
        o.cell = cell();
        o.activation = activation;
        o.recurrentActivation = recurrentActivation;
        o.goBackwards = goBackwards;
        o.restoreOrder = restoreOrder;
        o.zeroOutputForMask = zeroOutputForMask;
        o.sequenceUsed = returnSequences;
        o.layerName = name();
        configureOptions(o);
        RnnOps.Result r = RnnOps.rnn(x, kernel.tensor(), recurrentKernel.tensor(), bias == null ? null : bias.tensor(),
                init.isEmpty() ? null : init, mask, o);
        if (stateful && inputs.size() == 1) {
            for (int i = 0; i < states.length; i++) states[i].assign(r.states.get(i).value());
        }
        List<Tensor> out = new ArrayList<>();
        Tensor main = returnSequences ? r.sequence : r.last;
        if (returnSequences && mask != null) main.withMask(mask);
        out.add(main);
        if (returnState) out.addAll(r.states);
        return out;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        Shape s = inputShapes.get(0);
        List<Shape> r = new ArrayList<>();
        r.add(returnSequences ? Shape.of(s.get(0), s.get(1), units) : Shape.of(s.get(0), units));
        if (returnState) for (int i = 0; i < stateCount(); i++) r.add(Shape.of(s.get(0), units));
        return r;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", stateful);
        c.put("unroll", unroll);
        c.put("zero_output_for_mask", zeroOutputForMask);
        c.put("units", units);
        c.put("activation", activation);
        if (cell() != RnnOps.Cell.SIMPLE) c.put("recurrent_activation", recurrentActivation);
        c.put("use_bias", useBias);
        WeightOptions.putConfigWithActivity(c, activityRegularizer(), kernelOptions, recurrentOptions, biasOptions);
        c.put("dropout", dropout);
        c.put("recurrent_dropout", recurrentDropout);
        c.put("seed", seed);
        return c;
    }

    /** Reads the keys common to SimpleRNN, LSTM and GRU into {@code l} (Keras's defaults when absent). */
    static <T extends RNNBase> T configure(T l, Map<String, Object> c) {
        l.activation(c.containsKey("activation") ? LayerConfigs.activation(c.get("activation")) : "tanh");
        if (l.cell() != RnnOps.Cell.SIMPLE) {
            l.recurrentActivation(c.containsKey("recurrent_activation")
                    ? LayerConfigs.activation(c.get("recurrent_activation")) : "sigmoid");
        }
        l.useBias(Configs.getBoolean(c, "use_bias", true));
        WeightOptions.readConfig(c, l.kernelOptions, l.recurrentOptions, l.biasOptions);
        if (c.get("activity_regularizer") != null) l.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        l.returnSequences(Configs.getBoolean(c, "return_sequences", false));
        l.returnState(Configs.getBoolean(c, "return_state", false));
        l.goBackwards(Configs.getBoolean(c, "go_backwards", false));
        l.stateful(Configs.getBoolean(c, "stateful", false));
        l.unroll(Configs.getBoolean(c, "unroll", false));
        l.zeroOutputForMask(Configs.getBoolean(c, "zero_output_for_mask", false));
        l.dropout(Configs.getDouble(c, "dropout", 0.0));
        l.recurrentDropout(Configs.getDouble(c, "recurrent_dropout", 0.0));
        Long seed = Configs.getLongOrNull(c, "seed");
        if (seed != null) l.seed(seed);
        return l;
    }

    /** Keras 3 saves an RNN's variables under its cell: {@code layers/lstm/cell/vars/<i>}. */
    @Override
    public java.util.Map<String, java.util.List<org.cornu.core.Weight>> kerasVariableGroups() {
        return java.util.Map.of("cell", weights());
    }
}
