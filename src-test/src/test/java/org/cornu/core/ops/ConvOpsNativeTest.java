package org.cornu.core.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.cornu.core.FastPaths;

/** {@link ConvOpsTest} again on ND4J's native conv2d/pooling kernels (the path used off CPU). */
class ConvOpsNativeTest extends ConvOpsTest {
    @BeforeEach
    void nativeKernels() {
        FastPaths.JVM_CONV.setEnabled(false);
    }

    @AfterEach
    void jvmKernels() {
        FastPaths.JVM_CONV.setEnabled(true);
    }
}
