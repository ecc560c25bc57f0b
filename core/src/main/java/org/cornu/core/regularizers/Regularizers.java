package org.cornu.core.regularizers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.ops.Ops;
import org.cornu.core.Registry;
import org.cornu.core.autodiff.Tensor;

/**
 * Keras's weight regularizers: {@code l1 * sum(|x|) + l2 * sum(x^2)}. By name,
 * {@code "l1"}, {@code "l2"} and {@code "l1_l2"} use Keras's 0.01 factors.
 */
public final class Regularizers {
    private Regularizers() {}

    /** The {@code L1L2} regularizer; either factor may be 0. */
    public static final class L1L2 implements Regularizer {
        private final double l1;
        private final double l2;
        private final String name;

        /**
         * The penalty {@code l1 * sum(|x|) + l2 * sum(x^2)} (Keras's {@code L1L2}).
         *
         * @param l1 the L1 factor (Keras's {@code l1}, default 0)
         * @param l2 the L2 factor (Keras's {@code l2}, default 0)
         */
        public L1L2(double l1, double l2) {
            this(l1, l2, "l1_l2");
        }

        L1L2(double l1, double l2, String name) {
            if (l1 < 0 || l2 < 0 || Double.isNaN(l1) || Double.isNaN(l2)) {
                throw new IllegalArgumentException("Regularizer factors must be non-negative numbers, got l1="
                        + l1 + ", l2=" + l2);
            }
            this.l1 = l1;
            this.l2 = l2;
            this.name = name;
        }

        /**
         * The L1 factor (Keras's {@code l1}).
         *
         * @return the factor
         */
        public double l1() {
            return l1;
        }

        /**
         * The L2 factor (Keras's {@code l2}).
         *
         * @return the factor
         */
        public double l2() {
            return l2;
        }

        @Override
        public Tensor apply(Tensor x) {
            Tensor r = null;
            if (l1 > 0) r = Ops.mulScalar(Ops.sum(Ops.abs(x)), l1);
            if (l2 > 0) {
                Tensor t = Ops.mulScalar(Ops.sum(Ops.square(x)), l2);
                r = r == null ? t : Ops.add(r, t);
            }
            return r != null ? r : Ops.mulScalar(Ops.sum(x), 0.0);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new LinkedHashMap<>();
            if (!name.equals("l2")) c.put("l1", l1);
            if (!name.equals("l1")) c.put("l2", l2);
            return c;
        }

        @Override
        public String toString() {
            return name + "(l1=" + l1 + ", l2=" + l2 + ")";
        }
    }

    /**
     * {@code L1(factor)}.
     *
     * @param factor the factor of {@code sum(|x|)} (Keras's {@code l1}, default 0.01)
     * @return the regularizer
     */
    public static Regularizer l1(double factor) {
        return new L1L2(factor, 0, "l1");
    }

    /**
     * {@code L2(factor)}.
     *
     * @param factor the factor of {@code sum(x^2)} (Keras's {@code l2}, default 0.01)
     * @return the regularizer
     */
    public static Regularizer l2(double factor) {
        return new L1L2(0, factor, "l2");
    }

    /**
     * {@code L1L2(l1, l2)}.
     *
     * @param l1 the L1 factor (Keras's {@code l1})
     * @param l2 the L2 factor (Keras's {@code l2})
     * @return the regularizer
     */
    public static Regularizer l1L2(double l1, double l2) {
        return new L1L2(l1, l2);
    }

    /** Registers the regularizers' Keras names ({@code l1}, {@code l2}, {@code l1_l2}, ...) with the {@link org.cornu.core.Registry}. */
    public static void registerAll() {
        Registry.register(Registry.Kind.REGULARIZER, "l1", () -> l1(0.01));
        Registry.register(Registry.Kind.REGULARIZER, "l2", () -> l2(0.01));
        Registry.register(Registry.Kind.REGULARIZER, "l1_l2", () -> l1L2(0.01, 0.01));
        Registry.register(Registry.Kind.REGULARIZER, "L1", () -> l1(0.01));
        Registry.register(Registry.Kind.REGULARIZER, "L2", () -> l2(0.01));
        Registry.register(Registry.Kind.REGULARIZER, "L1L2", () -> l1L2(0.01, 0.01));
    }
}
