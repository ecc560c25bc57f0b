package org.cornu.core.autodiff;

import java.util.ArrayList;
import java.util.List;

/** Collects losses that layers add during a forward pass (activity regularization), per thread. */
public final class LossCollector {
    private static final ThreadLocal<List<Tensor>> CURRENT = new ThreadLocal<>();

    private LossCollector() {}

    /** Starts collecting on this thread (a training or test step does, before the forward pass). */
    public static void start() {
        CURRENT.set(new ArrayList<>());
    }

    /**
     * Stops collecting on this thread.
     *
     * @return the losses added since {@link #start()}; empty if none or not started
     */
    public static List<Tensor> finish() {
        List<Tensor> l = CURRENT.get();
        CURRENT.remove();
        return l == null ? List.of() : l;
    }

    /**
     * Whether this thread collects.
     *
     * @return true between {@link #start()} and {@link #finish()}
     */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    /**
     * Adds a loss term; ignored when this thread does not collect.
     *
     * @param t a scalar loss term
     */
    public static void add(Tensor t) {
        List<Tensor> l = CURRENT.get();
        if (l != null) l.add(t);
    }
}
