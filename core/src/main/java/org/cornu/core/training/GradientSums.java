package org.cornu.core.training;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one slice of a global batch contributes to a data-parallel training step (see
 * {@link Trainer#gradientSums}): sums over the slice's samples, so that the sums of several
 * slices add up to the sums of the whole batch, and dividing by the batch's sample count gives
 * the mean loss and the mean gradient that one machine's {@code trainStep} would compute.
 *
 * <p>The gradient sums are float64 arrays: a float32 gradient times a sample count is exact in
 * float64, so a single slice divided by its own count gives back the float32 gradient bit for bit.
 *
 * @param count the number of samples summed over (0 for {@link Trainer#regularizationGradients})
 * @param lossSums the summed total loss at index 0, then, for a model with several outputs, each
 *     output's summed (unweighted) loss, as the loss trackers of {@code fit} see them
 * @param gradients one float64 sum per trainable weight, in {@link Trainer#trainableWeights()}
 *     order; null where the loss does not depend on that weight
 */
public record GradientSums(long count, double[] lossSums, List<INDArray> gradients) {}
