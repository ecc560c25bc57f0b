package org.cornu.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher of {@code cornu-examples.jar}: the first argument names the example,
 * the rest are its options. {@code --help} lists the examples.
 */
public final class Examples {
    /** An example program. */
    interface Example {
        void run(Args args) throws Exception;
    }

    private record Entry(String summary, Example example, Args.Spec spec) {}

    private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

    private static Args.Spec spec() {
        return new Args.Spec();
    }

    static {
        EXAMPLES.put("mnist", new Entry("MNIST digits, Dense 512 relu -> 10 softmax, rmsprop, 5 epochs at batch 128 (book 2.1)",
                MnistDense::run, spec().epochs(5).batchSize(128).seed(42).verbose(1).data("mnist.npz").save().load()
                        .opt("plot", "PATH", null, "draw the model to PATH (Keras's plot_model; needs Graphviz's dot)")));
        EXAMPLES.put("imdb", new Entry("IMDB reviews, multi-hot 10000 -> 16 -> 16 -> 1 sigmoid, 20 epochs with charts, retrained 4 (book 4.1)",
                ImdbExample::run, spec().epochs(20).opt("final-epochs", "N", 4, "epochs of the model retrained on all training data")
                        .batchSize(512).seed(42).verbose(1).data("imdb.npz").out().save().load()
                        .note("Validation: the first " + ImdbExample.BOOK_VALIDATION + " training reviews when there are Keras's "
                                + ImdbExample.KERAS_TRAIN + " (the book), else the first "
                                + Math.round(100 * ImdbExample.VALIDATION_FRACTION) + "%.")
                        .note("The first review is printed decoded when imdb_word_index.json is beside --data FILE, in"
                                + " $CORNU_DATASETS or in ~/.keras/datasets; else as word indices (nothing is downloaded for it).")));
        EXAMPLES.put("reuters", new Entry("Reuters newswires, multi-hot 10000 -> 64 -> 64 -> 46 softmax, charts, retrained 9 (book 4.2)",
                ReutersExample::run, spec().epochs(20).opt("final-epochs", "N", 9, "epochs of the models retrained on all training data")
                        .batchSize(512).seed(42).verbose(1).data("reuters.npz").out().save().load()
                        .note("Validation: the first " + ReutersExample.BOOK_VALIDATION + " training newswires when there are Keras's "
                                + ReutersExample.KERAS_TRAIN + " (the book), else the first "
                                + Math.round(100 * ReutersExample.VALIDATION_FRACTION) + "%.")));
        EXAMPLES.put("text-transformer", new Entry("Reuters newswires decoded to text, TextVectorization, the book's Transformer encoder"
                + " (11.4): PositionalEmbedding and TransformerEncoder as custom layers, 46 topics, rmsprop, batch 32", TextTransformer::run,
                spec().epochs(6).batchSize(32).seed(42).verbose(1).data("reuters.npz")
                        .opt("max-tokens", "N", 20000, "TextVectorization's max_tokens (the vocabulary, padding and OOV included)")
                        .opt("sequence-length", "N", 200, "tokens per newswire, padded or cut at the end")
                        .opt("embed-dim", "N", 256, "embedding size").opt("dense-dim", "N", 32, "the encoder's feed-forward size")
                        .opt("num-heads", "N", 2, "attention heads").save().load()
                        .note("Validation: the first 1000 training newswires when there are Keras's 8982, else the first 10%.")
                        .note("Words from reuters_word_index.json beside --data FILE, in $CORNU_DATASETS or ~/.keras/datasets,"
                                + " else downloaded.")));
        EXAMPLES.put("boston", new Entry("Boston housing regression, 4-fold validation at batch 1, smoothed MAE chart, final model (book 4.3)",
                BostonExample::run, spec().opt("epochs", "N", 100, "epochs of each k-fold model")
                        .opt("long-epochs", "N", 500, "epochs of each fold's run for the validation-MAE curve")
                        .opt("final-epochs", "N", 80, "epochs of the final model on all training data")
                        .opt("batch-size", "N", 1, "batch size of the k-fold runs")
                        .opt("final-batch-size", "N", 16, "batch size of the final model")
                        .flag("kfold-only", "stop after the k-fold runs and print kfold_mae")
                        .seed(42).verbose(0).data("boston_housing.npz").out().save().load()));
        EXAMPLES.put("timeseries", new Entry("Hourly series with daily and weekly seasonality: windows of 6 steps -> 24-step"
                + " forecast, Dense vs SimpleRNN(16) vs LSTM(16), mse, 500 epochs at batch 32", TimeSeries::run,
                spec().epochs(500).batchSize(32).seed(42).verbose(0).out().save().load()));
        EXAMPLES.put("imdb-lstm", new Entry("IMDB sentiment, Embedding 10000x32 -> LSTM 32 -> Dense 1, reviews padded to 500,"
                + " 10 epochs at batch 128, 20% held out (book 6.2)", ImdbLstm::run,
                spec().epochs(10).batchSize(128).opt("maxlen", "N", 500, "reviews padded or cut to this many words")
                        .opt("num-words", "N", 10000, "the most frequent words kept (Embedding's input_dim)")
                        .seed(42).verbose(1).data("imdb.npz").out().save().load()
                        .note("Validation: the last 20% of the training reviews (validation_split=0.2, as the book).")));
        EXAMPLES.put("mnist-convnet", new Entry("MNIST convnet of the course notes, Conv2D 32-64-128 with max pooling, Dense 10,"
                + " rmsprop, sparse labels, 5 epochs at batch 64", MnistConvnet::runCourse, convnetSpec()));
        EXAMPLES.put("mnist-convnet-book", new Entry("MNIST convnet of the book (8.1), Conv2D 32-64-64, Dense 64, Dense 10,"
                + " rmsprop, sparse labels, 5 epochs at batch 64", MnistConvnet::runBook, convnetSpec()));
        EXAMPLES.put("activations", new Entry("Intermediate activations of the MNIST convnet for one digit, each channel as a tile,"
                + " one PNG per layer (book 5.4.1)", ActivationsExample::run,
                spec().epochs(1).batchSize(64).opt("train-samples", "N", 12000, "train the convnet on the first N images")
                        .opt("layers", "N", 4, "how many layers to draw").opt("scale", "N", 4, "pixels per activation")
                        .seed(42).verbose(1).data("mnist.npz").out().save().load()));
        EXAMPLES.put("custom-train-step", new Entry("Keras's guide 'Customizing what happens in fit()': a Model subclass"
                + " with its own trainStep (GradientTape, MSE, Mean loss and MAE trackers), compile(\"adam\"), 5 epochs",
                CustomTrainStep::run, spec().epochs(5).batchSize(32).seed(42).verbose(1)));
        EXAMPLES.put("cats-vs-dogs", new Entry("Convnet from a folder (--data DIR with train/cats, train/dogs), augmentation,"
                + " Conv2D 32-64-128-128, Dropout 0.5, Dense 512, RMSprop 1e-4, 30 epochs at batch 32", CatsVsDogs::run,
                spec().opt("data", "DIR", null, "required: DIR/train/<class>/ image folders, optionally DIR/validation/<class>/"
                                + " (else 20% of train is held out)")
                        .opt("image-size", "N", 150, "images resized to N x N").epochs(30).batchSize(32).seed(1337).save().load()));
        EXAMPLES.put("vgg16-features", new Entry("Fast feature extraction with a frozen VGG16 (book 8.3.1): --data DIR with"
                + " train/, validation/ (and test/) class folders, --weights PATH|imagenet (else random), features once,"
                + " then Flatten, Dense 256, Dropout 0.5, Dense 1; --image-size 180, 20 epochs", Vgg16Transfer::runFeatures,
                vggSpec().epochs(20).batchSize(32).seed(1337).verbose(2).out().save()));
        EXAMPLES.put("vgg16-finetune", new Entry("VGG16 with augmentation, frozen, then block5 fine-tuned with RMSprop 1e-5"
                + " (book 8.3.2): --data DIR, --weights PATH|imagenet (else random), --image-size 180, --epochs 3,"
                + " --fine-tune-epochs 2 (the book: 50 and 30)", Vgg16Transfer::runFineTune,
                vggSpec().opt("epochs", "N", 3, "epochs with the base frozen (the book: 50)")
                        .opt("fine-tune-epochs", "N", 2, "epochs with block5 unfrozen, RMSprop(1e-5) (the book: 30)")
                        .batchSize(32).seed(1337).save()));
        EXAMPLES.put("text-from-directory", new Entry("Bag-of-bigrams text classifiers (book 11.3.1): textDatasetFromDirectory on"
                + " --data DIR of class folders of .txt files, TextVectorization(max_tokens=20000, ngrams=2) multi_hot then tf_idf,"
                + " Dense 16 relu, Dropout 0.5, sigmoid or softmax head, rmsprop, 10 epochs at batch 32", TextFromDirectory::run,
                spec().opt("data", "DIR", null, "required: DIR/train/<class>/*.txt (with DIR/val or DIR/validation and DIR/test"
                                + " when present, as the book's aclImdb), or DIR/<class>/*.txt with 20% held out")
                        .opt("mode", "MODE", "both", "multi_hot, tf_idf or both (one model each)")
                        .opt("max-tokens", "N", 20000, "TextVectorization's max_tokens")
                        .opt("ngrams", "N", 2, "ngrams from 1 to N")
                        .opt("hidden", "N", 16, "units of the hidden Dense layer")
                        .epochs(10).batchSize(32).seed(1337).save()
                        .note("--save PATH saves the last model as the book's inference model: a string input, the adapted"
                                + " TextVectorization (its vocabulary in the .keras assets) and the trained model.")));
    }

