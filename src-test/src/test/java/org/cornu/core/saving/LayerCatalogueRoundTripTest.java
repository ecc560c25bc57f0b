package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.layers.ActivityRegularization;
import org.cornu.layers.Average;
import org.cornu.layers.AveragePooling1D;
import org.cornu.layers.BatchNormalization;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Cropping1D;
import org.cornu.layers.Cropping2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Dot;
import org.cornu.layers.ELU;
import org.cornu.layers.Flatten;
import org.cornu.layers.GaussianDropout;
import org.cornu.layers.GaussianNoise;
import org.cornu.layers.GlobalAveragePooling1D;
import org.cornu.layers.GlobalMaxPooling1D;
import org.cornu.layers.GroupNormalization;
import org.cornu.layers.Identity;
import org.cornu.layers.LayerNormalization;
import org.cornu.layers.LeakyReLU;
import org.cornu.layers.Maximum;
import org.cornu.layers.Minimum;
import org.cornu.layers.Multiply;
import org.cornu.layers.PReLU;
import org.cornu.layers.Permute;
import org.cornu.layers.Reshape;
import org.cornu.layers.Softmax;
import org.cornu.layers.SpatialDropout1D;
import org.cornu.layers.SpatialDropout2D;
import org.cornu.layers.Subtract;
import org.cornu.layers.UnitNormalization;
import org.cornu.optimizers.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A functional model holding every layer of the first part of the catalogue (activations, merges,
 * normalizations, noise, 1-D pooling, cropping, BatchNormalization on axis 1): trained, saved to
 * {@code .keras}, checked by {@link KerasFileCheck}, loaded, and compared (configs, weights,
 * predictions, continued training).
 */
class LayerCatalogueRoundTripTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(21);
    }

    static Model catalogueModel() {
        KerasTensor in = Input.of("seq", 6, 4);
        KerasTensor x = new LayerNormalization().apply(in);
        x = new PReLU().sharedAxes(1).alphaInitializer("random_uniform").apply(x);
        x = new GroupNormalization(2).apply(x);
        x = new SpatialDropout1D(0.2).apply(x);
        x = new GaussianNoise(0.1).apply(x);
        KerasTensor y = new Dense(4).apply(in);
        y = new LeakyReLU().apply(y);
        y = new ELU(0.5).apply(y);
        KerasTensor m = new Multiply().apply(x, y);
        KerasTensor s = new Subtract().apply(x, y);
        KerasTensor av = new Average().apply(new Maximum().apply(m, s), new Minimum().apply(m, s));
        av = new Cropping1D(1).apply(av); // (4, 4)
        av = new AveragePooling1D(2).strides(1).padding("same").apply(av);
        av = new BatchNormalization().axis(1).apply(av);
        KerasTensor p = new Permute(2, 1).apply(av);
        KerasTensor d = new Dot(new int[] {2, 2}).normalize(true).apply(p, av);
        KerasTensor g = new Concatenate().apply(new GlobalAveragePooling1D().apply(d), new GlobalMaxPooling1D().apply(av));
        g = new UnitNormalization().apply(g);
        g = new GaussianDropout(0.1).apply(g);
        g = new ActivityRegularization(1e-3, 0).apply(g);
        g = new Identity().apply(g);
        KerasTensor r = new Reshape(4, 4, 1).apply(av);
        r = new Cropping2D(new int[][] {{1, 0}, {0, 1}}).apply(r);
        r = new SpatialDropout2D(0.1).apply(r);
        r = new Flatten().apply(r);
        KerasTensor out = new Dense(3).apply(new Concatenate().apply(g, r));
        out = new Softmax().apply(out);
        return new Model(List.of(in), List.of(out), "catalogue");
    }

    @Test
    void everyNewLayerRoundTripsThroughDotKeras() {
        Model m = catalogueModel();
        m.compile(new Adam(0.01), "categorical_crossentropy");
        INDArray x = data(3, 8, 6, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) y.putScalar(i, i % 3, 1f);
        double first = m.trainOnBatch(x, y)[0];
        for (int i = 0; i < 5; i++) m.trainOnBatch(x, y);
        assertTrue(m.trainOnBatch(x, y)[0] < first, "training lowers the loss");
        Path file = dir.resolve("catalogue.keras");
        m.save(file);
        assertTrue(KerasFileCheck.check(file) >= 10, "variables checked");
        Model r = Models.loadModel(file);
        assertEquals(m.layers().size(), r.layers().size());
        for (int i = 0; i < m.layers().size(); i++) {
            Map<String, Object> ca = m.layers().get(i).getConfig();
            assertEquals(ca, r.layers().get(i).getConfig(), "config of " + m.layers().get(i).name());
            assertEquals(m.layers().get(i).getClass(), r.layers().get(i).getClass());
        }
        assertSameWeights(m, r);
        assertSame(m.predict(x), r.predict(x), "predictions after loading");
    }
}
