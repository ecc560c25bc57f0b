package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * Base of {@link Conv1D} and {@link Conv2D} (Keras's {@code BaseConv}), a convolution of
 * {@code rank} spatial axes on channels_last inputs {@code (batch, ...spatial, channels)}:
 * {@code activation(conv(x, kernel) + bias)} with kernel {@code (...kernel_size, in_channels,
 * filters)} (glorot_uniform) and bias {@code (filters)} (zeros). Holds the options, weights,
 * output shape and config common to every rank; a subclass gives its constructors, its public
 * tuple setters ({@code strides}, {@code dilationRate}) and how it runs ({@link #convolve}).
 *
 * @param <L> the concrete layer, returned by the fluent setters
 */
public abstract class BaseConv<L extends BaseConv<L>> extends ConvActivationBias<L> {
    private final String kind;
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private String padding = "valid";
    private int[] dilationRate;
    private final WeightOptions kernelOptions = WeightOptions.kernel();
    private Weight kernel;
    private Weight bias;

    /**
     * A convolution named {@code kind} in messages ({@code "Conv2D"}) over {@code rank} spatial
     * axes, with strides and dilation 1 and "valid" padding.
     *
     * @param kind the layer's class name, used in error messages
     * @param rank the number of spatial axes (1 or 2)
     * @param filters number of output channels, a positive integer (Keras's {@code filters})
     * @param kernelSize the window: one int for every axis or {@code rank} ints (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation}, default None)
     * @throws IllegalArgumentException if {@code filters} is not positive or {@code kernelSize} has the wrong length
     */
    protected BaseConv(String kind, int rank, int filters, int[] kernelSize, Object activation) {
        super(activation);
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
        this.inputNdim = rank + 2;
    }

    /**
     * Declares the per-sample input shape {@code (...spatial, channels)}.
     *
     * @param shape the input shape without the batch axis
     * @return this layer
     */
    @Override
    @SuppressWarnings("unchecked")
    public L inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the layer's name (Keras's {@code name}).
     *
     * @param n the name
     * @return this layer
     */
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
        checkStridesDilation();
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
        checkStridesDilation();
        return self();
    }

    private void checkStridesDilation() {
        boolean s = false, d = false;
        for (int i = 0; i < rank; i++) {
            s |= strides[i] > 1;
            d |= dilationRate[i] > 1;
        }
        if (s && d) {
            throw new IllegalArgumentException(kind + ": `strides > 1` not supported in conjunction with"
                    + " `dilation_rate > 1`. Received: strides=" + java.util.Arrays.toString(strides)
                    + " and dilation_rate=" + java.util.Arrays.toString(dilationRate));
        }
    }

    /**
     * Whether {@link #padding} accepts {@code "causal"} (Conv1D's); false here.
     *
     * @return true when causal padding is allowed
     */
    protected boolean allowsCausalPadding() {
        return false;
    }

    /**
     * Sets the padding (Keras's {@code padding}, default {@code "valid"}): {@code "valid"} adds none,
     * {@code "same"} pads evenly (extra on the bottom/right) so that the output has the input's size
     * when the stride is 1; Conv1D also takes {@code "causal"}.
     *
     * @param p the padding mode
     * @return this layer
     */
    public L padding(String p) {
        this.padding = ConvUtils.padding(kind, p, allowsCausalPadding());
        return self();
    }

    /**
     * Sets the data format (Keras's {@code data_format}); only {@code "channels_last"}, the default, is supported.
     *
     * @param f the data format
     * @return this layer
     * @throws IllegalArgumentException for any other format
     */
    public L dataFormat(String f) {
        ConvUtils.dataFormat(kind, f);
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
     * The number of output channels.
     *
     * @return Keras's {@code filters}
     */
    public int filters() {
        return filters;
    }

    /**
     * The convolution kernel, shaped as {@link #kernelShape}: {@code (...kernel_size, in_channels,
     * filters)}, or {@code (...kernel_size, filters, in_channels)} for a transposed convolution.
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
        long in = inputShape.get(-1);
        if (inputShape.rank() != rank + 2) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer:"
                    + " expected ndim=" + (rank + 2) + ", found ndim=" + inputShape.rank() + ". Full shape received: " + inputShape);
        }
        if (in < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the channel dimension (last axis) of the"
                    + " inputs should be defined. Found None in shape " + inputShape);
        }
        kernel = kernelOptions.add(this::addWeight, "kernel", kernelShape(in));
        if (useBias) bias = biasOptions.add(this::addWeight, "bias", filters);
        inputAxes.put(-1, in);
        built = true;
    }

    /**
     * The kernel's shape for {@code in} input channels: {@code (...kernel_size, in_channels,
     * filters)}; a transposed convolution keeps {@code (...kernel_size, filters, in_channels)}.
     *
     * @param in the number of input channels
     * @return the kernel shape
     */
    protected long[] kernelShape(long in) {
        long[] k = new long[rank + 2];
        for (int i = 0; i < rank; i++) k[i] = kernelSize[i];
        k[rank] = in;
        k[rank + 1] = filters;
        return k;
    }

    /**
     * The layer's class name, used in messages.
     *
     * @return for example {@code "Conv2D"}
     */
    protected String kind() {
        return kind;
    }

    /**
     * The number of spatial axes.
     *
     * @return 1, 2 or 3
     */
    protected int rank() {
        return rank;
    }

    /**
     * The convolution window (Keras's {@code kernel_size}).
     *
     * @return a copy, {@code rank} entries
     */
    protected int[] kernelSize() {
        return kernelSize.clone();
    }

    /**
     * The strides of the convolution (Keras's {@code strides}).
     *
     * @return a copy, {@code rank} entries
     */
    protected int[] strideSizes() {
        return strides.clone();
    }

    /**
     * The padding mode (Keras's {@code padding}).
     *
     * @return {@code "valid"}, {@code "same"} or (Conv1D) {@code "causal"}
     */
    protected String paddingMode() {
        return padding;
    }

    /**
     * The dilation rate of the convolution (Keras's {@code dilation_rate}).
     *
     * @return a copy, {@code rank} entries
     */
    protected int[] dilationRates() {
        return dilationRate.clone();
    }

    /**
     * Puts the config keys a subclass adds after {@code padding} (a transposed convolution's
     * {@code output_padding}); none here.
     *
     * @param c the config being written
     */
    protected void putConfigAfterPadding(Map<String, Object> c) {
    }

    /**
     * Whether the config has Keras's {@code groups} key.
     *
     * @return true for convolutions, false for transposed ones
     */
    protected boolean hasGroups() {
        return true;
    }

    /**
     * The convolution of {@code x} with {@code kernel} plus {@code bias}, before the activation.
     *
     * @param x the input {@code (batch, ...spatial, channels)}
     * @param kernel the kernel {@code (...kernel_size, in_channels, filters)}
     * @param bias the bias {@code (filters)}, or null without one
     * @param strides the strides, {@code rank} entries
     * @param padding {@code "valid"}, {@code "same"} or (Conv1D) {@code "causal"}
     * @param dilationRate the dilation, {@code rank} entries
     * @return the output {@code (batch, ...new_spatial, filters)}
     */
    protected abstract Tensor convolve(Tensor x, Tensor kernel, Tensor bias, int[] strides, String padding,
                                       int[] dilationRate);

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor z = convolve(x, kernel.tensor(), bias == null ? null : bias.tensor(), strides, padding, dilationRate);
        return activation.applyInPlace(z);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return ConvUtils.outputShape(name(), s, filters, kernelSize, strides, padding, dilationRate);
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
        putConfigAfterPadding(c);
        c.put("data_format", "channels_last");
        c.put("dilation_rate", ConvUtils.list(dilationRate));
        if (hasGroups()) c.put("groups", 1);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        WeightOptions.putConfigWithActivity(c, activityRegularizer(), kernelOptions, biasOptions);
        return c;
    }

    /**
     * Reads the config keys after {@code filters}, {@code kernel_size} and {@code activation}
     * (which the subclass's {@code fromConfig} gives its constructor), Keras's defaults when
     * absent: strides, padding, data_format, dilation_rate, use_bias, the kernel and bias
     * options and activity_regularizer.
     */
    L configure(Map<String, Object> c) {
        setStrides(configTuple(c, "strides"));
        padding(Configs.getString(c, "padding", "valid"));
        dataFormat(LayerConfigs.dataFormat(c));
        setDilationRate(configTuple(c, "dilation_rate"));
        useBias(Configs.getBoolean(c, "use_bias", true));
        WeightOptions.readConfig(c, kernelOptions, biasOptions);
        if (c.get("activity_regularizer") != null) activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return self();
    }

    /** An int-tuple key of a config, 1 when absent; at rank 1 the first number of a list (as Conv1D has always read it). */
    private int[] configTuple(Map<String, Object> c, String key) {
        int[] v = LayerConfigs.ints(c, key, rank, 1);
        return rank == 1 ? new int[] {v[0]} : v;
    }
}
