package org.cornu.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.constraints.Constraints;
import org.cornu.core.initializers.Initializers;
import org.cornu.core.regularizers.Regularizers;
import org.cornu.core.saving.LayerFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-weight options (initializer, regularizer, constraint) that Dense, Conv1D, Conv2D, the
 * RNNs, Embedding and BatchNormalization share through {@link WeightOptions}: Keras's keys in
 * Keras's order (every initializer, every regularizer, activity_regularizer where the layer
 * writes it, every constraint), Keras's defaults, and config round trips.
 */
class WeightOptionsTest {
    private static final List<String> BASE = List.of("name", "trainable", "dtype");

    private static List<String> keys(Layer l) {
        return new ArrayList<>(l.getConfig().keySet());
    }

    private static List<String> base(String... own) {
        List<String> k = new ArrayList<>(BASE);
        k.addAll(List.of(own));
        return k;
    }

    private static Map<String, Object> ser(String module, String className, Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras." + module);
        m.put("class_name", className);
        m.put("config", config);
        m.put("registered_name", null);
        return m;
    }

    /** Keras 3's {@code Dense.get_config}, {@code BaseConv.get_config}, {@code Embedding.get_config}, {@code BatchNormalization.get_config}. */
    @Test
    void configKeysAreKerasKeysInKerasOrder() {
        assertEquals(base("units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                "bias_regularizer", "kernel_constraint", "bias_constraint"), keys(new Dense(3)));
        List<String> conv = base("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
                "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "bias_constraint");
        assertEquals(conv, keys(new Conv1D(2, 3)));
        assertEquals(conv, keys(new Conv2D(2, 3)));
        assertEquals(base("input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer", "activity_regularizer",
                "embeddings_constraint", "mask_zero"), keys(new Embedding(5, 2)));
        assertEquals(base("axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
                "beta_constraint", "gamma_constraint", "synchronized"), keys(new BatchNormalization()));
        List<String> rnnHead = List.of("return_sequences", "return_state", "go_backwards", "stateful", "unroll",
                "zero_output_for_mask", "units", "activation");
        List<String> rnnWeights = List.of("use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
                "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed");
        List<String> simple = base(rnnHead.toArray(String[]::new));
        simple.addAll(rnnWeights);
        assertEquals(simple, keys(new SimpleRNN(2)));
        List<String> lstm = base(rnnHead.toArray(String[]::new));
        lstm.add("recurrent_activation");
        lstm.addAll(rnnWeights);
        lstm.add("unit_forget_bias");
        assertEquals(lstm, keys(new LSTM(2)));
    }

    @Test
    void defaultsAreKerasDefaults() {
        Map<String, Object> seedless = new HashMap<>();
        seedless.put("seed", null);
        Map<String, Object> d = new Dense(3).getConfig();
        assertEquals(ser("initializers", "GlorotUniform", seedless), d.get("kernel_initializer"));
        assertEquals(ser("initializers", "Zeros", Map.of()), d.get("bias_initializer"));
        assertNull(d.get("kernel_regularizer"));
        assertNull(d.get("bias_constraint"));
        Map<String, Object> orthogonal = new HashMap<>(seedless);
        orthogonal.put("gain", 1.0);
        Map<String, Object> g = new GRU(2).getConfig();
        assertEquals(ser("initializers", "GlorotUniform", seedless), g.get("kernel_initializer"));
        assertEquals(ser("initializers", "Orthogonal", orthogonal), g.get("recurrent_initializer"));
        assertEquals(ser("initializers", "Zeros", Map.of()), g.get("bias_initializer"));
        Map<String, Object> bn = new BatchNormalization().getConfig();
        assertEquals(ser("initializers", "Zeros", Map.of()), bn.get("beta_initializer"));
        assertEquals(ser("initializers", "Ones", Map.of()), bn.get("gamma_initializer"));
        Map<String, Object> uniform = new HashMap<>(seedless);
        uniform.put("minval", -0.05);
        uniform.put("maxval", 0.05);
        assertEquals(ser("initializers", "RandomUniform", uniform), new Embedding(4, 2).getConfig().get("embeddings_initializer"));
    }

    /** The serialized config as written before WeightOptions and BaseConv existed (Cornu 2df17de), to the byte. */
    @Test
    void conv2dConfigJsonIsUnchanged() throws Exception {
        Conv2D c = new Conv2D(4, new int[] {3, 2}, "relu").strides(2, 1).padding("same")
                .kernelInitializer(Initializers.heUniform(11L)).biasInitializer("ones").kernelRegularizer("l1_l2")
                .biasRegularizer("l1").kernelConstraint(Constraints.minMaxNorm(0.1, 0.9, 1.0, 0)).biasConstraint("max_norm")
                .name("c21");
        c.activityRegularizer("l1");
        String expected = """
                {"name":"c21","trainable":true,"dtype":"float32","filters":4,"kernel_size":[3,2],"strides":[2,1],\
                "padding":"same","data_format":"channels_last","dilation_rate":[1,1],"groups":1,"activation":"relu",\
                "use_bias":true,"kernel_initializer":{"module":"keras.initializers","class_name":"HeUniform",\
                "config":{"seed":11},"registered_name":null},"bias_initializer":{"module":"keras.initializers",\
                "class_name":"Ones","config":{},"registered_name":null},"kernel_regularizer":{"module":"keras.regularizers",\
                "class_name":"L1L2","config":{"l1":0.01,"l2":0.01},"registered_name":null},"bias_regularizer":\
                {"module":"keras.regularizers","class_name":"L1","config":{"l1":0.01},"registered_name":null},\
                "activity_regularizer":{"module":"keras.regularizers","class_name":"L1","config":{"l1":0.01},\
                "registered_name":null},"kernel_constraint":{"module":"keras.constraints","class_name":"MinMaxNorm",\
                "config":{"min_value":0.1,"max_value":0.9,"rate":1.0,"axis":0},"registered_name":null},\
                "bias_constraint":{"module":"keras.constraints","class_name":"MaxNorm","config":{"max_value":2.0,\
                "axis":0},"registered_name":null}}""";
        assertEquals(expected, new ObjectMapper().writeValueAsString(c.getConfig()));
    }

    @Test
    void settersReachConfigAndWeights() {
        LSTM l = new LSTM(2).kernelRegularizer(Regularizers.l2(0.5)).recurrentRegularizer("l1").recurrentConstraint("non_neg")
                .biasConstraint("max_norm").recurrentInitializer("zeros").name("l");
        Map<String, Object> c = l.getConfig();
        assertEquals(ser("regularizers", "L2", Map.of("l2", 0.5)), c.get("kernel_regularizer"));
        assertEquals(ser("regularizers", "L1", Map.of("l1", 0.01)), c.get("recurrent_regularizer"));
        assertNull(c.get("bias_regularizer"));
        assertEquals(ser("constraints", "NonNeg", Map.of()), c.get("recurrent_constraint"));
        assertEquals(ser("initializers", "Zeros", Map.of()), c.get("recurrent_initializer"));
        l.build(Shape.of(-1, 5, 3));
        Weight k = l.kernel(), r = l.recurrentKernel(), b = l.bias();
        assertEquals(List.of("kernel", "recurrent_kernel", "bias"), List.of(k.name(), r.name(), b.name()));
        assertNull(k.constraint());
        assertNull(b.regularizer());
        assertEquals("l2", k.regularizer().name());
        assertEquals("non_neg", r.constraint().name());
        assertEquals(0.0, r.value().sumNumber().doubleValue(), 0.0);
        // unit_forget_bias over zeros: (0, 1, 0, 0) per gate block of 2 units
        assertEquals(List.of(0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0), toList(b.value().toDoubleVector()));
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>();
        for (double x : v) l.add(x);
        return l;
    }

    @Test
    void configRoundTripsKeepEveryOption() {
        List<Layer> layers = List.of(
                new Dense(4, "relu").kernelInitializer(Initializers.heNormal(7L)).biasInitializer("ones").kernelRegularizer("l2")
                        .biasRegularizer(Regularizers.l1(0.3)).kernelConstraint("non_neg").biasConstraint("unit_norm").name("d"),
                new Conv1D(3, 2).padding("causal").dilationRate(2).kernelRegularizer("l1").biasConstraint("non_neg").name("c1"),
                new Conv2D(3, 2).strides(2).useBias(false).kernelConstraint("max_norm").name("c2"),
                new GRU(2).recurrentInitializer("ones").recurrentRegularizer("l1_l2").biasConstraint("non_neg").name("g"),
                new Embedding(6, 2).embeddingsInitializer("ones").embeddingsRegularizer("l2").embeddingsConstraint("unit_norm").name("e"),
                new BatchNormalization().betaInitializer("ones").gammaRegularizer("l1").betaConstraint("non_neg").name("bn"));
        for (Layer l : layers) {
            Map<String, Object> c = l.getConfig();
            Layer back = LayerFactory.create(l.getClass().getSimpleName(), c);
            assertEquals(keys(l), keys(back), l.name());
            assertEquals(c, back.getConfig(), l.name());
        }
    }

    /** An absent or null initializer keeps the default; an absent regularizer or constraint means none. */
    @Test
    void readingAConfigKeepsDefaultInitializers() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("name", "d");
        cfg.put("units", 2);
        cfg.put("bias_initializer", null);
        cfg.put("kernel_regularizer", "l2");
        Map<String, Object> c = LayerFactory.create("Dense", cfg).getConfig();
        assertEquals("GlorotUniform", ((Map<?, ?>) c.get("kernel_initializer")).get("class_name"));
        assertEquals("Zeros", ((Map<?, ?>) c.get("bias_initializer")).get("class_name"));
        assertEquals("L2", ((Map<?, ?>) c.get("kernel_regularizer")).get("class_name"));
        assertNull(c.get("bias_regularizer"));
        assertNull(c.get("kernel_constraint"));
    }

    @Test
    void weightOptionsWriteAndReadUnderTheirPrefix() {
        WeightOptions gamma = new WeightOptions("gamma", "ones");
        WeightOptions beta = new WeightOptions("beta", "zeros");
        gamma.regularizer("l2");
        beta.constraint("non_neg");
        Map<String, Object> c = new LinkedHashMap<>();
        WeightOptions.putConfig(c, gamma, beta);
        assertEquals(List.of("gamma_initializer", "beta_initializer", "gamma_regularizer", "beta_regularizer", "gamma_constraint",
                "beta_constraint"), new ArrayList<>(c.keySet()));
        Map<String, Object> withActivity = new LinkedHashMap<>();
        WeightOptions.putConfigWithActivity(withActivity, null, gamma);
        assertEquals(List.of("gamma_initializer", "gamma_regularizer", "activity_regularizer", "gamma_constraint"),
                new ArrayList<>(withActivity.keySet()));

        WeightOptions g2 = new WeightOptions("gamma", "zeros"), b2 = new WeightOptions("beta", "ones");
        b2.regularizer("l1");
        WeightOptions.readConfig(c, g2, b2);
        assertEquals("ones", g2.initializer().name());
        assertEquals("zeros", b2.initializer().name());
        assertEquals("l2", g2.regularizer().name());
        assertNull(b2.regularizer());
        assertEquals("non_neg", b2.constraint().name());

        WeightOptions copy = WeightOptions.bias();
        copy.copyFrom(b2);
        assertSame(b2.initializer(), copy.initializer());
        assertSame(b2.constraint(), copy.constraint());
        assertNotSame(WeightOptions.kernel().initializer(), WeightOptions.kernel().initializer());
    }

    /** Bidirectional's backward copy takes the forward layer's options (the same objects: same seeds). */
    @Test
    void bidirectionalBackwardLayerHasTheSameOptions() {
        Bidirectional b = new Bidirectional(new LSTM(2).kernelInitializer(Initializers.glorotUniform(6L)).kernelRegularizer("l2")
                .recurrentConstraint("non_neg").biasInitializer("ones").name("f"));
        Map<String, Object> f = b.forwardLayer().getConfig(), r = b.backwardLayer().getConfig();
        for (String k : List.of("kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint")) {
            assertEquals(f.get(k), r.get(k), k);
        }
    }
}
