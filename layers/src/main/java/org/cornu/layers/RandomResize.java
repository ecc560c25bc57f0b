package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/**
 * Base of {@link RandomHeight} and {@link RandomWidth}: in training, one factor per batch drawn
 * from {@code U(1 + lower, 1 + upper)} resizes one spatial axis to {@code int(f * size)}; at
 * inference the layer is the identity. The resized axis is unknown (None) in the output shape.
 *
 * @param <T> the concrete layer, returned by the fluent setters
 */
public abstract class RandomResize<T extends RandomResize<T>> extends ImageAugmentation {
    private final String kind;
    private final boolean height;
    private final Object factorConfig;
    private final double lower;
    private final double upper;

    /**
     * A layer named {@code kind} resizing the height ({@code height}) or the width.
     *
     * @param kind the layer's class name, used in error messages
     * @param height true to vary the height, false the width
     * @param factor one number {@code f} for {@code [-f, f]}, or a pair {@code (lower, upper)}
     */
    protected RandomResize(String kind, boolean height, double... factor) {
        this.kind = kind;
        this.height = height;
        if (factor.length != 1 && factor.length != 2) {
            throw new IllegalArgumentException(kind + ": `factor` must be a number or a pair (lower, upper). Received: factor="
                    + java.util.Arrays.toString(factor));
        }
        lower = factor.length == 1 ? -factor[0] : factor[0];
        upper = factor.length == 1 ? factor[0] : factor[1];
        if (upper < lower) {
            throw new IllegalArgumentException(kind + ": `factor` argument cannot have an upper bound lesser than the lower bound."
                    + " Received: factor=" + java.util.Arrays.toString(factor));
        }
        if (lower < -1 || upper < -1) {
            throw new IllegalArgumentException(kind + ": `factor` argument must have values larger than -1. Received: factor="
                    + java.util.Arrays.toString(factor));
        }
        factorConfig = factor.length == 1 ? (Object) factor[0] : List.of(factor[0], factor[1]);
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /**
     * Sets the interpolation method (Keras's {@code interpolation}, default {@code "bilinear"}; or {@code "nearest"}).
     *
     * @param m the method
     * @return this layer
     */
    public T interpolation(String m) {
        checkInterpolation(m);
        interpolation = m;
        return self();
    }

    /**
     * Seeds the layer's random factors (Keras's {@code seed}).
     *
     * @param s the seed
     * @return this layer
     */
    public T seed(long s) {
        seed = s;
        return self();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T name(String n) {
        return super.name(n);
    }

    @Override
    protected double[] transform(int h, int w) {
        return new double[] {1, 0, 0, 0, 1, 0};
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] s = x.shape();
        ImageResize.checkRank(name(), s);
        if (!training) return x;
        int h = (int) s[s.length - 3], w = (int) s[s.length - 2];
        float f = (float) uniform(1 + lower, 1 + upper);
        int size = Math.max(1, (int) (f * (float) (height ? h : w)));
        return height ? ImageResize.resize(x, size, w, interpolation, false, false, 0)
                : ImageResize.resize(x, h, size, interpolation, false, false, 0);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        ImageResize.checkRank(name(), s.dims());
        return s.with(height ? -3 : -2, Shape.NONE);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("factor", factorConfig);
        c.put("interpolation", interpolation);
        c.put("seed", seed);
        return c;
    }

    /** Sets a new layer's interpolation and seed from Keras's config ({@code fromConfig}'s common part). */
    static <L extends RandomResize<L>> L configure(L r, Map<String, Object> c) {
        if (c.get("interpolation") != null) r.interpolation(c.get("interpolation").toString());
        if (c.get("seed") instanceof Number n) r.seed(n.longValue());
        return r;
    }
}
