package org.cornu.optimizers;

import static org.cornu.optimizers.OptimizerTestSupport.assertClose;
import static org.cornu.optimizers.OptimizerTestSupport.run;
import static org.cornu.optimizers.OptimizerTestSupport.values;
import static org.cornu.optimizers.OptimizerTestSupport.weight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first three updates of every optimizer against Keras 3's update rules written out by hand,
 * per element, in plain double arithmetic (float64 weights, relative tolerance 1e-12), and the
 * slot variables where Keras names them.
 */
class OptimizerFormulasTest {
    static final double TOL = 1e-12;
    static final double[] W0 = {0.5, -1.25, 2.0, 0.0};
    static final double[][] G = {
        {0.1, -0.2, 0.3, -0.4},
        {0.05, 0.25, -0.15, 0.4},
        {-0.3, 0.1, 0.2, 0.02},
    };

    @BeforeEach
    void float64() {
        Cornu.setFloatx("float64");
    }

    @AfterEach
    void restore() {
        Cornu.setFloatx("float32");
    }

    /** Runs {@code opt} for three steps from W0 and checks each step against {@code expected}. */
    private static Weight check(Optimizer opt, double[][] expected, String what) {
        Weight w = weight(W0.clone());
        List<double[]> got = run(opt, w, G);
        for (int s = 0; s < expected.length; s++) {
            assertClose(expected[s], got.get(s), TOL, what + " step " + (s + 1));
        }
        assertEquals(3, opt.iterations());
        return w;
    }

    // ------------------------------------------------------------------------------------ SGD

