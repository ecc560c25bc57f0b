package org.cornu.core.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * Affine resampling of one channels-last image stored as a row-major float array {@code (h, w, c)}, shared by
 * the augmentation layers and the image data generator. A transform {@code {a0, a1, a2, b0, b1, b2}} maps an
 * output pixel {@code (x, y)} (x = column, y = row) to the input point {@code (a0 x + a1 y + a2, b0 x + b1 y + b2)},
 * as TF's {@code ImageProjectiveTransformV3} used by Keras 3. Points outside the image are handled by
 * {@code fillMode}: "reflect" (d c b a | a b c d | d c b a), "wrap" (a b c d | a b c d), "nearest"
 * (a a a a | a b c d | d d d d) or "constant" ({@code fillValue}); {@code interpolation} is "bilinear" or "nearest".
 */
public final class ImageTransforms {
    private ImageTransforms() {}

    /**
     * Differentiable resampling of a batch {@code x (n, h, w, c)} (or one image {@code (h, w, c)}), image {@code i}
     * by {@code transforms[i]}: each output element is a fixed weighted sum of at most four input elements (plus
     * {@code fillValue} terms for "constant"), so the gradient scatters the output gradient back with the same
     * weights. Computes in the input's dtype.
     *
     * @param x the images, {@code (n, h, w, c)} or {@code (h, w, c)}
     * @param transforms one affine transform per image, {@code {a0, a1, a2, b0, b1, b2}}, mapping
     *     output to input coordinates (see the class documentation)
     * @param fillMode {@code "reflect"}, {@code "wrap"}, {@code "nearest"} or {@code "constant"}
     * @param interpolation {@code "bilinear"} or {@code "nearest"}
     * @param fillValue the value outside the image with {@code "constant"}
     * @return the transformed images, of {@code x}'s shape
     */
    public static Tensor apply(Tensor x, double[][] transforms, String fillMode, String interpolation, double fillValue) {
        INDArray v = x.value();
        boolean single = v.rank() == 3;
        int n = single ? 1 : (int) v.size(0);
        int h = (int) v.size(single ? 0 : 1), w = (int) v.size(single ? 1 : 2), c = (int) v.size(single ? 2 : 3);
        if (transforms.length != n) throw new IllegalArgumentException("need one transform per image: " + transforms.length + " for " + n);
        int hw = h * w;
        int[] idx = new int[4 * hw * n];
        double[] wt = new double[4 * hw * n];
        for (int i = 0; i < n; i++) plan(transforms[i], h, w, c, fillMode, interpolation, idx, wt, 4 * hw * i, i * hw * c);
        double[] src = v.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] dst = new double[src.length];
        for (int p = 0; p < hw * n; p++) {
            int o = p * c;
            for (int j = 0; j < 4; j++) {
                double wj = wt[4 * p + j];
                if (wj == 0) continue;
                int q = idx[4 * p + j];
                for (int k = 0; k < c; k++) dst[o + k] += wj * (q < 0 ? fillValue : src[q + k]);
            }
        }
        INDArray out = Nd4j.create(dst, v.shape(), 'c').castTo(v.dataType());
        Tensor o = new Tensor(out, Tape.needsGrad(x));
        return Tape.push(o, g -> {
            double[] gd = g.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            double[] gx = new double[gd.length];
            for (int p = 0; p < hw * n; p++) {
                int oo = p * c;
                for (int j = 0; j < 4; j++) {
                    double wj = wt[4 * p + j];
                    int q = idx[4 * p + j];
                    if (wj == 0 || q < 0) continue;
                    for (int k = 0; k < c; k++) gx[q + k] += wj * gd[oo + k];
                }
            }
            x.accumulate(Nd4j.create(gx, v.shape(), 'c').castTo(v.dataType()));
        });
    }

    /** Source offsets (-1: constant fill) and weights of every output pixel of one image. */
    private static void plan(double[] t, int h, int w, int c, String fillMode, String interpolation, int[] idx, double[] wt,
                             int at, int base) {
        boolean nearest = interpolation.equals("nearest");
        boolean constant = fillMode.equals("constant");
        int mode = switch (fillMode) {
            case "reflect" -> 0;
            case "wrap" -> 1;
            case "nearest" -> 2;
            default -> 3;
        };
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double ix = map(t[0] * x + t[1] * y + t[2], w, mode);
                double iy = map(t[3] * x + t[4] * y + t[5], h, mode);
                int p = at + 4 * (y * w + x);
                if (nearest) {
                    int q = index((int) Math.round(ix), (int) Math.round(iy), h, w, c, constant);
                    idx[p] = q < 0 ? -1 : base + q;
                    wt[p] = 1;
                } else {
                    int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
                    double dx = ix - x0, dy = iy - y0;
                    int[] q = {index(x0, y0, h, w, c, constant), index(x0 + 1, y0, h, w, c, constant),
                        index(x0, y0 + 1, h, w, c, constant), index(x0 + 1, y0 + 1, h, w, c, constant)};
                    double[] ws = {(1 - dx) * (1 - dy), dx * (1 - dy), (1 - dx) * dy, dx * dy};
                    for (int j = 0; j < 4; j++) {
                        idx[p + j] = q[j] < 0 ? -1 : base + q[j];
                        wt[p + j] = ws[j];
                    }
                }
            }
        }
    }

    /**
     * Samples {@code src} at the transformed coordinates of every output pixel into {@code dst[off...]}.
     *
     * @param src one image, {@code (h, w, c)} row-major
     * @param dst the output buffer
     * @param off where the output image starts in {@code dst}
     * @param h the image height
     * @param w the image width
     * @param c the number of channels
     * @param t the image's transform, {@code {a0, a1, a2, b0, b1, b2}}
     * @param fillMode {@code "reflect"}, {@code "wrap"}, {@code "nearest"} or {@code "constant"}
     * @param interpolation {@code "bilinear"} or {@code "nearest"}
     * @param fillValue the value outside the image with {@code "constant"}
     */
    public static void sample(float[] src, float[] dst, int off, int h, int w, int c, double[] t, String fillMode,
                              String interpolation, float fillValue) {
        boolean nearest = interpolation.equals("nearest");
        boolean constant = fillMode.equals("constant");
        int mode = switch (fillMode) {
            case "reflect" -> 0;
            case "wrap" -> 1;
            case "nearest" -> 2;
            default -> 3;
        };
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double ix = map(t[0] * x + t[1] * y + t[2], w, mode);
                double iy = map(t[3] * x + t[4] * y + t[5], h, mode);
                int o = off + (y * w + x) * c;
                if (nearest) {
                    int px = (int) Math.round(ix), py = (int) Math.round(iy);
                    int p = index(px, py, h, w, c, constant);
                    for (int k = 0; k < c; k++) dst[o + k] = p < 0 ? fillValue : src[p + k];
                } else {
                    int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
                    float dx = (float) (ix - x0), dy = (float) (iy - y0);
                    int pa = index(x0, y0, h, w, c, constant), pb = index(x0 + 1, y0, h, w, c, constant);
                    int pd = index(x0, y0 + 1, h, w, c, constant), pe = index(x0 + 1, y0 + 1, h, w, c, constant);
                    float wa = (1 - dx) * (1 - dy), wb = dx * (1 - dy), wd = (1 - dx) * dy, we = dx * dy;
                    if (pa >= 0 && pb >= 0 && pd >= 0 && pe >= 0) {
                        for (int k = 0; k < c; k++) dst[o + k] = wa * src[pa + k] + wb * src[pb + k] + wd * src[pd + k] + we * src[pe + k];
                    } else {
                        for (int k = 0; k < c; k++) {
                            dst[o + k] = wa * (pa < 0 ? fillValue : src[pa + k]) + wb * (pb < 0 ? fillValue : src[pb + k])
                                + wd * (pd < 0 ? fillValue : src[pd + k]) + we * (pe < 0 ? fillValue : src[pe + k]);
                        }
                    }
                }
            }
        }
    }

    /** Offset of pixel (x, y) in {@code src}; -1 for "constant" fill outside, otherwise clamped inside. */
    private static int index(int x, int y, int h, int w, int c, boolean constant) {
        if (x < 0 || x >= w || y < 0 || y >= h) {
            if (constant) return -1;
            x = Math.max(0, Math.min(w - 1, x));
            y = Math.max(0, Math.min(h - 1, y));
        }
        return (y * w + x) * c;
    }

    /**
     * Maps a coordinate outside {@code [0, len-1]} back inside according to the fill mode (as TF).
     *
     * @param v the coordinate
     * @param len the length of the axis
     * @param mode the fill mode
     * @return the coordinate inside the axis (unchanged for {@code "constant"})
     */
    public static double map(double v, int len, String mode) {
        return map(v, len, switch (mode) {
            case "reflect" -> 0;
            case "wrap" -> 1;
            case "nearest" -> 2;
            default -> 3;
        });
    }

    private static double map(double v, int len, int mode) {
        if (v >= 0 && v <= len - 1) return v;
        switch (mode) {
            case 0 -> {
                if (len <= 1) return 0;
                double sz2 = 2.0 * len;
                if (v < 0) {
                    if (v < -sz2) v = sz2 * (long) (-v / sz2) + v;
                    v = v < -len ? v + sz2 : -v - 1;
                } else if (v > len - 1) {
                    v -= sz2 * (long) (v / sz2);
                    if (v >= len) v = sz2 - v - 1;
                }
                return Math.max(0, Math.min(len - 1, v));
            }
            case 1 -> {
                if (len <= 1) return 0;
                if (v < 0) v += len * ((long) (-v / len) + 1);
                else if (v > len - 1) v -= len * (long) (v / len);
                return Math.max(0, Math.min(len - 1, v));
            }
            case 2 -> {
                return Math.max(0, Math.min(len - 1, v));
            }
            default -> {
                return v;
            }
        }
    }
}
