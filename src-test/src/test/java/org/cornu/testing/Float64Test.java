package org.cornu.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.cornu.core.Cornu;

/** Base for tests that run in float64 (gradient checks); restores float32 afterwards. */
public abstract class Float64Test {
    @BeforeEach
    void float64() {
        Cornu.setFloatx("float64");
        Cornu.setSeed(1234);
    }

    @AfterEach
    void float32() {
        Cornu.setFloatx("float32");
    }
}
