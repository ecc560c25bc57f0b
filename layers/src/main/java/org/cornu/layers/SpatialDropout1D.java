package org.cornu.layers;

import java.util.Map;
import org.cornu.core.saving.Configs;

/**
 * Spatial 1D version of Dropout, {@code keras.layers.SpatialDropout1D}. This version performs
 * the same function as Dropout, however, it drops entire 1D feature maps instead of individual
 * elements. If adjacent frames within feature maps are strongly correlated (as is normally the
 * case in early convolution layers) then regular dropout will not regularize the activations and
 * will otherwise just result in an effective learning rate decrease. In this case,
 * SpatialDropout1D will help promote independence between feature maps and should be used
 * instead.
 *
 * <p>Input: 3D tensor with shape {@code (samples, timesteps, channels)}; output: same shape.
 * Active only in training.
 */
public class SpatialDropout1D extends BaseSpatialDropout {
    /**
     * A spatial dropout layer that drops a fraction {@code rate} of the channels in training.
     *
     * @param rate fraction of the input units to drop, in {@code [0, 1)} (Keras's {@code rate})
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public SpatialDropout1D(double rate) {
        super(rate, 3);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SpatialDropout1D name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SpatialDropout1D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Re-creates a SpatialDropout1D layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static SpatialDropout1D fromConfig(Map<String, Object> c) {
        SpatialDropout1D d = new SpatialDropout1D(Configs.getDouble(c, "rate"));
        Long seed = Configs.getLongOrNull(c, "seed");
        if (seed != null) d.seed(seed);
        return d;
    }
}
