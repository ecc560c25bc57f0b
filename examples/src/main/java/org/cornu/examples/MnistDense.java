package org.cornu.examples;

import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.utils.Utils;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.Mnist;
import org.cornu.layers.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chapter 2 of Deep Learning with Python: the first neural network. MNIST digits
 * flattened to 784 values in [0, 1], Dense 512 relu, Dense 10 softmax, rmsprop,
 * categorical crossentropy, 5 epochs at batch 128. The book reports test accuracy 0.978.
 */
final class MnistDense {
    private MnistDense() {}

    /** {@code --data FILE} as it is, else Keras's mnist.npz. */
    static Mnist.Split load(Args args) {
        java.nio.file.Path file = ExampleSupport.dataFile(args);
        return file == null ? Mnist.loadData() : Mnist.loadData(file);
    }

    static void run(Args args) {
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int verbose = args.getInt("verbose");
        Cornu.setSeed(args.getInt("seed"));

        Mnist.Split data = load(args);
        INDArray xTrain = data.xTrain().reshape(data.xTrain().size(0), 28 * 28).castTo(DataType.FLOAT).divi(255);
        INDArray xTest = data.xTest().reshape(data.xTest().size(0), 28 * 28).castTo(DataType.FLOAT).divi(255);
        INDArray yTrain = Utils.toCategorical(data.yTrain(), 10);
        INDArray yTest = Utils.toCategorical(data.yTest(), 10);

        org.cornu.core.Model model = ExampleSupport.loaded(args);
        History history = null;
        double seconds = 0;
        if (model == null) {
            Sequential m = new Sequential(
                    new Dense(512, "relu").inputShape(28 * 28),
                    new Dense(10, "softmax"));
            m.compile("rmsprop", "categorical_crossentropy", "accuracy");
            m.summary();
            ExampleSupport.plot(args, m);
            long t0 = System.nanoTime();
            history = m.fit(xTrain, yTrain, Fit.epochs(epochs).batchSize(batchSize).verbose(verbose));
            seconds = (System.nanoTime() - t0) / 1e9;
            ExampleSupport.save(args, m);
            model = m;
        }

        double[] result = model.evaluate(xTest, yTest, Evaluate.verbose(0));
        INDArray firstPredictions = model.predict(xTest.getRows(0, 1, 2));
        INDArray predicted = firstPredictions.argMax(1);
        System.out.println("First test digits: " + data.yTest().getInt(0) + " " + data.yTest().getInt(1) + " "
                + data.yTest().getInt(2) + "; predicted: " + predicted.getInt(0) + " " + predicted.getInt(1) + " "
                + predicted.getInt(2));
        if (history != null) {
            System.out.printf(Locale.ROOT, "train_accuracy: %.4f%n", history.last("accuracy"));
            System.out.printf(Locale.ROOT, "train_seconds_per_epoch: %.2f%n", seconds / Math.max(1, epochs));
        }
        System.out.printf(Locale.ROOT, "test_loss: %.4f%n", result[0]);
        System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", result[1]);
    }
}
