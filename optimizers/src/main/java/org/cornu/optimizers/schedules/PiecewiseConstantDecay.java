package org.cornu.optimizers.schedules;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cornu.core.LearningRateSchedule;

/**
 * {@code keras.optimizers.schedules.PiecewiseConstantDecay}: {@code values[0]} while
 * {@code step <= boundaries[0]}, {@code values[i]} while
 * {@code boundaries[i-1] < step <= boundaries[i]}, and the last value after the last boundary.
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
    private final long[] boundaries;
    private final double[] values;

    /**
     * @param boundaries strictly increasing steps
     * @param values one more than {@code boundaries}
     */
    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        if (boundaries == null || values == null || boundaries.length != values.length - 1) {
            throw new IllegalArgumentException("The length of boundaries should be 1 less than the length of values. "
                    + "Received: boundaries=" + Arrays.toString(boundaries) + " of length "
                    + (boundaries == null ? 0 : boundaries.length) + ", and values=" + Arrays.toString(values)
                    + " of length " + (values == null ? 0 : values.length) + ".");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("Argument `boundaries` must be strictly increasing. Received: boundaries="
                        + Arrays.toString(boundaries));
            }
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    /**
     * The schedule of a Keras config ({@code boundaries}, {@code values}, {@code name}), as
     * {@code PiecewiseConstantDecay.from_config}.
     *
     * @param config the Keras config
     * @return the schedule
     * @throws IllegalArgumentException for a missing, unknown or invalid key
     */
    public static PiecewiseConstantDecay fromConfig(Map<String, Object> config) {
        ScheduleConfig c = new ScheduleConfig("PiecewiseConstantDecay", config);
        List<?> b = c.list("boundaries");
        List<?> v = c.list("values");
        long[] boundaries = new long[b.size()];
        for (int i = 0; i < boundaries.length; i++) {
            double d = ((Number) b.get(i)).doubleValue();
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException("Learning rate schedule PiecewiseConstantDecay: boundaries must be whole steps, got " + b);
            }
            boundaries[i] = (long) d;
        }
        double[] values = new double[v.size()];
        for (int i = 0; i < values.length; i++) values[i] = ((Number) v.get(i)).doubleValue();
        c.finish();
        return new PiecewiseConstantDecay(boundaries, values);
    }

    @Override
    public double apply(long step) {
        for (int i = 0; i < boundaries.length; i++) {
            if (step <= boundaries[i]) return values[i];
        }
        return values[values.length - 1];
    }

    /** The Keras class name, {@code PiecewiseConstantDecay}. */
    @Override
    public String name() {
        return "PiecewiseConstantDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("boundaries", Arrays.stream(boundaries).boxed().collect(Collectors.toList()));
        c.put("values", Arrays.stream(values).boxed().collect(Collectors.toList()));
        c.put("name", "PiecewiseConstant");
        return c;
    }

    @Override
    public String toString() {
        return "PiecewiseConstantDecay" + getConfig();
    }
}
