package org.cornu.optimizers;

import org.cornu.optimizers.kernels.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.cornu.core.kernels.Workspaces;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Common base of this module's optimizers: fluent setters that keep the concrete type
 * ({@code new Adam().clipnorm(1.0).beta1(0.8)}), argument checks with Keras-like messages,
 * {@code exclude_from_weight_decay}, the base keys of Keras's {@code get_config()}, and the
 * in-place helpers the update rules share.
 *
 * <p>Update rules work in the weight's own data type, in place, and allocate nothing per step
 * once warm: temporaries live in reusable scratch buffers (per data type, as large as the largest
 * weight), and the kernels are ND4J's cheapest ops (see {@code Kernels}).
 *
 * @param <T> the concrete optimizer type, returned by the fluent setters
 */
public abstract class BaseOptimizer<T extends BaseOptimizer<T>> extends Optimizer {
    private static final int SCRATCH_COUNT = 2;
    private final Map<DataType, INDArray[]> scratchBuffers = new EnumMap<>(DataType.class);
    private final Map<Weight, INDArray[]> scratchViews = new IdentityHashMap<>();
    private static final int SCALAR_SITES = 4;
    private final Map<Weight, Kernels.ScalarOp[]> scalarOps = new IdentityHashMap<>();
    private final Set<Weight> excludedWeights = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> excludedNames = new ArrayList<>();
    private Pattern excludedPattern;

    /**
     * @param name Keras's default name for the optimizer ({@code "adam"}, {@code "SGD"}...)
     * @param learningRate the constant learning rate, non-negative
     */
    protected BaseOptimizer(String name, double learningRate) {
        super(name, checkLearningRate(learningRate));
    }

