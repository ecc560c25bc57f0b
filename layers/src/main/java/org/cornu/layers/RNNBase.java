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
    protected final int units;
    protected String activation = "tanh";
    protected String recurrentActivation = "sigmoid";
    protected boolean useBias = true;
    /** Keras's {@code kernel_*}, {@code recurrent_*} and {@code bias_*} arguments. */
    final WeightOptions kernelOptions = WeightOptions.kernel(), recurrentOptions = WeightOptions.recurrent(),
            biasOptions = WeightOptions.bias();
    protected boolean returnSequences, returnState, goBackwards, stateful, unroll, zeroOutputForMask;
    /** Set by Bidirectional: sequence outputs in input time order when going backwards. */
    boolean restoreOrder;
    protected Weight kernel, recurrentKernel, bias;
    private INDArray[] states;
    protected double dropout, recurrentDropout;
    protected Long seed;
    private java.util.Random rng;

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

    /** A new layer of the same class and configuration, unbuilt (Bidirectional's backward copy). */
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

    public <T extends RNNBase> T activation(Object a) {
        this.activation = checkAct(a, "activation");
        return self();
    }

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

    public <T extends RNNBase> T useBias(boolean b) { this.useBias = b; return self(); }
    public <T extends RNNBase> T kernelInitializer(Object i) { kernelOptions.initializer(i); return self(); }
    public <T extends RNNBase> T recurrentInitializer(Object i) { recurrentOptions.initializer(i); return self(); }
    public <T extends RNNBase> T biasInitializer(Object i) { biasOptions.initializer(i); return self(); }
    public <T extends RNNBase> T kernelRegularizer(Object r) { kernelOptions.regularizer(r); return self(); }
    public <T extends RNNBase> T recurrentRegularizer(Object r) { recurrentOptions.regularizer(r); return self(); }
    public <T extends RNNBase> T biasRegularizer(Object r) { biasOptions.regularizer(r); return self(); }
    public <T extends RNNBase> T kernelConstraint(Object c) { kernelOptions.constraint(c); return self(); }
    public <T extends RNNBase> T recurrentConstraint(Object c) { recurrentOptions.constraint(c); return self(); }
    public <T extends RNNBase> T biasConstraint(Object c) { biasOptions.constraint(c); return self(); }
    /** Return the whole output sequence {@code (batch, timesteps, units)} instead of the last output. */
    public <T extends RNNBase> T returnSequences(boolean b) { this.returnSequences = b; return self(); }
    /** Also return the final states as extra outputs. */
    public <T extends RNNBase> T returnState(boolean b) { this.returnState = b; return self(); }
    /** Process the sequence backwards and return the reversed sequence (Keras semantics). */
    public <T extends RNNBase> T goBackwards(boolean b) { this.goBackwards = b; return self(); }
    /** Keep the last states of each batch as the initial states of the next ({@link #resetStates()} clears them). */
    public <T extends RNNBase> T stateful(boolean b) { this.stateful = b; return self(); }
    /** Accepted for Keras compatibility; the fused loop is already unrolled on the JVM. */
    public <T extends RNNBase> T unroll(boolean b) { this.unroll = b; return self(); }
    /** Masked steps output zeros instead of the previous output. */
    public <T extends RNNBase> T zeroOutputForMask(boolean b) { this.zeroOutputForMask = b; return self(); }

    /** Fraction of the input features dropped in training (one mask per sequence, as Keras). */
    public <T extends RNNBase> T dropout(double rate) { this.dropout = checkRate(rate, "dropout"); return self(); }
    /** Fraction of the state units dropped where the state enters the recurrent product, in training (one mask per sequence). */
    public <T extends RNNBase> T recurrentDropout(double rate) { this.recurrentDropout = checkRate(rate, "recurrent_dropout"); return self(); }
    /** Seed of the dropout masks. */
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

    public int units() { return units; }
    public boolean returnSequences() { return returnSequences; }
    public boolean returnState() { return returnState; }
    public boolean goBackwards() { return goBackwards; }
    public Weight kernel() { return kernel; }
    public Weight recurrentKernel() { return recurrentKernel; }
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

    /** Number of state tensors (2 for LSTM: h and c). */
    protected int stateCount() {
        return cell() == RnnOps.Cell.LSTM ? 2 : 1;
    }

    /** Shape of the bias weight. */
    protected long[] biasShape() {
        return new long[] {gates() * (long) units};
    }

    protected int gates() {
        return switch (cell()) { case LSTM -> 4; case GRU -> 3; default -> 1; };
    }

    /** Sets cell-specific options of the fused loop (GRU: reset_after); none by default. */
    protected void configureOptions(RnnOps.Options o) {}

    /** Creates the bias weight; LSTM overrides for unit_forget_bias. */
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

    /** The current states of a stateful layer (null before its first call). */
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
