package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.check;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.cornu.core.FastPaths;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.kernels.Dnnl;
import org.cornu.core.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode batch normalization: the float64 composed form against central differences and
 * the hand-computed statistics, and the fused float32 kernel against the float64 form (outputs,
 * statistics and every gradient).
 */
class NormOpsTest {

    @Test
    void statisticsAndOutputByHand() {
        // one channel, rows 1, 2, 3, 6: mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 6}, new long[] {4, 1}, 'c');
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            NormOps.BatchNorm bn = NormOps.batchNormTraining(Tensor.constant(x.castTo(t)),
                    Tensor.constant(Nd4j.create(new double[] {2}).castTo(t)), Tensor.constant(Nd4j.create(new double[] {0.5}).castTo(t)), 0.5);
            assertEquals(3.0, bn.mean().getDouble(0), 1e-6);
            assertEquals(3.5, bn.variance().getDouble(0), 1e-6);
            // (1 - 3) / sqrt(4) * 2 + 0.5 = -1.5
            assertEquals(-1.5, bn.y().value().getDouble(0, 0), 1e-6, t.toString());
            assertEquals(3.5, bn.y().value().getDouble(3, 0), 1e-6, t.toString());
        }
    }

    @Test
    void float64FormMatchesCentralDifferences() {
        INDArray x = rand(1, -1, 2, 5, 3), g = rand(2, 0.5, 1.5, 3), b = rand(3, -1, 1, 3), w = rand(4, -1, 1, 5, 3);
        check(t -> Ops.mul(NormOps.batchNormTraining(t.get(0), t.get(1), t.get(2), 1e-3).y(), Tensor.constant(w)), 1e-6, x, g, b);
        check(t -> Ops.mul(NormOps.batchNormTraining(t.get(0), null, null, 1e-3).y(), Tensor.constant(w)), 1e-6, x);
    }

    @ParameterizedTest(name = "n={0} c={1} offset={2} affine={3} xGrad={4}")
    @CsvSource({
        "64,8,0,true,true", "64,8,0,false,true", "1,4,0,true,true", "7,1,0,true,false",
        "2704,32,0,true,true",   // a 64x26x26... slice's worth of rows: long sums
        "300,5,100,true,true",   // mean far from zero: cancellation in float32
    })
    void fusedFloat32KernelEqualsTheFloat64Form(int n, int c, double offset, boolean affine, boolean xGrad) {
        INDArray x = rand(5, -1, 1, n, c).addi(offset), gm = rand(6, 0.5, 1.5, c), bt = rand(7, -1, 1, c);
        INDArray w = rand(8, -1, 1, n, c);
        // the float64 reference starts from the very float32 inputs
        x = x.castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
        gm = gm.castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
        bt = bt.castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
        w = w.castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
        Object[] r64 = run(x, affine ? gm : null, affine ? bt : null, w, xGrad);
        // both float32 kernels: Cornu's fused JVM kernel (double sums) and oneDNN's (float32 sums)
        for (boolean dnnl : new boolean[] {false, true}) {
            if (dnnl && !Dnnl.present()) continue;
            FastPaths.DNNL.setEnabled(dnnl);
            long before = FastPaths.DNNL.runs();
            Object[] r32;
            try {
                r32 = run(x.castTo(DataType.FLOAT), affine ? gm.castTo(DataType.FLOAT) : null,
                        affine ? bt.castTo(DataType.FLOAT) : null, w.castTo(DataType.FLOAT), xGrad);
            } finally {
                FastPaths.DNNL.setEnabled(true);
            }
            assertEquals(dnnl, FastPaths.DNNL.runs() > before, "oneDNN ran");
            // float32 sums of 300 values near 100 carry about 300 * 2^-24 * 100 of rounding, 1e-5 of the
            // standard deviation (0.58), which the normalized output and its gradient carry on: 1e-4
            double tol = dnnl && offset != 0 ? 1e-4 : 2e-5;
            String[] names = {"y", "mean", "variance", "dx", "dgamma", "dbeta"};
            for (int i = 0; i < names.length; i++) {
                INDArray a = (INDArray) r64[i], b = (INDArray) r32[i];
                if (a == null) {
                    assertNull(b, names[i]);
                    continue;
                }
                double scale = Math.max(1, a.amaxNumber().doubleValue());
                assertEquals(0, a.sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale, tol,
                        names[i] + (dnnl ? " (oneDNN)" : " (fused JVM)"));
            }
        }
    }

    private static Object[] run(INDArray x, INDArray gamma, INDArray beta, INDArray w, boolean xGrad) {
        Tensor xt = xGrad ? Tensor.variable(x) : Tensor.constant(x);
        Tensor gt = gamma == null ? null : Tensor.variable(gamma), bt = beta == null ? null : Tensor.variable(beta);
        NormOps.BatchNorm bn;
        try (Tape tape = Tape.record()) {
            bn = NormOps.batchNormTraining(xt, gt, bt, 1e-3);
            tape.backward(bn.y(), w);
        }
        return new Object[] {bn.y().value(), bn.mean(), bn.variance(), xt.grad(), gt == null ? null : gt.grad(),
                bt == null ? null : bt.grad()};
    }

    @Test
    void inferenceFormByHandAndAgainstCentralDifferences() {
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 6}, new long[] {2, 2}, 'c');
        INDArray mean = Nd4j.create(new double[] {1, 4}), var = Nd4j.create(new double[] {3.5, 15.5});
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Tensor y = NormOps.batchNormInference(Tensor.constant(x.castTo(t)), mean.castTo(t), var.castTo(t),
                    Tensor.constant(Nd4j.create(new double[] {2, 1}).castTo(t)), Tensor.constant(Nd4j.create(new double[] {0, 1}).castTo(t)), 0.5);
            // (3 - 1) / 2 * 2 + 0 = 2; (6 - 4) / 4 * 1 + 1 = 1.5
            assertEquals(2.0, y.value().getDouble(1, 0), 1e-6, t.toString());
            assertEquals(1.5, y.value().getDouble(1, 1), 1e-6, t.toString());
        }
        INDArray xr = rand(1, -1, 2, 5, 3), g = rand(2, 0.5, 1.5, 3), b = rand(3, -1, 1, 3), w = rand(4, -1, 1, 5, 3);
        INDArray m = rand(5, -1, 1, 3), v = rand(6, 0.5, 2, 3);
        check(t -> Ops.mul(NormOps.batchNormInference(t.get(0), m, v, t.get(1), t.get(2), 1e-3), Tensor.constant(w)), 1e-6, xr, g, b);
    }

    @ParameterizedTest(name = "affine={0} xGrad={1}")
    @CsvSource({"true,true", "false,true", "true,false"})
    void fusedInferenceEqualsTheFloat64Form(boolean affine, boolean xGrad) {
        INDArray x = rand(11, -1, 1, 300, 6).castTo(DataType.FLOAT), w = rand(12, -1, 1, 300, 6).castTo(DataType.FLOAT);
        INDArray gm = rand(13, 0.5, 1.5, 6).castTo(DataType.FLOAT), bt = rand(14, -1, 1, 6).castTo(DataType.FLOAT);
        INDArray m = rand(15, -1, 1, 6).castTo(DataType.FLOAT), v = rand(16, 0.5, 2, 6).castTo(DataType.FLOAT);
        INDArray[][] r = new INDArray[2][];
        for (int k = 0; k < 2; k++) {
            DataType t = k == 0 ? DataType.DOUBLE : DataType.FLOAT;
            Tensor xt = xGrad ? Tensor.variable(x.castTo(t)) : Tensor.constant(x.castTo(t));
            Tensor gt = affine ? Tensor.variable(gm.castTo(t)) : null, btt = affine ? Tensor.variable(bt.castTo(t)) : null;
            Tensor y;
            try (Tape tape = Tape.record()) {
                y = NormOps.batchNormInference(xt, m.castTo(t), v.castTo(t), gt, btt, 1e-3);
                tape.backward(y, w.castTo(t));
            }
            r[k] = new INDArray[] {y.value(), xt.grad(), gt == null ? null : gt.grad(), btt == null ? null : btt.grad()};
        }
        for (int i = 0; i < 4; i++) {
            if (r[0][i] == null) {
                assertNull(r[1][i]);
                continue;
            }
            assertEquals(0, r[0][i].sub(r[1][i].castTo(DataType.DOUBLE)).amaxNumber().doubleValue()
                    / Math.max(1, r[0][i].amaxNumber().doubleValue()), 2e-5, "result " + i);
        }
    }
}
