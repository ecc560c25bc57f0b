package org.cornu.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cornu.core.Cornu;
import org.cornu.core.ops.ImageTransforms;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base of the random image augmentation layers ({@link RandomFlip}, {@link RandomRotation}, {@link RandomZoom},
 * {@link RandomTranslation}): channels-last images {@code (batch, h, w, c)} or one image {@code (h, w, c)}.
 * Active only when {@code training} is true; at inference they return their input unchanged.
 *
 * <p>Gradient: when the input needs a gradient (a tape records and the input is a variable or depends on
 * weights), the resampling is recorded as a linear op ({@link ImageTransforms#apply}) and the gradient flows
 * back through it with the same interpolation weights; for plain data inputs a faster float32 path runs and the
 * output is a constant of the tape.
 *
 * <p>The geometric layers draw one transform per image and sample the input at the transformed coordinates
 * with {@link ImageTransforms} as Keras 3 / TF's {@code ImageProjectiveTransformV3}, with {@code fill_mode}
 * "reflect" (Keras 3's default), "wrap", "nearest" or "constant" ({@code fill_value}) outside the image, and
 * "bilinear" (default) or "nearest" interpolation.
 */
public abstract class ImageAugmentation extends Layer {
    protected Long seed;
    private Random rng;
    protected String fillMode = "reflect";
    protected String interpolation = "bilinear";
    protected double fillValue = 0.0;

    protected ImageAugmentation() {
        inputMinNdim = 3;
    }

    /** The layer's random generator, seeded by {@code seed} or by {@link Cornu#nextSeed()}. */
    protected Random rng() {
        if (rng == null) rng = new Random(mix(seed != null ? seed : Cornu.nextSeed()));
        return rng;
    }

    /** SplitMix64 finalizer: java.util.Random's first draws are nearly equal for nearby small seeds. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [lo, hi)}. */
    protected double uniform(double lo, double hi) {
        return lo + (hi - lo) * rng().nextDouble();
    }

    static void checkFillMode(String m) {
        if (!List.of("reflect", "wrap", "constant", "nearest").contains(m)) {
            throw new IllegalArgumentException("Unknown `fill_mode` " + m + ". Expected of one {\"reflect\", \"wrap\", \"constant\", \"nearest\"}.");
        }
    }

    static void checkInterpolation(String m) {
        if (!m.equals("bilinear") && !m.equals("nearest")) {
            throw new IllegalArgumentException("Unknown `interpolation` " + m + ". Expected of one {\"bilinear\", \"nearest\"}.");
        }
    }

    /** The output-to-input transform {@code {a0, a1, a2, b0, b1, b2}} for one image of size h x w. */
    protected abstract double[] transform(int h, int w);

    /** Augments one image {@code src (h, w, c)} into {@code dst}. Geometric layers sample via {@link #transform}. */
    protected void augment(float[] src, float[] dst, int off, int h, int w, int c) {
        ImageTransforms.sample(src, dst, off, h, w, c, transform(h, w), fillMode, interpolation, (float) fillValue);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        if (!training) return x;
        INDArray v = x.value();
        if (v.rank() != 3 && v.rank() != 4) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected an image batch (batch, h, w, c) or an image (h, w, c), found shape="
                + Arrays.toString(v.shape()));
        }
        boolean single = v.rank() == 3;
        int n = single ? 1 : (int) v.size(0);
        int h = (int) v.size(single ? 0 : 1), w = (int) v.size(single ? 1 : 2), c = (int) v.size(single ? 2 : 3);
        if (x.requiresGrad() && Tape.recording()) {
            double[][] ts = new double[n][];
            for (int i = 0; i < n; i++) ts[i] = transform(h, w);
            return ImageTransforms.apply(x, ts, fillMode, interpolation, fillValue);
        }
        float[] src = v.dup('c').castTo(DataType.FLOAT).data().asFloat();
        float[] dst = new float[src.length];
        int per = h * w * c;
        float[] one = new float[per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, i * per, one, 0, per);
            augment(one, dst, i * per, h, w, c);
        }
        INDArray out = Nd4j.create(dst, v.shape(), 'c');
        if (v.dataType() != DataType.FLOAT) out = out.castTo(v.dataType());
        return Tensor.constant(out);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    /** Config entries shared by the geometric layers. */
    protected void putGeometry(Map<String, Object> c) {
        c.put("fill_mode", fillMode);
        c.put("fill_value", fillValue);
        c.put("interpolation", interpolation);
        c.put("seed", seed);
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>(super.getConfig());
    }

    /** A config factor (a number, a list or an array) as doubles; null stays null. */
    static double[] doubles(Object o) {
        if (o == null) return null;
        if (o instanceof Number n) return new double[] {n.doubleValue()};
        if (o instanceof double[] d) return d.clone();
        if (o instanceof List<?> l) {
            double[] d = new double[l.size()];
            for (int i = 0; i < d.length; i++) d[i] = ((Number) l.get(i)).doubleValue();
            return d;
        }
        throw new IllegalArgumentException("Expected a number or a list of numbers, received: " + o);
    }

    static List<Double> list(double[] d) {
        return d == null ? null : java.util.Arrays.stream(d).boxed().toList();
    }

    /** Reads fill_mode, fill_value, interpolation and seed from a Keras config. */
    protected void readGeometry(Map<String, Object> c) {
        if (c.get("fill_mode") != null) { checkFillMode(c.get("fill_mode").toString()); fillMode = c.get("fill_mode").toString(); }
        if (c.get("interpolation") != null) { checkInterpolation(c.get("interpolation").toString()); interpolation = c.get("interpolation").toString(); }
        if (c.get("fill_value") instanceof Number n) fillValue = n.doubleValue();
        if (c.get("seed") instanceof Number n) seed = n.longValue();
    }

    /** Parses a Keras factor: a number f → (-f, f), a pair → (lo, hi). */
    static double[] factor(String layer, String arg, double... f) {
        if (f.length == 1) return new double[] {-Math.abs(f[0]), Math.abs(f[0])};
        if (f.length == 2) {
            if (f[0] > f[1]) {
                throw new IllegalArgumentException(layer + ": `" + arg + "` lower bound must be <= upper bound, received: " + Arrays.toString(f));
            }
            return f.clone();
        }
        throw new IllegalArgumentException(layer + ": `" + arg + "` must be a number or a pair (lower, upper), received: " + Arrays.toString(f));
    }
}
