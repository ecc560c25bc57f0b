package org.cornu.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cornu.applications.VGG16;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.images.ImageDataset;
import org.cornu.datasets.images.ImageDatasets;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.Flatten;
import org.cornu.layers.RandomFlip;
import org.cornu.layers.RandomRotation;
import org.cornu.layers.RandomZoom;
import org.cornu.optimizers.RMSprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The book's transfer learning with a pretrained VGG16 (Deep Learning with Python, 8.3), on a
 * folder of images: {@code --data DIR} holds {@code train/<class>/...} and
 * {@code validation/<class>/...} (two classes, e.g. cats and dogs) and optionally
 * {@code test/<class>/...}. {@code --weights PATH} names the VGG16 weights without the top
 * (Keras's {@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5}); {@code --weights imagenet}
 * takes them from Keras's cache {@code ~/.keras/models/}, downloading them if absent; without
 * {@code --weights} the base is randomly initialized (the program says so), which runs the same
 * code but learns little.
 *
 * <ul>
 *   <li>{@code vgg16-features}: "fast feature extraction without data augmentation": the frozen
 *       base's {@code predict} turns every image (preprocessed by {@code VGG16.preprocessInput})
 *       into a (5, 5, 512) feature map once; then Flatten, Dense 256 (linear, as in the book),
 *       Dropout 0.5 and Dense 1 sigmoid train on the features, rmsprop, binary crossentropy.
 *       Options: --image-size N (180), --epochs N (20), --batch-size N (32).</li>
 *   <li>{@code vgg16-finetune}: augmentation (RandomFlip horizontal, RandomRotation 0.1, RandomZoom
 *       0.2) in the model, the frozen base, the same head; rmsprop for {@code --epochs}; then the
 *       base's last 4 layers (block5_conv1..3, block5_pool) are unfrozen and the model is recompiled
 *       with RMSprop(1e-5) and fine-tuned for {@code --fine-tune-epochs}. The book trains 50 and 30
 *       epochs; the defaults (3 and 2) keep a trial run short. The images are preprocessed before
 *       they enter the model (the book does it inside, after augmentation): the augmentation layers
 *       resample pixels with weights summing to one and reflect at the borders, so the order gives
 *       the same values.</li>
 * </ul>
 * Both print the models' {@code summary()}, a line per epoch, {@code test_accuracy} when there is
 * a test folder, and end with {@code val_accuracy}.
 */
final class Vgg16Transfer {
    private Vgg16Transfer() {}

    /** The image folders. */
    record Data(ImageDataset train, ImageDataset validation, ImageDataset test) {}

    static Data data(String example, Args args, int size, int batchSize, int seed) {
        String dir = args.get("data");
        if (dir == null) {
            throw new IllegalArgumentException(example + " needs --data DIR with DIR/train/<class>/ and DIR/validation/<class>/"
                    + " image folders (and optionally DIR/test/<class>/)");
        }
        Path root = Path.of(dir);
        for (String sub : new String[] {"train", "validation"}) {
            if (!Files.isDirectory(root.resolve(sub))) {
                throw new IllegalArgumentException(example + ": " + root.resolve(sub).toAbsolutePath()
                        + " is not a folder; --data DIR needs DIR/train/<class>/ and DIR/validation/<class>/");
            }
        }
        ImageDataset train = ImageDatasets.imageDatasetFromDirectory(root.resolve("train")).labelMode("binary")
                .imageSize(size, size).batchSize(batchSize).seed(seed).build();
        ImageDataset val = ImageDatasets.imageDatasetFromDirectory(root.resolve("validation")).labelMode("binary")
                .imageSize(size, size).batchSize(batchSize).shuffle(false).build();
        ImageDataset test = !Files.isDirectory(root.resolve("test")) ? null
                : ImageDatasets.imageDatasetFromDirectory(root.resolve("test")).labelMode("binary")
                        .imageSize(size, size).batchSize(batchSize).shuffle(false).build();
        System.out.printf("classes %s, %d training, %d validation and %d test images of %dx%d%n", train.classNames(),
                train.size(), val.size(), test == null ? 0 : test.size(), size, size);
        return new Data(train, val, test);
    }

    /** VGG16 without its top for {@code size x size} images, with the weights {@code --weights} names (or random ones). */
    static Model convBase(Args args, int size) {
        String w = args.get("weights");
        if (w == null) {
            System.out.println("No --weights given: the VGG16 convolutional base is RANDOMLY INITIALIZED, so its features"
                    + " carry no ImageNet knowledge. Pass --weights PATH (Keras's vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5)"
                    + " or --weights imagenet (Keras's cache ~/.keras/models/, downloaded if absent).");
        } else {
            System.out.println("VGG16 base weights: " + (w.equals("imagenet") ? "ImageNet (Keras's cache)" : Path.of(w).toAbsolutePath()));
        }
        return VGG16.builder().weights(w).includeTop(false).inputShape(size, size, 3).build();
    }

    /** The book's head on the base's output: Flatten, Dense 256, Dropout 0.5, Dense 1 sigmoid. */
    static KerasTensor head(KerasTensor x) {
        x = new Flatten().apply(x);
        x = new Dense(256).apply(x);
        x = new Dropout(0.5).apply(x);
        return new Dense(1, "sigmoid").apply(x);
    }

    // ------------------------------------------------------------------ vgg16-features

    static void runFeatures(Args args) {
        int size = args.getInt("image-size");
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int seed = args.getInt("seed");
        Cornu.setSeed(seed);
        Cornu.chooseThreads();
        Data d = data("vgg16-features", args, size, batchSize, seed);
        Model convBase = convBase(args, size);
        convBase.summary();

        long t0 = System.nanoTime();
        INDArray[] train = features(convBase, d.train(), batchSize);
        INDArray[] val = features(convBase, d.validation(), batchSize);
        INDArray[] test = d.test() == null ? null : features(convBase, d.test(), batchSize);
        System.out.printf(Locale.ROOT, "features %s of %d training images in %.1f s (with validation%s)%n",
                org.cornu.core.Shape.format(train[0].shape()), d.train().size(), (System.nanoTime() - t0) / 1e9,
                test == null ? "" : " and test");

        long[] fs = train[0].shape();
        KerasTensor in = Input.of(java.util.Arrays.copyOfRange(fs, 1, fs.length));
        Model model = new Model(in, head(in));
        model.compile("rmsprop", "binary_crossentropy", "accuracy");
        model.summary();
        History h = model.fit(train[0], train[1], Fit.epochs(epochs).batchSize(batchSize)
                .validationData(val[0], val[1]).verbose(args.getInt("verbose")));
        Path out = ExampleSupport.outDir(args);
        ExampleSupport.chart(h, "accuracy", out.resolve("vgg16_features_accuracy.png"));
        ExampleSupport.chart(h, "loss", out.resolve("vgg16_features_loss.png"));
        if (test != null) {
            double[] r = model.evaluate(test[0], test[1], Evaluate.batchSize(batchSize).verbose(0));
            System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", r[1]);
        }
        ExampleSupport.save(args, model);
        List<Double> va = h.get("val_accuracy");
        System.out.printf(Locale.ROOT, "val_accuracy: %.4f%n", va.get(va.size() - 1));
    }

    /** The base's output for every image (preprocessed as VGG16 expects) and the labels, in folder order. */
    static INDArray[] features(Model convBase, ImageDataset ds, int batchSize) {
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> ys = new ArrayList<>();
        try (ImageDataset.BatchIterator it = ds.iterator()) {
            while (it.hasNext()) {
                ImageDataset.Batch b = it.next();
                xs.add(convBase.predict(VGG16.preprocessInput(b.x()), batchSize));
                ys.add(b.y());
            }
        }
        return new INDArray[] {Nd4j.concat(0, xs.toArray(new INDArray[0])), Nd4j.concat(0, ys.toArray(new INDArray[0]))};
    }

    // ------------------------------------------------------------------ vgg16-finetune

    static void runFineTune(Args args) {
        int size = args.getInt("image-size");
        int epochs = args.getInt("epochs");
        int fineTuneEpochs = args.getInt("fine-tune-epochs");
        int batchSize = args.getInt("batch-size");
        int seed = args.getInt("seed");
        Cornu.setSeed(seed);
        Cornu.chooseThreads();
        Data d = data("vgg16-finetune", args, size, batchSize, seed);
        Model convBase = convBase(args, size);
        convBase.trainable(false);

        KerasTensor in = Input.of(size, size, 3);
        KerasTensor x = new RandomFlip("horizontal").apply(in);
        x = new RandomRotation(0.1).apply(x);
        x = new RandomZoom(0.2).apply(x);
        x = convBase.apply(x);
        Model model = new Model(in, head(x));
        model.compile("rmsprop", "binary_crossentropy", "accuracy");
        System.out.println("Feature extraction with augmentation: the VGG16 base is frozen");
        model.summary();
        double last = train(model, d, epochs, 0);

        convBase.trainable(true);
        List<Layer> layers = convBase.layers();
        List<String> unfrozen = new ArrayList<>();
        for (Layer l : layers.subList(0, layers.size() - 4)) l.trainable(false);
        for (Layer l : layers.subList(layers.size() - 4, layers.size())) unfrozen.add(l.name());
        model.compile(new RMSprop(1e-5), "binary_crossentropy", "accuracy");
        System.out.println("Fine-tuning " + unfrozen + " with RMSprop(1e-5)");
        model.summary();
        if (fineTuneEpochs > 0) last = train(model, d, fineTuneEpochs, epochs);

        if (d.test() != null) {
            double[] t = mean(model, d.test(), false);
            System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", t[1]);
        }
        ExampleSupport.save(args, model);
        System.out.printf(Locale.ROOT, "val_accuracy: %.4f%n", last);
    }

    /** {@code epochs} passes over the training images, each followed by validation; returns the last val_accuracy. */
    private static double train(Model model, Data d, int epochs, int done) {
        double last = Double.NaN;
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            double[] t = mean(model, d.train(), true);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] v = mean(model, d.validation(), false);
            System.out.printf(Locale.ROOT, "Epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f%n",
                    done + e, done + epochs, seconds, t[0], t[1], v[0], v[1]);
            last = v[1];
        }
        return last;
    }

    /** Sample-weighted mean loss and accuracy over one pass, training or evaluating batch by batch on preprocessed images. */
    private static double[] mean(Model model, ImageDataset ds, boolean train) {
        double[] sum = new double[2];
        long n = 0;
        try (ImageDataset.BatchIterator it = ds.iterator()) {
            while (it.hasNext()) {
                ImageDataset.Batch b = it.next();
                INDArray x = VGG16.preprocessInput(b.x());
                double[] r = train ? model.trainOnBatch(x, b.y()) : model.testOnBatch(x, b.y());
                long m = b.x().size(0);
                sum[0] += r[0] * m;
                sum[1] += r[1] * m;
                n += m;
            }
        }
        return n == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {sum[0] / n, sum[1] / n};
    }
}
