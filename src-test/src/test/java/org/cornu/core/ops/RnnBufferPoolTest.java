package org.cornu.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.cornu.layers.Dense;
import org.cornu.layers.GRU;
import org.cornu.layers.LSTM;
import org.cornu.layers.Masking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.Cornu;
import org.cornu.core.FastPaths;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.testing.Float64Test;
import org.cornu.testing.GradCheck;

/**
 * The recurrence's reused buffers (large enough to come from the per-thread pool: batch 64 x 40
 * steps x 4*16 gates) give exactly the results of fresh arrays, with masked steps whose entries
 * are left over from earlier batches.
 */
class RnnBufferPoolTest extends Float64Test {
    @AfterEach
    void clear() {
        FastPaths.RNN_BUFFER_POOL.setEnabled(true);
    }

    private static List<INDArray> train(boolean pool, boolean gru) {
        FastPaths.RNN_BUFFER_POOL.setEnabled(pool);
        Cornu.setSeed(8);
        INDArray x = GradCheck.rand(3, -1, 1, 192, 40, 3);
        // padded tails of different lengths: masked steps
        for (int i = 0; i < 192; i++) {
            int len = 10 + (i * 7) % 31;
            if (len < 40) x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.interval(len, 40)).assign(0);
        }
        INDArray y = GradCheck.rand(4, -1, 1, 192, 2);
        Sequential m = new Sequential(new Masking(0.0).inputShape(40, 3),
                gru ? new GRU(16).resetAfter(false).returnSequences(true) : new LSTM(16).returnSequences(true),
                gru ? new LSTM(16) : new GRU(16), new Dense(2));
        m.compile("rmsprop", "mse");
        m.fit(x, y, Fit.epochs(2).batchSize(64).verbose(0));
        return m.getWeights();
    }

    @Test
    void pooledBuffersEqualFreshOnes() {
        for (boolean gru : new boolean[] {false, true}) {
            List<INDArray> fresh = train(false, gru);
            List<INDArray> pooled = train(true, gru);
            for (int i = 0; i < fresh.size(); i++) {
                assertEquals(0.0, fresh.get(i).sub(pooled.get(i)).amaxNumber().doubleValue(), 0.0, "weight " + i + " (gru first: " + gru + ")");
            }
        }
    }

    @Test
    void poolHandsOutZerosOnRequestAndReusesArrays() {
        int n = (3 << 20) + 1; // a size no other test's buffers have
        double[] a = RnnOps.Pool.take(n, false);
        java.util.Arrays.fill(a, 3.0);
        RnnOps.Pool.give(a);
        double[] b = RnnOps.Pool.take(n - 1, true);
        assertSame(a, b, "the held array is reused");
        for (int i = 0; i < n - 1; i++) assertEquals(0.0, b[i], 0.0);
        assertEquals(3.0, b[n - 1], 0.0, "only the requested range is cleared");
        double[] c = RnnOps.Pool.take(n, false);
        assertNotSame(a, c, "a taken array is not handed out twice");
    }
}
