package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cornu.core.FastPaths;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.datasets.Mnist;
import org.cornu.testing.GradCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link ZeroColumns}: which columns a batch uses, when the path is taken, and on real MNIST
 * batches the same output and gradients as the full product. (Every shape case against float64
 * references: {@code DenseOpsMatrixTest}'s zero-columns op.)
 */
class ZeroColumnsTest {
    @AfterEach
    void restore() {
        FastPaths.ZERO_COLUMNS.setEnabled(true);
    }

    @Test
    void usedColumnsAreRunsOfColumnsWithANonzeroInSomeRow() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 300);
        for (int j : new int[] {0, 1, 2, 10, 299}) x.putScalar(j % 2, j, 1.5);
        for (int j = 100; j < 150; j++) x.putScalar(2, j, -j);
        x.putScalar(1, 50, -0.0); // the sign alone: unused
        x.putScalar(0, 60, Float.NaN); // used
        ZeroColumns.Runs r = ZeroColumns.usedColumns(x);
        assertArrayEquals(new int[] {0, 10, 60, 100, 299}, r.start());
        assertArrayEquals(new int[] {3, 1, 1, 50, 1}, r.len());
        assertEquals(56, r.used());
        assertEquals(64, r.width(), "rounded up to a multiple of 16");
        // more than 4/5 of the columns used: none returned
        assertNull(ZeroColumns.usedColumns(Nd4j.ones(DataType.FLOAT, 2, 300)));
        INDArray most = Nd4j.ones(DataType.FLOAT, 1, 256);
        most.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 64)).assign(0);
        assertNotNull(ZeroColumns.usedColumns(most), "192 of 256 used: 3/4");
        most.putScalar(0, 0, 1);
        assertNull(ZeroColumns.usedColumns(most), "193 used round up to 208, over 4/5 (204.8)");
        // every column used by the first 16 rows of 64 (the scan stops there)
        INDArray tall = Nd4j.zeros(DataType.FLOAT, 64, 300);
        tall.get(NDArrayIndex.interval(0, 16), NDArrayIndex.all()).assign(1);
        assertNull(ZeroColumns.usedColumns(tall));
    }

    @Test
    void takenOnlyForLargeFloat32InputsWithoutGradient() {
        Tensor w = Tensor.variable(GradCheck.rand(1, -1, 1, 300, 128).castTo(DataType.FLOAT));
        INDArray half = Nd4j.zeros(DataType.FLOAT, 32, 300);
        half.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 100)).assign(0.5);
        assertNotNull(ZeroColumns.linear(Tensor.constant(half), w, null));
        assertNull(ZeroColumns.linear(new Tensor(half, true), w, null), "x takes a gradient");
        assertNull(ZeroColumns.linear(Tensor.constant(Nd4j.ones(DataType.FLOAT, 32, 300)), w, null), "every column used");
        assertNull(ZeroColumns.linear(Tensor.constant(half.castTo(DataType.DOUBLE)),
                Tensor.variable(w.value().castTo(DataType.DOUBLE)), null), "float64");
        assertNull(ZeroColumns.linear(Tensor.constant(half.get(NDArrayIndex.interval(0, 8), NDArrayIndex.all()).dup()), w, null),
                "8 x 300 x 128 multiply-adds: under MIN_WORK");
        Tensor small = Tensor.variable(GradCheck.rand(2, -1, 1, 200, 1024).castTo(DataType.FLOAT));
        assertNull(ZeroColumns.linear(Tensor.constant(Nd4j.zeros(DataType.FLOAT, 32, 200)), small, null), "200 columns: under MIN_COLUMNS");
        FastPaths.ZERO_COLUMNS.setEnabled(false);
        assertNull(ZeroColumns.linear(Tensor.constant(half), w, null), "switched off");
    }

    @Test
    void aNanInAUsedColumnReachesTheOutput() {
        Tensor w = Tensor.variable(GradCheck.rand(3, -1, 1, 300, 128).castTo(DataType.FLOAT));
        INDArray x = Nd4j.zeros(DataType.FLOAT, 32, 300);
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 50)).assign(0.25);
        x.putScalar(5, 200, Float.NaN);
        INDArray z = ZeroColumns.linear(Tensor.constant(x), w, null).value();
        assertTrue(Float.isNaN(z.getFloat(5, 0)) && Float.isNaN(z.getFloat(5, 127)), "row 5 is NaN");
        assertTrue(Float.isFinite(z.getFloat(4, 0)), "row 4 is not");
    }

    /** A batch that is a row slice of a larger array (a view at an offset) reads its own rows. */
    @Test
    void aRowSliceViewReadsItsOwnRows() {
        INDArray big = Nd4j.zeros(DataType.FLOAT, 48, 300);
        big.get(NDArrayIndex.interval(0, 8), NDArrayIndex.all()).assign(7); // rows before the slice: every column
        INDArray part = GradCheck.rand(84, -1, 1, 32, 60).castTo(DataType.FLOAT);
        big.get(NDArrayIndex.interval(8, 40), NDArrayIndex.interval(100, 160)).assign(part);
        INDArray view = big.get(NDArrayIndex.interval(8, 40), NDArrayIndex.all());
        assertTrue(view.offset() > 0 && Elementwise.fusable(view), "a dense view at an offset");
        ZeroColumns.Runs runs = ZeroColumns.usedColumns(view);
        assertArrayEquals(new int[] {100}, runs.start());
        assertArrayEquals(new int[] {60}, runs.len());
        INDArray w = GradCheck.rand(85, -1, 1, 300, 128).castTo(DataType.FLOAT);
        INDArray z = ZeroColumns.linear(Tensor.constant(view), Tensor.variable(w), null).value();
        INDArray expected = part.mmul(w.get(NDArrayIndex.interval(100, 160), NDArrayIndex.all()));
        assertTrue(z.sub(expected).amaxNumber().doubleValue() < 1e-4, "the slice's rows times the kernel");
    }

    /** MNIST's first, middle and last batches of 128: the columns numpy counts, the full product's results. */
    @Test
    void realMnistBatchesMatchTheFullProduct() {
        INDArray train = Mnist.loadData().xTrain();
        int[][] batches = {{0, 516, 28}, {30000, 518, 26}, {59872, 463, 29}}; // start, used columns, runs (numpy)
        INDArray w = GradCheck.rand(4, -0.08, 0.08, 784, 512).castTo(DataType.FLOAT);
        INDArray b = GradCheck.rand(5, -0.1, 0.1, 512).castTo(DataType.FLOAT);
        INDArray upstream = GradCheck.rand(6, -1, 1, 128, 512).castTo(DataType.FLOAT);
        for (int[] batch : batches) {
            INDArray x = train.get(NDArrayIndex.interval(batch[0], batch[0] + 128)).reshape(128, 784).castTo(DataType.FLOAT).divi(255);
            ZeroColumns.Runs runs = ZeroColumns.usedColumns(x);
            assertEquals(batch[1], runs.used(), "used columns of batch " + batch[0]);
            assertEquals(batch[2], runs.start().length, "runs of batch " + batch[0]);

            long before = FastPaths.ZERO_COLUMNS.runs();
            INDArray[] compact = forwardAndGrads(x, w, b, upstream);
            assertEquals(before + 1, FastPaths.ZERO_COLUMNS.runs(), "the path ran");
            FastPaths.ZERO_COLUMNS.setEnabled(false);
            INDArray[] full = forwardAndGrads(x, w, b, upstream);
            FastPaths.ZERO_COLUMNS.setEnabled(true);
            assertEquals(before + 1, FastPaths.ZERO_COLUMNS.runs(), "the full product ran");

            for (int i = 0; i < 3; i++) {
                double scale = full[i].norm2Number().doubleValue() / Math.sqrt(full[i].length());
                double diff = compact[i].sub(full[i]).amaxNumber().doubleValue();
                assertTrue(diff <= 1e-5 * scale + 1e-7, "batch " + batch[0] + " result " + i + ": max difference " + diff + " at rms " + scale);
            }
            // the kernel gradient's rows of unused columns are exactly zero
            boolean[] used = new boolean[784];
            for (int r = 0; r < runs.start().length; r++) {
                for (int j = runs.start()[r]; j < runs.start()[r] + runs.len()[r]; j++) used[j] = true;
            }
            for (int j = 0; j < 784; j++) {
                if (!used[j]) assertEquals(0.0, compact[1].getRow(j).amaxNumber().doubleValue(), "gradient row " + j);
            }
        }
    }

    /** {@code z = x w + b}, and the gradients of {@code sum(z * upstream)} for w and b. */
    private static INDArray[] forwardAndGrads(INDArray x, INDArray w, INDArray b, INDArray upstream) {
        try (GradientTape tape = new GradientTape()) {
            Tensor wt = tape.watch(w), bt = tape.watch(b);
            Tensor z = Ops.linear(Tensor.constant(x), wt, bt);
            Tensor loss = Ops.sum(Ops.mul(z, Tensor.constant(upstream)));
            INDArray gw = tape.gradient(loss, wt);
            return new INDArray[] {z.value().dup(), gw.dup(), bt.grad().dup()};
        }
    }
}
