package org.cornu.core.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.cornu.core.Cornu;
import org.cornu.core.Registry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's initializers with Keras's formulas and defaults. Random values are drawn in Java
 * from a seeded generator (the initializer's {@code seed}, or the next seed of
 * {@link Cornu#setSeed}), so they are the same on every backend.
 */
public final class Initializers {
    private Initializers() {}

    /**
     * Keras's {@code compute_fans}: (fan_in, fan_out).
     *
     * @param shape a weight's shape; for a convolution kernel, the receptive field times the channels
     * @return {@code {fan_in, fan_out}}
     */
    public static long[] computeFans(long[] shape) {
        if (shape.length < 1) return new long[] {1, 1};
        if (shape.length == 1) return new long[] {shape[0], shape[0]};
        if (shape.length == 2) return new long[] {shape[0], shape[1]};
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
        return new long[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
    }

    static long size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    static SplittableRandom rng(Long seed) {
        return new SplittableRandom(seed != null ? seed : Cornu.nextSeed());
    }

    /** Standard normal draws by Box-Muller (two per pair of uniforms). */
    static double gaussian(SplittableRandom r, double[] spare) {
        if (!Double.isNaN(spare[0])) {
            double v = spare[0];
            spare[0] = Double.NaN;
            return v;
        }
        double u1;
        do {
            u1 = r.nextDouble();
        } while (u1 <= 0);
        double u2 = r.nextDouble();
        double m = Math.sqrt(-2 * Math.log(u1));
        spare[0] = m * Math.sin(2 * Math.PI * u2);
        return m * Math.cos(2 * Math.PI * u2);
    }

    abstract static class Base implements Initializer {
        final String name;
        final Long seed;

        Base(String name, Long seed) {
            this.name = name;
            this.seed = seed;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("seed", seed);
            return c;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Values from a uniform, normal or truncated normal distribution, drawn in double precision
     * (the same values whatever the dtype); a float32 array is filled without a double[] copy
     * (VGG16's fc1 kernel has 102.8 million values).
     */
    static INDArray draw(String dist, long[] shape, DataType dtype, double a, double b, Long seed) {
        int n = Math.toIntExact(size(shape));
        boolean f32 = dtype == DataType.FLOAT;
        double[] v = f32 ? null : new double[n];
        float[] fv = f32 ? new float[n] : null;
        SplittableRandom r = rng(seed);
        double[] spare = {Double.NaN};
        for (int i = 0; i < n; i++) {
            double x;
            switch (dist) {
                case "uniform" -> x = a + (b - a) * r.nextDouble();
                case "normal" -> x = a + b * gaussian(r, spare);
                default -> { // truncated normal: resample outside two standard deviations
                    double z;
                    do {
                        z = gaussian(r, spare);
                    } while (Math.abs(z) > 2.0);
                    x = a + b * z;
                }
            }
            if (f32) fv[i] = (float) x;
            else v[i] = x;
        }
        return f32 ? Nd4j.create(fv, shape, 'c') : Nd4j.create(v, shape, dtype);
    }

    /** {@code VarianceScaling(scale, mode, distribution)}, the base of the glorot, he and lecun families. */
    public static final class VarianceScaling extends Base {
        final double scale;
        final String mode;
        final String distribution;

        /**
         * Draws with standard deviation {@code sqrt(scale / n)}, {@code n} chosen by {@code mode}
         * (Keras's {@code VarianceScaling}).
         *
         * @param scale the scaling factor, positive (Keras's default 1.0)
         * @param mode {@code "fan_in"} (Keras's default), {@code "fan_out"} or {@code "fan_avg"}
         * @param distribution {@code "truncated_normal"} (Keras's default), {@code "untruncated_normal"} or {@code "uniform"}
         * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
         */
        public VarianceScaling(double scale, String mode, String distribution, Long seed) {
            this("variance_scaling", scale, mode, distribution, seed);
        }

        VarianceScaling(String name, double scale, String mode, String distribution, Long seed) {
            super(name, seed);
            if (scale <= 0) throw new IllegalArgumentException("VarianceScaling: scale must be positive, got " + scale);
            if (!mode.equals("fan_in") && !mode.equals("fan_out") && !mode.equals("fan_avg")) {
                throw new IllegalArgumentException("VarianceScaling: invalid mode '" + mode + "'. Expected fan_in, fan_out or fan_avg");
            }
            if (!distribution.equals("uniform") && !distribution.equals("truncated_normal") && !distribution.equals("untruncated_normal")) {
                throw new IllegalArgumentException("VarianceScaling: invalid distribution '" + distribution
                        + "'. Expected uniform, truncated_normal or untruncated_normal");
            }
            this.scale = scale;
            this.mode = mode;
            this.distribution = distribution;
        }

        @Override
        public INDArray apply(long[] shape, DataType dtype) {
            long[] fans = computeFans(shape);
            double s = scale;
            switch (mode) {
                case "fan_in" -> s /= Math.max(1.0, fans[0]);
                case "fan_out" -> s /= Math.max(1.0, fans[1]);
                default -> s /= Math.max(1.0, (fans[0] + fans[1]) / 2.0);
            }
            return switch (distribution) {
                case "truncated_normal" -> draw("truncated", shape, dtype, 0, Math.sqrt(s) / 0.87962566103423978, seed);
                case "untruncated_normal" -> draw("normal", shape, dtype, 0, Math.sqrt(s), seed);
                default -> {
                    double limit = Math.sqrt(3.0 * s);
                    yield draw("uniform", shape, dtype, -limit, limit, seed);
                }
            };
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new LinkedHashMap<>();
            if (name.equals("variance_scaling")) {
                c.put("scale", scale);
                c.put("mode", mode);
                c.put("distribution", distribution);
            }
            c.put("seed", seed);
            return c;
        }
    }

    /**
     * Keras's {@code GlorotUniform}: uniform on {@code [-limit, limit]}, {@code limit = sqrt(6 / (fan_in + fan_out))}.
     *
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer glorotUniform(Long seed) {
        return new VarianceScaling("glorot_uniform", 1.0, "fan_avg", "uniform", seed);
    }

    /**
     * Keras's {@code GlorotNormal}: truncated normal with {@code stddev = sqrt(2 / (fan_in + fan_out))}.
     *
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer glorotNormal(Long seed) {
        return new VarianceScaling("glorot_normal", 1.0, "fan_avg", "truncated_normal", seed);
    }

    /**
     * Keras's {@code HeUniform}: uniform on {@code [-limit, limit]}, {@code limit = sqrt(6 / fan_in)}.
     *
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer heUniform(Long seed) {
        return new VarianceScaling("he_uniform", 2.0, "fan_in", "uniform", seed);
    }

    /**
     * Keras's {@code HeNormal}: truncated normal with {@code stddev = sqrt(2 / fan_in)}.
     *
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer heNormal(Long seed) {
        return new VarianceScaling("he_normal", 2.0, "fan_in", "truncated_normal", seed);
    }

    /**
     * Keras's {@code LecunUniform}: uniform on {@code [-limit, limit]}, {@code limit = sqrt(3 / fan_in)}.
     *
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer lecunUniform(Long seed) {
        return new VarianceScaling("lecun_uniform", 1.0, "fan_in", "uniform", seed);
    }

    /**
     * Keras's {@code LecunNormal}: truncated normal with {@code stddev = sqrt(1 / fan_in)}.
     *
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer lecunNormal(Long seed) {
        return new VarianceScaling("lecun_normal", 1.0, "fan_in", "truncated_normal", seed);
    }

    /**
     * Uniform on {@code [minval, maxval)}; Keras's defaults are -0.05 and 0.05.
     *
     * @param minval the lower bound (Keras's {@code minval})
     * @param maxval the upper bound (Keras's {@code maxval})
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer randomUniform(double minval, double maxval, Long seed) {
        return new Base("random_uniform", seed) {
            @Override
            public INDArray apply(long[] shape, DataType dtype) {
                return draw("uniform", shape, dtype, minval, maxval, seed);
            }

            @Override
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("minval", minval);
                c.put("maxval", maxval);
                c.put("seed", seed);
                return c;
            }
        };
    }

    /**
     * Normal with the given mean and standard deviation; Keras's defaults are 0 and 0.05.
     *
     * @param mean the mean (Keras's {@code mean})
     * @param stddev the standard deviation (Keras's {@code stddev})
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer randomNormal(double mean, double stddev, Long seed) {
        return normalLike("random_normal", "normal", mean, stddev, seed);
    }

    /**
     * Normal truncated at two standard deviations; Keras's defaults are 0 and 0.05.
     *
     * @param mean the mean (Keras's {@code mean})
     * @param stddev the standard deviation before truncation (Keras's {@code stddev})
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer truncatedNormal(double mean, double stddev, Long seed) {
        return normalLike("truncated_normal", "truncated", mean, stddev, seed);
    }

    private static Initializer normalLike(String name, String dist, double mean, double stddev, Long seed) {
        return new Base(name, seed) {
            @Override
            public INDArray apply(long[] shape, DataType dtype) {
                return draw(dist, shape, dtype, mean, stddev, seed);
            }

            @Override
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("mean", mean);
                c.put("stddev", stddev);
                c.put("seed", seed);
                return c;
            }
        };
    }

    /**
     * All entries equal to {@code value}.
     *
     * @param value the value (Keras's {@code value}, default 0)
     * @return the initializer
     */
    public static Initializer constant(double value) {
        return new Initializer() {
            @Override
            public INDArray apply(long[] shape, DataType dtype) {
                return Nd4j.valueArrayOf(shape, value, dtype);
            }

            @Override
            public String name() {
                return value == 0 ? "zeros" : value == 1 ? "ones" : "constant";
            }

            @Override
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                if (value != 0 && value != 1) c.put("value", value);
                return c;
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }

    /**
     * All entries 0 (Keras's {@code Zeros}).
     *
     * @return the initializer
     */
    public static Initializer zeros() {
        return constant(0);
    }

    /**
     * All entries 1 (Keras's {@code Ones}).
     *
     * @return the initializer
     */
    public static Initializer ones() {
        return constant(1);
    }

    /**
     * Orthogonal matrix (Keras's {@code Orthogonal(gain=1.0)}): QR of a normal matrix of shape
     * {@code (prod(shape[:-1]), shape[-1])}, with Q's columns signed by R's diagonal.
     *
     * @param gain the factor applied to the matrix (Keras's {@code gain}, default 1.0)
     * @param seed the seed, or null to draw one from the global generator (see {@code Cornu.setSeed})
     * @return the initializer
     */
    public static Initializer orthogonal(double gain, Long seed) {
        return new Base("orthogonal", seed) {
            @Override
            public INDArray apply(long[] shape, DataType dtype) {
                if (shape.length < 2) {
                    throw new IllegalArgumentException("The orthogonal initializer needs a shape of rank >= 2, got "
                            + org.cornu.core.Shape.format(shape));
                }
                int cols = (int) shape[shape.length - 1];
                int rows = (int) (size(shape) / cols);
                int m = Math.max(rows, cols), n = Math.min(rows, cols);
                INDArray a = draw("normal", new long[] {m, n}, DataType.DOUBLE, 0, 1, seed);
                double[][] q = householderQ(a.toDoubleMatrix(), m, n);
                double[] out = new double[rows * cols];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        // when rows < cols, use Q transposed
                        out[i * cols + j] = gain * (rows >= cols ? q[i][j] : q[j][i]);
                    }
                }
                return Nd4j.create(out, shape, dtype);
            }

            @Override
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("gain", gain);
                c.put("seed", seed);
                return c;
            }
        };
    }

    /** Thin Q (m x n, m >= n) of A = QR by Householder reflections, with sign(diag(R)) folded in. */
    static double[][] householderQ(double[][] a, int m, int n) {
        double[][] r = new double[m][];
        for (int i = 0; i < m; i++) r[i] = a[i].clone();
        double[][] vs = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i][k] * r[i][k];
            norm = Math.sqrt(norm);
            double alpha = r[k][k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) v[i] = r[i][k];
            v[k] -= alpha;
            double vn = 0;
            for (int i = k; i < m; i++) vn += v[i] * v[i];
            if (vn > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i] * r[i][j];
                    double f = 2 * dot / vn;
                    for (int i = k; i < m; i++) r[i][j] -= f * v[i];
                }
            }
            vs[k] = vn > 0 ? v : null;
            if (vs[k] != null) {
                double s = Math.sqrt(vn);
                for (int i = 0; i < m; i++) vs[k][i] /= s;
            }
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) q[j][j] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) continue;
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * q[i][j];
                for (int i = k; i < m; i++) q[i][j] -= 2 * dot * v[i];
            }
        }
        for (int j = 0; j < n; j++) {
            if (r[j][j] < 0) for (int i = 0; i < m; i++) q[i][j] = -q[i][j];
        }
        return q;
    }

    /** Registers Keras's names (and class-name aliases) with Keras's default arguments. */
    public static void registerAll() {
        reg(() -> glorotUniform(null), "glorot_uniform", "GlorotUniform");
        reg(() -> glorotNormal(null), "glorot_normal", "GlorotNormal");
        reg(() -> heUniform(null), "he_uniform", "HeUniform");
        reg(() -> heNormal(null), "he_normal", "HeNormal");
        reg(() -> lecunUniform(null), "lecun_uniform", "LecunUniform");
        reg(() -> lecunNormal(null), "lecun_normal", "LecunNormal");
        reg(() -> randomUniform(-0.05, 0.05, null), "random_uniform", "RandomUniform", "uniform");
        reg(() -> randomNormal(0, 0.05, null), "random_normal", "RandomNormal", "normal");
        reg(() -> truncatedNormal(0, 0.05, null), "truncated_normal", "TruncatedNormal");
        reg(() -> orthogonal(1.0, null), "orthogonal", "Orthogonal");
        reg(Initializers::zeros, "zeros", "Zeros");
        reg(Initializers::ones, "ones", "Ones");
        reg(() -> constant(0), "constant", "Constant");
        reg(() -> new VarianceScaling(1.0, "fan_in", "truncated_normal", null), "variance_scaling", "VarianceScaling");
    }

    private static void reg(java.util.function.Supplier<Initializer> f, String... names) {
        for (String n : names) Registry.register(Registry.Kind.INITIALIZER, n, f);
    }
}
