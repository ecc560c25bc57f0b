package org.cornu.utils;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature-wise standardization as the book does it by hand: {@code mean = x.mean(axis=0)},
 * {@code std = x.std(axis=0)} (population std, numpy's default {@code ddof=0}) computed on the
 * training data, then {@code (x - mean) / std} applied to training and test data alike.
 *
 * <pre>{@code
 * Normalizer norm = Normalizer.fit(xTrain);
 * INDArray xTrainN = norm.transform(xTrain), xTestN = norm.transform(xTest);
 * }</pre>
 *
 * <p>Works on float arrays of any rank {@code (n, d1, d2, ...)}: the statistics have shape
 * {@code (d1, d2, ...)}. They are computed in float64 and stored in the data's dtype. As in numpy,
 * a constant feature (std 0) gives inf/NaN after {@code transform}; {@code fit} logs a warning.
 */
public final class Normalizer {
    private static final Logger LOG = LoggerFactory.getLogger(Normalizer.class);

    private final INDArray mean;
    private final INDArray std;

    private Normalizer(INDArray mean, INDArray std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Computes the per-feature mean and population std of {@code x} along axis 0.
     *
     * @param x the training data, samples along axis 0
     * @return the normalizer
     */
    public static Normalizer fit(INDArray x) {
        if (x.rank() < 1 || x.size(0) == 0) {
            throw new IllegalArgumentException("Normalizer.fit: x must have at least one sample along axis 0, got shape "
                    + Arrays.toString(x.shape()));
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException("Normalizer.fit: x must be a float array, got " + x.dataType()
                    + " (cast it first, e.g. x.castTo(DataType.FLOAT))");
        }
        long n = x.size(0);
        long rest = x.length() / n;
        INDArray m = x.castTo(DataType.DOUBLE).reshape('c', n, rest);
        INDArray mu = m.mean(0);
        INDArray sd = m.subRowVector(mu).muli(m.subRowVector(mu)).mean(0);
        sd = org.nd4j.linalg.ops.transforms.Transforms.sqrt(sd, false);
        long[] featShape = Arrays.copyOfRange(x.shape(), 1, x.rank());
        if (sd.minNumber().doubleValue() == 0) {
            LOG.warn("Normalizer.fit: some features have std 0; transform will divide by zero as numpy does");
        }
        return new Normalizer(mu.reshape('c', featShape).castTo(x.dataType()),
                sd.reshape('c', featShape).castTo(x.dataType()));
    }

    /**
     * {@code (x - mean) / std}, a new array in {@code x}'s dtype; {@code x} keeps its values.
     *
     * @param x data of the training data's per-sample shape
     * @return the normalized data
     */
    public INDArray transform(INDArray x) {
        long[] featShape = mean.shape();
        if (x.rank() != featShape.length + 1
                || !Arrays.equals(Arrays.copyOfRange(x.shape(), 1, x.rank()), featShape)) {
            throw new IllegalArgumentException("Normalizer.transform: expected shape (n, "
                    + Arrays.toString(featShape).replaceAll("[\\[\\]]", "") + ") as at fit, got "
                    + Arrays.toString(x.shape()));
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException("Normalizer.transform: x must be a float array, got " + x.dataType());
        }
        long n = x.size(0);
        long rest = mean.length();
        INDArray mu = mean.castTo(x.dataType()).reshape('c', 1, rest);
        INDArray sd = std.castTo(x.dataType()).reshape('c', 1, rest);
        INDArray out = x.dup('c').reshape('c', n, rest);
        out.subiRowVector(mu).diviRowVector(sd);
        return out.reshape('c', x.shape());
    }

    /**
     * The per-feature mean, shape {@code x.shape()[1:]}.
     *
     * @return the mean
     */
    public INDArray mean() {
        return mean;
    }

    /**
     * The per-feature population standard deviation, shape {@code x.shape()[1:]}.
     *
     * @return the standard deviation
     */
    public INDArray std() {
        return std;
    }
}
