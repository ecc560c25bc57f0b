package org.cornu.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.cornu.core.Fit;
import org.cornu.core.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The equality on other local masters: one task thread (bit for bit) and three. */
class SparkTrainerMastersTest {
    /**
     * With one partition a step's slice is the whole batch, gathered in batch order: the gradient
     * sum divided by the count is the float32 gradient itself (exact in float64), so the weights
     * equal one machine's bit for bit.
     */
    @Test
    void localOneIsBitExact() {
        JavaSparkContext sc = SparkTestSupport.context("local[1]");
        try {
            for (String opt : new String[] {"sgd", "adam"}) {
                INDArray[] d = SparkTestSupport.data(45, 3);
                Model local = SparkTestSupport.model(11, opt);
                SparkTestSupport.fitLocally(local, d, Fit.epochs(3).batchSize(8).verbose(0), 99);
                Model spark = SparkTestSupport.model(11, opt);
                new SparkTrainer(sc).fit(spark, Sample.parallelize(sc, d[0], d[1], 1), new SparkFit().epochs(3).batchSize(8).seed(99).verbose(0));
                assertTrue(SparkTestSupport.bitEqual(local, spark), opt + ": max diff " + SparkTestSupport.maxWeightDiff(local, spark));
            }
        } finally {
            sc.stop();
        }
    }

    /** Three task threads over five uneven partitions, 20 RMSprop steps (4 epochs of 5, the last batch short). */
    @Test
    void localThreeEqualsOneMachine() {
        JavaSparkContext sc = SparkTestSupport.context("local[3]");
        try {
            INDArray[] d = SparkTestSupport.data(43, 4);
            Model local = SparkTestSupport.model(12, "rmsprop");
            SparkTestSupport.fitLocally(local, d, Fit.epochs(4).batchSize(9).verbose(0), 17);
            Model spark = SparkTestSupport.model(12, "rmsprop");
            new SparkTrainer(sc).fit(spark, Sample.parallelize(sc, d[0], d[1], 5), new SparkFit().epochs(4).batchSize(9).seed(17).verbose(0));
            double diff = SparkTestSupport.maxWeightDiff(local, spark);
            assertTrue(diff < 1e-5, "max weight difference " + diff);
        } finally {
            sc.stop();
        }
    }
}
