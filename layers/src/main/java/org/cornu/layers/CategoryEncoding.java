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
 * A preprocessing layer which encodes integer features, {@code keras.layers.CategoryEncoding(num_tokens=None,
 * output_mode="multi_hot", sparse=False)}.
 *
 * <p>This layer provides options for condensing data into a categorical encoding when the total number of tokens
 * are known in advance. It accepts integer values as inputs, and it outputs a dense representation of those inputs.
 * For integer inputs where the total number of tokens is not known, use {@link IntegerLookup} instead.
 *
 * <p>Examples: {@code new CategoryEncoding(4).outputMode("one_hot")} on {@code [3, 2, 0, 1]} gives
 * {@code [[0,0,0,1],[0,0,1,0],[1,0,0,0],[0,1,0,0]]}; {@code new CategoryEncoding(4)} (multi-hot) on
 * {@code [[0, 1], [0, 0], [1, 2], [3, 1]]} gives {@code [[1,1,0,0],[1,0,0,0],[0,1,1,0],[0,1,0,1]]}.
 *
 * <p>{@code num_tokens}: the total number of tokens the layer should support. All inputs to the layer must be
 * integers in the range {@code 0 <= value < num_tokens}, or an error will be thrown.
 *
 * <p>{@code output_mode}: {@code "one_hot"} encodes each individual element in the input into an array of
 * {@code num_tokens} size, containing a 1 at the element index (if the last dimension is size 1, it is encoded on that
 * dimension; otherwise a new dimension is appended); {@code "multi_hot"} encodes each sample in the input into a
 * single array of {@code num_tokens} size, containing a 1 for each vocabulary term present in the sample (the last
 * dimension is the sample dimension: {@code (..., sample_length)} becomes {@code (..., num_tokens)});
 * {@code "count"} is like {@code "multi_hot"}, but the array contains a count of the number of times the token at
 * that index appeared in the sample (weighted by {@link #apply(INDArray, INDArray) count_weights} when given).
 * Defaults to {@code "multi_hot"}. Only {@code sparse=False} is supported. The output is in the float type.
 */
public class CategoryEncoding extends Layer {
    private final int numTokens;
    private String outputMode = "multi_hot";

    /**
     * A layer that encodes integers in {@code [0, numTokens)}, multi-hot unless {@link #outputMode(String)} says
     * otherwise.
     *
     * @param numTokens the total number of tokens the layer should support (Keras's {@code num_tokens})
     * @throws IllegalArgumentException if {@code numTokens} is less than 1
     */
    public CategoryEncoding(int numTokens) {
        if (numTokens < 1) {
            throw new IllegalArgumentException("CategoryEncoding: `num_tokens` must be >= 1. Received: num_tokens=" + numTokens + ".");
        }
        this.numTokens = numTokens;
    }

    /**
     * Sets the encoding (Keras's {@code output_mode}, default {@code "multi_hot"}).
     *
     * @param mode {@code "multi_hot"} ({@code "binary"} is its old name), {@code "one_hot"} or {@code "count"}
     * @return this layer
     * @throws IllegalArgumentException for any other mode
     */
    public CategoryEncoding outputMode(String mode) {
        if ("binary".equals(mode)) mode = "multi_hot";
        if (!List.of("count", "one_hot", "multi_hot").contains(mode)) {
            throw new IllegalArgumentException("CategoryEncoding: unknown arg for output_mode: " + mode
                    + " (expected \"count\", \"one_hot\" or \"multi_hot\")");
        }
        outputMode = mode;
        return this;
    }

    /**
     * The size of the encoding.
     *
     * @return Keras's {@code num_tokens}
     */
    public int numTokens() {
        return numTokens;
    }

    /**
     * The encoding.
     *
     * @return Keras's {@code output_mode}: {@code "multi_hot"}, {@code "one_hot"} or {@code "count"}
     */
    public String outputMode() {
        return outputMode;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CategoryEncoding inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CategoryEncoding name(String n) {
        return super.name(n);
    }

    /**
     * Encodes {@code inputs} in count mode with {@code count_weights}, Keras's {@code layer(inputs, count_weights=...)}:
     * each value adds its weight instead of 1 to its token's count.
     *
     * @param inputs integers in {@code [0, num_tokens)}, of shape {@code (..., sample_length)}
     * @param countWeights the weight of each value when summing up, of the shape of {@code inputs}
     * @return the weighted counts, of shape {@code (..., num_tokens)}
     * @throws IllegalArgumentException if the output mode is not {@code "count"}, or the shapes differ
     */
    public INDArray apply(INDArray inputs, INDArray countWeights) {
        if (!outputMode.equals("count")) {
            throw new IllegalArgumentException("CategoryEncoding \"" + name() + "\": `count_weights` is not used when `output_mode`"
                    + " is not 'count'. Received output_mode=" + outputMode);
        }
        if (!java.util.Arrays.equals(inputs.shape(), countWeights.shape())) {
            throw new IllegalArgumentException("CategoryEncoding \"" + name() + "\": `count_weights` must have the shape of the inputs "
                    + Shape.format(inputs.shape()) + ". Received: " + Shape.format(countWeights.shape()));
        }
        double[] w = countWeights.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        return CategoricalEncoder.encode(CategoricalEncoder.longs(inputs), inputs.shape(), outputMode, numTokens, w, null, false, name());
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        INDArray v = x.value();
        return Tensor.constant(CategoricalEncoder.encode(CategoricalEncoder.longs(v), v.shape(), outputMode, numTokens, null, null, false, name()));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return Shape.of(CategoricalEncoder.outputShape(s.dims(), outputMode, numTokens));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("num_tokens", numTokens);
        c.put("output_mode", outputMode);
        return c;
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static CategoryEncoding fromConfig(Map<String, Object> c) {
        Object n = c.get("num_tokens");
        if (n == null) {
            throw new IllegalArgumentException("CategoryEncoding: num_tokens must be set to use this layer. If the number of tokens"
                    + " is not known beforehand, use the IntegerLookup layer instead.");
        }
        return new CategoryEncoding(((Number) n).intValue()).outputMode(Configs.getString(c, "output_mode", "multi_hot"));
    }
}
