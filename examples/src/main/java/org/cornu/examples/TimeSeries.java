package org.cornu.examples;

import java.util.List;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.LSTM;
import org.cornu.layers.SimpleRNN;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Traffic-style forecasting: an hourly series with daily and weekly seasonality plus noise
 * (generated, seeded), windows of 6 steps shaped {@code (1, 6)} forecasting the next 24 steps.
 * Dense vs SimpleRNN(16) vs LSTM(16), adam, mse, batch 32; 11184 training windows. Prints the
 * validation losses of the three models, of predicting the last value, and the LSTM's epoch time.
 */
final class TimeSeries {
    static final int WINDOW = 6, HORIZON = 24, TRAIN = 11184, VAL = 2784;

    private TimeSeries() {}

    /** The series: 10 + 4 sin(daily) + 2 sin(weekly) + a weekend dip + gaussian noise, standardized. */
    static double[] series(long seed, int n) {
        java.util.Random r = new java.util.Random(seed);
        double[] s = new double[n];
        for (int t = 0; t < n; t++) {
            double day = 2 * Math.PI * (t % 24) / 24.0, week = 2 * Math.PI * (t % 168) / 168.0;
            boolean weekend = (t / 24) % 7 >= 5;
            s[t] = 10 + 4 * Math.sin(day - 1.2) + 2 * Math.sin(week) - (weekend ? 2.5 : 0) + 0.8 * r.nextGaussian();
        }
        double mean = 0, sq = 0;
        int m = TRAIN + WINDOW + HORIZON - 1;
        for (int t = 0; t < m; t++) mean += s[t];
        mean /= m;
        for (int t = 0; t < m; t++) sq += (s[t] - mean) * (s[t] - mean);
        double sd = Math.sqrt(sq / m);
        for (int t = 0; t < n; t++) s[t] = (s[t] - mean) / sd;
        return s;
    }

    /** Windows starting at {@code from}: x {@code (count, 1, 6)}, y {@code (count, 24)}. */
    static INDArray[] windows(double[] s, int from, int count) {
        float[] x = new float[count * WINDOW], y = new float[count * HORIZON];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < WINDOW; j++) x[i * WINDOW + j] = (float) s[from + i + j];
            for (int j = 0; j < HORIZON; j++) y[i * HORIZON + j] = (float) s[from + i + WINDOW + j];
        }
        return new INDArray[] {Nd4j.create(x, new long[] {count, 1, WINDOW}), Nd4j.create(y, new long[] {count, HORIZON})};
    }

    static void run(Args args) {
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int verbose = args.getInt("verbose");
        int seed = args.getInt("seed");
        Cornu.setSeed(seed);
        double[] s = series(seed, TRAIN + VAL + 2 * (WINDOW + HORIZON));
        INDArray[] train = windows(s, 0, TRAIN);
        INDArray[] val = windows(s, TRAIN + WINDOW + HORIZON - 1, VAL);

        // baseline: repeat the last value of the window
        INDArray last = val[0].get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(WINDOW - 1)).reshape(VAL, 1);
        double naive = val[1].subColumnVector(last).norm2Number().doubleValue();
        naive = naive * naive / ((double) VAL * HORIZON);

        org.cornu.core.Model saved = ExampleSupport.loaded(args);
        if (saved != null) {
            System.out.printf(Locale.ROOT, "last_value_val_loss: %.4f%n", naive);
            System.out.printf(Locale.ROOT, "val_loss: %.4f%n", saved.evaluate(val[0], val[1], Evaluate.verbose(0))[0]);
            return;
        }
        String[] names = {"dense", "simple_rnn", "lstm"};
        java.util.Map<String, double[]> curves = new java.util.LinkedHashMap<>();
        double[] valLoss = new double[3];
        double lstmEpochSeconds = 0;
        for (int k = 0; k < 3; k++) {
            Sequential model = switch (k) {
                case 0 -> new Sequential(new Flatten().inputShape(1, WINDOW), new Dense(16, "relu"), new Dense(HORIZON));
                case 1 -> new Sequential(new SimpleRNN(16).inputShape(1, WINDOW), new Dense(HORIZON));
                default -> new Sequential(new LSTM(16).inputShape(1, WINDOW), new Dense(HORIZON));
            };
            model.compile("adam", "mse");
            long t0 = System.nanoTime();
            History h = model.fit(train[0], train[1], Fit.epochs(epochs).batchSize(batchSize).validationData(val[0], val[1])
                    .verbose(verbose));
            double sec = (System.nanoTime() - t0) / 1e9 / epochs;
            List<Double> vl = h.get("val_loss");
            valLoss[k] = model.evaluate(val[0], val[1], Evaluate.verbose(0))[0];
            System.out.printf(Locale.ROOT, "%s: val_loss after epoch 1: %.4f, best: %.4f, %.3f s/epoch (incl. validation)%n", names[k],
                    vl.get(0), vl.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), sec);
            if (k == 2) lstmEpochSeconds = sec;
            curves.put(names[k] + " validation loss", vl.stream().mapToDouble(Double::doubleValue).toArray());
            if (k == 2) ExampleSupport.save(args, model);
        }
        ExampleSupport.curves(curves, "Validation loss (mse) by epoch", "Epochs", "Validation loss",
                ExampleSupport.outDir(args).resolve("timeseries_val_loss.png"));
        // text chart of the final validation losses
        double max = Math.max(naive, Math.max(valLoss[0], Math.max(valLoss[1], valLoss[2])));
        System.out.printf(Locale.ROOT, "%-12s %s %.4f%n", "last_value", "#".repeat((int) Math.round(50 * naive / max)), naive);
        for (int k = 0; k < 3; k++) {
            System.out.printf(Locale.ROOT, "%-12s %s %.4f%n", names[k], "#".repeat((int) Math.round(50 * valLoss[k] / max)), valLoss[k]);
        }
        System.out.printf(Locale.ROOT, "lstm_seconds_per_epoch: %.3f%n", lstmEpochSeconds);
        System.out.printf(Locale.ROOT, "last_value_val_loss: %.4f%n", naive);
        System.out.printf(Locale.ROOT, "dense_val_loss: %.4f%n", valLoss[0]);
        System.out.printf(Locale.ROOT, "simple_rnn_val_loss: %.4f%n", valLoss[1]);
        System.out.printf(Locale.ROOT, "lstm_val_loss: %.4f%n", valLoss[2]);
    }
}
