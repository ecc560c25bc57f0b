package org.cornu.testing;

import org.cornu.core.FastPaths;

/** Sets the recurrent step-product switches the way the old {@code cornu.rnn.stepGemm} modes did. */
public final class RnnModes {
    private RnnModes() {}

    /** {@code "nd4j"}: every step product through ND4J; {@code "jvm"}: none; {@code "auto"}: by size. */
    public static void stepGemm(String mode) {
        FastPaths.RNN_JVM_PRODUCTS.setEnabled(!mode.equals("nd4j"));
        FastPaths.RNN_STEP_GEMM.setEnabled(!mode.equals("jvm"));
    }
}
