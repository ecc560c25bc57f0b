package org.cornu.core.callbacks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Loss;
import org.cornu.core.Model;
import org.cornu.core.ops.Ops;
import org.cornu.core.Optimizer;
import org.cornu.core.Sequential;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.layers.Dense;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small models and helpers for the callback tests (the optimizers and losses modules are not used here). */
final class CallbackTestSupport {
    private CallbackTestSupport() {}

    /** Plain SGD: {@code var -= lr * grad}. */
    static final class TestSgd extends Optimizer {
        TestSgd(double lr) {
            super("sgd", lr);
        }

        @Override
        protected void update(Weight w, INDArray g, INDArray v, double lr) {
            v.subi(g.mul(lr));
        }
    }

    /** Mean squared error over the last axis. */
    static final class TestMse extends Loss {
        TestMse() {
            super("mean_squared_error");
        }

        @Override
        public Tensor call(INDArray y, Tensor p) {
            return Ops.mean(Ops.square(Ops.sub(p, Tensor.constant(y.castTo(p.value().dataType()).reshape(p.shape())))), -1, false);
        }
    }

    /** {@code Dense(1)} on 3 inputs, compiled with SGD at {@code lr} and MSE. */
    static Sequential model(double lr) {
        Sequential m = new Sequential(new Dense(1).inputShape(3));
        m.compile(new TestSgd(lr), new TestMse());
        return m;
    }

    /** Sets every scalar of every weight of {@code m} to {@code value}. */
    static void fillWeights(Model m, double value) {
        List<INDArray> ws = new ArrayList<>();
        for (INDArray w : m.getWeights()) ws.add(w.assign(value));
        m.setWeights(ws);
    }

    /** Asserts every scalar of every weight of {@code m} equals {@code value}. */
    static boolean allWeightsEqual(Model m, double value) {
        for (INDArray w : m.getWeights()) {
            for (double d : w.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble()) {
                if (d != value) return false;
            }
        }
        return true;
    }

    /** A mutable log map from alternating keys and values. */
    static Map<String, Double> logs(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        return m;
    }

    /**
     * What SLF4J (slf4j-simple, writing to System.err) logged while {@code r} ran, then what the
     * callbacks printed to the console (their {@code verbose} messages, as Keras's {@code print_msg}).
     */
    static String captureLog(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        CallbackUtils.console = new PrintStream(console, true, StandardCharsets.UTF_8);
        try {
            r.run();
        } finally {
            System.setErr(old);
            CallbackUtils.console = null;
        }
        return buf.toString(StandardCharsets.UTF_8) + console.toString(StandardCharsets.UTF_8);
    }
}
