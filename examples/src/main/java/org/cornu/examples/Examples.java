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

    private record Entry(String summary, Example example) {}

    private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("mnist", new Entry("MNIST digits, Dense 512 relu -> 10 softmax, rmsprop, 5 epochs at batch 128 (book 2.1)",
                MnistDense::run));
        EXAMPLES.put("imdb", new Entry("IMDB reviews, multi-hot 10000 -> 16 -> 16 -> 1 sigmoid, 20 epochs with charts, retrained 4 (book 4.1)",
                ImdbExample::run));
        EXAMPLES.put("reuters", new Entry("Reuters newswires, multi-hot 10000 -> 64 -> 64 -> 46 softmax, charts, retrained 9 (book 4.2)",
                ReutersExample::run));
        EXAMPLES.put("boston", new Entry("Boston housing regression, 4-fold validation at batch 1, smoothed MAE chart, final model (book 4.3)",
                BostonExample::run));
        EXAMPLES.put("timeseries", new Entry("Hourly series with daily and weekly seasonality: windows of 6 steps -> 24-step"
                + " forecast, Dense vs SimpleRNN(16) vs LSTM(16), mse, 500 epochs at batch 32", TimeSeries::run));
        EXAMPLES.put("imdb-lstm", new Entry("IMDB sentiment, Embedding 10000x32 -> LSTM 32 -> Dense 1, reviews padded to 500,"
                + " 10 epochs at batch 128 (book 6.2)", ImdbLstm::run));
        EXAMPLES.put("mnist-convnet", new Entry("MNIST convnet of the course notes, Conv2D 32-64-128 with max pooling, Dense 10,"
                + " rmsprop, sparse labels, 5 epochs at batch 64", MnistConvnet::runCourse));
        EXAMPLES.put("mnist-convnet-book", new Entry("MNIST convnet of the book (8.1), Conv2D 32-64-64, Dense 64, Dense 10,"
                + " rmsprop, sparse labels, 5 epochs at batch 64", MnistConvnet::runBook));
        EXAMPLES.put("activations", new Entry("Intermediate activations of the MNIST convnet for one digit, each channel as a tile,"
                + " one PNG per layer (book 5.4.1)", ActivationsExample::run));
        EXAMPLES.put("custom-train-step", new Entry("Keras's guide 'Customizing what happens in fit()': a Model subclass"
                + " with its own trainStep (GradientTape, MSE, Mean loss and MAE trackers), compile(\"adam\"), 5 epochs",
                CustomTrainStep::run));
        EXAMPLES.put("cats-vs-dogs", new Entry("Convnet from a folder (--data DIR with train/cats, train/dogs), augmentation,"
                + " Conv2D 32-64-128-128, Dropout 0.5, Dense 512, RMSprop 1e-4, 30 epochs at batch 32", CatsVsDogs::run));
        EXAMPLES.put("vgg16-features", new Entry("Fast feature extraction with a frozen VGG16 (book 8.3.1): --data DIR with"
                + " train/, validation/ (and test/) class folders, --weights PATH|imagenet (else random), features once,"
                + " then Flatten, Dense 256, Dropout 0.5, Dense 1; --image-size 180, 20 epochs", Vgg16Transfer::runFeatures));
        EXAMPLES.put("vgg16-finetune", new Entry("VGG16 with augmentation, frozen, then block5 fine-tuned with RMSprop 1e-5"
                + " (book 8.3.2): --data DIR, --weights PATH|imagenet (else random), --image-size 180, --epochs 3,"
                + " --fine-tune-epochs 2 (the book: 50 and 30)", Vgg16Transfer::runFineTune));
    }

    private Examples() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
            usage();
            return;
        }
        Entry e = EXAMPLES.get(argv[0]);
        if (e == null) {
            System.err.println("Unknown example '" + argv[0] + "'.");
            usage();
            System.exit(2);
        }
        Args args = new Args(Arrays.copyOfRange(argv, 1, argv.length));
        if (args.flag("help")) {
            System.out.println(argv[0] + ": " + e.summary());
            System.out.println("Options: --epochs N, --batch-size N, --seed N, --verbose 0|1|2, --out DIR (charts), --save PATH (.keras), --load PATH");
            return;
        }
        e.example().run(args);
    }

    private static void usage() {
        System.out.println("Usage: java -jar cornu-examples.jar <example> [options]");
        System.out.println();
        System.out.println("Examples:");
        for (Map.Entry<String, Entry> e : EXAMPLES.entrySet()) {
            System.out.printf("  %-20s %s%n", e.getKey(), e.getValue().summary());
        }
        System.out.println();
        System.out.println("Common options: --epochs N, --batch-size N, --seed N, --verbose 0|1|2, --out DIR,");
        System.out.println("                --save PATH (the trained model as .keras), --load PATH (skip training), --help");
        System.out.println("Data: Keras's dataset files are looked up in $CORNU_DATASETS, then ~/.keras/datasets, else downloaded.");
    }
}
