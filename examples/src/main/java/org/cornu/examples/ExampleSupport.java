package org.cornu.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cornu.core.callbacks.History;
import org.cornu.datasets.DatasetFiles;
import org.cornu.utils.Plots;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared bits of the examples: the output folder for charts, label arrays, timing. */
final class ExampleSupport {
    private ExampleSupport() {}

    /** The folder charts go to: {@code --out DIR}, default {@code cornu-output}. */
    static Path outDir(Args args) {
        Path p = Path.of(args.get("out"));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the output folder " + p.toAbsolutePath(), e);
        }
        return p;
    }

    /** The model saved earlier with {@code --save}, when {@code --load PATH} is given; else null (train). */
    static org.cornu.core.Model loaded(Args args) {
        String p = args.get("load");
        if (p == null) return null;
        org.cornu.core.Model m = org.cornu.core.saving.Models.loadModel(Path.of(p));
        System.out.println("Loaded the trained model from " + Path.of(p).toAbsolutePath() + "; skipping training");
        return m;
    }

    /** Saves {@code m} as a .keras file when {@code --save PATH} is given. */
    static void save(Args args, org.cornu.core.Model m) {
        String p = args.get("save");
        if (p == null) return;
        m.save(Path.of(p));
        System.out.println("Saved the trained model to " + Path.of(p).toAbsolutePath());
    }

    /**
     * Draws {@code m} (Keras's {@code plot_model(model, to_file, show_shapes=True)}) when
     * {@code --plot PATH} is given; without Graphviz, says so and where the DOT source went.
     */
    static void plot(Args args, org.cornu.core.Model m) {
        String p = args.get("plot");
        if (p == null) return;
        try {
            org.cornu.utils.Utils.plotModel(m, p, true, true);
            System.out.println("Saved the model plot to " + Path.of(p).toAbsolutePath());
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
        }
    }

    /** Saves the training/validation chart of {@code metric} and says where. */
    static void chart(History h, String metric, Path file) {
        try {
            Plots.saveHistory(h, metric, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the chart " + file.toAbsolutePath(), e);
        }
        System.out.println("Chart: " + file.toAbsolutePath());
    }

    /** Saves curves to a chart and says where. */
    static void curves(java.util.Map<String, double[]> series, String title, String xLabel, String yLabel, Path file) {
        try {
            Plots.saveCurves(series, title, xLabel, yLabel, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the chart " + file.toAbsolutePath(), e);
        }
        System.out.println("Chart: " + file.toAbsolutePath());
    }

    /**
     * {@code --data FILE} as a path, or null when not given (the example then uses Keras's own file).
     *
     * @throws Args.UsageException if the file does not exist
     */
    static Path dataFile(Args args) {
        String f = args.get("data");
        if (f == null) return null;
        Path p = Path.of(f);
        if (!Files.isRegularFile(p)) {
            throw new Args.UsageException("--data " + f + ": no such file (" + p.toAbsolutePath() + ")");
        }
        System.out.println("Data: " + p.toAbsolutePath() + " (read as it is, no hash check)");
        return p;
    }

    /**
     * A file of Keras's datasets that is already on this machine, without downloading it: beside
     * {@code --data FILE}, in {@code $CORNU_DATASETS} ({@code cornu.datasets}), or in Keras's cache
     * ({@code ~/.keras/datasets}, {@code cornu.cache.dir}). Null if none holds it.
     */
    static Path localFile(Args args, String fileName) {
        List<Path> dirs = new ArrayList<>();
        String data = args.get("data");
        if (data != null) dirs.add(Path.of(data).toAbsolutePath().getParent());
        Path d = DatasetFiles.datasetsDir();
        if (d != null) dirs.add(d);
        dirs.add(DatasetFiles.cacheDir());
        for (Path dir : dirs) {
            if (dir != null && Files.isRegularFile(dir.resolve(fileName))) return dir.resolve(fileName);
        }
        return null;
    }

    /** Integer labels as a float column (n, 1). */
    static INDArray column(int[] labels) {
        float[] f = new float[labels.length];
        for (int i = 0; i < labels.length; i++) f[i] = labels[i];
        return Nd4j.create(f, new long[] {labels.length, 1}, 'c');
    }

    /** Integer labels as an int vector (n,). */
    static INDArray vector(int[] labels) {
        return Nd4j.createFromArray(labels).castTo(DataType.INT);
    }
}
