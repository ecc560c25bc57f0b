package org.cornu.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A preprocessing layer that maps integers to (possibly encoded) indices, {@code keras.layers.IntegerLookup(
 * max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None, vocabulary_dtype="int64",
 * idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False, oov_method="floormod")}.
 *
 * <p>This layer maps a set of arbitrary integer input tokens into indexed integer output via a table-based vocabulary
 * lookup. The vocabulary can be supplied on construction ({@link #vocabulary}) or learned via {@link #adapt}: the
 * terms sorted by frequency, ties broken by the larger integer first, truncated to {@code max_tokens}. Index 0 is the
 * mask token (when set, in {@code "int"} mode), then {@code num_oov_indices} OOV indices (more than one: OOV values go
 * to bucket {@code value mod num_oov_indices}, or their FarmHash64 with {@code oov_method="farmhash"}), then the
 * vocabulary. Output modes as {@link StringLookup}; {@code invert=True} maps indices back to values (OOV to
 * {@code oov_token}). The layer works on integer INDArrays, inside a model or before it.
 */
public class IntegerLookup extends IndexLookup<Long> {
    /** A lookup layer with Keras's defaults: no vocabulary yet, one OOV index, no mask token, integer output. */
    public IntegerLookup() {
        super(-1L);
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
    public IntegerLookup maxTokens(Integer n) {
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
    public IntegerLookup numOovIndices(int n) {
        numOovIndices = n;
        validate();
        return this;
    }

    /**
     * Sets the integer that represents masked inputs (Keras's {@code mask_token}, default None: no mask term).
     * When {@code output_mode} is {@code "int"}, the token is included in the vocabulary and mapped to index 0. In
     * other output modes, the token will not appear in the vocabulary and instances of the mask token in the input
     * will be dropped.
     *
     * @param t the mask token, or null for none
     * @return this layer
     */
    public IntegerLookup maskToken(Long t) {
        maskToken = t;
        return this;
    }

    /**
     * Sets the token to return for OOV indices (Keras's {@code oov_token}, default -1); only used when
     * {@code invert} is true.
     *
     * @param t the OOV token
     * @return this layer
     */
    public IntegerLookup oovToken(Long t) {
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
    public IntegerLookup outputMode(String m) {
        outputMode = checkMode(m, "IntegerLookup");
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
    public IntegerLookup padToMaxTokens(boolean b) {
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
    public IntegerLookup invert(boolean b) {
        invert = b;
        validate();
        return this;
    }

    /**
     * Sets how OOV values pick one of several OOV indices (Keras's {@code oov_method}, default
     * {@code "floormod"}).
     *
     * @param m {@code "floormod"} (the value modulo {@code num_oov_indices}) or {@code "farmhash"} (FarmHash64 of
     *     its decimal string)
     * @return this layer
     * @throws IllegalArgumentException for any other method
     */
    public IntegerLookup oovMethod(String m) {
        if (!List.of("floormod", "farmhash").contains(m)) {
            throw new IllegalArgumentException("IntegerLookup: `oov_method` must be 'floormod' or 'farmhash'. Received: " + m);
        }
        oovMethod = m;
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
    public IntegerLookup vocabulary(List<Long> v, double... idfWeights) {
        inputVocabulary = new ArrayList<>(v);
        inputIdfWeights = idfWeights.length == 0 ? null : idfWeights.clone();
        setVocabulary(inputVocabulary, inputIdfWeights);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public IntegerLookup name(String n) {
        return super.name(n);
    }

    /**
     * Computes the vocabulary from the data (Keras's {@code adapt}): the terms sorted by frequency, ties broken by
     * the larger integer first, truncated to {@code max_tokens}; in {@code "tf_idf"} mode also the idf weights.
     *
     * @param data integers: a 1-D array is as many one-value documents, a 2-D array's rows are documents
     * @throws IllegalStateException if the layer was given a fixed vocabulary
     */
    public void adapt(INDArray data) {
        long[] v = CategoricalEncoder.longs(data);
        int cols = data.rank() <= 1 ? 1 : (int) (v.length / Math.max(1, data.size(0)));
        List<List<Long>> docs = new ArrayList<>();
        for (int i = 0; i < v.length; i += cols) {
            List<Long> d = new ArrayList<>();
            for (int j = 0; j < cols; j++) d.add(v[i + j]);
            docs.add(d);
        }
        adaptDocuments(docs);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        INDArray v = x.value();
        if (invert) {
            long[] idx = CategoricalEncoder.longs(v);
            long[] r = new long[idx.length];
            for (int i = 0; i < r.length; i++) {
                Long t = termOf(idx[i]);
                r[i] = t == null ? 0 : t;
            }
            return Tensor.constant(Nd4j.createFromArray(r).reshape(v.shape()));
        }
        List<Long> flat = new ArrayList<>();
        for (long l : CategoricalEncoder.longs(v)) flat.add(l);
        return Tensor.constant(lookup(flat, v.shape()));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return lookupOutputShape(s);
    }

    @Override
    String className() {
        return "IntegerLookup";
    }

    @Override
    int compareTerms(Long a, Long b) {
        return Long.compare(a, b);
    }

    @Override
    Long parseTerm(String line) {
        return Long.parseLong(line.trim());
    }

    @Override
    String hashString(Long term) {
        return Long.toString(term);
    }

    @Override
    boolean integerTerms() {
        return true;
    }

    @Override
    public Map<String, Object> getConfig() {
        return lookupConfig(new LinkedHashMap<>(super.getConfig()));
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static IntegerLookup fromConfig(Map<String, Object> c) {
        IntegerLookup l = new IntegerLookup();
        if (c.get("name") != null) l.name((String) c.get("name"));
        l.readConfig(c, o -> o == null ? null : ((Number) o).longValue());
        return l;
    }
}
