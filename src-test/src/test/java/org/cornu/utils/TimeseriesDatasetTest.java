package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * timeseries_dataset_from_array against Keras's definition worked out by hand:
 * num = end - start - (L - 1) * rate (capped at len(targets)), starts 0, stride, ... < num,
 * window p = data[start + p + j * rate], target targets[start + p].
 */
class TimeseriesDatasetTest {
    static INDArray range(int n) {
        return Nd4j.arange(n).castTo(DataType.FLOAT);
    }

    @Test
    void kerasDocstringExample1() {
        // indices 0..98, sequence_length=10, sampling_rate=2, sequence_stride=3:
        // first [0 2 .. 18], second [3 5 .. 21], last [78 80 .. 96]; num = 99 - 18 = 81 -> starts 0..78 step 3 = 27
        TimeseriesDataset.Windows w = TimeseriesDataset.sequenceLength(10).samplingRate(2).sequenceStride(3)
                .apply(range(99), null);
        assertEquals(27, w.size());
        assertArrayEquals(new long[] {27, 10}, w.x().shape());
        assertNull(w.y());
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18}, w.x().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13, 15, 17, 19, 21}, w.x().getRow(1).toFloatVector());
        assertArrayEquals(new float[] {78, 80, 82, 84, 86, 88, 90, 92, 94, 96}, w.x().getRow(26).toFloatVector());
        assertEquals(78, w.startPositions()[26]);
    }

    @Test
    void kerasDocstringExample2TemporalRegression() {
        // input = data[:-10], targets = data[10:], sequence_length=10: num = min(90 - 9, 90) = 81
        INDArray data = range(100);
        INDArray input = data.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 90));
        INDArray targets = data.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 100));
        TimeseriesDataset.Windows w = Utils.timeseriesDataset(input, targets, 10);
        assertEquals(81, w.size());
        assertArrayEquals(new long[] {81}, w.y().shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, w.x().getRow(0).toFloatVector());
        assertEquals(10f, w.y().getFloat(0), 0);
        assertArrayEquals(new float[] {80, 81, 82, 83, 84, 85, 86, 87, 88, 89}, w.x().getRow(80).toFloatVector());
        assertEquals(90f, w.y().getFloat(80), 0);
        assertEquals(Integer.valueOf(128), w.batchSize());
        // default batch 128 -> one batch; batch 32 -> 32, 32, 17 as Keras's dataset yields
        assertEquals(1, w.batches().size());
        List<INDArray[]> b = TimeseriesDataset.sequenceLength(10).batchSize(32).apply(input, targets).batches();
        assertEquals(3, b.size());
        assertEquals(17, b.get(2)[0].size(0));
        assertEquals(17, b.get(2)[1].size(0));
        assertEquals(74f, b.get(2)[1].getFloat(0), 0); // window 64 -> target data[74]
    }

    @Test
    void multivariateWithStartEndIndexAsTheJenaExample() {
        // data[t, f] = 10 t + f, 30 steps x 2 features; targets[t] = 100 t
        float[] d = new float[60];
        for (int t = 0; t < 30; t++) for (int f = 0; f < 2; f++) d[2 * t + f] = 10 * t + f;
        INDArray data = Nd4j.create(d, new long[] {30, 2}, 'c');
        INDArray targets = range(30).mul(100);
        // start 5, end 25, L 4, rate 2, stride 3: num = 20 - 6 = 14 -> p = 0, 3, 6, 9, 12
        TimeseriesDataset.Windows w = Utils.timeseriesDataset(data, targets, 4, 3, 2, 256, false, null, 5, 25);
        assertArrayEquals(new long[] {5, 4, 2}, w.x().shape());
        assertArrayEquals(new long[] {5, 8, 11, 14, 17}, w.startPositions());
        for (int k = 0; k < 5; k++) {
            int s = 5 + 3 * k;
            for (int j = 0; j < 4; j++) {
                int t = s + 2 * j;
                assertEquals(10 * t, w.x().getFloat(k, j, 0), 0, "window " + k + " step " + j);
                assertEquals(10 * t + 1, w.x().getFloat(k, j, 1), 0);
            }
            assertEquals(100 * s, w.y().getFloat(k), 0);
        }
        // last window's last step is data[17 + 6] = data[23] < end 25; the next start (20) would need data[26]
        assertEquals(230f, w.x().getFloat(4, 3, 0), 0);
    }

    @Test
    void numberOfWindowsCappedByTargets() {
        // num = min(20 - 2, len(targets) = 5) = 5
        TimeseriesDataset.Windows w = Utils.timeseriesDataset(range(20), range(5).add(100), 3);
        assertEquals(5, w.size());
        assertArrayEquals(new float[] {100, 101, 102, 103, 104}, w.y().toFloatVector());
        assertArrayEquals(new float[] {4, 5, 6}, w.x().getRow(4).toFloatVector());
    }

    @Test
    void shuffleIsAPermutationFixedBySeed() {
        INDArray data = range(50);
        INDArray targets = range(50).mul(-1);
        TimeseriesDataset.Windows a = TimeseriesDataset.sequenceLength(5).shuffle(true).seed(7L).apply(data, targets);
        TimeseriesDataset.Windows b = TimeseriesDataset.sequenceLength(5).shuffle(true).seed(7L).apply(data, targets);
        assertArrayEquals(a.startPositions(), b.startPositions());
        long[] sorted = a.startPositions().clone();
        Arrays.sort(sorted);
        long[] expected = new long[46];
        for (int i = 0; i < 46; i++) expected[i] = i;
        assertArrayEquals(expected, sorted);
        assertNotEquals(Arrays.toString(expected), Arrays.toString(a.startPositions()));
        for (int k = 0; k < 46; k++) {
            long p = a.startPositions()[k];
            assertEquals(p, a.x().getFloat(k, 0), 0);
            assertEquals(p + 4, a.x().getFloat(k, 4), 0);
            assertEquals(-p, a.y().getFloat(k), 0);
        }
    }

    @Test
    void keepsDtypeAndRejectsBadArgumentsAsKeras() {
        TimeseriesDataset.Windows w = Utils.timeseriesDataset(Nd4j.arange(10).castTo(DataType.DOUBLE), null, 4);
        assertEquals(DataType.DOUBLE, w.x().dataType());
        assertEquals(7, w.size());
        assertArrayEquals(new double[] {6, 7, 8, 9}, w.x().getRow(6).toDoubleVector());
        // integer data and a transposed (f-order) view take the general path
        INDArray ints = Nd4j.arange(12).castTo(DataType.INT).reshape('c', 2, 6).transpose(); // (6, 2): row t = [t, t + 6]
        TimeseriesDataset.Windows wi = TimeseriesDataset.sequenceLength(2).sequenceStride(2).apply(ints, null);
        assertEquals(DataType.INT, wi.x().dataType());
        assertArrayEquals(new long[] {3, 2, 2}, wi.x().shape());
        assertArrayEquals(new int[] {4, 10, 5, 11}, wi.x().slice(2).ravel().toIntVector());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeseriesDataset.sequenceLength(3).startIndex(10).apply(range(10), null));
        assertTrue(e.getMessage().contains("start_index=10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TimeseriesDataset.sequenceLength(3).endIndex(10).apply(range(10), null));
        assertTrue(e.getMessage().contains("end_index=10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimeseriesDataset.sequenceLength(3).samplingRate(0).apply(range(10), null));
        assertThrows(IllegalArgumentException.class, () -> TimeseriesDataset.sequenceLength(3).sequenceStride(10).apply(range(10), null));
        assertThrows(IllegalArgumentException.class, () -> TimeseriesDataset.sequenceLength(3).startIndex(6).endIndex(4).apply(range(10), null));
        // too long a window: no windows at all, as Keras's empty dataset
        assertEquals(0, TimeseriesDataset.sequenceLength(20).apply(range(10), null).size());
    }
}
