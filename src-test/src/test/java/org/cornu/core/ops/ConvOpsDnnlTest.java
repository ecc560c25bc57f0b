package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.cornu.core.FastPaths;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.kernels.Dnnl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The direct oneDNN kernels ({@link Dnnl}: cached primitives, Winograd where it wins, max pooling's
 * argmax workspace) against the float64 JVM path, on every case of {@link ConvOpsOnednnTest}
 * (inherited: TF's "same" padding, strides, non-square kernels, batch 1, first-layer gradients,
 * ties in max pooling), plus the dilated kernels ND4J's oneDNN refused, and the book's second
 * layer, where the Winograd passes run.
 */
class ConvOpsDnnlTest extends ConvOpsOnednnTest {
    @Override
    @BeforeEach
    void needsOnednn() {
        assumeTrue(Dnnl.present(), "oneDNN (org.bytedeco:dnnl) did not load here");
        assertTrue(FastPaths.DNNL.enabled(), "the direct oneDNN path is on by default");
    }

    @Override
    @AfterEach
    void restore() {
        FastPaths.DNNL.setEnabled(true);
    }

    @Override
    FastPaths counted() {
        return FastPaths.DNNL;
    }

    @ParameterizedTest(name = "n={0} h={1} w={2} k={3}x{4} s={5}x{6} same={7} d={8}x{9} xGrad={10}")
    @CsvSource({
        "2,8,7,3,3,1,1,true,2,2,true",
        "2,9,9,3,2,1,1,false,2,3,true",
        "1,9,8,2,3,2,1,true,3,2,false",
    })
    void dilatedConv2dEqualsTheFloat64Path(int n, int h, int w, int kh, int kw, int sh, int sw, boolean same, int dh, int dw,
            boolean xGrad) {
        conv2dEqualsTheFloat64Path(n, h, w, kh, kw, sh, sw, same, dh, dw, xGrad);
    }

    @ParameterizedTest(name = "h={0} w={1} k={2}x{3} s={4} same={5} d={6} m={7} xGrad={8}")
    @CsvSource({
        "6,6,3,3,1,true,1,1,true",
        "7,6,3,3,2,true,1,2,true",   // MobileNet's strided depthwise layers, multiplier 2
        "8,7,3,2,1,false,2,3,false",
    })
    void depthwiseConv2dEqualsTheFloat64Path(int h, int w, int kh, int kw, int s, boolean same, int d, int m, boolean xGrad) {
        INDArray x = rand(11, -1, 1, 2, h, w, 4);
        INDArray k = rand(12, -1, 1, kh, kw, 4, m);
        compare(t -> ConvOps.depthwiseConv2d(t[0], t[1], new int[] {s, s}, same, new int[] {d, d}), xGrad, x, k);
    }

    @ParameterizedTest(name = "n={0} h={1} w={2} k={3}x{4} s={5} same={6} outputPadding={7} d={8} xGrad={9}")
    @CsvSource({
        "2,4,5,3,3,2,false,-1,1,true",
        "2,4,5,3,3,2,true,-1,1,true",   // the book's decoder layers: "same", stride 2
        "1,3,4,3,2,2,false,1,1,true",   // an output padding: the last row and column get no product
        "2,5,4,4,4,2,true,0,1,false",
        "2,6,5,3,3,1,true,-1,2,true",   // dilated, stride 1: Winograd does not apply
        "2,9,9,3,3,1,false,-1,1,true",  // stride 1, "valid": an 11x11 output from a 9x9 input
    })
    void transposedConv2dEqualsTheFloat64Path(int n, int h, int w, int kh, int kw, int s, boolean same, int op, int d,
            boolean xGrad) {
        INDArray x = rand(16, -1, 1, n, h, w, 3);
        INDArray k = rand(17, -1, 1, kh, kw, 4, 3);
        int[] outputPadding = op < 0 ? null : new int[] {op, op};
        compare(t -> ConvOps.convTranspose2d(t[0], t[1], new int[] {s, s}, same, outputPadding, new int[] {d, d}), xGrad, x, k);
    }

    @Override
    void dilatedConvolutionStaysOnTheJvmPath() {
        // not this path: oneDNN called directly serves dilated kernels (above)
    }

    @Test
    void theBookSecondLayerRunsWinogradAndEqualsTheFloat64Path() {
        // 13x13x32 -> 64, 3x3: Winograd in all three passes. Its transforms round differently from the
        // direct sum; 288 products of values in [-1, 1] per output, so float32 noise stays below 2e-4.
        INDArray x = rand(1, -1, 1, 4, 13, 13, 32);
        INDArray k = rand(2, -1, 1, 3, 3, 32, 64);
        INDArray b = rand(3, -1, 1, 64);
        int[] one = {1, 1};
        compare(t -> ConvOps.conv2d(t[0], t[1], t[2], one, false, one), true, 2e-4, x, k, b);
        String impl = Dnnl.conv(new long[] {4, 13, 13, 32}, new long[] {3, 3, 32, 64}, one, new int[4], one, true).implementation();
        assertTrue(impl.contains("wino"), impl);
    }

