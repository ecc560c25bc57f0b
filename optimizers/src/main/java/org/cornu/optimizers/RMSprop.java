package org.cornu.optimizers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RMSprop, {@code keras.optimizers.RMSprop}: divides the gradient by the root of a moving
 * average of its square, with epsilon inside the root as in Keras 3.
 *
 * <pre>
 * v = rho * v + (1 - rho) * g^2
 * centered:  a = rho * a + (1 - rho) * g;  d = v - a^2 + epsilon
 * otherwise: d = v + epsilon
 * inc = lr * g / sqrt(d)
 * momentum &gt; 0: m = momentum * m + inc;  w -= m
 * otherwise:    w -= inc
 * </pre>
 *
 * Defaults: learning_rate 0.001, rho 0.9, momentum 0.0, epsilon 1e-7, centered false. Slots:
 * {@code velocity}, then {@code momentum} (when momentum &gt; 0) and {@code average_gradient}
 * (when centered).
 */
public class RMSprop extends BaseOptimizer<RMSprop> {
    private double rho = 0.9;
    private double momentum = 0.0;
    private double epsilon = 1e-7;
    private boolean centered = false;

    /** Keras's defaults: learning rate 0.001, rho 0.9, epsilon 1e-7. */
    public RMSprop() {
        this(0.001);
    }

    /**
     * A constant learning rate.
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.001)
     */
    public RMSprop(double learningRate) {
        super("rmsprop", learningRate);
    }

    /**
     * A learning rate schedule.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public RMSprop(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /**
     * Discounting factor for the old squared gradients, in {@code [0, 1)}.
     *
     * @param rho Keras's {@code rho}, default 0.9
     * @return this optimizer
     */
    public RMSprop rho(double rho) {
        this.rho = checkHalfOpenUnit("rho", rho);
        return this;
    }

    /**
     * The current {@code rho}.
     *
     * @return the value
     */
    public double rho() {
        return rho;
    }

    /**
     * Momentum in {@code [0, 1]}; 0 disables it.
     *
     * @param momentum Keras's {@code momentum}, default 0
     * @return this optimizer
     */
    public RMSprop momentum(double momentum) {
        this.momentum = checkClosedUnit("momentum", momentum);
        return this;
    }

    /**
     * The current {@code momentum}.
     *
     * @return the value
     */
    public double momentum() {
        return momentum;
    }

    /**
     * Small constant added to the denominator inside the square root, non-negative.
     *
     * @param epsilon Keras's {@code epsilon}, default 1e-7
     * @return this optimizer
     */
    public RMSprop epsilon(double epsilon) {
        this.epsilon = checkNonNegative("epsilon", epsilon);
        return this;
    }

    /**
     * The current {@code epsilon}.
     *
     * @return the value
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Whether to normalize by the estimated variance of the gradient instead of its second moment.
     *
     * @param centered Keras's {@code centered}, default false
     * @return this optimizer
     */
    public RMSprop centered(boolean centered) {
        this.centered = centered;
        return this;
    }

    /**
     * The current {@code centered}.
     *
     * @return the value
     */
    public boolean centered() {
        return centered;
    }

    /**
     * Keras's order: every velocity, then every momentum (when {@code momentum > 0}), then every
     * average gradient (when {@code centered}): three loops in Keras's {@code RMSprop.build}.
     */
    @Override
    protected List<List<String>> variableLayout() {
        return List.of(List.of("velocity"), List.of("momentum"), List.of("average_gradient"));
    }

