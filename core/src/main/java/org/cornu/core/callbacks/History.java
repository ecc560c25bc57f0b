package org.cornu.core.callbacks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records each epoch's logs; {@code fit} returns it. Keys as Keras: {@code loss}, {@code accuracy}, {@code val_loss}, ... */
public class History extends Callback {
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /**
     * Metric name to per-epoch values (Keras's {@code history.history}).
     *
     * @return metric name to one value per epoch
     */
    public Map<String, List<Double>> history() {
        return history;
    }

    /**
     * The values of one key, e.g. {@code val_loss}; an unknown key lists the known ones.
     *
     * @param key a metric name
     * @return one value per epoch
     * @throws IllegalArgumentException for an unknown key
     */
    public List<Double> get(String key) {
        List<Double> v = history.get(key);
        if (v == null) throw new IllegalArgumentException("History has no key '" + key + "'. Keys: " + history.keySet());
        return v;
    }

    /**
     * The last value of {@code key}.
     *
     * @param key a metric name
     * @return the value of the last epoch
     */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    /**
     * The epoch indices recorded (Keras's {@code history.epoch}).
     *
     * @return the epoch indices, from 0
     */
    public List<Integer> epoch() {
        return epochs;
    }

    @Override
    public String toString() {
        return history.toString();
    }
}
