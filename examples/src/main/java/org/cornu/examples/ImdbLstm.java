package org.cornu.examples;

import java.nio.file.Path;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Model;
import org.cornu.utils.PadSequences;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.Imdb;
import org.cornu.datasets.SequenceSplit;
import org.cornu.layers.Dense;
import org.cornu.layers.Embedding;
import org.cornu.layers.LSTM;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chapter 6.2 of the book: IMDB sentiment with an LSTM. The 10000 most frequent words,
 * reviews padded or cut to 500 words, Embedding 10000 x 32, LSTM 32, Dense 1 sigmoid, rmsprop,
 * binary crossentropy, 10 epochs at batch 128 with 20% held out (book: about 0.89 validation
 * accuracy), then the test set. {@code --data FILE} reads another file in {@code imdb.npz}'s format.
 */
final class ImdbLstm {
    private ImdbLstm() {}

    static void run(Args args) {
        Cornu.setSeed(args.getInt("seed"));
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int verbose = args.getInt("verbose");
        int maxlen = args.getInt("maxlen");
        int numWords = args.getInt("num-words");
        Path out = ExampleSupport.outDir(args);

        SequenceSplit data = ImdbExample.load(args, numWords);
        ImdbExample.printFirstReview(args, data.xTrain()[0]);
        INDArray xTrain = PadSequences.maxlen(maxlen).apply(data.xTrain());
        INDArray xTest = PadSequences.maxlen(maxlen).apply(data.xTest());
        INDArray yTrain = ExampleSupport.column(data.yTrain());
        INDArray yTest = ExampleSupport.column(data.yTest());
        System.out.println("input_train shape: " + java.util.Arrays.toString(xTrain.shape()));

        Model model = ExampleSupport.loaded(args);
        if (model == null) {
            Sequential m = new Sequential(
                    new Embedding(numWords, 32).inputShape(maxlen),
                    new LSTM(32),
                    new Dense(1, "sigmoid"));
            m.compile("rmsprop", "binary_crossentropy", "acc");
            m.summary();
            long t0 = System.nanoTime();
            History h = m.fit(xTrain, yTrain, Fit.epochs(epochs).batchSize(batchSize).validationSplit(0.2).verbose(verbose));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "training samples per second: %.0f%n", 0.8 * xTrain.size(0) * epochs / s);
            ExampleSupport.chart(h, "acc", out.resolve("imdb_lstm_acc.png"));
            ExampleSupport.chart(h, "loss", out.resolve("imdb_lstm_loss.png"));
            ExampleSupport.save(args, m);
            model = m;
        }
        double[] r = model.evaluate(xTest, yTest, Evaluate.batchSize(batchSize).verbose(0));
        System.out.printf(Locale.ROOT, "test_loss: %.4f%n", r[0]);
        System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", r[1]);
    }
}
