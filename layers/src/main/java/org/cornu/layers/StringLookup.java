package org.cornu.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A preprocessing layer that maps strings to (possibly encoded) indices, {@code keras.layers.StringLookup(
 * max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None, idf_weights=None,
 * invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False, encoding="utf-8")}.
 *
 * <p>This layer translates a set of arbitrary strings into integer output via a table-based vocabulary lookup. The
 * vocabulary can be supplied on construction ({@link #vocabulary}) or learned via {@link #adapt}: the vocabulary is
 * then the terms sorted by frequency, ties broken by the terms in descending order, truncated to {@code max_tokens}.
 * Index 0 is the mask token (when set, in {@code "int"} mode), then {@code num_oov_indices} OOV indices (more than one
 * hashes OOV terms with FarmHash64 into the buckets), then the vocabulary.
 *
 * <p>{@code output_mode}: {@code "int"} (indices), {@code "one_hot"}, {@code "multi_hot"}, {@code "count"} or
 * {@code "tf_idf"} (count times the term's inverse document frequency, {@code log(1 + docs / (1 + df))}).
 * {@code invert}: map indices back to strings ({@link #invertLookup}).
 *
 * <p>Strings in Cornu: the layer runs before the model, on {@code String[]} or {@code String[][]} (as Keras's
 * {@code dataset.map(lookup)} pattern); its INDArray output feeds the model. Calling it inside a model on numeric
 * tensors is an error.
 */
public class StringLookup extends IndexLookup<String, StringLookup> {
    private String encoding = "utf-8";

    /** A lookup layer with Keras's defaults: no vocabulary yet, one OOV index, no mask token, integer output. */
    public StringLookup() {
        super("[UNK]");
    }


    /**
     * Computes the vocabulary from strings, each its own document (Keras's {@code adapt} on a list of strings): the
     * terms sorted by frequency, ties broken by the terms in descending order, truncated to {@code max_tokens}.
     *
     * @param data the strings
     * @throws IllegalStateException if the layer was given a fixed vocabulary
     */
    public void adapt(List<String> data) {
        List<List<String>> docs = new ArrayList<>();
        for (String s : data) docs.add(List.of(s));
        adaptDocuments(docs);
    }

    /**
     * Computes the vocabulary from documents, each a row of terms (Keras's {@code adapt} on a 2-D string tensor);
     * document frequencies for {@code "tf_idf"} count each row once.
     *
     * @param documents the documents
     * @throws IllegalStateException if the layer was given a fixed vocabulary
     */
    public void adapt(String[][] documents) {
        List<List<String>> docs = new ArrayList<>();
        for (String[] d : documents) docs.add(Arrays.asList(d));
        adaptDocuments(docs);
    }

    /**
     * Looks up a 1-D batch of strings, as calling Keras's layer on a 1-D string tensor.
     *
     * @param values the strings
     * @return their indices, of shape {@code (n,)}, or their encoding by the output mode
     * @throws IllegalArgumentException with no OOV indices, for a string outside the vocabulary
     */
    public INDArray apply(String... values) {
        return lookup(Arrays.asList(values), new long[] {values.length});
    }

    /**
     * Looks up a 2-D batch of strings, as calling Keras's layer on a 2-D string tensor.
     *
     * @param values rows of equal length
     * @return their indices, of shape {@code (n, m)}, or their encoding by the output mode (one row per sample)
     * @throws IllegalArgumentException if the rows differ in length, or with no OOV indices, for a string outside
     *     the vocabulary
     */
    public INDArray apply(String[][] values) {
        int m = values.length == 0 ? 0 : values[0].length;
        List<String> flat = new ArrayList<>();
        for (String[] r : values) {
            if (r.length != m) throw new IllegalArgumentException(err() + "rows must have the same length (" + m + ", then " + r.length + ")");
            flat.addAll(Arrays.asList(r));
        }
        return lookup(flat, new long[] {values.length, m});
    }

    /**
     * Maps indices back to strings, as Keras's layer with {@code invert=True}: index 0 is the mask token when one is
     * set, unknown indices give the OOV token.
     *
     * @param indices integer indices, of any shape
     * @return the strings, in C order
     */
    public String[] invertLookup(INDArray indices) {
        long[] idx = CategoricalEncoder.longs(indices);
        String[] r = new String[idx.length];
        for (int i = 0; i < idx.length; i++) r[i] = termOf(idx[i]);
        return r;
    }

    /** Lookup of terms already split (used by TextVectorization). */
    INDArray lookupTerms(List<String> flat, long[] shape) {
        return lookup(flat, shape);
    }

    void adaptTerms(Iterable<? extends List<String>> docs) {
        adaptDocuments(docs);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        throw new UnsupportedOperationException(err() + "string inputs cannot flow through a Cornu model graph; call"
                + " StringLookup.apply(String[]) before the model and feed its output to the model.");
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return lookupOutputShape(s);
    }

    @Override
    String className() {
        return "StringLookup";
    }

    @Override
    int compareTerms(String a, String b) {
        return compareUtf8(a, b);
    }

    @Override
    Object tieKey(String term) {
        return term.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    int compareTieKeys(Object a, Object b) {
        return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
    }

    @Override
    String parseTerm(String line) {
        return line;
    }

    @Override
    String hashString(String term) {
        return term;
    }

    @Override
    boolean integerTerms() {
        return false;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = lookupConfig(new LinkedHashMap<>(super.getConfig()));
        c.remove("vocabulary_dtype");
        c.put("encoding", encoding);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static StringLookup fromConfig(Map<String, Object> c) {
        StringLookup l = new StringLookup();
        if (c.get("name") != null) l.name((String) c.get("name"));
        String enc = org.cornu.core.saving.Configs.getString(c, "encoding", "utf-8");
        if (!enc.equalsIgnoreCase("utf-8")) throw new IllegalArgumentException("StringLookup: only encoding='utf-8' is supported. Received: " + enc);
        l.readConfig(c, o -> o == null ? null : o.toString());
        return l;
    }
}
