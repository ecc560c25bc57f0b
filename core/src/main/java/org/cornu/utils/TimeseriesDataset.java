package org.cornu.utils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.kernels.Elementwise;

/**
 * {@code keras.utils.timeseries_dataset_from_array}, returning every window at once as arrays:
 * {@code TimeseriesDataset.sequenceLength(120).samplingRate(6).startIndex(0).endIndex(n).apply(data, targets)}.
 *
 * <p>Keras returns a {@code tf.data.Dataset} of batches; Cornu returns {@link Windows} with
 * {@code x} of shape {@code (numWindows, sequenceLength, features...)} and {@code y} the matching
 * targets, and leaves batching to {@code fit} ({@link Windows#batchSize()} carries the batch size
 * asked for; {@link Windows#batches()} splits them if you want Keras's batches). Mind the memory:
 * windows overlap, so {@code x} holds each time step up to {@code sequenceLength / sequenceStride} times.
 *
 * <p>Semantics as Keras: with {@code start = startIndex} (default 0) and {@code end = endIndex}
 * (default {@code len(data)}), {@code num = end - start - (sequenceLength - 1) * samplingRate},
 * capped at {@code len(targets)}; windows start at positions {@code p = 0, sequenceStride, 2 *
 * sequenceStride, ... < num}; window {@code p} holds {@code data[start + p + j * samplingRate]}
 * for {@code j < sequenceLength}, and its target is {@code targets[start + p]}.
 * With {@code shuffle}, windows come in a random order drawn from {@code seed} (a fixed seed gives a
 * fixed order, but not the same order as Keras, whose order also depends on tf.data's shuffle buffer).
 */
public final class TimeseriesDataset {
    private TimeseriesDataset() {}

    /**
     * Starts the options with the required {@code sequence_length}.
     *
     * @param sequenceLength the number of time steps per window (Keras's {@code sequence_length})
     * @return new options
     */
    public static Options sequenceLength(int sequenceLength) {
        return new Options(sequenceLength);
    }

    /**
     * All windows: {@code x (numWindows, sequenceLength, features...)} in the data's dtype,
     * {@code y} the targets ({@code (numWindows, targetShape...)}, null without targets),
     * {@code startPositions} each window's first index into {@code data}, and the batch size asked for
     * (null: unbatched, Keras's {@code batch_size=None}).
     *
     * @param x the windows {@code (numWindows, sequenceLength, features...)}
     * @param y the targets {@code (numWindows, targetShape...)}, or null without targets
     * @param startPositions each window's first index into the data
     * @param batchSize the batch size asked for, or null (unbatched)
     */
    public record Windows(INDArray x, INDArray y, long[] startPositions, Integer batchSize) {
        /**
         * The number of windows.
         *
         * @return the count
         */
        public long size() {
            return startPositions.length;
        }

        /**
         * The windows cut into consecutive batches of {@code batchSize} (the last may be shorter), as
         * Keras's dataset would yield them; each entry is {@code {x, y}} ({@code y} null without targets).
         *
         * @return the batches, in order
         */
        public List<INDArray[]> batches() {
            List<INDArray[]> out = new ArrayList<>();
            long n = startPositions.length;
            long b = batchSize == null ? 1 : batchSize;
            for (long from = 0; from < n; from += b) {
                long to = Math.min(n, from + b);
                INDArray bx = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
                INDArray by = y == null ? null : y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
                out.add(new INDArray[] {bx, by});
            }
            return out;
        }
    }

    /** The options of one {@code timeseries_dataset_from_array} call; Keras's defaults. */
    public static final class Options {
        private final int sequenceLength;
        private int sequenceStride = 1;
        private int samplingRate = 1;
        private Integer batchSize = 128;
        private boolean shuffle;
        private Long seed;
        private Integer startIndex;
        private Integer endIndex;

        private Options(int sequenceLength) {
            if (sequenceLength <= 0) {
                throw new IllegalArgumentException("timeseries_dataset_from_array: `sequence_length` must be higher than 0. "
                        + "Received: sequence_length=" + sequenceLength);
            }
            this.sequenceLength = sequenceLength;
        }

        /**
         * Period between the starts of successive windows (default 1).
         *
         * @param s the stride (Keras's {@code sequence_stride})
         * @return these options
         */
        public Options sequenceStride(int s) {
            this.sequenceStride = s;
            return this;
        }

