package org.cornu.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cornu.core.Fit;
import org.cornu.core.Model;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Several processes: a Spark master, two workers and their executor JVMs on 127.0.0.1
 * ({@code local-cluster[2,1,1024]}), so the config, weights, gradient sums and metric states
 * really cross process boundaries (serialized), against one machine's fit.
 */
@Tag("slow")
class SparkTrainerClusterTest {
    @Test
    void localClusterEqualsOneMachine() {
        // the workers start executors with $SPARK_HOME/jars/* on their class path (set by surefire to an empty
        // folder under target/), then this JVM's class path: the test classes, Cornu and Spark
        String home = System.getenv("SPARK_HOME");
        assertTrue(home != null && (new File(home, "jars").isDirectory() || new File(home, "jars").mkdirs()), "SPARK_HOME/jars: " + home);
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("cornu-spark-cluster-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dcornu.threads=1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            sc.setLogLevel("WARN");
            long driver = ProcessHandle.current().pid();
            java.util.List<Long> pids = sc.parallelize(java.util.List.of(1, 2, 3, 4), 4).map(i -> ProcessHandle.current().pid()).collect();
            assertTrue(pids.stream().noneMatch(p -> p == driver), "tasks ran in executor processes, not the driver: " + pids);
            INDArray[] d = SparkTestSupport.data(45, 3);
            Model local = SparkTestSupport.model(11, "adam");
            SparkTestSupport.fitLocally(local, d, Fit.epochs(4).batchSize(9).verbose(0), 99);
            Model spark = SparkTestSupport.model(11, "adam");
            new SparkTrainer(sc).fit(spark, Sample.parallelize(sc, d[0], d[1], 4), new SparkFit().epochs(4).batchSize(9).seed(99).verbose(0));
            double diff = SparkTestSupport.maxWeightDiff(local, spark);
            assertTrue(diff < 1e-5, "max weight difference " + diff);
        } finally {
            sc.stop();
        }
    }
}
