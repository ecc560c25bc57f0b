package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Normalizer against numpy's mean/std(axis=0), the book's k-fold loop, takeRows and concatenate. */
class NormalizerKFoldTest {
    static final double[][] X = {{1, 2, 10}, {3, 5, 20}, {4, -1, 30}, {8, 0.5, -5}};

    @Test
    void normalizerMatchesNumpy() {
        // numpy: x.mean(axis=0), x.std(axis=0), (x - mean) / std for this matrix
        INDArray x = Nd4j.createFromArray(X);
        Normalizer n = Normalizer.fit(x);
        assertArrayEquals(new double[] {4.0, 1.625, 13.75}, n.mean().toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {2.54950976, 2.21852992, 12.93010054}, n.std().toDoubleVector(), 1e-8);
        INDArray t = n.transform(x);
        double[][] expected = {
            {-1.17669681, 0.16903085, -0.29002095},
            {-0.39223227, 1.52127766, 0.48336824},
            {0.0, -1.18321596, 1.25675744},
            {1.56892908, -0.50709255, -1.45010473}};
        for (int i = 0; i < 4; i++) assertArrayEquals(expected[i], t.getRow(i).toDoubleVector(), 1e-8);
        // test data uses the training statistics
        assertArrayEquals(new double[] {-0.78446454, 0.16903085, -0.9087323},
                n.transform(Nd4j.createFromArray(new double[][] {{2, 2, 2}})).getRow(0).toDoubleVector(), 1e-8);
        // the input is untouched
        assertEquals(8.0, x.getDouble(3, 0), 0);
    }

    @Test
    void normalizerFloat32AndHigherRank() {
        INDArray x = Nd4j.createFromArray(X).castTo(DataType.FLOAT);
        Normalizer n = Normalizer.fit(x);
        assertEquals(DataType.FLOAT, n.mean().dataType());
        INDArray t = n.transform(x);
        assertEquals(DataType.FLOAT, t.dataType());
        assertEquals(1.56892908, t.getDouble(3, 0), 1e-6);
        // rank 3: the same 12 numbers as (4, 3, 1) give per-(feature, 1) statistics
        Normalizer n3 = Normalizer.fit(Nd4j.createFromArray(X).reshape(4, 3, 1));
        assertArrayEquals(new long[] {3, 1}, n3.mean().shape());
        assertArrayEquals(new double[] {2.54950976, 2.21852992, 12.93010054}, n3.std().reshape(3).toDoubleVector(), 1e-8);
        assertThrows(IllegalArgumentException.class, () -> n.transform(Nd4j.zeros(DataType.FLOAT, 2, 4)));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.fit(Nd4j.zeros(DataType.INT, 2, 4)));
    }

    @Test
    void kfoldAsTheBookForBostonHousing() {
        List<KFold.Fold> folds = KFold.split(404, 4);
        assertEquals(4, folds.size());
        for (int i = 0; i < 4; i++) {
            KFold.Fold f = folds.get(i);
            int lo = i * 101;
            assertArrayEquals(IntStream.range(lo, lo + 101).toArray(), f.valIdx());
            int[] train = IntStream.concat(IntStream.range(0, lo), IntStream.range(lo + 101, 404)).toArray();
            assertArrayEquals(train, f.trainIdx());
            assertEquals(303, f.trainIdx().length);
        }
    }

    @Test
    void kfoldRemainderAlwaysTrains() {
        // n=10, k=3: num_val_samples = 3; sample 9 is never a validation sample
        List<KFold.Fold> folds = KFold.split(10, 3);
        assertArrayEquals(new int[] {6, 7, 8}, folds.get(2).valIdx());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 9}, folds.get(2).trainIdx());
        assertArrayEquals(new int[] {0, 1, 2}, folds.get(0).valIdx());
        assertArrayEquals(new int[] {3, 4, 5, 6, 7, 8, 9}, folds.get(0).trainIdx());
        assertThrows(IllegalArgumentException.class, () -> KFold.split(10, 1));
    }

    @Test
    void foldRowsAndConcatenate() {
        INDArray x = Nd4j.arange(10).castTo(DataType.FLOAT).reshape(10, 1).mul(10);
        KFold.Fold f = KFold.split(10, 3).get(1);
        assertArrayEquals(new float[] {30, 40, 50}, f.val(x).reshape(3).toFloatVector());
        assertArrayEquals(new float[] {0, 10, 20, 60, 70, 80, 90}, f.train(x).reshape(7).toFloatVector());
        // the book's np.concatenate([x[:lo], x[hi:]]) gives the same rows
        INDArray cat = Utils.concatenate(Utils.takeRows(x, new int[] {0, 1, 2}), Utils.takeRows(x, new int[] {6, 7, 8, 9}));
        assertEquals(f.train(x), cat);
    }

    @Test
    void takeRowsAnyRankAndOrder() {
        INDArray x = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(4, 3, 2);
        INDArray r = Utils.takeRows(x, new int[] {3, 0, 3});
        assertArrayEquals(new long[] {3, 3, 2}, r.shape());
        assertEquals(x.slice(3), r.slice(0));
        assertEquals(x.slice(0), r.slice(1));
        assertEquals(x.slice(3), r.slice(2));
        INDArray ints = Utils.takeRows(Nd4j.createFromArray(5, 6, 7), new int[] {2, 0});
        assertEquals(DataType.INT, ints.dataType());
        assertArrayEquals(new int[] {7, 5}, ints.toIntVector());
        assertThrows(IllegalArgumentException.class, () -> Utils.takeRows(x, new int[] {4}));
        INDArray c = Utils.concatenate(1, Nd4j.ones(2, 1), Nd4j.zeros(2, 2));
        assertArrayEquals(new long[] {2, 3}, c.shape());
    }
}
