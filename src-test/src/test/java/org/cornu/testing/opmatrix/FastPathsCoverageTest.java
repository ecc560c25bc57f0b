package org.cornu.testing.opmatrix;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.cornu.core.FastPaths;
import org.junit.jupiter.api.Test;

/**
 * A new fast path cannot ship untested: every {@link FastPaths} switch is either forced by a
 * kernel path of the op matrix ({@link KernelPaths#ALL}) or named here with the test that
 * compares it with the general path.
 */
class FastPathsCoverageTest {
    /** Switches covered outside the op matrix, each by the test named. */
    static final Map<FastPaths, String> ELSEWHERE = Map.of(
            FastPaths.SMALL_MODEL, "org.cornu.core.training.WholeStepMatrixTest#smallModelPathEqualsTheTape",
            FastPaths.SMALL_PREDICT, "org.cornu.core.training.WholeStepMatrixTest#smallPredictPathEqualsTheTape",
            FastPaths.SPARSE_GATHER, "org.cornu.core.training.WholeStepMatrixTest#sparseInputPathEqualsTheDensePath (on and off)",
            FastPaths.SPARSE_PREFETCH, "org.cornu.core.training.WholeStepMatrixTest#sparseInputPathEqualsTheDensePath (on and off)",
            FastPaths.FUSED_LOOPS, "read once at start-up: the matrix's jvm-loops and nd4j-native paths (C- and Fortran-order inputs) split the same kernels",
            FastPaths.WORKSPACES, "read once at start-up: every fit in the suite runs with it on",
            FastPaths.SHAPE_INFO_CACHE, "org.cornu.core.kernels.ShapeInfoCacheTest",
            // a two-op path (relu, then max pooling) in a weights-only backward pass: the matrix's raw tapes never fold
            FastPaths.RELU_POOL_FOLD, "org.cornu.core.ops.ReluPoolFoldTest (on and off, weights' gradients)");

    @Test
    void everySwitchIsForcedByAKernelPathOrNamedWithItsTest() {
        Set<FastPaths> forced = EnumSet.noneOf(FastPaths.class);
        for (KernelPath p : KernelPaths.ALL) forced.addAll(p.switches().keySet());
        for (FastPaths f : FastPaths.values()) {
            assertTrue(forced.contains(f) || ELSEWHERE.containsKey(f),
                    f + " (" + f.property() + ") is neither a kernel path of the op matrix nor covered by a named test: declare it in KernelPaths");
        }
    }

    @Test
    void kernelPathsHaveDistinctNamesAndSettings() {
        Set<String> names = new java.util.HashSet<>();
        Set<String> settings = new java.util.HashSet<>();
        for (KernelPath p : KernelPaths.ALL) {
            assertTrue(names.add(p.name()), "two kernel paths named " + p.name());
            if (p == KernelPaths.DEFAULT) continue; // the start-up setting: the same as the JVM loops on C-order inputs
            assertTrue(settings.add(p.switches() + " " + p.layout(org.nd4j.linalg.factory.Nd4j.zeros(2, 2)).ordering()),
                    "kernel path " + p.name() + " forces the same as another");
        }
    }
}
