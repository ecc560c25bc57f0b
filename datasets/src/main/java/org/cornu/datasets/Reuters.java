package org.cornu.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Reuters newswire topic dataset, exactly as {@code keras.datasets.reuters}: Keras's file
 * {@code reuters.npz} and its hash, 11,228 newswires, each a sequence of word indices, labelled
 * with one of 46 topics ({@link #getLabelNames()}).
 *
 * <p>{@link #loadData(Integer, int, Integer, double, long, Integer, Integer, int)} follows
 * Keras's {@code load_data}: the newswires are shuffled with NumPy's {@code RandomState(seed)}
 * ({@link NumpyRandomState}); every index is raised by {@code indexFrom} and {@code startChar}
 * is put in front; with {@code maxlen}, newswires of {@code maxlen} words or more (start mark
 * included) are dropped; each word {@code w} outside {@code skipTop <= w < numWords} becomes
 * {@code oovChar} (or is dropped if null); the first {@code int(n * (1 - testSplit))} are the
 * training set (8,982 of 11,228 by default), the rest the test set (2,246).
 */
public final class Reuters {
    /** Keras's file name. */
    public static final String FILE_NAME = "reuters.npz";
    /** Keras's download URL. */
    public static final String ORIGIN = DatasetFiles.KERAS_ORIGIN + FILE_NAME;
    /** Keras's SHA-256 of the file. */
    public static final String SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916";
    /** Keras's word-index file name. */
    public static final String WORD_INDEX_FILE_NAME = "reuters_word_index.json";
    /** Keras's word-index URL. */
    public static final String WORD_INDEX_ORIGIN = DatasetFiles.KERAS_ORIGIN + WORD_INDEX_FILE_NAME;
    /** Keras's MD5 of the word-index file. */
    public static final String WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921";
    /** Keras's default fraction of test data. */
    public static final double TEST_SPLIT = 0.2;

    private static final List<String> LABEL_NAMES = List.of(
            "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
            "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
            "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
            "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
            "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead");

    private Reuters() {
    }

    /**
     * As {@code reuters.load_data()}: all words, test_split 0.2, seed 113, start 1, OOV 2, index_from 3.
     *
     * @return 8,982 training and 2,246 test newswires, labels 0 to 45 (see {@link #getLabelNames()})
     * @throws UncheckedIOException if the file cannot be had or read
     */
    public static SequenceSplit loadData() {
        return loadData(null, 0, null, TEST_SPLIT, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM);
    }

    /**
     * As {@code reuters.load_data(num_words=numWords)}.
     *
     * @param numWords only the {@code numWords} most frequent words are kept (word indices below {@code numWords},
     *     after the {@code indexFrom} offset); any less frequent word appears as {@code oovChar} (Keras's
     *     {@code num_words}, default None: all)
     * @return 8,982 training and 2,246 test newswires
     * @throws UncheckedIOException if the file cannot be had or read
     */
    public static SequenceSplit loadData(int numWords) {
        return loadData(numWords, 0, null, TEST_SPLIT, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM);
    }

    /**
     * As {@code reuters.load_data(num_words=numWords, maxlen=maxlen)}.
     *
     * @param numWords only the {@code numWords} most frequent words are kept (word indices below {@code numWords},
     *     after the {@code indexFrom} offset); any less frequent word appears as {@code oovChar} (Keras's
     *     {@code num_words}, default None: all)
     * @param maxlen sequences of {@code maxlen} or more indices (the start mark included) are filtered out
     *     (Keras's {@code maxlen})
     * @return the training and test newswires of fewer than {@code maxlen} words
     * @throws UncheckedIOException if the file cannot be had or read
     */
    public static SequenceSplit loadData(int numWords, int maxlen) {
        return loadData(numWords, 0, maxlen, TEST_SPLIT, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM);
    }

    /**
     * As {@code reuters.load_data(num_words, skip_top, maxlen, test_split, seed, start_char,
     * oov_char, index_from)}, finding or downloading {@code reuters.npz} through
     * {@link DatasetFiles}. Arguments as {@link Imdb#loadData(Integer, int, Integer, long, Integer,
     * Integer, int)}, and {@code testSplit}, the fraction (0 to 1) of the shuffled data kept for
     * the test set.
     *
     * @param numWords  keep words with index below this (after the index_from offset); null or 0: all
     * @param skipTop   words with index below this become {@code oovChar}
     * @param maxlen    drop sequences of this length or longer; null or 0: keep all
     * @param testSplit fraction of the data to reserve as test set, in {@code [0, 1]} (Keras's default 0.2)
     * @param seed      NumPy seed of the shuffle, 0 to 2<sup>32</sup> - 1
     * @param startChar put in front of every sequence; null: none
     * @param oovChar   replaces words cut by numWords/skipTop; null: they are dropped
     * @param indexFrom added to every stored word index
     * @return the training and test newswires and their labels
     * @throws UncheckedIOException     if the file cannot be had or read; the message says why
     * @throws IllegalArgumentException if testSplit is not within [0, 1]
     */
    public static SequenceSplit loadData(Integer numWords, int skipTop, Integer maxlen, double testSplit, long seed,
                                         Integer startChar, Integer oovChar, int indexFrom) {
        checkSplit(testSplit);
        Path file;
        try {
            file = DatasetFiles.get(FILE_NAME, ORIGIN, SHA256);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return loadData(file, numWords, skipTop, maxlen, testSplit, seed, startChar, oovChar, indexFrom);
    }

    /**
     * As {@link #loadData(Integer, int, Integer, double, long, Integer, Integer, int)} from a given
     * file in {@code reuters.npz}'s format (no hash check): an object array {@code x} of integer
     * lists and an integer array {@code y}.
     *
     * @param file the file
     * @param numWords  keep words with index below this (after the index_from offset); null or 0: all
     * @param skipTop   words with index below this become {@code oovChar}
     * @param maxlen    drop sequences of this length or longer; null or 0: keep all
     * @param testSplit fraction of the data to reserve as test set, in {@code [0, 1]} (Keras's default 0.2)
     * @param seed      NumPy seed of the shuffle, 0 to 2<sup>32</sup> - 1
     * @param startChar put in front of every sequence; null: none
     * @param oovChar   replaces words cut by numWords/skipTop; null: they are dropped
     * @param indexFrom added to every stored word index
     * @return the training and test newswires and their labels
     * @throws UncheckedIOException     if the file cannot be read or is not in that format
     * @throws IllegalArgumentException if testSplit is not within [0, 1]
     */
    public static SequenceSplit loadData(Path file, Integer numWords, int skipTop, Integer maxlen, double testSplit,
                                         long seed, Integer startChar, Integer oovChar, int indexFrom) {
        checkSplit(testSplit);
        int[][] x;
        int[] y;
        try (Npz npz = Npz.open(file)) {
            x = npz.getSequences("x");
            y = KerasSequences.labels(npz.get("y"), file + ": y");
            KerasSequences.checkPair(file + ": x/y", x, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        NumpyRandomState rng = new NumpyRandomState(seed);
        KerasSequences.Samples s = KerasSequences.take(x, y, rng.permutation(x.length));
        s = new KerasSequences.Samples(KerasSequences.offset(s.x(), startChar, indexFrom), s.y());
        if (maxlen != null && maxlen != 0) {
            s = KerasSequences.removeLong(maxlen, s.x(), s.y());
        }
        KerasSequences.limitVocabulary(s.x(), numWords, skipTop, oovChar);
        int idx = (int) (s.x().length * (1 - testSplit));
        return new SequenceSplit(Arrays.copyOfRange(s.x(), 0, idx), Arrays.copyOfRange(s.y(), 0, idx),
                Arrays.copyOfRange(s.x(), idx, s.x().length), Arrays.copyOfRange(s.y(), idx, s.y().length));
    }

    /**
     * As {@code reuters.get_word_index()}: word to rank (1 = most frequent; add
     * {@code indexFrom} to match the loaded sequences), from Keras's
     * {@code reuters_word_index.json}. Unmodifiable, in file order.
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
     * As {@link #getWordIndex()} from a given file in {@code reuters_word_index.json}'s format (no
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

    /**
     * As {@code reuters.get_label_names()}: the 46 topic names, indexed by label.
     *
     * @return the names, unmodifiable
     */
    public static List<String> getLabelNames() {
        return LABEL_NAMES;
    }

    private static void checkSplit(double testSplit) {
        if (!(testSplit >= 0 && testSplit <= 1)) {
            throw new IllegalArgumentException("test_split must be between 0 and 1, got " + testSplit);
        }
    }
}
