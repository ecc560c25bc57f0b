package org.cornu.datasets.images;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.cornu.datasets.FileBatches;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled list of image files, as returned by {@link ImageDatasets#imageDatasetFromDirectory}: the
 * analogue of the {@code tf.data.Dataset} Keras returns. It can be {@linkplain #toArrays() materialized}
 * to {@code (x, y)} arrays for {@code model.fit(x, y)}, or {@linkplain #iterator() iterated} batch by batch
 * (for {@code model.trainOnBatch}); iteration decodes ahead of the consumer on a background thread with a
 * bounded queue of {@link #prefetch()} batches.
 *
 * <p>Images are float32 {@code (batch, h, w, c)} in 0-255. Labels: "int" → int32 {@code (batch,)};
 * "categorical" → float32 one-hot {@code (batch, numClasses)}; "binary" → float32 {@code (batch, 1)}.
 */
public final class ImageDataset implements Iterable<ImageDataset.Batch> {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDataset.class);

    /**
     * One batch: images {@code x} and labels {@code y} (null when {@code labelMode} is null).
     *
     * @param x the images {@code (batch, height, width, channels)}, float32 in {@code [0, 255]}
     * @param y the labels as the label mode encodes them, or null without labels
     */
    public record Batch(INDArray x, INDArray y) {}

    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;
    private final String labelMode;
    private final int height;
    private final int width;
    private final int channels;
    private final String interpolation;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean skipBadFiles;
    private final boolean cropToAspectRatio;
    private int prefetch = 2;
    private int epoch;

    ImageDataset(List<Path> files, int[] labels, List<String> classNames, String labelMode, int height, int width,
                 int channels, String interpolation, int batchSize, boolean shuffle, long seed, boolean skipBadFiles,
                 boolean cropToAspectRatio) {
        this.files = List.copyOf(files);
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.labelMode = labelMode;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.interpolation = interpolation;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.skipBadFiles = skipBadFiles;
        this.cropToAspectRatio = cropToAspectRatio;
    }

    /**
     * Class names in label order (sub-folder names sorted alphabetically), Keras's {@code class_names}.
     *
     * @return the names; a label is an index into this list
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The files, in dataset order (after Keras's seeded shuffle and split), Keras's {@code file_paths}.
     *
     * @return the paths, unmodifiable
     */
    public List<Path> filePaths() {
        return files;
    }

    /**
     * The integer label of each file of {@link #filePaths()}.
     *
     * @return a copy, one label per file
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Number of files.
     *
     * @return the number of image files in this dataset (or subset)
     */
    public int size() {
        return files.size();
    }

    /**
     * The number of images per batch (Keras's {@code batch_size}).
     *
     * @return the batch size; the last batch of a pass may be smaller
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Batches per pass: {@code ceil(size / batchSize)} (fewer if bad files are skipped).
     *
     * @return the number of batches
     */
    public int numBatches() {
        return (files.size() + batchSize - 1) / batchSize;
    }

    /**
     * Image shape {@code (h, w, c)}.
     *
     * @return a new array {@code {height, width, channels}}
     */
    public long[] imageShape() {
        return new long[] {height, width, channels};
    }

    /**
     * How many batches the background decoder may hold ready (default 2).
     *
     * @return the number of batches
     */
    public int prefetch() {
        return prefetch;
    }

    /**
     * Sets the bounded queue's capacity in batches (at least 1).
     *
     * @param batches the capacity, 1 or more
     * @return this dataset
     * @throws IllegalArgumentException if {@code batches} is less than 1
     */
    public ImageDataset prefetch(int batches) {
        if (batches < 1) throw new IllegalArgumentException("prefetch must be >= 1, got " + batches);
        this.prefetch = batches;
        return this;
    }

    /**
     * All images and labels as {@code {x, y}} in {@link #filePaths()} order ({@code y} is null without labels).
     * For small folders. Bad files throw (naming the file) or, with {@code skipBadFiles}, are logged and left out.
     *
     * @return {@code {x, y}}: x of shape {@code (n, height, width, channels)}, float32 in {@code [0, 255]}
     */
    public INDArray[] toArrays() {
        List<Integer> all = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) all.add(i);
        Batch b = decodeBatch(all);
        return new INDArray[] {b.x(), b.y()};
    }

    /**
     * One pass over the data in batches, decoded ahead on a background thread. With {@code shuffle}, each
     * pass after the first visits the files in a new order (seeded by {@code seed} and the pass number), like
     * the per-iteration reshuffle of Keras's dataset. Close the iterator (or exhaust it) to stop the decoder.
     */
    @Override
    public BatchIterator iterator() {
        int pass = epoch++;
        return new BatchIterator(FileBatches.passOrder(files.size(), shuffle, pass, ImageDataGenerator.mix(seed * 31 + pass)));
    }

    Batch decodeBatch(List<Integer> idx) {
        List<Images.Pixels> px = new ArrayList<>(idx.size());
        List<Integer> kept = new ArrayList<>(idx.size());
        for (int i : idx) {
            Path f = files.get(i);
            try {
                Images.Pixels p = Images.decode(f, channels);
                if (cropToAspectRatio) p = Images.cropToAspect(p, height, width);
                px.add(Images.resize(p, height, width, interpolation));
                kept.add(i);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                if (!skipBadFiles) throw e;
                LOG.warn("Skipping bad image file {}: {}", f, e.getMessage());
            }
        }
        int n = px.size();
        int per = height * width * channels;
        float[] x = new float[n * per];
        for (int k = 0; k < n; k++) System.arraycopy(px.get(k).data(), 0, x, k * per, per);
        INDArray xa = Nd4j.create(x, new long[] {n, height, width, channels}, 'c');
        int[] keptIdx = new int[n];
        for (int k = 0; k < n; k++) keptIdx[k] = kept.get(k);
        INDArray ya = labelMode == null ? null : FileBatches.encodeLabels(labels, keptIdx, labelMode, classNames.size());
        if (xa.dataType() != DataType.FLOAT) xa = xa.castTo(DataType.FLOAT);
        return new Batch(xa, ya);
    }

    /** Iterator over one pass; a background thread decodes up to {@link #prefetch()} batches ahead. */
    public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private static final Object END = new Object();
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(prefetch);
        private final Thread worker;
        private Object next;
        private boolean done;

        BatchIterator(int[] order) {
            worker = new Thread(() -> {
                try {
                    for (int s = 0; s < order.length; s += batchSize) {
                        List<Integer> idx = new ArrayList<>(batchSize);
                        for (int i = s; i < Math.min(order.length, s + batchSize); i++) idx.add(order[i]);
                        Batch b = decodeBatch(idx);
                        if (b.x().size(0) > 0) queue.put(b);
                    }
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    try {
                        queue.put(e);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "cornu-image-decoder");
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public boolean hasNext() {
            if (done) return false;
            if (next == null) {
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the image decoder", e);
                }
            }
            if (next == END) {
                done = true;
                return false;
            }
            if (next instanceof RuntimeException e) {
                done = true;
                next = null;
                throw e;
            }
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException();
            Batch b = (Batch) next;
            next = null;
            return b;
        }

        /** Stops the background decoder. */
        @Override
        public void close() {
            done = true;
            worker.interrupt();
        }
    }
}
