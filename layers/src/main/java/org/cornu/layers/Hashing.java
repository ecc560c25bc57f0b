package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A preprocessing layer which hashes and bins categorical features, {@code keras.layers.Hashing(num_bins,
 * mask_value=None, salt=None, output_mode="int", sparse=False)}.
 *
 * <p>This layer transforms categorical inputs to hashed output. It element-wise converts ints or strings to ints in
 * a fixed range. The stable hash function is TensorFlow's {@code Fingerprint}: FarmHash64 by default, which provides
 * a consistent hashed output across different platforms and is stable across invocations, by mixing the input bits
 * thoroughly. If you want to obfuscate the hashed output, you can also pass a random {@code salt}; the layer will then
 * use SipHash64, with the salt value serving as additional input to the hash function. Integers are hashed as their
 * decimal strings (floats are first truncated to integers), as Keras does, so the bins are Keras's bins.
 *
 * <p>Example: {@code new Hashing(3).apply(new String[][] {{"A"}, {"B"}, {"C"}, {"D"}, {"E"}})} gives
 * {@code [[1], [0], [1], [1], [2]]}; with {@code .saltValues(133, 137)}, {@code [[1], [2], [1], [0], [2]]}.
 *
 * <p>{@code num_bins}: number of hash bins. Note that this includes the {@code mask_value} bin, so the effective
 * number of bins is {@code num_bins - 1} if {@code mask_value} is set. {@code mask_value}: a value that represents
 * masked inputs, which are mapped to index 0; none means no mask term will be added and the hashing will start at
 * index 0. {@code salt}: a single unsigned integer or a pair; if passed, the hash function used will be SipHash64,
 * with these values used as an additional input. {@code output_mode}: {@code "int"} (default; the integer bin
 * indices, int64), {@code "one_hot"}, {@code "multi_hot"} or {@code "count"} (as {@link CategoryEncoding}, with
 * {@code num_bins} as the depth). Only {@code sparse=False} is supported.
 *
 * <p>Strings: call {@link #apply(String[])} or {@link #apply(String[][])} before the model; numeric inputs may also
 * flow through the layer inside a model.
 */
public class Hashing extends Layer {
    private final int numBins;
    private Object maskValue;
    private long[] salt;
    private String outputMode = "int";

    /**
     * A hashing layer with {@code numBins} bins, FarmHash64, no mask value and integer output.
     *
     * @param numBins number of hash bins, including the {@code mask_value} bin when one is set (Keras's
     *     {@code num_bins})
     * @throws IllegalArgumentException if {@code numBins} is not positive
     */
    public Hashing(int numBins) {
        if (numBins <= 0) {
            throw new IllegalArgumentException("The `num_bins` for `Hashing` cannot be `None` or non-positive values. Received: num_bins="
                    + numBins + ".");
        }
        this.numBins = numBins;
    }

    /**
     * Sets the value that represents masked inputs, mapped to index 0 (Keras's {@code mask_value}, default None: no
     * mask bin, hashing starts at index 0).
     *
     * @param v a String or an integer, or null for none
     * @return this layer
     * @throws IllegalArgumentException if {@code v} is neither a String nor a number
     */
    public Hashing maskValue(Object v) {
        if (v != null && !(v instanceof String) && !(v instanceof Number)) {
            throw new IllegalArgumentException("Hashing: `mask_value` must be a string or an integer. Received: " + v);
        }
        maskValue = v instanceof Number n && !(v instanceof Long) ? Long.valueOf(n.longValue()) : v;
        return this;
    }

    /**
     * Salts the hash (Keras's {@code salt} as one integer, default None): the layer then uses SipHash64 with the key
     * {@code (s, s)}.
     *
     * @param s the salt
     * @return this layer
     */
    public Hashing salt(long s) {
        return saltValues(s, s);
    }

    /**
     * Salts the hash with a pair (Keras's {@code salt=[s0, s1]}): the layer then uses SipHash64 with the key
     * {@code (s0, s1)}.
     *
     * @param s0 the first half of the key
     * @param s1 the second half of the key
     * @return this layer
     */
    public Hashing saltValues(long s0, long s1) {
        salt = new long[] {s0, s1};
        return this;
    }

    /**
     * Sets the output encoding (Keras's {@code output_mode}, default {@code "int"}).
     *
     * @param mode {@code "int"} (the bin indices), {@code "one_hot"}, {@code "multi_hot"} or {@code "count"} (as
     *     {@link CategoryEncoding}, with {@code num_bins} as the depth)
     * @return this layer
     * @throws IllegalArgumentException for any other mode
     */
    public Hashing outputMode(String mode) {
        if (!List.of("int", "one_hot", "multi_hot", "count").contains(mode)) {
            throw new IllegalArgumentException("Invalid value for argument `output_mode`. Expected one of (\"int\", \"one_hot\","
                    + " \"multi_hot\", \"count\"). Received: output_mode=" + mode);
        }
        outputMode = mode;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashing inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashing name(String n) {
        return super.name(n);
    }

    /**
     * The bin of one string, before any output encoding.
     *
     * @param value the string
     * @return its bin in {@code [0, num_bins)}; 0 for the mask value when one is set
     */
    public long bin(String value) {
        int bins = numBins;
        if (maskValue != null && bins > 1) {
            if (value.equals(maskValue.toString())) return 0;
            bins -= 1;
        }
        long h = salt == null ? StringHashes.fastBucket(value, bins) : StringHashes.strongBucket(value, bins, salt[0], salt[1]);
        return maskValue != null && numBins > 1 ? h + 1 : h;
    }

    /**
     * Hashes a list of strings.
     *
     * @param values {@code n} strings
     * @return the bins, of shape {@code (n,)}, encoded by the output mode
     */
    public INDArray apply(String[] values) {
        long[] idx = new long[values.length];
        for (int i = 0; i < idx.length; i++) idx[i] = bin(values[i]);
        return encode(idx, new long[] {values.length});
    }

    /**
     * Hashes a batch of strings.
     *
     * @param values {@code n} rows of {@code m} strings each
     * @return the bins, of shape {@code (n, m)}, encoded by the output mode
     * @throws IllegalArgumentException if the rows differ in length
     */
    public INDArray apply(String[][] values) {
        int m = values.length == 0 ? 0 : values[0].length;
        long[] idx = new long[values.length * m];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != m) {
                throw new IllegalArgumentException("Hashing \"" + name() + "\": rows must have the same length; row 0 has " + m
                        + ", row " + i + " has " + values[i].length);
            }
            for (int j = 0; j < m; j++) idx[i * m + j] = bin(values[i][j]);
        }
        return encode(idx, new long[] {values.length, m});
    }

    private INDArray encode(long[] idx, long[] shape) {
        return CategoricalEncoder.encode(idx, shape, outputMode, numBins, null, null, false, name());
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        INDArray v = x.value();
        long[] vals = CategoricalEncoder.longs(v);
        long[] idx = new long[vals.length];
        Long mask = maskValue instanceof Long l ? l : null;
        if (maskValue instanceof String s) {
            try {
                mask = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Hashing \"" + name() + "\": a string mask_value '" + s
                        + "' cannot be compared with numeric inputs of shape " + Shape.format(v.shape()));
            }
        }
        for (int i = 0; i < idx.length; i++) {
            if (mask != null && numBins > 1 && vals[i] == mask) idx[i] = 0;
            else idx[i] = bin(Long.toString(vals[i]));
        }
        return Tensor.constant(encode(idx, v.shape()));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        long[] d = s.dims();
        if (outputMode.equals("int")) return s;
        long[] r = d.length == 0 ? new long[] {numBins} : d.clone();
        if (d.length > 0) r[r.length - 1] = numBins;
        return Shape.of(r);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        if (outputMode.equals("int")) c.put("dtype", "int64");
        c.put("num_bins", numBins);
        c.put("salt", salt == null ? null : List.of(salt[0], salt[1]));
        c.put("mask_value", maskValue);
        c.put("output_mode", outputMode);
        c.put("sparse", false);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config ({@code salt} null, a number or a pair).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Hashing fromConfig(Map<String, Object> c) {
        Hashing h = new Hashing(Configs.getInt(c, "num_bins"));
        if (Boolean.TRUE.equals(c.get("sparse"))) {
            throw new IllegalArgumentException("Hashing \"" + c.get("name") + "\": sparse=True is not supported by Cornu");
        }
        Object s = c.get("salt");
        if (s instanceof Number n) h.salt(n.longValue());
        else if (s instanceof List<?> l && l.size() == 2) h.saltValues(((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue());
        else if (s != null) {
            throw new IllegalArgumentException("The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a single"
                    + " integer. Received: salt=" + s + ".");
        }
        h.maskValue(c.get("mask_value"));
        h.outputMode(Configs.getString(c, "output_mode", "int"));
        return h;
    }
}
