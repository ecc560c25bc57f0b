package org.cornu.benchmarks;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.FastPaths;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.DatasetFiles;
import org.cornu.datasets.Imdb;
import org.cornu.datasets.Reuters;
import org.cornu.datasets.SequenceSplit;
import org.cornu.layers.Dense;
import org.cornu.layers.Embedding;
import org.cornu.layers.LSTM;
import org.cornu.optimizers.RMSprop;
import org.cornu.utils.PadSequences;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The seed study of the IMDB-LSTM example's model on the closest real data on this network
 * (Keras's {@code reuters.npz}; {@code imdb.npz} cannot be had here): a binary task, the two
 * largest topics ("earn", label 3, against "acq", label 4) of Keras's Reuters split
 * ({@code num_words=10000}), sequences padded or cut to 200 words (Keras's "pre"), then
 * Embedding(10000, 32) -> LSTM(32) -> Dense(1, sigmoid), RMSprop(1e-3, rho 0.9, eps 1e-7),
 * binary crossentropy, batch 128, 10 epochs, the last 20% of training data held out for
 * validation, shuffled every epoch. To keep ten seeds of three runs within a shared two-core machine's
 * budget, the first 3000 training sequences of the two topics ({@code --train N}) are used (2400
 * fitted, 600 validation); the test set is the whole test split of the two topics (1287). {@code lstm_seed_study.py} in {@code benchmarks/scripts/}
 * runs the same in PyTorch on the data this program writes.
 *
 * <p>With {@code --imdb FILE} (a file in the format of Keras's {@code imdb.npz}, e.g. the
 * tester's 5,000-review subset) the study runs on IMDB instead: Keras's {@code load_data(num_words=10000)}
 * of that file, its labels as they are, everything else the same.
 *
 * <p>Usage: {@code LstmSeedStudy DATA_FILE [--seeds 0-9] [--fast on|off] [--epochs 10] [--train 3000] [--imdb FILE]}; writes
 * the prepared data to DATA_FILE (int32, for the PyTorch script) and prints one CSV line per
 * seed and epoch: {@code lib,seed,epoch,loss,acc,val_loss,val_acc}, then
 * {@code lib,seed,test,test_loss,test_acc}. Needs {@code CORNU_DATASETS}.
 */
public final class LstmSeedStudy {
    /** The two topics of the binary task: label 1 for "earn" (3), 0 for "acq" (4). */
    static final int POSITIVE = 3, NEGATIVE = 4, MAXLEN = 200, WORDS = 10000;

    private LstmSeedStudy() {}

    /**
     * Runs the study and prints its CSV lines.
     *
     * @param argv {@code DATA_FILE} and the options listed above
     * @throws Exception if the data cannot be read or written
     */
    public static void main(String[] argv) throws Exception {
        Path dataFile = Path.of(argv[0]);
        int from = 0, to = 9, epochs = 10, limit = 3000;
        boolean fast = true;
        Path imdb = null;
        for (int i = 1; i < argv.length; i += 2) {
            switch (argv[i]) {
                case "--seeds" -> {
                    String[] p = argv[i + 1].split("-");
                    from = Integer.parseInt(p[0]);
                    to = Integer.parseInt(p[p.length - 1]);
                }
                case "--fast" -> fast = argv[i + 1].equals("on");
                case "--epochs" -> epochs = Integer.parseInt(argv[i + 1]);
                case "--train" -> limit = Integer.parseInt(argv[i + 1]);
                case "--imdb" -> imdb = Path.of(argv[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        Cornu.setNumThreads(1);
        FastPaths.FLOAT32_LSTM.setEnabled(fast);
        String lib = fast ? "cornu_fast" : "cornu_general";

        SequenceSplit s = imdb != null
                ? Imdb.loadData(imdb, WORDS, 0, null, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM)
                : Reuters.loadData(DatasetFiles.get(Reuters.FILE_NAME, Reuters.ORIGIN, Reuters.SHA256), WORDS, 0, null,
                        Reuters.TEST_SPLIT, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM);
        int[][][] train = imdb != null ? new int[][][] {s.xTrain(), {s.yTrain()}} : binary(s.xTrain(), s.yTrain());
        if (limit < train[0].length) {
            train = new int[][][] {java.util.Arrays.copyOf(train[0], limit), {java.util.Arrays.copyOf(train[1][0], limit)}};
        }
        int[][][] test = imdb != null ? new int[][][] {s.xTest(), {s.yTest()}} : binary(s.xTest(), s.yTest());
        INDArray xTrain = PadSequences.maxlen(MAXLEN).apply(train[0]);
        INDArray xTest = PadSequences.maxlen(MAXLEN).apply(test[0]);
        INDArray yTrain = column(train[1][0]);
        INDArray yTest = column(test[1][0]);
        write(dataFile, xTrain, train[1][0], xTest, test[1][0]);
        System.out.printf(Locale.ROOT, "# %s: train %d (positives %d), test %d (positives %d), maxlen %d%n",
                imdb != null ? "imdb " + imdb : "reuters binary earn(1) vs acq(0)", train[0].length, sum(train[1][0]), test[0].length, sum(test[1][0]), MAXLEN);

        for (int seed = from; seed <= to; seed++) {
            Cornu.clearSession();
            Cornu.setSeed(seed);
            Sequential m = new Sequential(new Embedding(WORDS, 32).inputShape(MAXLEN), new LSTM(32), new Dense(1, "sigmoid"));
            m.compile(new RMSprop(1e-3), "binary_crossentropy", "acc");
            History h = m.fit(xTrain, yTrain, Fit.epochs(epochs).batchSize(128).validationSplit(0.2).verbose(0));
            for (int e = 0; e < epochs; e++) {
                System.out.printf(Locale.ROOT, "%s,%d,%d,%.5f,%.5f,%.5f,%.5f%n", lib, seed, e + 1, h.get("loss").get(e),
                        h.get("acc").get(e), h.get("val_loss").get(e), h.get("val_acc").get(e));
            }
            double[] r = m.evaluate(xTest, yTest, Evaluate.batchSize(128).verbose(0));
            System.out.printf(Locale.ROOT, "%s,%d,test,%.5f,%.5f%n", lib, seed, r[0], r[1]);
            System.out.flush();
        }
    }

    /** The sequences of the two topics, in order, and their 0/1 labels. */
    static int[][][] binary(int[][] x, int[] y) {
        List<int[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (y[i] == POSITIVE || y[i] == NEGATIVE) {
                xs.add(x[i]);
                ys.add(y[i] == POSITIVE ? 1 : 0);
            }
        }
        return new int[][][] {xs.toArray(new int[0][]), {ys.stream().mapToInt(Integer::intValue).toArray()}};
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) s += v;
        return s;
    }

    private static INDArray column(int[] labels) {
        float[] f = new float[labels.length];
        for (int i = 0; i < labels.length; i++) f[i] = labels[i];
        return Nd4j.create(f, new long[] {labels.length, 1}, 'c');
    }

    /** int32 little-endian: nTrain, nTest, maxlen, xTrain, yTrain, xTest, yTest. */
    private static void write(Path file, INDArray xTrain, int[] yTrain, INDArray xTest, int[] yTest) throws IOException {
        int[] a = xTrain.castTo(DataType.INT).dup('c').data().asInt();
        int[] b = xTest.castTo(DataType.INT).dup('c').data().asInt();
        ByteBuffer buf = ByteBuffer.allocate(4 * (3 + a.length + yTrain.length + b.length + yTest.length)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(yTrain.length).putInt(yTest.length).putInt(MAXLEN);
        for (int[] part : new int[][] {a, yTrain, b, yTest}) for (int v : part) buf.putInt(v);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream o = new DataOutputStream(Files.newOutputStream(tmp))) {
            o.write(buf.array());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
