package org.cornu.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.constraints.Constraint;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.cornu.core.kernels.Workspaces;

/**
 * Base of all optimizers, as {@code keras.optimizers.Optimizer}. {@link #apply} does, in
 * Keras 3's order: gradient clipping ({@code clipnorm}, {@code clipvalue},
 * {@code global_clipnorm}), decoupled weight decay ({@code var -= var * weight_decay * lr}),
 * the subclass's {@link #update}, the weights' constraints, and then increments
 * {@link #iterations()}. The learning rate is a constant or a {@link LearningRateSchedule}
 * evaluated at the current iteration count.
 */
public abstract class Optimizer {
    private final String name;
    private double learningRate;
    private LearningRateSchedule schedule;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private Double weightDecay;
    private long iterations;
    private final Map<Weight, Map<String, INDArray>> slots = new IdentityHashMap<>();
    private final List<String> slotOrder = new ArrayList<>();

    /**
     * Sets the optimizer's Keras name and constant learning rate; subclasses pass their Keras defaults.
     *
     * @param name Keras's name of the optimizer, e.g. {@code "adam"}
     * @param learningRate the initial learning rate
     */
    protected Optimizer(String name, double learningRate) {
        this.name = name;
        this.learningRate = learningRate;
    }

    /**
     * Keras's name, e.g. {@code adam}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Number of updates applied so far (Keras's {@code optimizer.iterations}).
     *
     * @return the count, 0 before the first update
     */
    public long iterations() {
        return iterations;
    }

    /**
     * Sets the update count (Keras's {@code optimizer.iterations.assign(n)}), e.g. when restoring a run.
     *
     * @param n the number of updates already applied
     */
    public void iterations(long n) {
        this.iterations = n;
    }

    /**
     * The learning rate in force at the current iteration: the constant one, or the schedule's value
     * at {@link #iterations()}.
     *
     * @return the learning rate
     */
    public double learningRate() {
        return schedule != null ? schedule.apply(iterations) : learningRate;
    }

    /**
     * Sets a constant learning rate (Keras's {@code learning_rate}; the default is the subclass's),
     * replacing any schedule, as callbacks do.
     *
     * @param lr the learning rate
     * @return this optimizer
     */
    public Optimizer learningRate(double lr) {
        this.learningRate = lr;
        this.schedule = null;
        return this;
    }

    /**
     * Uses a schedule for the learning rate (Keras's {@code learning_rate=schedule}): the rate is
     * {@code s} evaluated at {@link #iterations()} before each update.
     *
     * @param s the schedule
     * @return this optimizer
     */
    public Optimizer learningRate(LearningRateSchedule s) {
        this.schedule = s;
        return this;
    }

    /**
     * The learning-rate schedule, if one was given.
     *
     * @return the schedule, or null for a constant learning rate
     */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /**
     * Clips each gradient to this L2 norm. As in Keras, only one of {@code clipnorm},
     * {@code clipvalue} and {@code global_clipnorm} can be set, and a value of 0 clips nothing.
     *
     * @param v the maximum L2 norm of each gradient (Keras's {@code clipnorm}, none by default)
     * @return this optimizer
     * @throws IllegalArgumentException if {@code v} is negative or another clip argument is set
     */
    public Optimizer clipnorm(double v) {
        checkClip("clipnorm", v, v, clipvalue, globalClipnorm);
        this.clipnorm = v;
        return this;
    }

    /**
     * Clips each gradient element to {@code [-v, v]} (only one clip argument can be set).
     *
     * @param v the maximum absolute value of each gradient element (Keras's {@code clipvalue}, none by default)
     * @return this optimizer
     * @throws IllegalArgumentException if {@code v} is negative or another clip argument is set
     */
    public Optimizer clipvalue(double v) {
        checkClip("clipvalue", v, clipnorm, v, globalClipnorm);
        this.clipvalue = v;
        return this;
    }

