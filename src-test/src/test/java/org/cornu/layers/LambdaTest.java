package org.cornu.layers;

import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.Shape;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.KerasFileCheck;
import org.cornu.core.saving.LayerFactory;
import org.cornu.core.saving.Models;
import org.cornu.testing.Float64Test;
import org.cornu.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Lambda: a registered Java function, saved by name; a Python lambda in a file fails with a way out. */
class LambdaTest extends Float64Test {
    @TempDir
    Path dir;

    /** The config Keras 3.15.1 writes for {@code Lambda(lambda x: x * 2, name="double")} (bytecode shortened). */
    private static final String PYTHON_LAMBDA = "{\"name\": \"double_py\", \"trainable\": true, \"dtype\": \"float32\", \"function\":"
            + " {\"class_name\": \"__lambda__\", \"config\": {\"code\": \"4wEAAAAAAAAAAAAAAAIAAAADAAAA8wwAAACXAHwAZAF6BQAAUwAp\","
            + " \"defaults\": null, \"closure\": null}}, \"arguments\": {}}";

    @Test
    void appliesTheRegisteredFunctionWithGradientsAndInfersTheShape() {
        Lambda.register("square_plus_one", x -> Ops.addScalar(Ops.square(x), 1.0));
        Lambda l = new Lambda("square_plus_one");
        INDArray x = rand(1, -2, 2, 3, 4);
        INDArray y = l.apply(x);
        for (int i = 0; i < 12; i++) assertEquals(x.getDouble(i) * x.getDouble(i) + 1, y.getDouble(i), 1e-12);
        GradCheck.check(t -> new Lambda("square_plus_one").invoke(t, true).get(0), 1e-6, rand(2, -1, 1, 2, 3));
        Lambda.register("first_two", x2 -> Ops.slice(x2, new long[] {0, 0}, new long[] {x2.shape()[0], 2}));
        assertEquals(Shape.of(-1, 2), new Lambda("first_two").computeOutputShape(Shape.of(-1, 5)));
        assertEquals(Shape.of(-1, 7), new Lambda("first_two").outputShape(7).computeOutputShape(Shape.of(-1, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lambda("nope"));
        assertTrue(e.getMessage().contains("Lambda.register(\"nope\""), e.getMessage());
    }

    @Test
    void configIsKerasKeysWithTheFunctionByName() {
        Lambda.register("halve", x -> Ops.mulScalar(x, 0.5));
        Lambda back = (Lambda) configRoundTrip(new Lambda("halve").outputShape(3), "Lambda", "name", "trainable", "dtype",
                "function", "output_shape", "arguments");
        assertEquals("halve", back.function());
        assertEquals(Map.of("module", "builtins", "class_name", "function", "config", "halve", "registered_name", "function"),
                back.getConfig().get("function"));
    }

    @Test
    void aPythonLambdaFailsSayingHowToRegisterAJavaEquivalent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerFactory.create("Lambda", LayerTestSupport.json(PYTHON_LAMBDA)));
        assertTrue(e.getMessage().contains("Python lambda") && e.getMessage().contains("Lambda.register(\"double_py\""),
                e.getMessage());
        Lambda.register("double_py", x -> Ops.mulScalar(x, 2.0));
        Lambda l = (Lambda) LayerFactory.create("Lambda", LayerTestSupport.json(PYTHON_LAMBDA));
        assertEquals(6.0, l.apply(Nd4j.scalar(DataType.DOUBLE, 3.0).reshape(1, 1)).getDouble(0), 0.0);
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class, () -> LayerFactory.create("Lambda",
                LayerTestSupport.json("{\"name\": \"l\", \"function\": {\"module\": \"builtins\", \"class_name\": \"function\","
                        + " \"config\": \"unknown_fn\", \"registered_name\": \"function\"}, \"arguments\": {}}")));
        assertTrue(named.getMessage().contains("Lambda.register(\"unknown_fn\""), named.getMessage());
    }

    @Test
    void roundTripsThroughDotKeras() {
        Lambda.register("tanh_twice", x -> Ops.mulScalar(Ops.tanh(x), 2.0));
        Sequential m = new Sequential(new Dense(4).inputShape(3), new Lambda("tanh_twice"), new Dense(2));
        Path p = dir.resolve("lambda.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        INDArray x = rand(5, -1, 1, 4, 3);
        assertTrue(m.predict(x).equalsWithEps(r.predict(x), 1e-12));
        assertEquals("tanh_twice", ((Lambda) r.layers().get(1)).function());
    }
}