    private static Args.Spec convnetSpec() {
        return spec().epochs(5).batchSize(64).opt("train-samples", "N", 60000, "train on the first N images only (quick timings)")
                .seed(42).verbose(1).data("mnist.npz").save().load()
                .opt("plot", "PATH", null, "draw the model to PATH (Keras's plot_model; needs Graphviz's dot)");
    }

    private static Args.Spec vggSpec() {
        return spec().opt("data", "DIR", null, "required: DIR/train/<class>/ and DIR/validation/<class>/ image folders,"
                        + " optionally DIR/test/<class>/")
                .opt("weights", "PATH|imagenet", null, "VGG16 weights without the top (Keras's"
                        + " vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5); imagenet: Keras's cache, downloaded if absent;"
                        + " not given: a randomly initialized base")
                .opt("image-size", "N", 180, "images resized to N x N");
    }

    private Examples() {}

    /**
     * Runs an example from the command line: {@code java -jar cornu-examples.jar mnist --epochs 2}, or
     * {@code --help} for the list. A usage error prints its message to stderr and exits with status 2.
     *
     * @param argv the example's name, then its options
     * @throws Exception whatever the example throws
     */
    public static void main(String[] argv) throws Exception {
        try {
            launch(argv);
        } catch (Args.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Runs the example {@code argv[0]} with the options that follow, or prints help.
     *
     * @throws Args.UsageException for an unknown example or option, or a bad value
     */
    static void launch(String... argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
            usage();
            return;
        }
        Entry e = EXAMPLES.get(argv[0]);
        if (e == null) {
            throw new Args.UsageException("Unknown example '" + argv[0] + "'. Examples: " + String.join(", ", EXAMPLES.keySet())
                    + " (java -jar cornu-examples.jar --help describes them)");
        }
        Args args = new Args(argv[0], e.spec(), Arrays.copyOfRange(argv, 1, argv.length));
        if (args.helpRequested()) {
            System.out.println(argv[0] + ": " + e.summary());
            System.out.println("Options:");
            System.out.print(e.spec().help());
            return;
        }
        e.example().run(args);
    }

    /** The options {@code example} takes (for tests). */
    static Args.Spec specOf(String example) {
        return EXAMPLES.get(example).spec();
    }

    /** The examples' names, in the launcher's order. */
    static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(EXAMPLES.keySet());
    }

    private static void usage() {
        System.out.println("Usage: java -jar cornu-examples.jar <example> [options]");
        System.out.println();
        System.out.println("Examples:");
        for (Map.Entry<String, Entry> e : EXAMPLES.entrySet()) {
            System.out.printf("  %-20s %s%n", e.getKey(), e.getValue().summary());
        }
        System.out.println();
        System.out.println("Each example lists its options and their defaults with: <example> --help. Most take --epochs N,");
        System.out.println("--batch-size N, --seed N, --verbose 0|1|2, --save PATH (the trained model as .keras), --load PATH");
        System.out.println("(skip training), --out DIR (charts); unknown options are refused.");
        System.out.println("Data: --data FILE reads your own file in the format of Keras's; else Keras's file is looked up in");
        System.out.println("$CORNU_DATASETS, then ~/.keras/datasets, else downloaded (and its hash checked).");
    }
}
