package org.cornu.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.InputLayer;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.datasets.text.TextDataset;
import org.cornu.datasets.text.TextDatasets;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.TextVectorization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The book's bag-of-bigrams text classifiers (2nd edition, 11.3.1) on any folder of class folders of {@code .txt}
 * files: {@code textDatasetFromDirectory} reads {@code --data DIR} (as the book's {@code aclImdb}: {@code DIR/train},
 * with {@code DIR/val} or {@code DIR/validation} and {@code DIR/test} when present; else {@code DIR}'s own class
 * folders with 20% held out for validation, seed {@code --seed}); a {@code TextVectorization(max_tokens=20000,
 * ngrams=2)} adapted on the training texts, in {@code multi_hot} and then {@code tf_idf} mode; each feeds the book's
 * model, Dense 16 relu, Dropout 0.5, Dense 1 sigmoid (two classes) or Dense K softmax (K classes), RMSprop,
 * trained batch by batch on the vectorized strings. Prints each epoch, then {@code <mode>_2gram test_accuracy: X}
 * (on the test folder, else the validation files). {@code --save PATH} saves the last model as the book's inference
 * model, string input, {@code TextVectorization} and the trained model, its vocabulary in the {@code .keras} assets.
 */
final class TextFromDirectory {
    private TextFromDirectory() {}

    static Sequential model(int features, int hidden, int classes) {
        return new Sequential(
                new Dense(hidden, "relu").inputShape(features),
                new Dropout(0.5),
                classes == 2 ? new Dense(1, "sigmoid") : new Dense(classes, "softmax"));
    }

    static void run(Args args) {
        String data = args.get("data");
        if (data == null) throw new IllegalArgumentException("text-from-directory needs --data DIR with class folders of .txt files");
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int maxTokens = args.getInt("max-tokens");
        int ngrams = args.getInt("ngrams");
        int hidden = args.getInt("hidden");
        int seed = args.getInt("seed");
        String mode = args.get("mode");
        if (!List.of("multi_hot", "tf_idf", "both").contains(mode)) {
            throw new Args.UsageException("text-from-directory: --mode must be multi_hot, tf_idf or both, got '" + mode + "'");
        }
        Cornu.setSeed(seed);
        Cornu.chooseThreads();
        Path root = Path.of(data);
        Path trainDir = Files.isDirectory(root.resolve("train")) ? root.resolve("train") : root;
        Path valDir = Files.isDirectory(root.resolve("val")) ? root.resolve("val")
                : Files.isDirectory(root.resolve("validation")) ? root.resolve("validation") : null;
        Path testDir = trainDir != root && Files.isDirectory(root.resolve("test")) ? root.resolve("test") : null;
        // the book's binary IMDB labels; int labels (sparse categorical crossentropy) for more classes
        int classes = TextDatasets.textDatasetFromDirectory(trainDir).shuffle(false).build().classNames().size();
        String labelMode = classes == 2 ? "binary" : "int";
        TextDataset train;
        TextDataset val;
        if (valDir != null) {
            train = TextDatasets.textDatasetFromDirectory(trainDir).labelMode(labelMode).batchSize(batchSize).seed(seed).build();
            val = TextDatasets.textDatasetFromDirectory(valDir).labelMode(labelMode).batchSize(batchSize).shuffle(false)
                    .classNames(train.classNames()).build();
        } else {
            TextDataset[] tv = TextDatasets.textDatasetFromDirectory(trainDir).labelMode(labelMode).batchSize(batchSize).seed(seed)
                    .validationSplit(0.2).subset("both").buildBoth();
            train = tv[0];
            val = tv[1];
        }
        TextDataset test = testDir == null ? val : TextDatasets.textDatasetFromDirectory(testDir).labelMode(labelMode)
                .batchSize(batchSize).shuffle(false).classNames(train.classNames()).build();
        System.out.printf("classes %s, %d training, %d validation and %d test texts%n", train.classNames(), train.size(), val.size(),
                test.size());
        List<String> trainTexts = train.texts();

        List<String> modes = mode.equals("both") ? List.of("multi_hot", "tf_idf") : List.of(mode);
        Model last = null;
        TextVectorization lastVectorizer = null;
        for (String m : modes) {
            TextVectorization vectorizer = new TextVectorization().maxTokens(maxTokens).outputMode(m).ngrams(ngrams);
            long t0 = System.nanoTime();
            vectorizer.adapt(trainTexts);
            // the model's input is the vocabulary's size: max_tokens on a corpus as large as the book's
            int features = vectorizer.vocabularySize();
            System.out.printf(Locale.ROOT, "%s %d-gram vocabulary: %d terms (adapt %.1fs)%n", m, ngrams, features,
                    (System.nanoTime() - t0) / 1e9);
            Sequential model = model(features, hidden, classes);
            model.compile("rmsprop", classes == 2 ? "binary_crossentropy" : "sparse_categorical_crossentropy", "accuracy");
            if (m.equals(modes.get(0))) model.summary();
            for (int e = 1; e <= epochs; e++) {
                long s = System.nanoTime();
                double[] t = pass(model, vectorizer, train, true);
                double[] v = pass(model, vectorizer, val, false);
                System.out.printf(Locale.ROOT, "Epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f%n",
                        e, epochs, (System.nanoTime() - s) / 1e9, t[0], t[1], v[0], v[1]);
            }
            double[] r = pass(model, vectorizer, test, false);
            System.out.printf(Locale.ROOT, "%s_%dgram test_accuracy: %.4f%n", m, ngrams, r[1]);
            last = model;
            lastVectorizer = vectorizer;
        }
        // the book's inference model: raw strings in, the vectorizer, the trained model
        // a batch of strings, shape (None,): Keras's TextVectorization gives (None, depth) for it, where a (None, 1)
        // input would give Keras's symbolic (None, 1, depth), which the nested model's input refuses on load
        InputLayer text = new InputLayer().dtype("string");
        text.name("text");
        KerasTensor in = text.tensor();
        Model inference = new Model(List.of(in), List.of(last.apply(lastVectorizer.apply(in))), "inference");
        if (classes == 2) {
            String sample = "That was an excellent movie, I loved it.";
            double p = last.predict(lastVectorizer.apply(sample)).getDouble(0);
            System.out.printf(Locale.ROOT, "%.2f percent %s: \"%s\"%n", 100 * p, train.classNames().get(1), sample);
        }
        ExampleSupport.save(args, inference);
    }

    /** Sample-weighted mean loss and accuracy over one pass, training or evaluating batch by batch. */
    private static double[] pass(Model model, TextVectorization vectorizer, TextDataset ds, boolean train) {
        double[] sum = new double[2];
        long n = 0;
        for (TextDataset.Batch b : ds) {
            INDArray x = vectorizer.apply(b.texts());
            double[] r = train ? model.trainOnBatch(x, b.y()) : model.testOnBatch(x, b.y());
            long m = x.size(0);
            sum[0] += r[0] * m;
            sum[1] += r[1] * m;
            n += m;
        }
        return n == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {sum[0] / n, sum[1] / n};
    }
}
