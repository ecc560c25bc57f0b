package org.cornu.core;

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

    /** Samples {@code src} at the transformed coordinates of every output pixel into {@code dst[off...]}. */
    public static void sample(float[] src, float[] dst, int off, int h, int w, int c, double[] t, String fillMode,
                              String interpolation, float fillValue) {
        boolean nearest = interpolation.equals("nearest");
        boolean constant = fillMode.equals("constant");
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double ix = map(t[0] * x + t[1] * y + t[2], w, fillMode);
                double iy = map(t[3] * x + t[4] * y + t[5], h, fillMode);
                int o = off + (y * w + x) * c;
                if (nearest) {
                    int px = (int) Math.round(ix), py = (int) Math.round(iy);
                    for (int k = 0; k < c; k++) dst[o + k] = read(src, px, py, k, h, w, c, constant, fillValue);
                } else {
                    int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
                    double dx = ix - x0, dy = iy - y0;
                    for (int k = 0; k < c; k++) {
                        double a = read(src, x0, y0, k, h, w, c, constant, fillValue);
                        double b = read(src, x0 + 1, y0, k, h, w, c, constant, fillValue);
                        double d = read(src, x0, y0 + 1, k, h, w, c, constant, fillValue);
                        double e = read(src, x0 + 1, y0 + 1, k, h, w, c, constant, fillValue);
                        dst[o + k] = (float) ((a * (1 - dx) + b * dx) * (1 - dy) + (d * (1 - dx) + e * dx) * dy);
                    }
                }
            }
        }
    }

    private static float read(float[] src, int x, int y, int k, int h, int w, int c, boolean constant, float fill) {
        if (x < 0 || x >= w || y < 0 || y >= h) {
            if (constant) return fill;
            x = Math.max(0, Math.min(w - 1, x));
            y = Math.max(0, Math.min(h - 1, y));
        }
        return src[(y * w + x) * c + k];
    }

    /** Maps a coordinate outside {@code [0, len-1]} back inside according to the fill mode (as TF). */
    public static double map(double v, int len, String mode) {
        switch (mode) {
            case "reflect" -> {
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
            case "wrap" -> {
                if (len <= 1) return 0;
                if (v < 0) v += len * ((long) (-v / len) + 1);
                else if (v > len - 1) v -= len * (long) (v / len);
                return Math.max(0, Math.min(len - 1, v));
            }
            case "nearest" -> {
                return Math.max(0, Math.min(len - 1, v));
            }
            default -> {
                return v;
            }
        }
    }
}
