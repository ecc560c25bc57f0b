package org.cornu.core.kernels;

import static org.cornu.core.kernels.ActivationKernels.HARD_SIGMOID;
import static org.cornu.core.kernels.ActivationKernels.LINEAR;
import static org.cornu.core.kernels.ActivationKernels.RELU;
import static org.cornu.core.kernels.ActivationKernels.SIGMOID;
import static org.cornu.core.kernels.ActivationKernels.SOFTMAX;
import static org.cornu.core.kernels.ActivationKernels.TANH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.cornu.core.kernels.ActivationKernels.Form;
import org.junit.jupiter.api.Test;

/**
 * The JVM activation kernels: Keras names and codes, hand-computed values, the differences between
 * the forms (and only those), derivatives against central differences, softmax's Jacobian.
 */
class ActivationKernelsTest {
    private static final int[] ELEMENTWISE = {LINEAR, RELU, SIGMOID, TANH, HARD_SIGMOID};

    @Test
    void kerasNamesAndCodes() {
        String[] names = {"linear", "relu", "sigmoid", "tanh", "softmax", "hard_sigmoid"};
        for (String n : names) assertEquals(n, ActivationKernels.nameOf(ActivationKernels.kindOf(n)));
        assertEquals(-1, ActivationKernels.kindOf("elu"));
        assertEquals(-1, ActivationKernels.kindOf(null));
        assertFalse(ActivationKernels.elementwise(SOFTMAX), "softmax normalizes a row");
        assertFalse(ActivationKernels.elementwise(-1));
        for (int k : ELEMENTWISE) assertTrue(ActivationKernels.elementwise(k), ActivationKernels.nameOf(k));
    }

    @Test
    void handComputedValues() {
        for (Form f : Form.values()) {
            double tol = f == Form.RATIONAL ? 4e-7 : 1e-15;
            // tanh(ln 2) = (4 - 1) / (4 + 1); sigmoid(ln 3) = 1 / (1 + 1/3)
            assertEquals(0.6, ActivationKernels.value(TANH, f, Math.log(2)), tol, f.toString());
            assertEquals(0.75, ActivationKernels.value(SIGMOID, f, Math.log(3)), tol, f.toString());
            assertEquals(0.5, ActivationKernels.value(SIGMOID, f, 0), 0, f.toString());
            assertEquals(0.0, ActivationKernels.value(TANH, f, 0), 0, f.toString());
            assertEquals(0.0, ActivationKernels.value(RELU, f, -1.5), 0);
            assertEquals(2.5, ActivationKernels.value(RELU, f, 2.5), 0);
            assertEquals(-3.25, ActivationKernels.value(LINEAR, f, -3.25), 0);
            // Keras 3: clip(x / 6 + 0.5, 0, 1)
            assertEquals(0.0, ActivationKernels.value(HARD_SIGMOID, f, -4), 0);
            assertEquals(0.0, ActivationKernels.value(HARD_SIGMOID, f, -3), 0);
            assertEquals(0.5, ActivationKernels.value(HARD_SIGMOID, f, 0), 0);
            assertEquals(0.75, ActivationKernels.value(HARD_SIGMOID, f, 1.5), 0);
            assertEquals(1.0, ActivationKernels.value(HARD_SIGMOID, f, 3), 0);
            assertEquals(1.0, ActivationKernels.value(HARD_SIGMOID, f, 10), 0);
            // softmax of (0, ln 2, ln 5): exps 1, 2, 5 over 8, shifted by the maximum
            double[] s = {7, 0, Math.log(2), Math.log(5), 7};
            ActivationKernels.forward(SOFTMAX, f, s, 1, 3);
            assertEquals(0.125, s[1], 1e-15);
            assertEquals(0.25, s[2], 1e-15);
            assertEquals(0.625, s[3], 1e-15);
            assertEquals(7, s[0], 0, "outside the range");
            assertEquals(7, s[4], 0, "outside the range");
        }
    }

    @Test
    void saturatesWithoutNaN() {
        for (Form f : Form.values()) {
            assertEquals(1.0, ActivationKernels.value(TANH, f, 400), 1e-6, f.toString());
            assertEquals(-1.0, ActivationKernels.value(TANH, f, -400), 1e-6, f.toString());
            assertEquals(1.0, ActivationKernels.value(SIGMOID, f, 800), 1e-6, f.toString());
            assertEquals(0.0, ActivationKernels.value(SIGMOID, f, -800), 1e-6, f.toString());
        }
        double[] big = {-1000, 1000};
        ActivationKernels.forward(SOFTMAX, Form.LIBRARY, big, 0, 2);
        assertEquals(0.0, big[0], 0);
        assertEquals(1.0, big[1], 0);
    }

