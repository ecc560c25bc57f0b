package org.cornu.optimizers;

import java.util.List;
import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nadam, {@code keras.optimizers.Nadam}: Adam with Nesterov momentum and Keras's momentum
 * schedule. With {@code t = iterations + 1}, {@code u_t = beta_1 * (1 - 0.5 * 0.96^t)} and
 * {@code P_t = u_1 * ... * u_t} (Keras's {@code u_product}, one per optimizer):
 *
 * <pre>
 * m = m + (g - m) * (1 - beta_1)
 * v = v + (g^2 - v) * (1 - beta_2)
 * m_hat = u_{t+1} * m / (1 - P_t * u_{t+1}) + (1 - u_t) * g / (1 - P_t)
 * v_hat = v / (1 - beta_2^t)
 * w -= lr * m_hat / (sqrt(v_hat) + epsilon)
 * </pre>
 *
 * Defaults: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. Slots:
 * {@code momentum}, {@code velocity}.
 */
public class Nadam extends BaseOptimizer<Nadam> {
    private static final double MOMENTUM_DECAY = 0.96;

    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    /** u_1 * ... * u_uProductStep, in the dtype of the first weight updated at each step. */
    private double uProduct = 1.0;
    private long uProductStep = 0;

    /** Keras's defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public Nadam() {
        this(0.001);
    }

    /**
     * A constant learning rate.
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.001)
     */
    public Nadam(double learningRate) {
        super("nadam", learningRate);
    }

    /**
     * A learning rate schedule.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public Nadam(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /**
     * Exponential decay rate of the first moment, in {@code [0, 1)}.
     *
     * @param beta1 Keras's {@code beta_1}, default 0.9
     * @return this optimizer
     */
    public Nadam beta1(double beta1) {
        this.beta1 = checkHalfOpenUnit("beta_1", beta1);
        uProductStep = 0; // recompute the momentum cache with the new beta_1
        uProduct = 1.0;
        return this;
    }

    /**
     * The current {@code beta_1}.
     *
     * @return the value
     */
    public double beta1() {
        return beta1;
    }

    /**
     * Exponential decay rate of the second moment, in {@code [0, 1)}.
     *
     * @param beta2 Keras's {@code beta_2}, default 0.999
     * @return this optimizer
     */
    public Nadam beta2(double beta2) {
        this.beta2 = checkHalfOpenUnit("beta_2", beta2);
        return this;
    }

    /**
     * The current {@code beta_2}.
     *
     * @return the value
     */
    public double beta2() {
        return beta2;
    }

    /**
     * Small constant added to the root of the second moment, non-negative.
     *
     * @param epsilon Keras's {@code epsilon}, default 1e-7
     * @return this optimizer
     */
    public Nadam epsilon(double epsilon) {
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

    /** {@code u_t = beta_1 * (1 - 0.5 * 0.96^t)} in {@code type}. */
    private double u(DataType type, long t) {
        return round(type, round(type, beta1) * round(type, 1 - round(type, 0.5 * pow(type, MOMENTUM_DECAY, t))));
    }

    /**
     * Keras's {@code u_product} after step {@code t}, advanced once per step as Keras does
     * before the step's updates ({@code u_product * beta_1 * (1 - 0.5 * 0.96^t)}).
     */
    private double uProduct(DataType type, long t) {
        if (uProductStep != t) {
            if (uProductStep > t || uProductStep < t - 1) { // iterations were reset: recompute
                uProduct = 1.0;
                uProductStep = 0;
            }
            while (uProductStep < t) {
                long s = ++uProductStep;
                uProduct = round(type, round(type, uProduct * round(type, beta1))
                        * round(type, 1 - round(type, 0.5 * pow(type, MOMENTUM_DECAY, s))));
            }
        }
        return round(type, uProduct);
    }

    /**
     * Keras's {@code u_product} (float32 scalar), which Keras 3.10 and later create after the
     * slots; Cornu derives it from the iteration count.
     */
    @Override
    protected List<INDArray> derivedVariables() {
        DataType t = org.cornu.core.Cornu.floatType();
        try (org.nd4j.linalg.api.memory.MemoryWorkspace ws = org.cornu.core.kernels.Workspaces.outside()) {
            return List.of(org.nd4j.linalg.factory.Nd4j.scalar(t, uProduct(t, iterations())));
        }
    }

    /** Keras 3.0 to 3.9 created {@code u_product} before the slots: iterations, learning_rate, u_product, m0, v0, .... */
    @Override
    protected List<List<INDArray>> legacyVariableOrders(List<Weight> trainable) {
        List<List<INDArray>> r = new java.util.ArrayList<>(super.legacyVariableOrders(trainable));
        List<INDArray> keras39 = new java.util.ArrayList<>(derivedVariables());
        List<INDArray> current = variables(trainable);
        int head = schedule() == null ? 2 : 1; // iterations and learning rate
        keras39.addAll(current.subList(head, current.size() - 1)); // the slots, without the trailing u_product
        r.add(0, keras39);
        return r;
    }

    @Override
    protected void update(Weight w, INDArray grad, INDArray var, double lr) {
        INDArray m = slot(w, "momentum");
        INDArray v = slot(w, "velocity");
        INDArray t = scratch(w, 0);
        INDArray s = scratch(w, 1);
        DataType type = var.dataType();
        long step = localStep();
        double uT = u(type, step);
        double uT1 = u(type, step + 1);
        double uProductT = uProduct(type, step);
        double uProductT1 = round(type, uProductT * uT1);
        double b2Correction = round(type, 1 - pow(type, beta2, step));
        double cm = round(type, uT1 / round(type, 1 - uProductT1));
        double cg = round(type, round(type, 1 - uT) / round(type, 1 - uProductT));

        // m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
        axpy(-1, m, grad, t);
        axpy(1 - beta1, t, m);
        square(grad, t);
        axpy(-1, v, t);
        axpy(1 - beta2, t, v);
        // t = sqrt(v / (1 - beta_2^t)) + eps
        divScalar(w, 0, v, b2Correction, t);
        sqrt(t, t);
        addScalar(w, 1, t, epsilon, t);
        // s = m_hat = cm * m + cg * g;  w -= lr * s / t
        mulScalar(w, 2, m, cm, s);
        axpy(cg, grad, s);
        div(s, t, s);
        axpy(-lr, s, var);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
