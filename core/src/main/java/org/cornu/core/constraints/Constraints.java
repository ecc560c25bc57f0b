package org.cornu.core.constraints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.Registry;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Keras's weight constraints: max_norm, non_neg, unit_norm, min_max_norm. */
public final class Constraints {
    private Constraints() {}

    private static final double EPSILON = 1e-7;

    private static INDArray norms(INDArray w, int axis) {
        return Transforms.sqrt(w.mul(w).sum(true, axis), false);
    }

    private abstract static class Base implements Constraint {
        final String name;

        Base(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, Object> getConfig() {
            return new LinkedHashMap<>();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Rescales each slice along {@code axis} whose L2 norm exceeds {@code maxValue} (Keras: 2, axis 0).
     *
     * @param maxValue the largest norm (Keras's {@code max_value})
     * @param axis the axis the norms are computed along (Keras's {@code axis})
     * @return the constraint
     */
    public static Constraint maxNorm(double maxValue, int axis) {
        return new Base("max_norm") {
            @Override
            public INDArray apply(INDArray w) {
                INDArray n = norms(w, axis);
                INDArray desired = Transforms.min(n, maxValue, true);
                // w * desired / (eps + norms)
                INDArray scale = desired.div(n.add(EPSILON));
                return w.mul(scale.broadcast(w.shape()));
            }

            @Override
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("max_value", maxValue);
                c.put("axis", axis);
                return c;
            }
        };
    }

    /**
     * Sets negative entries to zero.
     *
     * Keras's {@code NonNeg}.
     *
     * @return the constraint
     */
    public static Constraint nonNeg() {
        return new Base("non_neg") {
            @Override
            public INDArray apply(INDArray w) {
                return Transforms.relu(w, true);
            }
        };
    }

    /**
     * Rescales each slice along {@code axis} to unit L2 norm (Keras: axis 0).
     *
     * @param axis the axis the norms are computed along (Keras's {@code axis})
     * @return the constraint
     */
    public static Constraint unitNorm(int axis) {
        return new Base("unit_norm") {
            @Override
            public INDArray apply(INDArray w) {
                return w.div(norms(w, axis).add(EPSILON).broadcast(w.shape()));
            }

            @Override
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("axis", axis);
                return c;
            }
        };
    }

    /**
     * Keeps slice norms within {@code [minValue, maxValue]}, moving a fraction {@code rate} of the way.
     *
     * Keras's {@code MinMaxNorm} (defaults 0, 1, rate 1, axis 0).
     *
     * @param minValue the smallest norm (Keras's {@code min_value})
     * @param maxValue the largest norm (Keras's {@code max_value})
     * @param rate how far to move toward the bounds, 1 for all the way (Keras's {@code rate})
     * @param axis the axis the norms are computed along (Keras's {@code axis})
     * @return the constraint
     */
    public static Constraint minMaxNorm(double minValue, double maxValue, double rate, int axis) {
        return new Base("min_max_norm") {
            @Override
            public INDArray apply(INDArray w) {
                INDArray n = norms(w, axis);
                INDArray clipped = Transforms.min(Transforms.max(n, minValue, true), maxValue, false);
                INDArray desired = clipped.muli(rate).addi(n.mul(1 - rate));
                return w.mul(desired.div(n.add(EPSILON)).broadcast(w.shape()));
            }

            @Override
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("min_value", minValue);
                c.put("max_value", maxValue);
                c.put("rate", rate);
                c.put("axis", axis);
                return c;
            }
        };
    }

    /** Registers the constraints' Keras names ({@code max_norm}, {@code non_neg}, ...) with the {@link org.cornu.core.Registry}. */
    public static void registerAll() {
        Registry.register(Registry.Kind.CONSTRAINT, "max_norm", () -> maxNorm(2.0, 0));
        Registry.register(Registry.Kind.CONSTRAINT, "MaxNorm", () -> maxNorm(2.0, 0));
        Registry.register(Registry.Kind.CONSTRAINT, "non_neg", Constraints::nonNeg);
        Registry.register(Registry.Kind.CONSTRAINT, "NonNeg", Constraints::nonNeg);
        Registry.register(Registry.Kind.CONSTRAINT, "unit_norm", () -> unitNorm(0));
        Registry.register(Registry.Kind.CONSTRAINT, "UnitNorm", () -> unitNorm(0));
        Registry.register(Registry.Kind.CONSTRAINT, "min_max_norm", () -> minMaxNorm(0.0, 1.0, 1.0, 0));
        Registry.register(Registry.Kind.CONSTRAINT, "MinMaxNorm", () -> minMaxNorm(0.0, 1.0, 1.0, 0));
    }
}
