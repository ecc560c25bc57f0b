package org.cornu.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.cornu.core.constraints.Constraint;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers for the optimizer tests. */
final class OptimizerTestSupport {
    private OptimizerTestSupport() {}

    static Weight weight(double... values) {
        return weight("w", null, values);
    }

    static Weight weight(String name, Constraint constraint, double... values) {
        return new Weight(name, "test/" + name,
                Nd4j.create(values, new long[] {values.length}, DataType.DOUBLE), true, null, constraint);
    }

    static INDArray array(double... values) {
        return Nd4j.create(values, new long[] {values.length}, DataType.DOUBLE);
    }

    static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** Applies each gradient in turn to one weight; returns the weight's values after each step. */
    static List<double[]> run(Optimizer opt, Weight w, double[][] grads) {
        List<double[]> out = new ArrayList<>();
        for (double[] g : grads) {
            opt.apply(List.of(array(g)), List.of(w));
            out.add(values(w.value()));
        }
        return out;
    }

    /** Elementwise {@code |actual - expected| <= rel * |expected|} (exact equality for an expected 0). */
    static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(a - e) <= rel * Math.abs(e))) {
                fail(what + "[" + i + "]: expected " + e + " but was " + a + " (relative error "
                        + (e == 0 ? "inf" : Math.abs(a - e) / Math.abs(e)) + " > " + rel + ")");
            }
        }
    }
}