    @Override
    protected void update(Weight w, INDArray grad, INDArray var, double lr) {
        INDArray v = slot(w, "velocity");
        INDArray m = momentum > 0 ? slot(w, "momentum") : null;
        INDArray a = centered ? slot(w, "average_gradient") : null;
        if (!centered && (m == null ? Elementwise.fusable(grad, var, v) : Elementwise.fusable(grad, var, v, m))) {
            fusedUpdate(grad, var, v, m, lr);
            return;
        }
        INDArray t = scratch(w);

        // v = rho * v + (1 - rho) * g^2
        square(grad, t);
        mulScalar(w, 0, v, rho, v);
        axpy(1 - rho, t, v);
        if (centered) {
            // a = rho * a + (1 - rho) * g;  t = v - a^2 + eps
            mulScalar(w, 1, a, rho, a);
            axpy(1 - rho, grad, a);
            square(a, t);
            axpy(-1, t, v, t);
            addScalar(w, 2, t, epsilon, t);
        } else {
            addScalar(w, 2, v, epsilon, t);
        }
        // t = g / sqrt(t), the increment without lr
        sqrt(t, t);
        div(grad, t, t);
        if (m != null) {
            // m = momentum * m + lr * t;  w -= m
            mulScalar(w, 3, m, momentum, m);
            axpy(lr, t, m);
            axpy(-1, m, var);
        } else {
            axpy(-lr, t, var);
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rho", rho);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("centered", centered);
        return c;
    }

    /**
     * The same update in one pass over the elements (CPU backend): velocity, increment and,
     * with momentum, the momentum buffer, in the order of the ops above.
     */
    private static final int CHUNK = 2048;

    private void fusedUpdate(INDArray grad, INDArray var, INDArray v, INDArray m, double lr) {
        if (var.dataType() == DataType.DOUBLE) {
            DoubleBuffer g = Elementwise.doublesCached(grad), x = Elementwise.doublesCached(var), vel = Elementwise.doublesCached(v);
            DoubleBuffer mom = m == null ? null : Elementwise.doublesCached(m);
            double r = rho, c = 1 - rho, e = epsilon, mu = momentum;
            Elementwise.forRange(var.length(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    double gi = g.get(i);
                    double vi = r * vel.get(i) + c * (gi * gi);
                    vel.put(i, vi);
                    double inc = gi / Math.sqrt(vi + e);
                    if (mom == null) {
                        x.put(i, x.get(i) - lr * inc);
                    } else {
                        double mi = mu * mom.get(i) + lr * inc;
                        mom.put(i, mi);
                        x.put(i, x.get(i) - mi);
                    }
                }
            });
        } else {
            FloatBuffer g = Elementwise.floatsCached(grad), x = Elementwise.floatsCached(var), vel = Elementwise.floatsCached(v);
            FloatBuffer mom = m == null ? null : Elementwise.floatsCached(m);
            float r = (float) rho, c = (float) (1 - rho), e = (float) epsilon, mu = (float) momentum, l = (float) lr;
            // bulk copies of chunks into Java arrays: the loops over them vectorize (sqrt included),
            // where per-element direct-buffer access does not
            Elementwise.forRange(var.length(), (from, to) -> {
                // per-thread arrays: no allocation per update (batch-1 steps update often)
                float[][] sc = Elementwise.scratchAll(CHUNK);
                float[] gc = sc[0], vc = sc[1], xc = sc[2];
                float[] mc = mom == null ? null : sc[3];
                for (int o = from; o < to; o += CHUNK) {
                    int len = Math.min(CHUNK, to - o);
                    g.get(o, gc, 0, len);
                    vel.get(o, vc, 0, len);
                    x.get(o, xc, 0, len);
                    if (mc == null) {
                        for (int i = 0; i < len; i++) {
                            float gi = gc[i];
                            float vi = r * vc[i] + c * (gi * gi);
                            vc[i] = vi;
                            xc[i] -= l * (gi / (float) Math.sqrt(vi + e));
                        }
                    } else {
                        mom.get(o, mc, 0, len);
                        for (int i = 0; i < len; i++) {
                            float gi = gc[i];
                            float vi = r * vc[i] + c * (gi * gi);
                            vc[i] = vi;
                            float mi = mu * mc[i] + l * (gi / (float) Math.sqrt(vi + e));
                            mc[i] = mi;
                            xc[i] -= mi;
                        }
                        mom.put(o, mc, 0, len);
                    }
                    vel.put(o, vc, 0, len);
                    x.put(o, xc, 0, len);
                }
            });
        }
    }
}
