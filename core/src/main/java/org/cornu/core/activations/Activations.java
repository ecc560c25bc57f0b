package org.cornu.core.activations;

import java.util.function.UnaryOperator;
import org.cornu.core.ops.Ops;
import org.cornu.core.Registry;
import org.cornu.core.autodiff.Tensor;

/**
 * Keras's activation functions: relu, sigmoid, tanh, softmax, linear, elu, selu,
 * softplus, softsign, swish (silu), gelu, leaky_relu, exponential, hard_sigmoid; and
 * {@code hard_sigmoid_keras2}, Keras 2's hard sigmoid, which models written by Keras 2 get in place
 * of {@code hard_sigmoid} so that they predict what they predicted there.
 */
public final class Activations {
    private Activations() {}

    private record Fn(String name, UnaryOperator<Tensor> f, UnaryOperator<Tensor> inPlace) implements ActivationFunction {
        @Override
        public Tensor apply(Tensor x) {
            return f.apply(x);
        }

        @Override
        public Tensor applyInPlace(Tensor x) {
            return inPlace != null ? inPlace.apply(x) : f.apply(x);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code x} unchanged (Keras's {@code "linear"}, the default of most layers). */
    public static final ActivationFunction LINEAR = new Fn("linear", x -> x, null);
    /** {@code max(x, 0)} (Keras's {@code "relu"}). */
    public static final ActivationFunction RELU = new Fn("relu", Ops::relu, Ops::reluInPlace);
    /** {@code 1 / (1 + exp(-x))} (Keras's {@code "sigmoid"}). */
    public static final ActivationFunction SIGMOID = new Fn("sigmoid", Ops::sigmoid, null);
    /** The hyperbolic tangent (Keras's {@code "tanh"}). */
    public static final ActivationFunction TANH = new Fn("tanh", Ops::tanh, Ops::tanhInPlace);
    /** {@code exp(x) / sum(exp(x))} over the last axis (Keras's {@code "softmax"}). */
    public static final ActivationFunction SOFTMAX = new Fn("softmax", x -> Ops.softmax(x, -1), null);
    /** {@code x} for {@code x > 0}, else {@code exp(x) - 1} (Keras's {@code "elu"}, alpha 1). */
    public static final ActivationFunction ELU = new Fn("elu", x -> Ops.elu(x, 1.0), null);
    /** The scaled ELU of Klambauer et al. (Keras's {@code "selu"}). */
    public static final ActivationFunction SELU = new Fn("selu", Ops::selu, null);
    /** {@code log(exp(x) + 1)} (Keras's {@code "softplus"}). */
    public static final ActivationFunction SOFTPLUS = new Fn("softplus", Ops::softplus, null);
    /** {@code x / (|x| + 1)} (Keras's {@code "softsign"}). */
    public static final ActivationFunction SOFTSIGN = new Fn("softsign", Ops::softsign, null);
    /** {@code x * sigmoid(x)} (Keras's {@code "swish"}). */
    public static final ActivationFunction SWISH = new Fn("swish", Ops::swish, null);
    /** The same as {@link #SWISH} (Keras's {@code "silu"}). */
    public static final ActivationFunction SILU = new Fn("silu", Ops::swish, null);
    /** Exact gelu ({@code approximate=False}, Keras's default). */
    public static final ActivationFunction GELU = new Fn("gelu", x -> Ops.gelu(x, false), null);
    /** Leaky relu with Keras 3's default {@code negative_slope=0.2}. */
    public static final ActivationFunction LEAKY_RELU = new Fn("leaky_relu", x -> Ops.leakyRelu(x, 0.2), null);
    /** {@code exp(x)} (Keras's {@code "exponential"}). */
    public static final ActivationFunction EXPONENTIAL = new Fn("exponential", Ops::exp, null);
    /** Keras 3's hard sigmoid, {@code relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1)}. */
    public static final ActivationFunction HARD_SIGMOID = new Fn("hard_sigmoid",
            x -> Ops.clip(Ops.addScalar(Ops.mulScalar(x, 1.0 / 6.0), 0.5), 0, 1), null);
    /**
     * Keras 2's hard sigmoid, {@code clip(0.2 x + 0.5, 0, 1)}: what {@code "hard_sigmoid"} meant in
     * Keras 2 (Keras 3 changed the slope to 1/6). Loading a Keras 2 file maps its
     * {@code hard_sigmoid} here.
     */
    public static final ActivationFunction HARD_SIGMOID_KERAS2 = new Fn("hard_sigmoid_keras2",
            x -> Ops.clip(Ops.addScalar(Ops.mulScalar(x, 0.2), 0.5), 0, 1), null);

    /**
     * A leaky relu with the given slope for negative inputs.
     *
     * @param negativeSlope the slope for {@code x < 0} (Keras's {@code negative_slope}, default 0.2)
     * @return the activation
     */
    public static ActivationFunction leakyRelu(double negativeSlope) {
        return new Fn("leaky_relu", x -> Ops.leakyRelu(x, negativeSlope), null);
    }

    /**
     * Gelu, exact or with the tanh approximation.
     *
     * @param approximate true for the tanh approximation (Keras's {@code approximate}, default false)
     * @return the activation
     */
    public static ActivationFunction gelu(boolean approximate) {
        return new Fn("gelu", x -> Ops.gelu(x, approximate), null);
    }

    /**
     * An ELU with the given alpha.
     *
     * @param alpha the scale of the negative part (Keras's {@code alpha}, default 1.0)
     * @return the activation
     */
    public static ActivationFunction elu(double alpha) {
        return new Fn("elu", x -> Ops.elu(x, alpha), null);
    }

    /** Registers all of them by name. */
    public static void registerAll() {
        for (ActivationFunction a : new ActivationFunction[] {LINEAR, RELU, SIGMOID, TANH, SOFTMAX, ELU, SELU,
                SOFTPLUS, SOFTSIGN, SWISH, SILU, GELU, LEAKY_RELU, EXPONENTIAL, HARD_SIGMOID, HARD_SIGMOID_KERAS2}) {
            Registry.register(Registry.Kind.ACTIVATION, a.name(), () -> a);
        }
    }

    /**
     * The activation named {@code name} (see {@link Registry#activation}).
     *
     * @param name an activation name, e.g. {@code "relu"}
     * @return the activation
     * @throws IllegalArgumentException for an unknown name
     */
    public static ActivationFunction get(String name) {
        return Registry.activation(name);
    }
}
