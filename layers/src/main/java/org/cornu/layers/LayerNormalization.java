package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.NormOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * Layer normalization layer (Ba et al., 2016), {@code keras.layers.LayerNormalization}.
 * Normalize the activations of the previous layer for each given example in a batch
 * independently, rather than across a batch like Batch Normalization: it applies a
 * transformation that maintains the mean activation within each example close to 0 and the
 * activation standard deviation close to 1.
 *
 * <p>Given a tensor {@code inputs}, moments are calculated and normalization is performed across
 * the axes specified in {@code axis} (an int or several; default -1):
 * {@code outputs = gamma * (inputs - mean) / sqrt(variance + epsilon) + beta}, with the mean and
 * (biased) variance over those axes. If {@code scale} or {@code center} are enabled, the layer
 * scales the normalized outputs by broadcasting them with a trainable variable {@code gamma}
 * (ones), and centers the outputs by broadcasting with a trainable variable {@code beta} (zeros);
 * both have the shape of the normalized axes, created gamma then beta. The layer behaves the
 * same in training and inference. Masks pass through.
 */
public class LayerNormalization extends Layer {
    private int[] axis = {-1};
    private boolean axisIsList;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private boolean rmsScaling;
    private final WeightOptions betaOptions = new WeightOptions("beta", "zeros");
    private final WeightOptions gammaOptions = new WeightOptions("gamma", "ones");
    private Weight gamma;
    private Weight beta;

    /**
     * A layer normalization over the last axis with Keras's defaults: epsilon 0.001, center and scale on.
     */
    public LayerNormalization() {}

