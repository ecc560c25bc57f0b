package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.check;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.testing.Float64Test;

/**
 * Convolution and pooling primitives against direct nested loops written here (TF/Keras
 * padding: "same" pads total/2 on top/left and the rest on bottom/right), and their
 * gradients against central differences, in float64.
 */
class ConvOpsTest extends Float64Test {
    private static final double TOL = 1e-6;

    static int outLen(int in, int k, int s, boolean same, int d) {
        if (same) return (in + s - 1) / s;
        return (in - (k - 1) * d - 1) / s + 1;
    }

    static int padBefore(int in, int k, int s, boolean same, int d) {
        if (!same) return 0;
        int o = outLen(in, k, s, true, d);
        int total = Math.max((o - 1) * s + (k - 1) * d + 1 - in, 0);
        return total / 2;
    }

    /** Direct convolution (cross-correlation) of x (n,h,w,c) with k (kh,kw,c,f). */
    static INDArray refConv(INDArray x, INDArray k, INDArray bias, int sh, int sw, boolean same, int dh, int dw) {
        int n = (int) x.size(0), h = (int) x.size(1), w = (int) x.size(2), c = (int) x.size(3);
        int kh = (int) k.size(0), kw = (int) k.size(1), f = (int) k.size(3);
        int oh = outLen(h, kh, sh, same, dh), ow = outLen(w, kw, sw, same, dw);
        int pt = padBefore(h, kh, sh, same, dh), pl = padBefore(w, kw, sw, same, dw);
        INDArray o = Nd4j.zeros(x.dataType(), n, oh, ow, f);
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int q = 0; q < f; q++) {
                        double s = bias == null ? 0 : bias.getDouble(q);
                        for (int a = 0; a < kh; a++)
                            for (int e = 0; e < kw; e++) {
                                int y = i * sh - pt + a * dh, xx = j * sw - pl + e * dw;
                                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                for (int ch = 0; ch < c; ch++) s += x.getDouble(b, y, xx, ch) * k.getDouble(a, e, ch, q);
                            }
                        o.putScalar(new long[] {b, i, j, q}, s);
                    }
        return o;
    }

    /** Direct max (max=true) or average pooling; padded cells are ignored (TF). */
    static INDArray refPool(INDArray x, int ph, int pw, int sh, int sw, boolean same, boolean max) {
        int n = (int) x.size(0), h = (int) x.size(1), w = (int) x.size(2), c = (int) x.size(3);
        int oh = outLen(h, ph, sh, same, 1), ow = outLen(w, pw, sw, same, 1);
        int pt = padBefore(h, ph, sh, same, 1), pl = padBefore(w, pw, sw, same, 1);
        INDArray o = Nd4j.zeros(x.dataType(), n, oh, ow, c);
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int ch = 0; ch < c; ch++) {
                        double s = max ? Double.NEGATIVE_INFINITY : 0;
                        int cnt = 0;
                        for (int a = 0; a < ph; a++)
                            for (int e = 0; e < pw; e++) {
                                int y = i * sh - pt + a, xx = j * sw - pl + e;
                                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                double v = x.getDouble(b, y, xx, ch);
                                s = max ? Math.max(s, v) : s + v;
                                cnt++;
                            }
                        o.putScalar(new long[] {b, i, j, ch}, max ? s : s / cnt);
                    }
        return o;
    }

    @ParameterizedTest(name = "h={0} w={1} k={2}x{3} s={4}x{5} same={6} d={7}x{8}")
    @CsvSource({
        "5,6,3,3,1,1,false,1,1",
        "5,6,3,3,1,1,true,1,1",
        "6,6,3,3,2,2,true,1,1",   // TF pads 0 top / 1 bottom here
        "7,8,3,2,2,3,true,1,1",
        "7,8,3,2,2,3,false,1,1",
        "8,7,3,3,1,1,true,2,2",
        "8,7,2,3,1,1,false,2,1",
        "6,6,4,4,2,2,true,1,1",   // even kernel, same: pads 1 top / 2 bottom
    })
    void conv2dMatchesNestedLoopsAndGradients(int h, int w, int kh, int kw, int sh, int sw, boolean same, int dh, int dw) {
        INDArray x = rand(1, -1, 1, 2, h, w, 3);
        INDArray k = rand(2, -1, 1, kh, kw, 3, 4);
        INDArray b = rand(3, -1, 1, 4);
        int[] s = {sh, sw};
        int[] d = {dh, dw};
        INDArray got = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), Tensor.constant(b), s, same, d).value();
        INDArray want = refConv(x, k, b, sh, sw, same, dh, dw);
        assertArrayEquals(want.shape(), got.shape());
        assertEquals(0, want.sub(got).amaxNumber().doubleValue(), 1e-12);
        INDArray noBias = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), null, s, same, d).value();
        assertEquals(0, refConv(x, k, null, sh, sw, same, dh, dw).sub(noBias).amaxNumber().doubleValue(), 1e-12);
        INDArray wt = rand(9, -1, 1, want.shape());
        check(t -> Ops.mul(ConvOps.conv2d(t.get(0), t.get(1), t.get(2), s, same, d), Tensor.constant(wt)), TOL, x, k, b);
        check(t -> Ops.mul(ConvOps.conv2d(t.get(0), t.get(1), null, s, same, d), Tensor.constant(wt)), TOL, x, k);
    }

    @ParameterizedTest(name = "channels={0} same={1} dilation={2}")
    @CsvSource({"12,true,1", "32,true,1", "32,false,1", "32,true,2", "40,false,2"})
    void conv2dWithManyChannelsMatchesNestedLoops(int c, boolean same, int d) {
        // long contiguous runs (kw * c >= 32) take the direct-buffer im2col, short ones the heap one
        INDArray x = rand(5, -1, 1, 2, 6, 5, c);
        INDArray k = rand(6, -1, 1, 3, 2, c, 3);
        int[] s = {1, 1};
        int[] dd = {d, d};
        INDArray got = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), null, s, same, dd).value();
        INDArray want = refConv(x, k, null, 1, 1, same, d, d);
        assertArrayEquals(want.shape(), got.shape());
        assertEquals(0, want.sub(got).amaxNumber().doubleValue(), 1e-12);
    }

    @ParameterizedTest(name = "h={0} w={1} pool={2}x{3} s={4}x{5} same={6} max={7}")
    @CsvSource({
        "6,6,2,2,2,2,false,true", "6,6,2,2,2,2,false,false",
        "5,7,2,2,2,2,false,true", "5,7,2,2,2,2,true,true", "5,7,2,2,2,2,true,false",
        "5,5,3,3,2,2,true,true", "5,5,3,3,2,2,true,false",
        "6,5,3,2,1,1,true,false", "6,5,3,2,1,2,false,true",
    })
    void poolingMatchesNestedLoopsAndGradients(int h, int w, int ph, int pw, int sh, int sw, String sameS, boolean max) {
        boolean same = sameS.equals("true");
        // distinct values so that max pooling has no ties (finite differences need a unique max)
        INDArray x = Nd4j.linspace(-1, 1, 2L * h * w * 3).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        x = shuffled(x, 5).reshape(2, h, w, 3);
        int[] p = {ph, pw};
        int[] s = {sh, sw};
        INDArray got = (max ? ConvOps.maxPool2d(Tensor.constant(x), p, s, same) : ConvOps.avgPool2d(Tensor.constant(x), p, s, same)).value();
        INDArray want = refPool(x, ph, pw, sh, sw, same, max);
        assertArrayEquals(want.shape(), got.shape());
        assertEquals(0, want.sub(got).amaxNumber().doubleValue(), 1e-12);
        INDArray wt = rand(9, -1, 1, want.shape());
        check(t -> Ops.mul(max ? ConvOps.maxPool2d(t.get(0), p, s, same) : ConvOps.avgPool2d(t.get(0), p, s, same),
                Tensor.constant(wt)), TOL, x);
    }

    static INDArray shuffled(INDArray v, long seed) {
        double[] a = v.toDoubleVector();
        java.util.Random r = new java.util.Random(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Nd4j.create(a, new long[] {a.length}, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    }

    @Test
    void globalPoolingValuesAndGradients() {
        INDArray x = shuffled(Nd4j.linspace(-1, 1, 2 * 3 * 4 * 5).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), 3)
                .reshape(2, 3, 4, 5);
        INDArray mx = ConvOps.globalMaxPool(Tensor.constant(x)).value();
        INDArray av = ConvOps.globalAvgPool(Tensor.constant(x)).value();
        assertArrayEquals(new long[] {2, 5}, mx.shape());
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 5; c++) {
                double m = Double.NEGATIVE_INFINITY, s = 0;
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 4; j++) {
                        m = Math.max(m, x.getDouble(b, i, j, c));
                        s += x.getDouble(b, i, j, c);
                    }
                assertEquals(m, mx.getDouble(b, c), 1e-15);
                assertEquals(s / 12, av.getDouble(b, c), 1e-15);
            }
        INDArray wt = rand(9, -1, 1, 2, 5);
        check(t -> Ops.mul(ConvOps.globalMaxPool(t.get(0)), Tensor.constant(wt)), TOL, x);
        check(t -> Ops.mul(ConvOps.globalAvgPool(t.get(0)), Tensor.constant(wt)), TOL, x);
    }

    @Test
    void globalMaxPoolSharesGradientAmongTies() {
        INDArray x = Nd4j.create(new double[] {1, 3, 3, 2}, new long[] {1, 2, 2, 1}, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        Tensor v = Tensor.variable(x);
        try (Tape t = Tape.record()) {
            t.backward(Ops.sum(ConvOps.globalMaxPool(v)));
        }
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, v.grad().reshape(4).toDoubleVector(), 1e-15);
    }
}
