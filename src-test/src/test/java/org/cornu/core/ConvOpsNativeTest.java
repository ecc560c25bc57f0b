package org.cornu.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link ConvOpsTest} again on ND4J's native conv2d/pooling kernels (the path used off CPU). */
class ConvOpsNativeTest extends ConvOpsTest {
    @BeforeEach
    void nativeKernels() {
        ConvOps.forceNative = true;
    }

    @AfterEach
    void jvmKernels() {
        ConvOps.forceNative = false;
    }
}