    @Test
    void twoLayersOfOneShapeKeepTheirOwnInputsForTheKernelGradient() {
        // both calls share one cached plan (8x8x16 -> 16, "same", Winograd), whose blocked copy of the input
        // serves the backward-weights pass only for the latest forward: the first layer's must be redone
        INDArray x = rand(4, -1, 1, 2, 8, 8, 16);
        INDArray k1 = rand(5, -0.3, 0.3, 3, 3, 16, 16);
        INDArray k2 = rand(6, -0.3, 0.3, 3, 3, 16, 16);
        int[] one = {1, 1};
        compare(t -> ConvOps.conv2d(ConvOps.conv2d(t[0], t[1], null, one, true, one), t[2], null, one, true, one), true, 2e-4,
                x, k1, k2);
        String impl = Dnnl.conv(new long[] {2, 8, 8, 16}, new long[] {3, 3, 16, 16}, one, new int[] {1, 1, 1, 1}, one, false)
                .implementation();
        assertTrue(impl.contains("wino"), impl);
    }

    @Test
    void readsArraysThatStartInsideTheirBuffer() {
        // batches 1..2 of a larger array: dense C order, but element 0 lies 6*6*3 floats into the buffer
        INDArray whole = rand(7, -1, 1, 4, 6, 6, 3).castTo(DataType.FLOAT);
        INDArray view = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3));
        assertTrue(view.offset() > 0);
        INDArray k = rand(8, -1, 1, 3, 3, 3, 4).castTo(DataType.FLOAT);
        int[] one = {1, 1};
        long before = FastPaths.DNNL.runs();
        INDArray got = ConvOps.conv2d(Tensor.constant(view), Tensor.constant(k), null, one, false, one).value();
        INDArray pooled = ConvOps.maxPool2d(Tensor.constant(view), new int[] {2, 2}, new int[] {2, 2}, false).value();
        assertEquals(before + 2, FastPaths.DNNL.runs());
        INDArray want = ConvOpsTest.refConv(view.dup().castTo(DataType.DOUBLE), k.castTo(DataType.DOUBLE), null, 1, 1, false, 1, 1);
        assertEquals(0, want.sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), TOL);
        FastPaths.DNNL.setEnabled(false);
        INDArray pooledNd4j = ConvOps.maxPool2d(Tensor.constant(view.dup()), new int[] {2, 2}, new int[] {2, 2}, false).value();
        assertEquals(pooledNd4j, pooled);
    }

    @Test
    void paddingWiderThanTheInputGivesKerasValues() {
        // a 5x5 kernel dilated 3 ("same") over a 2x3 map: 12 cells of padding on each axis, more than the input;
        // whichever kernel takes it (oneDNN, or another when oneDNN refuses), the values are Keras's
        INDArray x = rand(9, -1, 1, 2, 2, 3, 2).castTo(DataType.FLOAT);
        INDArray k = rand(10, -1, 1, 5, 5, 2, 3).castTo(DataType.FLOAT);
        INDArray got = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), null, new int[] {1, 1}, true, new int[] {3, 3}).value();
        INDArray want = ConvOpsTest.refConv(x.castTo(DataType.DOUBLE), k.castTo(DataType.DOUBLE), null, 1, 1, true, 3, 3);
        assertEquals(0, want.sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), TOL);
    }

    @Test
    void threadsTrainingAtOnceEachGetTheirOwnPlansAndTheSameValues() throws Exception {
        // Spark's executors and user threads run steps side by side: each thread has its own primitives and
        // buffers, so two threads on one shape (Winograd, reordered buffers) give exactly the one-thread values
        INDArray x = rand(13, -1, 1, 4, 13, 13, 32).castTo(DataType.FLOAT);
        INDArray k = rand(14, -0.2, 0.2, 3, 3, 32, 64).castTo(DataType.FLOAT);
        INDArray w = rand(15, -1, 1, 4, 11, 11, 64).castTo(DataType.FLOAT);
        int[] one = {1, 1};
        java.util.function.Supplier<INDArray[]> step = () -> {
            org.cornu.core.Cornu.chooseThreads();
            Tensor xt = Tensor.variable(x), kt = Tensor.variable(k);
            Tensor o;
            try (org.cornu.core.autodiff.Tape tape = org.cornu.core.autodiff.Tape.record()) {
                o = ConvOps.conv2d(xt, kt, null, one, false, one);
                tape.backward(o, w);
            }
            return new INDArray[] {o.value().dup(), xt.grad().dup(), kt.grad().dup()};
        };
        INDArray[] want = step.get();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<INDArray[]>> got = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) got.add(pool.submit(step::get));
            for (java.util.concurrent.Future<INDArray[]> f : got) {
                INDArray[] r = f.get();
                for (int j = 0; j < 3; j++) assertEquals(want[j], r[j], "output and gradients, part " + j);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSwitchSendsConvolutionBackToNd4j() {
        INDArray x = rand(1, -1, 1, 2, 6, 6, 3).castTo(DataType.FLOAT);
        INDArray k = rand(2, -1, 1, 3, 3, 3, 4).castTo(DataType.FLOAT);
        int[] one = {1, 1};
        INDArray direct = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), null, one, true, one).value();
        long before = FastPaths.DNNL.runs();
        FastPaths.DNNL.setEnabled(false);
        INDArray nd4j = ConvOps.conv2d(Tensor.constant(x), Tensor.constant(k), null, one, true, one).value();
        assertEquals(before, FastPaths.DNNL.runs(), "switched off, the direct kernels do not run");
        assertEquals(0, direct.sub(nd4j).amaxNumber().doubleValue(), TOL);
    }
}
