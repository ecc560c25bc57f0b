package org.cornu.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.utils.KFold;
import org.cornu.utils.Normalizer;
import org.cornu.core.Sequential;
import org.cornu.utils.Utils;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.BostonHousing;
import org.cornu.layers.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chapter 4.3 of the book: Boston house prices (regression). Features standardized with the
 * training statistics, Dense 64 relu, 64 relu, 1, rmsprop, mse, mae. 4-fold validation for 100
 * epochs at batch 1 (mean MAE), then 500 epochs with per-epoch validation MAE averaged over
 * folds and smoothed (chart), then a final model of 80 epochs at batch 16 on all training data
 * (book: test MAE 2.55). {@code --kfold-only} runs only the first part and prints {@code kfold_mae}.
 */
final class BostonExample {
    private BostonExample() {}

    static Sequential model() {
        Sequential m = new Sequential(
                new Dense(64, "relu").inputShape(13),
                new Dense(64, "relu"),
                new Dense(1));
        m.compile("rmsprop", "mse", "mae");
        return m;
    }

    static void run(Args args) {
        Cornu.setSeed(args.getInt("seed"));
        boolean kfoldOnly = args.flag("kfold-only");
        int kfoldEpochs = args.getInt("epochs");
        int longEpochs = args.getInt("long-epochs");
        int finalEpochs = args.getInt("final-epochs");
        Path out = ExampleSupport.outDir(args);

        int batchSize = args.getInt("batch-size");
        int finalBatchSize = args.getInt("final-batch-size");
        int verbose = args.getInt("verbose");
        java.nio.file.Path file = ExampleSupport.dataFile(args);
        BostonHousing.Split data = file == null ? BostonHousing.loadData()
                : BostonHousing.loadData(file, BostonHousing.TEST_SPLIT, org.cornu.datasets.Imdb.SEED);
        Normalizer norm = Normalizer.fit(data.xTrain());
        INDArray xTrain = norm.transform(data.xTrain()).castTo(DataType.FLOAT);
        INDArray xTest = norm.transform(data.xTest()).castTo(DataType.FLOAT);
        INDArray yTrain = data.yTrain().reshape(-1, 1).castTo(DataType.FLOAT);
        INDArray yTest = data.yTest().reshape(-1, 1).castTo(DataType.FLOAT);
        System.out.println("Training samples: " + xTrain.size(0) + ", test samples: " + xTest.size(0));

        org.cornu.core.Model saved = ExampleSupport.loaded(args);
        if (saved != null) {
            double[] r = saved.evaluate(xTest, yTest, Evaluate.verbose(0));
            System.out.printf(Locale.ROOT, "test_mse: %.4f%n", r[0]);
            System.out.printf(Locale.ROOT, "test_mae: %.4f%n", r[1]);
            return;
        }
        List<KFold.Fold> folds = KFold.split((int) xTrain.size(0), 4);
        long t0 = System.nanoTime();
        double sum = 0;
        for (KFold.Fold f : folds) {
            Sequential m = model();
            m.fit(f.train(xTrain), f.train(yTrain), Fit.epochs(kfoldEpochs).batchSize(batchSize).verbose(verbose));
            double mae = m.evaluate(f.val(xTrain), f.val(yTrain), Evaluate.verbose(0))[1];
            System.out.printf(Locale.ROOT, "fold %d: validation MAE %.3f%n", f.index(), mae);
            sum += mae;
        }
        double kfoldSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "4-fold validation, %d epochs at batch %d: %.1f s%n", kfoldEpochs, batchSize, kfoldSeconds);
        if (kfoldOnly) {
            System.out.printf(Locale.ROOT, "kfold_mae: %.4f%n", sum / folds.size());
            return;
        }
        System.out.printf(Locale.ROOT, "kfold_mae: %.4f%n", sum / folds.size());

        double[] avg = new double[longEpochs];
        for (KFold.Fold f : folds) {
            Sequential m = model();
            History h = m.fit(f.train(xTrain), f.train(yTrain),
                    Fit.epochs(longEpochs).batchSize(batchSize).validationData(f.val(xTrain), f.val(yTrain)).verbose(verbose));
            List<Double> v = h.get("val_mae");
            for (int e = 0; e < longEpochs; e++) avg[e] += v.get(e) / folds.size();
        }
        int best = 0;
        for (int e = 1; e < longEpochs; e++) if (avg[e] < avg[best]) best = e;
        System.out.printf(Locale.ROOT, "mean validation MAE is lowest at epoch %d: %.3f%n", best + 1, avg[best]);
        double[] tail = java.util.Arrays.copyOfRange(avg, Math.min(10, longEpochs - 1), longEpochs);
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("validation MAE (smoothed, from epoch 11)", Utils.smoothCurve(tail, 0.9));
        ExampleSupport.curves(curves, "Validation MAE by epoch", "Epochs", "Validation MAE", out.resolve("boston_val_mae.png"));

        Sequential finalModel = model();
        finalModel.fit(xTrain, yTrain, Fit.epochs(finalEpochs).batchSize(finalBatchSize).verbose(verbose));
        ExampleSupport.save(args, finalModel);
        double[] r = finalModel.evaluate(xTest, yTest, Evaluate.verbose(0));
        System.out.printf(Locale.ROOT, "test_mse: %.4f%n", r[0]);
        System.out.printf(Locale.ROOT, "test_mae: %.4f%n", r[1]);
    }
}
