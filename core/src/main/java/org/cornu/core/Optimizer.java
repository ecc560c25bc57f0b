package org.cornu.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.constraints.Constraint;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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

    protected Optimizer(String name, double learningRate) {
        this.name = name;
        this.learningRate = learningRate;
    }

    /** Keras's name, e.g. {@code adam}. */
    public String name() {
        return name;
    }

    /** Number of updates applied so far (Keras's {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    public void iterations(long n) {
        this.iterations = n;
    }

    /** The learning rate in force at the current iteration. */
    public double learningRate() {
        return schedule != null ? schedule.apply(iterations) : learningRate;
    }

    /** Sets a constant learning rate (replacing any schedule), as callbacks do. */
    public Optimizer learningRate(double lr) {
        this.learningRate = lr;
        this.schedule = null;
        return this;
    }

    /** Uses a schedule for the learning rate. */
    public Optimizer learningRate(LearningRateSchedule s) {
        this.schedule = s;
        return this;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** Clips each gradient to this L2 norm. */
    public Optimizer clipnorm(double v) {
        this.clipnorm = v;
        return this;
    }

    /** Clips each gradient element to {@code [-v, v]}. */
    public Optimizer clipvalue(double v) {
        this.clipvalue = v;
        return this;
    }

    /** Clips all gradients together to this global L2 norm. */
    public Optimizer globalClipnorm(double v) {
        this.globalClipnorm = v;
        return this;
    }

    /** Decoupled weight decay: {@code var -= var * weightDecay * lr} before each update. */
    public Optimizer weightDecay(double v) {
        this.weightDecay = v;
        return this;
    }

    public Double weightDecay() {
        return weightDecay;
    }

    /**
     * One optimizer step: {@code grads.get(i)} is the gradient of {@code vars.get(i)}
     * (null entries are skipped).
     */
    public void apply(List<INDArray> grads, List<Weight> vars) {
        List<INDArray> g = clip(grads);
        double lr = learningRate();
        for (int i = 0; i < vars.size(); i++) {
            INDArray gi = g.get(i);
            if (gi == null) continue;
            Weight w = vars.get(i);
            INDArray v = w.value();
            if (gi.dataType() != v.dataType()) gi = gi.castTo(v.dataType());
            if (weightDecay != null && weightDecay > 0 && decays(w)) {
                v.subi(v.mul(weightDecay * lr));
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

    /** Whether weight decay applies to {@code w}; subclasses may exclude some. */
    protected boolean decays(Weight w) {
        return true;
    }

    /**
     * Updates {@code var} in place from {@code grad} at learning rate {@code lr}.
     * {@link #iterations()} is the number of earlier updates (0 on the first), so Keras's
     * {@code local_step} is {@code iterations() + 1}.
     */
    protected abstract void update(Weight w, INDArray grad, INDArray var, double lr);

    /** A per-weight slot variable (momentum, velocity...), created as zeros on first use. */
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

    /** The slot variables of {@code w} by name, in creation order (empty before the first update). */
    public Map<String, INDArray> slots(Weight w) {
        return slots.getOrDefault(w, Map.of());
    }

    private List<INDArray> clip(List<INDArray> grads) {
        if (clipnorm == null && clipvalue == null && globalClipnorm == null) return grads;
        List<INDArray> out = new ArrayList<>(grads.size());
        for (INDArray g : grads) {
            if (g == null) {
                out.add(null);
                continue;
            }
            INDArray c = g;
            if (clipnorm != null) {
                double n = g.norm2Number().doubleValue();
                if (n > clipnorm) c = g.mul(clipnorm / n);
            }
            if (clipvalue != null) {
                c = Transforms.min(Transforms.max(c, -clipvalue, true), clipvalue, false);
            }
            out.add(c);
        }
        if (globalClipnorm != null) {
            double sq = 0;
            for (INDArray g : out) if (g != null) { double n = g.norm2Number().doubleValue(); sq += n * n; }
            double norm = Math.sqrt(sq);
            if (norm > globalClipnorm) {
                double scale = globalClipnorm / norm;
                out.replaceAll(g -> g == null ? null : g.mul(scale));
            }
        }
        return out;
    }

    /** Keras's {@code get_config()}: name, learning_rate, weight_decay, clipnorm, global_clipnorm, clipvalue, plus the optimizer's own keys. */
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
