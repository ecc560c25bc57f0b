package org.cornu.testing.opmatrix;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One way an op can be computed: the {@link FastPaths} switches that force it, the memory
 * layout its inputs need (ND4J's native elementwise ops are what run on Fortran-order
 * inputs, the JVM loops on dense C-order ones), the dtypes it serves, and the counter that
 * proves it ran. The standard paths are the constants of {@link KernelPaths}; a new kernel
 * joins the matrix by declaring its path there and listing it on the ops it serves.
 */
public final class KernelPath {
    private final String name;
    private final Map<FastPaths, Boolean> switches = new EnumMap<>(FastPaths.class);
    private final Set<DataType> dtypes = EnumSet.of(DataType.FLOAT, DataType.DOUBLE);
    private char order = 'c';
    private FastPaths counted;

    private KernelPath(String name) {
        this.name = name;
    }

    /** A path with every switch left as the program starts. */
    public static KernelPath named(String name) {
        return new KernelPath(name);
    }

    /** The path with switch {@code p} set to {@code on}. */
    public KernelPath with(FastPaths p, boolean on) {
        KernelPath k = copy(name);
        k.switches.put(p, on);
        return k;
    }

    /** The path for inputs in Fortran order (so that the dense C-order JVM loops do not apply). */
    public KernelPath fortranOrder() {
        KernelPath k = copy(name);
        k.order = 'f';
        return k;
    }

    /** The path only for these dtypes. */
    public KernelPath only(DataType... types) {
        KernelPath k = copy(name);
        k.dtypes.clear();
        k.dtypes.addAll(java.util.List.of(types));
        return k;
    }

    /** The path proven taken by {@code p}'s run counter going up. */
    public KernelPath counts(FastPaths p) {
        KernelPath k = copy(name);
        k.counted = p;
        return k;
    }

    private KernelPath copy(String n) {
        KernelPath k = new KernelPath(n);
        k.switches.putAll(switches);
        k.dtypes.clear();
        k.dtypes.addAll(dtypes);
        k.order = order;
        k.counted = counted;
        return k;
    }

    /** The path's name. */
    public String name() {
        return name;
    }

    /** The switches this path sets. */
    public Map<FastPaths, Boolean> switches() {
        return switches;
    }

    /** Whether the path serves {@code dt}. */
    public boolean serves(DataType dt) {
        return dtypes.contains(dt);
    }

    /** The counter that proves the path ran, or null. */
    public FastPaths counted() {
        return counted;
    }

    /** {@code a} laid out as this path needs (a copy). */
    public INDArray layout(INDArray a) {
        return a.dup(order);
    }

    /** Sets the switches (and resets the counter); closing restores them. */
    public Scope enter() {
        return new Scope();
    }

    /** The switches set for a run; {@link #close} puts them back. */
    public final class Scope implements AutoCloseable {
        private final Map<FastPaths, Boolean> saved = new EnumMap<>(FastPaths.class);

        private Scope() {
            for (Map.Entry<FastPaths, Boolean> e : switches.entrySet()) {
                saved.put(e.getKey(), e.getKey().enabled());
                e.getKey().setEnabled(e.getValue());
            }
            if (counted != null) counted.resetRuns();
        }

        /** Whether the path's counter shows it ran (true when it has none). */
        public boolean ran() {
            return counted == null || counted.runs() > 0;
        }

        @Override
        public void close() {
            for (Map.Entry<FastPaths, Boolean> e : saved.entrySet()) e.getKey().setEnabled(e.getValue());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
