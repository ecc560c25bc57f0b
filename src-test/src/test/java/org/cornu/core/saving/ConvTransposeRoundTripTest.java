package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Conv1DTranspose;
import org.cornu.layers.Conv2DTranspose;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.GlobalAveragePooling2D;
import org.cornu.layers.SeparableConv2D;
import org.cornu.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SeparableConv2D, Conv2DTranspose and Conv1DTranspose through a .keras file: Keras's layout, configs, weights, training. */
class ConvTransposeRoundTripTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(17);
    }

    private void roundTrip(Sequential m, INDArray x, INDArray y, String file) {
        m.compile(new Adam(0.01), "categorical_crossentropy");
        for (int i = 0; i < 3; i++) m.trainOnBatch(x, y);
        Path p = dir.resolve(file);
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

    private static INDArray labels(int n) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) y.putScalar(i, i % 2, 1f);
        return y;
    }

    @Test
    void anEncoderDecoderWithSeparableAndTransposedConvolutions() {
        Sequential m = new Sequential(
                new SeparableConv2D(4, 3).padding("same").strides(2).depthMultiplier(2).activation("relu")
                        .inputShape(8, 8, 3),
                new Conv2DTranspose(3, 3).strides(2).padding("same").outputPadding(1, 0).activation("tanh")
                        .biasInitializer("random_normal"),
                new SeparableConv2D(2, new int[] {2, 3}, null).useBias(false).dilationRate(2),
                new Conv2DTranspose(2, new int[] {3, 2}, "relu").dilationRate(2),
                new GlobalAveragePooling2D(), new Dense(2, "softmax"));
        roundTrip(m, data(5, 6, 8, 8, 3), labels(6), "sep_transpose.keras");
    }

    @Test
    void aConv1DTransposeStack() {
        Sequential m = new Sequential(
                new Conv1DTranspose(3, 4).strides(2).outputPadding(1).activation("relu").inputShape(5, 2),
                new Conv1DTranspose(2, 3).padding("same").dilationRate(2).useBias(false),
                new Flatten(), new Dense(2, "softmax"));
        roundTrip(m, data(6, 6, 5, 2), labels(6), "conv1d_transpose.keras");
    }
}