    @Test
    void formsDifferOnlyWhereDocumented() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            double z = r.nextDouble(-12, 12);
            // sigmoid is the same function in the two exact forms, bit for bit
            assertEquals(Double.doubleToRawLongBits(ActivationKernels.value(SIGMOID, Form.LIBRARY, z)),
                    Double.doubleToRawLongBits(ActivationKernels.value(SIGMOID, Form.EXP, z)));
            // the exp form of tanh is Math.tanh to a few ulps; the rational one to 3.5e-7 relative (3.2e-7 at the clamp, as RnnFastActivationTest finds)
            double t = Math.tanh(z);
            assertEquals(t, ActivationKernels.value(TANH, Form.EXP, z), 4 * Math.ulp(1.0));
            assertEquals(t, ActivationKernels.value(TANH, Form.RATIONAL, z), 3.5e-7 * Math.abs(t));
            for (int k : new int[] {LINEAR, HARD_SIGMOID}) {
                assertEquals(ActivationKernels.value(k, Form.LIBRARY, z), ActivationKernels.value(k, Form.EXP, z), 0);
                assertEquals(ActivationKernels.value(k, Form.LIBRARY, z), ActivationKernels.value(k, Form.RATIONAL, z), 0);
            }
        }
        // relu: the library form passes NaN and -0.0 through, the recurrences' form gives +0.0
        assertTrue(Double.isNaN(ActivationKernels.value(RELU, Form.LIBRARY, Double.NaN)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ActivationKernels.value(RELU, Form.LIBRARY, -0.0)));
        for (Form f : new Form[] {Form.EXP, Form.RATIONAL}) {
            assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(ActivationKernels.value(RELU, f, Double.NaN)));
            assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(ActivationKernels.value(RELU, f, -0.0)));
        }
    }

    @Test
    void rangeAndScalarFormsAgreeBitForBit() {
        SplittableRandom r = new SplittableRandom(4);
        double[] z = new double[257];
        for (int i = 0; i < z.length; i++) z[i] = r.nextDouble(-9, 9);
        z[5] = 0;
        z[6] = -0.0;
        for (Form f : Form.values()) {
            for (int k : ELEMENTWISE) {
                double[] a = new double[z.length + 4];
                System.arraycopy(z, 0, a, 2, z.length);
                ActivationKernels.forward(k, f, a, 2, z.length);
                for (int i = 0; i < z.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(ActivationKernels.value(k, f, z[i])), Double.doubleToRawLongBits(a[i + 2]),
                            ActivationKernels.nameOf(k) + " " + f + " at " + z[i]);
                }
                assertEquals(0, a[0], 0);
                assertEquals(0, a[a.length - 1], 0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ActivationKernels.value(SOFTMAX, Form.EXP, 1));
        assertThrows(IllegalArgumentException.class, () -> ActivationKernels.derivative(SOFTMAX, 0.5));
    }

    @Test
    void derivativesFromTheOutputMatchCentralDifferences() {
        double eps = 1e-6;
        for (int k : ELEMENTWISE) {
            for (double z : new double[] {-2.7, -0.9, -0.2, 0.35, 1.1, 2.4}) {
                double numeric = (ActivationKernels.value(k, Form.EXP, z + eps) - ActivationKernels.value(k, Form.EXP, z - eps)) / (2 * eps);
                double y = ActivationKernels.value(k, Form.EXP, z);
                assertEquals(numeric, ActivationKernels.derivative(k, y), 1e-8, ActivationKernels.nameOf(k) + " at " + z);
            }
        }
        // the clipped parts of hard_sigmoid and relu's negative side have no gradient
        assertEquals(0, ActivationKernels.derivative(HARD_SIGMOID, 0.0), 0);
        assertEquals(0, ActivationKernels.derivative(HARD_SIGMOID, 1.0), 0);
        assertEquals(0, ActivationKernels.derivative(RELU, 0.0), 0);
    }

    @Test
    void backwardInPlace() {
        SplittableRandom r = new SplittableRandom(6);
        int width = 4, rows = 3, len = width * rows;
        double[] z = new double[len], gy = new double[len];
        for (int i = 0; i < len; i++) {
            z[i] = r.nextDouble(-2, 2);
            gy[i] = r.nextDouble(-1, 1);
        }
        // elementwise kinds: gy times the derivative; relu sets exact zeros where the output is not positive
        for (int k : ELEMENTWISE) {
            double[] y = z.clone();
            ActivationKernels.forward(k, Form.LIBRARY, y, 0, len);
            double[] g = gy.clone();
            ActivationKernels.backward(k, y, g, len, width);
            for (int i = 0; i < len; i++) assertEquals(gy[i] * ActivationKernels.derivative(k, y[i]), g[i], 1e-15);
        }
        double[] yr = {0.0, 2.0};
        double[] gr = {Double.NaN, 3.0};
        ActivationKernels.backward(RELU, yr, gr, 2, 2);
        assertEquals(0.0, gr[0], 0, "relu masks even a NaN gradient");
        assertEquals(3.0, gr[1], 0);
        // softmax: each row's Jacobian, against central differences of sum(gy * softmax(z))
        double[] y = z.clone();
        for (int o = 0; o < len; o += width) ActivationKernels.forward(SOFTMAX, Form.LIBRARY, y, o, width);
        double[] g = gy.clone();
        ActivationKernels.backward(SOFTMAX, y, g, len, width);
        double eps = 1e-6;
        for (int i = 0; i < len; i++) {
            int o = i / width * width;
            double[] p = z.clone(), m = z.clone();
            p[i] += eps;
            m[i] -= eps;
            ActivationKernels.forward(SOFTMAX, Form.LIBRARY, p, o, width);
            ActivationKernels.forward(SOFTMAX, Form.LIBRARY, m, o, width);
            double numeric = 0;
            for (int j = o; j < o + width; j++) numeric += gy[j] * (p[j] - m[j]) / (2 * eps);
            assertEquals(numeric, g[i], 1e-8, "softmax at " + i);
        }
    }

    @Test
    void floatRationalTanhIsTheDoubleOneInFloat() {
        float[] a = new float[20_001];
        for (int i = 0; i < a.length; i++) a[i] = -10f + 0.001f * i;
        ActivationKernels.tanhRational(a, 0, a.length);
        for (int i = 0; i < a.length; i++) {
            double x = -10f + 0.001f * i;
            // float rounding of the two polynomials and the division: a few float ulps (6e-8 below 1)
            assertEquals(ActivationKernels.tanhRational(x), a[i], 4e-7, "at " + x);
            assertTrue(Math.abs(a[i]) <= 1f);
        }
        // clamped beyond 7.9
        float[] c = {7.9f, 50f};
        ActivationKernels.tanhRational(c, 0, 2);
        assertEquals(c[0], c[1], 0);
    }
}
