package org.cornu.spark.examples;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.Mnist;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.MaxPooling2D;
import org.cornu.spark.Sample;
import org.cornu.spark.SparkFit;
import org.cornu.spark.SparkTrainer;
import org.cornu.utils.Utils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MNIST dense model of Deep Learning with Python 2.1 (Dense 512 relu, Dense 10 softmax,
 * rmsprop) trained through Spark, then the same model trained on one machine with the same seed
 * and global batch: the two sets of weights must agree to float rounding.
 */
final class SparkMnist {
    private SparkMnist() {}

    static void run(Map<String, String> o) {
        int epochs = Integer.parseInt(o.get("epochs"));
        int batchSize = Integer.parseInt(o.get("batch-size"));
        int partitions = Integer.parseInt(o.get("partitions"));
        int samples = Integer.parseInt(o.get("samples"));
        long seed = Long.parseLong(o.get("seed"));
        int verbose = Integer.parseInt(o.get("verbose"));
        Mnist.Split data = o.get("data") == null ? Mnist.loadData() : Mnist.loadData(java.nio.file.Path.of(o.get("data")));
        int n = (int) Math.min(samples, data.xTrain().size(0));
        INDArray x = data.xTrain().reshape(data.xTrain().size(0), 784).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n))
                .castTo(DataType.FLOAT).divi(255);
        INDArray y = Utils.toCategorical(data.yTrain(), 10).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
        INDArray xTest = data.xTest().reshape(data.xTest().size(0), 784).castTo(DataType.FLOAT).divi(255);
        INDArray yTest = Utils.toCategorical(data.yTest(), 10);

        SparkConf conf = new SparkConf().setAppName("cornu-spark-mnist").set("spark.ui.showConsoleProgress", "false");
        if (!conf.contains("spark.master")) conf.setMaster(o.get("master")); // spark-submit's --master wins
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            JavaRDD<Sample> train = Sample.parallelize(sc, x, y, partitions);
            JavaRDD<Sample> test = Sample.parallelize(sc, xTest, yTest, partitions);

            String kind = o.get("model");
            if (!kind.equals("dense") && !kind.equals("convnet")) throw new IllegalArgumentException("spark-mnist: --model must be dense or convnet, got " + kind);
            Model distributed = model(kind, seed);
            distributed.summary();
            long t0 = System.nanoTime();
            SparkTrainer spark = new SparkTrainer(sc);
            History h = spark.fit(distributed, train, new SparkFit().epochs(epochs).batchSize(batchSize).seed(seed).verbose(verbose));
            double sparkSeconds = (System.nanoTime() - t0) / 1e9;
            double[] result = spark.evaluate(distributed, test, 1000);

            Model local = model(kind, seed);
            t0 = System.nanoTime();
            Cornu.setSeed(seed);
            INDArray xLocal = kind.equals("dense") ? x : x.reshape(n, 28, 28, 1);
            local.fit(xLocal, y, Fit.epochs(epochs).batchSize(batchSize).verbose(0));
            double localSeconds = (System.nanoTime() - t0) / 1e9;
            double diff = 0;
            for (int i = 0; i < local.getWeights().size(); i++) {
                diff = Math.max(diff, local.getWeights().get(i).castTo(DataType.DOUBLE)
                        .sub(distributed.getWeights().get(i).castTo(DataType.DOUBLE)).amaxNumber().doubleValue());
            }
            int steps = (n + batchSize - 1) / batchSize;
            System.out.printf(Locale.ROOT, "master: %s, partitions: %d, samples: %d, steps per epoch: %d%n", sc.master(), partitions, n, steps);
            System.out.printf(Locale.ROOT, "train_accuracy: %.4f%n", h.last("accuracy"));
            System.out.printf(Locale.ROOT, "spark_seconds_per_epoch: %.2f%n", sparkSeconds / epochs);
            System.out.printf(Locale.ROOT, "local_seconds_per_epoch: %.2f%n", localSeconds / epochs);
            System.out.printf(Locale.ROOT, "spark_ms_per_step: %.1f%n", 1000 * sparkSeconds / (epochs * (double) steps));
            System.out.printf(Locale.ROOT, "test_loss: %.4f%n", result[0]);
            System.out.printf(Locale.ROOT, "distributed_max_abs_weight_diff: %.3g%n", diff);
            System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", result[1]);
        }
    }

    private static Model model(String kind, long seed) {
        Cornu.setSeed(seed);
        Sequential m = kind.equals("dense")
                ? new Sequential(new Dense(512, "relu").inputShape(784), new Dense(10, "softmax"))
                : new Sequential(new Conv2D(32, 3, "relu").inputShape(28, 28, 1), new MaxPooling2D(2),
                        new Conv2D(64, 3, "relu"), new MaxPooling2D(2), new Conv2D(64, 3, "relu"),
                        new Flatten(), new Dense(64, "relu"), new Dense(10, "softmax"));
        m.compile("rmsprop", "categorical_crossentropy", "accuracy");
        return m;
    }
}
