package org.cornu.layers;

import java.util.Arrays;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.ops.Ops;

/**
 * Base of {@link Conv1DTranspose} and {@link Conv2DTranspose} (Keras's {@code
 * BaseConvTranspose}), a transposed convolution of {@code rank} spatial axes on channels_last
 * inputs {@code (batch, ...spatial, channels)}: {@code activation(conv_transpose(x, kernel) +
 * bias)} with kernel {@code (...kernel_size, filters, in_channels)} (glorot_uniform; note the
 * transposed layout) and bias {@code (filters)} (zeros). The transposed convolution maps
 * something of the shape of a convolution's output to something of the shape of its input:
 * it is the gradient of that convolution with respect to its input.
 *
 * <p>Output lengths, as Keras's {@code compute_conv_transpose_output_shape}, with
 * {@code k' = dilation*(k-1) + 1}: "valid" gives {@code (n-1)*stride + k' + output_padding}
 * ({@code max(k', stride) - k'} when output_padding is None), "same" gives {@code n*stride}
 * (or {@code (n-1)*stride + k' % 2 + output_padding}).
 *
 * @param <L> the concrete layer, returned by the fluent setters
 */
public abstract class BaseConvTranspose<L extends BaseConvTranspose<L>> extends BaseConv<L> {
    private int[] outputPadding;

    /**
     * A transposed convolution named {@code kind} in messages over {@code rank} spatial axes:
     * {@code filters} output channels, a window of {@code kernelSize} (one int for every axis
     * or {@code rank} ints), an activation by name or object (null: linear); strides and
     * dilation 1, padding "valid", output_padding None.
     *
     * @param kind the layer's class name, used in error messages
     * @param rank the number of spatial axes
     * @param filters the number of output channels (Keras's {@code filters})
     * @param kernelSize the window (Keras's {@code kernel_size})
     * @param activation the activation, by name or object, or null for none
     */
    protected BaseConvTranspose(String kind, int rank, int filters, int[] kernelSize, Object activation) {
        super(kind, rank, filters, kernelSize, activation);
    }

    /**
     * Sets the output padding: one int for every axis or {@code rank} ints, each at least 0 and
     * below the stride of its axis; null for Keras's None (the default).
     *
     * @param p the output padding, or null
     * @return this layer
     * @throws IllegalArgumentException for the wrong number of ints or a negative one
     */
    protected L setOutputPadding(int... p) {
        if (p == null) {
            this.outputPadding = null;
            return self();
        }
        int[] r;
        if (p.length == 1) {
            r = new int[rank()];
            Arrays.fill(r, p[0]);
        } else if (p.length == rank()) {
            r = p.clone();
        } else {
            throw new IllegalArgumentException("The `output_padding` argument of " + kind() + " must be a tuple of " + rank()
                    + " integers. Received: output_padding=" + Arrays.toString(p));
        }
        for (int x : r) {
            if (x < 0) {
                throw new IllegalArgumentException("The `output_padding` argument of " + kind() + " must be a tuple of"
                        + " non-negative integers. Received: output_padding=" + Arrays.toString(p));
            }
        }
        this.outputPadding = r;
        return self();
    }

    /** Keras's check that each output padding is below its stride (here when the layer is used, so that setters may come in any order). */
    private void checkOutputPadding() {
        if (outputPadding != null) {
            int[] strides = strideSizes();
            for (int i = 0; i < rank(); i++) {
                if (outputPadding[i] >= strides[i]) {
                    throw new IllegalArgumentException(kind() + ": `output_padding` must be < `strides`. output_padding="
                            + Arrays.toString(outputPadding) + ", strides=" + Arrays.toString(strides));
                }
            }
        }
    }

    /** Keras's transposed layout: {@code (...kernel_size, filters, in_channels)}. */
    @Override
    protected long[] kernelShape(long in) {
        int[] ks = kernelSize();
        long[] k = new long[rank() + 2];
        for (int i = 0; i < rank(); i++) k[i] = ks[i];
        k[rank()] = filters();
        k[rank() + 1] = in;
        return k;
    }

    @Override
    public void build(Shape inputShape) {
        checkOutputPadding();
        super.build(inputShape);
    }

    /**
     * The transposed convolution of {@code x} with {@code kernel}, before the bias;
     * {@code strides}, {@code dilationRate} and {@code outputPadding} (null for None) have
     * {@code rank} entries.
     *
     * @param x the input {@code (batch, ...spatial, channels)}
     * @param kernel the kernel {@code (...kernel_size, filters, in_channels)}
     * @param strides the strides
     * @param same true for "same" padding, false for "valid"
     * @param outputPadding the output padding, or null for None
     * @param dilationRate the dilation
     * @return the output {@code (batch, ...new_spatial, filters)}
     */
    protected abstract Tensor convolveTranspose(Tensor x, Tensor kernel, int[] strides, boolean same, int[] outputPadding,
                                                int[] dilationRate);

    /** The transposed convolution ({@link #convolveTranspose}) plus the bias broadcast over the spatial axes. */
    @Override
    protected final Tensor convolve(Tensor x, Tensor kernel, Tensor bias, int[] strides, String padding, int[] dilationRate) {
        Tensor z = convolveTranspose(x, kernel, strides, padding.equals("same"), outputPadding, dilationRate);
        if (bias == null) return z;
        long[] bs = new long[rank() + 2];
        Arrays.fill(bs, 1);
        bs[rank() + 1] = filters();
        return Ops.add(z, Ops.reshape(bias, bs));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        checkOutputPadding();
        int[] ks = kernelSize(), strides = strideSizes(), dilation = dilationRates();
        boolean same = paddingMode().equals("same");
        long[] d = s.dims();
        long[] o = d.clone();
        for (int i = 0; i < rank(); i++) {
            o[i + 1] = ConvOps.transposeOutputLength(d[i + 1], ks[i], strides[i], same,
                    outputPadding == null ? -1 : outputPadding[i], dilation[i]);
        }
        o[rank() + 1] = filters();
        return Shape.of(o);
    }

    /** Keras's {@code output_padding}, after {@code padding}. */
    @Override
    protected void putConfigAfterPadding(Map<String, Object> c) {
        c.put("output_padding", outputPadding == null ? null : ConvUtils.list(outputPadding));
    }

    /** Keras's transposed convolutions have no {@code groups}. */
    @Override
    protected boolean hasGroups() {
        return false;
    }

    /**
     * Reads the config keys after {@code filters}, {@code kernel_size} and {@code activation}
     * (which the subclass's {@code fromConfig} gives its constructor), Keras's defaults when
     * absent: the convolution's keys and {@code output_padding}.
     */
    @Override
    L configure(Map<String, Object> c) {
        super.configure(c);
        setOutputPadding(c.get("output_padding") == null ? null : LayerConfigs.ints(c, "output_padding", rank()));
        checkOutputPadding();
        return self();
    }
}
