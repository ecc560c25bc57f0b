package org.cornu.layers;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.Shape;

/** Argument parsing and output shapes shared by the convolution and pooling layers. */
final class ConvUtils {
    private ConvUtils() {}

    /** An int or an int[] of length {@code n} (Keras's int-or-tuple arguments) as an int[n] of positive values. */
    static int[] tuple(String layer, String arg, int n, int... v) {
        int[] r;
        if (v.length == 1) {
            r = new int[n];
            java.util.Arrays.fill(r, v[0]);
        } else if (v.length == n) {
            r = v.clone();
        } else {
            throw new IllegalArgumentException("The `" + arg + "` argument of " + layer + " must be a tuple of " + n
                    + " integers. Received: " + arg + "=" + java.util.Arrays.toString(v));
        }
        for (int x : r) {
            if (x <= 0) {
                throw new IllegalArgumentException("The `" + arg + "` argument of " + layer
                        + " must be a tuple of positive integers. Received: " + arg + "=" + java.util.Arrays.toString(v));
            }
        }
        return r;
    }

    static String padding(String layer, String p, boolean allowCausal) {
        String s = p == null ? "" : p.toLowerCase(java.util.Locale.ROOT);
        if (s.equals("valid") || s.equals("same") || (allowCausal && s.equals("causal"))) return s;
        throw new IllegalArgumentException("Invalid value for argument `padding` of " + layer + ": expected one of "
                + (allowCausal ? "{valid, same, causal}" : "{valid, same}") + ". Received: padding=" + p);
    }

    static String dataFormat(String layer, String f) {
        String s = f == null ? "channels_last" : f.toLowerCase(java.util.Locale.ROOT);
        if (s.equals("channels_last")) return s;
        if (s.equals("channels_first")) {
            throw new IllegalArgumentException(layer + ": data_format=\"channels_first\" is not supported; Cornu's"
                    + " image layers take channels_last inputs (batch, ..., channels)");
        }
        throw new IllegalArgumentException("The `data_format` argument of " + layer
                + " must be one of {channels_first, channels_last}. Received: data_format=" + f);
    }

    /**
     * Keras's {@code compute_conv_output_shape} for channels_last: spatial axes 1..n of
     * {@code in} mapped through kernel/strides/padding/dilation, last axis {@code channels}.
     */
    static Shape outputShape(String layer, Shape in, long channels, int[] kernel, int[] strides, String padding,
                             int[] dilation) {
        long[] d = in.dims();
        long[] o = d.clone();
        boolean same = padding.equals("same") || padding.equals("causal");
        for (int i = 0; i < kernel.length; i++) {
            long len = d[i + 1];
            if (len < 0) continue;
            long eff = (long) dilation[i] * (kernel[i] - 1) + 1;
            if (!same && len < eff) {
                throw new IllegalArgumentException("Computed output size would be negative in layer \"" + layer
                        + "\". Received inputs shape=" + in + ", kernel shape=" + java.util.Arrays.toString(kernel)
                        + ", dilation_rate=" + java.util.Arrays.toString(dilation) + ".");
            }
            o[i + 1] = ConvOps.outputLength(len, kernel[i], strides[i], same, dilation[i]);
        }
        o[o.length - 1] = channels;
        return Shape.of(o);
    }

    static List<Object> list(int... v) {
        List<Object> l = new ArrayList<>();
        for (int x : v) l.add(x);
        return l;
    }
}
