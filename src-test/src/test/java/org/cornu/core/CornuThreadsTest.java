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

    /** Run in a fresh JVM by {@link #chooseThreadsLoadsOnednnBeforeAFitStartsThreadsOfItsOwn}: prints whether oneDNN's library is mapped before and after. */
    public static final class LoadOrder {
        public static void main(String[] args) throws Exception {
            Nd4j.create(1);
            boolean before = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps")).contains("libdnnl");
            Cornu.chooseThreads();
            boolean after = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps")).contains("libdnnl");
            System.out.println("libdnnl before=" + before + " after=" + after);
        }
    }

    /**
     * JavaCPP loading oneDNN's libraries while another thread made a direct buffer crashed the JVM
     * (a Reuters fit's first product loaded them while its sparse prefetch thread scanned rows), so
     * the first step of every fit, evaluate and predict loads them first, in {@code chooseThreads}.
     */
    @Test
    void chooseThreadsLoadsOnednnBeforeAFitStartsThreadsOfItsOwn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/maps")), "needs Linux's /proc");
        org.junit.jupiter.api.Assumptions.assumeTrue(org.cornu.core.kernels.Dnnl.present(), "oneDNN (org.bytedeco:dnnl) did not load here");
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), LoadOrder.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the child JVM ended");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("libdnnl before=false after=true"), out);
    }
}
