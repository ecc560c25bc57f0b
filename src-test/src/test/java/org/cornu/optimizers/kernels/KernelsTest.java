package org.cornu.optimizers.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The low-level kernels, including the legacy ops ND4J no longer wraps, against plain arithmetic. */
class KernelsTest {
    private static INDArray m(DataType t, char order, double... v) {
        return Nd4j.create(v, new long[] {2, 3}, t).dup(order);
    }

    private static double[] flat(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    @Test
    void pairwiseKernelsInBothDtypesAndOrders() {
        double[] xs = {1.5, -2, 3, 0.25, 5, -6};
        double[] ys = {2, 4, -0.5, 8, 10, 3};
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (char ox : new char[] {'c', 'f'}) {
                for (char oy : new char[] {'c', 'f'}) {
                    INDArray x = m(t, ox, xs);
                    INDArray y = m(t, oy, ys);
                    INDArray z = Nd4j.create(t, new long[] {2, 3}, 'c');
                    double[] mul = new double[6], div = new double[6], max = new double[6], ax = new double[6];
                    for (int i = 0; i < 6; i++) {
                        mul[i] = xs[i] * ys[i];
                        div[i] = xs[i] / ys[i];
                        max[i] = Math.max(xs[i], ys[i]);
                        ax[i] = 0.5 * xs[i] + ys[i];
                    }
                    Kernels.mul(x, y, z);
                    assertArrayEquals(mul, flat(z), 1e-6, "mul " + t + ox + oy);
                    Kernels.div(x, y, z);
                    assertArrayEquals(div, flat(z), 1e-6, "div " + t + ox + oy);
                    Kernels.max(x, y, z);
                    assertArrayEquals(max, flat(z), 1e-6, "max " + t + ox + oy);
                    Kernels.axpy(0.5, x, y, z);
                    assertArrayEquals(ax, flat(z), 1e-6, "axpy " + t + ox + oy);
                    assertArrayEquals(ys, flat(y), 0, "inputs untouched");
                }
            }
        }
    }

    @Test
    void inPlaceAliasing() {
        INDArray x = m(DataType.DOUBLE, 'c', 1, 2, 3, 4, 5, 6);
        INDArray y = m(DataType.DOUBLE, 'c', 2, 2, 2, 2, 2, 2);
        Kernels.div(x, y, y); // z aliases y
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2, 2.5, 3}, flat(y), 0);
        Kernels.mul(x, x, x);
        assertArrayEquals(new double[] {1, 4, 9, 16, 25, 36}, flat(x), 0);
        Kernels.axpy(-1, x, x); // x - x
        assertArrayEquals(new double[6], flat(x), 0);
    }

    @Test
    void scalarOpIsReusedWithNewValues() {
        INDArray x = m(DataType.FLOAT, 'c', 1, 2, 3, 4, 5, 6);
        INDArray z = Nd4j.create(DataType.FLOAT, 2, 3);
        Kernels.ScalarOp op = new Kernels.ScalarOp();
        op.exec(Kernels.ScalarKind.MUL, x, 2, z);
        assertArrayEquals(new double[] {2, 4, 6, 8, 10, 12}, flat(z), 0);
        op.exec(Kernels.ScalarKind.MUL, x, 0.5, z);
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2, 2.5, 3}, flat(z), 0);
        op.exec(Kernels.ScalarKind.ADD, x, 1, z); // another kind rebuilds
        assertArrayEquals(new double[] {2, 3, 4, 5, 6, 7}, flat(z), 0);
        op.exec(Kernels.ScalarKind.DIV, z, 4, z); // other arrays rebuild
        assertArrayEquals(new double[] {0.5, 0.75, 1, 1.25, 1.5, 1.75}, flat(z), 0);
        op.exec(Kernels.ScalarKind.DIV, z, 0.5, z);
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5, 3, 3.5}, flat(z), 0);
        // the scalar is rounded to the array's dtype, as Keras casts Python floats
        INDArray one = Nd4j.ones(DataType.FLOAT, 1);
        new Kernels.ScalarOp().exec(Kernels.ScalarKind.MUL, one, 0.1, one);
        assertEquals((double) 0.1f, one.getDouble(0), 0);
    }
}
