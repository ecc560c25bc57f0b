package org.cornu.layers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The common logic of {@link StringLookup} and {@link IntegerLookup} (Keras's {@code IndexLookup}): a vocabulary
 * mapped to integer indices, with the mask token at index 0 (in {@code "int"} mode), then {@code num_oov_indices}
 * out-of-vocabulary indices, then the vocabulary terms. {@code adapt} sorts terms by count, descending, and breaks
 * ties by the terms themselves, also descending (Keras's {@code np.lexsort((tokens, counts))[::-1]}; strings compare
 * by their UTF-8 bytes), then keeps the first {@code max_tokens} minus the special indices.
 *
 * <p>{@code tf_idf} weights are {@code log(1 + num_documents / (1 + document_count))} per term, the special indices
 * getting the mean of the terms' weights, as Keras computes them. The vocabulary learned by {@code adapt} is saved in
 * the {@code .keras} archive's assets ({@code vocabulary.txt}, one term a line, the special tokens first), as Keras
 * saves it; a vocabulary given to the constructor is saved in the config instead.
 *
 * @param <K> the term type: String or Long
 * @param <L> the concrete layer type, which the setters return
 */
public abstract class IndexLookup<K, L extends IndexLookup<K, L>> extends Layer implements org.cornu.core.saving.KerasAssets {
    Integer maxTokens;
    int numOovIndices = 1;
    K maskToken;
    K oovToken;
    String outputMode = "int";
    boolean padToMaxTokens;
    boolean invert;
    String oovMethod = "floormod";
    long[] salt;
    List<K> inputVocabulary;
    double[] inputIdfWeights;
    Integer frozenVocabSize;

    private List<K> tokens = new ArrayList<>();
    private Map<K, Integer> index = new HashMap<>();
    private double[] idf;

    IndexLookup(K oovToken) {
        this.oovToken = oovToken;
    }

    abstract String className();

    /** Keras's tie order for equal counts (ascending; the sort is then reversed). */
    abstract int compareTerms(K a, K b);

    /** A vocabulary line read back from the assets. */
    abstract K parseTerm(String line);

    /** The string a term hashes as (integers as their decimal strings). */
    abstract String hashString(K term);

    abstract boolean integerTerms();

    String err() {
        return className() + " \"" + name() + "\": ";
    }

    void validate() {
        if (maxTokens != null && maxTokens <= 1) {
            throw new IllegalArgumentException("If set, `max_tokens` must be greater than 1. Received: max_tokens=" + maxTokens);
        }
        if (numOovIndices < 0) {
            throw new IllegalArgumentException("`num_oov_indices` must be greater than or equal to 0. Received: num_oov_indices=" + numOovIndices);
        }
        if (invert && !outputMode.equals("int")) {
            throw new IllegalArgumentException("`output_mode` must be `'int'` when `invert` is true. Received: output_mode=" + outputMode);
        }
    }

    static String checkMode(String mode, String layer) {
        if ("binary".equals(mode)) mode = "multi_hot";
        if ("tf-idf".equals(mode)) mode = "tf_idf";
        if (!List.of("int", "one_hot", "multi_hot", "count", "tf_idf").contains(mode)) {
            throw new IllegalArgumentException("Invalid value for argument output_mode in " + layer + ". Expected one of"
                    + " [int, one_hot, multi_hot, count, tf_idf]. Received: output_mode=" + mode);
        }
        return mode;
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
    public L maxTokens(Integer n) {
        maxTokens = n;
        validate();
        return self();
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
    public L numOovIndices(int n) {
        numOovIndices = n;
        validate();
        return self();
    }

    /**
     * Sets the term that represents masked inputs (Keras's {@code mask_token}, default None: no mask term;
     * a string for StringLookup, an integer for IntegerLookup). When {@code output_mode} is {@code "int"}, the token is included in the vocabulary and mapped to index 0. In
     * other output modes, the token will not appear in the vocabulary and instances of the mask token in the input
     * will be dropped.
     *
     * @param t the mask token, or null for none
     * @return this layer
     */
    public L maskToken(K t) {
        maskToken = t;
        return self();
    }

    /**
     * Sets the token to return for OOV indices (Keras's {@code oov_token}, default {@code "[UNK]"} for
     * StringLookup, -1 for IntegerLookup); only used when {@code invert} is true.
     *
     * @param t the OOV token
     * @return this layer
     */
    public L oovToken(K t) {
        oovToken = t;
        return self();
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
    public L outputMode(String m) {
        outputMode = checkMode(m, className());
        validate();
        return self();
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
    public L padToMaxTokens(boolean b) {
        padToMaxTokens = b;
        validate();
        return self();
    }

    /**
     * Sets whether this layer maps indices to vocabulary items instead of vocabulary items to indices (Keras's
     * {@code invert}, default false); only valid when {@code output_mode} is {@code "int"}.
     *
     * @param b whether to invert
     * @return this layer
     * @throws IllegalArgumentException if the output mode is not {@code "int"}
     */
    public L invert(boolean b) {
        invert = b;
        validate();
        return self();
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
    public L vocabulary(List<K> v, double... idfWeights) {
        inputVocabulary = new ArrayList<>(v);
        inputIdfWeights = idfWeights.length == 0 ? null : idfWeights.clone();
        setVocabulary(inputVocabulary, inputIdfWeights);
        return self();
    }

    @Override
    @SuppressWarnings("unchecked")
    public L name(String n) {
        return super.name(n);
    }

    /** This layer, as its own type (the setters' return value). */
    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    int oovStartIndex() {
        return maskToken != null && outputMode.equals("int") ? 1 : 0;
    }

    int tokenStartIndex() {
        return oovStartIndex() + numOovIndices;
    }

    /**
     * The size of the vocabulary (Keras's {@code vocabulary_size()}).
     *
     * @return the number of terms, including the mask and OOV indices
     */
    public int vocabularySize() {
        return tokenStartIndex() + tokens.size();
    }

    /**
     * The current vocabulary (Keras's {@code get_vocabulary()}).
     *
     * @return the terms with the mask and OOV tokens first: a term's index in the list is its index in the output
     */
    public List<K> getVocabulary() {
        return getVocabulary(true);
    }

    /**
     * The current vocabulary (Keras's {@code get_vocabulary(include_special_tokens)}).
     *
     * @param includeSpecialTokens whether to put the mask and OOV tokens first; without them, a term's index in
     *     the list is no longer its index in the output
     * @return the terms
     */
    public List<K> getVocabulary(boolean includeSpecialTokens) {
        List<K> r = new ArrayList<>();
        if (includeSpecialTokens) {
            if (oovStartIndex() == 1) r.add(maskToken);
            for (int i = 0; i < numOovIndices; i++) r.add(oovToken);
        }
        r.addAll(tokens);
        return r;
    }

    /**
     * The inverse document frequency weights of {@code "tf_idf"} mode.
     *
     * @return a copy, one weight per output index, or null outside tf_idf mode or before {@code adapt}
     */
    public double[] idfWeights() {
        return idf == null ? null : idf.clone();
    }

    /**
     * Sets the vocabulary (and, in tf_idf mode, the idf weights) directly, instead of {@code adapt}: Keras's
     * {@code set_vocabulary}. The vocabulary may start with the special tokens in Keras's order (mask, then OOV);
     * it need not include them.
     *
     * @param vocabulary the unique terms
     * @param idfWeights one inverse document frequency weight per vocabulary term; required in {@code "tf_idf"}
     *     mode and null otherwise
     * @throws IllegalArgumentException if the vocabulary is empty, repeats a term, holds a special token elsewhere
     *     than at its start, exceeds {@code max_tokens}, or if the idf weights are missing, unexpected or of
     *     another length
     */
    public void setVocabulary(List<K> vocabulary, double[] idfWeights) {
        if (outputMode.equals("tf_idf") && idfWeights == null) {
            throw new IllegalArgumentException(err() + "`idf_weights` must be set if output_mode is 'tf_idf'.");
        }
        if (!outputMode.equals("tf_idf") && idfWeights != null) {
            throw new IllegalArgumentException(err() + "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: output_mode="
                    + outputMode);
        }
        if (vocabulary.isEmpty()) throw new IllegalArgumentException(err() + "Cannot set an empty vocabulary.");
        List<K> special = new ArrayList<>();
        for (int i = 0; i < oovStartIndex(); i++) special.add(maskToken);
        for (int i = 0; i < numOovIndices; i++) special.add(oovToken);
        boolean found = vocabulary.size() >= special.size() && vocabulary.subList(0, special.size()).equals(special);
        List<K> toks = found ? vocabulary.subList(special.size(), vocabulary.size()) : vocabulary;
        Set<K> seen = new HashSet<>();
        List<K> repeated = new ArrayList<>();
        for (K t : toks) if (!seen.add(t) && !repeated.contains(t)) repeated.add(t);
        if (!repeated.isEmpty()) {
            throw new IllegalArgumentException(err() + "The passed vocabulary has at least one repeated term. Please uniquify your"
                    + " dataset. The repeated terms are: " + repeated);
        }
        if (maskToken != null && seen.contains(maskToken)) {
            throw new IllegalArgumentException(err() + "Found reserved mask token at unexpected location in `vocabulary`. Note that"
                    + " passed `vocabulary` does not need to include the OOV and mask tokens. Either remove all mask and OOV tokens,"
                    + " or include them only at the start of the vocabulary in precisely this order: " + special);
        }
        if (invert && oovToken != null && seen.contains(oovToken)) {
            throw new IllegalArgumentException(err() + "Found reserved OOV token at unexpected location in `vocabulary`: " + oovToken);
        }
        int size = tokenStartIndex() + toks.size();
        if (maxTokens != null && size > maxTokens) {
            throw new IllegalArgumentException(err() + "Attempted to set a vocabulary larger than the maximum vocab size. Received"
                    + " vocabulary size is " + size + "; `max_tokens` is " + maxTokens + ".");
        }
        setTokens(new ArrayList<>(toks));
        if (idfWeights != null) {
            if (idfWeights.length != vocabulary.size()) {
                throw new IllegalArgumentException(err() + "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                        + idfWeights.length + "; len(vocabulary) is " + vocabulary.size());
            }
            int front = found ? 0 : tokenStartIndex();
            double frontValue = found ? 0 : Arrays.stream(idfWeights).average().orElse(0);
            idf = padIdf(idfWeights, front, frontValue);
        }
        recordVocabularySize();
    }

    private double[] padIdf(double[] w, int front, double frontValue) {
        checkPad();
        int back = padToMaxTokens ? Math.max(0, maxTokens - front - w.length) : 0;
        double[] r = new double[front + w.length + back];
        Arrays.fill(r, 0, front, frontValue);
        System.arraycopy(w, 0, r, front, w.length);
        return r;
    }

    private void setTokens(List<K> toks) {
        tokens = toks;
        index = new HashMap<>();
        int start = tokenStartIndex();
        for (int i = 0; i < toks.size(); i++) index.put(toks.get(i), start + i);
    }

    private void recordVocabularySize() {
        if (!outputMode.equals("int") && !padToMaxTokens && frozenVocabSize != null && frozenVocabSize != vocabularySize()) {
            throw new IllegalStateException(err() + "When using `output_mode=" + outputMode + "` and `pad_to_max_tokens=False`, the"
                    + " vocabulary size cannot be changed after the layer is called. Old vocab size is " + frozenVocabSize
                    + ", new vocab size is " + vocabularySize());
        }
        frozenVocabSize = vocabularySize();
    }

    /** Learns the vocabulary (and document frequencies) from documents, each a list of terms: Keras's {@code adapt}. */
    void adaptDocuments(Iterable<? extends List<K>> documents) {
        if (inputVocabulary != null) {
            throw new IllegalStateException(err() + "Cannot adapt layer '" + name() + "' after setting a static vocabulary via"
                    + " `vocabulary` argument or `set_vocabulary()` method.");
        }
        Map<K, long[]> counts = new LinkedHashMap<>();
        long numDocuments = 0;
        boolean tfidf = outputMode.equals("tf_idf");
        for (List<K> doc : documents) {
            numDocuments++;
            Set<K> inDoc = tfidf ? new HashSet<>() : null;
            for (K t : doc) {
                long[] c = counts.computeIfAbsent(t, k -> new long[2]);
                c[0]++;
                if (tfidf && inDoc.add(t)) c[1]++;
            }
        }
        if (counts.isEmpty()) {
            recordVocabularySize();
            return;
        }
        if (maskToken != null) counts.remove(maskToken);
        if (oovToken != null) counts.remove(oovToken);
        // count descending, then the tie key descending; keys and counts computed once per term, not per comparison
        List<Object[]> entries = new ArrayList<>(counts.size());
        for (Map.Entry<K, long[]> e : counts.entrySet()) entries.add(new Object[] {e.getKey(), e.getValue()[0], tieKey(e.getKey())});
        entries.sort((a, b) -> {
            int c = Long.compare((Long) b[1], (Long) a[1]);
            return c != 0 ? c : compareTieKeys(b[2], a[2]);
        });
        List<K> sorted = new ArrayList<>(entries.size());
        for (Object[] e : entries) {
            @SuppressWarnings("unchecked")
            K k = (K) e[0];
            sorted.add(k);
        }
        if (maxTokens != null) sorted = new ArrayList<>(sorted.subList(0, Math.min(sorted.size(), maxTokens - tokenStartIndex())));
        frozenVocabSize = null;
        setTokens(sorted);
        if (tfidf) {
            double[] w = new double[sorted.size()];
            double mean = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.log(1 + (double) numDocuments / (1 + counts.get(sorted.get(i))[1]));
                mean += w[i];
            }
            mean = w.length == 0 ? 0 : (float) (mean / w.length);
            idf = padIdf(w, tokenStartIndex(), mean);
        }
        recordVocabularySize();
    }

    /** The key a term's ties sort by (the term itself; StringLookup: its UTF-8 bytes, computed once). */
    Object tieKey(K term) {
        return term;
    }

    /** Compares two {@link #tieKey}s as {@link #compareTerms} compares their terms. */
    @SuppressWarnings("unchecked")
    int compareTieKeys(Object a, Object b) {
        return compareTerms((K) a, (K) b);
    }

    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The output index of one term ({@link CategoricalEncoder#DROP} for a mask token outside int mode). */
    long indexOf(K t) {
        if (maskToken != null && maskToken.equals(t)) return outputMode.equals("int") ? 0 : CategoricalEncoder.DROP;
        Integer i = index.get(t);
        if (i != null) return i;
        if (numOovIndices == 0) {
            throw new IllegalArgumentException(err() + "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values ["
                    + t + "], consider setting `num_oov_indices=1`.");
        }
        if (numOovIndices == 1) return oovStartIndex();
        long bucket;
        if (integerTerms() && !oovMethod.equals("farmhash")) bucket = Math.floorMod((Long) t, (long) numOovIndices);
        else if (salt != null) bucket = StringHashes.strongBucket(hashString(t), numOovIndices, salt[0], salt[1]);
        else bucket = StringHashes.fastBucket(hashString(t), numOovIndices);
        return oovStartIndex() + bucket;
    }

    /** The term of one index ({@code invert=True}): the mask token at 0 if set, the OOV token for unknown indices. */
    K termOf(long i) {
        if (maskToken != null && i == 0) return maskToken;
        long k = i - tokenStartIndex();
        return k >= 0 && k < tokens.size() ? tokens.get((int) k) : oovToken;
    }

    private void checkPad() {
        if (padToMaxTokens && maxTokens == null) {
            throw new IllegalArgumentException(err() + "If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=None");
        }
    }

    int depth() {
        checkPad();
        if (padToMaxTokens) return maxTokens;
        if (frozenVocabSize == null) {
            throw new IllegalStateException(err() + "When using `output_mode=" + outputMode + "` and `pad_to_max_tokens=False`, you must"
                    + " set the layer's vocabulary before calling it. Either pass a `vocabulary` argument to the layer, or call `adapt`"
                    + " with some sample data.");
        }
        return frozenVocabSize;
    }

    /** Looks up terms given in C order for inputs of {@code shape}, and encodes them by the output mode. */
    INDArray lookup(List<K> flat, long[] shape) {
        long[] idx = new long[flat.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = indexOf(flat.get(i));
        if (outputMode.equals("int")) return CategoricalEncoder.encode(idx, shape, "int", 0, null, null, true, name());
        String mode = outputMode.equals("tf_idf") ? "count" : outputMode;
        return CategoricalEncoder.encode(idx, shape, mode, depth(), null, outputMode.equals("tf_idf") ? idf : null, true, name());
    }

    Shape lookupOutputShape(Shape s) {
        if (outputMode.equals("int")) return s;
        checkPad();
        long d = padToMaxTokens ? maxTokens : frozenVocabSize == null ? Shape.NONE : frozenVocabSize;
        return Shape.of(CategoricalEncoder.outputShape(s.dims(), outputMode, d));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    /** The config keys of Keras's {@code IndexLookup.get_config}. */
    Map<String, Object> lookupConfig(Map<String, Object> c) {
        c.put("invert", invert);
        c.put("max_tokens", maxTokens);
        c.put("num_oov_indices", numOovIndices);
        c.put("oov_token", oovToken);
        c.put("mask_token", maskToken);
        c.put("output_mode", outputMode);
        c.put("sparse", false);
        c.put("pad_to_max_tokens", padToMaxTokens);
        c.put("vocabulary_dtype", integerTerms() ? "int64" : "string");
        c.put("idf_weights", inputIdfWeights == null ? null : Arrays.stream(inputIdfWeights).boxed().toList());
        c.put("vocabulary", inputVocabulary == null ? null : new ArrayList<>(inputVocabulary));
        c.put("vocabulary_size", frozenVocabSize);
        c.put("oov_method", oovMethod);
        c.put("salt", salt == null ? null : List.of(salt[0], salt[1]));
        return c;
    }

    /** Reads the shared keys of a lookup layer's config; {@code term} converts a config value to a term. */
    void readConfig(Map<String, Object> c, java.util.function.Function<Object, K> term) {
        if (Boolean.TRUE.equals(c.get("sparse"))) throw new IllegalArgumentException(err() + "sparse=True is not supported by Cornu");
        Object mt = c.get("max_tokens");
        maxTokens = mt == null ? null : ((Number) mt).intValue();
        Object n = c.get("num_oov_indices");
        numOovIndices = n == null ? 1 : ((Number) n).intValue();
        if (c.containsKey("oov_token")) oovToken = term.apply(c.get("oov_token"));
        maskToken = term.apply(c.get("mask_token"));
        outputMode = checkMode(org.cornu.core.saving.Configs.getString(c, "output_mode", "int"), className());
        padToMaxTokens = Boolean.TRUE.equals(c.get("pad_to_max_tokens"));
        invert = Boolean.TRUE.equals(c.get("invert"));
        oovMethod = org.cornu.core.saving.Configs.getString(c, "oov_method", "floormod");
        Object s = c.get("salt");
        if (s instanceof Number num) salt = new long[] {num.longValue(), num.longValue()};
        else if (s instanceof List<?> l) salt = new long[] {((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue()};
        Object vs = c.get("vocabulary_size");
        Object idfw = c.get("idf_weights");
        double[] w = idfw == null ? null : ImageAugmentation.doubles(idfw);
        Object v = c.get("vocabulary");
        validate();
        checkPad();
        if (v instanceof String) {
            throw new IllegalArgumentException(err() + "a vocabulary file path in the config is not supported: " + v);
        }
        if (v != null) {
            List<K> vocab = new ArrayList<>();
            for (Object o : (List<?>) v) vocab.add(term.apply(o));
            inputVocabulary = vocab;
            inputIdfWeights = w;
            setVocabulary(vocab, w);
        } else if (vs != null) {
            frozenVocabSize = ((Number) vs).intValue();
        }
    }

    // ------------------------------------------------------------------ assets

    @Override
    public Map<String, byte[]> saveAssets() {
        if (inputVocabulary != null) return Map.of();
        StringBuilder b = new StringBuilder();
        List<K> v = getVocabulary(true);
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) b.append('\n');
            b.append(v.get(i));
        }
        return Map.of("vocabulary.txt", b.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void loadAssets(Map<String, byte[]> files) {
        if (inputVocabulary != null) return;
        byte[] f = files.get("vocabulary.txt");
        if (f == null) {
            throw new IllegalArgumentException(err() + "the archive has no vocabulary.txt among this layer's assets " + files.keySet());
        }
        List<String> lines = new ArrayList<>(Arrays.asList(new String(f, StandardCharsets.UTF_8).split("\r\n|\n|\r", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        List<K> vocab = new ArrayList<>();
        for (String l : lines) vocab.add(parseTerm(l));
        Integer frozen = frozenVocabSize;
        frozenVocabSize = null;
        try {
            setVocabulary(vocab, outputMode.equals("tf_idf") ? idfWithoutPadding(vocab.size()) : null);
        } catch (RuntimeException e) {
            frozenVocabSize = frozen;
            throw e;
        }
    }

    private double[] idfWithoutPadding(int vocabularyLength) {
        if (idf == null) throw new IllegalStateException(err() + "tf_idf weights must be loaded before the vocabulary");
        // with pad_to_max_tokens the saved weights run to max_tokens: the vocabulary's share is at the front
        return idf.length > vocabularyLength ? Arrays.copyOf(idf, vocabularyLength) : idf;
    }

    /** Keras's {@code save_own_variables} in tf_idf mode: {@code idf_weights}. */
    @Override
    public Map<String, INDArray> saveOwnVariables() {
        if (!outputMode.equals("tf_idf") || idf == null) return Map.of();
        return Map.of("idf_weights", org.nd4j.linalg.factory.Nd4j.create(idf).castTo(org.cornu.core.Cornu.floatType()));
    }

    @Override
    public void loadOwnVariables(Map<String, INDArray> vars) {
        if (!outputMode.equals("tf_idf")) return;
        INDArray w = vars.get("idf_weights");
        if (w != null) idf = w.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup().data().asDouble();
    }
}
