package org.cornu.layers;

import java.util.Map;
import org.cornu.core.saving.Configs;

/**
 * Spatial 2D version of Dropout, {@code keras.layers.SpatialDropout2D}. This version performs
 * the same function as Dropout, however, it drops entire 2D feature maps instead of individual
 * elements. If adjacent pixels within feature maps are strongly correlated (as is normally the
 * case in early convolution layers) then regular dropout will not regularize the activations and
 * will otherwise just result in an effective learning rate decrease. In this case,
 * SpatialDropout2D will help promote independence between feature maps and should be used
 * instead.
 *
 * <p>Input: 4D tensor {@code (samples, rows, cols, channels)} (channels_last, the only data
 * format supported); output: same shape. Active only in training.
 */
public class SpatialDropout2D extends BaseSpatialDropout {
    /**
     * A spatial dropout layer that drops a fraction {@code rate} of the channels in training.
     *
     * @param rate fraction of the input units to drop, in {@code [0, 1)} (Keras's {@code rate})
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public SpatialDropout2D(double rate) {
        super(rate, 4);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SpatialDropout2D name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SpatialDropout2D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the data format (Keras's {@code data_format}, default {@code "channels_last"}); only
     * {@code "channels_last"} is supported.
     *
     * @param f {@code "channels_last"}
     * @return this layer
     * @throws IllegalArgumentException for any other format
     */
    public SpatialDropout2D dataFormat(String f) {
        ConvUtils.dataFormat("SpatialDropout2D", f);
        return this;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("data_format", "channels_last");
        return c;
    }

    /**
     * Re-creates a SpatialDropout2D layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static SpatialDropout2D fromConfig(Map<String, Object> c) {
        SpatialDropout2D d = new SpatialDropout2D(Configs.getDouble(c, "rate"));
        d.dataFormat(LayerConfigs.dataFormat(c));
        Long seed = Configs.getLongOrNull(c, "seed");
        if (seed != null) d.seed(seed);
        return d;
    }
}
