package org.cornu.layers;

import java.util.Map;

/**
 * A preprocessing layer which randomly varies image height during training, {@code keras.layers.RandomHeight(factor,
 * interpolation="bilinear", seed=None)} (Keras 2's layer; Keras 3 keeps it only as {@code keras._legacy.layers.RandomHeight},
 * which needs TensorFlow).
 *
 * <p>This layer adjusts the height of a batch of images by a random factor. The input should be a 3D (unbatched) or
 * 4D (batched) tensor in channels_last format. By default, this layer is inactive during inference (the output is
 * the input).
 *
 * <p>{@code factor}: a positive float (fraction of original height) or a pair of size 2 representing lower and upper
 * bound for resizing. For instance, {@code factor=(0.2, 0.3)} results in an output with height changed by a random
 * amount in the range {@code [20%, 30%]}; {@code factor=(-0.2, 0.3)} in the range {@code [-20%, +30%]};
 * {@code factor=0.2} in {@code [-20%, +20%]}. One factor {@code f ~ U(1 + lower, 1 + upper)} is drawn per batch
 * (float32), and the batch is resized (with {@code interpolation}, "bilinear" or "nearest", as {@code tf.image.resize})
 * to height {@code int(f * height)}, keeping its width.
 *
 * <p>Input shape: {@code (..., height, width, channels)}. Output shape: {@code (..., random_height, width, channels)}
 * for RandomHeight, {@code (..., height, random_width, channels)} for RandomWidth: that axis is unknown (None).
 */
public class RandomHeight extends RandomResize<RandomHeight> {
    /**
     * A layer varying the height by a random factor.
     *
     * @param factor one number {@code f} for {@code [-f, f]}, or a pair {@code (lower, upper)} (Keras's {@code factor})
     */
    public RandomHeight(double... factor) {
        super("RandomHeight", true, factor);
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RandomHeight fromConfig(Map<String, Object> c) {
        return configure(new RandomHeight(doubles(org.cornu.core.saving.Configs.require(c, "factor"))), c);
    }
}