    /**
     * This optimizer as its concrete type, for fluent setters.
     *
     * @return this optimizer, as its own type
     */
    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    private static double checkLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(
                    "Argument `learning_rate` must be a non-negative finite float. Received: learning_rate=" + lr);
        }
        return lr;
    }

    /** Sets a constant learning rate (replacing any schedule). */
    @Override
    public T learningRate(double lr) {
        super.learningRate(checkLearningRate(lr));
        return self();
    }

    /** Uses a schedule, evaluated at {@link #iterations()} before each step, for the learning rate. */
    @Override
    public T learningRate(LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("Argument `learning_rate` must be a float or a LearningRateSchedule. "
                    + "Received: learning_rate=null");
        }
        super.learningRate(schedule);
        return self();
    }

    @Override
    public T clipnorm(double v) {
        super.clipnorm(v);
        return self();
    }

    @Override
    public T clipvalue(double v) {
        super.clipvalue(v);
        return self();
    }

    @Override
    public T globalClipnorm(double v) {
        super.globalClipnorm(v);
        return self();
    }

    /** Decoupled weight decay, {@code var -= var * weightDecay * lr} before each update. */
    @Override
    public T weightDecay(double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(
                    "Argument `weight_decay` must be a non-negative finite float. Received: weight_decay=" + v);
        }
        super.weightDecay(v);
        return self();
    }

    /**
     * Keras's {@code exclude_from_weight_decay(var_names=...)}: a weight whose name contains a
     * match of any of these regular expressions (e.g. {@code "bias"}) is not decayed.
     *
     * @param varNames regular expressions matched against the weights' names
     * @return this optimizer
     * @throws IllegalArgumentException for a null or empty pattern
     */
    public T excludeFromWeightDecay(String... varNames) {
        for (String n : varNames) {
            if (n == null || n.isEmpty()) {
                throw new IllegalArgumentException("excludeFromWeightDecay: a variable name pattern must be non-empty. "
                        + "Received: var_names=" + Arrays.toString(varNames));
            }
            excludedNames.add(n);
        }
        excludedPattern = excludedNames.isEmpty() ? null : Pattern.compile(String.join("|", excludedNames));
        return self();
    }

    /**
     * Keras's {@code exclude_from_weight_decay(var_list=...)}: these weights are not decayed.
     *
     * @param weights the weights to leave undecayed
     * @return this optimizer
     */
    public T excludeFromWeightDecay(List<Weight> weights) {
        excludedWeights.addAll(weights);
        return self();
    }

    @Override
    protected boolean decays(Weight w) {
        if (excludedWeights.contains(w)) return false;
        return excludedPattern == null || !excludedPattern.matcher(w.name()).find();
    }

    /**
     * Keras's base {@code get_config()} keys, including those of features Cornu does not
     * implement ({@code use_ema}, {@code loss_scale_factor}, {@code gradient_accumulation_steps}),
     * at their defaults; subclasses add their own keys.
     */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("use_ema", false);
        c.put("ema_momentum", 0.99);
        c.put("ema_overwrite_frequency", null);
        c.put("loss_scale_factor", null);
        c.put("gradient_accumulation_steps", null);
        return c;
    }

    // ---------------------------------------------------------------------------------------
    // Argument checks

    /**
     * {@code value} must lie in {@code [0, 1]}.
     *
     * @param arg Keras's name of the argument, for the message
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException otherwise
     */
    protected static double checkClosedUnit(String arg, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("Argument `" + arg + "` must be a float between [0, 1]. Received: "
                    + arg + "=" + value);
        }
        return value;
    }

    /**
     * {@code value} must lie in {@code [0, 1)}.
     *
     * @param arg Keras's name of the argument, for the message
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException otherwise
     */
    protected static double checkHalfOpenUnit(String arg, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("Argument `" + arg + "` must be a float in [0, 1). Received: "
                    + arg + "=" + value);
        }
        return value;
    }

    /**
     * {@code value} must be finite and non-negative.
     *
     * @param arg Keras's name of the argument, for the message
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException otherwise
     */
    protected static double checkNonNegative(String arg, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Argument `" + arg + "` must be a non-negative float. Received: "
                    + arg + "=" + value);
        }
        return value;
    }

    // ---------------------------------------------------------------------------------------
    // Helpers for update rules

    /**
     * The first temporary for {@code w}: {@code scratch(w, 0)}.
     *
     * @param w the weight being updated
     * @return a temporary of {@code w}'s shape and type
     */
    protected final INDArray scratch(Weight w) {
        return scratch(w, 0);
    }

    /**
     * Temporary number {@code i} (0 or 1) as large as {@code w}, in its data type, for use within
     * one update only. All weights share one buffer per data type and index, so each costs the
     * size of the largest weight, allocated once.
     *
     * @param w the weight being updated
     * @param i which temporary, 0 or 1
     * @return a temporary of {@code w}'s shape and type
     */
    protected final INDArray scratch(Weight w, int i) {
        INDArray value = w.value();
        DataType type = value.dataType();
        INDArray[] views = scratchViews.computeIfAbsent(w, k -> new INDArray[SCRATCH_COUNT]);
        INDArray view = views[i];
        if (view != null && view.dataType() == type && view.length() == value.length()
                && Arrays.equals(view.shape(), value.shape())) {
            return view;
        }
        // the buffer outlives the training step: keep it out of the step's workspace
        try (MemoryWorkspace out = Workspaces.outside()) {
            INDArray[] bufs = scratchBuffers.computeIfAbsent(type, k -> new INDArray[SCRATCH_COUNT]);
            long n = value.length();
            if (bufs[i] == null || bufs[i].length() < n) {
                bufs[i] = Nd4j.createUninitialized(type, Math.max(n, 1));
                for (INDArray[] v : scratchViews.values()) v[i] = null; // views of the old buffer
            }
            view = bufs[i].get(NDArrayIndex.interval(0, n)).reshape('c', value.shape());
        }
        views[i] = view;
        return view;
    }

    /**
     * {@code y += a * x}, in place.
     *
     * @param a the scalar
     * @param x the added array
     * @param y the array updated in place
     */
    protected static void axpy(double a, INDArray x, INDArray y) {
        Kernels.axpy(a, x, y);
    }

    /**
     * {@code z = a * x + y}.
     *
     * @param a the scalar
     * @param x the scaled array
     * @param y the added array
     * @param z the result, may be {@code x} or {@code y}
     */
    protected static void axpy(double a, INDArray x, INDArray y, INDArray z) {
        Kernels.axpy(a, x, y, z);
    }

    /**
     * {@code z = x * x}.
     *
     * @param x the input
     * @param z the result, may be {@code x}
     */
    protected static void square(INDArray x, INDArray z) {
        Kernels.square(x, z);
    }

    /**
     * {@code z = sqrt(x)}.
     *
     * @param x the input
     * @param z the result, may be {@code x}
     */
    protected static void sqrt(INDArray x, INDArray z) {
        Kernels.sqrt(x, z);
    }

    /**
     * {@code z = |x|}.
     *
     * @param x the input
     * @param z the result, may be {@code x}
     */
    protected static void abs(INDArray x, INDArray z) {
        Kernels.abs(x, z);
    }

    /**
     * {@code z = max(x, y)}, elementwise.
     *
     * @param x the first input
     * @param y the second input, of {@code x}'s shape
     * @param z the result, may be {@code x} or {@code y}
     */
    protected static void max(INDArray x, INDArray y, INDArray z) {
        Kernels.max(x, y, z);
    }

    /**
     * {@code z = x * y}, elementwise.
     *
     * @param x the first input
     * @param y the second input, of {@code x}'s shape
     * @param z the result, may be {@code x} or {@code y}
     */
    protected static void mul(INDArray x, INDArray y, INDArray z) {
        Kernels.mul(x, y, z);
    }

    /**
     * {@code z = x / y}, elementwise.
     *
     * @param x the numerator
     * @param y the denominator, of {@code x}'s shape
     * @param z the result, may be {@code x} or {@code y}
     */
    protected static void div(INDArray x, INDArray y, INDArray z) {
        Kernels.div(x, y, z);
    }

    private Kernels.ScalarOp scalarOp(Weight w, int site) {
        Kernels.ScalarOp[] ops = scalarOps.computeIfAbsent(w, k -> new Kernels.ScalarOp[SCALAR_SITES]);
        if (ops[site] == null) ops[site] = new Kernels.ScalarOp();
        return ops[site];
    }

    /**
     * {@code z = x * s}. {@code site} (0 to 3) names the call site within the update rule, so
     * that each weight's scalar op is built once and then reused with the step's value.
     *
     * @param w the weight being updated
     * @param site the call site, 0 to 3
     * @param x the input
     * @param s the scalar
     * @param z the result, may be {@code x}
     */
    protected final void mulScalar(Weight w, int site, INDArray x, double s, INDArray z) {
        scalarOp(w, site).exec(Kernels.ScalarKind.MUL, x, s, z);
    }

    /**
     * {@code z = x + s}; {@code site} as in {@link #mulScalar}.
     *
     * @param w the weight being updated
     * @param site the call site, 0 to 3
     * @param x the input
     * @param s the scalar
     * @param z the result, may be {@code x}
     */
    protected final void addScalar(Weight w, int site, INDArray x, double s, INDArray z) {
        scalarOp(w, site).exec(Kernels.ScalarKind.ADD, x, s, z);
    }

    /**
     * {@code z = x / s}; {@code site} as in {@link #mulScalar}.
     *
     * @param w the weight being updated
     * @param site the call site, 0 to 3
     * @param x the input
     * @param s the scalar
     * @param z the result, may be {@code x}
     */
    protected final void divScalar(Weight w, int site, INDArray x, double s, INDArray z) {
        scalarOp(w, site).exec(Kernels.ScalarKind.DIV, x, s, z);
    }

    /**
     * {@code x} rounded to {@code type}: Keras computes scalar coefficients (bias corrections,
     * powers of beta) in the variable's dtype, so float32 weights see float32 coefficients.
     *
     * @param type the weight's data type
     * @param x the value
     * @return {@code x} rounded to float32 unless {@code type} is float64
     */
    protected static double round(DataType type, double x) {
        return type == DataType.DOUBLE ? x : (double) (float) x;
    }

    /**
     * {@code base^exponent} computed as Keras does, in {@code type} ({@code ops.power(cast(base), step)}).
     *
     * @param type the weight's data type
     * @param base the base
     * @param exponent the exponent
     * @return the power, rounded to {@code type}
     */
    protected static double pow(DataType type, double base, double exponent) {
        return round(type, Math.pow(round(type, base), round(type, exponent)));
    }

    /**
     * Keras's {@code local_step}: {@code iterations + 1}.
     *
     * @return the 1-based number of the update in progress
     */
    protected final long localStep() {
        return iterations() + 1;
    }
}
