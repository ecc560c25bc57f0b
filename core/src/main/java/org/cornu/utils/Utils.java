package org.cornu.utils;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.cornu.core.Cornu;
import org.cornu.core.kernels.Elementwise;

/** Keras's {@code keras.utils} helpers for arrays. */
public final class Utils {
    private Utils() {}

    /**
     * Converts integer class labels to one-hot rows, as Keras's
     * {@code keras.utils.to_categorical(y, num_classes)}: label {@code k} becomes a float32 row
     * of {@code numClasses} zeros with a 1 at index {@code k}. For the {@code int[]} labels of
     * {@code Imdb} and {@code Reuters}.
     *
     * <pre>{@code
     * INDArray yTrain = Utils.toCategorical(Reuters.loadData().yTrain(), 46);   // (8982, 46)
     * }</pre>
     *
     * @param labels class indices, each in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @return a {@code (labels.length, numClasses)} float32 array
     * @throws IllegalArgumentException when a label is negative or not below {@code numClasses}
     */
    public static INDArray toCategorical(int[] labels, int numClasses) {
        float[] data = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            int k = labels[i];
            if (k < 0 || k >= numClasses) {
                throw new IllegalArgumentException("toCategorical: label " + k + " at index " + i
                        + " is outside [0, " + numClasses + ") (num_classes=" + numClasses + ")");
            }
            data[i * numClasses + k] = 1f;
        }
        return Nd4j.create(data, new long[] {labels.length, numClasses}, DataType.FLOAT);
    }

    /**
     * {@link #toCategorical(int[], int)} with {@code numClasses} one more than the largest label,
     * as Keras does when {@code num_classes} is not given.
     *
     * @param labels class indices, none negative
     * @return a {@code (labels.length, max(labels) + 1)} float32 array
     */
    public static INDArray toCategorical(int[] labels) {
        int max = -1;
        for (int v : labels) max = Math.max(max, v);
        return toCategorical(labels, max + 1);
    }

    /**
     * The first rows of {@code x}: Python's {@code x[:n]} (a negative {@code n} counts from the end,
     * {@code x[:-n]}; an {@code n} past the end takes every row). A view where ND4J allows one;
     * call {@code dup()} for an independent copy.
     *
     * <pre>{@code
     * INDArray xVal = Utils.upTo(xTrain, 10000);          // x_train[:10000]
     * INDArray partialXTrain = Utils.from(xTrain, 10000); // x_train[10000:]
     * }</pre>
     *
     * @param x an array of rank 1 or more; rows are along axis 0
     * @param n the end row (exclusive)
     * @return rows {@code [0, n)} of {@code x}
     */
    public static INDArray upTo(INDArray x, long n) {
        return slice(x, 0, n);
    }

    /**
     * The rows of {@code x} from {@code n} on: Python's {@code x[n:]} (a negative {@code n} counts
     * from the end, {@code x[-n:]}).
     *
     * @param x an array of rank 1 or more; rows are along axis 0
     * @param n the first row
     * @return rows {@code [n, len(x))} of {@code x}
     */
    public static INDArray from(INDArray x, long n) {
        return slice(x, n, x.size(0));
    }

    /**
     * Rows {@code start} (inclusive) to {@code end} (exclusive) of {@code x}, with Python's slice
     * rules: Python's {@code x[start:end]}, negative indices counting from the end and indices past
     * either end clipped.
     *
     * @param x an array of rank 1 or more; rows are along axis 0
     * @param start the first row
     * @param end the row after the last
     * @return the rows, possibly none
     */
    public static INDArray slice(INDArray x, long start, long end) {
        long len = x.size(0);
        long a = pyIndex(start, len), b = pyIndex(end, len);
        if (b < a) b = a;
        if (a == 0 && b == len) return x;
        if (a == b) {
            long[] shape = x.shape().clone();
            shape[0] = 0;
            return Nd4j.create(x.dataType(), shape);
        }
        return x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(a, b));
    }

    /**
     * {@link #upTo(INDArray, long)} for {@code int[]} labels: {@code y[:n]}.
     *
     * @param y labels
     * @param n the end (exclusive; negative counts from the end, as in Python)
     * @return a copy
     */
    public static int[] upTo(int[] y, int n) {
        return java.util.Arrays.copyOfRange(y, 0, (int) pyIndex(n, y.length));
    }

    /**
     * {@link #from(INDArray, long)} for {@code int[]} labels: {@code y[n:]}.
     *
     * @param y labels
     * @param n the start (negative counts from the end, as in Python)
     * @return a copy
     */
    public static int[] from(int[] y, int n) {
        return java.util.Arrays.copyOfRange(y, (int) pyIndex(n, y.length), y.length);
    }

    /**
     * {@link #upTo(INDArray, long)} for sequences: {@code x[:n]}.
     *
     * @param x sequences
     * @param n the end (exclusive; negative counts from the end)
     * @return a shallow copy
     */
    public static int[][] upTo(int[][] x, int n) {
        return java.util.Arrays.copyOfRange(x, 0, (int) pyIndex(n, x.length));
    }

    /**
     * {@link #from(INDArray, long)} for sequences: {@code x[n:]}.
     *
     * @param x sequences
     * @param n the start (negative counts from the end)
     * @return a shallow copy
     */
    public static int[][] from(int[][] x, int n) {
        return java.util.Arrays.copyOfRange(x, (int) pyIndex(n, x.length), x.length);
    }

    private static long pyIndex(long i, long len) {
        if (i < 0) i += len;
        return Math.max(0, Math.min(len, i));
    }

    /**
     * One-hot encodes integer class labels, as {@code keras.utils.to_categorical}: labels of
     * shape {@code (n,)} (or {@code (n, 1)}) become a float matrix {@code (n, numClasses)}.
     * A label outside {@code [0, numClasses)} is an error naming it.
     *
     * <pre>{@code
     * Utils.toCategorical(Nd4j.createFromArray(0, 2, 1), 3)
     * // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
     * }</pre>
     *
     * @param labels integer class labels, shape {@code (n,)} or {@code (n, 1)}
     * @param numClasses the number of classes (Keras's {@code num_classes})
     * @return the one-hot matrix, shape {@code (n, numClasses)}
     * @throws IllegalArgumentException for a label outside {@code [0, numClasses)}
     */
    public static INDArray toCategorical(INDArray labels, int numClasses) {
        long[] s = labels.shape();
        long n = labels.length();
        double[] lab = labels.castTo(DataType.DOUBLE).data().asDouble();
        float[] out = new float[Math.toIntExact(n * numClasses)];
        for (int i = 0; i < n; i++) {
            double l = lab[i];
            if (l < 0 || l >= numClasses || l != Math.rint(l)) {
                throw new IllegalArgumentException("to_categorical: label " + l + " at index " + i
                        + " is not an integer in [0, " + numClasses + ")");
            }
            out[(int) (i * numClasses + (long) l)] = 1f;
        }
        long[] shape;
        if (s.length >= 2 && s[s.length - 1] == 1) {
            shape = s.clone();
            shape[shape.length - 1] = numClasses;
        } else {
            shape = java.util.Arrays.copyOf(s, s.length + 1);
            shape[s.length] = numClasses;
        }
        return Nd4j.create(out, shape, 'c').castTo(Cornu.floatType());
    }

    /**
     * One-hot encoding with as many classes as the largest label plus one.
     *
     * Keras's {@code to_categorical(labels)} without {@code num_classes}.
     *
     * @param labels integer class labels, shape {@code (n,)} or {@code (n, 1)}
     * @return the one-hot matrix, shape {@code (n, max(labels) + 1)}
     */
    public static INDArray toCategorical(INDArray labels) {
        return toCategorical(labels, (int) labels.castTo(DataType.DOUBLE).maxNumber().doubleValue() + 1);
    }

    /**
     * Scales each slice along {@code axis} to unit L{@code order} norm, as
     * {@code keras.utils.normalize(x, axis=-1, order=2)}; zero slices stay zero.
     *
     * @param x the array
     * @param axis the axis along which to normalize (Keras's {@code axis}, default -1)
     * @param order the norm's order, e.g. 2 for L2 (Keras's {@code order}, default 2)
     * @return a normalized copy, of {@code x}'s shape
     */
    public static INDArray normalize(INDArray x, int axis, int order) {
        int ax = axis < 0 ? x.rank() + axis : axis;
        INDArray norms = order == 2 ? Transforms.sqrt(x.mul(x).sum(true, ax), false)
                : order == 1 ? Transforms.abs(x, true).sum(true, ax)
                : Transforms.pow(Transforms.pow(Transforms.abs(x, true), order, false).sum(true, ax), 1.0 / order, false);
        // where the norm is 0, divide by 1 (Keras sets those to 1)
        INDArray safe = norms.add(norms.eq(0).castTo(norms.dataType()));
        return x.div(safe.broadcast(x.shape()));
    }

    /**
     * {@link #normalize(INDArray, int, int)} with Keras's defaults: last axis, L2.
     *
     * @param x the array
     * @return a normalized copy, of {@code x}'s shape
     */
    public static INDArray normalize(INDArray x) {
        return normalize(x, -1, 2);
    }

    /**
     * Multi-hot encodes integer sequences, as the book's {@code vectorize_sequences}: row
     * {@code i} of the float matrix {@code (n, dim)} has 1 at every index that occurs in
     * {@code seqs[i]} (repeats count once). An index outside {@code [0, dim)} is an error
     * naming the sample and the index.
     *
     * @param seqs integer sequences
     * @param dim the number of columns
     * @return the multi-hot matrix, shape {@code (seqs.length, dim)}
     * @throws IllegalArgumentException for an index outside {@code [0, dim)}
     */
    public static INDArray vectorizeSequences(int[][] seqs, int dim) {
        if (dim <= 0) throw new IllegalArgumentException("vectorize_sequences: dimension must be positive, got " + dim);
        long total = (long) seqs.length * dim;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("vectorize_sequences: result (" + seqs.length + ", " + dim + ") is too large");
        }
        for (int i = 0; i < seqs.length; i++) {
            int[] s = seqs[i];
            if (s == null) throw new IllegalArgumentException("vectorize_sequences: sequence " + i + " is null");
            for (int j = 0; j < s.length; j++) {
                if (s[j] < 0 || s[j] >= dim) {
                    throw new IllegalArgumentException("vectorize_sequences: sample " + i + " has index " + s[j]
                            + " at position " + j + ", outside [0, " + dim + ")");
                }
            }
        }
        DataType ft = Cornu.floatType();
        if (ft == DataType.FLOAT || ft == DataType.DOUBLE) {
            // CPU: write the ones straight into the zeroed native array (no JVM copy of n * dim values)
            INDArray r = Nd4j.create(ft, seqs.length, dim);
            if (Elementwise.fusable(r)) {
                if (ft == DataType.FLOAT) {
                    java.nio.FloatBuffer b = Elementwise.floats(r);
                    for (int i = 0; i < seqs.length; i++) for (int v : seqs[i]) b.put(i * dim + v, 1f);
                } else {
                    java.nio.DoubleBuffer b = Elementwise.doubles(r);
                    for (int i = 0; i < seqs.length; i++) for (int v : seqs[i]) b.put(i * dim + v, 1.0);
                }
                return r;
            }
        }
        float[] out = new float[(int) total];
        for (int i = 0; i < seqs.length; i++) for (int v : seqs[i]) out[i * dim + v] = 1f;
        INDArray r = Nd4j.create(out, new long[] {seqs.length, dim}, 'c');
        return r.dataType() == ft ? r : r.castTo(ft);
    }

    /**
     * The book's {@code vectorize_sequences} with its default dimension 10000.
     *
     * @param seqs integer sequences, indices below 10000
     * @return the multi-hot matrix, shape {@code (seqs.length, 10000)}
     */
    public static INDArray vectorizeSequences(int[][] seqs) {
        return vectorizeSequences(seqs, 10000);
    }

    /**
     * Pads or truncates sequences to the length of the longest one, as
     * {@code keras.utils.pad_sequences(seqs)}: pre-padding with 0, int32 result.
     * See {@link PadSequences} for {@code maxlen}, {@code padding}, {@code truncating}, {@code value}, {@code dtype}.
     *
     * @param seqs integer sequences
     * @return an int32 matrix, shape {@code (seqs.length, longest length)}
     */
    public static INDArray padSequences(int[][] seqs) {
        return PadSequences.defaults().apply(seqs);
    }

    /**
     * {@code keras.utils.pad_sequences(seqs, maxlen=maxlen)}.
     *
     * Longer sequences lose their first values, shorter ones get zeros in front.
     *
     * @param seqs integer sequences
     * @param maxlen the length of every row
     * @return an int32 matrix, shape {@code (seqs.length, maxlen)}
     */
    public static INDArray padSequences(int[][] seqs, int maxlen) {
        return PadSequences.maxlen(maxlen).apply(seqs);
    }

    /**
     * {@code keras.utils.pad_sequences(seqs, maxlen, dtype, padding, truncating, value)} with
     * arguments in Keras's order; {@code maxlen == null} means the longest sequence.
     *
     * @param seqs integer sequences
     * @param maxlen the length of every row, or null for the longest sequence (Keras's {@code maxlen})
     * @param dtype the result's type, e.g. {@code "int32"} (Keras's default) or {@code "float32"}
     * @param padding {@code "pre"} (Keras's default) or {@code "post"}: where the padding goes
     * @param truncating {@code "pre"} (Keras's default) or {@code "post"}: which end a long sequence loses
     * @param value the padding value (Keras's default 0)
     * @return the padded matrix, shape {@code (seqs.length, maxlen)}
     */
    public static INDArray padSequences(int[][] seqs, Integer maxlen, String dtype, String padding,
                                        String truncating, double value) {
        PadSequences.Options o = PadSequences.defaults().dtype(dtype).padding(padding).truncating(truncating).value(value);
        if (maxlen != null) o.maxlen(maxlen);
        return o.apply(seqs);
    }

    /**
     * Sliding windows over a time series, as {@code keras.utils.timeseries_dataset_from_array(data,
     * targets, sequence_length)} with its defaults; see {@link TimeseriesDataset} for the other
     * arguments. Returns all windows as arrays rather than a stream of batches.
     *
     * @param data the series, samples along axis 0
     * @param targets the target of each window start (row {@code i} for the window starting at {@code i}), or null
     * @param sequenceLength the number of time steps per window
     * @return the windows and their targets
     */
    public static TimeseriesDataset.Windows timeseriesDataset(INDArray data, INDArray targets, int sequenceLength) {
        return TimeseriesDataset.sequenceLength(sequenceLength).apply(data, targets);
    }

    /**
     * {@code keras.utils.timeseries_dataset_from_array} with every argument in Keras's order;
     * {@code targets}, {@code seed}, {@code startIndex} and {@code endIndex} may be null (Keras's None).
     * Returns all windows as arrays (see {@link TimeseriesDataset.Windows}); {@code batchSize} is
     * kept in the result for {@code fit}.
     *
     * @param data the series, samples along axis 0
     * @param targets the target of each window start, or null
     * @param sequenceLength the number of time steps per window (Keras's {@code sequence_length})
     * @param sequenceStride the distance between window starts (Keras's {@code sequence_stride}, default 1)
     * @param samplingRate the distance between time steps within a window (Keras's {@code sampling_rate}, default 1)
     * @param batchSize the batch size to train with (Keras's {@code batch_size}, default 128), or null
     * @param shuffle whether to shuffle the windows (Keras's {@code shuffle}, default false)
     * @param seed the shuffling seed, or null (Keras's {@code seed})
     * @param startIndex the first row to use, or null for 0 (Keras's {@code start_index})
     * @param endIndex the last row to use (exclusive), or null for all (Keras's {@code end_index})
     * @return the windows and their targets
     */
    public static TimeseriesDataset.Windows timeseriesDataset(INDArray data, INDArray targets, int sequenceLength,
                                                              int sequenceStride, int samplingRate, Integer batchSize,
                                                              boolean shuffle, Long seed, Integer startIndex,
                                                              Integer endIndex) {
        TimeseriesDataset.Options o = TimeseriesDataset.sequenceLength(sequenceLength).sequenceStride(sequenceStride)
                .samplingRate(samplingRate).batchSize(batchSize).shuffle(shuffle).seed(seed)
                .startIndex(startIndex).endIndex(endIndex);
        return o.apply(data, targets);
    }

    /**
     * The rows {@code idx} of {@code x} along axis 0, in that order (numpy's {@code x[idx]}), as a
     * new array of the same dtype; works for any rank.
     *
     * @param x the array
     * @param idx row indices into axis 0
     * @return the selected rows, shape {@code (idx.length, ...)}
     */
    public static INDArray takeRows(INDArray x, int[] idx) {
        if (x.rank() == 0) throw new IllegalArgumentException("takeRows: x must have at least one axis, got a scalar");
        long n = x.size(0);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= n) {
                throw new IllegalArgumentException("takeRows: index " + idx[i] + " at position " + i
                        + " is out of range for axis 0 of size " + n + " (shape " + java.util.Arrays.toString(x.shape()) + ")");
            }
        }
        long[] shape = x.shape().clone();
        shape[0] = idx.length;
        if (idx.length == 0) return Nd4j.create(x.dataType(), shape);
        long rest = n == 0 ? 0 : x.length() / n;
        INDArray m = x.reshape('c', n, rest);
        if (rest == 0) return Nd4j.create(x.dataType(), shape);
        INDArray rows = Nd4j.pullRows(m, 1, idx);
        return rows.reshape('c', shape);
    }

    /**
     * Joins arrays along {@code axis} (numpy's {@code np.concatenate(xs, axis)}).
     *
     * @param axis the axis to join along
     * @param xs the arrays, equal in every other axis
     * @return the joined array
     */
    public static INDArray concatenate(int axis, INDArray... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concatenate: need at least one array");
        if (xs.length == 1) return xs[0].dup();
        int ax = axis < 0 ? xs[0].rank() + axis : axis;
        return Nd4j.concat(ax, xs);
    }

    /**
     * Joins arrays along axis 0 (numpy's {@code np.concatenate(xs, axis=0)}).
     *
     * @param xs the arrays, equal in every axis but the first
     * @return the joined array
     */
    public static INDArray concatenate(INDArray... xs) {
        return concatenate(0, xs);
    }

    /**
     * Exponential moving average of a curve, as the book's {@code smooth_curve}: the first point
     * is kept, then each point is {@code previous * factor + point * (1 - factor)}.
     *
     * @param points the curve
     * @param factor the weight of the previous smoothed point, in [0, 1)
     * @return the smoothed curve, as long as {@code points}
     */
    public static double[] smoothCurve(double[] points, double factor) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = i == 0 ? points[0] : out[i - 1] * factor + points[i] * (1 - factor);
        }
        return out;
    }

    /**
     * {@link #smoothCurve(double[], double)} with the book's factor 0.9.
     *
     * @param points the curve
     * @return the smoothed curve
     */
    public static double[] smoothCurve(double[] points) {
        return smoothCurve(points, 0.9);
    }

    /**
     * {@link #smoothCurve(double[], double)} of a {@code History} series.
     *
     * @param points the curve, e.g. {@code history.get("val_mae")}
     * @param factor the weight of the previous smoothed point
     * @return the smoothed curve
     */
    public static double[] smoothCurve(List<Double> points, double factor) {
        return smoothCurve(toDoubles(points), factor);
    }

    /**
     * {@link #smoothCurve(double[], double)} of a {@code History} series with factor 0.9.
     *
     * @param points the curve, e.g. {@code history.get("val_mae")}
     * @return the smoothed curve
     */
    public static double[] smoothCurve(List<Double> points) {
        return smoothCurve(toDoubles(points), 0.9);
    }

    /**
     * A list of numbers as a {@code double[]} (e.g. {@code history.get("val_mae")}).
     *
     * @param values the numbers
     * @return the numbers as doubles, in order
     */
    public static double[] toDoubles(List<? extends Number> values) {
        double[] d = new double[values.size()];
        for (int i = 0; i < d.length; i++) d[i] = values.get(i).doubleValue();
        return d;
    }

    /**
     * Decodes an encoded review or newswire back to words, as the book does with the IMDB and
     * Reuters word indices: index {@code i} is the word whose rank is {@code i - 3} (0, 1, 2 are
     * padding, start and unknown), "?" where none; words joined by single spaces.
     *
     * @param sequence the encoded text
     * @param wordIndex word to rank, as the dataset's {@code get_word_index()}
     * @return the words, joined by spaces
     */
    public static String decode(int[] sequence, Map<String, Integer> wordIndex) {
        return decode(sequence, reverseWordIndex(wordIndex), 3);
    }

    /**
     * {@link #decode(int[], Map)} with a reverse index already built by {@link #reverseWordIndex}
     * (to decode many sequences without rebuilding it) and the index offset (3 in the book).
     *
     * @param sequence the encoded text
     * @param reverseWordIndex rank to word
     * @param offset what to subtract from an index to get a rank
     * @return the words, joined by spaces
     */
    public static String decode(int[] sequence, Map<Integer, String> reverseWordIndex, int offset) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sequence.length; i++) {
            if (i > 0) sb.append(' ');
            String w = reverseWordIndex.get(sequence[i] - offset);
            sb.append(w == null ? "?" : w);
        }
        return sb.toString();
    }

    /**
     * Rank to word, the book's {@code dict([(value, key) for (key, value) in word_index.items()])}.
     *
     * @param wordIndex word to rank
     * @return rank to word
     */
    public static Map<Integer, String> reverseWordIndex(Map<String, Integer> wordIndex) {
        Map<Integer, String> r = new HashMap<>(wordIndex.size() * 2);
        for (Map.Entry<String, Integer> e : wordIndex.entrySet()) r.put(e.getValue(), e.getKey());
        return r;
    }

    /**
     * Draws the model's layer graph into an image, as Keras's
     * {@code keras.utils.plot_model(model, to_file, show_shapes, show_layer_names)}; needs
     * Graphviz's {@code dot} program. See {@link ModelPlot} for the DOT source alone and every option.
     *
     * <pre>{@code
     * Utils.plotModel(model, "model.png", true, true);
     * }</pre>
     *
     * @param model the model to draw
     * @param toFile the image to write; its extension picks the format ({@code .png}, {@code .svg}, {@code .pdf}, {@code .dot})
     * @param showShapes whether boxes show input and output shapes
     * @param showLayerNames whether boxes show layer names
     * @return the image's path
     * @throws IllegalStateException when Graphviz's {@code dot} is not installed (the DOT source is written beside the image)
     */
    public static java.nio.file.Path plotModel(org.cornu.core.Model model, String toFile, boolean showShapes,
                                               boolean showLayerNames) {
        return ModelPlot.plotModel(model, java.nio.file.Path.of(toFile), showShapes, showLayerNames);
    }
}
