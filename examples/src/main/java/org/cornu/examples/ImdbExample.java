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
 * binary crossentropy. 10000 training reviews held out (40% of another file's), 20 epochs at
 * batch 512 with loss and accuracy charts; then retrained 4 epochs on all training data and
 * evaluated (book: 0.88). {@code --data FILE} reads one's own file in {@code imdb.npz}'s format.
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

    /** Training reviews in Keras's imdb.npz, and the book's validation hold-out for them. */
    static final int KERAS_TRAIN = 25000, BOOK_VALIDATION = 10000;
    /** The hold-out for other data: the book's share, 10000 of 25000. */
    static final double VALIDATION_FRACTION = 0.4;

    /** The data: {@code --data FILE} as it is, else Keras's imdb.npz; the 10000 most frequent words. */
    static SequenceSplit load(Args args, int numWords) {
        Path file = ExampleSupport.dataFile(args);
        return file == null ? Imdb.loadData(numWords)
                : Imdb.loadData(file, numWords, 0, null, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM);
    }

    /** Prints the first review decoded with a local imdb_word_index.json, or as indices if there is none (no download). */
    static void printFirstReview(Args args, int[] review) {
        Path index = ExampleSupport.localFile(args, Imdb.WORD_INDEX_FILE_NAME);
        if (index != null) {
            System.out.println("First review, decoded with " + index.toAbsolutePath() + ": " + Utils.decode(review, Imdb.getWordIndex(index)));
        } else {
            int n = Math.min(review.length, 30);
            System.out.println("First review (" + review.length + " word indices; no " + Imdb.WORD_INDEX_FILE_NAME
                    + " beside the data, in $CORNU_DATASETS or in ~/.keras/datasets to decode it, and none is downloaded"
                    + " for a printout): " + java.util.Arrays.toString(java.util.Arrays.copyOf(review, n))
                    + (n < review.length ? " ..." : ""));
        }
    }

    /** The validation hold-out: the book's 10000 for Keras's 25000 training reviews, else 40%. */
    static int validationSize(int trainSize) {
        return trainSize == KERAS_TRAIN ? BOOK_VALIDATION : (int) Math.round(trainSize * VALIDATION_FRACTION);
    }

    static void run(Args args) {
        Cornu.setSeed(args.getInt("seed"));
        int epochs = args.getInt("epochs");
        int finalEpochs = args.getInt("final-epochs");
        int batchSize = args.getInt("batch-size");
        int verbose = args.getInt("verbose");
        Path out = ExampleSupport.outDir(args);

        SequenceSplit data = load(args, 10000);
        printFirstReview(args, data.xTrain()[0]);
        INDArray xTrain = Utils.vectorizeSequences(data.xTrain(), 10000);
        INDArray xTest = Utils.vectorizeSequences(data.xTest(), 10000);
        INDArray yTrain = ExampleSupport.column(data.yTrain());
        INDArray yTest = ExampleSupport.column(data.yTest());

        int nVal = validationSize(data.xTrain().length);
        System.out.println("Training reviews: " + data.xTrain().length + " (the first " + nVal + " held out for validation"
                + (data.xTrain().length == KERAS_TRAIN ? ", as the book" : ", " + Math.round(100 * VALIDATION_FRACTION) + "%")
                + "), test reviews: " + data.xTest().length);
        INDArray xVal = xTrain.get(NDArrayIndex.interval(0, nVal), NDArrayIndex.all());
        INDArray partialX = xTrain.get(NDArrayIndex.interval(nVal, xTrain.size(0)), NDArrayIndex.all());
        INDArray yVal = yTrain.get(NDArrayIndex.interval(0, nVal), NDArrayIndex.all());
        INDArray partialY = yTrain.get(NDArrayIndex.interval(nVal, yTrain.size(0)), NDArrayIndex.all());

        org.cornu.core.Model fresh = ExampleSupport.loaded(args);
        if (fresh == null) {
            Sequential model = model();
            History h = model.fit(partialX, partialY, Fit.epochs(epochs).batchSize(batchSize).validationData(xVal, yVal).verbose(verbose));
            ExampleSupport.chart(h, "loss", out.resolve("imdb_loss.png"));
            ExampleSupport.chart(h, "accuracy", out.resolve("imdb_accuracy.png"));

            Sequential trained = model();
            trained.fit(xTrain, yTrain, Fit.epochs(finalEpochs).batchSize(batchSize).verbose(verbose));
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
