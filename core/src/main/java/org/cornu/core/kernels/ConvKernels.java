package org.cornu.core.kernels;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.cornu.core.ops.ConvOps;

/**
 * JVM loops for channels_last convolution and pooling: im2col (native memory to native
 * memory) / col2im around one gemm, and direct max/average pooling on heap copies (plain
 * array loops measured several times faster than element access to direct buffers). Measured several times faster
 * than ND4J M2.1's native conv2d/pooling kernels on this machine (see {@link ConvOps}).
 * The float and double versions are the same code.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** Geometry of a 2-D window op on NHWC: input (n, h, w, c), window (kh, kw), output (oh, ow), padding before (pt, pl). */
    public record Geo(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl, int oh, int ow) {
        public static Geo of(long[] xs, int kh, int kw, int[] s, int[] d, boolean same) {
            int h = (int) xs[1], w = (int) xs[2];
            int oh = (int) ConvOps.outputLength(h, kh, s[0], same, d[0]);
            int ow = (int) ConvOps.outputLength(w, kw, s[1], same, d[1]);
            int pt = same ? Math.max((oh - 1) * s[0] + (kh - 1) * d[0] + 1 - h, 0) / 2 : 0;
            int pl = same ? Math.max((ow - 1) * s[1] + (kw - 1) * d[1] + 1 - w, 0) / 2 : 0;
            return new Geo((int) xs[0], h, w, (int) xs[3], kh, kw, s[0], s[1], d[0], d[1], pt, pl, oh, ow);
        }

        /** Whether every window lies wholly inside the input, so that im2col writes every cell of its columns. */
        public boolean inside() {
            return pt == 0 && pl == 0 && (oh - 1) * sh + (kh - 1) * dh < h && (ow - 1) * sw + (kw - 1) * dw < w;
        }
    }

    /** A loop body over samples {@code [b0, b1)}. */
    public interface Batches {
        void run(int b0, int b1);
    }

    /** Runs {@code body} over the batch, split across cores when {@code work} (elements touched) is large. */
    public static void overBatch(int n, long work, Batches body) {
        int chunks = work < (1 << 18) ? 1 : Math.min(Math.min(THREADS, n), (int) (work >> 17));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        int step = (n + chunks - 1) / chunks;
        IntStream.range(0, chunks).parallel().forEach(k -> body.run(Math.min(n, k * step), Math.min(n, (k + 1) * step)));
    }

    public static final int THREADS = Integer.getInteger("cornu.convThreads", Runtime.getRuntime().availableProcessors());

    // ---------------------------------------------------------------- FLOAT

    public static void im2col(FloatBuffer x, FloatBuffer col, Geo g, int b0, int b1) {
        int kc = g.kw * g.c, kk = g.kh * kc;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int base = ((b * g.oh + i) * g.ow + j) * kk;
                    int x0 = j * g.sw - g.pl;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a * g.dh;
                        if (y < 0 || y >= g.h) continue;
                        int row = (b * g.h + y) * g.w;
                        if (g.dw == 1) {
                            int e0 = Math.max(0, -x0), e1 = Math.min(g.kw, g.w - x0);
                            if (e1 > e0) col.put(base + a * kc + e0 * g.c, x, (row + x0 + e0) * g.c, (e1 - e0) * g.c);
                        } else {
                            for (int e = 0; e < g.kw; e++) {
                                int xx = x0 + e * g.dw;
                                if (xx < 0 || xx >= g.w) continue;
                                col.put(base + a * kc + e * g.c, x, (row + xx) * g.c, g.c);
                            }
                        }
                    }
                }
            }
        }
    }

    /** As above on heap arrays: faster when the contiguous runs are short (few input channels). */
    public static void im2col(float[] x, float[] col, Geo g, int b0, int b1) {
        int kc = g.kw * g.c, kk = g.kh * kc;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int base = ((b * g.oh + i) * g.ow + j) * kk;
                    int x0 = j * g.sw - g.pl;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a * g.dh;
                        if (y < 0 || y >= g.h) continue;
                        int row = (b * g.h + y) * g.w;
                        if (g.dw == 1) {
                            int e0 = Math.max(0, -x0), e1 = Math.min(g.kw, g.w - x0);
                            if (e1 > e0) System.arraycopy(x, (row + x0 + e0) * g.c, col, base + a * kc + e0 * g.c, (e1 - e0) * g.c);
                        } else {
                            for (int e = 0; e < g.kw; e++) {
                                int xx = x0 + e * g.dw;
                                if (xx < 0 || xx >= g.w) continue;
                                System.arraycopy(x, (row + xx) * g.c, col, base + a * kc + e * g.c, g.c);
                            }
                        }
                    }
                }
            }
        }
    }

    public static void col2im(float[] gcol, float[] gx, Geo g, int b0, int b1) {
        int kc = g.kw * g.c, kk = g.kh * kc;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int base = ((b * g.oh + i) * g.ow + j) * kk;
                    int x0 = j * g.sw - g.pl;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a * g.dh;
                        if (y < 0 || y >= g.h) continue;
                        int row = (b * g.h + y) * g.w;
                        for (int e = 0; e < g.kw; e++) {
                            int xx = x0 + e * g.dw;
                            if (xx < 0 || xx >= g.w) continue;
                            int ci = base + a * kc + e * g.c, xi = (row + xx) * g.c;
                            for (int t = 0; t < g.c; t++) gx[xi + t] += gcol[ci + t];
                        }
                    }
                }
            }
        }
    }

    public static void maxPool(float[] x, float[] out, int[] arg, Geo g, int b0, int b1) {
        int c = g.c;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int o = ((b * g.oh + i) * g.ow + j) * c;
                    boolean first = true;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a;
                        if (y < 0 || y >= g.h) continue;
                        for (int e = 0; e < g.kw; e++) {
                            int xx = j * g.sw - g.pl + e;
                            if (xx < 0 || xx >= g.w) continue;
                            int xi = ((b * g.h + y) * g.w + xx) * c;
                            if (first) {
                                for (int t = 0; t < c; t++) {
                                    out[o + t] = x[xi + t];
                                    arg[o + t] = xi + t;
                                }
                                first = false;
                            } else {
                                for (int t = 0; t < c; t++) {
                                    // branch-free (cmov): random data mispredicts a branch half the time
                                    float v = x[xi + t], cur = out[o + t];
                                    boolean gt = v > cur;
                                    out[o + t] = gt ? v : cur;
                                    arg[o + t] = gt ? xi + t : arg[o + t];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public static void maxPoolBackward(float[] g, float[] gx, int[] arg) {
        for (int o = 0; o < arg.length; o++) gx[arg[o]] += g[o];
    }

    /** Average pooling ({@code backward} false) or its gradient ({@code src} = g, {@code dst} = gx zeroed). */
    public static void avgPool(float[] src, float[] dst, Geo g, boolean backward, int b0, int b1) {
        int c = g.c;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                int y0 = Math.max(0, i * g.sh - g.pt), y1 = Math.min(g.h, i * g.sh - g.pt + g.kh);
                for (int j = 0; j < g.ow; j++) {
                    int x0 = Math.max(0, j * g.sw - g.pl), x1 = Math.min(g.w, j * g.sw - g.pl + g.kw);
                    int o = ((b * g.oh + i) * g.ow + j) * c;
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    if (!backward) for (int t = 0; t < c; t++) dst[o + t] = 0f;
                    for (int y = y0; y < y1; y++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int xi = ((b * g.h + y) * g.w + xx) * c;
                            if (backward) {
                                for (int t = 0; t < c; t++) dst[xi + t] += src[o + t] * inv;
                            } else {
                                for (int t = 0; t < c; t++) dst[o + t] += src[xi + t];
                            }
                        }
                    }
                    if (!backward) for (int t = 0; t < c; t++) dst[o + t] *= inv;
                }
            }
        }
    }

    // ---------------------------------------------------------------- DOUBLE

    public static void im2col(DoubleBuffer x, DoubleBuffer col, Geo g, int b0, int b1) {
        int kc = g.kw * g.c, kk = g.kh * kc;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int base = ((b * g.oh + i) * g.ow + j) * kk;
                    int x0 = j * g.sw - g.pl;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a * g.dh;
                        if (y < 0 || y >= g.h) continue;
                        int row = (b * g.h + y) * g.w;
                        if (g.dw == 1) {
                            int e0 = Math.max(0, -x0), e1 = Math.min(g.kw, g.w - x0);
                            if (e1 > e0) col.put(base + a * kc + e0 * g.c, x, (row + x0 + e0) * g.c, (e1 - e0) * g.c);
                        } else {
                            for (int e = 0; e < g.kw; e++) {
                                int xx = x0 + e * g.dw;
                                if (xx < 0 || xx >= g.w) continue;
                                col.put(base + a * kc + e * g.c, x, (row + xx) * g.c, g.c);
                            }
                        }
                    }
                }
            }
        }
    }

    /** As above on heap arrays: faster when the contiguous runs are short (few input channels). */
    public static void im2col(double[] x, double[] col, Geo g, int b0, int b1) {
        int kc = g.kw * g.c, kk = g.kh * kc;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int base = ((b * g.oh + i) * g.ow + j) * kk;
                    int x0 = j * g.sw - g.pl;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a * g.dh;
                        if (y < 0 || y >= g.h) continue;
                        int row = (b * g.h + y) * g.w;
                        if (g.dw == 1) {
                            int e0 = Math.max(0, -x0), e1 = Math.min(g.kw, g.w - x0);
                            if (e1 > e0) System.arraycopy(x, (row + x0 + e0) * g.c, col, base + a * kc + e0 * g.c, (e1 - e0) * g.c);
                        } else {
                            for (int e = 0; e < g.kw; e++) {
                                int xx = x0 + e * g.dw;
                                if (xx < 0 || xx >= g.w) continue;
                                System.arraycopy(x, (row + xx) * g.c, col, base + a * kc + e * g.c, g.c);
                            }
                        }
                    }
                }
            }
        }
    }

    public static void col2im(double[] gcol, double[] gx, Geo g, int b0, int b1) {
        int kc = g.kw * g.c, kk = g.kh * kc;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int base = ((b * g.oh + i) * g.ow + j) * kk;
                    int x0 = j * g.sw - g.pl;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a * g.dh;
                        if (y < 0 || y >= g.h) continue;
                        int row = (b * g.h + y) * g.w;
                        for (int e = 0; e < g.kw; e++) {
                            int xx = x0 + e * g.dw;
                            if (xx < 0 || xx >= g.w) continue;
                            int ci = base + a * kc + e * g.c, xi = (row + xx) * g.c;
                            for (int t = 0; t < g.c; t++) gx[xi + t] += gcol[ci + t];
                        }
                    }
                }
            }
        }
    }

    public static void maxPool(double[] x, double[] out, int[] arg, Geo g, int b0, int b1) {
        int c = g.c;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++) {
                    int o = ((b * g.oh + i) * g.ow + j) * c;
                    boolean first = true;
                    for (int a = 0; a < g.kh; a++) {
                        int y = i * g.sh - g.pt + a;
                        if (y < 0 || y >= g.h) continue;
                        for (int e = 0; e < g.kw; e++) {
                            int xx = j * g.sw - g.pl + e;
                            if (xx < 0 || xx >= g.w) continue;
                            int xi = ((b * g.h + y) * g.w + xx) * c;
                            if (first) {
                                for (int t = 0; t < c; t++) {
                                    out[o + t] = x[xi + t];
                                    arg[o + t] = xi + t;
                                }
                                first = false;
                            } else {
                                for (int t = 0; t < c; t++) {
                                    // branch-free (cmov): random data mispredicts a branch half the time
                                    double v = x[xi + t], cur = out[o + t];
                                    boolean gt = v > cur;
                                    out[o + t] = gt ? v : cur;
                                    arg[o + t] = gt ? xi + t : arg[o + t];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public static void maxPoolBackward(double[] g, double[] gx, int[] arg) {
        for (int o = 0; o < arg.length; o++) gx[arg[o]] += g[o];
    }

    /** Average pooling ({@code backward} false) or its gradient ({@code src} = g, {@code dst} = gx zeroed). */
    public static void avgPool(double[] src, double[] dst, Geo g, boolean backward, int b0, int b1) {
        int c = g.c;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh; i++) {
                int y0 = Math.max(0, i * g.sh - g.pt), y1 = Math.min(g.h, i * g.sh - g.pt + g.kh);
                for (int j = 0; j < g.ow; j++) {
                    int x0 = Math.max(0, j * g.sw - g.pl), x1 = Math.min(g.w, j * g.sw - g.pl + g.kw);
                    int o = ((b * g.oh + i) * g.ow + j) * c;
                    double inv = 1.0 / ((y1 - y0) * (x1 - x0));
                    if (!backward) for (int t = 0; t < c; t++) dst[o + t] = 0.0;
                    for (int y = y0; y < y1; y++) {
                        for (int xx = x0; xx < x1; xx++) {
                            int xi = ((b * g.h + y) * g.w + xx) * c;
                            if (backward) {
                                for (int t = 0; t < c; t++) dst[xi + t] += src[o + t] * inv;
                            } else {
                                for (int t = 0; t < c; t++) dst[o + t] += src[xi + t];
                            }
                        }
                    }
                    if (!backward) for (int t = 0; t < c; t++) dst[o + t] *= inv;
                }
            }
        }
    }
}
