package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.check;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.activations.Activations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.testing.Float64Test;

/** Every primitive's tape gradient against central differences in float64. */
class OpsGradientTest extends Float64Test {
    private static final double TOL = 1e-6;

    /** Values kept away from kinks (0 for relu/abs) so central differences are exact enough. */
    private static INDArray awayFromZero(long seed, long... shape) {
        INDArray x = rand(seed, -2, 2, shape);
        for (long i = 0; i < x.length(); i++) {
            double v = x.getDouble(i);
            if (Math.abs(v) < 0.05) x.putScalar(i, v < 0 ? -0.3 : 0.3);
        }
        return x;
    }

    @Test
    void arithmeticWithBroadcasting() {
        check(t -> Ops.add(t.get(0), t.get(1)), TOL, rand(1, -1, 1, 3, 4), rand(2, -1, 1, 4));
        check(t -> Ops.sub(t.get(0), t.get(1)), TOL, rand(3, -1, 1, 3, 4), rand(4, -1, 1, 3, 1));
        check(t -> Ops.mul(Ops.mul(t.get(0), t.get(1)), t.get(0)), TOL, rand(5, -1, 1, 2, 3), rand(6, -1, 1, 1, 3));
        check(t -> Ops.div(t.get(0), t.get(1)), TOL, rand(7, -1, 1, 2, 3), rand(8, 0.5, 2, 2, 3));
        check(t -> Ops.mulScalar(Ops.addScalar(t.get(0), 3), -2), TOL, rand(9, -1, 1, 5));
        check(t -> Ops.rsubScalar(1.0, t.get(0)), TOL, rand(9, -1, 1, 5));
    }

    @Test
    void matmulAndLinear() {
        check(t -> Ops.matmul(t.get(0), t.get(1)), TOL, rand(10, -1, 1, 3, 4), rand(11, -1, 1, 4, 2));
        check(t -> Ops.linear(t.get(0), t.get(1), t.get(2)), TOL, rand(12, -1, 1, 3, 4), rand(13, -1, 1, 4, 5), rand(14, -1, 1, 5));
        // rank 3 input: applied over the last axis
        check(t -> Ops.linear(t.get(0), t.get(1), null), TOL, rand(15, -1, 1, 2, 3, 4), rand(16, -1, 1, 4, 2));
    }

