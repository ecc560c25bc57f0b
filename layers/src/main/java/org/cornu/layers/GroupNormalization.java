package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * Group normalization layer (Wu and He, 2018), {@code keras.layers.GroupNormalization}. Group
 * Normalization divides the channels into groups and computes within each group the mean and
 * variance for normalization. Empirically, its accuracy is more stable than batch norm in a wide
 * range of small batch sizes, if learning rate is adjusted linearly with batch sizes.
 *
 * <p>Relation to Layer Normalization: if the number of groups is set to 1, then this operation
 * becomes nearly identical to Layer Normalization. Relation to Instance Normalization: if the
 * number of groups is set to the input dimension (number of groups is equal to number of
 * channels, or {@code groups=-1}), then this operation becomes identical to Instance
 * Normalization.
 *
 * <p>{@code groups} (default 32) must divide the size of {@code axis} (default -1, the channels);
 * each sample's group {@code g} is normalized over all its non-batch positions and the
 * {@code C / groups} channels of the group: {@code (x - mean) / sqrt(variance + epsilon)}, then
 * scaled per channel by {@code gamma} (ones) and offset by {@code beta} (zeros), both of shape
 * {@code (C,)}, created gamma then beta. Masks pass through.
 */
public class GroupNormalization extends Layer {
    private int groups = 32;
    private int axis = -1;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private final WeightOptions betaOptions = new WeightOptions("beta", "zeros");
    private final WeightOptions gammaOptions = new WeightOptions("gamma", "ones");
    private Weight gamma;
    private Weight beta;

    /** 32 groups over the last axis. */
    public GroupNormalization() {}

    /**
     * A group normalization layer over the last axis.
     *
     * @param groups the number of groups (Keras's {@code groups}); -1 for one group per channel (instance
     *     normalization)
     * @throws IllegalArgumentException if {@code groups} is neither positive nor -1
     */
    public GroupNormalization(int groups) {
        groups(groups);
    }

