package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.cornu.testing.opmatrix.KernelPaths.DEFAULT;
import static org.cornu.testing.opmatrix.KernelPaths.DENSE_INPUT;
import static org.cornu.testing.opmatrix.KernelPaths.DIRECT_BLAS;
import static org.cornu.testing.opmatrix.KernelPaths.DNNL;
import static org.cornu.testing.opmatrix.KernelPaths.DNNL_MATMUL;
import static org.cornu.testing.opmatrix.KernelPaths.JVM_ELEMENTWISE;
import static org.cornu.testing.opmatrix.KernelPaths.ND4J_ELEMENTWISE;
import static org.cornu.testing.opmatrix.KernelPaths.ND4J_GEMM;
import static org.cornu.testing.opmatrix.KernelPaths.SPARSE_INPUT;
import static org.cornu.testing.opmatrix.KernelPaths.ALL_COLUMNS;
import static org.cornu.testing.opmatrix.KernelPaths.ZERO_COLUMNS;
import static org.cornu.testing.opmatrix.OpInfo.op;
import static org.cornu.testing.opmatrix.Sample.arr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.cornu.core.activations.Activations;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.testing.opmatrix.NaiveOps;
import org.cornu.testing.opmatrix.OpInfo;
import org.cornu.testing.opmatrix.OpMatrix;
import org.cornu.testing.opmatrix.Sample;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The op matrix for the dense ops: linear (gemm with and without bias, on OpenBLAS directly
 * and through ND4J, the sparse multi-hot product and the product over a batch's used columns), every built-in activation, softmax and
 * log-softmax, the fused crossentropies, add/concat/reshape, dropout and embedding; in float32
 * and float64 against plain-Java float64 references.
 */
class DenseOpsMatrixTest {

    // ------------------------------------------------------------------ linear

    private static Tensor linearCall(List<Tensor> in, Sample s) {
        return Ops.linear(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null);
    }

    private static INDArray linearRef(INDArray[] in, Sample s) {
        return NaiveOps.linear(in[0], in[1], in.length > 2 ? in[2] : null);
    }

    static final OpInfo LINEAR = op("linear", DenseOpsMatrixTest::linearCall)
            .reference(DenseOpsMatrixTest::linearRef)
            .paths(DIRECT_BLAS, ND4J_GEMM)
            .samples(
                    Sample.of("batch 3, 4 -> 5, bias", rand(1, -1, 1, 3, 4), rand(2, -1, 1, 4, 5), rand(3, -1, 1, 5)),
                    Sample.of("batch 1, no bias", rand(4, -1, 1, 1, 6), rand(5, -1, 1, 6, 2)),
                    Sample.of("rank-3 input (2, 3, 4) -> 3 units", rand(6, -1, 1, 2, 3, 4), rand(7, -1, 1, 4, 3), rand(8, -1, 1, 3)),
                    Sample.of("one unit, one input", rand(9, -1, 1, 4, 1), rand(10, -1, 1, 1, 1), rand(11, -1, 1, 1)));

    /**
     * The gradients of {@code sum(W * (x k + b))} by hand, of every input: {@code W k^T} for x (any
     * rank, flattened to rows), {@code x^T W} for k, the column sums of W for b (too many entries
     * to difference).
     */
    static INDArray[] linearGradsAll(INDArray[] in, INDArray w) {
        long[] xs = in[0].shape();
        long u = in[1].size(1);
        INDArray x2 = in[0].reshape('c', in[0].length() / xs[xs.length - 1], xs[xs.length - 1]);
        INDArray w2 = w.reshape('c', w.length() / u, u);
        INDArray gx = w2.mmul(in[1].transpose()).reshape('c', xs), gk = x2.transpose().mmul(w2);
        return in.length > 2 ? new INDArray[] {gx, gk, w2.sum(0)} : new INDArray[] {gx, gk};
    }

    static final OpInfo LINEAR_LARGE = op("linear (16,384 multiply-adds or more)", DenseOpsMatrixTest::linearCall)
            .reference(DenseOpsMatrixTest::linearRef)
            .paths(DNNL_MATMUL, DIRECT_BLAS)
            .samples(
                    Sample.of("batch 40, 24 -> 20, bias", rand(12, -1, 1, 40, 24), rand(13, -1, 1, 24, 20), rand(14, -1, 1, 20))
                            .gradsByRule(DenseOpsMatrixTest::linearGradsAll),
                    Sample.of("batch 1, 160 -> 130, no bias", rand(15, -1, 1, 1, 160), rand(16, -1, 1, 160, 130))
                            .gradsByRule(DenseOpsMatrixTest::linearGradsAll),
                    Sample.of("rank-3 input (4, 10, 24) -> 20 units, bias", rand(17, -1, 1, 4, 10, 24), rand(18, -1, 1, 24, 20),
                            rand(19, -1, 1, 20)).gradsByRule(DenseOpsMatrixTest::linearGradsAll));

    /** Multi-hot rows of 1024 columns: one empty row, one full row, the rest sparse. */
    private static INDArray multiHot(long seed, int rows, int cols) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (i == 1) v[i * cols + j] = 0;
                else if (i == rows - 1 && rows > 2) v[i * cols + j] = j % 97 == 0 ? 1 : 0;
                else v[i * cols + j] = r.nextDouble() < 0.03 ? 1 : 0;
            }
        }
        v[0] = 1;
        v[cols - 1] = 1;
        return arr(v, rows, cols);
    }

    static final OpInfo SPARSE_LINEAR = op("linear on multi-hot rows (x without gradient)", DenseOpsMatrixTest::linearCall)
            .reference(DenseOpsMatrixTest::linearRef)
            .paths(SPARSE_INPUT, DENSE_INPUT)
            .samples(
                    Sample.of("4 rows (one empty), 1024 -> 3, bias", multiHot(21, 4, 1024), rand(22, -1, 1, 1024, 3), rand(23, -1, 1, 3))
                            .constant(0).gradsByRule(DenseOpsMatrixTest::linearGrads),
                    Sample.of("2 rows, 1024 -> 2, no bias", multiHot(24, 2, 1024), rand(25, -1, 1, 1024, 2)).constant(0)
                            .gradsByRule(DenseOpsMatrixTest::linearGrads),
                    // 64 units and more: kernel rows copied out and added whole (SparseInput.sumRows)
                    Sample.of("5 rows, 1024 -> 67, bias", multiHot(26, 5, 1024), rand(27, -1, 1, 1024, 67), rand(28, -1, 1, 67))
                            .constant(0).gradsByRule(DenseOpsMatrixTest::linearGrads));

    /**
     * Random rows in [-1, 1) with the columns {@code [zero[i][0], zero[i][1])} zero in every row; of
     * those, columns {@code [negZero[0], negZero[1])} hold -0.0 (as unused as 0.0).
     */
    private static INDArray zeroColumnRuns(long seed, int rows, int cols, int[][] zero, int[] negZero) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) v[i * cols + j] = 2 * r.nextDouble() - 1;
            for (int[] z : zero) {
                for (int j = z[0]; j < z[1]; j++) v[i * cols + j] = 0;
            }
            if (negZero != null) {
                for (int j = negZero[0]; j < negZero[1]; j++) v[i * cols + j] = -0.0;
            }
        }
        return arr(v, rows, cols);
    }

    static final OpInfo ZERO_COLUMNS_LINEAR = op("linear on rows whose batch leaves columns zero (x without gradient)",
            DenseOpsMatrixTest::linearCall)
            .reference(DenseOpsMatrixTest::linearRef)
            .paths(ZERO_COLUMNS, ALL_COLUMNS)
            .samples(
                    // 200 columns used in three runs: a padded width of 208
                    Sample.of("40 rows, 300 -> 100, bias; columns 0-39, 130-169 (some -0.0) and 280-299 zero",
                            zeroColumnRuns(29, 40, 300, new int[][] {{0, 40}, {130, 170}, {280, 300}}, new int[] {140, 150}),
                            rand(30, -1, 1, 300, 100), rand(31, -1, 1, 100)).constant(0).gradsByRule(DenseOpsMatrixTest::linearGrads),
                    Sample.of("8 rows, 512 -> 256, no bias; the second half zero",
                            zeroColumnRuns(32, 8, 512, new int[][] {{256, 512}}, null), rand(33, -1, 1, 512, 256))
                            .constant(0).gradsByRule(DenseOpsMatrixTest::linearGrads),
                    // nothing used: the output is the bias, the kernel gradient zero
                    Sample.of("16 rows, 256 -> 256, bias; every column zero",
                            zeroColumnRuns(34, 16, 256, new int[][] {{0, 256}}, null), rand(35, -1, 1, 256, 256), rand(36, -1, 1, 256))
                            .constant(0).gradsByRule(DenseOpsMatrixTest::linearGrads));

    /** The gradients of {@code sum(W * (x k + b))} by hand: {@code x^T W} for k, the column sums of W for b (too many kernel entries to difference). */
    static INDArray[] linearGrads(INDArray[] in, INDArray w) {
        int rows = (int) in[0].size(0), cols = (int) in[0].size(1), u = (int) in[1].size(1);
        double[] x = in[0].dup('c').data().asDouble(), wv = w.dup('c').data().asDouble(), gk = new double[cols * u], gb = new double[u];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < u; j++) {
                gb[j] += wv[r * u + j];
                for (int i = 0; i < cols; i++) gk[i * u + j] += x[r * cols + i] * wv[r * u + j];
            }
        }
        return in.length > 2 ? new INDArray[] {null, arr(gk, cols, u), arr(gb, u)} : new INDArray[] {null, arr(gk, cols, u)};
    }

    // ------------------------------------------------------------------ activations

    private static final double SELU_A = 1.6732632423543772848170429916717, SELU_S = 1.0507009873554804934193349852946;

    private static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf to about 1e-15 by its Taylor series (|x| < 3 here) */
    private static double erf(double x) {
        double sum = 0, term = x;
        for (int n = 0; n < 80; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** Samples of an elementwise op: random values, batch 1, and (for kinks) values exactly at the kink with the rule's derivative. */
    private static OpInfo activation(String name, DoubleUnaryOperator f, double[] kinks, DoubleUnaryOperator kinkDerivative) {
        OpInfo op = op(name, (in, s) -> Activations.get(name).apply(in.get(0)))
                .reference((in, s) -> NaiveOps.map(in[0], f))
                .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
                .samples(Sample.of("values in [-3, 3)", rand(name.hashCode(), -3, 3, 3, 5)),
                        Sample.of("batch 1", rand(name.hashCode() + 1, -2, 2, 1, 4)),
                        Sample.of("rank 3", rand(name.hashCode() + 2, -2, 2, 2, 2, 3)));
        if (kinks != null) {
            double[] v = new double[kinks.length + 4];
            System.arraycopy(kinks, 0, v, 0, kinks.length);
            v[kinks.length] = -1.25;
            v[kinks.length + 1] = 0.75;
            v[kinks.length + 2] = 2.5;
            v[kinks.length + 3] = -2.5;
            op.samples(Sample.of("values exactly at the kink", arr(v, 2, v.length / 2))
                    .gradsByRule((in, w) -> new INDArray[] {NaiveOps.map(in[0], kinkDerivative).mul(w)}));
        }
        return op;
    }

    static final List<OpInfo> ACTIVATIONS = List.of(
            activation("linear", v -> v, null, null),
            // Keras (TF and torch backends): relu'(0) = 0
            activation("relu", v -> Math.max(v, 0), new double[] {0, 0, -0.0, 0}, v -> v > 0 ? 1 : 0),
            activation("sigmoid", DenseOpsMatrixTest::sigmoid, null, null),
            activation("tanh", Math::tanh, null, null),
            activation("elu", v -> v > 0 ? v : Math.exp(v) - 1, null, null),
            activation("selu", v -> SELU_S * (v > 0 ? v : SELU_A * (Math.exp(v) - 1)), null, null),
            activation("softplus", v -> Math.log1p(Math.exp(v)), null, null),
            activation("softsign", v -> v / (1 + Math.abs(v)), null, null),
            activation("swish", v -> v * sigmoid(v), null, null),
            activation("silu", v -> v * sigmoid(v), null, null),
            activation("gelu", DenseOpsMatrixTest::gelu, null, null),
            // tf.nn.leaky_relu and torch: the slope at 0 is alpha's
            activation("leaky_relu", v -> v > 0 ? v : 0.2 * v, new double[] {0, 0, 0, 0}, v -> v > 0 ? 1 : 0.2),
            activation("exponential", Math::exp, null, null),
            activation("hard_sigmoid", v -> Math.max(0, Math.min(1, v / 6 + 0.5)), null, null));

    static final OpInfo GELU_APPROX = op("gelu(approximate=True)", (in, s) -> Ops.gelu(in.get(0), true))
            .reference((in, s) -> NaiveOps.map(in[0], v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("values in [-3, 3)", rand(31, -3, 3, 3, 4)));

    static final OpInfo SOFTMAX = op("softmax", (in, s) -> Ops.softmax(in.get(0), -1))
            .reference((in, s) -> NaiveOps.softmax(in[0]))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("3 rows of 5", rand(41, -3, 3, 3, 5)),
                    Sample.of("batch 1, equal logits", arr(new double[] {0.5, 0.5, 0.5, 0.5}, 1, 4)),
                    Sample.of("large logits (max subtracted)", rand(42, 80, 90, 2, 3)),
                    Sample.of("rank 3", rand(43, -2, 2, 2, 2, 3)));

    static final OpInfo LOG_SOFTMAX = op("log_softmax", (in, s) -> Ops.logSoftmax(in.get(0)))
            .reference((in, s) -> NaiveOps.logSoftmax(in[0]))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("3 rows of 5", rand(51, -3, 3, 3, 5)), Sample.of("batch 1", rand(52, -1, 1, 1, 3)));

    private static INDArray oneHot(int[] labels, int classes) {
        double[] v = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) v[i * classes + labels[i]] = 1;
        return arr(v, labels.length, classes);
    }

    static final OpInfo SOFTMAX_CE = op("softmax_cross_entropy (fused)", (in, s) -> Ops.softmaxCrossEntropy(in.get(0), in.get(1).value()))
            .reference((in, s) -> NaiveOps.softmaxCrossEntropy(in[0], in[1]))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("one-hot targets", rand(61, -3, 3, 4, 3), oneHot(new int[] {0, 2, 1, 2}, 3)).constant(1),
                    Sample.of("all samples of one class", rand(62, -3, 3, 3, 4), oneHot(new int[] {1, 1, 1}, 4)).constant(1),
                    Sample.of("soft targets (label smoothing)", rand(63, -2, 2, 2, 3), arr(new double[] {0.8, 0.1, 0.1, 0.2, 0.2, 0.6}, 2, 3))
                            .constant(1),
                    Sample.of("batch 1, large logits", rand(64, 50, 60, 1, 3), oneHot(new int[] {2}, 3)).constant(1),
                    Sample.of("targets not summing to one (gradient softmax * sum(y) - y)", rand(65, -2, 2, 2, 3),
                            arr(new double[] {1, 1, 0, 0.25, 0, 0.25}, 2, 3)).constant(1));

    static final OpInfo SIGMOID_CE = op("sigmoid_cross_entropy (fused)", (in, s) -> Ops.sigmoidCrossEntropy(in.get(0), in.get(1).value()))
            .reference((in, s) -> NaiveOps.sigmoidCrossEntropy(in[0], in[1]))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("0/1 targets", rand(71, -4, 4, 3, 2), arr(new double[] {0, 1, 1, 0, 1, 1}, 3, 2)).constant(1),
                    Sample.of("all targets 1, logits at 0", arr(new double[] {0, 0, 0.5, -0.5}, 2, 2), arr(new double[] {1, 1, 1, 1}, 2, 2))
                            .constant(1),
                    Sample.of("large |logits|", rand(72, 30, 40, 1, 3).mul(arr(new double[] {1, -1, 1}, 1, 3)),
                            arr(new double[] {0, 1, 0.5}, 1, 3)).constant(1));

    // ------------------------------------------------------------------ reductions (a loss's mean)

    private static double total(INDArray x) {
        double t = 0;
        for (double v : x.dup('c').data().asDouble()) t += v;
        return t;
    }

    static final OpInfo SUM_ALL = op("sum (all elements)", (in, s) -> Ops.sum(in.get(0)))
            .reference((in, s) -> Nd4j.scalar(total(in[0])))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("128 per-sample losses", rand(131, 0, 3, 128)),
                    Sample.of("(3, 5)", rand(132, -2, 2, 3, 5)),
                    Sample.of("one element", rand(133, -1, 1, 1, 1)));

    static final OpInfo MEAN_ALL = op("mean (all elements)", (in, s) -> Ops.mean(in.get(0)))
            .reference((in, s) -> Nd4j.scalar(total(in[0]) / in[0].length()))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("128 per-sample losses", rand(134, 0, 3, 128)), Sample.of("(2, 3, 4)", rand(135, -2, 2, 2, 3, 4)));

    static final OpInfo MUL_SCALAR = op("mul_scalar", (in, s) -> Ops.mulScalar(in.get(0), s.<Double>get("c")))
            .reference((in, s) -> in[0].mul(s.<Double>get("c")))
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("(3, 4) times -0.75", rand(136, -2, 2, 3, 4)).arg("c", -0.75),
                    Sample.of("a scalar times 1/128", rand(137, -2, 2, 1)).arg("c", 1.0 / 128));

    // ------------------------------------------------------------------ shape ops

    static final OpInfo ADD_BROADCAST = op("add (broadcast)", (in, s) -> Ops.add(in.get(0), in.get(1)))
            .reference((in, s) -> addBroadcast(in[0], in[1]))
            .paths(DEFAULT)
            .samples(Sample.of("(2, 3, 4) + (4,)", rand(81, -1, 1, 2, 3, 4), rand(82, -1, 1, 4)),
                    Sample.of("(2, 3, 4) + (2, 1, 4)", rand(83, -1, 1, 2, 3, 4), rand(84, -1, 1, 2, 1, 4)),
                    Sample.of("same shape", rand(85, -1, 1, 3, 2), rand(86, -1, 1, 3, 2)));

    /** {@code a + b} with {@code b} broadcast to {@code a}'s shape by numpy's rules, in loops. */
    static INDArray addBroadcast(INDArray a, INDArray b) {
        long[] as = a.shape(), bs = new long[as.length];
        int lead = as.length - b.rank();
        for (int i = 0; i < as.length; i++) bs[i] = i < lead ? 1 : b.size(i - lead);
        double[] av = a.dup('c').data().asDouble(), bv = b.dup('c').data().asDouble();
        for (int e = 0; e < av.length; e++) {
            long rest = e, bi = 0, stride = 1;
            for (int d = as.length - 1; d >= 0; d--) {
                long idx = rest % as[d];
                rest /= as[d];
                if (bs[d] != 1) bi += idx * stride;
                stride *= bs[d];
            }
            av[e] += bv[(int) bi];
        }
        return arr(av, as);
    }

    static final OpInfo CONCAT = op("concat", (in, s) -> Ops.concat(s.get("axis"), in.toArray(new Tensor[0])))
            .reference((in, s) -> Nd4j.concat((int) s.get("axis"), in))
            .paths(DEFAULT)
            .samples(Sample.of("axis -1 of (2, 3) and (2, 2)", rand(91, -1, 1, 2, 3), rand(92, -1, 1, 2, 2)).arg("axis", -1),
                    Sample.of("axis 1 of three (2, 1, 2)", rand(93, -1, 1, 2, 1, 2), rand(94, -1, 1, 2, 1, 2), rand(95, -1, 1, 2, 1, 2))
                            .arg("axis", 1),
                    Sample.of("axis 0", rand(96, -1, 1, 1, 3), rand(97, -1, 1, 2, 3)).arg("axis", 0));

    static final OpInfo RESHAPE = op("reshape", (in, s) -> Ops.reshape(in.get(0), (long[]) s.get("shape")))
            .reference((in, s) -> in[0].dup('c').reshape('c', (long[]) s.get("shape")))
            .paths(DEFAULT)
            .samples(Sample.of("(2, 3, 4) -> (2, 12)", rand(101, -1, 1, 2, 3, 4)).arg("shape", new long[] {2, 12}),
                    Sample.of("(6,) -> (3, 1, 2)", rand(102, -1, 1, 6)).arg("shape", new long[] {3, 1, 2}));

    // ------------------------------------------------------------------ dropout and embedding

    /** Dropout with a generator seeded the same for every call: the mask is fixed, so the op is linear in x. */
    static final OpInfo DROPOUT = op("dropout", (in, s) -> {
                Random rng = Nd4j.getRandomFactory().getNewRandomInstance(s.get("seed"));
                return Ops.dropout(in.get(0), s.get("rate"), rng);
            })
            .paths(DEFAULT)
            .samples(Sample.of("rate 0.5", rand(111, -1, 1, 4, 5)).arg("rate", 0.5).arg("seed", 7L),
                    Sample.of("rate 0.2, batch 1", rand(112, -1, 1, 1, 8)).arg("rate", 0.2).arg("seed", 8L),
                    Sample.of("rate 0 (identity)", rand(113, -1, 1, 2, 3)).arg("rate", 0.0).arg("seed", 9L));

    private static INDArray indices(double... v) {
        return arr(v, v.length);
    }

    /** Embedding: gather rows forward, scatter-add backward (repeated indices add up). */
    static final OpInfo EMBEDDING = op("embedding", (in, s) -> RnnOps.embedding(in.get(0), (INDArray) s.get("idx"), "embedding"))
            .reference((in, s) -> {
                INDArray idx = s.get("idx");
                double[] t = in[0].dup('c').data().asDouble();
                int d = (int) in[0].size(1);
                double[] o = new double[(int) idx.length() * d];
                for (int i = 0; i < idx.length(); i++) System.arraycopy(t, (int) idx.getDouble(i) * d, o, i * d, d);
                long[] os = java.util.Arrays.copyOf(idx.shape(), idx.rank() + 1);
                os[idx.rank()] = d;
                return arr(o, os);
            })
            .paths(JVM_ELEMENTWISE, ND4J_ELEMENTWISE)
            .samples(Sample.of("(2, 3) indices with repeats", rand(121, -1, 1, 5, 3)).arg("idx", arr(new double[] {0, 4, 4, 2, 0, 4}, 2, 3)),
                    Sample.of("one index, batch 1", rand(122, -1, 1, 3, 2)).arg("idx", indices(2)),
                    Sample.of("row 0 only (the padding row Keras masks)", rand(123, -1, 1, 4, 2)).arg("idx", arr(new double[] {0, 0, 0, 0}, 1, 4)));

    /** Relu of 262,144 elements or more: oneDNN's eltwise kernels on float32, against the JVM loops (and float64). */
    static final OpInfo RELU_LARGE = op("relu (262,144 elements or more)", (in, s) -> Activations.get("relu").apply(in.get(0)))
            .reference((in, s) -> NaiveOps.map(in[0], v -> Math.max(v, 0)))
            .paths(DNNL, JVM_ELEMENTWISE)
            .samples(Sample.of("4 x 65,600 values in [-3, 3), every 7th exactly 0", largeWithZeros())
                    // relu'(0) = 0 as in Keras; by rule rather than by finite differences over 262,400 inputs
                    .gradsByRule((in, w) -> new INDArray[] {NaiveOps.map(in[0], v -> v > 0 ? 1 : 0).mul(w)}));

    private static INDArray largeWithZeros() {
        INDArray x = rand(131, -3, 3, 4, 65600);
        for (long i = 0; i < x.length(); i += 7) x.putScalar(i, 0.0);
        return x;
    }

    static List<OpInfo> all() {
        List<OpInfo> ops = new ArrayList<>(List.of(LINEAR, LINEAR_LARGE, SPARSE_LINEAR, ZERO_COLUMNS_LINEAR));
        ops.addAll(ACTIVATIONS);
        ops.add(RELU_LARGE);
        ops.addAll(List.of(GELU_APPROX, SOFTMAX, LOG_SOFTMAX, SOFTMAX_CE, SIGMOID_CE, SUM_ALL, MEAN_ALL, MUL_SCALAR, ADD_BROADCAST, CONCAT, RESHAPE, DROPOUT, EMBEDDING));
        return ops;
    }

    @TestFactory
    Stream<DynamicNode> matrix() {
        return OpMatrix.tests(all().toArray(new OpInfo[0]));
    }

    /** Dropout's mask: every value is 0 or x / (1 - rate), about a fraction rate are 0, and the same seed gives the same mask in both dtypes. */
    @Test
    void dropoutMaskIsInvertedBernoulliAndTheSameInBothDtypes() {
        INDArray x = Nd4j.ones(DataType.DOUBLE, 100, 100);
        double[][] outs = new double[2][];
        DataType[] dts = {DataType.FLOAT, DataType.DOUBLE};
        for (int k = 0; k < 2; k++) {
            Tensor t = Tensor.variable(x.castTo(dts[k]));
            try (Tape tape = Tape.record()) {
                Tensor y = Ops.dropout(t, 0.3, Nd4j.getRandomFactory().getNewRandomInstance(42));
                outs[k] = y.value().castTo(DataType.DOUBLE).data().asDouble();
                tape.backward(Ops.sum(y));
            }
            double[] g = t.grad().castTo(DataType.DOUBLE).data().asDouble();
            int zeros = 0;
            for (int i = 0; i < g.length; i++) {
                double v = outs[k][i];
                assertTrue(v == 0 || Math.abs(v - 1 / 0.7) < 1e-6, "value " + v);
                assertEquals(v, g[i], 1e-6, "the gradient is the mask");
                if (v == 0) zeros++;
            }
            // 10000 Bernoulli(0.3) draws: mean 3000, standard deviation 46
            assertTrue(Math.abs(zeros - 3000) < 250, "zeros: " + zeros);
        }
        for (int i = 0; i < outs[0].length; i++) assertEquals(outs[1][i] == 0, outs[0][i] == 0, "element " + i);
    }
}
