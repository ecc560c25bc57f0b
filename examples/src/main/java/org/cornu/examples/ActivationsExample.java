package org.cornu.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.InputLayer;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Predict;
import org.cornu.core.Sequential;
import org.cornu.datasets.Mnist;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The book's "visualizing intermediate activations": a model whose outputs are the first layers'
 * outputs of a trained convnet (the course notes' MNIST convnet, trained briefly, or one given by
 * {@code --load}), applied to one test digit; every channel of each layer drawn as a grid of
 * grayscale tiles (16 per row, each channel standardized as the book does), one PNG per layer.
 */
final class ActivationsExample {
    private ActivationsExample() {}

    static void run(Args args) {
        System.setProperty("java.awt.headless", "true");
        Cornu.setSeed(args.getInt("seed"));
        int layersToShow = args.getInt("layers");
        int scale = args.getInt("scale");
        Path out = ExampleSupport.outDir(args);

        Mnist.Split data = MnistDense.load(args);
        Model model = ExampleSupport.loaded(args);
        if (model == null) {
            int n = args.getInt("train-samples");
            INDArray x = data.xTrain().get(NDArrayIndex.interval(0, n)).reshape(n, 28, 28, 1).castTo(DataType.FLOAT).divi(255);
            Sequential m = MnistConvnet.course();
            m.compile("rmsprop", "sparse_categorical_crossentropy", "accuracy");
            m.fit(x, data.yTrain().get(NDArrayIndex.interval(0, n)), Fit.epochs(args.getInt("epochs")).batchSize(args.getInt("batch-size")).verbose(args.getInt("verbose")));
            ExampleSupport.save(args, m);
            model = m;
        }

        List<Layer> shown = new ArrayList<>();
        List<KerasTensor> outputs = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l instanceof InputLayer || outputs.size() == layersToShow) continue;
            if (l.output().shape().rank() != 4) break;
            shown.add(l);
            outputs.add(l.output());
        }
        Model activationModel = new Model(List.of(model.input()), outputs);
        INDArray image = data.xTest().get(NDArrayIndex.interval(0, 1)).reshape(1, 28, 28, 1).castTo(DataType.FLOAT).divi(255);
        INDArray[] acts = activationModel.predictAll(new INDArray[] {image}, Predict.batchSize(1).verbose(0));
        System.out.println("Test digit 0 is a " + data.yTest().getInt(0) + "; activations of " + shown.size() + " layers:");
        for (int i = 0; i < shown.size(); i++) {
            INDArray a = acts[i];
            Path file = out.resolve("activations_" + (i + 1) + "_" + shown.get(i).name() + ".png");
            writeGrid(a, scale, file);
            System.out.printf(Locale.ROOT, "  %-16s %s -> %s%n", shown.get(i).name(),
                    java.util.Arrays.toString(a.shape()), file.toAbsolutePath());
        }
        System.out.printf(Locale.ROOT, "layers_visualized: %d%n", shown.size());
    }

    /** Channels of {@code a} (1, h, w, c) as tiles, 16 per row, each standardized to mean 128, 64 per std. */
    static void writeGrid(INDArray a, int scale, Path file) {
        int h = (int) a.size(1), w = (int) a.size(2), c = (int) a.size(3);
        int perRow = 16, rows = (c + perRow - 1) / perRow;
        BufferedImage img = new BufferedImage(perRow * w * scale, rows * h * scale, BufferedImage.TYPE_BYTE_GRAY);
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int ch = 0; ch < c; ch++) {
            double mean = 0, sq = 0;
            for (int p = 0; p < h * w; p++) mean += v[p * c + ch];
            mean /= h * w;
            for (int p = 0; p < h * w; p++) sq += (v[p * c + ch] - mean) * (v[p * c + ch] - mean);
            double std = Math.sqrt(sq / (h * w)) + 1e-5;
            int ox = (ch % perRow) * w * scale, oy = (ch / perRow) * h * scale;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = (v[(y * w + x) * c + ch] - mean) / std * 64 + 128;
                    int g = (int) Math.max(0, Math.min(255, s));
                    int rgb = (g << 16) | (g << 8) | g;
                    for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) img.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
                }
            }
        }
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".activations", ".png.tmp");
            try {
                ImageIO.write(img, "png", tmp.toFile());
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file.toAbsolutePath(), e);
        }
    }
}
