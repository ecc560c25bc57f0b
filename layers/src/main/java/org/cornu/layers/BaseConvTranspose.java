package org.cornu.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

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
public abstract class BaseConvTranspose<L extends BaseConvTranspose<L>> extends Layer {
    private final String kind;
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private String padding = "valid";
    private int[] outputPadding;
    private int[] dilationRate;
    private ActivationFunction activation;
    private boolean useBias = true;
    private final WeightOptions kernelOptions = WeightOptions.kernel();
    private final WeightOptions biasOptions = WeightOptions.bias();
    private Weight kernel;
    private Weight bias;

    /**
     * A transposed convolution named {@code kind} in messages over {@code rank} spatial axes:
     * {@code filters} output channels, a window of {@code kernelSize} (one int for every axis
     * or {@code rank} ints), an activation by name or object (null: linear); strides and
     * dilation 1, padding "valid", output_padding None.
     *
     * @param kind the layer's class name, used in error messages
     * @param rank the number of spatial axes (1 or 2)
     * @param filters number of output channels, a positive integer (Keras's {@code filters})
     * @param kernelSize the window: one int for every axis or {@code rank} ints (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation}, default None)
     * @throws IllegalArgumentException if {@code filters} is not positive or {@code kernelSize} has the wrong length
     */
    protected BaseConvTranspose(String kind, int rank, int filters, int[] kernelSize, Object activation) {
        if (filters <= 0) {
            throw new IllegalArgumentException("Invalid value for argument `filters` of " + kind + ". Expected a strictly"
                    + " positive value. Received filters=" + filters + ".");
        }
        this.kind = kind;
        this.rank = rank;
        this.filters = filters;
        this.kernelSize = ConvUtils.tuple(kind, "kernel_size", rank, kernelSize);
        this.strides = ConvUtils.tuple(kind, "strides", rank, 1);
        this.dilationRate = ConvUtils.tuple(kind, "dilation_rate", rank, 1);
        this.activation = Registry.activation(activation);
        this.inputNdim = rank + 2;
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public L inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public L name(String n) {
        return super.name(n);
    }

    /**
     * Sets the strides: one int for every axis or {@code rank} ints (the subclass's {@code strides}).
     *
     * @param s the strides
     * @return this layer
     * @throws IllegalArgumentException if a stride above 1 meets a dilation above 1
     */
    protected L setStrides(int... s) {
        this.strides = ConvUtils.tuple(kind, "strides", rank, s);
        check();
        return self();
    }

    /**
     * Sets the dilation: one int for every axis or {@code rank} ints (the subclass's {@code dilationRate}).
     *
     * @param d the dilation rate
     * @return this layer
     * @throws IllegalArgumentException if a dilation above 1 meets a stride above 1
     */
    protected L setDilationRate(int... d) {
        this.dilationRate = ConvUtils.tuple(kind, "dilation_rate", rank, d);
        check();
        return self();
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
            r = new int[rank];
            Arrays.fill(r, p[0]);
        } else if (p.length == rank) {
            r = p.clone();
        } else {
            throw new IllegalArgumentException("The `output_padding` argument of " + kind + " must be a tuple of " + rank
                    + " integers. Received: output_padding=" + Arrays.toString(p));
        }
        for (int x : r) {
            if (x < 0) {
                throw new IllegalArgumentException("The `output_padding` argument of " + kind + " must be a tuple of"
                        + " non-negative integers. Received: output_padding=" + Arrays.toString(p));
            }
        }
        this.outputPadding = r;
        return self();
    }

    private void check() {
        boolean s = false, d = false;
        for (int i = 0; i < rank; i++) {
            s |= strides[i] > 1;
            d |= dilationRate[i] > 1;
        }
        if (s && d) {
            throw new IllegalArgumentException(kind + ": `strides > 1` not supported in conjunction with"
                    + " `dilation_rate > 1`. Received: strides=" + Arrays.toString(strides)
                    + " and dilation_rate=" + Arrays.toString(dilationRate));
        }
    }

    /** Keras's check that each output padding is below its stride (here when the layer is used, so that setters may come in any order). */
    private void checkOutputPadding() {
        if (outputPadding != null) {
            for (int i = 0; i < rank; i++) {
                if (outputPadding[i] >= strides[i]) {
                    throw new IllegalArgumentException(kind + ": `output_padding` must be < `strides`. output_padding="
                            + Arrays.toString(outputPadding) + ", strides=" + Arrays.toString(strides));
                }
            }
        }
    }

    /**
     * Sets the padding (Keras's {@code padding}, default {@code "valid"}): {@code "valid"} or
     * {@code "same"}; with "same" and stride s the output is s times the input's size.
     *
     * @param p the padding mode
     * @return this layer
     */
    public L padding(String p) {
        this.padding = ConvUtils.padding(kind, p, false);
        return self();
    }

    /**
     * Sets the data format (Keras's {@code data_format}); only {@code "channels_last"}, the default, is supported.
     *
     * @param f the data format
     * @return this layer
     */
    public L dataFormat(String f) {
        ConvUtils.dataFormat(kind, f);
        return self();
    }

