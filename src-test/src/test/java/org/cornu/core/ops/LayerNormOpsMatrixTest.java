package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.cornu.testing.opmatrix.KernelPaths.COMPOSED_LAYER_NORM;
import static org.cornu.testing.opmatrix.KernelPaths.DNNL;
import static org.cornu.testing.opmatrix.KernelPaths.FUSED_LAYER_NORM;
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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The op matrix for {@link NormOps#layerNorm}: rows normalized by their own mean and biased
 * variance, with gamma and beta, with one of them, with neither, a single row, a single column
 * (variance 0: epsilon alone) and a constant row; on the fused float32 kernel and the composed
 * path, in float32 and float64, forward against a plain-Java float64 formula and gradients
 * against its central differences.
 */
class LayerNormOpsMatrixTest {

    static Tensor layerNorm(List<Tensor> in, Sample s) {
        int at = 1;
        Tensor gamma = s.get("gamma", true) ? in.get(at++) : null;
        Tensor beta = s.get("beta", true) ? in.get(at) : null;
        return NormOps.layerNorm(in.get(0), gamma, beta, s.get("eps", 1e-3));
    }

    static INDArray layerNormRef(INDArray[] in, Sample s) {
        INDArray x = in[0];
        int at = 1;
        INDArray gamma = s.get("gamma", true) ? in[at++] : null;
        INDArray beta = s.get("beta", true) ? in[at] : null;
        double eps = s.get("eps", 1e-3);
        int n = (int) x.size(0), c = (int) x.size(1);
        double[] o = new double[n * c];
        for (int i = 0; i < n; i++) {
            double m = 0, v = 0;
            for (int j = 0; j < c; j++) m += x.getDouble(i, j) / c;
            for (int j = 0; j < c; j++) v += Math.pow(x.getDouble(i, j) - m, 2) / c;
            for (int j = 0; j < c; j++) {
                double y = (x.getDouble(i, j) - m) / Math.sqrt(v + eps);
                if (gamma != null) y *= gamma.getDouble(j);
                if (beta != null) y += beta.getDouble(j);
                o[i * c + j] = y;
            }
        }
        return arr(o, n, c);
    }

    private static Sample ln(String name, long seed, int n, int c) {
        return Sample.of(name, rand(seed, -2, 2, n, c), rand(seed + 1, 0.5, 1.5, c), rand(seed + 2, -0.5, 0.5, c));
    }

    static final OpInfo LAYER_NORM = op("layer_norm", LayerNormOpsMatrixTest::layerNorm)
            .reference(LayerNormOpsMatrixTest::layerNormRef)
            .paths(COMPOSED_LAYER_NORM, FUSED_LAYER_NORM, DNNL)
            .samples(ln("(6, 5), gamma and beta", 401, 6, 5),
                    ln("one row (1, 7), epsilon 1e-5", 411, 1, 7).arg("eps", 1e-5),
                    ln("a constant row (variance 0: epsilon alone)", 421, 3, 4),
                    ln("one column (1 value per row)", 431, 4, 1),
                    Sample.of("gamma only", rand(441, -2, 2, 5, 3), rand(442, 0.5, 1.5, 3)).arg("beta", false),
                    Sample.of("beta only", rand(451, -2, 2, 5, 3), rand(452, -0.5, 0.5, 3)).arg("gamma", false),
                    Sample.of("neither (standardize)", rand(461, -2, 2, 4, 6)).arg("gamma", false).arg("beta", false));

    static {
        INDArray x = LAYER_NORM.sampleInput(2, 0);
        for (int j = 0; j < 4; j++) x.putScalar(1, j, 0.7);
    }

    @TestFactory
    Stream<DynamicNode> matrix() {
        return OpMatrix.tests(LAYER_NORM);
    }
}
