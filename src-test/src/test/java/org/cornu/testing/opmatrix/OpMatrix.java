package org.cornu.testing.opmatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.testing.GradCheck;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs ops through the matrix: every sample of every op on every kernel path the op declares,
 * in float32 and float64, forward and backward, against a float64 reference. The backward pass
 * is seeded with fixed pseudo-random weights {@code W} of the output's shape (the gradient of
 * {@code sum(W * op(x))}), so that a gradient sent to the wrong element cannot hide behind a
 * uniform seed. Tolerances are {@link Tolerance}'s.
 */
public final class OpMatrix {
    /** The dtypes every path is run in (where it serves them). */
    public static final DataType[] DTYPES = {DataType.FLOAT, DataType.DOUBLE};
    private static final double H = 1e-6;
    private static final Map<Sample, Ref> REFS = new ConcurrentHashMap<>();

    private OpMatrix() {}

    private record Ref(INDArray out, INDArray weights, INDArray[] grads) {}

    /** What one run produced: the output and the gradients (null for constants), in float64. */
    public record Run(INDArray out, INDArray[] grads, boolean pathRan) {}

    /** The generated tests of {@code ops}: op / sample / path+dtype. */
    public static Stream<DynamicNode> tests(OpInfo... ops) {
        List<DynamicNode> nodes = new ArrayList<>();
        for (OpInfo op : ops) {
            List<DynamicNode> perSample = new ArrayList<>();
            for (Sample s : op.samples) {
                List<DynamicNode> cells = new ArrayList<>();
                for (KernelPath p : op.paths) {
                    for (DataType dt : DTYPES) {
                        if (!p.serves(dt)) continue;
                        cells.add(DynamicTest.dynamicTest(p.name() + " " + (dt == DataType.DOUBLE ? "float64" : "float32"),
                                () -> check(op, s, p, dt)));
                    }
                }
                perSample.add(DynamicContainer.dynamicContainer(s.name, cells));
            }
            nodes.add(DynamicContainer.dynamicContainer(op.name, perSample));
        }
        return nodes.stream();
    }

    /** The number of (sample, path, dtype) cells of {@code ops}. */
    public static int cells(OpInfo... ops) {
        int n = 0;
        for (OpInfo op : ops) {
            for (KernelPath p : op.paths) {
                int d = 0;
                for (DataType dt : DTYPES) if (p.serves(dt)) d++;
                n += d * op.samples.size();
            }
        }
        return n;
    }

    /** One cell: the op on {@code path} in {@code dt} against the float64 reference. */
    public static void check(OpInfo op, Sample s, KernelPath path, DataType dt) {
        Ref ref = reference(op, s);
        Run r = run(op, s, path, dt, ref.weights);
        String where = op.name + " [" + s.name + "] on " + path.name() + " in " + dt;
        assertTrue(r.pathRan, where + ": the path's counter did not move, so another kernel ran");
        assertArrayEquals(ref.out.shape(), r.out.shape(), where + ": output shape");
        compare(where + ": output", r.out, ref.out, Tolerance.forward(dt));
        for (int i = 0; i < s.inputs.length; i++) {
            if (!s.grad[i]) {
                assertNull(ref.grads[i]);
                continue;
            }
            assertNotNull(r.grads[i], where + ": no gradient reached input " + i);
            compare(where + ": gradient of input " + i, r.grads[i], ref.grads[i], Tolerance.backward(dt));
        }
    }

    private static void compare(String what, INDArray actual, INDArray reference, Tolerance tol) {
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] r = reference.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (a.length != r.length) fail(what + ": " + a.length + " values, reference has " + r.length);
        int bad = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            if (!tol.accepts(a[i], r[i])) {
                if (bad++ < 6) sb.append("\n  element ").append(i).append(": ").append(a[i]).append(" vs reference ").append(r[i]);
            }
        }
        if (bad > 0) fail(what + ": " + bad + " of " + a.length + " values outside " + tol + sb);
    }

    /** Runs the op on {@code path} in {@code dt}, backward seeded with {@code weights} (none when null). */
    public static Run run(OpInfo op, Sample s, KernelPath path, DataType dt, INDArray weights) {
        try (KernelPath.Scope scope = path.enter()) {
            List<Tensor> ts = new ArrayList<>();
            for (int i = 0; i < s.inputs.length; i++) {
                INDArray v = path.layout(s.inputs[i].castTo(dt));
                ts.add(s.grad[i] && weights != null ? Tensor.variable(v) : Tensor.constant(v));
            }
            INDArray out;
            INDArray[] grads = new INDArray[ts.size()];
            if (weights == null) {
                out = op.call.apply(ts, s).value().castTo(DataType.DOUBLE).dup('c');
            } else {
                try (Tape tape = Tape.record()) {
                    Tensor y = op.call.apply(ts, s);
                    out = y.value().castTo(DataType.DOUBLE).dup('c');
                    tape.backward(y, weights.castTo(y.value().dataType()).reshape(y.value().shape()));
                }
                for (int i = 0; i < ts.size(); i++) {
                    if (s.grad[i]) grads[i] = ts.get(i).grad() == null ? null : ts.get(i).grad().castTo(DataType.DOUBLE);
                }
            }
            return new Run(out, grads, scope.ran());
        }
    }

    private static INDArray forward64(OpInfo op, Sample s, INDArray[] in) {
        if (op.reference != null) return op.reference.apply(in, s);
        Sample t = Sample.of(s.name, in);
        System.arraycopy(s.grad, 0, t.grad, 0, s.grad.length);
        t.args.putAll(s.args);
        return run(op, t, op.paths.get(0), DataType.DOUBLE, null).out;
    }

    private static Ref reference(OpInfo op, Sample s) {
        return REFS.computeIfAbsent(s, k -> {
            INDArray out = forward64(op, s, s.inputs).castTo(DataType.DOUBLE);
            INDArray w = GradCheck.rand(0x5eed + out.length(), -1, 1, out.shape().length == 0 ? new long[] {1} : out.shape())
                    .reshape(out.shape());
            INDArray[] grads;
            if (s.rule != null) {
                grads = s.rule.grads(s.inputs, w);
            } else if (s.fromReferencePath) {
                grads = run(op, s, op.paths.get(0), DataType.DOUBLE, w).grads;
            } else {
                grads = new INDArray[s.inputs.length];
                for (int i = 0; i < s.inputs.length; i++) {
                    if (!s.grad[i]) continue;
                    INDArray[] in = new INDArray[s.inputs.length];
                    for (int j = 0; j < in.length; j++) in[j] = s.inputs[j].dup('c');
                    INDArray x = in[i];
                    INDArray g = x.ulike();
                    for (long e = 0; e < x.length(); e++) {
                        double v = x.getDouble(e);
                        x.putScalar(e, v + H);
                        double fp = forward64(op, s, in).mul(w).sumNumber().doubleValue();
                        x.putScalar(e, v - H);
                        double fm = forward64(op, s, in).mul(w).sumNumber().doubleValue();
                        x.putScalar(e, v);
                        g.putScalar(e, (fp - fm) / (2 * H));
                    }
                    grads[i] = g;
                }
            }
            return new Ref(out, w, grads);
        });
    }
}
