package org.cornu.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Sequential;
import org.cornu.datasets.images.ImageDataset;
import org.cornu.datasets.images.ImageDatasets;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.Flatten;
import org.cornu.layers.MaxPooling2D;
import org.cornu.layers.RandomFlip;
import org.cornu.layers.RandomRotation;
import org.cornu.layers.RandomZoom;
import org.cornu.layers.Rescaling;
import org.cornu.optimizers.RMSprop;

/**
 * The book's cats-vs-dogs convnet trained from a folder of images: {@code --data DIR} holds {@code train/<class>/...}
 * (e.g. train/cats, train/dogs) and optionally {@code validation/<class>/...}; without a validation folder 20% of
 * train is held out (seed 1337). Augmentation layers (RandomFlip horizontal, RandomRotation 0.1, RandomZoom 0.2),
 * Rescaling 1/255, Conv2D 32/64/128/128 each followed by MaxPooling2D, Flatten, Dropout 0.5, Dense 512 relu,
 * Dense 1 sigmoid; RMSprop 1e-4, binary crossentropy. Images are decoded on a background thread while the model
 * trains. Options: --image-size N (150), --epochs N (30), --batch-size N (32), --seed N.
 */
final class CatsVsDogs {
    private CatsVsDogs() {}

    static Sequential model(int size) {
        return new Sequential(
                new RandomFlip("horizontal").inputShape(size, size, 3),
                new RandomRotation(0.1),
                new RandomZoom(0.2),
                new Rescaling(1.0 / 255),
                new Conv2D(32, 3, "relu"),
                new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"),
                new MaxPooling2D(2),
                new Conv2D(128, 3, "relu"),
                new MaxPooling2D(2),
                new Conv2D(128, 3, "relu"),
                new MaxPooling2D(2),
                new Flatten(),
                new Dropout(0.5),
                new Dense(512, "relu"),
                new Dense(1, "sigmoid"));
    }

    static void run(Args args) {
        String data = args.get("data");
        if (data == null) throw new IllegalArgumentException("cats-vs-dogs needs --data DIR with DIR/train/<class>/ image folders");
        int size = args.getInt("image-size");
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int seed = args.getInt("seed");
        Cornu.setSeed(seed);
        Cornu.chooseThreads();
        Path root = Path.of(data);
        ImageDataset train;
        ImageDataset val;
        if (Files.isDirectory(root.resolve("validation"))) {
            train = ImageDatasets.imageDatasetFromDirectory(root.resolve("train")).labelMode("binary")
                    .imageSize(size, size).batchSize(batchSize).seed(seed).build();
            val = ImageDatasets.imageDatasetFromDirectory(root.resolve("validation")).labelMode("binary")
                    .imageSize(size, size).batchSize(batchSize).shuffle(false).build();
        } else {
            ImageDataset[] tv = ImageDatasets.imageDatasetFromDirectory(root.resolve("train")).labelMode("binary")
                    .imageSize(size, size).batchSize(batchSize).seed(seed).validationSplit(0.2).subset("both").buildBoth();
            train = tv[0];
            val = tv[1];
        }
        System.out.printf("classes %s, %d training and %d validation images%n", train.classNames(), train.size(), val.size());

        org.cornu.core.Model model = ExampleSupport.loaded(args);
        if (model != null) {
            double[] v = val.size() > 0 ? mean(model, val, false) : new double[] {Double.NaN, Double.NaN};
            System.out.printf(Locale.ROOT, "val_accuracy: %.4f%n", v[1]);
            return;
        }
        Sequential built = model(size);
        built.compile(new RMSprop(1e-4), "binary_crossentropy", "accuracy");
        built.summary();
        model = built;
        double lastVal = Double.NaN;
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            double[] t = mean(model, train, true);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] v = val.size() > 0 ? mean(model, val, false) : new double[] {Double.NaN, Double.NaN};
            System.out.printf(Locale.ROOT, "Epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f%n",
                    e, epochs, seconds, t[0], t[1], v[0], v[1]);
            lastVal = v[1];
        }
        ExampleSupport.save(args, model);
        System.out.printf(Locale.ROOT, "val_accuracy: %.4f%n", lastVal);
    }

    /** Sample-weighted mean loss and accuracy over one pass, training or evaluating batch by batch. */
    private static double[] mean(org.cornu.core.Model model, ImageDataset ds, boolean train) {
        double[] sum = new double[2];
        long n = 0;
        try (ImageDataset.BatchIterator it = ds.iterator()) {
            while (it.hasNext()) {
                ImageDataset.Batch b = it.next();
                double[] r = train ? model.trainOnBatch(b.x(), b.y()) : model.testOnBatch(b.x(), b.y());
                long m = b.x().size(0);
                sum[0] += r[0] * m;
                sum[1] += r[1] * m;
                n += m;
            }
        }
        return new double[] {sum[0] / n, sum[1] / n};
    }
}
