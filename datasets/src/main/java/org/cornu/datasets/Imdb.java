package org.cornu.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The IMDB movie-review sentiment dataset (Maas et al., 2011), exactly as
 * {@code keras.datasets.imdb}: Keras's file {@code imdb.npz} and its hash, 25,000 training and
 * 25,000 test reviews, each a sequence of word indices, labelled 0 (negative) or 1 (positive).
 *
 * <p>{@link #loadData(Integer, int, Integer, long, Integer, Integer, int)} follows Keras's
 * {@code load_data} step by step: both sets are shuffled with NumPy's
 * {@code RandomState(seed)} ({@link NumpyRandomState}; training set first, then the test set,
 * with the same generator); every index is raised by {@code indexFrom} and
 * {@code startChar} is put in front; with {@code maxlen}, reviews of {@code maxlen} words or more
 * (start mark included) are dropped; then each word {@code w} outside
 * {@code skipTop <= w < numWords} becomes {@code oovChar} (or is dropped if oovChar is null).
 * As in Keras, a null (or 0) {@code numWords} means the largest index present, which is
 * itself then out of range.
 *
 * <pre>{@code
 * SequenceSplit d = Imdb.loadData(10000);          // Keras: imdb.load_data(num_words=10000)
 * int[][] x = d.xTrain();                           // x[0][0] == 1, the start mark
 * }</pre>
 */
public final class Imdb {
    /** Keras's file name. */
    public static final String FILE_NAME = "imdb.npz";
    /** Keras's download URL. */
    public static final String ORIGIN = DatasetFiles.KERAS_ORIGIN + FILE_NAME;
    /** Keras's SHA-256 of the file. */
    public static final String SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f";
    /** Keras's word-index file name. */
    public static final String WORD_INDEX_FILE_NAME = "imdb_word_index.json";
    /** Keras's word-index URL. */
    public static final String WORD_INDEX_ORIGIN = DatasetFiles.KERAS_ORIGIN + WORD_INDEX_FILE_NAME;
    /** Keras's MD5 of the word-index file. */
    public static final String WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f";

    /** Keras's default seed. */
    public static final long SEED = 113;
    /** Keras's default start mark. */
    public static final int START_CHAR = 1;
    /** Keras's default out-of-vocabulary mark. */
    public static final int OOV_CHAR = 2;
    /** Keras's default offset of word indices. */
    public static final int INDEX_FROM = 3;

    private Imdb() {
    }

    /**
     * As {@code imdb.load_data()}: all words, seed 113, start 1, OOV 2, index_from 3.
     *
     * @return 25,000 training and 25,000 test reviews, labels 0 (negative) and 1 (positive)
     * @throws UncheckedIOException if the file cannot be had or read
     */
    public static SequenceSplit loadData() {
        return loadData(null, 0, null, SEED, START_CHAR, OOV_CHAR, INDEX_FROM);
    }

    /**
     * As {@code imdb.load_data(num_words=numWords)}: indices of {@code numWords} or more become 2 (OOV).
     *
     * @param numWords only the {@code numWords} most frequent words are kept (word indices below {@code numWords},
     *     after the {@code indexFrom} offset); any less frequent word appears as {@code oovChar} (Keras's
     *     {@code num_words}, default None: all)
     * @return 25,000 training and 25,000 test reviews
     * @throws UncheckedIOException if the file cannot be had or read
     */
    public static SequenceSplit loadData(int numWords) {
        return loadData(numWords, 0, null, SEED, START_CHAR, OOV_CHAR, INDEX_FROM);
    }

    /**
     * As {@code imdb.load_data(num_words=numWords, maxlen=maxlen)}.
     *
     * @param numWords only the {@code numWords} most frequent words are kept (word indices below {@code numWords},
     *     after the {@code indexFrom} offset); any less frequent word appears as {@code oovChar} (Keras's
     *     {@code num_words}, default None: all)
     * @param maxlen sequences of {@code maxlen} or more indices (the start mark included) are filtered out
     *     (Keras's {@code maxlen})
     * @return the training and test reviews of fewer than {@code maxlen} words
     * @throws UncheckedIOException if the file cannot be had or read
     * @throws IllegalArgumentException if no training or no test review is that short
     */
    public static SequenceSplit loadData(int numWords, int maxlen) {
        return loadData(numWords, 0, maxlen, SEED, START_CHAR, OOV_CHAR, INDEX_FROM);
    }

    /**
     * As {@code imdb.load_data(num_words, skip_top, maxlen, seed, start_char, oov_char,
     * index_from)}, finding or downloading {@code imdb.npz} through {@link DatasetFiles}.
     *
     * @param numWords  keep words with index below this (after the index_from offset); null or 0: all
     * @param skipTop   words with index below this become {@code oovChar}
     * @param maxlen    drop sequences of this length or longer; null or 0: keep all
     * @param seed      NumPy seed of the shuffles, 0 to 2<sup>32</sup> - 1
     * @param startChar put in front of every sequence; null: none
     * @param oovChar   replaces words cut by numWords/skipTop; null: they are dropped
     * @param indexFrom added to every stored word index
     * @return the training and test reviews and their labels
     * @throws UncheckedIOException     if the file cannot be had or read; the message says why
     * @throws IllegalArgumentException if maxlen leaves no training or no test sequence (Keras's
     *                                  ValueError)
     */
    public static SequenceSplit loadData(Integer numWords, int skipTop, Integer maxlen, long seed,
                                         Integer startChar, Integer oovChar, int indexFrom) {
        Path file;
        try {
            file = DatasetFiles.get(FILE_NAME, ORIGIN, SHA256);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return loadData(file, numWords, skipTop, maxlen, seed, startChar, oovChar, indexFrom);
    }

    /**
     * As {@link #loadData(Integer, int, Integer, long, Integer, Integer, int)} from a given file
     * in {@code imdb.npz}'s format (no hash check): object arrays {@code x_train}, {@code x_test}
     * of integer lists and integer arrays {@code y_train}, {@code y_test}.
     *
     * @param file the file
     * @param numWords  keep words with index below this (after the index_from offset); null or 0: all
     * @param skipTop   words with index below this become {@code oovChar}
     * @param maxlen    drop sequences of this length or longer; null or 0: keep all
     * @param seed      NumPy seed of the shuffles, 0 to 2<sup>32</sup> - 1
     * @param startChar put in front of every sequence; null: none
     * @param oovChar   replaces words cut by numWords/skipTop; null: they are dropped
     * @param indexFrom added to every stored word index
     * @return the training and test reviews and their labels
     * @throws UncheckedIOException     if the file cannot be read or is not in that format
     * @throws IllegalArgumentException if maxlen leaves no training or no test sequence
     */
    public static SequenceSplit loadData(Path file, Integer numWords, int skipTop, Integer maxlen, long seed,
                                         Integer startChar, Integer oovChar, int indexFrom) {
        int[][] xTrain;
        int[][] xTest;
        int[] yTrain;
        int[] yTest;
        try (Npz npz = Npz.open(file)) {
            xTrain = npz.getSequences("x_train");
            yTrain = KerasSequences.labels(npz.get("y_train"), file + ": y_train");
            xTest = npz.getSequences("x_test");
            yTest = KerasSequences.labels(npz.get("y_test"), file + ": y_test");
            KerasSequences.checkPair(file + ": x_train/y_train", xTrain, yTrain);
            KerasSequences.checkPair(file + ": x_test/y_test", xTest, yTest);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }

        NumpyRandomState rng = new NumpyRandomState(seed);
        KerasSequences.Samples train = KerasSequences.take(xTrain, yTrain, rng.permutation(xTrain.length));
        KerasSequences.Samples test = KerasSequences.take(xTest, yTest, rng.permutation(xTest.length));

        train = new KerasSequences.Samples(KerasSequences.offset(train.x(), startChar, indexFrom), train.y());
        test = new KerasSequences.Samples(KerasSequences.offset(test.x(), startChar, indexFrom), test.y());

        if (maxlen != null && maxlen != 0) {
            train = KerasSequences.removeLong(maxlen, train.x(), train.y());
            test = KerasSequences.removeLong(maxlen, test.x(), test.y());
            if (train.x().length == 0 || test.x().length == 0) {
                throw new IllegalArgumentException("After filtering for sequences shorter than maxlen="
                        + maxlen + ", no sequence was kept. Increase maxlen.");
            }
        }

        int n = train.x().length;
        int[][] xs = new int[n + test.x().length][];
        System.arraycopy(train.x(), 0, xs, 0, n);
        System.arraycopy(test.x(), 0, xs, n, test.x().length);
        KerasSequences.limitVocabulary(xs, numWords, skipTop, oovChar);
        return new SequenceSplit(Arrays.copyOfRange(xs, 0, n), train.y(), Arrays.copyOfRange(xs, n, xs.length), test.y());
    }

    /**
     * As {@code imdb.get_word_index()}: word to rank (1 = most frequent; add {@code indexFrom}
     * to match the loaded sequences), from Keras's {@code imdb_word_index.json}. Unmodifiable,
     * in file order.
     *
     * @return word to rank
     * @throws UncheckedIOException if the file cannot be had or read
     */
    public static Map<String, Integer> getWordIndex() {
        try {
            return KerasSequences.readWordIndex(DatasetFiles.get(WORD_INDEX_FILE_NAME, WORD_INDEX_ORIGIN, WORD_INDEX_MD5));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * As {@link #getWordIndex()} from a given file in {@code imdb_word_index.json}'s format (no
     * hash check, no download), such as a copy kept beside one's own data file.
     *
     * @param file the JSON word index
     * @return word to rank
     * @throws UncheckedIOException if the file cannot be read or is not a word index
     */
    public static Map<String, Integer> getWordIndex(Path file) {
        try {
            return KerasSequences.readWordIndex(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
