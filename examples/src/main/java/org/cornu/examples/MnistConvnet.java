package org.cornu.examples;

import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.Mnist;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.MaxPooling2D;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A small convnet on MNIST digits (28, 28, 1) in [0, 1], integer labels, rmsprop, sparse
 * categorical crossentropy, 5 epochs at batch 64. Two variants:
 * <ul>
 *   <li>{@code mnist-convnet} (the course notes): Conv2D 32 -> MaxPooling2D -> Conv2D 64 ->
 *       MaxPooling2D -> Conv2D 128 -> Flatten -> Dense 10 softmax; 104,202 parameters.</li>
 *   <li>{@code mnist-convnet-book} (Deep Learning with Python 8.1): Conv2D 32 -> MaxPooling2D ->
 *       Conv2D 64 -> MaxPooling2D -> Conv2D 64 -> Flatten -> Dense 64 relu -> Dense 10 softmax;
 *       93,322 parameters. The book reports test accuracy 0.991-0.993.</li>
 * </ul>
 * {@code --train-samples N} trains on the first N images only (for quick timings); the run
 * prints {@code train_seconds_per_epoch}, {@code train_ms_per_step} and {@code test_accuracy} last.
 */
final class MnistConvnet {
    private MnistConvnet() {}

    static Sequential course() {
        return new Sequential(
                new Conv2D(32, 3, "relu").inputShape(28, 28, 1),
                new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"),
                new MaxPooling2D(2),
                new Conv2D(128, 3, "relu"),
                new Flatten(),
                new Dense(10, "softmax"));
    }

    static Sequential book() {
        return new Sequential(
                new Conv2D(32, 3, "relu").inputShape(28, 28, 1),
                new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"),
                new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"),
                new Flatten(),
                new Dense(64, "relu"),
                new Dense(10, "softmax"));
    }

    static void runCourse(Args args) {
        run(args, false);
    }

    static void runBook(Args args) {
        run(args, true);
    }

    private static void run(Args args, boolean bookVersion) {
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int verbose = args.getInt("verbose");
        int limit = args.getInt("train-samples");
        Cornu.setSeed(args.getInt("seed"));
        Cornu.chooseThreads();

        Mnist.Split data = MnistDense.load(args);
        INDArray xTrain = data.xTrain().reshape(data.xTrain().size(0), 28, 28, 1).castTo(DataType.FLOAT).divi(255);
        INDArray yTrain = data.yTrain();
        if (limit < xTrain.size(0)) {
            xTrain = xTrain.get(NDArrayIndex.interval(0, limit)).dup();
            yTrain = yTrain.get(NDArrayIndex.interval(0, limit)).dup();
        }
        INDArray xTest = data.xTest().reshape(data.xTest().size(0), 28, 28, 1).castTo(DataType.FLOAT).divi(255);
        INDArray yTest = data.yTest();

        org.cornu.core.Model model = ExampleSupport.loaded(args);
        if (model == null) {
            Sequential m = bookVersion ? book() : course();
            m.compile("rmsprop", "sparse_categorical_crossentropy", "accuracy");
            m.summary();
            ExampleSupport.plot(args, m);

            long t0 = System.nanoTime();
            History history = m.fit(xTrain, yTrain, Fit.epochs(epochs).batchSize(batchSize).verbose(verbose));
            double seconds = (System.nanoTime() - t0) / 1e9;
            ExampleSupport.save(args, m);
            System.out.printf(Locale.ROOT, "train_accuracy: %.4f%n", history.last("accuracy"));
            System.out.printf(Locale.ROOT, "train_seconds_per_epoch: %.2f%n", seconds / Math.max(1, epochs));
            System.out.printf(Locale.ROOT, "train_ms_per_step: %.1f%n",
                    1000 * seconds / Math.max(1, epochs) / Math.ceil(xTrain.size(0) / (double) batchSize));
            model = m;
        }

        double[] result = model.evaluate(xTest, yTest, Evaluate.verbose(0));
        System.out.printf(Locale.ROOT, "test_loss: %.4f%n", result[0]);
        System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", result[1]);
    }
}
