/**
 * Keras's trainer: {@link org.cornu.core.training.Trainer} ({@code compile}, {@code fit},
 * {@code evaluate}, {@code predict}, the batch methods, and the overridable {@code trainStep},
 * {@code testStep} and {@code predictStep} on a {@link org.cornu.core.training.StepData}), with
 * {@link org.cornu.core.training.FitOptions} and {@link org.cornu.core.training.RunOptions}.
 *
 * <p>Inside (package-private or documented as internal): {@code StepCompiler}, the one place that
 * decides how a step runs (the trainer's own step on the tape, or a whole-step fast path such as
 * {@code SmallPath} for small Dense chains and {@code SmallPredict}; never when the step is
 * overridden); {@code EpochLoop} (callbacks, progress bar, metric resets, validation, History);
 * {@code CompileState}; {@code DataAdapter} and {@code Batcher} (array data: checks, slices,
 * validation split, shuffled batches gathered into reused buffers, sparse rows).
 *
 * <p>Extension points, public: {@link org.cornu.core.training.JvmLoss} and
 * {@link org.cornu.core.training.JvmMetric} (the optional plain-Java form of a loss or metric that
 * the small-model path uses), {@link org.cornu.core.training.FullyConnected},
 * {@link org.cornu.core.training.RecurrentLayer} and {@link org.cornu.core.training.FlattenLayer}
 * (what that path needs to know of a layer). Depends on the root package, {@code autodiff},
 * {@code ops}, {@code kernels}, {@code callbacks} and {@code metrics}.
 */
package org.cornu.core.training;
