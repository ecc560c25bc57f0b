package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Fit;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's dicts keyed by input and output name: {@code compile(loss={...}, loss_weights={...},
 * metrics={...})}, {@code fit}/{@code evaluate}/{@code predict} on {@code {"title": x1, "body": x2}}.
 */
class ByNameTest {
    /** Inputs "title" (3) and "body" (2); outputs "priority" (1) and "department" (2). */
    private static Model model() {
        KerasTensor title = Input.of("title", 3);
        KerasTensor body = Input.of("body", 2);
        KerasTensor h = new Dense(4, "relu").name("hidden").apply(new Concatenate().name("concat").apply(title, body));
        KerasTensor priority = new Dense(1).name("priority").apply(h);
        KerasTensor department = new Dense(2).name("department").apply(h);
        return new Model(List.of(title, body), List.of(priority, department), "tickets");
    }

    private static final INDArray X1 = Nd4j.rand(DataType.FLOAT, 16, 3);
    private static final INDArray X2 = Nd4j.rand(DataType.FLOAT, 16, 2);
    private static final INDArray Y1 = Nd4j.rand(DataType.FLOAT, 16, 1);
    private static final INDArray Y2 = Nd4j.rand(DataType.FLOAT, 16, 2);

    /** Reversed insertion order on purpose: names, not map order, decide. */
    private static Map<String, INDArray> xs() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("body", X2);
        m.put("title", X1);
        return m;
    }

    private static Map<String, INDArray> ys() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("department", Y2);
        m.put("priority", Y1);
        return m;
    }

    private static void compileByName(Model m) {
        m.compile("sgd", Map.of("priority", "mse", "department", "mse"), Map.of("priority", 1.0, "department", 0.25),
                Map.of("priority", List.of("mae")));
    }

    @Test
    void lossWeightsByNameWeighTheOutputsLosses() {
        Model m = model();
        compileByName(m);
        assertArrayEquals(new double[] {1.0, 0.25}, m.lossWeights());
        Map<String, Double> r = m.evaluateAsMap(xs(), ys(), new RunOptions().verbose(0));
        assertEquals(List.of("loss", "priority_loss", "department_loss", "priority_mae"), List.copyOf(r.keySet()));
        assertEquals(r.get("priority_loss") + 0.25 * r.get("department_loss"), r.get("loss"), 1e-5);
    }

    @Test
    void fitEvaluateAndPredictByNameEqualTheArraysInModelOrder() {
        Model a = model();
        Model b = model();
        b.setWeights(a.getWeights());
        compileByName(a);
        b.compile("sgd", List.of("mse", "mse"), new double[] {1.0, 0.25}, List.of("mae"), List.of());
        History ha = a.fit(xs(), ys(), Fit.epochs(2).batchSize(4).shuffle(false).verbose(0));
        History hb = b.fit(new INDArray[] {X1, X2}, new INDArray[] {Y1, Y2}, Fit.epochs(2).batchSize(4).shuffle(false).verbose(0));
        assertEquals(hb.get("loss"), ha.get("loss"));
        assertArrayEquals(b.evaluate(new INDArray[] {X1, X2}, new INDArray[] {Y1, Y2}, new RunOptions().verbose(0)),
                a.evaluate(xs(), ys(), new RunOptions().verbose(0)), 0.0);
        Map<String, INDArray> p = a.predictAsMap(xs());
        assertEquals(List.of("priority", "department"), List.copyOf(p.keySet()));
        INDArray[] q = b.predictAll(new INDArray[] {X1, X2}, new RunOptions().verbose(0));
        assertEquals(q[0], p.get("priority"));
        assertEquals(q[1], p.get("department"));
    }

    @Test
    void aMissingOrUnknownNameIsNamedInTheError() {
        Model m = model();
        compileByName(m);
        Map<String, INDArray> missing = Map.of("title", X1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predictAsMap(missing));
        assertTrue(e.getMessage().contains("missing data for input \"body\"") && e.getMessage().contains("[title, body]"), e.getMessage());
        Map<String, INDArray> unknown = new LinkedHashMap<>(xs());
        unknown.put("tittle", X1);
        e = assertThrows(IllegalArgumentException.class, () -> m.predictAsMap(unknown));
        assertTrue(e.getMessage().contains("key 'tittle'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.compile("sgd", "mse", Map.of("priority", 1.0), "mae"));
        assertTrue(e.getMessage().contains("no loss weight given for output \"department\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.compile("sgd", "mse", Map.of("priority", 1.0, "department", 1.0, "dept", 2.0)));
        assertTrue(e.getMessage().contains("key 'dept' does not correspond to any model output"), e.getMessage());
    }
}
