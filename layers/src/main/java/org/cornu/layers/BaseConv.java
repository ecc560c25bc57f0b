package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.activations.ActivationFunction;
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
public abstract class BaseConv<L extends BaseConv<L>> extends Layer {
    private final String kind;
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private String padding = "valid";
    private int[] dilationRate;
    private ActivationFunction activation;
    private boolean useBias = true;
    private final WeightOptions kernelOptions = WeightOptions.kernel();
    private final WeightOptions biasOptions = WeightOptions.bias();
    private Weight kernel;
    private Weight bias;

    /**
     * A convolution named {@code kind} in messages ({@code "Conv2D"}) over {@code rank} spatial
     * axes: {@code filters} output channels, a window of {@code kernelSize} (one int for every
     * axis or {@code rank} ints), an activation by name or object (null: linear); strides and
     * dilation 1.
     */
    protected BaseConv(String kind, int rank, int filters, int[] kernelSize, Object activation) {
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

    /** Sets the strides: one int for every axis or {@code rank} ints (the subclass's {@code strides}). */
    protected L setStrides(int... s) {
        this.strides = ConvUtils.tuple(kind, "strides", rank, s);
        checkStridesDilation();
        return self();
    }

    /** Sets the dilation: one int for every axis or {@code rank} ints (the subclass's {@code dilationRate}). */
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

    /** Whether {@link #padding} accepts {@code "causal"} (Conv1D's); false here. */
    protected boolean allowsCausalPadding() {
        return false;
    }

    /** {@code "valid"} (no padding, default) or {@code "same"}; Conv1D also takes {@code "causal"}. */
    public L padding(String p) {
        this.padding = ConvUtils.padding(kind, p, allowsCausalPadding());
        return self();
    }

    /** Only {@code "channels_last"} is supported. */
    public L dataFormat(String f) {
        ConvUtils.dataFormat(kind, f);
        return self();
    }

    public L activation(Object a) {
        this.activation = Registry.activation(a);
        return self();
    }

    public L useBias(boolean b) {
        this.useBias = b;
        return self();
    }

    public L kernelInitializer(Object i) {
        kernelOptions.initializer(i);
        return self();
    }

    public L biasInitializer(Object i) {
        biasOptions.initializer(i);
        return self();
    }

    public L kernelRegularizer(Object r) {
        kernelOptions.regularizer(r);
        return self();
    }

    public L biasRegularizer(Object r) {
        biasOptions.regularizer(r);
        return self();
    }

    public L kernelConstraint(Object c) {
        kernelOptions.constraint(c);
        return self();
    }

    public L biasConstraint(Object c) {
        biasOptions.constraint(c);
        return self();
    }

    public int filters() {
        return filters;
    }

    public Weight kernel() {
        return kernel;
    }

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
        long[] k = new long[rank + 2];
        for (int i = 0; i < rank; i++) k[i] = kernelSize[i];
        k[rank] = in;
        k[rank + 1] = filters;
        kernel = kernelOptions.add(this::addWeight, "kernel", k);
        if (useBias) bias = biasOptions.add(this::addWeight, "bias", filters);
        inputAxes.put(-1, in);
        built = true;
    }

    /**
     * The convolution of {@code x} with {@code kernel} plus {@code bias} (null without one),
     * before the activation; {@code strides} and {@code dilationRate} have {@code rank} entries,
     * {@code padding} is {@code "valid"}, {@code "same"} or (Conv1D) {@code "causal"}.
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
        c.put("data_format", "channels_last");
        c.put("dilation_rate", ConvUtils.list(dilationRate));
        c.put("groups", 1);
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