    @Override
    @SuppressWarnings("unchecked")
    public LayerNormalization name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public LayerNormalization inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the axis or axes to normalize across, typically the features axis (Keras's {@code axis}, default -1).
     *
     * @param axis one or more axes, negative counting from the end
     * @return this layer
     * @throws IllegalArgumentException if no axis is given
     */
    public LayerNormalization axis(int... axis) {
        if (axis.length == 0) throw new IllegalArgumentException("LayerNormalization: axis must name at least one axis");
        this.axis = axis.clone();
        this.axisIsList = axis.length > 1;
        return this;
    }

    /**
     * Sets the small number added to the variance to avoid dividing by zero (Keras's {@code epsilon}, default 0.001).
     *
     * @param e the epsilon
     * @return this layer
     */
    public LayerNormalization epsilon(double e) {
        this.epsilon = e;
        return this;
    }

    /**
     * Sets whether the offset {@code beta} is added to the normalized tensor (Keras's {@code center}, default true).
     *
     * @param c false to drop beta
     * @return this layer
     */
    public LayerNormalization center(boolean c) {
        this.center = c;
        return this;
    }

    /**
     * Sets whether the normalized tensor is multiplied by {@code gamma} (Keras's {@code scale}, default true).
     *
     * @param s false to drop gamma
     * @return this layer
     */
    public LayerNormalization scale(boolean s) {
        this.scale = s;
        return this;
    }

    /**
     * Keras's deprecated {@code rms_scaling}: scales the input by {@code rsqrt(variance + epsilon)}
     * (without centering it) and {@code gamma}, with no {@code beta}. Read from configs that set it.
     *
     * @param r true for RMS scaling (default false)
     * @return this layer
     */
    public LayerNormalization rmsScaling(boolean r) {
        this.rmsScaling = r;
        return this;
    }

    /**
     * Sets the initializer of beta (Keras's {@code beta_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public LayerNormalization betaInitializer(Object i) {
        betaOptions.initializer(i);
        return this;
    }

    /**
     * Sets the initializer of gamma (Keras's {@code gamma_initializer}, default {@code "ones"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public LayerNormalization gammaInitializer(Object i) {
        gammaOptions.initializer(i);
        return this;
    }

    /**
     * Sets a regularizer on beta (Keras's {@code beta_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public LayerNormalization betaRegularizer(Object r) {
        betaOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a regularizer on gamma (Keras's {@code gamma_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public LayerNormalization gammaRegularizer(Object r) {
        gammaOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a constraint applied to beta after each update (Keras's {@code beta_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public LayerNormalization betaConstraint(Object c) {
        betaOptions.constraint(c);
        return this;
    }

    /**
     * Sets a constraint applied to gamma after each update (Keras's {@code gamma_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public LayerNormalization gammaConstraint(Object c) {
        gammaOptions.constraint(c);
        return this;
    }

    /**
     * The normalized axes as set.
     *
     * @return a copy of Keras's {@code axis}
     */
    public int[] axis() {
        return axis.clone();
    }

    /**
     * The epsilon added to the variance.
     *
     * @return Keras's {@code epsilon}
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * The scale gamma, shaped like the normalized axes.
     *
     * @return the weight, or null before the layer is built or without {@code scale}
     */
    public Weight gamma() {
        return gamma;
    }

    /**
     * The offset beta, shaped like the normalized axes.
     *
     * @return the weight, or null before the layer is built or without {@code center}
     */
    public Weight beta() {
        return beta;
    }

    @Override
    public void build(Shape inputShape) {
        long[] s = inputShape.dims();
        int[] ax = AxesUtils.resolve("LayerNormalization \"" + name() + "\"", axis, s.length);
        // Keras keeps the sorted axes, as given (negative stays negative), as a list once built
        int[] kept = axis.clone();
        java.util.Arrays.sort(kept);
        axis = kept;
        axisIsList = true;
        long[] shape = new long[ax.length];
        for (int i = 0; i < ax.length; i++) {
            shape[i] = s[ax[i]];
            if (shape[i] < 0) {
                throw new IllegalArgumentException("Layer \"" + name() + "\": axis " + ax[i] + " of the input must have a defined"
                        + " dimension, but the layer received an input with shape " + inputShape);
            }
            inputAxes.put(ax[i], shape[i]);
        }
        if (scale || rmsScaling) gamma = gammaOptions.add(this::addWeight, "gamma", shape);
        if (center && !rmsScaling) beta = betaOptions.add(this::addWeight, "beta", shape);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        int[] ax = AxesUtils.resolve("LayerNormalization \"" + name() + "\"", axis, x.rank());
        Tensor y = AxesUtils.over(x, ax, x2 -> {
            long q = x2.shape()[1];
            if (!rmsScaling) return NormOps.layerNorm(x2, gamma == null ? null : gamma.tensor(), beta == null ? null : beta.tensor(), epsilon);
            Tensor mean = Ops.mean(x2, 1, true);
            Tensor var = Ops.mean(Ops.square(Ops.sub(x2, mean)), 1, true);
            Tensor z = Ops.div(x2, Ops.sqrt(Ops.addScalar(var, epsilon)));
            if (gamma != null) z = Ops.mul(z, Ops.reshape(gamma.tensor(), 1, q));
            if (beta != null) z = Ops.add(z, Ops.reshape(beta.tensor(), 1, q));
            return z;
        });
        return Masks.passThrough(x, y);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        AxesUtils.resolve("LayerNormalization \"" + name() + "\"", axis, s.get(0).rank());
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("axis", axisIsList ? AxesUtils.list(axis) : axis[0]);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("rms_scaling", rmsScaling);
        WeightOptions.putConfig(c, betaOptions, gammaOptions);
        return c;
    }

    /**
     * Re-creates a LayerNormalization layer from Keras's config (axis -1, epsilon 1e-3 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static LayerNormalization fromConfig(Map<String, Object> c) {
        LayerNormalization l = new LayerNormalization();
        Object a = c.get("axis");
        if (a != null) {
            l.axis(AxesUtils.ints(a, "the argument 'axis' of LayerNormalization \"" + c.get("name") + "\""));
            l.axisIsList = a instanceof List;
        }
        l.epsilon(Configs.getDouble(c, "epsilon", 1e-3));
        l.center(Configs.getBoolean(c, "center", true));
        l.scale(Configs.getBoolean(c, "scale", true));
        l.rmsScaling(Configs.getBoolean(c, "rms_scaling", false));
        WeightOptions.readConfig(c, l.betaOptions, l.gammaOptions);
        return l;
    }
}
