package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Function;
import org.cornu.core.FastPaths;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.kernels.Onednn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 oneDNN kernels (ND4J's native conv2d, maxpool2d, avgpool2d and their backward ops
 * in the default {@code linux-x86_64-onednn} build) against the float64 JVM path, which
 * {@link ConvOpsTest} checks against nested loops and central differences: outputs and every
 * gradient, for TF's asymmetric "same" padding, strides, dilations, non-square kernels, batch 1,
 * and for an input that needs no gradient (the first layer, whose kernel gradient comes from
 * im2col and a gemm instead of {@code conv2d_bp}). Dilated kernels are not served by oneDNN in
 * ND4J M2.1 (its conv2d fails on them), so they stay on the JVM path, as the last test checks. Tolerance: float32 rounding of sums of at
 * most a few hundred products of values in [-1, 1], 2e-5 absolute.
 */
class ConvOpsOnednnTest {
    static final double TOL = 2e-5;

    @BeforeEach
    void needsOnednn() {
        assumeTrue(Onednn.present(), "this ND4J build has no oneDNN (the generic profile)");
        assertTrue(FastPaths.ONEDNN.enabled(), "the oneDNN path is on by default");
        // ND4J's oneDNN-backed ops run when the direct oneDNN kernels (ConvOpsDnnlTest) are off
        FastPaths.DNNL.setEnabled(false);
    }

    @AfterEach
    void restore() {
        FastPaths.DNNL.setEnabled(true);
    }

    /** The switch whose counter proves the float32 calls took the path under test. */
    FastPaths counted() {
        return FastPaths.ONEDNN;
    }

    /** Output and gradients of f at float32 (oneDNN) and float64 (JVM); {@code xGrad} false makes x a constant. */
    void compare(Function<Tensor[], Tensor> f, boolean xGrad, INDArray... inputs64) {
        compare(f, xGrad, TOL, inputs64);
    }

    void compare(Function<Tensor[], Tensor> f, boolean xGrad, double tol, INDArray... inputs64) {
        Result r64 = run(f, xGrad, inputs64);
        long before = counted().runs();
        INDArray[] in32 = new INDArray[inputs64.length];
        for (int i = 0; i < in32.length; i++) in32[i] = inputs64[i].castTo(DataType.FLOAT);
        Result r32 = run(f, xGrad, in32);
        assertTrue(counted().runs() > before, "the float32 call took the " + counted() + " path");
        assertArrayEquals(r64.out.shape(), r32.out.shape());
        assertEquals(0, r64.out.sub(r32.out.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), tol, "output");
        for (int i = 0; i < inputs64.length; i++) {
            if (i == 0 && !xGrad) {
                assertEquals(null, r32.grads[0], "no gradient for a constant input");
                continue;
            }
            // a kernel gradient sums over batch and positions (2,028 products for the book's first layer at batch 3):
            // its float32 rounding grows with its magnitude, so the tolerance is relative past 1
            double scale = Math.max(1, r64.grads[i].amaxNumber().doubleValue());
            assertEquals(0, r64.grads[i].sub(r32.grads[i].castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), tol * scale,
                    "gradient of input " + i);
        }
    }

    record Result(INDArray out, INDArray[] grads) {}

