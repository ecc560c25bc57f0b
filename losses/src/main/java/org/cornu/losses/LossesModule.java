package org.cornu.losses;

import java.util.function.Supplier;
import org.cornu.core.Loss;
import org.cornu.core.Registry;

/**
 * Registers this module's losses under Keras's names: each function name (which is also the
 * loss's {@link Loss#name()}), the class name, and Keras's aliases ({@code mse}, {@code mae},
 * {@code mape}, {@code msle}, {@code kld}, {@code bce}).
 */
public final class LossesModule implements Registry.Module {
    @Override
    public void register() {
        add(BinaryCrossentropy::new, "binary_crossentropy", "BinaryCrossentropy", "bce");
        add(CategoricalCrossentropy::new, "categorical_crossentropy", "CategoricalCrossentropy");
        add(SparseCategoricalCrossentropy::new, "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy");
        add(MeanSquaredError::new, "mean_squared_error", "MeanSquaredError", "mse");
        add(MeanAbsoluteError::new, "mean_absolute_error", "MeanAbsoluteError", "mae");
        add(MeanAbsolutePercentageError::new, "mean_absolute_percentage_error", "MeanAbsolutePercentageError", "mape");
        add(MeanSquaredLogarithmicError::new, "mean_squared_logarithmic_error", "MeanSquaredLogarithmicError", "msle");
        add(Huber::new, "huber", "Huber");
        add(Hinge::new, "hinge", "Hinge");
        add(KLDivergence::new, "kl_divergence", "KLDivergence", "kld");
        add(Poisson::new, "poisson", "Poisson");
        add(CosineSimilarity::new, "cosine_similarity", "CosineSimilarity");
    }

    private static void add(Supplier<? extends Loss> f, String... names) {
        for (String n : names) Registry.register(Registry.Kind.LOSS, n, f);
    }
}
