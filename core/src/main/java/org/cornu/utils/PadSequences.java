package org.cornu.utils;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code keras.utils.pad_sequences} with Keras's options, started from a static method and applied
 * to the sequences: {@code PadSequences.maxlen(500).padding("post").apply(seqs)}.
 *
 * <p>Defaults as Keras: {@code maxlen} = the longest sequence, {@code padding="pre"},
 * {@code truncating="pre"}, {@code value=0}, {@code dtype="int32"}. The result has shape
 * {@code (len(seqs), maxlen)}; a sequence longer than {@code maxlen} loses its first
 * ({@code truncating="pre"}) or last ({@code "post"}) values; a shorter one is filled with
 * {@code value} before ({@code padding="pre"}) or after ({@code "post"}) its values.
 */
public final class PadSequences {
    private PadSequences() {}

    /**
     * Keras's defaults.
     *
     * @return new options
     */
    public static Options defaults() {
        return new Options();
    }

    /**
     * Options with {@code maxlen} (Keras's {@code maxlen}; default the longest sequence).
     *
     * @param maxlen the length of every output sequence
     * @return new options
     */
    public static Options maxlen(int maxlen) {
        return new Options().maxlen(maxlen);
    }

    /**
     * Options with {@code padding} (Keras's {@code padding}, default {@code "pre"}).
     *
     * @param padding {@code "pre"} or {@code "post"}
     * @return new options
     */
    public static Options padding(String padding) {
        return new Options().padding(padding);
    }

    /**
     * Options with {@code truncating} (Keras's {@code truncating}, default {@code "pre"}).
     *
     * @param truncating {@code "pre"} or {@code "post"}
     * @return new options
     */
    public static Options truncating(String truncating) {
        return new Options().truncating(truncating);
    }

    /**
     * Options with the padding {@code value} (Keras's {@code value}, default 0).
     *
     * @param value the padding value
     * @return new options
     */
    public static Options value(double value) {
        return new Options().value(value);
    }

    /**
     * Options with the result's {@code dtype} (Keras's {@code dtype}, default {@code "int32"}).
     *
     * @param dtype the type's name
     * @return new options
     */
    public static Options dtype(String dtype) {
        return new Options().dtype(dtype);
    }

    /** The options of one {@code pad_sequences} call. */
    public static final class Options {
        private Integer maxlen;
        private boolean padPost;
        private boolean truncPost;
        private double value;
        private DataType dtype = DataType.INT;

        private Options() {}

        /**
         * Length of every output sequence; without it, the longest input sequence's.
         *
         * @param maxlen the length (Keras's {@code maxlen})
         * @return these options
         */
        public Options maxlen(int maxlen) {
            if (maxlen <= 0) throw new IllegalArgumentException("pad_sequences: maxlen must be positive, got " + maxlen);
            this.maxlen = maxlen;
            return this;
        }

        /**
         * {@code "pre"} (default) or {@code "post"}: where the padding goes.
         *
         * @param padding {@code "pre"} or {@code "post"} (Keras's {@code padding})
         * @return these options
         */
        public Options padding(String padding) {
            this.padPost = prePost("padding", "Padding", padding);
            return this;
        }

        /**
         * {@code "pre"} (default) or {@code "post"}: which end of a too long sequence is removed.
         *
         * @param truncating {@code "pre"} or {@code "post"} (Keras's {@code truncating})
         * @return these options
         */
        public Options truncating(String truncating) {
            this.truncPost = prePost("truncating", "Truncating", truncating);
            return this;
        }

        /**
         * The padding value (default 0); cast to the dtype as numpy does (toward zero for ints).
         *
         * @param value the padding value (Keras's {@code value})
         * @return these options
         */
        public Options value(double value) {
            this.value = value;
            return this;
        }

