package org.cornu.optimizers;

import static org.cornu.optimizers.OptimizerTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** float32 weights (Keras's default floatx): the math stays in float32 and follows Keras's float32 scalars. */
class Float32OptimizerTest {
    private static Weight weight(DataType type, double... v) {
        return new Weight("w", "t/w", Nd4j.create(v, new long[] {v.length}, type), true, null, null);
    }

    private static INDArray array(DataType type, double... v) {
        return Nd4j.create(v, new long[] {v.length}, type);
    }

    @Test
    void everyOptimizerAgreesWithItsFloat64Run() {
        List<Supplier<Optimizer>> makers = List.of(() -> new SGD(0.1).momentum(0.9).nesterov(true),
                () -> new RMSprop(0.01).centered(true).momentum(0.5), RMSprop::new, Adam::new,
                () -> new Adam(0.01).amsgrad(true), AdamW::new, Adagrad::new, () -> new Adadelta(1.0), Adamax::new,
                Nadam::new);
        double[] w0 = OptimizerFormulasTest.W0;
        for (Supplier<Optimizer> make : makers) {
            Optimizer o32 = make.get();
            Optimizer o64 = make.get();
            Weight w32 = weight(DataType.FLOAT, w0);
            Weight w64 = weight(DataType.DOUBLE, w0);
            for (double[] g : OptimizerFormulasTest.G) {
                o32.apply(List.of(array(DataType.FLOAT, g)), List.of(w32));
                o64.apply(List.of(array(DataType.DOUBLE, g)), List.of(w64));
            }
            assertEquals(DataType.FLOAT, w32.value().dataType());
            for (INDArray slot : o32.slots(w32).values()) assertEquals(DataType.FLOAT, slot.dataType());
            assertClose(w64.value().toDoubleVector(), w32.value().castTo(DataType.DOUBLE).toDoubleVector(), 1e-5,
                    o32.name());
        }
    }

    /** RMSprop's fused float32 pass works in chunks and splits large arrays across cores: every element must be updated. */
    @Test
    void rmspropOnALargeWeightAgreesWithFloat64() {
        int n = (1 << 20) + 50_001; // several chunks and two parallel ranges (from 2^20 elements), with a ragged end
        double[] w0 = new double[n];
        double[] g = new double[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            w0[i] = r.nextDouble(-1, 1);
            g[i] = r.nextDouble(-1, 1);
        }
        for (Supplier<Optimizer> make : List.<Supplier<Optimizer>>of(() -> new RMSprop(0.01), () -> new RMSprop(0.01).momentum(0.5))) {
            Optimizer o32 = make.get();
            Optimizer o64 = make.get();
            Weight w32 = weight(DataType.FLOAT, w0);
            Weight w64 = weight(DataType.DOUBLE, w0);
            for (int step = 0; step < 3; step++) {
                o32.apply(List.of(array(DataType.FLOAT, g)), List.of(w32));
                o64.apply(List.of(array(DataType.DOUBLE, g)), List.of(w64));
            }
            double[] a = w64.value().toDoubleVector(), b = w32.value().castTo(DataType.DOUBLE).toDoubleVector();
            assertTrue(Math.abs(a[n - 1] - w0[n - 1]) > 1e-3, "the last element moved");
            double worst = 0;
            for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
            assertTrue(worst < 1e-6, o32.getConfig().get("momentum") + ": max difference " + worst); // float32 rounding of weights ~1
        }
    }

    /**
     * Keras computes Adam's bias corrections in the variable's dtype: with float32 weights
     * {@code 1 - 0.999f} is 9.9998713e-4, not 1e-3, which moves the first step by 6e-6 relative.
     * Starting from w = 0 the step itself is the weight, so float32 resolution shows it.
     */
    @Test
    void adamFollowsKerasFloat32BiasCorrection() {
        float g = 0.3f;
        float lr = 0.001f, b1 = 0.9f, b2 = 0.999f, eps = 1e-7f;
        // Keras 3, float32: beta powers, 1 - power and alpha all in float32; (1 - beta) from Python doubles
        float b1p = (float) Math.pow(b1, 1f);
        float b2p = (float) Math.pow(b2, 1f);
        float alpha = (lr * (float) Math.sqrt(1f - b2p)) / (1f - b1p);
        float m = g * (float) (1 - 0.9);
        float v = g * g * (float) (1 - 0.999);
        float keras = 0f - m * alpha / ((float) Math.sqrt(v) + eps);
        // the same formula with float64 scalars
        double alpha64 = 0.001 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        double exact = -(0.1 * g) * alpha64 / (Math.sqrt(0.001 * g * g) + 1e-7);
        assertTrue(Math.abs(keras - exact) > 3e-6 * Math.abs(exact), "the test must tell the two apart");

        Weight w = weight(DataType.FLOAT, 0.0);
        new Adam().apply(List.of(array(DataType.FLOAT, g)), List.of(w));
        assertClose(new double[] {keras}, new double[] {w.value().getDouble(0)}, 1e-6, "float32 Adam");
    }
}