    @Override
    @SuppressWarnings("unchecked")
    public GroupNormalization name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public GroupNormalization inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the number of groups (Keras's {@code groups}, default 32); it must divide the size of the normalized
     * axis.
     *
     * @param g the number of groups, or -1 for one per channel (instance normalization)
     * @return this layer
     * @throws IllegalArgumentException if {@code g} is neither positive nor -1
     */
    public GroupNormalization groups(int g) {
        if (g <= 0 && g != -1) {
            throw new IllegalArgumentException("Received an invalid value for argument `groups`, expected a positive integer (or"
                    + " `-1` for instance normalization). Received: groups=" + g);
        }
        this.groups = g;
        return this;
    }

    /**
     * Sets the axis that should be normalized, typically the features axis (Keras's {@code axis}, default -1).
     *
     * @param a the axis; negative values count from the last
     * @return this layer
     */
    public GroupNormalization axis(int a) {
        this.axis = a;
        return this;
    }

    /**
     * Sets the small float added to the variance to avoid dividing by zero (Keras's {@code epsilon}, default 1e-3).
     *
     * @param e the epsilon
     * @return this layer
     */
    public GroupNormalization epsilon(double e) {
        this.epsilon = e;
        return this;
    }

    /**
     * Sets whether the offset {@code beta} is added (Keras's {@code center}, default true).
     *
     * @param c false to drop beta
     * @return this layer
     */
    public GroupNormalization center(boolean c) {
        this.center = c;
        return this;
    }

    /**
     * Sets whether the output is multiplied by {@code gamma} (Keras's {@code scale}, default true).
     *
     * @param s false to drop gamma
     * @return this layer
     */
    public GroupNormalization scale(boolean s) {
        this.scale = s;
        return this;
    }

    /**
     * Sets the initializer of beta (Keras's {@code beta_initializer}, default {@code "zeros"}).
     *
     * @param i a registered name or an {@link org.cornu.core.initializers.Initializer}
     * @return this layer
     */
    public GroupNormalization betaInitializer(Object i) {
        betaOptions.initializer(i);
        return this;
    }

    /**
     * Sets the initializer of gamma (Keras's {@code gamma_initializer}, default {@code "ones"}).
     *
     * @param i a registered name or an {@link org.cornu.core.initializers.Initializer}
     * @return this layer
     */
    public GroupNormalization gammaInitializer(Object i) {
        gammaOptions.initializer(i);
        return this;
    }

    /**
     * Sets a regularizer on beta (Keras's {@code beta_regularizer}, default None).
     *
     * @param r a registered name, a {@link org.cornu.core.regularizers.Regularizer}, or null for none
     * @return this layer
     */
    public GroupNormalization betaRegularizer(Object r) {
        betaOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a regularizer on gamma (Keras's {@code gamma_regularizer}, default None).
     *
     * @param r a registered name, a {@link org.cornu.core.regularizers.Regularizer}, or null for none
     * @return this layer
     */
    public GroupNormalization gammaRegularizer(Object r) {
        gammaOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a constraint applied to beta after each update (Keras's {@code beta_constraint}, default None).
     *
     * @param c a registered name, a {@link org.cornu.core.constraints.Constraint}, or null for none
     * @return this layer
     */
    public GroupNormalization betaConstraint(Object c) {
        betaOptions.constraint(c);
        return this;
    }

    /**
     * Sets a constraint applied to gamma after each update (Keras's {@code gamma_constraint}, default None).
     *
     * @param c a registered name, a {@link org.cornu.core.constraints.Constraint}, or null for none
     * @return this layer
     */
    public GroupNormalization gammaConstraint(Object c) {
        gammaOptions.constraint(c);
        return this;
    }

    /**
     * The number of groups.
     *
     * @return Keras's {@code groups}; -1 for instance normalization
     */
    public int groups() {
        return groups;
    }

    /**
     * The scale gamma, of the channel count.
     *
     * @return the weight, or null before the layer is built or without {@code scale}
     */
    public Weight gamma() {
        return gamma;
    }

    /**
     * The offset beta, of the channel count.
     *
     * @return the weight, or null before the layer is built or without {@code center}
     */
    public Weight beta() {
        return beta;
    }

    private int resolvedAxis(int rank) {
        if (axis >= rank || axis < -rank) {
            throw new IllegalArgumentException("Axis " + axis + " is out of bounds for input of rank " + rank + " (layer \""
                    + name() + "\")");
        }
        return axis < 0 ? axis + rank : axis;
    }

    @Override
    public void build(Shape inputShape) {
        int ax = resolvedAxis(inputShape.rank());
        long dim = inputShape.get(ax);
        if (dim < 0) {
            throw new IllegalArgumentException("Axis " + axis + " of input tensor should have a defined dimension but the layer"
                    + " received an input with shape " + inputShape + ".");
        }
        if (groups == -1) groups = (int) dim;
        if (dim < groups) {
            throw new IllegalArgumentException("Number of groups (" + groups + ") cannot be more than the number of channels (" + dim
                    + ") (layer \"" + name() + "\").");
        }
        if (dim % groups != 0) {
            throw new IllegalArgumentException("Number of groups (" + groups + ") must be a multiple of the number of channels ("
                    + dim + ") (layer \"" + name() + "\").");
        }
        inputNdim = inputShape.rank();
        inputAxes.put(axis, dim);
        if (scale) gamma = gammaOptions.add(this::addWeight, "gamma", dim);
        if (center) beta = betaOptions.add(this::addWeight, "beta", dim);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        int r = x.rank();
        int ax = resolvedAxis(r);
        // channels last: (b, ..., C) -> (b, R, G, C/G) -> (b, G, R * C/G), normalized over the last axis
        int[] perm = new int[r];
        for (int i = 0, k = 0; i < r; i++) if (i != ax) perm[k++] = i;
        perm[r - 1] = ax;
        Tensor t = Ops.transpose(x, perm);
        long[] ts = t.shape();
        long b = ts[0], c = ts[r - 1], rest = t.value().length() / Math.max(1, b * c), cg = c / groups;
        Tensor g = Ops.transpose(Ops.reshape(t, b, rest, groups, cg), 0, 2, 1, 3);
        Tensor z = AxesUtils.standardize(Ops.reshape(g, b * groups, rest * cg), epsilon);
        Tensor y = Ops.reshape(Ops.transpose(Ops.reshape(z, b, groups, rest, cg), 0, 2, 1, 3), b, rest, c);
        if (gamma != null) y = Ops.mul(y, Ops.reshape(gamma.tensor(), 1, 1, c));
        if (beta != null) y = Ops.add(y, Ops.reshape(beta.tensor(), 1, 1, c));
        y = Ops.reshape(y, ts);
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[perm[i]] = i;
        return Masks.passThrough(x, Ops.transpose(y, inv));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        resolvedAxis(s.get(0).rank());
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("groups", groups);
        c.put("axis", axis);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        WeightOptions.putConfig(c, betaOptions, gammaOptions);
        return c;
    }

    /**
     * Re-creates a GroupNormalization layer from Keras's config (groups 32, axis -1, epsilon 1e-3 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GroupNormalization fromConfig(Map<String, Object> c) {
        GroupNormalization l = new GroupNormalization(Configs.getInt(c, "groups", 32));
        l.axis(Configs.getInt(c, "axis", -1));
        l.epsilon(Configs.getDouble(c, "epsilon", 1e-3));
        l.center(Configs.getBoolean(c, "center", true));
        l.scale(Configs.getBoolean(c, "scale", true));
        WeightOptions.readConfig(c, l.betaOptions, l.gammaOptions);
        return l;
    }
}
