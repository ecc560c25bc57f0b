package org.cornu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cornu.core.Cornu;
import org.cornu.datasets.DatasetFiles;
import org.cornu.datasets.Mnist;
import org.cornu.datasets.Npz;
import org.cornu.testing.KerasNpz;
import org.cornu.testing.RealData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every example through the launcher, as a user runs it, for one short epoch on small data:
 * options are checked against each example's list, {@code --batch-size} changes the steps per
 * epoch the progress output shows ({@code steps/steps}), and the Keras-dataset examples read
 * {@code --data FILE} with no network and no word index. The small files are cut from the real
 * ones in {@code $CORNU_DATASETS} (MNIST, Reuters; Boston is read whole) or, for IMDB (no copy on
 * this network), written here in {@code imdb.npz}'s format.
 */
class ExamplesLauncherTest {
    @TempDir
    Path dir;

    private String oldDatasets;
    private String oldCache;

    /** No dataset folder and an empty cache: nothing but {@code --data} can be found, nothing is downloaded silently. */
    @BeforeEach
    void isolate() throws Exception {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        oldDatasets = System.getProperty(DatasetFiles.PROP_DATASETS);
        oldCache = System.getProperty(DatasetFiles.PROP_CACHE_DIR);
        System.setProperty(DatasetFiles.PROP_DATASETS, Files.createDirectories(dir.resolve("no-datasets")).toString());
        System.setProperty(DatasetFiles.PROP_CACHE_DIR, Files.createDirectories(dir.resolve("empty-cache")).toString());
    }

