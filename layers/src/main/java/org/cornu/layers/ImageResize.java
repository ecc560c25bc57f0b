package org.cornu.layers;

import java.util.Arrays;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Image resizing as Keras 3's {@code ops.image.resize} with {@code antialias=False} on the JAX backend
 * ({@code jax.image.resize}, the same numbers as {@code tf.image.resize}): half-pixel centres, output pixel
 * {@code i} of an axis resized from {@code L} to {@code n} samples the input at {@code (i + 0.5) * L / n - 0.5};
 * "bilinear" interpolates the two neighbours (clamped to the edge pixels), "nearest" takes input index
 * {@code floor((i + 0.5) * L / n)} computed in float32 as JAX does. An axis whose size does not change is copied.
 * Optionally crops the input to the target aspect ratio first ({@code crop_to_aspect_ratio}) or pads it
 * ({@code pad_to_aspect_ratio}, constant {@code fill_value}), with Keras's integer arithmetic.
 *
 * <p>Each output is a fixed weighted sum of at most four input pixels, so the gradient scatters the output
 * gradient back with the same weights. Channels-last only.
 */
final class ImageResize {
    private ImageResize() {}

    /** One axis's plan: two source indices per output position (-1: fill value) and their weights. */
    private record Axis(int[] i0, int[] i1, double[] w0, double[] w1) {}

    /**
     * The plan of one axis of size {@code size}, of which the window {@code [start, start + len)} is kept (a crop),
     * surrounded by {@code pad} fill pixels on each side, resized to {@code out}.
     */
    private static Axis axis(int size, int start, int len, int pad, int out, boolean nearest) {
        int virt = len + 2 * pad;
        int[] i0 = new int[out], i1 = new int[out];
        double[] w0 = new double[out], w1 = new double[out];
        for (int i = 0; i < out; i++) {
            int a, b;
            double f;
            if (virt == out) {
                a = b = i;
                f = 0;
            } else if (nearest) {
                float s = (i + 0.5f) * (float) virt / (float) out;
                a = b = Math.min((int) Math.floor(s), virt - 1);
                f = 0;
            } else {
                double s = (i + 0.5) * virt / out - 0.5;
                s = Math.max(0, Math.min(virt - 1, s));
                a = (int) Math.floor(s);
                b = Math.min(a + 1, virt - 1);
                f = s - a;
            }
            i0[i] = real(a, start, pad, len);
            i1[i] = real(b, start, pad, len);
            w0[i] = 1 - f;
            w1[i] = f;
        }
        return new Axis(i0, i1, w0, w1);
    }

    private static int real(int v, int start, int pad, int len) {
        int r = v - pad;
        return r < 0 || r >= len ? -1 : start + r;
    }

    /**
     * Resizes {@code x (n, h, w, c)} or {@code (h, w, c)} to {@code (outH, outW)}; {@code crop} and {@code pad}
     * select Keras's aspect-ratio handling.
     */
    static Tensor resize(Tensor x, int outH, int outW, String interpolation, boolean crop, boolean pad, double fillValue) {
        INDArray v = x.value();
        boolean single = v.rank() == 3;
        int h = (int) v.size(single ? 0 : 1), w = (int) v.size(single ? 1 : 2);
        int hStart = 0, hLen = h, wStart = 0, wLen = w, hPad = 0, wPad = 0;
        if (crop) {
            int ch = Math.max(Math.min(h, (int) ((double) w * outH / outW)), 1);
            int cw = Math.max(Math.min(w, (int) ((double) h * outW / outH)), 1);
            hStart = (int) ((double) (h - ch) / 2);
            wStart = (int) ((double) (w - cw) / 2);
            hLen = ch;
            wLen = cw;
        } else if (pad) {
            int ph = Math.max(h, (int) ((double) w * outH / outW));
            int pw = Math.max(w, (int) ((double) h * outW / outH));
            int hs = (int) ((double) (ph - h) / 2), ws = (int) ((double) (pw - w) / 2);
            if (hs > 0) hPad = hs;
            else if (ws > 0) wPad = ws;
        }
        boolean nearest = interpolation.equals("nearest");
        return apply(x, axis(h, hStart, hLen, hPad, outH, nearest), axis(w, wStart, wLen, wPad, outW, nearest), fillValue);
    }

    /**
     * Resizes the window {@code [top, top + winH) x [left, left + winW)} of every image to {@code (outH, outW)}
     * (bilinear; a plain crop when the sizes agree).
     */
    static Tensor resizeWindow(Tensor x, int top, int left, int winH, int winW, int outH, int outW) {
        INDArray v = x.value();
        boolean single = v.rank() == 3;
        int h = (int) v.size(single ? 0 : 1), w = (int) v.size(single ? 1 : 2);
        return apply(x, axis(h, top, winH, 0, outH, false), axis(w, left, winW, 0, outW, false), 0);
    }

