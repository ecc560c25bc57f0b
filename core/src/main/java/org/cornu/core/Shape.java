package org.cornu.core;

import java.util.Arrays;

/**
 * A tensor shape whose dimensions may be unknown ({@code None} in Keras, {@code -1} here),
 * most often the batch dimension. Immutable.
 */
public final class Shape {
    /** Marks an unknown dimension. */
    public static final long NONE = -1;
    private final long[] dims;

    private Shape(long[] dims) {
        this.dims = dims;
    }

    /**
     * A shape from its dimensions; {@code -1} stands for unknown.
     *
     * @param dims the sizes of the axes, {@link #NONE} for unknown
     * @return the shape
     */
    public static Shape of(long... dims) {
        return new Shape(dims.clone());
    }

    /**
     * The shape of a batch of samples of the given per-sample shape: {@code (None, ...)}.
     *
     * @param sampleDims the sizes of a sample's axes
     * @return the shape with an unknown batch axis in front
     */
    public static Shape batchOf(long... sampleDims) {
        long[] d = new long[sampleDims.length + 1];
        d[0] = NONE;
        System.arraycopy(sampleDims, 0, d, 1, sampleDims.length);
        return new Shape(d);
    }

    /**
     * The number of axes (Keras's {@code len(shape)}).
     *
     * @return the rank, counting the batch axis
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Dimension {@code i}; negative {@code i} counts from the end as in Python.
     *
     * @param i the axis, negative from the end
     * @return the size, {@link #NONE} if unknown
     */
    public long get(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    /**
     * The sizes of all axes.
     *
     * @return a copy, {@link #NONE} where unknown
     */
    public long[] dims() {
        return dims.clone();
    }

    /**
     * The shape without its first (batch) dimension.
     *
     * @return a copy of the per-sample sizes
     */
    public long[] sampleDims() {
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    /**
     * A copy with dimension {@code i} replaced.
     *
     * @param i the axis to replace
     * @param value its new size, {@link #NONE} for unknown
     * @return the new shape
     */
    public Shape with(int i, long value) {
        long[] d = dims.clone();
        d[i < 0 ? d.length + i : i] = value;
        return new Shape(d);
    }

    /**
     * Number of elements per sample (product of all but the first dimension); -1 if unknown.
     *
     * @return the per-sample element count
     */
    public long sampleSize() {
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] < 0) return -1;
            n *= dims[i];
        }
        return n;
    }

    /**
     * True if the shapes agree wherever both dimensions are known.
     *
     * @param actual the sizes of a concrete array
     * @return true if the ranks are equal and every known size matches
     */
    public boolean compatibleWith(long[] actual) {
        if (actual.length != dims.length) return false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] >= 0 && actual[i] >= 0 && dims[i] != actual[i]) return false;
        }
        return true;
    }

    /**
     * Python tuple notation, as Keras prints shapes: {@code (None, 784)}.
     *
     * @param dims the sizes, negative for unknown
     * @return the text, e.g. {@code (None, 784)}
     */
    public static String format(long[] dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) b.append(", ");
            b.append(dims[i] < 0 ? "None" : Long.toString(dims[i]));
        }
        if (dims.length == 1) b.append(',');
        return b.append(')').toString();
    }

    @Override
    public String toString() {
        return format(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }
}
