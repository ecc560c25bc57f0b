package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.BatchNormalization;
import org.cornu.layers.Dense;
import org.cornu.layers.DepthwiseConv2D;
import org.cornu.layers.GlobalAveragePooling2D;
import org.cornu.layers.ReLU;
import org.cornu.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DepthwiseConv2D and ReLU: Keras 3's config keys, configs as Keras writes them, and a .keras round trip. */
class DepthwiseReluRoundTripTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(11);
    }

    @Test
    void configKeysAreKeras3s() {
        DepthwiseConv2D d = new DepthwiseConv2D(3).depthMultiplier(2).strides(2).padding("same").useBias(false).name("dw");
        assertEquals(List.of("name", "trainable", "dtype", "depth_multiplier", "kernel_size", "strides", "padding",
                "data_format", "dilation_rate", "activation", "use_bias", "depthwise_initializer", "bias_initializer",
                "depthwise_regularizer", "bias_regularizer", "activity_regularizer", "depthwise_constraint",
                "bias_constraint"), new ArrayList<>(d.getConfig().keySet()));
        assertEquals(List.of(3, 3), d.getConfig().get("kernel_size"));
        assertEquals("GlorotUniform", ((Map<?, ?>) d.getConfig().get("depthwise_initializer")).get("class_name"));
        ReLU r = new ReLU(6.0).name("r");
        assertEquals(List.of("name", "trainable", "dtype", "max_value", "negative_slope", "threshold"),
                new ArrayList<>(r.getConfig().keySet()));
        assertEquals(6.0, r.getConfig().get("max_value"));
        assertEquals(null, new ReLU().getConfig().get("max_value"));
    }

    @Test
    void configsAsKerasWritesThemAreRead() throws Exception {
        // Keras 3.6's get_config() of DepthwiseConv2D(3, depth_multiplier=2, padding="same", use_bias=False) and ReLU(6.0)
        String dw = "{\"name\": \"dw\", \"trainable\": true, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\","
                + " \"config\": {\"name\": \"float32\"}, \"registered_name\": null}, \"kernel_size\": [3, 3], \"strides\": [1, 1],"
                + " \"padding\": \"same\", \"data_format\": \"channels_last\", \"dilation_rate\": [1, 1], \"depth_multiplier\": 2,"
                + " \"activation\": \"linear\", \"use_bias\": false, \"depthwise_initializer\": {\"module\": \"keras.initializers\","
                + " \"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}, \"registered_name\": null},"
                + " \"bias_initializer\": {\"module\": \"keras.initializers\", \"class_name\": \"Zeros\", \"config\": {},"
                + " \"registered_name\": null}, \"depthwise_regularizer\": null, \"bias_regularizer\": null,"
                + " \"activity_regularizer\": null, \"depthwise_constraint\": null, \"bias_constraint\": null}";
        Map<String, Object> c = Configs.map(new ObjectMapper().readValue(dw, Object.class));
        Layer l = LayerFactory.create("DepthwiseConv2D", c);
        DepthwiseConv2D d = assertInstanceOf(DepthwiseConv2D.class, l);
        assertEquals("dw", d.name());
        assertEquals(2, d.depthMultiplier());
        assertEquals(false, d.getConfig().get("use_bias"));
        String relu = "{\"name\": \"r\", \"trainable\": true, \"dtype\": \"float32\", \"max_value\": 6.0,"
                + " \"negative_slope\": 0.0, \"threshold\": 0.0}";
        ReLU r = assertInstanceOf(ReLU.class, LayerFactory.create("ReLU", Configs.map(new ObjectMapper().readValue(relu, Object.class))));
        assertEquals(6.0, r.maxValue());
    }

    @Test
    void aMobileNetStyleBlockRoundTripsThroughDotKeras() {
        Sequential m = new Sequential(
                new DepthwiseConv2D(3).padding("same").depthMultiplier(2).useBias(false).inputShape(8, 8, 3),
                new BatchNormalization().epsilon(1e-3).momentum(0.999), new ReLU(6.0),
                new DepthwiseConv2D(3).strides(2).activation("tanh").biasInitializer("random_normal"),
                new ReLU().negativeSlope(0.1).threshold(0.2), new GlobalAveragePooling2D(), new Dense(2, "softmax"));
        m.compile(new Adam(0.01), "categorical_crossentropy");
        INDArray x = data(3, 6, 8, 8, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 2);
        for (int i = 0; i < 6; i++) y.putScalar(i, i % 2, 1f);
        for (int i = 0; i < 3; i++) m.trainOnBatch(x, y);
        Path p = dir.resolve("dw.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        for (int i = 0; i < m.layers().size(); i++) {
            Map<String, Object> ca = new java.util.LinkedHashMap<>(m.layers().get(i).getConfig());
            if (i == 0) ca.remove("batch_input_shape");
            assertEquals(ca, r.layers().get(i).getConfig(), "config of " + m.layers().get(i).name());
        }
        assertSameWeights(m, r);
        assertSame(m.predict(x), r.predict(x), "predictions after loading");
        assertEquals(m.trainOnBatch(x, y)[0], r.trainOnBatch(x, y)[0], 0.0, "continued training");
        assertSameWeights(m, r);
    }
}