        /**
         * Period between successive time steps inside a window (default 1).
         *
         * @param r the rate (Keras's {@code sampling_rate})
         * @return these options
         */
        public Options samplingRate(int r) {
            this.samplingRate = r;
            return this;
        }

        /**
         * Batch size carried to the result (default 128; null = unbatched).
         *
         * @param b the batch size (Keras's {@code batch_size}), or null
         * @return these options
         */
        public Options batchSize(Integer b) {
            if (b != null && b <= 0) {
                throw new IllegalArgumentException("timeseries_dataset_from_array: `batch_size` must be positive or null. Received: " + b);
            }
            this.batchSize = b;
            return this;
        }

        /**
         * Whether to shuffle the windows (default false).
         *
         * @param s true to shuffle (Keras's {@code shuffle})
         * @return these options
         */
        public Options shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /**
         * Seed of the shuffle (null: a random one).
         *
         * @param s the seed (Keras's {@code seed}), or null
         * @return these options
         */
        public Options seed(Long s) {
            this.seed = s;
            return this;
        }

        /**
         * First data index used (inclusive; null = 0).
         *
         * @param i the index (Keras's {@code start_index}), or null
         * @return these options
         */
        public Options startIndex(Integer i) {
            this.startIndex = i;
            return this;
        }

        /**
         * Data index after the last used (exclusive; null = {@code len(data)}).
         *
         * @param i the index (Keras's {@code end_index}), or null
         * @return these options
         */
        public Options endIndex(Integer i) {
            this.endIndex = i;
            return this;
        }

        /**
         * Builds the windows of {@code data} (axis 0 = time) and their {@code targets} (may be null).
         *
         * @param data the series, one time step per row
         * @param targets the target for the window starting at each row, or null
         * @return the windows
         */
        public Windows apply(INDArray data, INDArray targets) {
            if (data.rank() < 1) throw new IllegalArgumentException("timeseries_dataset_from_array: data must have a time axis");
            long len = data.size(0);
            String p = "timeseries_dataset_from_array: ";
            // Keras checks `if start_index:` / `if end_index:` — 0 skips the checks
            if (startIndex != null && startIndex != 0) {
                if (startIndex < 0) throw new IllegalArgumentException(p + "`start_index` must be 0 or greater. Received: start_index=" + startIndex);
                if (startIndex >= len) throw new IllegalArgumentException(p + "`start_index` must be lower than the length of the data. Received: start_index="
                        + startIndex + ", for data of length " + len);
            }
            if (endIndex != null && endIndex != 0) {
                if (startIndex != null && startIndex != 0 && endIndex <= startIndex) {
                    throw new IllegalArgumentException(p + "`end_index` must be higher than `start_index`. Received: start_index="
                            + startIndex + ", and end_index=" + endIndex);
                }
                if (endIndex >= len) throw new IllegalArgumentException(p + "`end_index` must be lower than the length of the data. Received: end_index="
                        + endIndex + ", for data of length " + len);
                if (endIndex <= 0) throw new IllegalArgumentException(p + "`end_index` must be higher than 0. Received: end_index=" + endIndex);
            }
            if (samplingRate <= 0) throw new IllegalArgumentException(p + "`sampling_rate` must be higher than 0. Received: sampling_rate=" + samplingRate);
            if (samplingRate >= len) throw new IllegalArgumentException(p + "`sampling_rate` must be lower than the length of the data. Received: sampling_rate="
                    + samplingRate + ", for data of length " + len);
            if (sequenceStride <= 0) throw new IllegalArgumentException(p + "`sequence_stride` must be higher than 0. Received: sequence_stride=" + sequenceStride);
            if (sequenceStride >= len) throw new IllegalArgumentException(p + "`sequence_stride` must be lower than the length of the data. Received: sequence_stride="
                    + sequenceStride + ", for data of length " + len);
            if (targets != null && targets.rank() < 1) throw new IllegalArgumentException(p + "targets must have a time axis");

            long start = startIndex == null ? 0 : startIndex;
            long end = endIndex == null ? len : endIndex;
            long numSeqs = end - start - (long) (sequenceLength - 1) * samplingRate;
            if (targets != null) numSeqs = Math.min(numSeqs, targets.size(0));
            long count = numSeqs <= 0 ? 0 : (numSeqs + sequenceStride - 1) / sequenceStride;
            long[] starts = new long[Math.toIntExact(count)];
            for (int i = 0; i < starts.length; i++) starts[i] = (long) i * sequenceStride;
            if (shuffle) {
                Random rng = new Random(seed == null ? new Random().nextLong() : seed);
                for (int i = starts.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    long t = starts[i];
                    starts[i] = starts[j];
                    starts[j] = t;
                }
            }
            if (targets != null) {
                // targets[start + p] must exist (Keras's tf.gather would fail otherwise)
                for (long s : starts) {
                    if (start + s >= targets.size(0)) {
                        throw new IllegalArgumentException(p + "window starting at data index " + (start + s)
                                + " has no target: targets has length " + targets.size(0));
                    }
                }
            }
            long[] abs = new long[starts.length];
            for (int i = 0; i < abs.length; i++) abs[i] = start + starts[i];

            INDArray x = gather(data, abs, sequenceLength, samplingRate);
            INDArray y = targets == null ? null : gather(targets, abs, 1, 1);
            if (y != null) {
                long[] ys = y.shape();
                long[] sq = new long[ys.length - 1];
                sq[0] = ys[0];
                System.arraycopy(ys, 2, sq, 1, ys.length - 2);
                y = y.reshape('c', sq);
            }
            long[] positions = abs;
            return new Windows(x, y, positions, batchSize);
        }
    }

