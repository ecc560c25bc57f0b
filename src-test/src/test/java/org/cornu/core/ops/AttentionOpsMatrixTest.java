package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.cornu.testing.opmatrix.KernelPaths.COMPOSED_ATTENTION;
import static org.cornu.testing.opmatrix.KernelPaths.FUSED_ATTENTION;
import static org.cornu.testing.opmatrix.OpInfo.op;
import static org.cornu.testing.opmatrix.Sample.arr;

import java.util.List;
import java.util.stream.Stream;
import org.cornu.core.autodiff.Tensor;
import org.cornu.testing.opmatrix.OpInfo;
import org.cornu.testing.opmatrix.OpMatrix;
import org.cornu.testing.opmatrix.Sample;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The op matrix for {@link AttentionOps#attention}: multi-head scaled dot-product attention with
 * no mask, key masks, a causal mask, a query mask that leaves rows with nothing to attend to, a
 * full random mask, and the single-position edge; on the fused float32 kernel and the composed
 * path, in float32 and float64, forward against a plain-Java float64 attention written from the
 * definition and gradients against its central differences. Dropout (a fixed seed per call) is
 * checked against the composed float64 path and its differences.
 */
class AttentionOpsMatrixTest {

    static Tensor attention(List<Tensor> in, Sample s) {
        INDArray mask = s.get("mask", null);
        double rate = s.get("dropout", 0.0);
        Random rng = rate > 0 ? Nd4j.getRandomFactory().getNewRandomInstance(s.<Long>get("seed")) : null;
        return AttentionOps.attention(in.get(0), in.get(1), in.get(2), mask, s.get("scale"), rate, rng, false).output();
    }

    /** softmax over the attended key positions of {@code scale * q.k}, zero where none, times v; float64 loops. */
    static INDArray attentionRef(INDArray[] in, Sample s) {
        INDArray q = in[0], k = in[1], v = in[2];
        INDArray mask = s.get("mask", null);
        double scale = s.get("scale");
        int b = (int) q.size(0), t = (int) q.size(1), nh = (int) q.size(2), h = (int) q.size(3);
        int sl = (int) k.size(1), hv = (int) v.size(3);
        double[] out = new double[b * t * nh * hv];
        for (int bi = 0; bi < b; bi++) {
            for (int n = 0; n < nh; n++) {
                for (int i = 0; i < t; i++) {
                    double[] sc = new double[sl];
                    boolean[] on = new boolean[sl];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < sl; j++) {
                        on[j] = mask == null || mask.getDouble(mask.size(0) == 1 ? 0 : bi, mask.size(1) == 1 ? 0 : n,
                                mask.size(2) == 1 ? 0 : i, mask.size(3) == 1 ? 0 : j) != 0;
                        double d = 0;
                        for (int c = 0; c < h; c++) d += q.getDouble(bi, i, n, c) * k.getDouble(bi, j, n, c);
                        sc[j] = scale * d;
                        if (on[j]) max = Math.max(max, sc[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < sl; j++) {
                        sc[j] = on[j] ? Math.exp(sc[j] - max) : 0;
                        sum += sc[j];
                    }
                    for (int c = 0; c < hv; c++) {
                        double o = 0;
                        for (int j = 0; j < sl; j++) if (sum > 0) o += sc[j] / sum * v.getDouble(bi, j, n, c);
                        out[((bi * t + i) * nh + n) * hv + c] = o;
                    }
                }
            }
        }
        return arr(out, b, t, nh, hv);
    }

    private static Sample sample(String name, long seed, int b, int t, int s, int nh, int h, int hv) {
        return Sample.of(name, rand(seed, -1.5, 1.5, b, t, nh, h), rand(seed + 1, -1.5, 1.5, b, s, nh, h),
                rand(seed + 2, -1, 1, b, s, nh, hv)).arg("scale", 1.0 / Math.sqrt(h));
    }

    private static INDArray mask(double[] v, long... shape) {
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    private static INDArray randomMask(long seed, long... shape) {
        INDArray r = rand(seed, 0, 1, shape);
        return r.gt(0.3).castTo(DataType.DOUBLE);
    }

    static final OpInfo ATTENTION = op("attention", AttentionOpsMatrixTest::attention)
            .reference(AttentionOpsMatrixTest::attentionRef)
            .paths(COMPOSED_ATTENTION, FUSED_ATTENTION)
            .samples(sample("no mask, 2 heads, T 3, S 4", 301, 2, 3, 4, 2, 3, 2),
                    sample("key mask (B, 1, 1, S)", 311, 2, 3, 4, 2, 3, 2)
                            .arg("mask", mask(new double[] {1, 1, 0, 1, 1, 0, 0, 1}, 2, 1, 1, 4)),
                    sample("causal mask (1, 1, T, S)", 321, 2, 3, 3, 1, 2, 3)
                            .arg("mask", mask(new double[] {1, 0, 0, 1, 1, 0, 1, 1, 1}, 1, 1, 3, 3)),
                    sample("query mask (B, 1, T, 1): rows with nothing to attend to give zeros", 331, 2, 3, 2, 2, 2, 2)
                            .arg("mask", mask(new double[] {1, 0, 1, 0, 1, 1}, 2, 1, 3, 1)),
                    sample("full random mask (B, N, T, S)", 341, 2, 4, 3, 2, 2, 3).arg("mask", randomMask(342, 2, 2, 4, 3)),
                    sample("batch 1, one head, one position", 351, 1, 1, 1, 1, 2, 3));

    static final OpInfo ATTENTION_DROPOUT = op("attention_dropout", AttentionOpsMatrixTest::attention)
            .paths(COMPOSED_ATTENTION, FUSED_ATTENTION)
            .samples(sample("dropout 0.4, key mask", 361, 2, 3, 5, 2, 2, 3).arg("dropout", 0.4).arg("seed", 17L)
                    .arg("mask", mask(new double[] {1, 1, 1, 0, 1, 0, 1, 1, 1, 1}, 2, 1, 1, 5)));

    @TestFactory
    Stream<DynamicNode> matrix() {
        return OpMatrix.tests(ATTENTION, ATTENTION_DROPOUT);
    }
}
