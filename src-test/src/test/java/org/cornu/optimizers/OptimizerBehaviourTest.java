package org.cornu.optimizers;

import static org.cornu.optimizers.OptimizerTestSupport.array;
import static org.cornu.optimizers.OptimizerTestSupport.assertClose;
import static org.cornu.optimizers.OptimizerTestSupport.values;
import static org.cornu.optimizers.OptimizerTestSupport.weight;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cornu.core.Cornu;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.cornu.core.constraints.Constraints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the base optimizer adds around each update rule, as Keras 3's {@code BaseOptimizer.apply}:
 * gradient clipping, decoupled weight decay, constraints after the update, the iteration count,
 * argument checks and {@code get_config()}.
 */
class OptimizerBehaviourTest {
    static final double TOL = 1e-12;

    @BeforeEach
    void float64() {
        Cornu.setFloatx("float64");
    }

    @AfterEach
    void restore() {
        Cornu.setFloatx("float32");
    }

    private static void step(Optimizer opt, List<Weight> ws, double[]... grads) {
        opt.apply(Arrays.stream(grads).map(OptimizerTestSupport::array).toList(), ws);
    }

    // ------------------------------------------------------------------------------- clipping

    @Test
    void clipnormScalesEachGradientToTheNorm() {
        // g = (3, 4): norm 5 > 1, clipped to (0.6, 0.8); h = (0.3, 0.4): norm 0.5, unchanged
        Weight a = weight(1, 1);
        Weight b = weight(1, 1);
        INDArray g = array(3, 4);
        INDArray h = array(0.3, 0.4);
        new SGD(1.0).clipnorm(1.0).apply(List.of(g, h), List.of(a, b));
        assertClose(new double[] {1 - 3 * 1.0 / 5, 1 - 4 * 1.0 / 5}, values(a.value()), TOL, "clipped");
        assertClose(new double[] {1 - 0.3, 1 - 0.4}, values(b.value()), TOL, "unclipped");
        assertArrayEquals(new double[] {3, 4}, values(g), "the caller's gradient is not modified");
    }

    @Test
    void clipvalueClipsElementwise() {
        Weight a = weight(0, 0, 0, 0);
        step(new SGD(1.0).clipvalue(0.5), List.of(a), new double[] {-2, 0.25, 3, -0.5});
        assertClose(new double[] {0.5, -0.25, -0.5, 0.5}, values(a.value()), TOL, "clipvalue");
    }

    @Test
    void globalClipnormScalesAllGradientsTogether() {
        // norms 3 and 4: global norm 5, clip 2.5 -> every gradient scaled by 0.5
        Weight a = weight(0, 0);
        Weight b = weight(0);
        step(new SGD(1.0).globalClipnorm(2.5), List.of(a, b), new double[] {3, 0}, new double[] {-4});
        assertClose(new double[] {-1.5, 0}, values(a.value()), TOL, "a");
        assertClose(new double[] {2.0}, values(b.value()), TOL, "b");

        // below the clip: unchanged
        Weight c = weight(0, 0);
        step(new SGD(1.0).globalClipnorm(10), List.of(c), new double[] {3, 4});
        assertClose(new double[] {-3, -4}, values(c.value()), TOL, "below the clip");
    }

    @Test
    void globalClipnormOfANonFiniteNormGivesNaNEverywhere() {
        Weight a = weight(0, 0);
        Weight b = weight(0);
        step(new SGD(1.0).globalClipnorm(1), List.of(a, b), new double[] {Double.POSITIVE_INFINITY, 1}, new double[] {1});
        assertTrue(Double.isNaN(values(a.value())[1]) && Double.isNaN(values(b.value())[0]));
    }

    @Test
    void zeroClipValuesClipNothing() {
        for (Function<SGD, SGD> setClip : List.<Function<SGD, SGD>>of(o -> o.clipnorm(0), o -> o.clipvalue(0),
                o -> o.globalClipnorm(0))) {
            Weight a = weight(0, 0);
            step(setClip.apply(new SGD(1.0)), List.of(a), new double[] {3, 4});
            assertClose(new double[] {-3, -4}, values(a.value()), TOL, "no clipping");
        }
    }

