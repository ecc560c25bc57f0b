package org.cornu.core.metrics;

import java.util.function.Supplier;
import org.cornu.core.Metric;
import org.cornu.core.Registry;

/**
 * Registers the regression, top-k, confusion-matrix and crossentropy metrics under Keras's
 * names: the snake_case name, the class name, and the aliases {@code mae}, {@code mse},
 * {@code rmse}, {@code mape} and {@code bce}.
 */
final class MoreMetrics {
    private MoreMetrics() {}

    static void registerAll() {
        add(MeanAbsoluteError::new, "mean_absolute_error", "MeanAbsoluteError", "mae");
        add(MeanSquaredError::new, "mean_squared_error", "MeanSquaredError", "mse");
        add(RootMeanSquaredError::new, "root_mean_squared_error", "RootMeanSquaredError", "rmse");
        add(MeanAbsolutePercentageError::new, "mean_absolute_percentage_error", "MeanAbsolutePercentageError", "mape");
        add(TopKCategoricalAccuracy::new, "top_k_categorical_accuracy", "TopKCategoricalAccuracy");
        add(SparseTopKCategoricalAccuracy::new, "sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy");
        add(Precision::new, "precision", "Precision");
        add(Recall::new, "recall", "Recall");
        add(AUC::new, "auc", "AUC");
        add(BinaryCrossentropy::new, "binary_crossentropy", "BinaryCrossentropy", "bce");
        add(CategoricalCrossentropy::new, "categorical_crossentropy", "CategoricalCrossentropy");
        add(SparseCategoricalCrossentropy::new, "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy");
    }

    private static void add(Supplier<? extends Metric> f, String... names) {
        for (String n : names) Registry.register(Registry.Kind.METRIC, n, f);
    }
}