    @Test
    void linearValueIsXWPlusB() {
        INDArray x = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
        INDArray w = Nd4j.create(new double[][] {{1, 0, -1}, {2, 1, 0}});
        INDArray b = Nd4j.create(new double[] {0.5, -0.5, 1});
        INDArray y = Ops.linear(Tensor.constant(x), Tensor.constant(w), Tensor.constant(b)).value();
        // [1*1+2*2+0.5, 0+2-0.5, -1+0+1] ; [3+8+0.5, 4-0.5, -3+1]
        assertArrayEquals(new double[] {5.5, 1.5, 0, 11.5, 3.5, -2}, y.data().asDouble(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh", "softmax", "linear", "elu", "selu", "softplus", "softsign",
            "swish", "gelu", "leaky_relu", "exponential"})
    void everyActivation(String name) {
        ActivationFunction a = Activations.get(name);
        check(t -> Ops.mul(a.apply(t.get(0)), Tensor.constant(rand(99, -1, 1, 3, 5))), TOL, awayFromZero(20, 3, 5));
    }

    @Test
    void approximateGelu() {
        check(t -> Ops.gelu(t.get(0), true), TOL, awayFromZero(21, 2, 4));
    }

    @Test
    void activationValues() {
        INDArray x = Nd4j.create(new double[] {-2, -0.5, 0.5, 2}, new long[] {1, 4});
        Tensor t = Tensor.constant(x);
        assertArrayEquals(new double[] {0, 0, 0.5, 2}, Ops.relu(t).value().data().asDouble(), 1e-12);
        assertArrayEquals(new double[] {-0.4, -0.1, 0.5, 2}, Ops.leakyRelu(t, 0.2).value().data().asDouble(), 1e-12);
        assertArrayEquals(new double[] {Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0.5, 2}, Ops.elu(t, 1.0).value().data().asDouble(), 1e-12);
        assertArrayEquals(new double[] {-2 / 3.0, -0.5 / 1.5, 0.5 / 1.5, 2 / 3.0}, Ops.softsign(t).value().data().asDouble(), 1e-12);
        double[] sp = Ops.softplus(t).value().data().asDouble();
        for (int i = 0; i < 4; i++) assertEquals(Math.log1p(Math.exp(x.getDouble(i))), sp[i], 1e-12);
        double[] sw = Ops.swish(t).value().data().asDouble();
        for (int i = 0; i < 4; i++) assertEquals(x.getDouble(i) / (1 + Math.exp(-x.getDouble(i))), sw[i], 1e-12);
        // exact gelu: x * Phi(x); Phi(2) = 0.9772498680518208, Phi(0.5) = 0.6914624612740131
        double[] g = Ops.gelu(t, false).value().data().asDouble();
        assertEquals(2 * 0.9772498680518208, g[3], 1e-9);
        assertEquals(0.5 * 0.6914624612740131, g[2], 1e-9);
        double[] sm = Ops.softmax(t, -1).value().data().asDouble();
        double z = Math.exp(-2) + Math.exp(-0.5) + Math.exp(0.5) + Math.exp(2);
        assertEquals(Math.exp(2) / z, sm[3], 1e-12);
        double[] se = Ops.selu(t).value().data().asDouble();
        assertEquals(1.0507009873554805 * 2, se[3], 1e-12);
        assertEquals(1.0507009873554805 * 1.6732632423543772 * (Math.exp(-2) - 1), se[0], 1e-12);
    }

    @Test
    void reductionsAndShapes() {
        check(t -> Ops.sum(t.get(0), 1, false), TOL, rand(30, -1, 1, 3, 4));
        check(t -> Ops.mean(t.get(0), 0, true), TOL, rand(31, -1, 1, 3, 4));
        check(t -> Ops.mean(Ops.square(t.get(0))), TOL, rand(32, -1, 1, 3, 4));
        check(t -> Ops.mul(Ops.reshape(t.get(0), 4, 3), Tensor.constant(rand(33, -1, 1, 4, 3))), TOL, rand(34, -1, 1, 2, 6));
        check(t -> Ops.mul(Ops.concat(1, t.get(0), t.get(1)), Tensor.constant(rand(35, -1, 1, 2, 5))), TOL,
                rand(36, -1, 1, 2, 2), rand(37, -1, 1, 2, 3));
        check(t -> Ops.logSoftmax(t.get(0)), TOL, rand(38, -3, 3, 2, 4));
    }

    @Test
    void elementwiseMath() {
        check(t -> Ops.exp(t.get(0)), TOL, rand(40, -1, 1, 6));
        check(t -> Ops.log(t.get(0)), TOL, rand(41, 0.5, 2, 6));
        check(t -> Ops.sqrt(t.get(0)), TOL, rand(42, 0.5, 2, 6));
        check(t -> Ops.abs(t.get(0)), TOL, awayFromZero(43, 6));
        check(t -> Ops.maximum(t.get(0), 0.1), TOL, awayFromZero(44, 6));
        check(t -> Ops.minimum(t.get(0), 0.1), TOL, awayFromZero(45, 6));
        check(t -> Ops.minimum(t.get(0), t.get(1)), TOL, rand(46, -1, 0, 6), rand(47, 0.1, 1, 6));
        check(t -> Ops.clip(t.get(0), -0.5, 0.5), TOL, awayFromZero(48, 8));
        // broadcasting max/min: (2, 1, 3) against (4, 3); interleaved values, no ties
        check(t -> Ops.maximum(t.get(0), t.get(1)), TOL, rand(49, -1, 1, 2, 1, 3), rand(50, -1, 1, 4, 3));
        check(t -> Ops.minimum(t.get(0), t.get(1)), TOL, rand(51, -1, 1, 4, 3), rand(52, -1, 1, 3));
    }

    @Test
    void transposeSliceAndBatchMatmul() {
        INDArray x = rand(53, -1, 1, 2, 3, 4);
        INDArray p = Ops.transpose(org.cornu.core.autodiff.Tensor.constant(x), 2, 0, 1).value();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {4, 2, 3}, p.shape());
        org.junit.jupiter.api.Assertions.assertEquals(x.getDouble(1, 2, 3), p.getDouble(3, 1, 2), 0);
        check(t -> Ops.transpose(t.get(0), 2, 0, 1), TOL, rand(54, -1, 1, 2, 3, 4));
        INDArray s = Ops.slice(org.cornu.core.autodiff.Tensor.constant(x), new long[] {1, 0, 1}, new long[] {2, 2, 4}).value();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {1, 2, 3}, s.shape());
        org.junit.jupiter.api.Assertions.assertEquals(x.getDouble(1, 1, 3), s.getDouble(0, 1, 2), 0);
        check(t -> Ops.slice(t.get(0), new long[] {0, 1, 1}, new long[] {2, 3, 3}), TOL, rand(55, -1, 1, 2, 3, 4));
        INDArray a = rand(56, -1, 1, 2, 3, 4), b = rand(57, -1, 1, 2, 4, 5);
        INDArray z = Ops.batchMatmul(org.cornu.core.autodiff.Tensor.constant(a), org.cornu.core.autodiff.Tensor.constant(b)).value();
        for (int n = 0; n < 2; n++) {
            org.junit.jupiter.api.Assertions.assertEquals(0.0, z.slice(n).sub(a.slice(n).mmul(b.slice(n))).amaxNumber().doubleValue(), 1e-12);
        }
        check(t -> Ops.batchMatmul(t.get(0), t.get(1)), TOL, a, b);
    }

    @Test
    void fusedCrossEntropies() {
        INDArray y = Nd4j.create(new double[][] {{0, 1, 0}, {0.2, 0.3, 0.5}});
        check(t -> Ops.softmaxCrossEntropy(t.get(0), y), TOL, rand(50, -3, 3, 2, 3));
        INDArray yb = Nd4j.create(new double[][] {{0, 1}, {1, 0.5}});
        check(t -> Ops.sigmoidCrossEntropy(t.get(0), yb), TOL, rand(51, -3, 3, 2, 2));
        // value: -log softmax(z)[1]
        INDArray z = Nd4j.create(new double[][] {{1, 2, 3}});
        double v = Ops.softmaxCrossEntropy(Tensor.constant(z), Nd4j.create(new double[][] {{0, 1, 0}})).value().getDouble(0);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertEquals(lse - 2, v, 1e-12);
    }

    @Test
    void softmaxRemembersLogitsForFusedLosses() {
        Tensor z = Tensor.constant(rand(60, -1, 1, 2, 3));
        Tensor s = Ops.softmax(z, -1);
        assertEquals("softmax", s.logitsKind());
        assertEquals(z, s.logits());
        Tensor g = Ops.sigmoid(z);
        assertEquals("sigmoid", g.logitsKind());
    }

    @Test
    void noTapeMeansNoRecording() {
        Tensor a = Tensor.variable(rand(70, -1, 1, 2, 2));
        Tensor b = Ops.relu(a);
        assertEquals(null, b.grad());
        try (Tape tape = Tape.record()) {
            Tensor c = Ops.sum(Ops.mul(Tensor.constant(rand(71, -1, 1, 2, 2)), Tensor.constant(rand(72, -1, 1, 2, 2))));
            // constants only: nothing to record
            assertEquals(0, tape.size());
            assertEquals(false, c.requiresGrad());
        }
    }

    @Test
    void sharedInputAccumulatesGradients() {
        // f(x) = sum(x * x + x) -> df/dx = 2x + 1
        INDArray x = rand(80, -1, 1, 4);
        Tensor v = Tensor.variable(x);
        try (Tape tape = Tape.record()) {
            tape.backward(Ops.sum(Ops.add(Ops.mul(v, v), v)));
        }
        for (int i = 0; i < 4; i++) assertEquals(2 * x.getDouble(i) + 1, v.grad().getDouble(i), 1e-12);
    }

    @Test
    void unbroadcastSumsLeadingAndUnitAxes() {
        INDArray g = Nd4j.ones(DataType.DOUBLE, 2, 3, 4);
        assertArrayEquals(new long[] {4}, Ops.unbroadcast(g, new long[] {4}).shape());
        assertEquals(6.0, Ops.unbroadcast(g, new long[] {4}).getDouble(0), 0);
        assertArrayEquals(new long[] {3, 1}, Ops.unbroadcast(g, new long[] {3, 1}).shape());
        assertEquals(8.0, Ops.unbroadcast(g, new long[] {3, 1}).getDouble(0), 0);
    }

    static List<Tensor> unused() {
        return List.of();
    }
}
