package org.cornu.layers;

import java.util.List;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/** Base of {@link RandomContrast} and {@link RandomBrightness}: one random number per image, identity at inference. */
abstract class ColorAugmentation extends ImageAugmentation {
    protected double[] factor;
    protected double[] valueRange = {0, 255};

    @Override
    protected double[] transform(int h, int w) {
        return new double[] {1, 0, 0, 0, 1, 0};
    }

    /** A per-image constant of shape (n, 1, 1, 1) (or (1, 1, 1) for one image) in the input's dtype. */
    protected Tensor perImage(Tensor x, double[] values) {
        long[] s = x.shape();
        long[] shape = s.length == 4 ? new long[] {s[0], 1, 1, 1} : new long[] {1, 1, 1};
        return Tensor.constant(Nd4j.create(values, shape, 'c').castTo(x.value().dataType().isFPType()
                ? x.value().dataType() : org.cornu.core.Cornu.floatType()));
    }

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
