package org.cornu.core.kernels;

/**
 * Internal: the activation functions that Cornu's JVM paths compute over double arrays (and the
 * float32 LSTM over float arrays), written once. One set of kind codes with Keras's names, the
 * forward pass over a range in place, and derivatives from the activation's output.
 *
 * <p>Where two callers compute a function differently and tests compare them tightly, both forms
 * stay here as named {@link Form}s rather than one changing the other's results:
 * <ul>
 *   <li>{@link Form#LIBRARY}: {@code Math.tanh}; relu zeroes negatives only (NaN and -0.0 pass).
 *       SmallPath's Dense layers and SmallPredict use it (SmallPath is tested equal to the tape
 *       path in float64).</li>
 *   <li>{@link Form#EXP}: tanh as {@code 1 - 2 / (exp(2z) + 1)}, because {@code Math.exp} is a JIT
 *       intrinsic and {@code Math.tanh} is not; relu as {@code z > 0 ? z : 0} (NaN gives 0). The
 *       recurrences in float64 (RnnOps, SmallPath's LSTM/SimpleRNN), and RnnOps's GRU and
 *       SimpleRNN steps in float32 too.</li>
 *   <li>{@link Form#RATIONAL}: {@link Form#EXP} with tanh and sigmoid as a branch-free rational
 *       function whose loops vectorize (max relative error 3.2e-7, about 3 float ulps). The
 *       recurrences of float32 models (RnnOps's LSTM, SmallPath's LSTM/SimpleRNN); in float
 *       arithmetic, {@link #tanhRational(float[], int, int)} for Float32Lstm.</li>
 * </ul>
 * sigmoid is {@code 1 / (1 + exp(-z))} in both exact forms; softmax (over the whole range) and
 * hard_sigmoid (Keras 3: {@code clip(z / 6 + 0.5, 0, 1)}) and hard_sigmoid_keras2 (Keras 2's
 * {@code clip(0.2 z + 0.5, 0, 1)}, for models that Keras 2 wrote) are the same in every form. Not a public
 * API: callers are Cornu's kernels, ops and training paths.
 */
public final class ActivationKernels {
    private ActivationKernels() {}

    /** Kind codes. */
    public static final int LINEAR = 0, RELU = 1, SIGMOID = 2, TANH = 3, SOFTMAX = 4, HARD_SIGMOID = 5,
            HARD_SIGMOID_KERAS2 = 6;

    private static final String[] NAMES = {"linear", "relu", "sigmoid", "tanh", "softmax", "hard_sigmoid",
        "hard_sigmoid_keras2"};

    /** The arithmetic forms (see the class comment for who uses which and why). */
    public enum Form {
        /** {@code Math.tanh}; relu {@code z < 0 -> 0} (NaN and -0.0 pass through). */
        LIBRARY,
        /** tanh {@code 1 - 2 / (exp(2z) + 1)}; relu {@code z > 0 ? z : 0}. */
        EXP,
        /** {@link #EXP} with the rational tanh and sigmoid ({@code 0.5 + 0.5 tanh(z / 2)}). */
        RATIONAL
    }

    /** The kind of the Keras activation {@code name}, or -1 if it has none here. */
    public static int kindOf(String name) {
        if (name == null) return -1;
        for (int k = 0; k < NAMES.length; k++) if (NAMES[k].equals(name)) return k;
        return -1;
    }

    /** The Keras name of {@code kind}. */
    public static String nameOf(int kind) {
        return NAMES[kind];
    }

    /** Whether {@code kind} acts on each element alone (all but softmax). */
    public static boolean elementwise(int kind) {
        return kind >= 0 && kind < NAMES.length && kind != SOFTMAX;
    }

    // ------------------------------------------------------------------ forward