    /**
     * Sets the activation, by name or object; null means linear (Keras's {@code activation}, default None).
     *
     * @param a the activation
     * @return this layer
     */
    public L activation(Object a) {
        this.activation = Registry.activation(a);
        return self();
    }

    /**
     * Sets whether the layer adds a bias vector (Keras's {@code use_bias}, default true).
     *
     * @param b true to use a bias
     * @return this layer
     */
    public L useBias(boolean b) {
        this.useBias = b;
        return self();
    }

    /**
     * Sets the kernel's initializer, by name or object (Keras's {@code kernel_initializer}, default {@code "glorot_uniform"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public L kernelInitializer(Object i) {
        kernelOptions.initializer(i);
        return self();
    }

    /**
     * Sets the bias's initializer, by name or object (Keras's {@code bias_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public L biasInitializer(Object i) {
        biasOptions.initializer(i);
        return self();
    }

    /**
     * Sets a regularizer on the kernel, by name or object (Keras's {@code kernel_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public L kernelRegularizer(Object r) {
        kernelOptions.regularizer(r);
        return self();
    }

    /**
     * Sets a regularizer on the bias, by name or object (Keras's {@code bias_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public L biasRegularizer(Object r) {
        biasOptions.regularizer(r);
        return self();
    }

    /**
     * Sets a constraint applied to the kernel after each optimizer update (Keras's {@code kernel_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public L kernelConstraint(Object c) {
        kernelOptions.constraint(c);
        return self();
    }

    /**
     * Sets a constraint applied to the bias after each optimizer update (Keras's {@code bias_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public L biasConstraint(Object c) {
        biasOptions.constraint(c);
        return self();
    }

    /**
     * The number of output channels.
     *
     * @return Keras's {@code filters}
     */
    public int filters() {
        return filters;
    }

    /**
     * The kernel, shaped {@code (...kernel_size, filters, in_channels)} as Keras keeps a transposed convolution's.
     *
     * @return the kernel weight, or null before the layer is built
     */
    public Weight kernel() {
        return kernel;
    }

    /**
     * The bias vector, shaped {@code (filters)}.
     *
     * @return the bias weight, or null before the layer is built or when {@code use_bias} is false
     */
    public Weight bias() {
        return bias;
    }

    @Override
    public void build(Shape inputShape) {
        checkOutputPadding();
        if (inputShape.rank() != rank + 2) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer:"
                    + " expected ndim=" + (rank + 2) + ", found ndim=" + inputShape.rank() + ". Full shape received: " + inputShape);
        }
        long in = inputShape.get(-1);
        if (in < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the channel dimension (last axis) of the"
                    + " inputs should be defined. Found None in shape " + inputShape);
        }
        long[] k = new long[rank + 2];
        for (int i = 0; i < rank; i++) k[i] = kernelSize[i];
        k[rank] = filters;
        k[rank + 1] = in;
        kernel = kernelOptions.add(this::addWeight, "kernel", k);
        if (useBias) bias = biasOptions.add(this::addWeight, "bias", filters);
        inputAxes.put(-1, in);
        built = true;
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

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor z = convolveTranspose(x, kernel.tensor(), strides, padding.equals("same"), outputPadding, dilationRate);
        if (bias != null) {
            long[] bs = new long[rank + 2];
            Arrays.fill(bs, 1);
            bs[rank + 1] = filters;
            z = Ops.add(z, Ops.reshape(bias.tensor(), bs));
        }
        return activation.applyInPlace(z);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        checkOutputPadding();
        long[] d = s.dims();
        long[] o = d.clone();
        for (int i = 0; i < rank; i++) {
            o[i + 1] = ConvOps.transposeOutputLength(d[i + 1], kernelSize[i], strides[i], padding.equals("same"),
                    outputPadding == null ? -1 : outputPadding[i], dilationRate[i]);
        }
        o[rank + 1] = filters;
        return Shape.of(o);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("filters", filters);
        c.put("kernel_size", ConvUtils.list(kernelSize));
        c.put("strides", ConvUtils.list(strides));
        c.put("padding", padding);
        c.put("output_padding", outputPadding == null ? null : ConvUtils.list(outputPadding));
        c.put("data_format", "channels_last");
        c.put("dilation_rate", ConvUtils.list(dilationRate));
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        WeightOptions.putConfigWithActivity(c, activityRegularizer(), kernelOptions, biasOptions);
        return c;
    }

    /**
     * Reads the config keys after {@code filters}, {@code kernel_size} and {@code activation}
     * (which the subclass's {@code fromConfig} gives its constructor), Keras's defaults when
     * absent.
     */
    L configure(Map<String, Object> c) {
        setStrides(LayerConfigs.ints(c, "strides", rank, 1));
        padding(Configs.getString(c, "padding", "valid"));
        dataFormat(LayerConfigs.dataFormat(c));
        setDilationRate(LayerConfigs.ints(c, "dilation_rate", rank, 1));
        setOutputPadding(c.get("output_padding") == null ? null : LayerConfigs.ints(c, "output_padding", rank));
        checkOutputPadding();
        useBias(Configs.getBoolean(c, "use_bias", true));
        WeightOptions.readConfig(c, kernelOptions, biasOptions);
        if (c.get("activity_regularizer") != null) activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return self();
    }
}
