package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.layers.Dense;
import org.cornu.layers.LSTM;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Model configs in the forms that Keras 3 releases wrote them, read by Cornu. Each JSON below
 * is written after Keras's serialization code of that release (keras/src/saving/
 * serialization_lib.py, keras/src/models/functional.py, keras/src/layers/core/input_layer.py,
 * keras/src/dtype_policies) and the config.json of the real files in ../shared/keras-models:
 * Keras 3.0 to 3.3 wrote {@code dtype} as a string and the orthogonal initializer's class as
 * {@code OrthogonalInitializer}; 3.4 and 3.5 wrote {@code FloatDTypePolicy} objects, later
 * releases {@code DTypePolicy} objects with {@code shared_object_id} on repeats; 3.6 added
 * {@code optional} to InputLayer, later releases {@code quantization_config} to Dense.
 */
class KerasReleaseConfigsTest {
    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
    }

    /** Keras 3.0's functional config: string dtypes, __keras_tensor__ args, no build_config. */
    private static final String KERAS_30_FUNCTIONAL = """
        {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "functional_1",
          "trainable": true, "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 6], "dtype": "float32",
            "sparse": false, "name": "input_layer"}, "registered_name": null, "name": "input_layer", "inbound_nodes": []},
          {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32",
            "units": 4, "activation": "relu", "use_bias": true,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null},
              "registered_name": null},
            "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
            "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
            "registered_name": null, "build_config": {"input_shape": [null, 6]}, "name": "dense",
            "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 6],
              "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]},
          {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": false,
            "dtype": "float32", "units": 2, "activation": {"module": "keras.activations", "class_name": "function",
            "config": "softmax", "registered_name": "function"}, "use_bias": false,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "VarianceScaling",
              "config": {"scale": 2.0, "mode": "fan_in", "distribution": "untruncated_normal", "seed": 3},
              "registered_name": null},
            "bias_initializer": "zeros", "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null,
            "bias_constraint": null}, "registered_name": null, "name": "dense_1",
            "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4],
              "dtype": "float32", "keras_history": ["dense", 0, 0]}}], "kwargs": {"training": false}}]}],
          "input_layers": [["input_layer", 0, 0]], "output_layers": [["dense_1", 0, 0]]},
         "registered_name": "Functional", "build_config": {"input_shape": null}, "compile_config": null}
        """;

    @Test
    void keras30FunctionalConfig() {
        Model m = Models.modelFromJson(KERAS_30_FUNCTIONAL);
        assertEquals("functional_1", m.name());
        Dense d1 = (Dense) m.getLayer("dense_1");
        assertFalse(d1.trainable());
        assertEquals(2, d1.units());
        assertEquals(List.of(4L, 2L), List.of(d1.weights().get(0).shape()[0], d1.weights().get(0).shape()[1]));
        assertEquals(1, d1.weights().size(), "use_bias false");
        assertEquals("softmax", d1.activationName());
        assertEquals(2, m.predict(org.nd4j.linalg.factory.Nd4j.rand(3, 6).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)).size(1));
    }

    /** Keras 3.4/3.5 (FloatDTypePolicy) and 3.6+ (DTypePolicy, shared_object_id, optional, quantization_config). */
    private static String sequential(String policyClass, String extraInput, String extraDense) {
        String policy = "{\"module\": \"keras\", \"class_name\": \"" + policyClass + "\", \"config\": {\"name\": \"float32\"},"
                + " \"registered_name\": null, \"shared_object_id\": 140211}";
        return """
            {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
              "dtype": %1$s, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 5, 3],
                "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"%2$s}, "registered_name": null},
              {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": %1$s,
                "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
                "zero_output_for_mask": false, "units": 7, "activation": "tanh", "recurrent_activation": "sigmoid",
                "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                "config": {"seed": null}, "registered_name": null},
                "recurrent_initializer": {"module": "keras.initializers", "class_name": "OrthogonalInitializer",
                "config": {"gain": 1.0, "seed": null}, "registered_name": null, "shared_object_id": 2020726812176},
                "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                "registered_name": null}, "unit_forget_bias": true, "kernel_regularizer": null,
                "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
                "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0,
                "recurrent_dropout": 0.0, "seed": null}, "registered_name": null, "build_config": {"input_shape": [null, 5, 3]}},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": %1$s,
                "units": 2, "activation": "sigmoid", "use_bias": true, "kernel_initializer": {"module": "keras.initializers",
                "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
                "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null,
                "bias_constraint": null%3$s}, "registered_name": null, "build_config": {"input_shape": [null, 7]}}],
              "build_input_shape": [null, 5, 3]}, "registered_name": null, "build_config": {"input_shape": [null, 5, 3]},
             "compile_config": null}
            """.formatted(policy, extraInput, extraDense);
    }

    private static void checkSequential(Model m) {
        List<Layer> ls = m.layers();
        LSTM lstm = (LSTM) ls.stream().filter(l -> l instanceof LSTM).findFirst().orElseThrow();
        assertEquals(7, lstm.units());
        // the recurrent kernel of an orthogonal initializer: W^T W = I (7 x 7)
        var w = lstm.weights().get(1).value().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var wtw = w.mmul(w.transpose());
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) assertEquals(i == j ? 1.0 : 0.0, wtw.getDouble(i, j), 1e-5, "orthogonal");
        }
        assertEquals(2, m.outputs().get(0).shape().get(1));
    }

    @Test
    void keras34FloatDTypePolicyConfig() {
        checkSequential(Models.modelFromJson(sequential("FloatDTypePolicy", "", "")));
    }

    @Test
    void keras313DTypePolicyOptionalAndQuantizationConfig() {
        checkSequential(Models.modelFromJson(sequential("DTypePolicy", ", \"optional\": false", ", \"quantization_config\": null")));
    }

    @Test
    void quantizedLayersAreRefusedByName() {
        String json = sequential("DTypePolicy", "", "").replace("\"units\": 2, \"activation\": \"sigmoid\"",
                "\"units\": 2, \"activation\": \"sigmoid\", \"dtype\": \"int8_from_float32\"");
        // the Dense's own dtype replaces the policy object: the last "dtype" key wins in JSON
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.modelFromJson(json));
        assertTrue(e.getMessage().contains("\"dense\"") && e.getMessage().contains("int8_from_float32"), e.getMessage());
    }

    @Test
    void raggedInputsAreRefusedByName() {
        String json = sequential("DTypePolicy", "", "").replace("\"ragged\": false", "\"ragged\": true");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.modelFromJson(json));
        assertTrue(e.getMessage().contains("input_layer") && e.getMessage().contains("ragged"), e.getMessage());
    }

    /** tf.keras 2's functional config: class "Model", batch_input_shape, nested-list inbound nodes. */
    @Test
    void keras2FunctionalConfig() {
        String json = """
            {"class_name": "Model", "config": {"name": "model_1", "layers": [
              {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32",
                "sparse": false, "name": "input_1"}, "inbound_nodes": []},
              {"name": "dense_1", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "units": 2,
                "activation": "hard_sigmoid", "use_bias": true, "kernel_initializer": {"class_name": "VarianceScaling",
                "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "normal", "seed": null}},
                "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
                "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
                "inbound_nodes": [[["input_1", 0, 0, {}]]]}],
              "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_1", 0, 0]]}}
            """;
        Model m = Models.modelFromJson(json);
        // a model_from_json of Keras 3 reads hard_sigmoid as Keras 3's (x/6 + 0.5): only legacy .h5 files
        // carry the Keras version that tells Keras 2's meaning apart (Keras2Test, KerasModelsInTheWildTest)
        assertEquals("hard_sigmoid", ((Dense) m.getLayer("dense_1")).activationName());
        assertEquals(2, m.outputs().get(0).shape().get(1));
    }
}