    /** Crops the window {@code [top, top + outH) x [left, left + outW)} (inside the image) of every image. */
    static Tensor crop(Tensor x, int top, int left, int outH, int outW) {
        INDArray v = x.value();
        boolean single = v.rank() == 3;
        int h = (int) v.size(single ? 0 : 1), w = (int) v.size(single ? 1 : 2);
        return apply(x, axis(h, top, outH, 0, outH, true), axis(w, left, outW, 0, outW, true), 0);
    }

    private static Tensor apply(Tensor x, Axis ay, Axis ax, double fill) {
        INDArray v = x.value();
        boolean single = v.rank() == 3;
        if (v.rank() != 3 && v.rank() != 4) {
            throw new IllegalArgumentException("expected an image batch (batch, h, w, c) or an image (h, w, c), found shape="
                    + Arrays.toString(v.shape()));
        }
        int n = single ? 1 : (int) v.size(0);
        int h = (int) v.size(single ? 0 : 1), w = (int) v.size(single ? 1 : 2), c = (int) v.size(single ? 2 : 3);
        int oh = ay.i0.length, ow = ax.i0.length;
        double[] src = v.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] dst = new double[n * oh * ow * c];
        int[] ys = new int[2], xs = new int[2];
        double[] wy = new double[2], wx = new double[2];
        for (int b = 0; b < n; b++) {
            int sb = b * h * w * c, db = b * oh * ow * c;
            for (int y = 0; y < oh; y++) {
                ys[0] = ay.i0[y]; ys[1] = ay.i1[y]; wy[0] = ay.w0[y]; wy[1] = ay.w1[y];
                for (int xx = 0; xx < ow; xx++) {
                    xs[0] = ax.i0[xx]; xs[1] = ax.i1[xx]; wx[0] = ax.w0[xx]; wx[1] = ax.w1[xx];
                    int o = db + (y * ow + xx) * c;
                    for (int p = 0; p < 2; p++) {
                        if (wy[p] == 0) continue;
                        for (int q = 0; q < 2; q++) {
                            double wt = wy[p] * wx[q];
                            if (wt == 0) continue;
                            if (ys[p] < 0 || xs[q] < 0) {
                                for (int k = 0; k < c; k++) dst[o + k] += wt * fill;
                            } else {
                                int s = sb + (ys[p] * w + xs[q]) * c;
                                for (int k = 0; k < c; k++) dst[o + k] += wt * src[s + k];
                            }
                        }
                    }
                }
            }
        }
        long[] shape = single ? new long[] {oh, ow, c} : new long[] {n, oh, ow, c};
        DataType dt = v.dataType().isFPType() ? v.dataType() : org.cornu.core.Cornu.floatType();
        INDArray out = Nd4j.create(dst, shape, 'c').castTo(dt);
        Tensor o = new Tensor(out, Tape.needsGrad(x));
        return Tape.push(o, g -> {
            double[] gd = g.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            double[] gx = new double[src.length];
            for (int b = 0; b < n; b++) {
                int sb = b * h * w * c, db = b * oh * ow * c;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int oo = db + (y * ow + xx) * c;
                        for (int p = 0; p < 2; p++) {
                            int sy = p == 0 ? ay.i0[y] : ay.i1[y];
                            double py = p == 0 ? ay.w0[y] : ay.w1[y];
                            if (py == 0 || sy < 0) continue;
                            for (int q = 0; q < 2; q++) {
                                int sx = q == 0 ? ax.i0[xx] : ax.i1[xx];
                                double wt = py * (q == 0 ? ax.w0[xx] : ax.w1[xx]);
                                if (wt == 0 || sx < 0) continue;
                                int s = sb + (sy * w + sx) * c;
                                for (int k = 0; k < c; k++) gx[s + k] += wt * gd[oo + k];
                            }
                        }
                    }
                }
            }
            x.accumulate(Nd4j.create(gx, v.shape(), 'c').castTo(v.dataType()));
        });
    }

    /** Rank 3 or 4 channels-last input, or an error naming the layer. */
    static void checkRank(String layer, long[] shape) {
        if (shape.length != 3 && shape.length != 4) {
            throw new IllegalArgumentException("Input 0 of layer \"" + layer + "\" is incompatible with the layer: expected an"
                    + " image batch (batch, height, width, channels) or an image (height, width, channels), found shape="
                    + org.cornu.core.Shape.format(shape));
        }
    }
}
