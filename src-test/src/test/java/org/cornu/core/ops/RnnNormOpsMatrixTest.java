package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.cornu.testing.opmatrix.KernelPaths.COMPOSED_BATCH_NORM;
import static org.cornu.testing.opmatrix.KernelPaths.DNNL;
import static org.cornu.testing.opmatrix.KernelPaths.DEFAULT;
import static org.cornu.testing.opmatrix.KernelPaths.FUSED_BATCH_NORM;
import static org.cornu.testing.opmatrix.KernelPaths.FLOAT32_LSTM;
import static org.cornu.testing.opmatrix.KernelPaths.RNN_JVM;
import static org.cornu.testing.opmatrix.KernelPaths.RNN_ND4J;
import static org.cornu.testing.opmatrix.KernelPaths.RNN_NO_POOL;
import static org.cornu.testing.opmatrix.OpInfo.op;
import static org.cornu.testing.opmatrix.Sample.arr;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cornu.core.Cornu;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.StatelessScope;
import org.cornu.core.autodiff.Tensor;
import org.cornu.layers.BatchNormalization;
import org.cornu.testing.opmatrix.OpInfo;
import org.cornu.testing.opmatrix.OpMatrix;
import org.cornu.testing.opmatrix.Sample;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The op matrix for the recurrences (LSTM, GRU with reset after and before, SimpleRNN; sequences
 * with masks, empty masks, go_backwards, length 1, batch 1; the float32 LSTM kernel) and batch
 * normalization in training and inference. Gradients reach the input, every weight and every
 * output (the whole sequence and the final states). Small samples are checked against central
 * differences of a plain-Java recurrence written from Keras's equations ({@code NaiveOps.rnn}),
 * forward values against it everywhere; the samples large enough for the float32 LSTM kernel take
 * their reference gradients from the float64 JVM recurrence (difference-checked on the small ones).
 */
class RnnNormOpsMatrixTest {

    /** The sequence, then the final states, as one (batch, T*units + states*units) output. */
    static Tensor rnn(List<Tensor> in, Sample s) {
        RnnOps.Options o = new RnnOps.Options();
        o.cell = s.get("cell");
        o.activation = s.get("act", "tanh");
        o.goBackwards = s.get("back", false);
        o.resetAfter = s.get("resetAfter", true);
        INDArray mask = s.get("mask", null);
        Tensor bias = in.size() > 3 ? in.get(3) : null;
        RnnOps.Result r = RnnOps.rnn(in.get(0), in.get(1), in.get(2), bias, null, mask, o);
        long[] ss = r.sequence.shape();
        List<Tensor> parts = new ArrayList<>();
        parts.add(Ops.reshape(r.sequence, ss[0], ss[1] * ss[2]));
        parts.addAll(r.states);
        return Ops.concat(1, parts.toArray(new Tensor[0]));
    }

    static INDArray rnnRef(INDArray[] in, Sample s) {
        RnnOps.Cell c = s.get("cell");
        String cell = c == RnnOps.Cell.LSTM ? "lstm" : c == RnnOps.Cell.GRU ? "gru" : "simple";
        return org.cornu.testing.opmatrix.NaiveOps.rnn(cell, s.get("act", "tanh"), s.get("back", false), s.get("resetAfter", true),
                in[0], in[1], in[2], in.length > 3 ? in[3] : null, s.get("mask", null));
    }

    private static Sample seq(String name, RnnOps.Cell cell, int b, int t, int i, int u, boolean bias, long seed) {
        int g = cell == RnnOps.Cell.LSTM ? 4 : cell == RnnOps.Cell.GRU ? 3 : 1;
        INDArray x = rand(seed, -1, 1, b, t, i), k = rand(seed + 1, -0.6, 0.6, i, g * u), rk = rand(seed + 2, -0.6, 0.6, u, g * u);
        Sample s = bias ? Sample.of(name, x, k, rk, cell == RnnOps.Cell.GRU ? rand(seed + 3, -0.5, 0.5, 2, g * u) : rand(seed + 3, -0.5, 0.5, g * u))
                : Sample.of(name, x, k, rk);
        return s.arg("cell", cell);
    }

    private static INDArray mask(double[] v, int b, int t) {
        return arr(v, b, t);
    }

    private static OpInfo cellOp(String name, RnnOps.Cell c) {
        return op(name, RnnNormOpsMatrixTest::rnn).reference(RnnNormOpsMatrixTest::rnnRef).paths(RNN_JVM, RNN_ND4J, RNN_NO_POOL).samples(
                seq("T=3, batch 2", c, 2, 3, 3, 2, true, 11),
                seq("length-1 sequence", c, 2, 1, 2, 3, true, 21),
                seq("batch 1, no bias", c, 1, 4, 2, 2, false, 31),
                seq("mask: a masked middle step, and a sample with an empty mask", c, 2, 3, 2, 2, true, 41)
                        .arg("mask", mask(new double[] {1, 0, 1, 0, 0, 0}, 2, 3)),
                seq("go_backwards", c, 2, 3, 2, 2, true, 51).arg("back", true),
                seq("go_backwards with a mask (masked first and last steps)", c, 2, 4, 2, 2, true, 61).arg("back", true)
                        .arg("mask", mask(new double[] {0, 1, 1, 1, 1, 1, 1, 0}, 2, 4)));
    }

