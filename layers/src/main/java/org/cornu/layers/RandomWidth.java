package org.cornu.layers;

import java.util.Map;

/**
 * A preprocessing layer which randomly varies image width during training, {@code keras.layers.RandomWidth(factor,
 * interpolation="bilinear", seed=None)} (Keras 2's layer; Keras 3 keeps it only as {@code keras._legacy.layers.RandomWidth},
 * which needs TensorFlow).
 *
 * <p>This layer adjusts the width of a batch of images by a random factor. The input should be a 3D (unbatched) or
 * 4D (batched) tensor in channels_last format. By default, this layer is inactive during inference (the output is
 * the input).
 *
 * <p>{@code factor}: a positive float (fraction of original width) or a pair of size 2 representing lower and upper
 * bound for resizing. For instance, {@code factor=(0.2, 0.3)} results in an output with width changed by a random
 * amount in the range {@code [20%, 30%]}; {@code factor=(-0.2, 0.3)} in the range {@code [-20%, +30%]};
 * {@code factor=0.2} in {@code [-20%, +20%]}. One factor {@code f ~ U(1 + lower, 1 + upper)} is drawn per batch
 * (float32), and the batch is resized (with {@code interpolation}, "bilinear" or "nearest", as {@code tf.image.resize})
 * to width {@code int(f * width)}, keeping its height.
 *
 * <p>Input shape: {@code (..., height, width, channels)}. Output shape: {@code (..., random_height, width, channels)}
 * for RandomHeight, {@code (..., height, random_width, channels)} for RandomWidth: that axis is unknown (None).
 */
public class RandomWidth extends RandomResize<RandomWidth> {
    /**
     * A layer varying the width by a random factor.
     *
     * @param factor one number {@code f} for {@code [-f, f]}, or a pair {@code (lower, upper)} (Keras's {@code factor})
     */
    public RandomWidth(double... factor) {
        super("RandomWidth", false, factor);
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RandomWidth fromConfig(Map<String, Object> c) {
        return configure(new RandomWidth(doubles(org.cornu.core.saving.Configs.require(c, "factor"))), c);
    }
}
