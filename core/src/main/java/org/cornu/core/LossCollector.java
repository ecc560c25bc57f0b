package org.cornu.core;

import java.util.ArrayList;
import java.util.List;

/** Collects losses that layers add during a forward pass (activity regularization), per thread. */
final class LossCollector {
    private static final ThreadLocal<List<Tensor>> CURRENT = new ThreadLocal<>();

    private LossCollector() {}

    static void start() {
        CURRENT.set(new ArrayList<>());
    }

    static List<Tensor> finish() {
        List<Tensor> l = CURRENT.get();
        CURRENT.remove();
        return l == null ? List.of() : l;
    }

    static boolean active() {
        return CURRENT.get() != null;
    }

    static void add(Tensor t) {
        List<Tensor> l = CURRENT.get();
        if (l != null) l.add(t);
    }
}
