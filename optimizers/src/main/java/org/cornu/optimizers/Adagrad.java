package org.cornu.optimizers;

import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adagrad, {@code keras.optimizers.Adagrad}: per-parameter rates that shrink with the sum of
 * past squared gradients.
 *
 * <pre>
 * acc += g^2                       (acc starts at initial_accumulator_value)
 * w  -= lr * g / sqrt(acc + epsilon)
 * </pre>
 *
 * Defaults: learning_rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7. Slot:
 * {@code accumulator}.
 */
public class Adagrad extends BaseOptimizer<Adagrad> {
    private double initialAccumulatorValue = 0.1;
    private double epsilon = 1e-7;

    /** Keras's defaults: learning rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7. */
    public Adagrad() {
        this(0.001);
    }

    /**
     * A constant learning rate.
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.001)
     */
    public Adagrad(double learningRate) {
        super("adagrad", learningRate);
    }

    /**
     * A learning rate schedule.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public Adagrad(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /**
     * Starting value of the accumulators, non-negative; takes effect for weights not yet updated.
     *
     * @param value Keras's {@code initial_accumulator_value}, default 0.1
     * @return this optimizer
     */
    public Adagrad initialAccumulatorValue(double value) {
        this.initialAccumulatorValue = checkNonNegative("initial_accumulator_value", value);
        return this;
    }

    /**
     * The current {@code initial_accumulator_value}.
     *
     * @return the value
     */
    public double initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    /**
     * Small constant added inside the square root, non-negative.
     *
     * @param epsilon Keras's {@code epsilon}, default 1e-7
     * @return this optimizer
     */
    public Adagrad epsilon(double epsilon) {
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

    @Override
    protected void update(Weight w, INDArray grad, INDArray var, double lr) {
        boolean fresh = !slots(w).containsKey("accumulator");
        INDArray acc = slot(w, "accumulator");
        if (fresh && initialAccumulatorValue != 0) acc.assign(initialAccumulatorValue);
        INDArray t = scratch(w);

        // acc += g^2;  w -= lr * g / sqrt(acc + eps)
        square(grad, t);
        axpy(1, t, acc);
        addScalar(w, 0, acc, epsilon, t);
        sqrt(t, t);
        div(grad, t, t);
        axpy(-lr, t, var);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("initial_accumulator_value", initialAccumulatorValue);
        c.put("epsilon", epsilon);
        return c;
    }
}
