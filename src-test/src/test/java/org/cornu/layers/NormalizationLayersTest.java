package org.cornu.layers;

import static org.cornu.layers.LayerGradientTest.checkLayer;
import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.cornu.layers.LayerTestSupport.json;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.StatelessScope;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.testing.GradCheck;
import org.cornu.core.saving.LayerFactory;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** LayerNormalization, GroupNormalization, UnitNormalization, BatchNormalization on any axis. */
class NormalizationLayersTest extends Float64Test {
    /** x[b, i, j] = (12 b + 4 i + j)^1.5 / 10, the input of the Keras 3.15.1 reference values below. */
    private static INDArray ramp() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 2, 3, 4);
        for (int k = 0; k < 24; k++) x.putScalar(k, Math.pow(k, 1.5) / 10);
        return x;
    }

    @Test
    void layerNormalizationIsMeanAndVarianceOverTheAxisWithEpsilon() {
        INDArray x = rand(1, -2, 2, 2, 3, 5);
        LayerNormalization ln = new LayerNormalization().gammaInitializer("random_normal").betaInitializer("random_normal");
        INDArray y = ln.apply(x);
        INDArray g = ln.gamma().value(), be = ln.beta().value();
        assertArrayEquals(new long[] {5}, g.shape());
        for (int b = 0; b < 2; b++) for (int i = 0; i < 3; i++) {
            double m = 0, v = 0;
            for (int k = 0; k < 5; k++) m += x.getDouble(b, i, k) / 5;
            for (int k = 0; k < 5; k++) v += Math.pow(x.getDouble(b, i, k) - m, 2) / 5;
            for (int k = 0; k < 5; k++) {
                double want = g.getDouble(k) * (x.getDouble(b, i, k) - m) / Math.sqrt(v + 1e-3) + be.getDouble(k);
                assertEquals(want, y.getDouble(b, i, k), 1e-12);
            }
        }
        checkLayer(new LayerNormalization().gammaInitializer("random_normal").betaInitializer("random_normal"), rand(2, -1, 1, 3, 4));
        checkLayer(new LayerNormalization().axis(1).gammaInitializer("random_normal"), rand(3, -1, 1, 2, 3, 2));
        checkLayer(new LayerNormalization().axis(1, 2).betaInitializer("random_normal"), rand(4, -1, 1, 2, 3, 2));
    }

    @Test
    void layerNormalizationOverTwoAxesHasGammaOfTheirShapeAndMatchesKeras() {
        LayerNormalization ln = new LayerNormalization().axis(2, 1);
        INDArray y = ln.apply(ramp());
        assertArrayEquals(new long[] {3, 4}, ln.gamma().value().shape());
        assertEquals(List.of(1, 2), ln.getConfig().get("axis"), "sorted, as Keras's build leaves it");
        // keras.layers.LayerNormalization(axis=[1, 2]) in Keras 3.15.1 (float64, JAX)
        double[] keras = {-1.2608492374420166, -1.1763962507247925, -1.0219800472259521, -0.8220186233520508, -0.5852253437042236};
        for (int k = 0; k < 5; k++) assertEquals(keras[k], y.getDouble(k), 1e-6);
        // the deprecated rms_scaling: x * rsqrt(var + eps) * gamma, no beta
        LayerNormalization rms = new LayerNormalization().rmsScaling(true);
        INDArray x = rand(5, -1, 1, 2, 4);
        INDArray r = rms.apply(x);
        assertEquals(1, rms.weights().size());
        double m = 0, v = 0;
        for (int k = 0; k < 4; k++) m += x.getDouble(0, k) / 4;
        for (int k = 0; k < 4; k++) v += Math.pow(x.getDouble(0, k) - m, 2) / 4;
        assertEquals(x.getDouble(0, 2) / Math.sqrt(v + 1e-3), r.getDouble(0, 2), 1e-12);
    }

    @Test
    void groupNormalizationNormalizesEachGroupOfChannels() {
        INDArray x = rand(6, -2, 2, 2, 3, 6);
        GroupNormalization gn = new GroupNormalization(3).gammaInitializer("random_normal").betaInitializer("random_normal");
        INDArray y = gn.apply(x);
        INDArray g = gn.gamma().value(), be = gn.beta().value();
        for (int b = 0; b < 2; b++) for (int grp = 0; grp < 3; grp++) {
            // group grp holds channels 2 grp and 2 grp + 1, over all 3 steps
            double m = 0, v = 0;
            for (int i = 0; i < 3; i++) for (int c = 2 * grp; c < 2 * grp + 2; c++) m += x.getDouble(b, i, c) / 6;
            for (int i = 0; i < 3; i++) for (int c = 2 * grp; c < 2 * grp + 2; c++) v += Math.pow(x.getDouble(b, i, c) - m, 2) / 6;
            for (int i = 0; i < 3; i++) for (int c = 2 * grp; c < 2 * grp + 2; c++) {
                double want = (x.getDouble(b, i, c) - m) / Math.sqrt(v + 1e-3) * g.getDouble(c) + be.getDouble(c);
                assertEquals(want, y.getDouble(b, i, c), 1e-12);
            }
        }
        // keras.layers.GroupNormalization(groups=2) on ramp(), and groups=2, axis=1 on its transpose, in Keras 3.15.1
        double[] keras = {-1.1450855731964111, -1.046665072441101, -1.2347972393035889, -1.0449016094207764, -0.3577216863632202,
            -0.04471111297607422, -0.28292226791381836, 0.02371454238891602, 1.0819158554077148, 1.5122675895690918,
            1.074559211730957, 1.4643471240997314, -1.3170294761657715, -1.0531377792358398, -1.3221118450164795,
            -1.0537936687469482, -0.20080256462097168, 0.10239434242248535, -0.1953716278076172, 0.10771059989929199,
            1.065307855606079, 1.4032680988311768, 1.0646593570709229, 1.3989083766937256};
        assertArrayEquals(keras, new GroupNormalization(2).apply(ramp()).data().asDouble(), 2e-6);
        INDArray t = new GroupNormalization(2).axis(1).apply(ramp().permute(0, 2, 1).dup());
        assertArrayEquals(keras, t.permute(0, 2, 1).dup().data().asDouble(), 2e-6);
        checkLayer(new GroupNormalization(2).gammaInitializer("random_normal").betaInitializer("random_normal"), rand(7, -1, 1, 2, 3, 4));
        checkLayer(new GroupNormalization(-1).axis(1).gammaInitializer("random_normal"), rand(8, -1, 1, 2, 2, 3));
        Exception e = assertThrows(IllegalArgumentException.class, () -> new GroupNormalization().apply(rand(9, 0, 1, 2, 3, 4)));
        assertTrue(e.getMessage().contains("Number of groups (32) cannot be more than the number of channels (4)"), e.getMessage());
        GroupNormalization inst = new GroupNormalization(-1);
        inst.build(Shape.of(-1, 5, 6));
        assertEquals(6, inst.groups(), "groups=-1 becomes one group per channel, as Keras's build sets it");
    }

    @Test
    void unitNormalizationGivesNormOne() {
        INDArray x = rand(10, -1, 1, 3, 4);
        INDArray y = new UnitNormalization().apply(x);
        for (int b = 0; b < 3; b++) {
            double n = 0;
            for (int k = 0; k < 4; k++) n += x.getDouble(b, k) * x.getDouble(b, k);
            for (int k = 0; k < 4; k++) assertEquals(x.getDouble(b, k) / Math.sqrt(n), y.getDouble(b, k), 1e-12);
        }
        // over axes (1, 2): keras.layers.UnitNormalization(axis=[1, 2]) on ramp(), Keras 3.15.1
        double[] keras = {0.0, 0.01515151515151515, 0.04285495643554833, 0.0787295821622217, 0.12121212121212122};
        INDArray u = new UnitNormalization().axis(1, 2).apply(ramp());
        for (int k = 0; k < 5; k++) assertEquals(keras[k], u.getDouble(k), 1e-12);
        checkLayer(new UnitNormalization(), rand(11, -1, 1, 2, 3));
        checkLayer(new UnitNormalization().axis(1, 2), rand(12, -1, 1, 2, 2, 3));
    }

    @Test
    void batchNormalizationOnAxisOneEqualsTheLastAxisOnTheTransposedInput() {
        INDArray x = rand(13, -2, 2, 4, 3, 5); // channels on axis 1
        BatchNormalization b1 = new BatchNormalization().axis(1).gammaInitializer("random_normal").betaInitializer("random_normal");
        BatchNormalization bl = new BatchNormalization().gammaInitializer("zeros");
        b1.build(Shape.of(-1, 3, 5));
        bl.build(Shape.of(-1, 5, 3));
        assertArrayEquals(new long[] {3}, b1.gamma().value().shape());
        bl.setWeights(b1.getWeights());
        INDArray xt = x.permute(0, 2, 1).dup();
        // training: batch statistics over axes 0 and 2, moving statistics updated alike
        INDArray y1 = b1.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        INDArray yl = bl.invoke(List.of(Tensor.constant(xt)), true).get(0).value();
        assertArrayEquals(yl.permute(0, 2, 1).dup().data().asDouble(), y1.data().asDouble(), 1e-12);
        assertArrayEquals(bl.movingMean().value().data().asDouble(), b1.movingMean().value().data().asDouble(), 1e-15);
        // the statistics by hand for channel 1
        double m = 0, v = 0;
        for (int b = 0; b < 4; b++) for (int k = 0; k < 5; k++) m += x.getDouble(b, 1, k) / 20;
        for (int b = 0; b < 4; b++) for (int k = 0; k < 5; k++) v += Math.pow(x.getDouble(b, 1, k) - m, 2) / 20;
        assertEquals(0.01 * m, b1.movingMean().value().getDouble(1), 1e-12);
        assertEquals(0.99 + 0.01 * v, b1.movingVariance().value().getDouble(1), 1e-12);
        // inference
        assertArrayEquals(bl.apply(xt).permute(0, 2, 1).dup().data().asDouble(), b1.apply(x).data().asDouble(), 1e-12);
        // input, gamma and beta against central differences (the moving statistics get no gradient)
        BatchNormalization bg = new BatchNormalization().axis(1).gammaInitializer("random_normal").betaInitializer("random_normal");
        INDArray xg = rand(14, -1, 1, 3, 2, 3);
        bg.build(Shape.of(-1, 2, 3));
        INDArray wt = rand(7, -1, 1, 3, 2, 3);
        GradCheck.check(t -> {
            try (StatelessScope scope = new StatelessScope(List.of(bg.gamma(), bg.beta()), t.subList(1, 3))) {
                return Ops.mul(bg.invoke(List.of(t.get(0)), true).get(0), Tensor.constant(wt));
            }
        }, 1e-6, xg, bg.gamma().value(), bg.beta().value());
        assertEquals(1, b1.getConfig().get("axis"));
        BatchNormalization back = (BatchNormalization) LayerFactory.create("BatchNormalization", json("{\"name\": \"bn\", \"axis\": 1}"));
        assertEquals(1, back.axis());
        assertThrows(IllegalArgumentException.class,
                () -> LayerFactory.create("BatchNormalization", json("{\"name\": \"bn2\", \"renorm\": true}")));
    }

    @Test
    void configsAreKeras3s() {
        String[] norm = {"name", "trainable", "dtype", "axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
            "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"};
        String[] ln = java.util.Arrays.copyOf(norm, norm.length + 1);
        ln[norm.length] = "rms_scaling";
        configRoundTrip(new LayerNormalization().epsilon(1e-5).center(false), "LayerNormalization", ln);
        configRoundTrip(new LayerNormalization().axis(1, 2), "LayerNormalization", ln);
        String[] gn = java.util.Arrays.copyOf(norm, norm.length + 1);
        gn[norm.length] = "groups";
        configRoundTrip(new GroupNormalization(4).axis(1).gammaRegularizer("l2"), "GroupNormalization", gn);
        configRoundTrip(new UnitNormalization().axis(1, 2), "UnitNormalization", "name", "trainable", "dtype", "axis");
        assertEquals(-1, new LayerNormalization().getConfig().get("axis"));
        assertEquals(1e-3, new LayerNormalization().getConfig().get("epsilon"));
        assertEquals(32, new GroupNormalization().getConfig().get("groups"));
        LayerNormalization k = (LayerNormalization) LayerFactory.create("LayerNormalization",
                json("{\"name\": \"ln\", \"axis\": [-1], \"epsilon\": 1e-6, \"center\": true, \"scale\": true, \"rms_scaling\": false}"));
        assertArrayEquals(new int[] {-1}, k.axis());
        assertEquals(List.of(-1), k.getConfig().get("axis"));
    }
}
