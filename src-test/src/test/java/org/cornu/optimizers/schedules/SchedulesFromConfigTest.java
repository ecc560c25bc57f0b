package org.cornu.optimizers.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Registry;
import org.junit.jupiter.api.Test;

/**
 * The two schedules added for Keras configs (InverseTimeDecay, PolynomialDecay) against
 * hand-computed values from the formulas of
 * {@code keras/src/optimizers/schedules/learning_rate_schedule.py}, and every schedule made from
 * its Keras {@code get_config()} through the registry.
 */
class SchedulesFromConfigTest {
    @Test
    void inverseTimeDecay() {
        InverseTimeDecay s = new InverseTimeDecay(0.1, 2, 0.5);
        assertEquals(0.1, s.apply(0), 0.0);
        // 0.1 / (1 + 0.5 * 3 / 2)
        assertEquals(0.1 / 1.75, s.apply(3), 1e-16);
        InverseTimeDecay st = new InverseTimeDecay(0.1, 2, 0.5, true);
        // floor(3 / 2) = 1: 0.1 / 1.5
        assertEquals(0.1 / 1.5, st.apply(3), 1e-16);
        assertThrows(IllegalArgumentException.class, () -> new InverseTimeDecay(0.1, 0, 0.5));
    }

    @Test
    void polynomialDecay() {
        PolynomialDecay s = new PolynomialDecay(0.1, 10, 0.01, 1.0, false);
        // (0.1 - 0.01) * (1 - 5/10) + 0.01
        assertEquals(0.055, s.apply(5), 1e-16);
        assertEquals(0.01, s.apply(25), 1e-16);
        PolynomialDecay sq = new PolynomialDecay(0.1, 10, 0.0, 2.0, false);
        assertEquals(0.1 * 0.25, sq.apply(5), 1e-16);
        PolynomialDecay cyc = new PolynomialDecay(0.1, 10, 0.01, 1.0, true);
        assertEquals(0.1, cyc.apply(0), 1e-16);
        // step 15: the period becomes 20, (0.09) * (1 - 15/20) + 0.01
        assertEquals(0.09 * 0.25 + 0.01, cyc.apply(15), 1e-16);
        assertEquals(0.01, cyc.apply(20), 1e-16);
        // Keras's defaults: end 1e-4, power 1, no cycle
        assertEquals(Map.of("initial_learning_rate", 0.1, "decay_steps", 10L, "end_learning_rate", 0.0001, "power", 1.0,
                "cycle", false, "name", "PolynomialDecay"), new PolynomialDecay(0.1, 10).getConfig());
    }

    @Test
    void everyScheduleComesBackFromItsKerasConfig() {
        List<LearningRateSchedule> all = List.of(
                new ExponentialDecay(0.1, 10, 0.5, true),
                new InverseTimeDecay(0.2, 3, 0.25),
                new PolynomialDecay(0.1, 10, 0.01, 0.5, true),
                new PiecewiseConstantDecay(new long[] {3, 7}, new double[] {0.1, 0.05, 0.01}),
                new CosineDecay(0.01, 20, 0.1, 0.1, 5),
                new CosineDecay(0.01, 20));
        for (LearningRateSchedule s : all) {
            LearningRateSchedule back = Registry.schedule(s.name(), s.getConfig());
            assertInstanceOf(s.getClass(), back);
            assertEquals(s.getConfig(), back.getConfig());
            for (long step = 0; step < 40; step += 3) assertEquals(s.apply(step), back.apply(step), 0.0, s.name() + " " + step);
        }
    }

    @Test
    void kerasConfigsWithFloatStepsAndDefaults() {
        // Keras's docstring example writes decay_steps = 1.0; staircase and name may be absent
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", 0.1);
        c.put("decay_steps", 1.0);
        c.put("decay_rate", 0.5);
        LearningRateSchedule s = Registry.schedule("InverseTimeDecay", c);
        assertEquals(0.1 / 2, s.apply(2), 1e-16);
        // CosineDecay without the warmup keys
        LearningRateSchedule cd = Registry.schedule("cosinedecay", Map.of("initial_learning_rate", 0.5, "decay_steps", 10));
        assertEquals(0.25, cd.apply(5), 1e-15);
    }

    @Test
    void badConfigsNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Registry.schedule("ExponentialDecay", Map.of("initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5,
                        "cycle", true)));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Registry.schedule("ExponentialDecay", Map.of("initial_learning_rate", 0.1, "decay_steps", 2.5, "decay_rate", 0.5)));
        assertTrue(e.getMessage().contains("decay_steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Registry.schedule("CosineDecayRestarts", Map.of()));
        assertTrue(e.getMessage().contains("CosineDecayRestarts") && e.getMessage().contains("exponentialdecay"), e.getMessage());
    }
}