    /**
     * Applies activation {@code kind} to {@code a[off, off + len)} in place, in {@code form};
     * softmax normalizes the whole range. (A small dispatcher, so that the JIT inlines it into its
     * callers and each loop below into it.)
     */
    public static void forward(int kind, Form form, double[] a, int off, int len) {
        switch (kind) {
            case LINEAR -> { }
            case RELU -> {
                if (form == Form.LIBRARY) reluLibraryRange(a, off, off + len);
                else reluZeroRange(a, off, off + len);
            }
            case SIGMOID -> {
                if (form == Form.RATIONAL) sigmoidRationalRange(a, off, off + len);
                else sigmoidRange(a, off, off + len);
            }
            case TANH -> {
                if (form == Form.RATIONAL) tanhRationalRange(a, off, off + len);
                else if (form == Form.EXP) tanhExpRange(a, off, off + len);
                else tanhLibraryRange(a, off, off + len);
            }
            case SOFTMAX -> softmax(a, off, len);
            case HARD_SIGMOID -> hardSigmoidRange(a, off, off + len);
            case HARD_SIGMOID_KERAS2 -> {
                for (int i = off; i < off + len; i++) a[i] = hardSigmoidKeras2(a[i]);
            }
            default -> throw new IllegalArgumentException("activation kind " + kind);
        }
    }

