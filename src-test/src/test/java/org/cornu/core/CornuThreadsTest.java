package org.cornu.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class CornuThreadsTest {
    // libnd4j's Environment.setMaxThreads does nothing in M2.1 (its pool is sized at start-up);
    // the master-thread count is the setting its ops read
    @Test
    void setNumThreadsSetsBlasAndLibnd4jOpThreadsAlike() {
        int blas = Nd4j.factory().blas().getMaxThreads();
        int master = Nd4j.getEnvironment().maxMasterThreads();
        try {
            Cornu.setNumThreads(2);
            assertEquals(2, Cornu.numThreads());
            assertEquals(2, Nd4j.factory().blas().getMaxThreads());
            // capped at the size of libnd4j's pool
            assertEquals(Math.min(2, Nd4j.getEnvironment().maxThreads()), Nd4j.getEnvironment().maxMasterThreads());
            Cornu.setNumThreads(1);
            assertEquals(1, Cornu.numThreads());
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
        } finally {
            Nd4j.factory().blas().setMaxThreads(blas);
            Nd4j.getEnvironment().setMaxMasterThreads(master);
        }
    }

    @Test
    void aThreadCountBelowOneIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cornu.setNumThreads(0));
        assertTrue(e.getMessage().contains("setNumThreads") && e.getMessage().contains("0"), e.getMessage());
    }
}