    @Test
    void onlyOneClipArgumentCanBeSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Adam().clipnorm(1.0).clipvalue(0.5));
        assertTrue(e.getMessage().contains("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set"),
                e.getMessage());
        assertTrue(e.getMessage().contains("clipnorm=1.0") && e.getMessage().contains("clipvalue=0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD().globalClipnorm(1).clipnorm(1));
        // setting the same one again is fine
        new SGD().clipnorm(1).clipnorm(2);
        assertThrows(IllegalArgumentException.class, () -> new SGD().clipnorm(-1));
    }

    // --------------------------------------------------------------------------- weight decay

    @Test
    void weightDecayShrinksTheWeightBeforeTheUpdate() {
        double lr = 0.1, wd = 0.5;
        Weight a = weight(2.0, -4.0);
        SGD opt = new SGD(lr).weightDecay(wd);
        step(opt, List.of(a), new double[] {1.0, 0.5});
        double[] w = {2.0, -4.0};
        double[] g = {1.0, 0.5};
        for (int i = 0; i < 2; i++) w[i] = (w[i] - w[i] * wd * lr) - lr * g[i];
        assertClose(w, values(a.value()), TOL, "decayed then stepped");
        assertEquals(0.5, opt.weightDecay());
    }

    @Test
    void excludeFromWeightDecayByNameOrWeight() {
        double lr = 0.1, wd = 0.5;
        Weight kernel = weight("kernel", null, 2.0);
        Weight bias = weight("bias", null, 2.0);
        Weight other = weight("gamma", null, 2.0);
        SGD opt = new SGD(lr).weightDecay(wd).excludeFromWeightDecay("bia").excludeFromWeightDecay(List.of(other));
        step(opt, List.of(kernel, bias, other), new double[] {0}, new double[] {0}, new double[] {0});
        assertClose(new double[] {2.0 - 2.0 * wd * lr}, values(kernel.value()), TOL, "kernel decays");
        assertArrayEquals(new double[] {2.0}, values(bias.value()), "bias excluded by name");
        assertArrayEquals(new double[] {2.0}, values(other.value()), "gamma excluded by identity");
    }

    // ----------------------------------------------------------------------------- constraint

    @Test
    void constraintIsAppliedAfterTheUpdate() {
        // the update takes the first two entries below zero; non_neg sets them to 0 afterwards
        Weight w = weight("w", Constraints.nonNeg(), 0.5, 0.1, 1.0);
        SGD opt = new SGD(1.0);
        step(opt, List.of(w), new double[] {1.0, 0.3, 0.25});
        assertClose(new double[] {0.0, 0.0, 0.75}, values(w.value()), TOL, "non_neg after the step");
        // with momentum the slot still holds the unconstrained step
        Weight v = weight("v", Constraints.nonNeg(), 0.5);
        SGD mom = new SGD(1.0).momentum(0.5);
        step(mom, List.of(v), new double[] {1.0});
        assertArrayEquals(new double[] {0.0}, values(v.value()));
        assertArrayEquals(new double[] {-1.0}, values(mom.slots(v).get("momentum")));
    }

    // ------------------------------------------------------------------ iterations and nulls

    @Test
    void iterationsCountStepsAndNullGradientsThrowNamingTheWeight() {
        Weight a = weight(1.0);
        Weight b = new Weight("w", "dense_7/kernel", array(1.0), true, null, null);
        Adam opt = new Adam(0.1);
        assertEquals(0, opt.iterations());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.apply(Arrays.asList(array(1.0), null), List.of(a, b)));
        assertTrue(e.getMessage().contains("dense_7/kernel"), e.getMessage());
        assertEquals(0, opt.iterations(), "a refused step counts nothing");
        assertArrayEquals(new double[] {1.0}, values(a.value()), "a refused step updates nothing");
        assertArrayEquals(new double[] {1.0}, values(b.value()));
        assertThrows(IllegalArgumentException.class, () -> opt.apply(List.of(array(1.0)), List.of(a, b)), "one gradient per variable");
        opt.apply(List.of(array(1.0)), List.of(a));
        assertEquals(1, opt.iterations());
        // Adam's first step is lr * sign(g), up to epsilon: 0.1 * sqrt(0.001) / (sqrt(0.001) + 1e-7)
        assertEquals(1.0 - 0.1 * Math.sqrt(0.001) / (Math.sqrt(0.001) + 1e-7), values(a.value())[0], 1e-15);
    }

    @Test
    void weightDtypeIsKeptAndGradientIsCast() {
        Weight w = new Weight("w", "t/w", org.nd4j.linalg.factory.Nd4j.create(new float[] {1f, 2f}, new long[] {2},
                org.nd4j.linalg.api.buffer.DataType.FLOAT), true, null, null);
        RMSprop opt = new RMSprop();
        opt.apply(List.of(array(0.5, -0.5)), List.of(w)); // float64 gradient, float32 weight
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, w.value().dataType());
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, opt.slots(w).get("velocity").dataType());
        // lr * g / sqrt(0.1 * g^2 + eps) = 0.001 / sqrt(0.1 + 4e-7) per unit of sign(g), in float32
        assertEquals(1.0 - 0.001 / Math.sqrt(0.1 + 1e-7 / 0.25), w.value().getDouble(0), 1e-7);
    }

    @Test
    void higherRankAndScalarWeights() {
        // a 2x3 matrix and a rank-0 scalar take the same elementwise steps as a vector
        org.nd4j.linalg.api.ndarray.INDArray m = org.nd4j.linalg.factory.Nd4j.create(
                new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        Weight matrix = new Weight("m", "t/m", m, true, null, null);
        Weight scalar = new Weight("s", "t/s", org.nd4j.linalg.factory.Nd4j.scalar(2.0), true, null, null);
        Weight vector = weight(1, 2, 3, 4, 5, 6);
        Weight vscalar = weight(2.0);
        org.nd4j.linalg.api.ndarray.INDArray gm = org.nd4j.linalg.factory.Nd4j.create(
                new double[] {0.1, -0.2, 0.3, -0.4, 0.5, -0.6}, new long[] {2, 3}, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        for (Optimizer[] pair : new Optimizer[][] {{new Nadam(0.1), new Nadam(0.1)}, {new Adam(0.1), new Adam(0.1)},
                {new RMSprop(0.1).centered(true), new RMSprop(0.1).centered(true)}, {new Adadelta(1.0), new Adadelta(1.0)}}) {
            for (int s = 0; s < 2; s++) {
                pair[0].apply(List.of(gm, org.nd4j.linalg.factory.Nd4j.scalar(0.7)), List.of(matrix, scalar));
                pair[1].apply(List.of(array(0.1, -0.2, 0.3, -0.4, 0.5, -0.6), array(0.7)), List.of(vector, vscalar));
            }
            assertArrayEquals(new long[] {2, 3}, matrix.value().shape());
            assertClose(values(vector.value()), values(matrix.value().reshape(6)), TOL, pair[0].name() + " matrix");
            assertClose(values(vscalar.value()), new double[] {scalar.value().getDouble(0)}, TOL, pair[0].name() + " scalar");
        }
    }

    // ----------------------------------------------------------------------- argument checks

    private static void assertRejected(String argument, String value, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains("`" + argument + "`") && e.getMessage().contains(argument + "=" + value),
                "message should name " + argument + " and " + value + ": " + e.getMessage());
    }

    @Test
    void badArgumentsAreRejectedWithKerasLikeMessages() {
        assertRejected("learning_rate", "-0.1", () -> new Adam(-0.1));
        assertRejected("learning_rate", "NaN", () -> new SGD().learningRate(Double.NaN));
        assertRejected("momentum", "1.5", () -> new SGD().momentum(1.5));
        assertRejected("momentum", "-0.1", () -> new RMSprop().momentum(-0.1));
        assertRejected("rho", "1.0", () -> new RMSprop().rho(1.0));
        assertRejected("rho", "-0.5", () -> new Adadelta().rho(-0.5));
        assertRejected("beta_1", "1.0", () -> new Adam().beta1(1.0));
        assertRejected("beta_2", "1.2", () -> new Nadam().beta2(1.2));
        assertRejected("beta_1", "-0.1", () -> new Adamax().beta1(-0.1));
        assertRejected("epsilon", "-1.0E-7", () -> new Adam().epsilon(-1e-7));
        assertRejected("initial_accumulator_value", "-0.1", () -> new Adagrad().initialAccumulatorValue(-0.1));
        assertRejected("weight_decay", "-0.004", () -> new AdamW().weightDecay(-0.004));
        assertRejected("clipvalue", "-1.0", () -> new SGD().clipvalue(-1));
    }

    // ----------------------------------------------------------------------------- get_config

    private static final List<String> BASE_KEYS = List.of("name", "learning_rate", "weight_decay", "clipnorm",
            "global_clipnorm", "clipvalue", "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
            "gradient_accumulation_steps");

    private static void assertConfig(Optimizer opt, String name, double lr, Object... own) {
        Map<String, Object> c = opt.getConfig();
        List<String> keys = new java.util.ArrayList<>(BASE_KEYS);
        for (int i = 0; i < own.length; i += 2) keys.add((String) own[i]);
        assertEquals(keys, List.copyOf(c.keySet()), name + " keys");
        assertEquals(name, c.get("name"));
        assertEquals(lr, c.get("learning_rate"));
        assertEquals(false, c.get("use_ema"));
        assertEquals(0.99, c.get("ema_momentum"));
        for (int i = 0; i < own.length; i += 2) assertEquals(own[i + 1], c.get(own[i]), name + " " + own[i]);
    }

    @Test
    void getConfigHasKerasKeysAndDefaults() {
        assertConfig(new SGD(), "SGD", 0.01, "momentum", 0.0, "nesterov", false);
        assertConfig(new RMSprop(), "rmsprop", 0.001, "rho", 0.9, "momentum", 0.0, "epsilon", 1e-7, "centered", false);
        assertConfig(new Adam(), "adam", 0.001, "beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7, "amsgrad", false);
        assertConfig(new AdamW(), "adamw", 0.001, "beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7, "amsgrad", false);
        assertEquals(0.004, new AdamW().getConfig().get("weight_decay"));
        assertNull(new Adam().getConfig().get("weight_decay"));
        assertConfig(new Adagrad(), "adagrad", 0.001, "initial_accumulator_value", 0.1, "epsilon", 1e-7);
        assertConfig(new Adadelta(), "adadelta", 0.001, "rho", 0.95, "epsilon", 1e-7);
        assertConfig(new Adamax(), "adamax", 0.001, "beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7);
        assertConfig(new Nadam(), "nadam", 0.001, "beta_1", 0.9, "beta_2", 0.999, "epsilon", 1e-7);
        assertConfig(new SGD(0.1).momentum(0.9).nesterov(true).clipnorm(1.0), "SGD", 0.1, "momentum", 0.9, "nesterov", true);
        assertEquals(1.0, new SGD().clipnorm(1.0).getConfig().get("clipnorm"));
    }

    @Test
    void fluentSettersKeepTheConcreteType() {
        AdamW w = new AdamW(0.01).weightDecay(0.1).beta1(0.8).clipnorm(1.0).amsgrad(true);
        assertEquals(0.8, w.beta1());
        Adam a = new Adam().learningRate(0.01).beta2(0.99);
        assertEquals(0.01, a.learningRate());
        RMSprop r = new RMSprop().globalClipnorm(1).rho(0.8).centered(true);
        assertTrue(r.centered());
    }
}
