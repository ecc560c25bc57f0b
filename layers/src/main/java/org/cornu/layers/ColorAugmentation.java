package org.cornu.layers;

import java.util.List;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/** Base of {@link RandomContrast} and {@link RandomBrightness}: one random number per image, identity at inference. */
abstract class ColorAugmentation extends ImageAugmentation {
    /** The range the random factor is drawn from (Keras's {@code factor}, as {@code (lower, upper)}). */
    protected double[] factor;
    /** The range of the input values (Keras's {@code value_range}, default {@code (0, 255)}). */
    protected double[] valueRange = {0, 255};

    @Override
    protected double[] transform(int h, int w) {
        return new double[] {1, 0, 0, 0, 1, 0};
    }

    /**
     * One number per image as a constant that broadcasts against the input.
     *
     * @param x the input, {@code (n, h, w, c)} or one image {@code (h, w, c)}
     * @param values one number per image
     * @return a constant of shape {@code (n, 1, 1, 1)} (or {@code (1, 1, 1)}), in the input's float type (or
     *     Cornu's float type for integer inputs)
     */
    protected Tensor perImage(Tensor x, double[] values) {
        long[] s = x.shape();
        long[] shape = s.length == 4 ? new long[] {s[0], 1, 1, 1} : new long[] {1, 1, 1};
        return Tensor.constant(Nd4j.create(values, shape, 'c').castTo(x.value().dataType().isFPType()
                ? x.value().dataType() : org.cornu.core.Cornu.floatType()));
    }

    /**
     * The number of images in an input.
     *
     * @param s the input's shape
     * @return its first dimension for a batch of rank 4, else 1
     */
    protected static int images(long[] s) {
        return s.length == 4 ? (int) s[0] : 1;
    }

    static double[] range(String layer, double[] r) {
        if (r == null || r.length != 2) {
            throw new IllegalArgumentException(layer + ": the `value_range` argument should be a list of two numbers. Received: value_range="
                    + java.util.Arrays.toString(r));
        }
        return r.clone();
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return s;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }
}
