package org.cornu.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.cornu.core.Optimizer;
import org.cornu.core.Registry;
import org.junit.jupiter.api.Test;

/** Optimizers by Keras name through the core registry. */
class OptimizerRegistryTest {
    @Test
    void rmspropByNameHasKerasDefaults() {
        Optimizer o = Registry.optimizer("rmsprop");
        RMSprop r = assertInstanceOf(RMSprop.class, o);
        assertEquals(0.001, r.learningRate());
        assertEquals(0.9, r.rho());
        assertEquals(0.0, r.momentum());
        assertEquals(1e-7, r.epsilon());
        assertEquals(false, r.centered());
        assertEquals("rmsprop", r.name());
    }

    @Test
    void everyNameAndClassNameGivesANewDefaultInstance() {
        Map<String, Class<?>> names = Map.of("sgd", SGD.class, "rmsprop", RMSprop.class, "adam", Adam.class,
                "adamw", AdamW.class, "adagrad", Adagrad.class, "adadelta", Adadelta.class, "adamax", Adamax.class,
                "nadam", Nadam.class);
        for (Map.Entry<String, Class<?>> e : names.entrySet()) {
            Optimizer a = Registry.optimizer(e.getKey());
            Optimizer b = Registry.optimizer(e.getValue().getSimpleName()); // "RMSprop", "AdamW", ...
            assertEquals(e.getValue(), a.getClass());
            assertEquals(e.getValue(), b.getClass());
            assertNotSame(a, b);
            assertEquals(0, a.iterations());
        }
        assertEquals(0.01, Registry.optimizer("sgd").learningRate());
        assertEquals(0.004, Registry.optimizer("adamw").weightDecay());
        Optimizer mine = new Adam(0.5);
        assertSame(mine, Registry.optimizer(mine));
    }

    @Test
    void unknownNameListsTheValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Registry.optimizer("adamx"));
        String msg = e.getMessage();
        assertTrue(msg.contains("'adamx'"), msg);
        for (String n : new String[] {"adadelta", "adagrad", "adam", "adamax", "adamw", "nadam", "rmsprop", "sgd"}) {
            assertTrue(msg.contains(n), "message should list " + n + ": " + msg);
        }
    }
}
