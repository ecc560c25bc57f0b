package org.cornu.optimizers;

import static org.cornu.optimizers.OptimizerTestSupport.assertClose;
import static org.cornu.optimizers.OptimizerTestSupport.values;
import static org.cornu.optimizers.OptimizerTestSupport.weight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.cornu.optimizers.schedules.CosineDecay;
import org.cornu.optimizers.schedules.ExponentialDecay;
import org.cornu.optimizers.schedules.PiecewiseConstantDecay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Learning rate schedules against hand-computed values, and optimizers driven by them. */
class SchedulesTest {
    @BeforeEach
    void float64() {
        Cornu.setFloatx("float64");
    }

    @AfterEach
    void restore() {
        Cornu.setFloatx("float32");
    }

    private static void near(double expected, double actual) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void exponentialDecay() {
        ExponentialDecay s = new ExponentialDecay(0.1, 10, 0.5);
        near(0.1, s.apply(0));
        near(0.1 * Math.sqrt(0.5), s.apply(5)); // 0.5^(5/10)
        near(0.05, s.apply(10));
        near(0.1 * Math.pow(0.5, 2.5), s.apply(25));
        ExponentialDecay stairs = new ExponentialDecay(0.1, 10, 0.5, true);
        near(0.1, stairs.apply(9));
        near(0.05, stairs.apply(10));
        near(0.025, stairs.apply(25));
        assertEquals("ExponentialDecay", s.name());
        assertEquals(Map.of("initial_learning_rate", 0.1, "decay_steps", 10L, "decay_rate", 0.5, "staircase", true,
                "name", "ExponentialDecay"), stairs.getConfig());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 0, 0.5));
        assertTrue(e.getMessage().contains("decay_steps=0"), e.getMessage());
    }

    @Test
    void piecewiseConstantDecay() {
        PiecewiseConstantDecay s = new PiecewiseConstantDecay(new long[] {100, 200}, new double[] {1.0, 0.5, 0.1});
        assertEquals(1.0, s.apply(0));
        assertEquals(1.0, s.apply(100));
        assertEquals(0.5, s.apply(101));
        assertEquals(0.5, s.apply(200));
        assertEquals(0.1, s.apply(201));
        assertEquals(0.1, s.apply(1_000_000));
        assertEquals("PiecewiseConstantDecay", s.name());
        assertEquals(List.of(100L, 200L), s.getConfig().get("boundaries"));
        assertEquals(List.of(1.0, 0.5, 0.1), s.getConfig().get("values"));
        assertEquals("PiecewiseConstant", s.getConfig().get("name"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {100, 200}, new double[] {1.0, 0.5}));
        assertTrue(e.getMessage().contains("The length of boundaries should be 1 less than the length of values"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {200, 100}, new double[] {1, 2, 3}));
    }

    @Test
    void cosineDecay() {
        CosineDecay s = new CosineDecay(0.1, 100);
        near(0.1, s.apply(0));
        near(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.apply(25));
        near(0.05, s.apply(50));
        near(0.0, s.apply(100));
        near(0.0, s.apply(150)); // held at decay_steps
        CosineDecay floor = new CosineDecay(0.1, 100, 0.1);
        near(0.1 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.5)) + 0.1), floor.apply(50));
        near(0.01, floor.apply(100));
        near(0.01, floor.apply(1000));
        assertEquals("CosineDecay", s.name());
        Map<String, Object> c = floor.getConfig();
        assertEquals(List.of("initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps"),
                List.copyOf(c.keySet()));
        assertEquals(null, c.get("warmup_target"));
        assertEquals(0L, c.get("warmup_steps"));
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 0));
    }

    @Test
    void cosineDecayWithWarmup() {
        // warm up linearly from 0 to 0.1 over 10 steps, then decay over 100 steps to alpha * 0.1
        CosineDecay s = new CosineDecay(0.0, 100, 0.2, 0.1, 10);
        near(0.0, s.apply(0));
        near(0.05, s.apply(5));
        near(0.09, s.apply(9));
        near(0.1, s.apply(10)); // decay phase at fraction 0
        near(0.1 * (0.8 * 0.5 * (1 + Math.cos(Math.PI * 0.5)) + 0.2), s.apply(60));
        near(0.02, s.apply(110));
        near(0.02, s.apply(500));
        assertEquals(0.1, s.getConfig().get("warmup_target"));
        assertEquals(10L, s.getConfig().get("warmup_steps"));
    }

    @Test
    void optimizerUsesTheRateAtTheCurrentIteration() {
        // rates 0.1 for steps 0..1 (iterations <= 1), then 0.01
        PiecewiseConstantDecay sched = new PiecewiseConstantDecay(new long[] {1}, new double[] {0.1, 0.01});
        SGD opt = new SGD(sched);
        Weight w = weight(1.0);
        double expected = 1.0;
        double[] rates = {0.1, 0.1, 0.01, 0.01};
        for (int s = 0; s < 4; s++) {
            assertEquals(rates[s], opt.learningRate());
            opt.apply(List.of(OptimizerTestSupport.array(2.0)), List.of(w));
            expected -= rates[s] * 2.0;
            assertClose(new double[] {expected}, values(w.value()), 1e-12, "step " + (s + 1));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lr = (Map<String, Object>) opt.getConfig().get("learning_rate");
        assertEquals("PiecewiseConstantDecay", lr.get("class_name"));
        assertEquals(sched.getConfig(), lr.get("config"));
    }

    @Test
    void scheduleDrivesAdamAndWeightDecay() {
        // AdamW with an exponential schedule: both the decay and the Adam step use lr(t)
        LearningRateSchedule sched = new ExponentialDecay(0.1, 1, 0.5);
        AdamW opt = new AdamW(sched).weightDecay(0.1);
        Weight w = weight(1.0);
        double x = 1.0, m = 0, v = 0;
        double[] g = {0.5, -0.25, 1.0};
        for (int s = 0; s < 3; s++) {
            double lr = 0.1 * Math.pow(0.5, s);
            int t = s + 1;
            x = x - x * 0.1 * lr;
            m = m + (g[s] - m) * 0.1;
            v = v + (g[s] * g[s] - v) * 0.001;
            double alpha = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            x = x - m * alpha / (Math.sqrt(v) + 1e-7);
            opt.apply(List.of(OptimizerTestSupport.array(g[s])), List.of(w));
            assertClose(new double[] {x}, values(w.value()), 1e-12, "step " + t);
        }
    }
}