    private static void reluLibraryRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] < 0) a[i] = 0;
    }

    private static void reluZeroRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = a[i] > 0 ? a[i] : 0;
    }

    private static void sigmoidRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = sigmoid(a[i]);
    }

    private static void sigmoidRationalRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = sigmoidRational(a[i]);
    }

    private static void tanhLibraryRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = Math.tanh(a[i]);
    }

    private static void tanhExpRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = tanhExp(a[i]);
    }

    private static void tanhRationalRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = tanhRational(a[i]);
    }

    private static void hardSigmoidRange(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = hardSigmoid(a[i]);
    }

    /** Elementwise activation {@code kind} of {@code z} in {@code form} (not softmax). */
    public static double value(int kind, Form form, double z) {
        switch (kind) {
            case LINEAR: return z;
            case RELU: return form == Form.LIBRARY ? (z < 0 ? 0 : z) : z > 0 ? z : 0;
            case SIGMOID: return form == Form.RATIONAL ? sigmoidRational(z) : sigmoid(z);
            case TANH: return form == Form.RATIONAL ? tanhRational(z) : form == Form.EXP ? tanhExp(z) : Math.tanh(z);
            case HARD_SIGMOID: return hardSigmoid(z);
            case HARD_SIGMOID_KERAS2: return hardSigmoidKeras2(z);
            default: throw new IllegalArgumentException("not an elementwise activation: " + kind);
        }
    }

    /** {@code 1 / (1 + exp(-z))}. */
    public static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** tanh through the exp intrinsic: {@code 1 - 2 / (exp(2z) + 1)}. */
    public static double tanhExp(double z) {
        return 1.0 - 2.0 / (Math.exp(2 * z) + 1.0);
    }

    /** Keras 3's hard sigmoid, {@code clip(z / 6 + 0.5, 0, 1)}. */
    public static double hardSigmoid(double z) {
        return Math.min(1.0, Math.max(0.0, z / 6.0 + 0.5));
    }

    /** Keras 2's hard sigmoid, {@code clip(0.2 z + 0.5, 0, 1)}. */
    public static double hardSigmoidKeras2(double z) {
        return Math.min(1.0, Math.max(0.0, 0.2 * z + 0.5));
    }

    /** Softmax of {@code a[off, off + n)} in place, shifted by the maximum. */
    public static void softmax(double[] a, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, a[off + j]);
        double sum = 0;
        for (int j = 0; j < n; j++) {
            a[off + j] = Math.exp(a[off + j] - max);
            sum += a[off + j];
        }
        for (int j = 0; j < n; j++) a[off + j] /= sum;
    }

    // ------------------------------------------------------------------ the rational tanh

    // tanh(x) ~ x P(x^2) / Q(x^2) for |x| <= 7.9 (clamped beyond): Q's roots are tanh's first three
    // poles (x^2 = -(k pi / 2)^2, k = 1, 3, 5) and P is a least-squares fit of relative error
    // made for Cornu (max relative error 3.2e-7, reached at the clamp; about 3 float ulps; |result| < 1).
    static final double P0 = 1.0000001447377882, P1 = 0.13319398211185063, P2 = 0.0033751519377357539,
            P3 = 1.4327078292130153e-05, P4 = -3.6034460348004563e-08, P5 = 1.5189702490606138e-10,
            P6 = -4.2296721680656901e-13;
    static final double Q1 = 0.46652776112649752, Q2 = 0.025550889167214347, Q3 = 0.00029586815240415355;
    static final double CLAMP = 7.9;

    /** The rational tanh (branch-free; vectorizes in loops). */
    public static double tanhRational(double z) {
        double x = Math.max(-CLAMP, Math.min(CLAMP, z));
        double s = x * x;
        double p = (((((P6 * s + P5) * s + P4) * s + P3) * s + P2) * s + P1) * s + P0;
        double q = ((Q3 * s + Q2) * s + Q1) * s + 1.0;
        return x * p / q;
    }

    /** The rational sigmoid, {@code 0.5 + 0.5 tanhRational(z / 2)}. */
    public static double sigmoidRational(double z) {
        return 0.5 + 0.5 * tanhRational(0.5 * z);
    }

    private static final float P0F = (float) P0, P1F = (float) P1, P2F = (float) P2, P3F = (float) P3,
            P4F = (float) P4, P5F = (float) P5, P6F = (float) P6;
    private static final float Q1F = (float) Q1, Q2F = (float) Q2, Q3F = (float) Q3;
    private static final float CLAMPF = (float) CLAMP;

    /**
     * The rational tanh in float arithmetic over {@code a[off, off + len)} in place (Float32Lstm,
     * which gets its sigmoid gates as {@code 0.5 + 0.5 tanh(z / 2)} from the same pass).
     */
    public static void tanhRational(float[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            float x = Math.max(-CLAMPF, Math.min(CLAMPF, a[i]));
            float s = x * x;
            float p = (((((P6F * s + P5F) * s + P4F) * s + P3F) * s + P2F) * s + P1F) * s + P0F;
            float q = ((Q3F * s + Q2F) * s + Q1F) * s + 1f;
            a[i] = x * p / q;
        }
    }

    // ------------------------------------------------------------------ derivatives

    /**
     * The derivative of elementwise activation {@code kind} given its output {@code y} (the same
     * in every form): tanh {@code 1 - y^2}, sigmoid {@code y (1 - y)}, relu {@code y > 0 ? 1 : 0},
     * linear 1, hard_sigmoid {@code 1/6} (hard_sigmoid_keras2 {@code 0.2}) strictly inside (0, 1) and 0 on
     * the clipped parts.
     */
    public static double derivative(int kind, double y) {
        switch (kind) {
            case TANH: return 1 - y * y;
            case SIGMOID: return y * (1 - y);
            case RELU: return y > 0 ? 1 : 0;
            case LINEAR: return 1;
            case HARD_SIGMOID: return y > 0 && y < 1 ? 1.0 / 6.0 : 0;
            case HARD_SIGMOID_KERAS2: return y > 0 && y < 1 ? 0.2 : 0;
            default: throw new IllegalArgumentException("not an elementwise activation: " + kind);
        }
    }

    /**
     * Turns {@code gy[0, len)} (d/d output) into d/d pre-activation in place, from the outputs
     * {@code y}: elementwise kinds multiply by {@link #derivative}, except relu, which sets the
     * gradient of non-positive outputs to exactly 0; softmax applies each row's Jacobian over rows
     * of {@code width}.
     */
    public static void backward(int kind, double[] y, double[] gy, int len, int width) {
        switch (kind) {
            case LINEAR -> { }
            case RELU -> {
                for (int i = 0; i < len; i++) if (y[i] <= 0) gy[i] = 0;
            }
            case SIGMOID -> {
                for (int i = 0; i < len; i++) gy[i] *= y[i] * (1 - y[i]);
            }
            case TANH -> {
                for (int i = 0; i < len; i++) gy[i] *= 1 - y[i] * y[i];
            }
            case SOFTMAX -> {
                for (int o = 0; o < len; o += width) {
                    double dot = 0;
                    for (int j = 0; j < width; j++) dot += gy[o + j] * y[o + j];
                    for (int j = 0; j < width; j++) gy[o + j] = y[o + j] * (gy[o + j] - dot);
                }
            }
            case HARD_SIGMOID, HARD_SIGMOID_KERAS2 -> {
                for (int i = 0; i < len; i++) gy[i] *= derivative(kind, y[i]);
            }
            default -> throw new IllegalArgumentException("activation kind " + kind);
        }
    }
}
