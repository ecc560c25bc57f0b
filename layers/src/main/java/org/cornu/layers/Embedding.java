package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns integer indices into dense vectors, {@code keras.layers.Embedding}: output
 * {@code input.shape + (output_dim)}; table {@code (input_dim, output_dim)} initialized
 * uniform(-0.05, 0.05). Indices may come as float or int arrays; one outside
 * {@code [0, input_dim)} is an error naming the layer and the value. With {@code maskZero}
 * the output carries the mask {@code indices != 0} for downstream recurrent layers.
 */
public class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private final WeightOptions embeddingsOptions = new WeightOptions("embeddings", "uniform");
    private boolean maskZero;
    private Weight embeddings;

    /**
     * An embedding table for a vocabulary of {@code inputDim} indices, each mapped to {@code outputDim} numbers.
     *
     * @param inputDim size of the vocabulary, i.e. largest index + 1 (Keras's {@code input_dim})
     * @param outputDim size of each dense vector (Keras's {@code output_dim})
     * @throws IllegalArgumentException if either is not positive
     */
    public Embedding(int inputDim, int outputDim) {
        if (inputDim <= 0 || outputDim <= 0) {
            throw new IllegalArgumentException("Both `input_dim` and `output_dim` should be positive, Received input_dim="
                    + inputDim + " and output_dim=" + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    /**
     * Sets the initializer of the table (Keras's {@code embeddings_initializer}, default {@code "uniform"}, i.e. uniform(-0.05, 0.05)).
     *
     * @param i the initializer, by name or object
     * @return this layer
     */
    public Embedding embeddingsInitializer(Object i) { embeddingsOptions.initializer(i); return this; }
    /**
     * Sets a regularizer on the table (Keras's {@code embeddings_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public Embedding embeddingsRegularizer(Object r) { embeddingsOptions.regularizer(r); return this; }
    /**
     * Sets a constraint applied to the table after each update (Keras's {@code embeddings_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public Embedding embeddingsConstraint(Object c) { embeddingsOptions.constraint(c); return this; }
    /**
     * Sets whether index 0 is padding (Keras's {@code mask_zero}, default false): when true the output
     * carries the mask {@code indices != 0}, which recurrent layers downstream honour; index 0 then
     * cannot stand for a word, so {@code input_dim} should be the vocabulary size + 1.
     *
     * @param b true to mask index 0
     * @return this layer
     */
    public Embedding maskZero(boolean b) { this.maskZero = b; return this; }

    /**
     * The embedding table, shaped {@code (input_dim, output_dim)}.
     *
     * @return the table, or null before the layer is built
     */
    public Weight embeddings() {
        return embeddings;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Embedding inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Embedding name(String n) {
        return super.name(n);
    }

    @Override
    public void build(Shape inputShape) {
        embeddings = embeddingsOptions.add(this::addWeight, "embeddings", inputDim, outputDim);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        INDArray idx = x.value();
        Tensor o = RnnOps.embedding(embeddings.tensor(), idx, name());
        if (maskZero) o.withMask(idx.neq(0).castTo(embeddings.value().dataType()));
        return o;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        long[] d = inputShapes.get(0).dims();
        long[] o = java.util.Arrays.copyOf(d, d.length + 1);
        o[d.length] = outputDim;
        return List.of(Shape.of(o));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("input_dim", inputDim);
        c.put("output_dim", outputDim);
        WeightOptions.putConfigWithActivity(c, activityRegularizer(), embeddingsOptions);
        c.put("mask_zero", maskZero);
        return c;
    }

    /**
     * Re-creates an Embedding layer from Keras's config (uniform initializer, mask_zero false when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Embedding fromConfig(Map<String, Object> c) {
        Embedding e = new Embedding(Configs.getInt(c, "input_dim"), Configs.getInt(c, "output_dim"));
        WeightOptions.readConfig(c, e.embeddingsOptions);
        if (c.get("activity_regularizer") != null) e.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        e.maskZero(Configs.getBoolean(c, "mask_zero", false));
        return e;
    }
}