    @Test
    void sgdPlain() {
        double lr = 0.01;
        double[][] exp = new double[3][4];
        double[] w = W0.clone();
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) w[i] = w[i] - lr * G[s][i];
            exp[s] = w.clone();
        }
        Weight weight = check(new SGD(), exp, "SGD");
        assertTrue(new SGD().slots(weight).isEmpty());
    }

    @Test
    void sgdMomentum() {
        double lr = 0.1, mom = 0.9;
        double[][] exp = new double[3][4];
        double[] w = W0.clone();
        double[] v = new double[4];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) {
                v[i] = mom * v[i] - lr * G[s][i];
                w[i] = w[i] + v[i];
            }
            exp[s] = w.clone();
        }
        SGD opt = new SGD(lr).momentum(mom);
        Weight weight = check(opt, exp, "SGD momentum");
        assertClose(v, values(opt.slots(weight).get("momentum")), TOL, "SGD momentum slot");
    }

    @Test
    void sgdNesterov() {
        double lr = 0.1, mom = 0.8;
        double[][] exp = new double[3][4];
        double[] w = W0.clone();
        double[] v = new double[4];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) {
                v[i] = mom * v[i] - lr * G[s][i];
                w[i] = w[i] + (mom * v[i] - lr * G[s][i]);
            }
            exp[s] = w.clone();
        }
        check(new SGD(lr).momentum(mom).nesterov(true), exp, "SGD nesterov");
    }

    // -------------------------------------------------------------------------------- RMSprop

    @Test
    void rmspropDefaults() {
        double lr = 0.001, rho = 0.9, eps = 1e-7;
        double[][] exp = new double[3][4];
        double[] w = W0.clone();
        double[] vel = new double[4];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) {
                double g = G[s][i];
                vel[i] = rho * vel[i] + (1 - rho) * g * g;
                w[i] = w[i] - lr * g / Math.sqrt(vel[i] + eps);
            }
            exp[s] = w.clone();
        }
        RMSprop opt = new RMSprop();
        Weight weight = check(opt, exp, "RMSprop");
        assertClose(vel, values(opt.slots(weight).get("velocity")), TOL, "RMSprop velocity");
        assertEquals(List.of("velocity"), List.copyOf(opt.slots(weight).keySet()));
    }

    @Test
    void rmspropCenteredWithMomentum() {
        double lr = 0.01, rho = 0.8, mom = 0.5, eps = 1e-6;
        double[][] exp = new double[3][4];
        double[] w = W0.clone();
        double[] vel = new double[4], avg = new double[4], m = new double[4];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) {
                double g = G[s][i];
                vel[i] = rho * vel[i] + (1 - rho) * g * g;
                avg[i] = rho * avg[i] + (1 - rho) * g;
                double denominator = vel[i] - avg[i] * avg[i] + eps;
                double increment = lr * g / Math.sqrt(denominator);
                m[i] = mom * m[i] + increment;
                w[i] = w[i] - m[i];
            }
            exp[s] = w.clone();
        }
        RMSprop opt = new RMSprop(lr).rho(rho).momentum(mom).epsilon(eps).centered(true);
        Weight weight = check(opt, exp, "RMSprop centered momentum");
        assertEquals(List.of("velocity", "momentum", "average_gradient"), List.copyOf(opt.slots(weight).keySet()));
        assertClose(avg, values(opt.slots(weight).get("average_gradient")), TOL, "average_gradient");
        assertClose(m, values(opt.slots(weight).get("momentum")), TOL, "momentum");
    }

    // ----------------------------------------------------------------------------------- Adam

    /** Keras's Adam (optionally AMSGrad, optionally with weight decay first) for three steps. */
    private static double[][] adamReference(double lr, double b1, double b2, double eps, boolean amsgrad,
                                            double wd, double[][] slotsOut) {
        double[][] exp = new double[3][4];
        double[] w = W0.clone();
        double[] m = new double[4], v = new double[4], vHat = new double[4];
        for (int s = 0; s < 3; s++) {
            int t = s + 1;
            double b1p = Math.pow(b1, t), b2p = Math.pow(b2, t);
            double alpha = lr * Math.sqrt(1 - b2p) / (1 - b1p);
            for (int i = 0; i < 4; i++) {
                double g = G[s][i];
                w[i] = w[i] - w[i] * wd * lr;
                m[i] = m[i] + (g - m[i]) * (1 - b1);
                v[i] = v[i] + (g * g - v[i]) * (1 - b2);
                double second = v[i];
                if (amsgrad) {
                    vHat[i] = Math.max(vHat[i], v[i]);
                    second = vHat[i];
                }
                w[i] = w[i] - m[i] * alpha / (Math.sqrt(second) + eps);
            }
            exp[s] = w.clone();
        }
        if (slotsOut != null) {
            slotsOut[0] = m;
            slotsOut[1] = v;
            slotsOut[2] = vHat;
        }
        return exp;
    }

    @Test
    void adamDefaults() {
        double[][] slots = new double[3][];
        double[][] exp = adamReference(0.001, 0.9, 0.999, 1e-7, false, 0, slots);
        Adam opt = new Adam();
        Weight weight = check(opt, exp, "Adam");
        assertEquals(List.of("momentum", "velocity"), List.copyOf(opt.slots(weight).keySet()));
        assertClose(slots[0], values(opt.slots(weight).get("momentum")), TOL, "Adam momentum");
        assertClose(slots[1], values(opt.slots(weight).get("velocity")), TOL, "Adam velocity");
    }

    @Test
    void adamCustom() {
        double[][] exp = adamReference(0.1, 0.8, 0.99, 1e-3, false, 0, null);
        check(new Adam(0.1).beta1(0.8).beta2(0.99).epsilon(1e-3), exp, "Adam custom");
    }

    @Test
    void adamAmsgrad() {
        // beta_2 = 0.5 lets v fall after the large first gradients, so v_hat != v.
        double[][] slots = new double[3][];
        double[][] exp = adamReference(0.1, 0.9, 0.5, 1e-7, true, 0, slots);
        double[][] plain = adamReference(0.1, 0.9, 0.5, 1e-7, false, 0, null);
        boolean differs = false;
        for (int i = 0; i < 4; i++) differs |= Math.abs(exp[2][i] - plain[2][i]) > 1e-6;
        assertTrue(differs, "test data should make AMSGrad differ from Adam");
        Adam opt = new Adam(0.1).beta2(0.5).amsgrad(true);
        Weight weight = check(opt, exp, "Adam amsgrad");
        assertEquals(List.of("momentum", "velocity", "velocity_hat"), List.copyOf(opt.slots(weight).keySet()));
        assertClose(slots[2], values(opt.slots(weight).get("velocity_hat")), TOL, "velocity_hat");
    }

    @Test
    void adamwDefaultDecay() {
        double[][] exp = adamReference(0.001, 0.9, 0.999, 1e-7, false, 0.004, null);
        check(new AdamW(), exp, "AdamW");
    }

    @Test
    void adamwLargeDecay() {
        double[][] exp = adamReference(0.1, 0.9, 0.999, 1e-7, false, 0.5, null);
        check(new AdamW(0.1).weightDecay(0.5), exp, "AdamW wd=0.5");
    }

    // -------------------------------------------------------------------------------- Adagrad

    @Test
    void adagrad() {
        for (double lr : new double[] {0.001, 0.1}) {
            double init = 0.1, eps = 1e-7;
            double[][] exp = new double[3][4];
            double[] w = W0.clone();
            double[] acc = {init, init, init, init};
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 4; i++) {
                    double g = G[s][i];
                    acc[i] = acc[i] + g * g;
                    w[i] = w[i] - lr * g / Math.sqrt(acc[i] + eps);
                }
                exp[s] = w.clone();
            }
            Adagrad opt = new Adagrad(lr);
            Weight weight = check(opt, exp, "Adagrad lr=" + lr);
            assertClose(acc, values(opt.slots(weight).get("accumulator")), TOL, "accumulator");
        }
    }

    @Test
    void adagradZeroInitialAccumulator() {
        double lr = 0.5, eps = 1e-4;
        double[][] exp = new double[3][4];
        double[] w = W0.clone();
        double[] acc = new double[4];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) {
                double g = G[s][i];
                acc[i] = acc[i] + g * g;
                w[i] = w[i] - lr * g / Math.sqrt(acc[i] + eps);
            }
            exp[s] = w.clone();
        }
        check(new Adagrad(lr).initialAccumulatorValue(0).epsilon(eps), exp, "Adagrad init 0");
    }

    // ------------------------------------------------------------------------------- Adadelta

    @Test
    void adadelta() {
        for (double[] cfg : new double[][] {{0.001, 0.95, 1e-7}, {1.0, 0.9, 1e-3}}) {
            double lr = cfg[0], rho = cfg[1], eps = cfg[2];
            double[][] exp = new double[3][4];
            double[] w = W0.clone();
            double[] accGrad = new double[4], accDelta = new double[4];
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 4; i++) {
                    double g = G[s][i];
                    accGrad[i] = rho * accGrad[i] + (1 - rho) * g * g;
                    double delta = -(Math.sqrt(accDelta[i] + eps) * g / Math.sqrt(accGrad[i] + eps));
                    accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
                    w[i] = w[i] + lr * delta;
                }
                exp[s] = w.clone();
            }
            Adadelta opt = new Adadelta(lr).rho(rho).epsilon(eps);
            Weight weight = check(opt, exp, "Adadelta " + java.util.Arrays.toString(cfg));
            assertEquals(List.of("accumulated_grad", "accumulated_delta_var"), List.copyOf(opt.slots(weight).keySet()));
            assertClose(accGrad, values(opt.slots(weight).get("accumulated_grad")), TOL, "accumulated_grad");
            assertClose(accDelta, values(opt.slots(weight).get("accumulated_delta_var")), TOL, "accumulated_delta_var");
        }
    }

    // --------------------------------------------------------------------------------- Adamax

    @Test
    void adamax() {
        for (double[] cfg : new double[][] {{0.001, 0.9, 0.999, 1e-7}, {0.1, 0.8, 0.5, 1e-3}}) {
            double lr = cfg[0], b1 = cfg[1], b2 = cfg[2], eps = cfg[3];
            double[][] exp = new double[3][4];
            double[] w = W0.clone();
            double[] m = new double[4], u = new double[4];
            for (int s = 0; s < 3; s++) {
                double b1p = Math.pow(b1, s + 1);
                for (int i = 0; i < 4; i++) {
                    double g = G[s][i];
                    m[i] = m[i] + (g - m[i]) * (1 - b1);
                    u[i] = Math.max(b2 * u[i], Math.abs(g));
                    w[i] = w[i] - lr * m[i] / ((1 - b1p) * (u[i] + eps));
                }
                exp[s] = w.clone();
            }
            Adamax opt = new Adamax(lr).beta1(b1).beta2(b2).epsilon(eps);
            Weight weight = check(opt, exp, "Adamax " + java.util.Arrays.toString(cfg));
            assertEquals(List.of("momentum", "norm"), List.copyOf(opt.slots(weight).keySet()));
            assertClose(u, values(opt.slots(weight).get("norm")), TOL, "norm");
        }
    }

    // ---------------------------------------------------------------------------------- Nadam

    @Test
    void nadam() {
        for (double[] cfg : new double[][] {{0.001, 0.9, 0.999, 1e-7}, {0.1, 0.8, 0.99, 1e-3}}) {
            double lr = cfg[0], b1 = cfg[1], b2 = cfg[2], eps = cfg[3];
            double[][] exp = new double[3][4];
            double[] w = W0.clone();
            double[] m = new double[4], v = new double[4];
            double uProduct = 1.0; // Keras's u_product variable
            for (int s = 0; s < 3; s++) {
                int t = s + 1;
                // Keras updates u_product once per step, before the variables
                uProduct = uProduct * b1 * (1.0 - 0.5 * Math.pow(0.96, t));
                double uT = b1 * (1.0 - 0.5 * Math.pow(0.96, t));
                double uT1 = b1 * (1.0 - 0.5 * Math.pow(0.96, t + 1));
                double uProductT1 = uProduct * uT1;
                double b2p = Math.pow(b2, t);
                for (int i = 0; i < 4; i++) {
                    double g = G[s][i];
                    m[i] = m[i] + (g - m[i]) * (1 - b1);
                    v[i] = v[i] + (g * g - v[i]) * (1 - b2);
                    double mHat = uT1 * m[i] / (1 - uProductT1) + (1 - uT) * g / (1 - uProduct);
                    double vHat = v[i] / (1 - b2p);
                    w[i] = w[i] - mHat * lr / (Math.sqrt(vHat) + eps);
                }
                exp[s] = w.clone();
            }
            Nadam opt = new Nadam(lr).beta1(b1).beta2(b2).epsilon(eps);
            check(opt, exp, "Nadam " + java.util.Arrays.toString(cfg));
        }
    }

    /** Nadam's momentum cache is per optimizer step, not per weight: two weights, one step each. */
    @Test
    void nadamTwoWeightsShareTheMomentumCache() {
        Nadam together = new Nadam(0.1);
        Weight a = weight(W0.clone());
        Weight b = weight(W0.clone());
        for (double[] g : G) {
            together.apply(List.of(OptimizerTestSupport.array(g), OptimizerTestSupport.array(g)), List.of(a, b));
        }
        Nadam alone = new Nadam(0.1);
        Weight c = weight(W0.clone());
        run(alone, c, G);
        assertClose(values(c.value()), values(a.value()), TOL, "first weight");
        assertClose(values(c.value()), values(b.value()), TOL, "second weight");
    }

    /** Resetting the iteration count restarts the bias corrections (and Nadam's momentum cache). */
    @Test
    void iterationsDriveTheBiasCorrection() {
        List<java.util.function.Supplier<Optimizer>> makers =
                List.of(() -> new Adam(0.1), () -> new Nadam(0.1), () -> new Adamax(0.1), () -> new Adam(0.1).amsgrad(true));
        for (java.util.function.Supplier<Optimizer> make : makers) {
            Optimizer used = make.get();
            run(used, weight(W0.clone()), G);
            used.iterations(0);
            Weight fresh = weight(W0.clone());
            used.apply(List.of(OptimizerTestSupport.array(G[0])), List.of(fresh));
            assertEquals(1, used.iterations());

            Weight reference = weight(W0.clone());
            make.get().apply(List.of(OptimizerTestSupport.array(G[0])), List.of(reference));
            assertClose(values(reference.value()), values(fresh.value()), TOL, used.name() + " after reset");
        }
    }
}
