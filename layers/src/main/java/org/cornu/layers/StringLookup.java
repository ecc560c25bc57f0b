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
public class StringLookup extends IndexLookup<String> {
    private String encoding = "utf-8";

    /** A lookup layer with Keras's defaults: no vocabulary yet, one OOV index, no mask token, integer output. */
    public StringLookup() {
        super("[UNK]");
    }

    /**
     * Sets the maximum size of the vocabulary (Keras's {@code max_tokens}, default None: no cap). This should only
     * be specified when adapting the vocabulary or when setting {@code pad_to_max_tokens=True}. Note that this size
     * includes the OOV and mask tokens.
     *
     * @param n the maximum size, greater than 1, or null for no cap
     * @return this layer
     * @throws IllegalArgumentException if {@code n} is 1 or less
     */
    public StringLookup maxTokens(Integer n) {
        maxTokens = n;
        validate();
        return this;
    }

    /**
     * Sets the number of out-of-vocabulary tokens to use (Keras's {@code num_oov_indices}, default 1). If this value
     * is more than 1, OOV inputs are spread over the OOV indices; if it is 0, OOV inputs cause an error when
     * calling the layer.
     *
     * @param n the number of OOV indices, 0 or more
     * @return this layer
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public StringLookup numOovIndices(int n) {
        numOovIndices = n;
        validate();
        return this;
    }

    /**
     * Sets the string that represents masked inputs (Keras's {@code mask_token}, default None: no mask term).
     * When {@code output_mode} is {@code "int"}, the token is included in the vocabulary and mapped to index 0. In
     * other output modes, the token will not appear in the vocabulary and instances of the mask token in the input
     * will be dropped.
     *
     * @param t the mask token, or null for none
     * @return this layer
     */
    public StringLookup maskToken(String t) {
        maskToken = t;
        return this;
    }

    /**
     * Sets the token to return for OOV indices (Keras's {@code oov_token}, default {@code "[UNK]"}); only used when
     * {@code invert} is true.
     *
     * @param t the OOV token
     * @return this layer
     */
    public StringLookup oovToken(String t) {
        oovToken = t;
        return this;
    }

    /**
     * Sets the output of the layer (Keras's {@code output_mode}, default {@code "int"}): {@code "int"} returns
     * the raw integer indices of the input tokens; {@code "one_hot"} encodes each individual element in the input
     * into an array the same size as the vocabulary, containing a 1 at the element index; {@code "multi_hot"}
     * encodes each sample in the input into a single array the same size as the vocabulary, containing a 1 for each
     * vocabulary term present in the sample; {@code "count"} is like {@code "multi_hot"} but the array contains a
     * count of the number of times the token appeared in the sample; {@code "tf_idf"} is like {@code "multi_hot"}
     * but the TF-IDF algorithm is applied to find the value in each token slot.
     *
     * @param m one of the modes above ({@code "binary"} and {@code "tf-idf"} are accepted as old names)
     * @return this layer
     * @throws IllegalArgumentException for any other mode, or a mode other than {@code "int"} with
     *     {@code invert}
     */
    public StringLookup outputMode(String m) {
        outputMode = checkMode(m, "StringLookup");
        validate();
        return this;
    }

    /**
     * Sets whether the feature axis is padded to {@code max_tokens} (Keras's {@code pad_to_max_tokens}, default
     * false); only applicable when {@code output_mode} is {@code "multi_hot"}, {@code "count"} or
     * {@code "tf_idf"}. If true, the output has shape {@code (batch_size, max_tokens)} regardless of the
     * vocabulary size.
     *
     * @param b whether to pad
     * @return this layer
     */
    public StringLookup padToMaxTokens(boolean b) {
        padToMaxTokens = b;
        validate();
        return this;
    }

    /**
     * Sets whether this layer maps indices to vocabulary items instead of vocabulary items to indices (Keras's
     * {@code invert}, default false); only valid when {@code output_mode} is {@code "int"}.
     *
     * @param b whether to invert
     * @return this layer
     * @throws IllegalArgumentException if the output mode is not {@code "int"}
     */
    public StringLookup invert(boolean b) {
        invert = b;
        validate();
        return this;
    }

    /**
     * Sets a fixed vocabulary (Keras's {@code vocabulary} and {@code idf_weights}, default None: learned by
     * {@code adapt}); it is saved in the layer's config. The vocabulary should not contain duplicate terms; it may
     * start with the mask and OOV tokens, in that order, or leave them out.
     *
     * @param v the vocabulary terms
     * @param idfWeights in {@code "tf_idf"} mode, the inverse document frequency weight of each term; none
     *     otherwise
     * @return this layer
     * @throws IllegalArgumentException as {@link #setVocabulary} for a bad vocabulary or bad weights
     */
    public StringLookup vocabulary(List<String> v, double... idfWeights) {
        inputVocabulary = new ArrayList<>(v);
        inputIdfWeights = idfWeights.length == 0 ? null : idfWeights.clone();
        setVocabulary(inputVocabulary, inputIdfWeights);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public StringLookup name(String n) {
        return super.name(n);
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
