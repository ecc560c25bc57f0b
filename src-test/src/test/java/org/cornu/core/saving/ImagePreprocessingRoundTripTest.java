package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.layers.CenterCrop;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.MaxPooling2D;
import org.cornu.layers.Normalization;
import org.cornu.layers.RandomBrightness;
import org.cornu.layers.RandomContrast;
import org.cornu.layers.RandomCrop;
import org.cornu.layers.RandomHeight;
import org.cornu.layers.RandomWidth;
import org.cornu.layers.Resizing;
import org.cornu.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 18's motivating case: an MNIST-style convnet with RandomHeight, RandomWidth and Resizing in front (and the
 * other image preprocessing layers, Normalization adapted), trained, saved to {@code .keras}, checked by
 * {@link KerasFileCheck} (Normalization's non-trainable mean, variance and int32 count), and loaded back with the
 * same configs, weights and predictions.
 */
class ImagePreprocessingRoundTripTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(18);
    }

    @Test
    void convnetWithPreprocessingRoundTripsThroughDotKeras() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 28, 28, 1).muli(255);
        Normalization norm = new Normalization();
        norm.adapt(x);
        Sequential m = new Sequential(
                new RandomHeight(0.1).seed(1).inputShape(28, 28, 1),
                new RandomWidth(0.1, 0.2).seed(2),
                new Resizing(28, 28),
                new RandomCrop(26, 26).seed(3),
                new RandomContrast(0.1).seed(4),
                new RandomBrightness(0.1).seed(5),
                norm,
                new CenterCrop(24, 24),
                new Resizing(20, 20).interpolation("nearest").cropToAspectRatio(true),
                new Conv2D(4, 3).activation("relu"),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(3, "softmax"));
        m.compile(new Adam(0.01), "categorical_crossentropy");
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) y.putScalar(i, i % 3, 1f);
        for (int i = 0; i < 3; i++) m.trainOnBatch(x, y);
        Path file = dir.resolve("preprocessing.keras");
        m.save(file);
        assertTrue(KerasFileCheck.check(file) >= 7, "variables checked");
        Model r = Models.loadModel(file);
        assertEquals(m.layers().size(), r.layers().size());
        for (int i = 0; i < m.layers().size(); i++) {
            Map<String, Object> ca = new java.util.LinkedHashMap<>(m.layers().get(i).getConfig());
            ca.remove("batch_input_shape"); // the loaded Sequential holds it in its InputLayer
            assertEquals(ca, r.layers().get(i).getConfig(), "config of " + m.layers().get(i).name());
            assertEquals(m.layers().get(i).getClass(), r.layers().get(i).getClass());
        }
        assertSameWeights(m, r);
        Normalization back = (Normalization) r.layers().get(6);
        Weight count = back.weights().get(2);
        assertEquals("count", count.name());
        assertEquals(DataType.INT, count.value().dataType());
        assertSame(norm.weights().get(0).value(), back.weights().get(0).value(), "adapted mean");
        assertSame(m.predict(x), r.predict(x), "predictions after loading");
    }

}
