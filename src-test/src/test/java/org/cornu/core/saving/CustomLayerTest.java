package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.ops.Ops;
import org.cornu.core.Registry;
import org.cornu.core.Sequential;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A layer defined outside Cornu joins saving by registering its class and declaring fromConfig. */
class CustomLayerTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(8);
    }

    /** Multiplies its input by a trainable per-feature scale, plus a constant offset from the config. */
    public static final class Scale extends Layer {
        private final double offset;
        private Weight scale;

        public Scale(double offset) {
            this.offset = offset;
        }

        @Override
        public void build(Shape s) {
            scale = addWeight("scale", new long[] {s.get(-1)}, Registry.initializer("random_normal"), null, true, null);
            built = true;
        }

        @Override
        protected Tensor call(Tensor x, boolean training) {
            return Ops.addScalar(Ops.mul(x, scale.tensor()), offset);
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
            c.put("offset", offset);
            return c;
        }

        /** The one method a layer implements to be re-created from a file. */
        public static Scale fromConfig(Map<String, Object> c) {
            return new Scale(Configs.getDouble(c, "offset"));
        }
    }

    /** Registered, but without fromConfig. */
    public static final class NoFactory extends Layer {
        @Override
        protected Tensor call(Tensor x, boolean training) {
            return x;
        }
    }

    @Test
    void registeredCustomLayerRoundTrips() {
        Registry.register(Registry.Kind.LAYER, "Scale", () -> Scale.class);
        Sequential m = new Sequential(new Dense(3).inputShape(2), new Scale(0.5), new Flatten());
        m.compile("sgd", "mse");
        INDArray x = data(1, 4, 2);
        m.trainOnBatch(x, data(2, 4, 3));
        Path p = dir.resolve("custom.keras");
        m.save(p);
        Model r = Models.loadModel(p);
        assertInstanceOf(Scale.class, r.layers().get(1));
        assertEquals(0.5, ((Number) r.layers().get(1).getConfig().get("offset")).doubleValue(), 0.0);
        assertSame(m.predict(x), r.predict(x), "predictions");
    }

    @Test
    void registeredClassWithoutFromConfigIsNamed() {
        Registry.register(Registry.Kind.LAYER, "NoFactory", () -> NoFactory.class);
        Sequential m = new Sequential(new Dense(3).inputShape(2), new NoFactory().name("plain"));
        Path p = dir.resolve("nofactory.keras");
        m.save(p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.loadModel(p));
        assertTrue(e.getMessage().contains("NoFactory") && e.getMessage().contains("\"plain\"")
                && e.getMessage().contains("fromConfig"), e.getMessage());
    }

    @Test
    void modelWithoutWeights() {
        Sequential m = new Sequential(new Flatten().inputShape(2, 3));
        Path p = dir.resolve("empty.keras");
        m.save(p);
        Model r = Models.loadModel(p);
        INDArray x = data(3, 2, 2, 3);
        assertSame(m.predict(x), r.predict(x), "predictions");
    }
}
