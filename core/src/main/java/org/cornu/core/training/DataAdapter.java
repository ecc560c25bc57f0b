package org.cornu.core.training;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.KerasTensor;
import org.cornu.core.Loss;
import org.cornu.core.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Array and stream data as {@code fit}, {@code evaluate} and {@code predict} take it (Keras's
 * {@code trainers/data_adapters}): checks (cardinality, non-empty, target shapes), casting
 * inputs to the float type, row slices, class weights, validation split, stream elements.
 */
public final class DataAdapter {
    private DataAdapter() {}

    /** The inputs in the float type ({@code Cornu.floatx()}); a null input names its index. */
    static INDArray[] asFloat(INDArray[] xs) {
        INDArray[] r = new INDArray[xs.length];
        DataType ft = Cornu.floatType();
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == null) throw new IllegalArgumentException("Input " + i + " is null");
            r[i] = xs[i].dataType() == ft ? xs[i] : xs[i].castTo(ft);
        }
        return r;
    }

    /** Fails with the method's name if the data hold no sample (Keras: "Expected input data to be non-empty"). */
    static void requireNonEmpty(String method, INDArray[] xs) {
        if (xs.length == 0) throw new IllegalArgumentException(method + ": expected input data, got no input arrays");
        if (xs[0].rank() == 0 || xs[0].size(0) == 0) {
            throw new IllegalArgumentException(method + ": expected input data to be non-empty; the input has shape "
                    + Shape.format(xs[0].shape()) + " (0 samples)");
        }
    }

    /** Checks inputs, targets and sample weights against each other and against the model. */
    static void checkCardinality(String model, List<KerasTensor> inputs, List<KerasTensor> outputs, List<Loss> losses,
                                 INDArray[] xs, INDArray[] ys, INDArray sw) {
        if (xs.length != inputs.size()) {
            throw new IllegalArgumentException("Model \"" + model + "\" expects " + inputs.size()
                    + " input(s), but it received " + xs.length + " input arrays");
        }
        if (ys != null && ys.length != outputs.size()) {
            throw new IllegalArgumentException("Model \"" + model + "\" has " + outputs.size()
                    + " output(s), but " + ys.length + " target arrays were given");
        }
        long n = xs[0].rank() == 0 ? 0 : xs[0].size(0);
        boolean ok = true;
        for (INDArray x : xs) ok &= x.rank() > 0 && x.size(0) == n;
        if (ys != null) for (INDArray y : ys) ok &= y != null && y.rank() > 0 && y.size(0) == n;
        if (sw != null) ok &= sw.rank() > 0 && sw.size(0) == n;
        if (!ok) {
            StringBuilder b = new StringBuilder("Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.");
            for (INDArray x : xs) b.append("\n'x' sizes: ").append(x.rank() == 0 ? "none" : x.size(0));
            if (ys != null) for (INDArray y : ys) b.append("\n'y' sizes: ").append(y == null || y.rank() == 0 ? "none" : y.size(0));
            if (sw != null) b.append("\n'sample_weight' sizes: ").append(sw.rank() == 0 ? "none" : sw.size(0));
            throw new IllegalArgumentException(b.toString());
        }
        if (ys == null || losses == null) return;
        for (int i = 0; i < ys.length; i++) {
            long[] yp = outputs.get(i).shape().dims();
            long[] yt = ys[i].shape();
            String ln = losses.get(i).name();
            boolean sparse = ln.contains("sparse");
            boolean fits;
            if (sparse) {
                fits = yt.length == yp.length - 1 || (yt.length == yp.length && yt[yt.length - 1] == 1);
            } else {
                long[] ytn = yt.clone();
                ytn[0] = Shape.NONE;
                fits = Shape.of(yp).compatibleWith(ytn) || (yt.length == yp.length - 1 && yp[yp.length - 1] == 1);
            }
            if (!fits) {
                throw new IllegalArgumentException("Arguments `target` and `output` must have the same shape"
                        + (sparse ? " up to the last axis" : "") + " for loss " + ln + " of output \""
                        + outputs.get(i).layer().name() + "\". Received: target.shape=" + Shape.format(withNone(yt))
                        + ", output.shape=" + Shape.format(yp));
            }
        }
    }

    private static long[] withNone(long[] s) {
        long[] r = s.clone();
        if (r.length > 0) r[0] = Shape.NONE;
        return r;
    }

    /** Rows {@code [from, to)} of each array. */
    static INDArray[] slice(INDArray[] a, long from, long to) {
        INDArray[] r = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) r[i] = rows(a[i], from, to);
        return r;
    }

    /**
     * Rows {@code [from, to)} of {@code a}, as a view.
     *
     * @param a the array
     * @param from the first row
     * @param to the row after the last
     * @return the view
     */
    public static INDArray rows(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < idx.length; d++) idx[d] = NDArrayIndex.all();
        return a.get(idx);
    }

    /** The product of sample weights {@code a} (or null) and {@code b}. */
    static INDArray combine(INDArray a, INDArray b) {
        if (a == null) return b;
        return a.castTo(b.dataType()).reshape(b.shape()).mul(b);
    }

    /**
     * Per-sample weights from class weights: class = integer label, or argmax of a one-hot row.
     *
     * @param y the targets: integer labels or one-hot rows
     * @param cw class index to weight; classes absent from it weigh 1
     * @return the weights, shape {@code (samples,)}
     */
    public static INDArray classWeights(INDArray y, Map<Integer, Double> cw) {
        long n = y.size(0);
        INDArray cls;
        if (y.rank() >= 2 && y.size(y.rank() - 1) > 1) cls = y.argMax(y.rank() - 1);
        else cls = y.reshape(n);
        double[] c = cls.castTo(DataType.DOUBLE).data().asDouble();
        double[] w = new double[(int) n];
        for (int i = 0; i < n; i++) w[i] = cw.getOrDefault((int) Math.round(c[i]), 1.0);
        return Nd4j.create(w, new long[] {n}, Cornu.floatType());
    }

    /** The row where {@code validationSplit} cuts {@code n} samples (Keras takes the last fraction, before shuffling). */
    static long splitAt(long n, double validationSplit) {
        long at = (long) Math.floor(n * (1.0 - validationSplit));
        if (at <= 0 || at >= n) {
            throw new IllegalArgumentException("validation_split=" + validationSplit + " leaves no training or no validation samples out of " + n);
        }
        return at;
    }

    /** The next element of a batch stream; a stream that ran out says which one and why it matters. */
    static INDArray[] nextBatch(Iterator<INDArray[]> it, String what) {
        if (!it.hasNext()) {
            throw new IllegalStateException("fit: the " + what + " batch stream ran out; it must yield at least steps_per_epoch"
                    + " batches per epoch (or be endless)");
        }
        return it.next();
    }

    /** Splits a stream element into inputs, targets and (optional) sample weights, cast and checked. */
    static StepData parts(String model, List<KerasTensor> inputs, List<KerasTensor> outputs, List<Loss> losses, INDArray[] b) {
        int ni = inputs.size(), no = outputs.size();
        if (b.length != ni + no && b.length != ni + no + 1) {
            throw new IllegalArgumentException("A batch of a stream for model \"" + model + "\" must hold " + ni + " input(s) and "
                    + no + " target(s), optionally followed by sample weights; got " + b.length + " arrays");
        }
        INDArray[] x = asFloat(Arrays.copyOf(b, ni));
        INDArray[] y = Arrays.copyOfRange(b, ni, ni + no);
        INDArray sw = b.length > ni + no ? b[ni + no] : null;
        checkCardinality(model, inputs, outputs, losses, x, y, sw);
        requireNonEmpty("fit", x);
        return new StepData(x, y, sw);
    }
}
