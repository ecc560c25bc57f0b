package org.cornu.core.autodiff;

import java.util.ArrayList;
import java.util.List;

/** Collects losses that layers add during a forward pass (activity regularization), per thread. */
public final class LossCollector {
    private static final ThreadLocal<List<Tensor>> CURRENT = new ThreadLocal<>();

    private LossCollector() {}

    public static void start() {
        CURRENT.set(new ArrayList<>());
    }

    public static List<Tensor> finish() {
        List<Tensor> l = CURRENT.get();
        CURRENT.remove();
        return l == null ? List.of() : l;
    }

    public static boolean active() {
        return CURRENT.get() != null;
    }

    public static void add(Tensor t) {
        List<Tensor> l = CURRENT.get();
        if (l != null) l.add(t);
    }
}
