package org.cornu.core.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cornu.core.constraints.Constraints;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.Cornu;
import org.cornu.core.Registry;

/** Initializers follow Keras's variance-scaling formulas; constraints project as Keras's. */
class InitializersTest {
    private static double[] stats(INDArray a) {
        double[] v = a.castTo(DataType.DOUBLE).data().asDouble();
        double mean = 0, max = 0;
        for (double d : v) {
            mean += d;
            max = Math.max(max, Math.abs(d));
        }
        mean /= v.length;
        double var = 0;
        for (double d : v) var += (d - mean) * (d - mean);
        return new double[] {mean, var / v.length, max};
    }

    @Test
    void fansAsKeras() {
        assertArrayEquals(new long[] {784, 512}, Initializers.computeFans(new long[] {784, 512}));
        // conv kernel (3, 3, 32, 64): receptive field 9
        assertArrayEquals(new long[] {288, 576}, Initializers.computeFans(new long[] {3, 3, 32, 64}));
        assertArrayEquals(new long[] {7, 7}, Initializers.computeFans(new long[] {7}));
    }

    @Test
    void glorotUniformHasKerasLimitAndVariance() {
        // limit = sqrt(6 / (fan_in + fan_out)) = sqrt(6 / 1296); variance of U(-l, l) = l^2 / 3
        INDArray w = Initializers.glorotUniform(1L).apply(new long[] {784, 512}, DataType.DOUBLE);
        double limit = Math.sqrt(6.0 / (784 + 512));
        double[] s = stats(w);
        assertTrue(s[2] <= limit, "max " + s[2] + " exceeds the limit " + limit);
        assertTrue(s[2] > 0.999 * limit, "401408 draws should come within 0.1% of the limit");
        assertEquals(limit * limit / 3, s[1], 0.01 * limit * limit / 3);
        assertEquals(0, s[0], 5 * Math.sqrt(s[1] / w.length()));
    }

    @Test
    void heNormalIsTruncatedWithKerasVariance() {
        // truncated normal with stddev sqrt(2 / fan_in) / 0.8796...: its variance is 2 / fan_in
        INDArray w = Initializers.heNormal(2L).apply(new long[] {500, 400}, DataType.DOUBLE);
        double[] s = stats(w);
        assertEquals(2.0 / 500, s[1], 0.02 * 2.0 / 500);
        double std = Math.sqrt(2.0 / 500) / 0.87962566103423978;
        assertTrue(s[2] <= 2 * std + 1e-12, "values lie within two (untruncated) standard deviations");
    }

    @Test
    void lecunAndDefaultsOfRandomInitializers() {
        INDArray w = Initializers.lecunUniform(3L).apply(new long[] {300, 200}, DataType.DOUBLE);
        assertEquals(1.0 / 300, stats(w)[1], 0.02 / 300);
        INDArray u = Registry.initializer("random_uniform").apply(new long[] {1000}, DataType.DOUBLE);
        assertTrue(stats(u)[2] <= 0.05);
        INDArray n = Registry.initializer("random_normal").apply(new long[] {100000}, DataType.DOUBLE);
        assertEquals(0.05 * 0.05, stats(n)[1], 0.05 * 0.05 * 0.02);
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 2, 2), Registry.initializer("zeros").apply(new long[] {2, 2}, DataType.DOUBLE));
        assertEquals(Nd4j.ones(DataType.DOUBLE, 3), Registry.initializer("ones").apply(new long[] {3}, DataType.DOUBLE));
        assertEquals(Nd4j.valueArrayOf(new long[] {2}, 0.3, DataType.DOUBLE), Initializers.constant(0.3).apply(new long[] {2}, DataType.DOUBLE));
    }

    @Test
    void orthogonalGivesOrthonormalColumnsOrRows() {
        INDArray q = Initializers.orthogonal(1.0, 4L).apply(new long[] {6, 4}, DataType.DOUBLE);
        assertTrue(q.transpose().mmul(q).equalsWithEps(Nd4j.eye(4).castTo(DataType.DOUBLE), 1e-10), "Q^T Q = I");
        INDArray r = Initializers.orthogonal(2.0, 5L).apply(new long[] {3, 5}, DataType.DOUBLE);
        assertTrue(r.mmul(r.transpose()).equalsWithEps(Nd4j.eye(3).castTo(DataType.DOUBLE).mul(4), 1e-10), "gain 2: R R^T = 4 I");
        // LSTM recurrent kernel shape (units, 4 * units)
        INDArray l = Initializers.orthogonal(1.0, 6L).apply(new long[] {8, 32}, DataType.DOUBLE);
        assertTrue(l.mmul(l.transpose()).equalsWithEps(Nd4j.eye(8).castTo(DataType.DOUBLE), 1e-10));
    }

    @Test
    void seedsMakeInitializersRepeatable() {
        Initializer a = Initializers.glorotUniform(11L);
        assertEquals(a.apply(new long[] {4, 4}, DataType.FLOAT), Initializers.glorotUniform(11L).apply(new long[] {4, 4}, DataType.FLOAT));
        Cornu.setSeed(5);
        INDArray x = Registry.initializer("glorot_uniform").apply(new long[] {4, 4}, DataType.FLOAT);
        INDArray y = Registry.initializer("glorot_uniform").apply(new long[] {4, 4}, DataType.FLOAT);
        assertNotEquals(x, y, "successive unseeded draws differ");
        Cornu.setSeed(5);
        assertEquals(x, Registry.initializer("glorot_uniform").apply(new long[] {4, 4}, DataType.FLOAT));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Initializers.VarianceScaling(1.0, "fan_middle", "uniform", null));
        assertTrue(e.getMessage().contains("fan_middle"));
    }

    @Test
    void constraintsProjectAsKeras() {
        // columns of W (axis 0) with norms 5 and 1; max_norm(2) scales the first to norm 2
        INDArray w = Nd4j.create(new double[][] {{3, 1}, {4, 0}});
        INDArray m = Constraints.maxNorm(2, 0).apply(w.dup());
        assertEquals(2.0 * 3 / (5 + 1e-7), m.getDouble(0, 0), 1e-9);
        assertEquals(2.0 * 4 / (5 + 1e-7), m.getDouble(1, 0), 1e-9);
        assertEquals(1.0 / (1 + 1e-7), m.getDouble(0, 1), 1e-9);
        assertEquals(Nd4j.create(new double[] {0, 2}), Constraints.nonNeg().apply(Nd4j.create(new double[] {-1, 2})));
        INDArray u = Constraints.unitNorm(0).apply(w.dup());
        assertEquals(0.6, u.getDouble(0, 0), 1e-6);
        assertEquals(0.8, u.getDouble(1, 0), 1e-6);
    }
}
