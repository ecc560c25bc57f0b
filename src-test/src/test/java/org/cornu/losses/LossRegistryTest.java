package org.cornu.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.cornu.core.Loss;
import org.cornu.core.Registry;
import org.cornu.core.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Loss names, aliases, configs and argument errors. */
class LossRegistryTest {
    static void resolves(String id, Class<? extends Loss> type, String name) {
        Loss l = Registry.loss(id);
        assertInstanceOf(type, l, id);
        assertEquals(name, l.name(), id);
    }

    @Test
    void functionNamesClassNamesAndAliasesResolve() {
        resolves("binary_crossentropy", BinaryCrossentropy.class, "binary_crossentropy");
        resolves("BinaryCrossentropy", BinaryCrossentropy.class, "binary_crossentropy");
        resolves("bce", BinaryCrossentropy.class, "binary_crossentropy");
        resolves("categorical_crossentropy", CategoricalCrossentropy.class, "categorical_crossentropy");
        resolves("CategoricalCrossentropy", CategoricalCrossentropy.class, "categorical_crossentropy");
        resolves("sparse_categorical_crossentropy", SparseCategoricalCrossentropy.class, "sparse_categorical_crossentropy");
        resolves("mean_squared_error", MeanSquaredError.class, "mean_squared_error");
        resolves("mse", MeanSquaredError.class, "mean_squared_error");
        resolves("MSE", MeanSquaredError.class, "mean_squared_error");
        resolves("MeanSquaredError", MeanSquaredError.class, "mean_squared_error");
        resolves("mae", MeanAbsoluteError.class, "mean_absolute_error");
        resolves("mean_absolute_error", MeanAbsoluteError.class, "mean_absolute_error");
        resolves("mape", MeanAbsolutePercentageError.class, "mean_absolute_percentage_error");
        resolves("msle", MeanSquaredLogarithmicError.class, "mean_squared_logarithmic_error");
        resolves("huber", Huber.class, "huber");
        resolves("hinge", Hinge.class, "hinge");
        resolves("kld", KLDivergence.class, "kl_divergence");
        resolves("kl_divergence", KLDivergence.class, "kl_divergence");
        resolves("KLDivergence", KLDivergence.class, "kl_divergence");
        resolves("poisson", Poisson.class, "poisson");
        resolves("cosine_similarity", CosineSimilarity.class, "cosine_similarity");
        // a fresh object per lookup; an object passes through
        assertNotSame(Registry.loss("mse"), Registry.loss("mse"));
        Loss mine = new Huber().delta(2);
        assertSame(mine, Registry.loss(mine));
    }

    @Test
    void unknownNameListsValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Registry.loss("mean_squared_eror"));
        assertTrue(e.getMessage().contains("'mean_squared_eror'"), e.getMessage());
        assertTrue(e.getMessage().contains("Valid names:"), e.getMessage());
        for (String n : new String[] {"mean_squared_error", "categorical_crossentropy", "kld", "mse"}) {
            assertTrue(e.getMessage().contains(n), n + " missing from: " + e.getMessage());
        }
    }

    @Test
    void sparseLabelsOutOfRangeNameValueAndRange() {
        INDArray p = Nd4j.createFromArray(new double[][] {{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}});
        Loss l = new SparseCategoricalCrossentropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.compute(Nd4j.createFromArray(1, 3), Tensor.constant(p), null));
        assertTrue(e.getMessage().contains("label value of 3 "), e.getMessage());
        assertTrue(e.getMessage().contains("[0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> l.compute(Nd4j.createFromArray(-1.0, 0.0), Tensor.constant(p), null));
        assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("[0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> l.compute(Nd4j.createFromArray(0.5, 1.0), Tensor.constant(p), null));
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
        // the logits path checks too
        assertThrows(IllegalArgumentException.class, () -> new SparseCategoricalCrossentropy().fromLogits(true)
                .compute(Nd4j.createFromArray(7, 0), Tensor.constant(p), null));
        // a label count that does not match the batch names both shapes
        e = assertThrows(IllegalArgumentException.class,
                () -> l.compute(Nd4j.createFromArray(0, 1, 2), Tensor.constant(p), null));
        assertTrue(e.getMessage().contains("(3,)") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void mismatchedShapesAreErrors() {
        INDArray p = Nd4j.createFromArray(new double[][] {{0.2, 0.8}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CategoricalCrossentropy()
                .compute(Nd4j.createFromArray(new double[][] {{0, 1, 0}}), Tensor.constant(p), null));
        assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("(1, 2)"), e.getMessage());
    }

    @Test
    void configsCarryKerasKeys() {
        Map<String, Object> c = new BinaryCrossentropy().fromLogits(true).labelSmoothing(0.1).getConfig();
        assertEquals("binary_crossentropy", c.get("name"));
        assertEquals("sum_over_batch_size", c.get("reduction"));
        assertEquals(true, c.get("from_logits"));
        assertEquals(0.1, c.get("label_smoothing"));
        assertEquals(-1, c.get("axis"));
        assertEquals(false, new SparseCategoricalCrossentropy().getConfig().get("from_logits"));
        assertEquals(1.0, new Huber().getConfig().get("delta"));
        assertEquals("sum", new MeanSquaredError().reduction("sum").getConfig().get("reduction"));
        assertThrows(IllegalArgumentException.class, () -> new MeanSquaredError().reduction("avg"));
    }
}
