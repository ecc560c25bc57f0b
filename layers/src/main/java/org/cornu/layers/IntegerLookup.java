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
public class IntegerLookup extends IndexLookup<Long, IntegerLookup> {
    /** A lookup layer with Keras's defaults: no vocabulary yet, one OOV index, no mask token, integer output. */
    public IntegerLookup() {
        super(-1L);
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
