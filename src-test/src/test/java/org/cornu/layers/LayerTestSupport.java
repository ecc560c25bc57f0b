package org.cornu.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.saving.LayerFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Config checks shared by the layer-catalogue tests. */
final class LayerTestSupport {
    private LayerTestSupport() {}

    /**
     * {@code layer}'s config has exactly {@code keys} (Keras 3.15's {@code get_config()} keys of the
     * same layer), and survives JSON and {@code fromConfig} unchanged; returns the re-created layer.
     */
    @SuppressWarnings("unchecked")
    static Layer configRoundTrip(Layer layer, String className, String... keys) {
        Map<String, Object> c = layer.getConfig();
        assertEquals(new java.util.TreeSet<>(List.of(keys)), new java.util.TreeSet<>(c.keySet()), className + " config keys");
        try {
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> back = json.readValue(json.writeValueAsString(c), Map.class);
            Layer r = LayerFactory.create(className, back);
            assertEquals(layer.getClass(), r.getClass());
            assertEquals(new ArrayList<>(c.keySet()), new ArrayList<>(r.getConfig().keySet()), className + " key order");
            assertEquals(json.writeValueAsString(c), json.writeValueAsString(r.getConfig()), className + " config after fromConfig");
            return r;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Parses a config as Keras writes it (Python's repr turned to JSON by the caller). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        try {
            return new ObjectMapper().readValue(s, Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static INDArray d(long[] shape, double... v) {
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }
}
