package org.cornu.core.callbacks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Model;

/**
 * The callbacks of one training run, as Keras's {@code CallbackList} assembles them for
 * {@code fit}: the user's, then the run's {@link History}, then a {@link ProgbarLogger} when
 * {@code verbose} is above 0, each given the model and the run's {@code params}.
 */
public final class CallbackList {
    private CallbackList() {}

    /**
     * The callbacks of a {@code fit}: {@code callbacks}, {@code history} and (for {@code verbose > 0})
     * a progress bar, each with {@code model} set and {@code params} {@code {epochs, steps, verbose}}.
     *
     * @param callbacks the user's callbacks, in order
     * @param history the History this run fills
     * @param model the model being trained
     * @param verbose Keras's {@code verbose}: 0 silent, 1 progress bar, 2 one line per epoch
     * @param epochs the number of epochs
     * @param steps the steps per epoch
     * @return a new list, ready for {@code onTrainBegin}
     */
    public static List<Callback> forFit(List<Callback> callbacks, History history, Model model, int verbose, int epochs,
            int steps) {
        List<Callback> cbs = new ArrayList<>(callbacks);
        cbs.add(history);
        if (verbose > 0) cbs.add(new ProgbarLogger());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("epochs", epochs);
        params.put("steps", steps);
        params.put("verbose", verbose);
        for (Callback c : cbs) {
            c.setModel(model);
            c.setParams(params);
        }
        return cbs;
    }
}
