package org.cornu.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.utils.Utils;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.Imdb;
import org.cornu.datasets.Reuters;
import org.cornu.datasets.SequenceSplit;
import org.cornu.layers.Dense;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Chapter 4.2 of the book: Reuters newswires into 46 topics. Multi-hot 10000, Dense 64 relu,
 * 64 relu, 46 softmax, rmsprop, categorical crossentropy; 1000 samples held out, 20 epochs at
 * batch 512 with charts; retrained 9 epochs and evaluated (book: 0.797) beside the random
 * baseline (about 0.19); the same with integer labels and sparse categorical crossentropy.
 */
final class ReutersExample {
    private ReutersExample() {}

    static Sequential model(String loss) {
        Sequential m = new Sequential(
                new Dense(64, "relu").inputShape(10000),
                new Dense(64, "relu"),
                new Dense(46, "softmax"));
        m.compile("rmsprop", loss, "accuracy");
        return m;
    }

    /** Training newswires in Keras's split of reuters.npz, and the book's validation hold-out for them. */
    static final int KERAS_TRAIN = 8982, BOOK_VALIDATION = 1000;
    /** The hold-out for other data (the book's is 1000 of 8982, 11%). */
    static final double VALIDATION_FRACTION = 0.1;

    static void run(Args args) {
        Cornu.setSeed(args.getInt("seed"));
        int epochs = args.getInt("epochs");
        int finalEpochs = args.getInt("final-epochs");
        int verbose = args.getInt("verbose");
        int batchSize = args.getInt("batch-size");
        Path out = ExampleSupport.outDir(args);

        java.nio.file.Path file = ExampleSupport.dataFile(args);
        SequenceSplit data = file == null ? Reuters.loadData(10000)
                : Reuters.loadData(file, 10000, 0, null, Reuters.TEST_SPLIT, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM);
        System.out.println("Training newswires: " + data.xTrain().length + ", test: " + data.xTest().length
                + "; first one's topic: " + Reuters.getLabelNames().get(data.yTrain()[0]));
        INDArray xTrain = Utils.vectorizeSequences(data.xTrain(), 10000);
        INDArray xTest = Utils.vectorizeSequences(data.xTest(), 10000);
        INDArray yTrain = Utils.toCategorical(ExampleSupport.vector(data.yTrain()), 46);
        INDArray yTest = Utils.toCategorical(ExampleSupport.vector(data.yTest()), 46);

        int n = data.xTrain().length;
        int nVal = n == KERAS_TRAIN ? BOOK_VALIDATION : (int) Math.round(n * VALIDATION_FRACTION);
        System.out.println("Validation: the first " + nVal + " training newswires"
                + (n == KERAS_TRAIN ? " (the book)" : " (" + Math.round(100 * VALIDATION_FRACTION) + "%)"));
        INDArray xVal = xTrain.get(NDArrayIndex.interval(0, nVal), NDArrayIndex.all());
        INDArray partialX = xTrain.get(NDArrayIndex.interval(nVal, xTrain.size(0)), NDArrayIndex.all());
        INDArray yVal = yTrain.get(NDArrayIndex.interval(0, nVal), NDArrayIndex.all());
        INDArray partialY = yTrain.get(NDArrayIndex.interval(nVal, yTrain.size(0)), NDArrayIndex.all());

        org.cornu.core.Model fresh = ExampleSupport.loaded(args);
        if (fresh == null) {
            Sequential model = model("categorical_crossentropy");
            History h = model.fit(partialX, partialY, Fit.epochs(epochs).batchSize(batchSize).validationData(xVal, yVal).verbose(verbose));
            ExampleSupport.chart(h, "loss", out.resolve("reuters_loss.png"));
            ExampleSupport.chart(h, "accuracy", out.resolve("reuters_accuracy.png"));

            Sequential trained = model("categorical_crossentropy");
            trained.fit(xTrain, yTrain, Fit.epochs(finalEpochs).batchSize(batchSize).verbose(verbose));
            ExampleSupport.save(args, trained);
            fresh = trained;
        }
        double[] r = fresh.evaluate(xTest, yTest, Evaluate.verbose(0));

        // the book's random baseline: accuracy of a shuffled copy of the test labels
        int[] shuffled = data.yTest().clone();
        SplittableRandom rnd = new SplittableRandom(args.getInt("seed"));
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int hits = 0;
        for (int i = 0; i < shuffled.length; i++) if (shuffled[i] == data.yTest()[i]) hits++;
        System.out.printf(Locale.ROOT, "random_baseline_accuracy: %.4f%n", hits / (double) shuffled.length);

        if (args.get("load") == null) {
            Sequential sparse = model("sparse_categorical_crossentropy");
            sparse.fit(xTrain, ExampleSupport.vector(data.yTrain()), Fit.epochs(finalEpochs).batchSize(batchSize).verbose(0));
            double[] rs = sparse.evaluate(xTest, ExampleSupport.vector(data.yTest()), Evaluate.verbose(0));
            System.out.printf(Locale.ROOT, "sparse_labels_test_accuracy: %.4f%n", rs[1]);
        }
        System.out.printf(Locale.ROOT, "test_loss: %.4f%n", r[0]);
        System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", r[1]);
    }
}