    @AfterEach
    void restore() {
        restore(DatasetFiles.PROP_DATASETS, oldDatasets);
        restore(DatasetFiles.PROP_CACHE_DIR, oldCache);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    private static String run(String... argv) throws Exception {
        return Vgg16TransferTest.run(argv);
    }

    /** The steps per epoch of every epoch line of the progress output ({@code 5/5 [====...] - ...} or {@code 5/5 - 1s - ...}). */
    private static List<Integer> steps(String out) {
        List<Integer> r = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)/(\\d+) (\\[|- )").matcher(out);
        while (m.find()) {
            if (m.group(1).equals(m.group(2))) r.add(Integer.parseInt(m.group(1)));
        }
        return r;
    }

    private static String[] args(Object... a) {
        return Stream.of(a).map(String::valueOf).toArray(String[]::new);
    }

    // ------------------------------------------------------------------ options

    @Test
    void unknownOptionsAreRefusedNamingTheValidOnes() {
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> Examples.launch("mnist", "--epoch", "3"));
        assertTrue(e.getMessage().startsWith("mnist: unknown option --epoch (did you mean --epochs?)"), e.getMessage());
        assertTrue(e.getMessage().contains("Valid options: --epochs, --batch-size, --seed, --verbose, --data, --save, --load, --plot, --help"),
                e.getMessage());
        // an option of another example is unknown here too
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("mnist", "--maxlen", "100"));
        assertTrue(e.getMessage().contains("unknown option --maxlen"), e.getMessage());
        // a missing value, a stray argument, a malformed number, a value given to a flag
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("imdb-lstm", "--epochs"));
        assertEquals("imdb-lstm: --epochs needs a value: --epochs N", e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("boston", "--kfold-only", "3"));
        assertTrue(e.getMessage().startsWith("boston: unexpected argument '3'"), e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("custom-train-step", "--epochs", "two"));
        assertEquals("custom-train-step: --epochs expects an integer, got 'two'", e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("imdb-lstm", "--epochs", "0"));
        assertEquals("imdb-lstm: --epochs 0 is out of range (at least 1)", e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("timeseries", "--verbose", "3"));
        assertEquals("timeseries: --verbose 3 is out of range (0, 1 or 2)", e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("mnits"));
        assertTrue(e.getMessage().startsWith("Unknown example 'mnits'. Examples: mnist, imdb, "), e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> Examples.launch("imdb", "--data", dir.resolve("nope.npz").toString(),
                "--out", dir.toString()));
        assertTrue(e.getMessage().startsWith("--data " + dir.resolve("nope.npz") + ": no such file"), e.getMessage());
    }

    @Test
    void helpListsEachExamplesOptionsWithTheirDefaults() throws Exception {
        String h = run("imdb-lstm", "--help");
        assertTrue(h.contains("--data FILE") && h.contains("imdb.npz"), h);
        assertTrue(Pattern.compile("--maxlen N +reviews padded or cut to this many words \\(default 500\\)").matcher(h).find(), h);
        assertTrue(Pattern.compile("--batch-size N .*\\(default 128\\)").matcher(h).find(), h);
        assertTrue(Pattern.compile("--num-words N .*\\(default 10000\\)").matcher(h).find(), h);
        assertTrue(h.contains("the last 20% of the training reviews"), h);
        h = run("imdb", "--help");
        assertTrue(Pattern.compile("--batch-size N .*\\(default 512\\)").matcher(h).find(), h);
        assertTrue(h.contains("the first 10000 training reviews when there are Keras's 25000 (the book), else the first 40%"), h);
        // every example has help, and it lists every option its parser accepts
        for (String name : Examples.names()) {
            String text = run(name, "--help");
            assertTrue(text.startsWith(name + ": "), text);
            for (String o : Examples.specOf(name).options().keySet()) assertTrue(text.contains("--" + o), name + " --" + o);
        }
        String usage = run("--help");
        assertTrue(usage.contains("<example> --help") && usage.contains("unknown options are refused"), usage);
    }

    // ------------------------------------------------------------------ MNIST family

    /** The first 640 training and 200 test digits of the real mnist.npz, in its format. */
    private Path smallMnist() throws Exception {
        Mnist.Split m = Mnist.loadData(RealData.file("mnist.npz"));
        return KerasNpz.create()
                .uint8("x_test", new long[] {200, 28, 28}, bytes(m.xTest(), 200))
                .uint8("x_train", new long[] {640, 28, 28}, bytes(m.xTrain(), 640))
                .uint8("y_train", new long[] {640}, bytes(m.yTrain(), 640))
                .uint8("y_test", new long[] {200}, bytes(m.yTest(), 200))
                .write(dir.resolve("mnist-small.npz"));
    }

    private static byte[] bytes(INDArray a, int n) {
        INDArray part = a.get(NDArrayIndex.interval(0, n)).castTo(DataType.INT).dup('c');
        int[] v = part.data().asInt();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Test
    void mnistHonoursBatchSizeDataSaveAndLoad() throws Exception {
        Path data = smallMnist();
        String out = run(args("mnist", "--data", data, "--epochs", "1", "--batch-size", "64"));
        assertEquals(List.of(10), steps(out), out);                  // 640 / 64
        assertTrue(out.contains("Data: " + data.toAbsolutePath()), out);
        out = run(args("mnist", "--data", data, "--epochs", "2", "--batch-size", "160", "--save", dir.resolve("m.keras")));
        assertEquals(List.of(4, 4), steps(out), out);                // 2 epochs of 640 / 160
        assertTrue(out.contains("Saved the trained model to " + dir.resolve("m.keras").toAbsolutePath()), out);
        String accuracy = line(out, "test_accuracy: ");
        out = run(args("mnist", "--data", data, "--load", dir.resolve("m.keras")));
        assertTrue(out.contains("skipping training") && steps(out).isEmpty(), out);
        assertEquals(accuracy, line(out, "test_accuracy: "), "the loaded model evaluates as the saved one");
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + out));
    }

    @Test
    void convnetsAndActivationsOnSmallMnist() throws Exception {
        Path data = smallMnist();
        String out = run(args("mnist-convnet", "--data", data, "--epochs", "1", "--batch-size", "128"));
        assertEquals(List.of(5), steps(out), out);
        assertTrue(out.contains("Total params: 104,202") && out.contains("test_accuracy: "), out);
        out = run(args("mnist-convnet-book", "--data", data, "--epochs", "1", "--batch-size", "320", "--train-samples", "320"));
        assertEquals(List.of(1), steps(out), out);
        assertTrue(out.contains("Total params: 93,322"), out);
        out = run(args("activations", "--data", data, "--train-samples", "256", "--batch-size", "32", "--layers", "2",
                "--out", dir.resolve("act")));
        assertEquals(List.of(8), steps(out), out);
        assertTrue(out.contains("layers_visualized: 2"), out);
        try (Stream<Path> s = Files.list(dir.resolve("act"))) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().matches("activations_[12]_(conv2d|max_pooling2d)(_\\d+)?\\.png")).count(), out);
        }
    }

    // ------------------------------------------------------------------ IMDB, offline

    /**
     * 400 training and 200 test reviews in imdb.npz's format: 20 to 60 word indices (stored
     * before Keras's index_from=3 offset) of 3 to 3000, positive ones sprinkled with words 3..12,
     * negative ones with 13..22; labels alternate.
     */
    private Path imdbFile() throws Exception {
        Random r = new Random(7);
        int[][][] x = new int[2][][];
        int[][] y = new int[2][];
        for (int part = 0; part < 2; part++) {
            int n = part == 0 ? 400 : 200;
            x[part] = new int[n][];
            y[part] = new int[n];
            for (int i = 0; i < n; i++) {
                y[part][i] = i % 2;
                int len = 20 + r.nextInt(41);
                x[part][i] = new int[len];
                for (int t = 0; t < len; t++) {
                    x[part][i][t] = r.nextInt(4) == 0 ? 3 + 10 * (1 - y[part][i]) + r.nextInt(10) : 23 + r.nextInt(2978);
                }
            }
        }
        Path d = Files.createDirectories(dir.resolve("my-imdb"));
        return KerasNpz.create().sequences("x_test", x[1]).sequences("x_train", x[0]).int64("y_train", y[0]).int64("y_test", y[1])
                .write(d.resolve("reviews.npz"));
    }

    @Test
    void imdbReadsAnyFileOfflineWithoutAWordIndex() throws Exception {
        Path data = imdbFile();
        Path out = dir.resolve("charts");
        String text = run(args("imdb", "--data", data, "--epochs", "1", "--final-epochs", "1", "--batch-size", "60", "--out", out));
        assertTrue(text.contains("no imdb_word_index.json") && text.contains("none is downloaded"), text);
        // 40% of 400 held out; 240 left: 4 steps of 60, then 400 in 7 (the last of 40)
        assertTrue(text.contains("Training reviews: 400 (the first 160 held out for validation, 40%), test reviews: 200"), text);
        assertEquals(List.of(4, 7), steps(text), text);
        assertTrue(Files.exists(out.resolve("imdb_loss.png")) && Files.exists(out.resolve("imdb_accuracy.png")));
        assertTrue(text.contains("test_accuracy: "), text);
        try (Stream<Path> s = Files.list(dir.resolve("empty-cache"))) {
            assertEquals(0, s.count(), "nothing was downloaded");
        }
    }

    @Test
    void imdbDecodesWithAWordIndexBesideTheData() throws Exception {
        Path data = imdbFile();
        // rank r is word "w<r>"; the review's indices are rank + 3 (index_from), 1 is the start mark
        StringBuilder json = new StringBuilder("{");
        for (int rank = 1; rank <= 3000; rank++) json.append(rank > 1 ? ", " : "").append("\"w").append(rank).append("\": ").append(rank);
        Files.writeString(data.resolveSibling("imdb_word_index.json"), json.append('}'));
        String text = run(args("imdb", "--data", data, "--epochs", "1", "--final-epochs", "1", "--out", dir.resolve("charts")));
        String first = line(text, "First review, decoded with " + data.resolveSibling("imdb_word_index.json").toAbsolutePath() + ": ");
        // Keras's start_char (1) has no word: "?"; every other index decodes to a word
        assertTrue(first.contains(": ? w"), first);
        assertFalse(first.substring(first.indexOf(": ? w") + 4).contains("?"), first);
        assertEquals(List.of(1, 1), steps(text), text);             // batch 512 by default: one step each
    }

    @Test
    void imdbLstmReadsAnyFileAndHonoursItsOptions() throws Exception {
        Path data = imdbFile();
        String text = run(args("imdb-lstm", "--data", data, "--epochs", "1", "--maxlen", "50", "--num-words", "1000",
                "--batch-size", "40", "--out", dir.resolve("charts")));
        assertTrue(text.contains("no imdb_word_index.json"), text);
        assertTrue(text.contains("input_train shape: [400, 50]"), text);
        assertTrue(text.contains("32,000"), "Embedding(1000, 32): " + text);
        assertEquals(List.of(8), steps(text), text);                 // 320 after the 20% split, at 40
        assertTrue(text.contains("test_accuracy: "), text);
        text = run(args("imdb-lstm", "--data", data, "--epochs", "1", "--maxlen", "50", "--out", dir.resolve("charts")));
        assertEquals(List.of(3), steps(text), text);                 // the default 128
        assertTrue(text.contains("320,000"), "Embedding(10000, 32): " + text);
    }

    // ------------------------------------------------------------------ Reuters, Boston (real data)

    @Test
    void reutersOnAPartOfTheRealFile() throws Exception {
        int[][] x;
        int[] y;
        try (Npz npz = Npz.open(RealData.file("reuters.npz"))) {
            x = java.util.Arrays.copyOf(npz.getSequences("x"), 600);
            y = java.util.Arrays.copyOf(npz.get("y").castTo(DataType.INT).data().asInt(), 600);
        }
        Path data = KerasNpz.create().sequences("x", x).int64("y", y).write(dir.resolve("reuters-600.npz"));
        String text = run(args("reuters", "--data", data, "--epochs", "1", "--final-epochs", "1", "--batch-size", "144",
                "--out", dir.resolve("charts")));
        // 480 training newswires (Keras's 0.2 test split), 48 held out (10%): 432 = 3 x 144, then all 480 in 4
        assertTrue(text.contains("Training newswires: 480, test: 120"), text);
        assertTrue(text.contains("Validation: the first 48 training newswires (10%)"), text);
        assertEquals(List.of(3, 4), steps(text), text);
        assertTrue(text.contains("random_baseline_accuracy: ") && text.contains("sparse_labels_test_accuracy: "), text);
    }

    @Test
    void bostonOnTheRealFile() throws Exception {
        String text = run(args("boston", "--data", RealData.file("boston_housing.npz"), "--epochs", "1", "--kfold-only",
                "--batch-size", "101", "--verbose", "1"));
        // 404 training rows, 4 folds of 303 training rows: 3 steps of 101 each
        assertEquals(List.of(3, 3, 3, 3), steps(text), text);
        assertTrue(text.contains("4-fold validation, 1 epochs at batch 101") && text.contains("kfold_mae: "), text);
        text = run(args("boston", "--data", RealData.file("boston_housing.npz"), "--epochs", "1", "--long-epochs", "2",
                "--final-epochs", "1", "--batch-size", "64", "--final-batch-size", "202", "--out", dir.resolve("charts")));
        assertTrue(steps(text).isEmpty(), "verbose 0 by default: " + text);
        assertTrue(text.contains("test_mae: ") && Files.exists(dir.resolve("charts").resolve("boston_val_mae.png")), text);
        text = run(args("boston", "--data", RealData.file("boston_housing.npz"), "--epochs", "1", "--long-epochs", "1",
                "--final-epochs", "1", "--batch-size", "303", "--final-batch-size", "202", "--verbose", "1"));
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 2), steps(text), text); // 4 folds twice at 303, then 404 at 202
    }

    // ------------------------------------------------------------------ generated data

    @Test
    void timeseriesAndCustomTrainStep() throws Exception {
        String text = run(args("timeseries", "--epochs", "1", "--batch-size", "4096", "--verbose", "1", "--out", dir.resolve("c")));
        assertEquals(List.of(3, 3, 3), steps(text), text);           // 11184 windows, three models
        assertTrue(text.contains("lstm_val_loss: ") && text.contains("last_value_val_loss: "), text);
        text = run("custom-train-step", "--epochs", "2", "--batch-size", "250");
        assertEquals(List.of(4, 4), steps(text), text);
        assertTrue(text.contains("History keys: [loss, mae]"), text);
        // --seed: the same seed trains to the same loss, another seed to another
        String a = line(run("custom-train-step", "--epochs", "1", "--seed", "5", "--verbose", "0"), "loss: ");
        String b = line(run("custom-train-step", "--epochs", "1", "--seed", "5", "--verbose", "0"), "loss: ");
        String c = line(run("custom-train-step", "--epochs", "1", "--seed", "6", "--verbose", "0"), "loss: ");
        assertEquals(a, b);
        assertFalse(a.equals(c), a + " vs " + c);
    }

    @Test
    void catsVsDogsOnAGeneratedFolder() throws Exception {
        Path data = Vgg16TransferTest.folder(dir);
        String text = run(args("cats-vs-dogs", "--data", data, "--image-size", "64", "--epochs", "1", "--batch-size", "4",
                "--save", dir.resolve("cd.keras")));
        assertTrue(text.contains("classes [cats, dogs], 8 training and 4 validation images"), text);
        assertTrue(text.contains("Epoch 1/1 - ") && text.contains("val_accuracy: "), text);
        text = run(args("cats-vs-dogs", "--data", data, "--image-size", "64", "--load", dir.resolve("cd.keras")));
        assertTrue(text.contains("skipping training") && !text.contains("Epoch 1/"), text);
    }

    private static void texts(Path dir, String cls, String... texts) throws Exception {
        Files.createDirectories(dir.resolve(cls));
        for (int i = 0; i < texts.length; i++) Files.writeString(dir.resolve(cls).resolve("t" + i + ".txt"), texts[i]);
    }

    @Test
    void textFromDirectoryOnGeneratedFolders() throws Exception {
        Path data = dir.resolve("reviews");
        texts(data.resolve("train"), "neg", "A bad, boring film.", "Awful plot; bad acting.", "Boring and bad.", "Not good at all.");
        texts(data.resolve("train"), "pos", "A great, moving film!", "Great acting, great plot.", "Loved it: great.", "So good.");
        texts(data.resolve("test"), "neg", "Bad and boring.", "An awful film.");
        texts(data.resolve("test"), "pos", "Great film.", "Good acting.");
        Path saved = dir.resolve("text.keras");
        String text = run(args("text-from-directory", "--data", data, "--epochs", "2", "--batch-size", "4", "--save", saved));
        // no val/ folder: int(0.2 * 8) = 1 training file held out
        assertTrue(text.contains("classes [neg, pos], 7 training, 1 validation and 4 test texts"), text);
        assertEquals(List.of("1/2", "2/2", "1/2", "2/2"), epochLines(text), "two epochs per mode: " + text);
        assertTrue(text.contains("multi_hot_2gram test_accuracy: ") && text.contains("tf_idf_2gram test_accuracy: "), text);
        assertTrue(text.contains("percent pos: \"That was an excellent movie, I loved it.\""), text);
        // the book's inference model: a string input, the adapted TextVectorization (vocabulary in the assets), the model
        org.cornu.core.saving.KerasFileCheck.check(saved);
        org.cornu.core.Model m = org.cornu.core.saving.Models.loadModel(saved);
        org.cornu.layers.TextVectorization tv = (org.cornu.layers.TextVectorization) m.layers().stream()
                .filter(l -> l instanceof org.cornu.layers.TextVectorization).findFirst().orElseThrow();
        assertEquals("tf_idf", tv.getConfig().get("output_mode"));
        assertTrue(tv.getVocabulary().contains("great") && tv.getVocabulary().contains("bad acting"), tv.getVocabulary().toString());

        // three classes, no train/ folder: 20% held out, int labels and a softmax head
        Path three = dir.resolve("three");
        texts(three, "a", "alpha one", "alpha two", "alpha three", "alpha four", "alpha five");
        texts(three, "b", "beta one", "beta two", "beta three", "beta four", "beta five");
        texts(three, "c", "gamma one", "gamma two", "gamma three", "gamma four", "gamma five");
        text = run(args("text-from-directory", "--data", three, "--epochs", "1", "--batch-size", "5", "--mode", "tf_idf"));
        assertTrue(text.contains("classes [a, b, c], 12 training, 3 validation and 3 test texts"), text);
        assertTrue(text.contains("tf_idf_2gram test_accuracy: ") && !text.contains("multi_hot_2gram"), text);
        assertThrows(Args.UsageException.class, () -> run(args("text-from-directory", "--data", three, "--mode", "binary")));
    }

    /** The {@code e/E} of the example's own epoch lines ({@code Epoch 1/2 - 0.1s - loss: ...}). */
    private static List<String> epochLines(String out) {
        List<String> r = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^Epoch (\\d+/\\d+) - ").matcher(out);
        while (m.find()) r.add(m.group(1));
        return r;
    }
}
