package org.cornu.testing.opmatrix;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The op matrix's tolerances, per dtype, in one place. A value {@code a} matches its float64
 * reference {@code r} when {@code |a - r| <= atol + rtol * |r|}.
 *
 * <p>Float64 forward values are compared with a reference computed in float64 by other code
 * (a plain-Java reference or the same op on the reference path): only summation order differs.
 * Float64 gradients are compared with central differences ({@code h = 1e-6}), whose truncation
 * and cancellation errors are about 1e-9 on the O(1) values the samples use. Float32 values carry
 * about 6e-8 relative rounding per operation; the samples sum at most a few dozen terms per value.
 */
public enum Tolerance {
    /** float64: forward against a float64 reference. */
    FLOAT64_FORWARD(1e-10, 1e-9),
    /** float64: gradients against central differences or the float64 reference path. */
    FLOAT64_BACKWARD(2e-7, 1e-6),
    /** float32: forward against the float64 reference. */
    FLOAT32_FORWARD(2e-5, 2e-4),
    /** float32: gradients against the float64 reference. */
    FLOAT32_BACKWARD(1e-4, 1e-3);

    /** The absolute part. */
    public final double atol;
    /** The relative part. */
    public final double rtol;

    Tolerance(double atol, double rtol) {
        this.atol = atol;
        this.rtol = rtol;
    }

    /** The forward tolerance of {@code dt}. */
    public static Tolerance forward(DataType dt) {
        return dt == DataType.DOUBLE ? FLOAT64_FORWARD : FLOAT32_FORWARD;
    }

    /** The backward tolerance of {@code dt}. */
    public static Tolerance backward(DataType dt) {
        return dt == DataType.DOUBLE ? FLOAT64_BACKWARD : FLOAT32_BACKWARD;
    }

    /** Whether {@code actual} is within this tolerance of {@code reference}. */
    public boolean accepts(double actual, double reference) {
        return Math.abs(actual - reference) <= atol + rtol * Math.abs(reference) && !Double.isNaN(actual) == !Double.isNaN(reference);
    }
}
