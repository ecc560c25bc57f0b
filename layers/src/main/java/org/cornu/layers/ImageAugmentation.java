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
    /** The seed of the random transforms (Keras's {@code seed}); null draws one from {@link Cornu#nextSeed()}. */
    protected Long seed;
    private Random rng;
    /**
     * How points outside the image are filled (Keras's {@code fill_mode}): {@code "reflect"} (default),
     * {@code "wrap"}, {@code "nearest"} or {@code "constant"}.
     */
    protected String fillMode = "reflect";
    /** How the input is sampled (Keras's {@code interpolation}): {@code "bilinear"} (default) or {@code "nearest"}. */
    protected String interpolation = "bilinear";
    /** The value of points outside the image with {@code fill_mode="constant"} (Keras's {@code fill_value}, default 0). */
    protected double fillValue = 0.0;

    /** An augmentation layer taking images of rank 3 or more, with Keras's default fill mode and interpolation. */
    protected ImageAugmentation() {
        inputMinNdim = 3;
    }

    /**
     * The layer's random generator, created on first use.
     *
     * @return the generator, seeded by {@code seed} or by {@link Cornu#nextSeed()}
     */
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

    /**
     * Draws a number uniformly from {@code [lo, hi)} with the layer's generator.
     *
     * @param lo the lower bound, included
     * @param hi the upper bound, excluded
     * @return the number
     */
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

    /**
     * Draws the transform of one image: it maps an output pixel {@code (x, y)} (x the column, y the row) to the
     * input point {@code (a0 x + a1 y + a2, b0 x + b1 y + b2)}, as TF's {@code ImageProjectiveTransformV3}.
     *
     * @param h the image height
     * @param w the image width
     * @return {@code {a0, a1, a2, b0, b1, b2}}
     */
    protected abstract double[] transform(int h, int w);

    /**
     * Augments one image into {@code dst}; geometric layers sample {@code src} at the coordinates of
     * {@link #transform}.
     *
     * @param src one image, {@code (h, w, c)} row-major
     * @param dst the output buffer
     * @param off where the output image starts in {@code dst}
     * @param h the image height
     * @param w the image width
     * @param c the number of channels
     */
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

    /**
     * Puts the config entries shared by the geometric layers: {@code fill_mode}, {@code fill_value},
     * {@code interpolation} and {@code seed}.
     *
     * @param c the config being written
     */
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

    /**
     * Reads {@code fill_mode}, {@code fill_value}, {@code interpolation} and {@code seed} from a Keras config;
     * absent keys keep their defaults.
     *
     * @param c the layer's {@code config} map
     * @throws IllegalArgumentException for an unknown fill mode or interpolation
     */
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
