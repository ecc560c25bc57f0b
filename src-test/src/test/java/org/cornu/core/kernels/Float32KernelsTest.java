package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.ops.Ops;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.utils.Utils;
import org.cornu.testing.GradCheck;

/** The float32 branches of the JVM kernels (gradient checks run in float64 and take the other branch). */
class Float32KernelsTest {
    @Test
    void reluForwardAndBackwardInFloat32() {
        INDArray x = GradCheck.rand(11, -1, 1, 64, 300).castTo(DataType.FLOAT);
        // edges of the branch-free backward: zeros, the smallest denormal, the largest floats
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 3e38f, Float.MAX_VALUE, 1e-40f};
        for (int i = 0; i < edges.length; i++) x.putScalar(i, edges[i]);
        INDArray w = GradCheck.rand(12, -1, 1, 64, 300).castTo(DataType.FLOAT);
        float[] xs = x.data().asFloat(), ws = w.data().asFloat();
        Tensor v = Tensor.variable(x.dup());
        INDArray y;
        try (Tape tape = Tape.record()) {
            Tensor o = Ops.relu(v);
            y = o.value();
            tape.backward(Ops.sum(Ops.mul(o, Tensor.constant(w))));
        }
        float[] ys = y.data().asFloat(), gs = v.grad().data().asFloat();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.max(xs[i], 0f), ys[i], 0f, "relu at " + i);
            assertEquals(xs[i] > 0 ? ws[i] : 0f, gs[i], 0f, "relu gradient at " + i);
        }
        // in place on a tensor the caller owns
        INDArray own = x.dup();
        Ops.reluInPlace(Tensor.constant(own));
        for (int i = 0; i < xs.length; i++) assertEquals(Math.max(xs[i], 0f), own.getFloat(i), 0f);
    }

    @Test
    void softmaxCrossEntropyInFloat32MatchesDoubleMath() {
        INDArray z = GradCheck.rand(13, -4, 4, 32, 10).castTo(DataType.FLOAT);
        INDArray y = Utils.toCategorical(Nd4j.createFromArray(new java.util.Random(2).ints(32, 0, 10).toArray()), 10);
        double[] per = Ops.softmaxCrossEntropy(Tensor.constant(z), y).value().castTo(DataType.DOUBLE).toDoubleVector();
        double[][] zz = z.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int r = 0; r < 32; r++) {
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (double v : zz[r]) max = Math.max(max, v);
            for (double v : zz[r]) s += Math.exp(v - max);
            int label = y.getRow(r).argMax().getInt(0);
            assertEquals(max + Math.log(s) - zz[r][label], per[r], 1e-5, "row " + r);
        }
    }

    @Test
    void embeddingGatherAndScatterAddInFloat32() {
        INDArray table = GradCheck.rand(21, -1, 1, 50, 6).castTo(DataType.FLOAT);
        int[] ids = {3, 0, 49, 3, 3, 17, 0, 8};
        INDArray idx = org.nd4j.linalg.factory.Nd4j.createFromArray(ids).castTo(DataType.FLOAT).reshape(2, 4);
        INDArray up = GradCheck.rand(22, -1, 1, 2, 4, 6).castTo(DataType.FLOAT);
        Tensor t = Tensor.variable(table.dup());
        INDArray out;
        try (Tape tape = Tape.record()) {
            Tensor o = RnnOps.embedding(t, idx, "embedding");
            out = o.value().dup();
            tape.backward(Ops.sum(Ops.mul(o, Tensor.constant(up))));
        }
        assertEquals(DataType.FLOAT, out.dataType());
        double[] expected = new double[50 * 6];
        for (int k = 0; k < ids.length; k++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(table.getFloat(ids[k], j), out.getFloat(k / 4, k % 4, j), 0f, "row " + k);
                expected[ids[k] * 6 + j] += up.getFloat(k / 4, k % 4, j);
            }
        }
        INDArray g = t.grad();
        for (int r = 0; r < 50; r++) {
            for (int j = 0; j < 6; j++) assertEquals(expected[r * 6 + j], g.getDouble(r, j), 1e-6, "gradient " + r + "," + j);
        }
    }
}
