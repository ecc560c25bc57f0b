package org.cornu.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AUC against a numpy re-implementation of Keras's definition: thresholds
 * {@code [-1e-7, 1/199, ..., 198/199, 1 + 1e-7]}, tp/fp counted where {@code p > threshold},
 * ROC by the trapezoid rule over (fpr, recall) and PR by Keras's interpolation formula.
 */
class AucTest {
    static final double TOL = 1e-12;
    // batch 1: y = [0, 0, 1, 1, 0, 1, 1, 0], p = [0.1, 0.4, 0.35, 0.8, 0.65, 0.9, 0.2, 0.05]
    static final INDArray Y1 = Nd4j.createFromArray(0, 0, 1, 1, 0, 1, 1, 0);
    static final INDArray P1 = Nd4j.createFromArray(0.1f, 0.4f, 0.35f, 0.8f, 0.65f, 0.9f, 0.2f, 0.05f);

    @Test
    void thresholdsAreKeras() {
        double[] t = new AUC().thresholds();
        assertEquals(200, t.length);
        assertEquals(-1e-7, t[0], 0);
        assertEquals(1.0 / 199, t[1], 0);
        assertEquals(198.0 / 199, t[198], 0);
        assertEquals(1 + 1e-7, t[199], 0);
    }

    @Test
    void rocAucOverTwoBatchesWithWeightsAndReset() {
        AUC m = new AUC();
        m.updateState(Y1, P1, null);
        // 12 of the 16 positive/negative pairs are ordered right; no two predictions share a bucket
        assertEquals(0.75, m.result(), 1e-7);
        // batch 2: y = [1, 0, 1, 0], p = [0.72, 0.33, 0.58, 0.91]
        m.updateState(Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0).reshape(4, 1),
                Nd4j.createFromArray(0.72, 0.33, 0.58, 0.91).reshape(4, 1), null);
        assertEquals(0.6666666666666667, m.result(), 1e-7);
        m.resetState();
        assertEquals(0.0, m.result(), 0.0);
        // sample weights [1, 2, 0.5, 1, 1, 3, 1, 1] (numpy: 0.8363636363636364)
        m.updateState(Y1, P1, Nd4j.createFromArray(1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0, 1.0));
        assertEquals(0.8363636363636364, m.result(), 1e-7);
    }

    @Test
    void predictionsInOneBucketCountAsTied() {
        // 0.501 (positive) and 0.502 (negative) both lie in (99/199, 100/199]: the interpolation gives 0.5,
        // where the exact ROC AUC would be 0
        AUC m = new AUC();
        m.updateState(Nd4j.createFromArray(1, 0), Nd4j.createFromArray(0.501f, 0.502f), null);
        assertEquals(0.5, m.result(), TOL);
        // a mix with 0, 1 and a shared bucket (numpy: 0.64; the exact ROC AUC is 0.62)
        AUC mix = new AUC();
        INDArray y = Nd4j.createFromArray(1, 0, 1, 1, 0, 0, 1, 0, 1, 0);
        INDArray p = Nd4j.createFromArray(0.501, 0.502, 0.0, 1.0, 0.0, 0.73, 0.74, 0.2, 0.9, 0.95);
        mix.updateState(y, p, null);
        assertEquals(0.64, mix.result(), 1e-7);
        AUC pr = new AUC().curve("PR");
        pr.updateState(y, p, null);
        assertEquals(0.6781941757190716, pr.result(), 1e-7);
    }

    @Test
    void kerasDocstringAndOptions() {
        // Keras docstring: AUC(num_thresholds=3) of y [0, 0, 1, 1], p [0, 0.5, 0.3, 0.9] is 0.75
        AUC m = new AUC().numThresholds(3);
        m.updateState(Nd4j.createFromArray(0, 0, 1, 1), Nd4j.createFromArray(0.0, 0.5, 0.3, 0.9), null);
        assertEquals(0.75, m.result(), TOL);
        // PR interpolation (numpy: 0.7972674459459178)
        AUC pr = new AUC().curve("PR");
        pr.updateState(Y1, P1, null);
        assertEquals(0.7972674459459178, pr.result(), 1e-7);
        // from logits: logit(p) gives the same buckets
        AUC logits = new AUC().fromLogits(true);
        INDArray z = org.nd4j.linalg.ops.transforms.Transforms.log(P1.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .div(P1.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).rsub(1.0)), false);
        logits.updateState(Y1, z, null);
        assertEquals(0.75, logits.result(), 1e-7);
        // minoring / majoring bracket the interpolation on the same counts
        AUC lo = new AUC().numThresholds(3).summationMethod("minoring");
        AUC hi = new AUC().numThresholds(3).summationMethod("majoring");
        lo.updateState(Nd4j.createFromArray(0, 0, 1, 1), Nd4j.createFromArray(0.0, 0.5, 0.3, 0.9), null);
        hi.updateState(Nd4j.createFromArray(0, 0, 1, 1), Nd4j.createFromArray(0.0, 0.5, 0.3, 0.9), null);
        // thresholds [-1e-7, 0.5, 1+1e-7]: (fpr, recall) = (1, 1), (0, 0.5), (0, 0)
        assertEquals(0.5, lo.result(), TOL);
        assertEquals(1.0, hi.result(), TOL);
        assertThrows(IllegalArgumentException.class, () -> new AUC().curve("PRGAIN"));
        assertThrows(IllegalArgumentException.class, () -> new AUC().numThresholds(1));
    }
}
