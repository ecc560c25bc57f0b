package org.cornu.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cornu.core.Cornu;
import org.cornu.core.FastPaths;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.core.training.FitOptions;
import org.cornu.layers.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A local Spark context and the small model and data the Spark trainer's tests compare against {@code model.fit}. */
final class SparkTestSupport {
    private SparkTestSupport() {}

    /** A quiet local context on 127.0.0.1 ({@code master} such as {@code local[2]} or {@code local[2,2]}). */
    static JavaSparkContext context(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("cornu-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.showConsoleProgress", "false");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }

    /** Inputs {@code (n, 4)}, one-hot targets of 3 classes, from a fixed seed. */
    static INDArray[] data(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) r.nextGaussian();
                s += x[i * 4 + j] * (j + 1);
            }
            y[i * 3 + (s < -1 ? 0 : s < 1 ? 1 : 2)] = 1;
        }
        return new INDArray[] {Nd4j.createFromArray(x).reshape(n, 4), Nd4j.createFromArray(y).reshape(n, 3)};
    }

    /** The 4-5-3 classifier with the initial weights of {@code seed}, compiled with {@code optimizer}. */
    static Model model(long seed, String optimizer) {
        Cornu.setSeed(seed);
        Sequential m = new Sequential(new Dense(5, "tanh").inputShape(4), new Dense(3, "softmax"));
        m.compile(optimizer, "categorical_crossentropy", "accuracy");
        return m;
    }

    /** {@code model.fit} on one machine, shuffled from {@code Cornu.setSeed(shuffleSeed)}, on the autodiff tape. */
    static History fitLocally(Model m, INDArray[] d, FitOptions o, long shuffleSeed) {
        boolean small = FastPaths.SMALL_MODEL.enabled();
        FastPaths.SMALL_MODEL.setEnabled(false); // the tape path, which the workers run too (the local[1] run is then bit-exact)
        try {
            Cornu.setSeed(shuffleSeed);
            return m.fit(d[0], d[1], o);
        } finally {
            FastPaths.SMALL_MODEL.setEnabled(small);
        }
    }

    /** The largest absolute difference between the two models' weights. */
    static double maxWeightDiff(Model a, Model b) {
        List<INDArray> wa = a.getWeights(), wb = b.getWeights();
        assertEquals(wa.size(), wb.size());
        double max = 0;
        for (int i = 0; i < wa.size(); i++) {
            max = Math.max(max, wa.get(i).castTo(DataType.DOUBLE).sub(wb.get(i).castTo(DataType.DOUBLE)).amaxNumber().doubleValue());
        }
        return max;
    }

    /** Whether every weight of the two models is bit-for-bit equal. */
    static boolean bitEqual(Model a, Model b) {
        List<INDArray> wa = a.getWeights(), wb = b.getWeights();
        for (int i = 0; i < wa.size(); i++) if (!wa.get(i).equals(wb.get(i))) return false;
        return true;
    }
}
