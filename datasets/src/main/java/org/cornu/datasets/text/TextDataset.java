package org.cornu.datasets.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.cornu.datasets.FileBatches;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Text files with their labels, as returned by {@link TextDatasets#textDatasetFromDirectory}: the analogue of the
 * {@code tf.data.Dataset} Keras returns. It can be read whole ({@link #texts()}, {@link #labelArray()}) or
 * {@linkplain #iterator() iterated} batch by batch: each {@link Batch} holds the batch's strings and its labels.
 *
 * <p>Texts are the files' contents decoded as UTF-8 (Keras's {@code tf.io.read_file}; malformed bytes become U+FFFD),
 * cut to {@code max_length} UTF-8 bytes when set (Keras's {@code tf.strings.substr}, whose unit is the byte: a
 * character cut at the boundary becomes U+FFFD here, where Keras keeps its broken bytes). Labels: {@code "int"} gives
 * int32 {@code (batch,)}; {@code "categorical"} float32 one-hot {@code (batch, numClasses)}; {@code "binary"} float32
 * {@code (batch, 1)}; {@code null} none.
 *
 * <p>Strings go to a model through a {@code TextVectorization} layer applied before it:
 * <pre>{@code
 * for (TextDataset.Batch b : train) model.trainOnBatch(vectorizer.apply(b.texts()), b.y());
 * }</pre>
 */
public final class TextDataset implements Iterable<TextDataset.Batch> {
    /** One batch: the texts and their labels ({@code y} is null without labels). */
    public record Batch(List<String> texts, INDArray y) {}

    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;
    private final String labelMode;
    private final Integer maxLength;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private int epoch;

    TextDataset(List<Path> files, int[] labels, List<String> classNames, String labelMode, Integer maxLength, int batchSize,
                boolean shuffle, long seed) {
        this.files = List.copyOf(files);
        this.labels = labels;
        this.classNames = classNames == null ? null : List.copyOf(classNames);
        this.labelMode = labelMode;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /**
     * The class names in label order, Keras's {@code class_names} attribute: the sub-folder names with inferred
     * labels, the distinct explicit labels (sorted, as strings) otherwise.
     *
     * @return the class names, or null without labels
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The files, in dataset order (after Keras's seeded shuffle and split), Keras's {@code file_paths}.
     *
     * @return the file paths
     */
    public List<Path> filePaths() {
        return files;
    }

    /**
     * The integer label of each file of {@link #filePaths()}.
     *
     * @return a copy of the labels, or null without labels
     */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /**
     * Keras's {@code label_mode}.
     *
     * @return {@code "int"}, {@code "categorical"}, {@code "binary"} or null (no labels)
     */
    public String labelMode() {
        return labelMode;
    }

    /**
     * The number of files.
     *
     * @return the number of texts in the dataset
     */
    public int size() {
        return files.size();
    }

    /**
     * The batch size.
     *
     * @return the number of texts per batch (the last batch may hold fewer)
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Batches per pass.
     *
     * @return {@code ceil(size / batchSize)}
     */
    public int numBatches() {
        return (files.size() + batchSize - 1) / batchSize;
    }

    /**
     * The text of file {@code i} of {@link #filePaths()}, read now: decoded as UTF-8 and cut to {@code max_length}
     * bytes when set.
     *
     * @param i the file's position in {@link #filePaths()}
     * @return the text
     * @throws UncheckedIOException if the file cannot be read
     */
    public String text(int i) {
        Path f = files.get(i);
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read text file " + f + ": " + e.getMessage(), e);
        }
        int n = maxLength == null ? b.length : Math.min(b.length, maxLength);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("Cannot decode " + f, e); // not reached: errors are replaced
        }
    }

    /**
     * Every text, in {@link #filePaths()} order (read now).
     *
     * @return the texts
     */
    public List<String> texts() {
        List<String> r = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) r.add(text(i));
        return r;
    }

    /**
     * Every label encoded by the label mode, in {@link #filePaths()} order.
     *
     * @return int32 {@code (n,)} for {@code "int"}, float32 {@code (n, numClasses)} for {@code "categorical"},
     *     float32 {@code (n, 1)} for {@code "binary"}; null without labels
     */
    public INDArray labelArray() {
        int[] all = new int[files.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return encode(all);
    }

    private INDArray encode(int[] idx) {
        if (labelMode == null || labels == null) return null;
        return FileBatches.encodeLabels(labels, idx, labelMode, classNames.size());
    }

    /**
     * One pass in batches. The first pass visits the files in {@link #filePaths()} order; with {@code shuffle}, each
     * later pass visits them in a new order, seeded by {@code seed} and the pass number (Keras reshuffles its
     * {@code tf.data} buffer of {@code 8 * batch_size} files each pass, with TensorFlow's generator, which Cornu
     * does not reproduce).
     */
    @Override
    public Iterator<Batch> iterator() {
        int pass = epoch++;
        int[] order = FileBatches.passOrder(files.size(), shuffle, pass, seed * 31 + pass);
        return new Iterator<>() {
            int at;

            @Override
            public boolean hasNext() {
                return at < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int end = Math.min(order.length, at + batchSize);
                int[] idx = java.util.Arrays.copyOfRange(order, at, end);
                at = end;
                List<String> t = new ArrayList<>(idx.length);
                for (int i : idx) t.add(text(i));
                return new Batch(t, encode(idx));
            }
        };
    }
}
