package org.cornu.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * Finite-difference gradient checks in float64: the tape's gradient of a scalar function
 * against central differences {@code (f(x+h) - f(x-h)) / 2h} for every element of every input.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Deterministic float64 values in [lo, hi). */
    public static INDArray rand(long seed, double lo, double hi, long... shape) {
        java.util.Random r = new java.util.Random(seed);
        long n = 1;
        for (long d : shape) n *= d;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    /**
     * Checks {@code f} at {@code inputs}: analytic gradients from the tape against central
     * differences, to {@code tol} (relative to max(1, |g|)).
     */
    public static void check(Function<List<Tensor>, Tensor> f, double tol, INDArray... inputs) {
        List<Tensor> vars = new ArrayList<>();
        for (INDArray in : inputs) {
            if (in.dataType() != DataType.DOUBLE) throw new IllegalArgumentException("gradient checks run in float64");
            vars.add(Tensor.variable(in));
        }
        try (Tape tape = Tape.record()) {
            Tensor y = f.apply(vars);
            Tensor s = y.value().length() == 1 ? y : Ops.sum(y);
            tape.backward(s);
        }
        double h = 1e-6;
        for (int k = 0; k < inputs.length; k++) {
            INDArray x = inputs[k];
            INDArray g = vars.get(k).grad();
            assertNotNull(g, "no gradient reached input " + k);
            for (long i = 0; i < x.length(); i++) {
                double orig = x.getDouble(i);
                x.putScalar(i, orig + h);
                double fp = eval(f, inputs);
                x.putScalar(i, orig - h);
                double fm = eval(f, inputs);
                x.putScalar(i, orig);
                double num = (fp - fm) / (2 * h);
                double ana = g.getDouble(i);
                assertEquals(num, ana, tol * Math.max(1.0, Math.abs(num)),
                        "input " + k + " element " + i + ": numeric " + num + " vs tape " + ana);
            }
        }
    }

    private static double eval(Function<List<Tensor>, Tensor> f, INDArray[] inputs) {
        List<Tensor> cs = new ArrayList<>();
        for (INDArray in : inputs) cs.add(Tensor.constant(in));
        Tensor y = f.apply(cs);
        return y.value().sumNumber().doubleValue();
    }
}