    static Result run(Function<Tensor[], Tensor> f, boolean xGrad, INDArray... in) {
        Tensor[] t = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) t[i] = i == 0 && !xGrad ? Tensor.constant(in[i]) : Tensor.variable(in[i]);
        Tensor out;
        try (Tape tape = Tape.record()) {
            out = f.apply(t);
            // a weighted sum as the loss, so that every output position carries its own gradient
            INDArray w = rand(99, -1, 1, out.shape()).castTo(out.value().dataType());
            tape.backward(out, w);
        }
        INDArray[] g = new INDArray[in.length];
        for (int i = 0; i < in.length; i++) g[i] = t[i].grad() == null ? null : t[i].grad().dup();
        return new Result(out.value().dup(), g);
    }

    @ParameterizedTest(name = "n={0} h={1} w={2} k={3}x{4} s={5}x{6} same={7} d={8}x{9} xGrad={10}")
    @CsvSource({
        "2,5,6,3,3,1,1,false,1,1,true",
        "2,5,6,3,3,1,1,true,1,1,true",
        "2,6,6,3,3,2,2,true,1,1,true",   // TF pads 0 top / 1 bottom
        "1,7,8,3,2,2,3,true,1,1,true",   // batch 1, odd total padding on both axes
        "2,7,8,3,2,2,3,false,1,1,false",
        "2,6,6,4,4,2,2,true,1,1,false",  // even kernel, same: 1 top / 2 bottom; first-layer gradients
        "3,28,28,3,3,1,1,false,1,1,false", // the book's first layer
    })
    void conv2dEqualsTheFloat64Path(int n, int h, int w, int kh, int kw, int sh, int sw, boolean same, int dh, int dw,
            boolean xGrad) {
        int[] s = {sh, sw};
        int[] d = {dh, dw};
        int c = h == 28 ? 1 : 3;
        INDArray x = rand(1, -1, 1, n, h, w, c);
        INDArray k = rand(2, -1, 1, kh, kw, c, 4);
        INDArray b = rand(3, -1, 1, 4);
        compare(t -> ConvOps.conv2d(t[0], t[1], t[2], s, same, d), xGrad, x, k, b);
        compare(t -> ConvOps.conv2d(t[0], t[1], null, s, same, d), xGrad, x, k);
    }

    @ParameterizedTest(name = "h={0} w={1} pool={2}x{3} s={4}x{5} same={6} max={7}")
    @CsvSource({
        "6,6,2,2,2,2,false,true", "6,6,2,2,2,2,false,false",
        "5,7,2,2,2,2,true,true", "5,7,2,2,2,2,true,false",
        "5,5,3,3,2,2,true,true", "5,5,3,3,2,2,true,false",
        "6,5,3,2,1,2,false,true",
    })
    void poolingEqualsTheFloat64Path(int h, int w, int ph, int pw, int sh, int sw, boolean same, boolean max) {
        // distinct values (no ties): the gradient's position is then unambiguous
        INDArray x = ConvOpsTest.shuffled(Nd4j.linspace(-1, 1, 2L * h * w * 3).castTo(DataType.DOUBLE), 5).reshape(2, h, w, 3);
        int[] p = {ph, pw};
        int[] s = {sh, sw};
        compare(t -> max ? ConvOps.maxPool2d(t[0], p, s, same) : ConvOps.avgPool2d(t[0], p, s, same), true, x);
    }

    @Test
    void maxPoolRoutesTiesToTheFirstMaximumInRowMajorOrder() {
        // windows: all zeros; [[0,0],[1,1]]; [[2,2],[2,2]]; [[0,3],[3,0]]
        float[] v = {
            0, 0, 0, 0,
            0, 0, 1, 1,
            2, 2, 0, 3,
            2, 2, 3, 0};
        Tensor x = Tensor.variable(Nd4j.create(v, new long[] {1, 4, 4, 1}, 'c'));
        long before = counted().runs();
        try (Tape tape = Tape.record()) {
            Tensor o = ConvOps.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, false);
            tape.backward(o, Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {1, 2, 2, 1}, 'c'));
        }
        assertTrue(counted().runs() > before);
        // as Keras/TF: each window's gradient goes to its first maximum in row-major order
        float[] want = {
            1, 0, 0, 0,
            0, 0, 2, 0,
            3, 0, 0, 4,
            0, 0, 0, 0};
        assertArrayEquals(want, x.grad().reshape(16).toFloatVector());
    }

    @Test
    void dilatedConvolutionStaysOnTheJvmPath() {
        INDArray x = rand(1, -1, 1, 2, 8, 7, 3).castTo(DataType.FLOAT);
        INDArray k = rand(2, -1, 1, 3, 3, 3, 4).castTo(DataType.FLOAT);
        long before = FastPaths.ONEDNN.runs();
        INDArray got = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), null, new int[] {1, 1}, true, new int[] {2, 2}).value();
        assertEquals(before, FastPaths.ONEDNN.runs());
        INDArray want = ConvOpsTest.refConv(x.castTo(DataType.DOUBLE), k.castTo(DataType.DOUBLE), null, 1, 1, true, 2, 2);
        assertEquals(0, want.sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), TOL);
        // also with the JVM kernels switched off: ND4J's native conv2d would reach oneDNN and fail
        FastPaths.JVM_CONV.setEnabled(false);
        try {
            INDArray nat = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), null, new int[] {1, 1}, true, new int[] {2, 2}).value();
            assertEquals(0, want.sub(nat.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), TOL);
        } finally {
            FastPaths.JVM_CONV.setEnabled(true);
        }
    }
}
