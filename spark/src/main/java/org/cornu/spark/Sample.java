package org.cornu.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training sample as an element of a Spark {@code RDD}: its inputs, one flat float array per
 * model input (row-major, the model's input shape without the batch axis), and its targets, one
 * flat float array per model output. An {@code RDD<Sample>} is what {@link SparkTrainer} trains
 * on, as the arrays {@code x} and {@code y} are for {@code model.fit(x, y)}.
 *
 * <pre>{@code
 * JavaRDD<Sample> data = Sample.parallelize(sc, x, y, 8);     // from arrays, in 8 partitions
 * JavaRDD<Sample> rows = lines.map(l -> Sample.of(features(l), label(l)));  // or from anything
 * }</pre>
 *
 * <p>Samples are Java-serialized only to move them between Spark's driver and executors running
 * the same Cornu version: as a record, a sample's serial form is its two components, which is not
 * a published format, so it is left out of the serialized-form documentation.
 *
 * @param x the inputs, one flat array per model input
 * @param y the targets, one flat array per model output (may be empty for {@link SparkTrainer#predict})
 * @serial exclude
 */
public record Sample(float[][] x, float[][] y) implements Serializable {
    /**
     * A sample of a single-input, single-output model.
     *
     * @param x the input, flattened row-major
     * @param y the target, flattened row-major
     * @return the sample
     */
    public static Sample of(float[] x, float[] y) {
        return new Sample(new float[][] {x}, new float[][] {y});
    }

    /**
     * The rows of {@code x} and {@code y} as samples, in order (row {@code i} is sample {@code i}).
     *
     * @param x the inputs, of shape {@code (samples, ...)}
     * @param y the targets, with as many rows as {@code x}
     * @return one sample per row
     * @throws IllegalArgumentException if the row counts differ
     */
    public static List<Sample> rows(INDArray x, INDArray y) {
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("Sample.rows: x has " + x.size(0) + " samples but y has " + y.size(0));
        }
        int n = (int) x.size(0);
        float[] xf = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] yf = y.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int xl = n == 0 ? 0 : xf.length / n, yl = n == 0 ? 0 : yf.length / n;
        List<Sample> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] xi = new float[xl], yi = new float[yl];
            System.arraycopy(xf, i * xl, xi, 0, xl);
            System.arraycopy(yf, i * yl, yi, 0, yl);
            r.add(of(xi, yi));
        }
        return r;
    }

    /**
     * The rows of {@code x} and {@code y} as an RDD of samples in {@code numSlices} partitions,
     * in order (Spark's {@code parallelize}).
     *
     * @param sc the Spark context
     * @param x the inputs, of shape {@code (samples, ...)}
     * @param y the targets, with as many rows as {@code x}
     * @param numSlices the number of partitions
     * @return the RDD
     */
    public static JavaRDD<Sample> parallelize(JavaSparkContext sc, INDArray x, INDArray y, int numSlices) {
        return sc.parallelize(rows(x, y), numSlices);
    }
}