        /**
         * {@code "int32"} (default), {@code "int64"}, {@code "float32"} or {@code "float64"}.
         *
         * @param dtype the type's name (Keras's {@code dtype})
         * @return these options
         */
        public Options dtype(String dtype) {
            this.dtype = switch (dtype == null ? "" : dtype) {
                case "int32" -> DataType.INT;
                case "int64" -> DataType.LONG;
                case "float32" -> DataType.FLOAT;
                case "float64" -> DataType.DOUBLE;
                default -> throw new IllegalArgumentException("pad_sequences: dtype must be one of "
                        + "'int32', 'int64', 'float32', 'float64'; got " + (dtype == null ? "null" : "'" + dtype + "'"));
            };
            return this;
        }

        /**
         * Pads and truncates {@code seqs} into an array {@code (seqs.length, maxlen)}.
         *
         * @param seqs integer sequences
         * @return the padded array
         */
        public INDArray apply(int[][] seqs) {
            if (seqs == null || seqs.length == 0) {
                throw new IllegalArgumentException("pad_sequences: `sequences` must hold at least one sequence");
            }
            int len = 0;
            for (int i = 0; i < seqs.length; i++) {
                if (seqs[i] == null) throw new IllegalArgumentException("pad_sequences: sequence " + i + " is null");
                len = Math.max(len, seqs[i].length);
            }
            if (maxlen != null) len = maxlen;
            if (len == 0) {
                throw new IllegalArgumentException("pad_sequences: every sequence is empty and no maxlen was given");
            }
            int n = seqs.length;
            long total = (long) n * len;
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pad_sequences: result (" + n + ", " + len + ") is too large");
            }
            boolean integral = dtype == DataType.INT || dtype == DataType.LONG;
            if (integral) {
                // numpy's np.full(..., value, dtype=int) casts toward zero
                long fill = (long) value;
                if (dtype == DataType.INT) {
                    int[] out = new int[(int) total];
                    if (fill != 0) java.util.Arrays.fill(out, (int) fill);
                    for (int i = 0; i < n; i++) {
                        int[] s = seqs[i];
                        int k = Math.min(s.length, len);
                        int from = truncPost ? 0 : s.length - k;
                        int to = i * len + (padPost ? 0 : len - k);
                        System.arraycopy(s, from, out, to, k);
                    }
                    return Nd4j.createFromArray(out).reshape('c', n, len);
                }
                long[] out = new long[(int) total];
                if (fill != 0) java.util.Arrays.fill(out, fill);
                for (int i = 0; i < n; i++) {
                    int[] s = seqs[i];
                    int k = Math.min(s.length, len);
                    int from = truncPost ? 0 : s.length - k;
                    int to = i * len + (padPost ? 0 : len - k);
                    for (int j = 0; j < k; j++) out[to + j] = s[from + j];
                }
                return Nd4j.createFromArray(out).reshape('c', n, len);
            }
            if (dtype == DataType.FLOAT) {
                float[] out = new float[(int) total];
                if (value != 0) java.util.Arrays.fill(out, (float) value);
                for (int i = 0; i < n; i++) {
                    int[] s = seqs[i];
                    int k = Math.min(s.length, len);
                    int from = truncPost ? 0 : s.length - k;
                    int to = i * len + (padPost ? 0 : len - k);
                    for (int j = 0; j < k; j++) out[to + j] = s[from + j];
                }
                return Nd4j.createFromArray(out).reshape('c', n, len);
            }
            double[] out = new double[(int) total];
            if (value != 0) java.util.Arrays.fill(out, value);
            for (int i = 0; i < n; i++) {
                int[] s = seqs[i];
                int k = Math.min(s.length, len);
                int from = truncPost ? 0 : s.length - k;
                int to = i * len + (padPost ? 0 : len - k);
                for (int j = 0; j < k; j++) out[to + j] = s[from + j];
            }
            return Nd4j.createFromArray(out).reshape('c', n, len);
        }

        private static boolean prePost(String arg, String label, String v) {
            if ("pre".equals(v)) return false;
            if ("post".equals(v)) return true;
            throw new IllegalArgumentException("pad_sequences: " + label + " type \"" + v
                    + "\" not understood; `" + arg + "` must be \"pre\" or \"post\"");
        }
    }
}
