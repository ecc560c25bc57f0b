package org.cornu.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The word-index handling that Keras's {@code imdb} and {@code reuters} loaders share. */
final class KerasSequences {
    private KerasSequences() {
    }

    /** Sequences and their labels, kept in step. */
    record Samples(int[][] x, int[] y) {
    }

    /** {@code x[perm]} and {@code y[perm]}, as NumPy's fancy indexing. */
    static Samples take(int[][] x, int[] y, int[] perm) {
        int[][] xs = new int[perm.length][];
        int[] ys = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            xs[i] = x[perm[i]];
            ys[i] = y[perm[i]];
        }
        return new Samples(xs, ys);
    }

    /**
     * Keras: {@code [start_char] + [w + index_from for w in x]} if start_char is not None, else
     * {@code [w + index_from ...]} (a copy either way).
     */
    static int[][] offset(int[][] xs, Integer startChar, int indexFrom) {
        int[][] out = new int[xs.length][];
        int lead = startChar == null ? 0 : 1;
        for (int i = 0; i < xs.length; i++) {
            int[] x = xs[i];
            int[] o = new int[x.length + lead];
            if (startChar != null) o[0] = startChar;
            for (int k = 0; k < x.length; k++) o[k + lead] = Math.addExact(x[k], indexFrom);
            out[i] = o;
        }
        return out;
    }

    /** Keras's {@code remove_long_seq}: keeps the samples strictly shorter than {@code maxlen}. */
    static Samples removeLong(int maxlen, int[][] x, int[] y) {
        List<int[]> xs = new ArrayList<>();
        int[] ys = new int[y.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length < maxlen) {
                ys[xs.size()] = y[i];
                xs.add(x[i]);
            }
        }
        return new Samples(xs.toArray(new int[0][]), Arrays.copyOf(ys, xs.size()));
    }

    /**
     * Keras's vocabulary cut, in place: with {@code num_words} None (or 0) it becomes the largest
     * index present (which is then itself out of range, as in Keras); each word {@code w} outside
     * {@code skip_top <= w < num_words} becomes {@code oov_char}, or is dropped if oov_char is None.
     */
    static void limitVocabulary(int[][] xs, Integer numWords, int skipTop, Integer oovChar) {
        int limit;
        if (numWords == null || numWords == 0) {
            long max = Long.MIN_VALUE;
            for (int[] x : xs) {
                if (x.length == 0) {
                    throw new IllegalArgumentException("cannot take num_words from the data: a sequence is empty "
                            + "(max() of an empty sequence in Keras); pass num_words");
                }
                for (int w : x) max = Math.max(max, w);
            }
            if (xs.length == 0) throw new IllegalArgumentException("no sequence is left to take num_words from");
            limit = (int) max;
        } else {
            limit = numWords;
        }
        for (int i = 0; i < xs.length; i++) {
            int[] x = xs[i];
            if (oovChar != null) {
                for (int k = 0; k < x.length; k++) {
                    if (x[k] < skipTop || x[k] >= limit) x[k] = oovChar;
                }
            } else {
                int n = 0;
                for (int w : x) if (w >= skipTop && w < limit) x[n++] = w;
                if (n < x.length) xs[i] = Arrays.copyOf(x, n);
            }
        }
    }

    /** A 1-D integer label array as ints. */
    static int[] labels(INDArray y, String where) throws IOException {
        if (y.rank() != 1) {
            throw new IOException(where + ": labels have shape " + RawArrays.shapeString(y.shape()) + ", expected 1-D");
        }
        if (!y.dataType().isIntType()) {
            throw new IOException(where + ": labels have type " + y.dataType() + ", expected integers");
        }
        if (y.length() == 0) return new int[0];
        long[] v = y.castTo(DataType.LONG).toLongVector();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (int) v[i]) throw new IOException(where + ": label " + v[i] + " at " + i + " is out of range");
            out[i] = (int) v[i];
        }
        return out;
    }

    static void checkPair(String where, int[][] x, int[] y) throws IOException {
        if (x.length != y.length) {
            throw new IOException(where + ": " + x.length + " sequences but " + y.length + " labels");
        }
    }

    /** Reads a word-index JSON file ({@code {"word": rank, ...}}), in file order, unmodifiable. */
    static Map<String, Integer> readWordIndex(Path file) throws IOException {
        try {
            Map<String, Integer> m = new ObjectMapper().readValue(file.toFile(),
                    new TypeReference<LinkedHashMap<String, Integer>>() { });
            if (m == null) throw new IOException(file + ": not a word index (null)");
            return Collections.unmodifiableMap(m);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a valid word-index JSON file: " + e.getOriginalMessage(), e);
        }
    }
}
