package org.cornu.examples;

import java.nio.file.Path;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.utils.Utils;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.Imdb;
import org.cornu.datasets.SequenceSplit;
import org.cornu.layers.Dense;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Chapter 4.1 of the book: IMDB movie reviews, positive or negative. Reviews as multi-hot
 * vectors of the 10000 most frequent words, Dense 16 relu, 16 relu, 1 sigmoid, rmsprop,
 * binary crossentropy. 10000 training reviews held out, 20 epochs at batch 512 with loss and
 * accuracy charts; then retrained 4 epochs on all training data and evaluated (book: 0.88).
 */
final class ImdbExample {
    private ImdbExample() {}

    static Sequential model() {
        Sequential m = new Sequential(
                new Dense(16, "relu").inputShape(10000),
                new Dense(16, "relu"),
                new Dense(1, "sigmoid"));
        m.compile("rmsprop", "binary_crossentropy", "accuracy");
        return m;
    }

    static void run(Args args) {
        Cornu.setSeed(args.getInt("seed", 42));
        int epochs = args.getInt("epochs", 20);
        int finalEpochs = args.getInt("final-epochs", 4);
        int verbose = args.getInt("verbose", 1);
        Path out = ExampleSupport.outDir(args);

        SequenceSplit data = Imdb.loadData(10000);
        System.out.println("First review, decoded: " + Utils.decode(data.xTrain()[0], Imdb.getWordIndex()));
        INDArray xTrain = Utils.vectorizeSequences(data.xTrain(), 10000);
        INDArray xTest = Utils.vectorizeSequences(data.xTest(), 10000);
        INDArray yTrain = ExampleSupport.column(data.yTrain());
        INDArray yTest = ExampleSupport.column(data.yTest());

        INDArray xVal = xTrain.get(NDArrayIndex.interval(0, 10000), NDArrayIndex.all());
        INDArray partialX = xTrain.get(NDArrayIndex.interval(10000, xTrain.size(0)), NDArrayIndex.all());
        INDArray yVal = yTrain.get(NDArrayIndex.interval(0, 10000), NDArrayIndex.all());
        INDArray partialY = yTrain.get(NDArrayIndex.interval(10000, yTrain.size(0)), NDArrayIndex.all());

        org.cornu.core.Model fresh = ExampleSupport.loaded(args);
        if (fresh == null) {
            Sequential model = model();
            History h = model.fit(partialX, partialY, Fit.epochs(epochs).batchSize(512).validationData(xVal, yVal).verbose(verbose));
            ExampleSupport.chart(h, "loss", out.resolve("imdb_loss.png"));
            ExampleSupport.chart(h, "accuracy", out.resolve("imdb_accuracy.png"));

            Sequential trained = model();
            trained.fit(xTrain, yTrain, Fit.epochs(finalEpochs).batchSize(512).verbose(verbose));
            ExampleSupport.save(args, trained);
            fresh = trained;
        }
        double[] r = fresh.evaluate(xTest, yTest, Evaluate.verbose(0));
        INDArray p = fresh.predict(xTest.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()));
        System.out.println("Predictions for the first 5 test reviews: " + java.util.Arrays.toString(p.data().asFloat())
                + " (labels " + java.util.Arrays.toString(java.util.Arrays.copyOf(data.yTest(), 5)) + ")");
        System.out.printf(Locale.ROOT, "test_loss: %.4f%n", r[0]);
        System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", r[1]);
    }
}