    static final OpInfo LSTM = cellOp("lstm", RnnOps.Cell.LSTM);
    static final OpInfo GRU = cellOp("gru (reset_after)", RnnOps.Cell.GRU);
    static final OpInfo GRU_BEFORE = op("gru (reset_before)", RnnNormOpsMatrixTest::rnn).reference(RnnNormOpsMatrixTest::rnnRef).paths(RNN_JVM, RNN_ND4J).samples(
            seq("T=3, batch 2, no bias", RnnOps.Cell.GRU, 2, 3, 2, 2, false, 71).arg("resetAfter", false),
            seq("mask with an empty row", RnnOps.Cell.GRU, 2, 2, 2, 2, false, 72).arg("resetAfter", false)
                    .arg("mask", mask(new double[] {1, 1, 0, 0}, 2, 2)));
    static final OpInfo SIMPLE = cellOp("simple_rnn", RnnOps.Cell.SIMPLE).samples(
            seq("relu activation", RnnOps.Cell.SIMPLE, 2, 3, 2, 3, true, 81).arg("act", "relu"));

    /** Layers large enough for the float32 LSTM kernel (batch * 4 * units^2 >= 65536); reference: the float64 JVM recurrence. */
    static final OpInfo LSTM_LARGE = op("lstm (float32 kernel sizes)", RnnNormOpsMatrixTest::rnn).reference(RnnNormOpsMatrixTest::rnnRef)
            .paths(RNN_JVM, RNN_ND4J, FLOAT32_LSTM)
            .samples(seq("batch 4, 64 units, T=3", RnnOps.Cell.LSTM, 4, 3, 3, 64, true, 91).referencePathGrads(),
                    seq("batch 4, 64 units, T=1", RnnOps.Cell.LSTM, 4, 1, 2, 64, true, 92).referencePathGrads(),
                    seq("batch 16, 32 units, T=5, no bias", RnnOps.Cell.LSTM, 16, 5, 2, 32, false, 93).referencePathGrads());

    // ------------------------------------------------------------------ batch normalization

    /** BatchNormalization over the last axis with the sample's gamma and beta (moving statistics fixed). */
    static Tensor batchNorm(List<Tensor> in, Sample s) {
        DataType dt = in.get(0).value().dataType();
        String before = Cornu.floatx();
        Cornu.setFloatx(dt == DataType.DOUBLE ? "float64" : "float32");
        try {
            BatchNormalization bn = new BatchNormalization().epsilon(s.get("eps", 1e-3));
            long[] xs = in.get(0).shape();
            long[] shape = xs.clone();
            shape[0] = Shape.NONE;
            bn.build(Shape.of(shape));
            bn.movingMean().value().assign(((INDArray) s.get("mm")).castTo(dt));
            bn.movingVariance().value().assign(((INDArray) s.get("mv")).castTo(dt));
            try (StatelessScope scope = new StatelessScope(List.of(bn.gamma(), bn.beta()), in.subList(1, 3))) {
                return bn.invoke(List.of(in.get(0)), s.get("training")).get(0);
            }
        } finally {
            Cornu.setFloatx(before);
        }
    }

    static INDArray batchNormRef(INDArray[] in, Sample s) {
        INDArray x = in[0];
        long c = x.size(x.rank() - 1), rows = x.length() / c;
        double[] xv = x.dup('c').data().asDouble(), g = in[1].dup().data().asDouble(), b = in[2].dup().data().asDouble();
        double[] mm = ((INDArray) s.get("mm")).dup().data().asDouble(), mv = ((INDArray) s.get("mv")).dup().data().asDouble();
        double eps = s.get("eps", 1e-3);
        boolean training = s.get("training");
        double[] o = new double[xv.length];
        for (int j = 0; j < c; j++) {
            double m = 0, v = 0;
            if (training) {
                for (int r = 0; r < rows; r++) m += xv[(int) (r * c + j)] / rows;
                for (int r = 0; r < rows; r++) v += Math.pow(xv[(int) (r * c + j)] - m, 2) / rows;
            } else {
                m = mm[j];
                v = mv[j];
            }
            for (int r = 0; r < rows; r++) o[(int) (r * c + j)] = g[j] * (xv[(int) (r * c + j)] - m) / Math.sqrt(v + eps) + b[j];
        }
        return arr(o, x.shape());
    }

    private static Sample bn(String name, boolean training, long seed, long... xs) {
        long c = xs[xs.length - 1];
        return Sample.of(name, rand(seed, -2, 2, xs), rand(seed + 1, 0.5, 1.5, c), rand(seed + 2, -0.5, 0.5, c))
                .arg("training", training).arg("mm", rand(seed + 3, -0.3, 0.3, c)).arg("mv", rand(seed + 4, 0.5, 2, c));
    }

    static final OpInfo BATCH_NORM = op("batch_norm", RnnNormOpsMatrixTest::batchNorm)
            .reference(RnnNormOpsMatrixTest::batchNormRef)
            .paths(DNNL, FUSED_BATCH_NORM, COMPOSED_BATCH_NORM)
            .samples(bn("training, (6, 3)", true, 101, 6, 3),
                    bn("training, NHWC (2, 3, 3, 2)", true, 111, 2, 3, 3, 2),
                    bn("training, batch 2 (variance from two rows)", true, 121, 2, 4),
                    bn("training, a constant channel (variance 0: epsilon alone)", true, 131, 4, 2)
                            .arg("eps", 1e-3),
                    bn("inference, (5, 3)", false, 141, 5, 3),
                    bn("inference, batch 1 NHWC", false, 151, 1, 2, 2, 3));

    static {
        // the constant channel of the fourth sample: channel 0 equals 0.7 in every row
        INDArray x = BATCH_NORM.sampleInput(3, 0);
        for (int r = 0; r < 4; r++) x.putScalar(r, 0, 0.7);
    }

    static final OpInfo[] ALL = {LSTM, GRU, GRU_BEFORE, SIMPLE, LSTM_LARGE, BATCH_NORM};

    @TestFactory
    Stream<DynamicNode> matrix() {
        return OpMatrix.tests(ALL);
    }
}