    /** {@code out[w, j] = a[starts[w] + j * rate]} for {@code j < steps}; shape {@code (w, steps, a.shape[1:])}. */
    private static INDArray gather(INDArray a, long[] starts, int steps, int rate) {
        long t = a.size(0);
        long[] featShape = Arrays.copyOfRange(a.shape(), 1, a.rank());
        int feat = Math.toIntExact(t == 0 ? 0 : a.length() / t);
        long[] shape = new long[featShape.length + 2];
        shape[0] = starts.length;
        shape[1] = steps;
        System.arraycopy(featShape, 0, shape, 2, featShape.length);
        long total = (long) starts.length * steps * feat;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeseries_dataset_from_array: " + starts.length + " windows of "
                    + steps + " x " + feat + " values exceed one Java array; use a larger sequence_stride or fewer steps");
        }
        if (total == 0) return Nd4j.create(a.dataType(), shape);
        DataType dt = a.dataType();
        INDArray c = a.ordering() == 'c' && a.elementWiseStride() == 1 ? a : a.dup('c');
        if ((dt == DataType.FLOAT || dt == DataType.DOUBLE) && Elementwise.fusable(c)) {
            // CPU: copy each step's features straight between native buffers
            INDArray out = Nd4j.createUninitialized(dt, shape);
            int o = 0;
            if (dt == DataType.FLOAT) {
                java.nio.FloatBuffer src = Elementwise.floats(c), dst = Elementwise.floats(out);
                for (long s : starts) {
                    for (int j = 0; j < steps; j++, o += feat) dst.put(o, src, (int) ((s + (long) j * rate) * feat), feat);
                }
            } else {
                java.nio.DoubleBuffer src = Elementwise.doubles(c), dst = Elementwise.doubles(out);
                for (long s : starts) {
                    for (int j = 0; j < steps; j++, o += feat) dst.put(o, src, (int) ((s + (long) j * rate) * feat), feat);
                }
            }
            return out;
        }
        if (dt == DataType.FLOAT) {
            float[] src = c.data().asFloat();
            float[] out = new float[(int) total];
            int o = 0;
            for (long s : starts) {
                for (int j = 0; j < steps; j++, o += feat) {
                    System.arraycopy(src, (int) ((s + (long) j * rate) * feat), out, o, feat);
                }
            }
            return Nd4j.create(out, shape, 'c');
        }
        double[] src = c.castTo(DataType.DOUBLE).data().asDouble();
        double[] out = new double[(int) total];
        int o = 0;
        for (long s : starts) {
            for (int j = 0; j < steps; j++, o += feat) {
                System.arraycopy(src, (int) ((s + (long) j * rate) * feat), out, o, feat);
            }
        }
        INDArray r = Nd4j.create(out, shape, 'c');
        return dt == DataType.DOUBLE ? r : r.castTo(dt);
    }
}
