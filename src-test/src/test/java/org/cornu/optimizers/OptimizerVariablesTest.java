package org.cornu.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;
import org.cornu.optimizers.schedules.ExponentialDecay;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code optimizer.variables} in Keras 3's order, which is the order of {@code optimizer/vars} in
 * a {@code .keras} file: iterations, learning_rate (none for a schedule), then the slots as each
 * optimizer's {@code build} creates them. One loop creating several kinds interleaves them weight
 * by weight (Adam: m0, v0, m1, v1, ...; Keras's {@code add_optimizer_variables(var_list,
 * ["momentum", "velocity"])}, whose comment says it interleaves "for backward-compatibility" with
 * the loops of Keras 3.0 to 3.9); separate loops give one kind after another (RMSprop: every
 * velocity, then every momentum, then every average gradient; Adam's velocity_hat after m and v).
 */
class OptimizerVariablesTest {
    /** Three weights of different shapes, so any mix-up of the order changes a shape. */
    private static List<Weight> weights() {
        return List.of(new Weight("kernel", "d/kernel", Nd4j.rand(DataType.FLOAT, 3, 2), true, null, null),
                new Weight("bias", "d/bias", Nd4j.rand(DataType.FLOAT, 2), true, null, null),
                new Weight("kernel", "e/kernel", Nd4j.rand(DataType.FLOAT, 2, 4), true, null, null));
    }

    private static void step(Optimizer o, List<Weight> ws, int times) {
        for (int t = 0; t < times; t++) {
            List<INDArray> g = new ArrayList<>();
            for (Weight w : ws) g.add(Nd4j.rand(DataType.FLOAT, w.shape()).subi(0.5));
            o.apply(g, ws);
        }
    }

    /** The expected slot arrays: {@code groups} of slot names, interleaved within a group. */
    private static List<INDArray> slots(Optimizer o, List<Weight> ws, String[]... groups) {
        List<INDArray> r = new ArrayList<>();
        for (String[] g : groups) for (Weight w : ws) for (String s : g) r.add(o.slots(w).get(s));
        return r;
    }

    private static void assertOrder(Optimizer o, List<Weight> ws, String[]... groups) {
        List<INDArray> vars = o.variables(ws);
        List<INDArray> expected = slots(o, ws, groups);
        assertEquals(2 + expected.size(), vars.size(), o.name());
        assertEquals(DataType.LONG, vars.get(0).dataType());
        assertEquals(o.iterations(), vars.get(0).getLong(0));
        assertEquals(DataType.FLOAT, vars.get(1).dataType());
        assertEquals((float) o.learningRate(), vars.get(1).getFloat(0));
        for (int i = 0; i < expected.size(); i++) assertSame(expected.get(i), vars.get(2 + i), o.name() + " variable " + (2 + i));
    }

    @Test
    void kerasOrderOfEachOptimizer() {
        Object[][] cases = {
            {(Supplier<Optimizer>) Adam::new, new String[][] {{"momentum", "velocity"}}},
            {(Supplier<Optimizer>) AdamW::new, new String[][] {{"momentum", "velocity"}}},
            {(Supplier<Optimizer>) () -> new Adam().amsgrad(true), new String[][] {{"momentum", "velocity"}, {"velocity_hat"}}},
            {(Supplier<Optimizer>) RMSprop::new, new String[][] {{"velocity"}}},
            {(Supplier<Optimizer>) () -> new RMSprop().momentum(0.5).centered(true),
                new String[][] {{"velocity"}, {"momentum"}, {"average_gradient"}}},
            {(Supplier<Optimizer>) () -> new SGD(0.1).momentum(0.9), new String[][] {{"momentum"}}},
            {(Supplier<Optimizer>) Adagrad::new, new String[][] {{"accumulator"}}},
            {(Supplier<Optimizer>) Adadelta::new, new String[][] {{"accumulated_grad", "accumulated_delta_var"}}},
            {(Supplier<Optimizer>) Adamax::new, new String[][] {{"momentum", "norm"}}},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Optimizer o = ((Supplier<Optimizer>) c[0]).get();
            List<Weight> ws = weights();
            step(o, ws, 2);
            assertOrder(o, ws, (String[][]) c[1]);
        }
    }

    @Test
    void plainSgdHasOnlyIterationsAndLearningRate() {
        SGD o = new SGD(0.1);
        List<Weight> ws = weights();
        step(o, ws, 1);
        assertEquals(2, o.variables(ws).size());
    }

    /** Nadam: m and v interleaved, then u_product = prod_t 0.9 (1 - 0.5 * 0.96^t) (Keras 3.10+ creates it last). */
    @Test
    void nadamEndsWithUProduct() {
        Nadam o = new Nadam();
        List<Weight> ws = weights();
        step(o, ws, 3);
        List<INDArray> vars = o.variables(ws);
        assertEquals(2 + 6 + 1, vars.size());
        for (int i = 0; i < 3; i++) {
            assertSame(o.slots(ws.get(i)).get("momentum"), vars.get(2 + 2 * i));
            assertSame(o.slots(ws.get(i)).get("velocity"), vars.get(3 + 2 * i));
        }
        double u = 1;
        for (int t = 1; t <= 3; t++) u *= 0.9 * (1 - 0.5 * Math.pow(0.96, t));
        INDArray uProduct = vars.get(8);
        assertEquals(0, uProduct.rank());
        assertEquals(u, uProduct.getDouble(0), 1e-6);
    }

    @Test
    void aScheduleHasNoLearningRateVariable() {
        Adam o = new Adam(new ExponentialDecay(0.1, 10, 0.5));
        List<Weight> ws = weights();
        step(o, ws, 1);
        List<INDArray> vars = o.variables(ws);
        assertEquals(1 + 6, vars.size());
        assertSame(o.slots(ws.get(0)).get("momentum"), vars.get(1));
    }

    private static List<INDArray> copies(List<INDArray> vars) {
        List<INDArray> r = new ArrayList<>();
        for (INDArray v : vars) r.add(v.dup());
        return r;
    }

    private static void assertSameState(Optimizer expected, Optimizer actual, List<Weight> ws) {
        assertEquals(expected.iterations(), actual.iterations());
        for (Weight w : ws) {
            for (var e : expected.slots(w).entrySet()) {
                assertArrayEquals(e.getValue().data().asFloat(), actual.slots(w).get(e.getKey()).dup().data().asFloat(), 0f, e.getKey());
            }
        }
    }

    @Test
    void loadVariablesRestoresEveryOptimizer() {
        List<Supplier<Optimizer>> makers = List.of(Adam::new, () -> new Adam().amsgrad(true), AdamW::new,
                () -> new RMSprop().momentum(0.5).centered(true), () -> new SGD(0.1).momentum(0.9), Adagrad::new,
                Adadelta::new, Adamax::new, Nadam::new);
        for (Supplier<Optimizer> make : makers) {
            List<Weight> ws = weights();
            Optimizer trained = make.get();
            step(trained, ws, 3);
            Optimizer fresh = make.get();
            assertTrue(fresh.loadVariables(ws, copies(trained.variables(ws))), trained.name());
            assertSameState(trained, fresh, ws);
        }
    }

    /** Cornu before it followed Keras wrote slot kind by slot kind: such files still load. */
    @Test
    void theSlotKindBySlotKindOrderStillLoads() {
        List<Weight> ws = weights();
        Adam trained = new Adam();
        step(trained, ws, 2);
        List<INDArray> old = new ArrayList<>(copies(trained.variables(ws)).subList(0, 2));
        old.addAll(copies(slots(trained, ws, new String[] {"momentum"}, new String[] {"velocity"})));
        Adam fresh = new Adam();
        assertTrue(fresh.loadVariables(ws, old));
        assertSameState(trained, fresh, ws);
    }

    /** Keras 3.0 to 3.9 created Nadam's u_product before the slots. */
    @Test
    void nadamOfKeras39Loads() {
        List<Weight> ws = weights();
        Nadam trained = new Nadam();
        step(trained, ws, 2);
        List<INDArray> current = copies(trained.variables(ws));
        List<INDArray> keras39 = new ArrayList<>(current.subList(0, 2));
        keras39.add(current.get(current.size() - 1));
        keras39.addAll(current.subList(2, current.size() - 1));
        Nadam fresh = new Nadam();
        assertTrue(fresh.loadVariables(ws, keras39));
        assertSameState(trained, fresh, ws);
    }

    @Test
    void stateOfAnotherOptimizerDoesNotLoadAndChangesNothing() {
        List<Weight> ws = weights();
        Adam adam = new Adam();
        step(adam, ws, 2);
        RMSprop rms = new RMSprop();
        assertFalse(rms.loadVariables(ws, copies(adam.variables(ws))));
        assertEquals(0, rms.iterations());
        for (Weight w : ws) assertEquals(0.0, rms.slots(w).get("velocity").sumNumber().doubleValue(), 0.0);
    }

    /** Keras writes only iterations and learning_rate for an optimizer that never ran. */
    @Test
    void anUnbuiltOptimizerStateSetsIterationsAndLearningRate() {
        List<Weight> ws = weights();
        Adam o = new Adam();
        List<INDArray> saved = List.of(Nd4j.scalar(DataType.LONG, 0L), Nd4j.scalar(DataType.FLOAT, 0.25f));
        assertTrue(o.loadVariables(ws, saved));
        assertEquals(0.25, o.learningRate(), 0.0);
        assertTrue(o.slots(ws.get(0)).isEmpty());
    }
}
