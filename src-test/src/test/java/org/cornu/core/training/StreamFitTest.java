package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.cornu.utils.Utils;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.testing.GradCheck;

/** {@code fit} on a stream of batches (Keras's fit(generator, steps_per_epoch, validation_steps)). */
class StreamFitTest {
    private static List<INDArray[]> batches(INDArray x, INDArray y, int bs) {
        List<INDArray[]> r = new ArrayList<>();
        for (long a = 0; a < x.size(0); a += bs) {
            long b = Math.min(x.size(0), a + bs);
            r.add(new INDArray[] {x.get(NDArrayIndex.interval(a, b), NDArrayIndex.all()).dup(),
                    y.get(NDArrayIndex.interval(a, b), NDArrayIndex.all()).dup()});
        }
        return r;
    }

    /** An endless stream cycling through {@code list}. */
    private static Iterator<INDArray[]> cycle(List<INDArray[]> list) {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public INDArray[] next() {
                return list.get(i++ % list.size());
            }
        };
    }

    private static Sequential model() {
        Cornu.setSeed(5);
        Sequential m = new Sequential(new Dense(6, "relu").inputShape(3), new Dense(2, "softmax"));
        m.compile("adam", "categorical_crossentropy", "accuracy");
        return m;
    }

    @Test
    void streamFitEqualsArrayFitOnTheSameBatches() {
        INDArray x = GradCheck.rand(1, -1, 1, 40, 3).castTo(DataType.FLOAT);
        INDArray y = Utils.toCategorical(x.getColumn(0).gt(0).castTo(DataType.INT), 2);
        INDArray vx = GradCheck.rand(2, -1, 1, 16, 3).castTo(DataType.FLOAT);
        INDArray vy = Utils.toCategorical(vx.getColumn(0).gt(0).castTo(DataType.INT), 2);

        Sequential a = model();
        History ha = a.fit(x, y, Fit.epochs(3).batchSize(8).shuffle(false).validationData(vx, vy).verbose(0));
        Sequential b = model();
        History hb = b.fit(cycle(batches(x, y, 8)), Fit.epochs(3).stepsPerEpoch(5).validationData(cycle(batches(vx, vy, 8)), 2).verbose(0));

        for (int i = 0; i < a.getWeights().size(); i++) assertEquals(a.getWeights().get(i), b.getWeights().get(i), "weight " + i);
        assertEquals(ha.history().keySet(), hb.history().keySet());
        for (String k : ha.history().keySet()) {
            for (int e = 0; e < 3; e++) assertEquals(ha.get(k).get(e), hb.get(k).get(e), 1e-6, k + " at epoch " + e);
        }
    }

    @Test
    void streamsNeedStepsAndEnoughBatches() {
        INDArray x = GradCheck.rand(3, -1, 1, 8, 3).castTo(DataType.FLOAT);
        INDArray y = Utils.toCategorical(x.getColumn(0).gt(0).castTo(DataType.INT), 2);
        Sequential m = model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(batches(x, y, 4).iterator(), Fit.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("stepsPerEpoch"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> m.fit(batches(x, y, 4).iterator(), Fit.epochs(2).stepsPerEpoch(2).verbose(0)));
        assertTrue(s.getMessage().contains("ran out"), s.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> m.fit(List.<INDArray[]>of(new INDArray[] {x}).iterator(), Fit.epochs(1).stepsPerEpoch(1).verbose(0)));
        assertTrue(shape.getMessage().contains("1 input(s) and 1 target(s)"), shape.getMessage());
    }
}