    /**
     * Clips all gradients together to this global L2 norm (only one clip argument can be set).
     *
     * @param v the maximum L2 norm of all gradients concatenated (Keras's {@code global_clipnorm}, none by default)
     * @return this optimizer
     * @throws IllegalArgumentException if {@code v} is negative or another clip argument is set
     */
    public Optimizer globalClipnorm(double v) {
        checkClip("global_clipnorm", v, clipnorm, clipvalue, v);
        this.globalClipnorm = v;
        return this;
    }

    private static void checkClip(String arg, double v, Double clipnorm, Double clipvalue, Double globalClipnorm) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("Argument `" + arg + "` must be a non-negative float. Received: "
                    + arg + "=" + v);
        }
        int set = (clipnorm != null ? 1 : 0) + (clipvalue != null ? 1 : 0) + (globalClipnorm != null ? 1 : 0);
        if (set > 1) {
            throw new IllegalArgumentException("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                    + "Received: clipnorm=" + pyRepr(clipnorm) + ", clipvalue=" + pyRepr(clipvalue)
                    + ", global_clipnorm=" + pyRepr(globalClipnorm));
        }
    }

    private static String pyRepr(Double d) {
        return d == null ? "None" : d.toString();
    }

    /**
     * Decoupled weight decay: {@code var -= var * weightDecay * lr} before each update.
     *
     * @param v the decay factor (Keras's {@code weight_decay}, none by default except in AdamW)
     * @return this optimizer
     */
    public Optimizer weightDecay(double v) {
        this.weightDecay = v;
        return this;
    }

    /**
     * The decoupled weight decay (Keras's {@code weight_decay}).
     *
     * @return the factor, or null for none
     */
    public Double weightDecay() {
        return weightDecay;
    }

    /**
     * One optimizer step (Keras's {@code optimizer.apply(grads, trainable_variables)}):
     * {@code grads.get(i)} is the gradient of {@code vars.get(i)}. A missing (null) gradient
     * throws, naming the weight: it means the loss does not depend on that weight (a tape that
     * did not watch it, or a layer outside the computation), and skipping it would train nothing
     * without a word.
     *
     * @param grads one gradient per variable, each of its variable's shape
     * @param vars the variables to update, in the order of {@code grads}
     * @throws IllegalArgumentException on a count mismatch or a null gradient
     */
    public void apply(List<INDArray> grads, List<Weight> vars) {
        if (grads.size() != vars.size()) {
            throw new IllegalArgumentException("Optimizer \"" + name + "\": got " + grads.size() + " gradients for "
                    + vars.size() + " variables; give one gradient per variable, in the same order");
        }
        boolean complete = true;
        for (INDArray g : grads) complete &= g != null; // List.of(...) refuses contains(null)
        if (!complete) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < vars.size(); i++) if (grads.get(i) == null) missing.add(vars.get(i).path());
            throw new IllegalArgumentException("Optimizer \"" + name + "\": no gradient for variable(s) " + missing
                    + ". The loss does not depend on them: compute the loss inside the GradientTape from the model's"
                    + " output, and pass only variables the loss depends on");
        }
        List<INDArray> g = clip(grads);
        double lr = learningRate();
        for (int i = 0; i < vars.size(); i++) {
            INDArray gi = g.get(i);
            Weight w = vars.get(i);
            INDArray v = w.value();
            if (gi.dataType() != v.dataType()) gi = gi.castTo(v.dataType());
            if (weightDecay != null && weightDecay > 0 && decays(w)) {
                // var -= var * wd * lr, in place (no temporary as large as the weight)
                Nd4j.getExecutioner().exec(new Axpy(v, v, v, -weightDecay * lr));
            }
            update(w, gi, v, lr);
            Constraint c = w.constraint();
            if (c != null) {
                INDArray cv = c.apply(v);
                if (cv != v) v.assign(cv);
            }
        }
        iterations++;
    }

    /**
     * Whether weight decay applies to {@code w}; subclasses may exclude some.
     *
     * @param w a weight about to be updated
     * @return true to apply weight decay to it (the default)
     */
    protected boolean decays(Weight w) {
        return true;
    }

    /**
     * Updates {@code var} in place from {@code grad} at learning rate {@code lr}.
     * {@link #iterations()} is the number of earlier updates (0 on the first), so Keras's
     * {@code local_step} is {@code iterations() + 1}.
     *
     * @param w the weight, for its slot variables ({@link #slot})
     * @param grad the (clipped) gradient, of the weight's shape and type
     * @param var the weight's value, to update in place
     * @param lr the learning rate in force for this update
     */
    protected abstract void update(Weight w, INDArray grad, INDArray var, double lr);

    /**
     * A per-weight slot variable (momentum, velocity...), created as zeros on first use.
     *
     * @param w the weight the slot belongs to
     * @param slotName the slot's Keras name, e.g. {@code "momentum"}
     * @return the live slot array, of the weight's shape
     */
    protected INDArray slot(Weight w, String slotName) {
        Map<String, INDArray> m = slots.computeIfAbsent(w, k -> new LinkedHashMap<>());
        INDArray s = m.get(slotName);
        if (s == null) {
            try (org.nd4j.linalg.api.memory.MemoryWorkspace out = Workspaces.outside()) {
                s = Nd4j.zeros(w.value().dataType(), w.value().shape());
            }
            m.put(slotName, s);
            if (!slotOrder.contains(slotName)) slotOrder.add(slotName);
        }
        return s;
    }

    /**
     * The slot variables of {@code w} by name, in creation order (empty before the first update).
     *
     * @param w a trainable weight
     * @return slot name to live array
     */
    public Map<String, INDArray> slots(Weight w) {
        return slots.getOrDefault(w, Map.of());
    }

    /**
     * The slot kinds in creation order (Keras's order of {@code optimizer.variables} after iterations and learning rate).
     *
     * @return the slot names, e.g. {@code [momentum, velocity]} for Adam
     */
    public List<String> slotNames() {
        return java.util.Collections.unmodifiableList(slotOrder);
    }

    /**
     * The order in which Keras 3's {@code build} creates this optimizer's slot variables: groups
     * of slot names. The slots of one group are created weight by weight ({@code [momentum,
     * velocity]} gives m0, v0, m1, v1, ..., as Keras's loop over the variables, or
     * {@code add_optimizer_variables(var_list, ["momentum", "velocity"])}, creates them), and the
     * groups follow one another (each group is a separate loop in Keras's {@code build}). Names
     * of slots this optimizer did not create (RMSprop's momentum at {@code momentum=0}) are
     * skipped. The default is one group: every slot kind in creation order.
     *
     * @return the groups of slot names
     */
    protected List<List<String>> variableLayout() {
        return List.of(List.copyOf(slotOrder));
    }

    /**
     * Variables that Keras's {@code build} creates after the slots and that Cornu derives from
     * the other state (Nadam's {@code u_product}): fresh arrays holding their current values.
     * Loading reads them into scratch arrays, so what a file holds there is not used.
     *
     * @return the derived variables; none by default
     */
    protected List<INDArray> derivedVariables() {
        return List.of();
    }

    /**
     * Other orders of {@code optimizer.variables} (after iterations and learning rate) that files
     * in the wild hold for this optimizer, tried in turn when loading if the current order does
     * not fit: each a list of the slot arrays, with fresh scratch arrays for derived variables.
     * The default offers the order Cornu wrote before it followed Keras's (slot kind by slot
     * kind); Nadam adds Keras 3.0 to 3.9's, which created {@code u_product} before the slots.
     *
     * @param trainable the model's trainable weights
     * @return the other orders to try, each a full list of slot and derived arrays
     */
    protected List<List<INDArray>> legacyVariableOrders(List<Weight> trainable) {
        List<INDArray> byKind = new ArrayList<>();
        for (String s : slotOrder) {
            for (Weight w : trainable) {
                INDArray v = slots(w).get(s);
                if (v != null) byKind.add(v);
            }
        }
        byKind.addAll(derivedVariables());
        return List.of(byKind);
    }

    /** The slot variables of {@code trainable} in Keras's order (see {@link #variableLayout()}), then the derived ones. */
    private List<INDArray> slotVariables(List<Weight> trainable) {
        List<INDArray> r = new ArrayList<>();
        for (List<String> group : variableLayout()) {
            for (Weight w : trainable) {
                Map<String, INDArray> ws = slots(w);
                for (String s : group) {
                    INDArray v = ws.get(s);
                    if (v != null) r.add(v);
                }
            }
        }
        r.addAll(derivedVariables());
        return r;
    }

    /**
     * Keras's {@code optimizer.variables} for these trainable weights, in Keras 3's order: the
     * iteration count (int64 scalar), the learning rate (float32 scalar; absent when it is a
     * schedule, as Keras creates no variable for one), then the slot variables as
     * {@link #variableLayout()} orders them and any {@link #derivedVariables()}. Empty slots
     * (before the first update or {@link #build}) are absent. The slot arrays are the live ones.
     *
     * @param trainable the model's trainable weights, in order
     * @return the optimizer's variables
     */
    public List<INDArray> variables(List<Weight> trainable) {
        List<INDArray> r = new ArrayList<>();
        try (org.nd4j.linalg.api.memory.MemoryWorkspace ws = Workspaces.outside()) {
            r.add(Nd4j.scalar(org.nd4j.linalg.api.buffer.DataType.LONG, iterations));
            if (schedule == null) r.add(Nd4j.scalar(org.nd4j.linalg.api.buffer.DataType.FLOAT, (float) learningRate));
        }
        r.addAll(slotVariables(trainable));
        return r;
    }

    /**
     * Sets the state from {@code values} in the order of {@link #variables} (Keras's
     * {@code load_own_variables}), building the slots first. A file's values may also come
     * in an order of {@link #legacyVariableOrders}, and with or without a learning-rate entry.
     * Nothing changes and {@code false} is returned when they fit none (another optimizer,
     * another model): the caller then starts the optimizer fresh, as Keras does. Values holding
     * only the iteration count and learning rate (an optimizer saved before its first update)
     * set those two.
     *
     * @param trainable the model's trainable weights, in order
     * @param values the saved variables
     * @return true when the values fitted and were loaded, false when nothing changed
     */
    public boolean loadVariables(List<Weight> trainable, List<INDArray> values) {
        if (values.isEmpty() || values.get(0).rank() != 0) return false;
        boolean built = !slotOrder.isEmpty();
        if (values.size() <= 2 && !built) { // saved before the first update: Keras writes no slots
            if (values.size() == 2 && values.get(1).rank() != 0) return false;
            iterations = values.get(0).getLong(0);
            restoreLearningRate(values.size() == 2 ? values.get(1) : null);
            return true;
        }
        build(trainable);
        List<List<INDArray>> orders = new ArrayList<>();
        orders.add(slotVariables(trainable));
        orders.addAll(legacyVariableOrders(trainable));
        for (List<INDArray> order : orders) {
            int head = values.size() - order.size();
            if (head < 1 || head > 2 || (head == 2 && values.get(1).rank() != 0)) continue;
            boolean fits = true;
            for (int i = 0; i < order.size() && fits; i++) {
                fits = java.util.Arrays.equals(order.get(i).shape(), values.get(head + i).shape());
            }
            if (!fits) continue;
            iterations = values.get(0).getLong(0);
            restoreLearningRate(head == 2 ? values.get(1) : null);
            for (int i = 0; i < order.size(); i++) {
                INDArray target = order.get(i);
                target.assign(values.get(head + i).castTo(target.dataType()));
            }
            return true;
        }
        return false;
    }

    /** A saved float32 learning rate replaces the constant one unless it is that one rounded to float32. */
    private void restoreLearningRate(INDArray saved) {
        if (saved == null || schedule != null) return;
        double lr = saved.getDouble(0);
        if ((float) lr != (float) learningRate) learningRate = lr;
    }

    /**
     * Creates the slot variables for {@code vars} if no update has run yet (Keras's
     * {@code optimizer.build(var_list)}), so that saved optimizer state can be loaded into them.
     * Runs the update rule once with zero gradients at learning rate 0 on scratch copies: the
     * weights, {@link #iterations()} and the slots' initial values are unchanged.
     *
     * @param vars the trainable weights the optimizer will update
     */
    public void build(List<Weight> vars) {
        if (!slotOrder.isEmpty() || vars.isEmpty()) return;
        try (org.nd4j.linalg.api.memory.MemoryWorkspace out = Workspaces.outside()) {
            for (Weight w : vars) {
                INDArray scratch = w.value().dup();
                INDArray zero = Nd4j.zeros(w.value().dataType(), w.value().shape());
                update(w, zero, scratch, 0.0);
            }
        }
    }

    /**
     * Keras's {@code _clip_gradients}: at most one of the three is set, and only a positive value
     * clips. {@code clipnorm} scales each gradient by {@code clipnorm / max(norm, clipnorm)};
     * {@code global_clipnorm} scales all by {@code clip / max(globalNorm, clip)}, and a non-finite
     * global norm makes every gradient NaN, as in Keras; {@code clipvalue} clips elementwise.
     * Gradients are never modified in place.
     */
    private List<INDArray> clip(List<INDArray> grads) {
        boolean byNorm = clipnorm != null && clipnorm > 0;
        boolean byGlobal = !byNorm && globalClipnorm != null && globalClipnorm > 0;
        boolean byValue = !byNorm && !byGlobal && clipvalue != null && clipvalue > 0;
        if (!byNorm && !byGlobal && !byValue) return grads;
        List<INDArray> out = new ArrayList<>(grads.size());
        if (byGlobal) {
            double sq = 0;
            for (INDArray g : grads) sq += squaredNorm(g);
            double norm = Math.sqrt(sq);
            if (!Double.isFinite(norm)) { // Keras: the scale becomes NaN (ND4J's scalar ops mishandle a NaN scalar)
                for (INDArray g : grads) out.add(Nd4j.valueArrayOf(g.shape(), Double.NaN, g.dataType()));
                return out;
            }
            double scale = globalClipnorm / Math.max(norm, globalClipnorm);
            for (INDArray g : grads) out.add(scale == 1.0 ? g : g.mul(scale));
            return out;
        }
        for (INDArray g : grads) {
            if (byNorm) {
                double n = Math.sqrt(squaredNorm(g));
                out.add(n > clipnorm ? g.mul(clipnorm).divi(n) : g);
            } else {
                out.add(Transforms.min(Transforms.max(g, -clipvalue, true), clipvalue, false));
            }
        }
        return out;
    }

    private static double squaredNorm(INDArray g) {
        return Nd4j.getExecutioner().exec(new SquaredNorm(g)).getDouble(0);
    }

    /**
     * Keras's {@code get_config()}: name, learning_rate, weight_decay, clipnorm, global_clipnorm, clipvalue, plus the optimizer's own keys.
     *
     * @return key to JSON-ready value
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("learning_rate", schedule != null ? Map.of("class_name", schedule.name(), "config", schedule.getConfig()) : learningRate);
        c.put("weight_decay", weightDecay);
        c.put("clipnorm", clipnorm);
        c.put("global_clipnorm", globalClipnorm);
        c.put("clipvalue", clipvalue);
        return c;
    }

    @Override
    public String toString() {
        return name;
    }
}
