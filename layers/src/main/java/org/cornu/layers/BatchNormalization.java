package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.NormOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalization over the features {@code axis} (default -1, the last; any axis may be
 * given, e.g. 1 for channels_first images), {@code keras.layers.BatchNormalization}: in training
 * (and while the layer is trainable) {@code gamma * (x - mean) / sqrt(var + epsilon) + beta} with
 * the batch's mean and (biased) variance over all other axes, and the moving statistics updated
 * in place: {@code moving = moving * momentum + batch * (1 - momentum)}. In inference the moving
 * statistics are used. Weights, each of the axis's size: gamma (ones), beta (zeros), moving_mean
 * (zeros, non-trainable), moving_variance (ones, non-trainable).
 */
public class BatchNormalization extends Layer {
    private int axis = -1;
    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private final WeightOptions betaOptions = new WeightOptions("beta", "zeros");
    private final WeightOptions gammaOptions = new WeightOptions("gamma", "ones");
    private Initializer movingMeanInitializer = Registry.initializer("zeros");
    private Initializer movingVarianceInitializer = Registry.initializer("ones");
    private Weight gamma;
    private Weight beta;
    private Weight movingMean;
    private Weight movingVariance;

    /**
     * A batch normalization over the last axis with Keras's defaults: momentum 0.99, epsilon 0.001,
     * center and scale on.
     */
    public BatchNormalization() {
        this.inputMinNdim = 2;
    }

    @Override
    @SuppressWarnings("unchecked")
    public BatchNormalization inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public BatchNormalization name(String n) {
        return super.name(n);
    }

    /**
     * Sets the axis that is normalized, typically the features axis (Keras's {@code axis}, default -1,
     * the last; 1 for channels_first images).
     *
     * @param axis the axis, negative counting from the end
     * @return this layer
     */
    public BatchNormalization axis(int axis) {
        this.axis = axis;
        return this;
    }

    /**
     * The normalized axis as set (possibly negative).
     *
     * @return Keras's {@code axis}
     */
    public int axis() {
        return axis;
    }

    private int resolvedAxis(int rank) {
        if (axis >= rank || axis < -rank) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": axis " + axis + " is out of bounds for an input of rank "
                    + rank + ". Received: axis=" + axis);
        }
        return axis < 0 ? axis + rank : axis;
    }

    /**
     * Sets the momentum of the moving mean and variance (Keras's {@code momentum}, default 0.99).
     *
     * @param m the momentum
     * @return this layer
     */
    public BatchNormalization momentum(double m) {
        this.momentum = m;
        return this;
    }

    /**
     * Sets the small number added to the variance to avoid dividing by zero (Keras's {@code epsilon}, default 0.001).
     *
     * @param e a positive epsilon
     * @return this layer
     */
    public BatchNormalization epsilon(double e) {
        if (e <= 0) throw new IllegalArgumentException("BatchNormalization: epsilon must be > 0. Received: epsilon=" + e);
        this.epsilon = e;
        return this;
    }

    /**
     * Sets whether the offset {@code beta} is added (Keras's {@code center}, default true).
     *
     * @param c false to drop beta
     * @return this layer
     */
    public BatchNormalization center(boolean c) {
        this.center = c;
        return this;
    }

    /**
     * Sets whether the output is multiplied by {@code gamma} (Keras's {@code scale}, default true); may be off when the next layer is linear.
     *
     * @param s false to drop gamma
     * @return this layer
     */
    public BatchNormalization scale(boolean s) {
        this.scale = s;
        return this;
    }

    /**
     * Sets the initializer of beta (Keras's {@code beta_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public BatchNormalization betaInitializer(Object i) {
        betaOptions.initializer(i);
        return this;
    }

    /**
     * Sets the initializer of gamma (Keras's {@code gamma_initializer}, default {@code "ones"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public BatchNormalization gammaInitializer(Object i) {
        gammaOptions.initializer(i);
        return this;
    }

    /**
     * Sets the initializer of the moving mean (Keras's {@code moving_mean_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public BatchNormalization movingMeanInitializer(Object i) {
        this.movingMeanInitializer = Registry.initializer(i);
        return this;
    }

    /**
     * Sets the initializer of the moving variance (Keras's {@code moving_variance_initializer}, default {@code "ones"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public BatchNormalization movingVarianceInitializer(Object i) {
        this.movingVarianceInitializer = Registry.initializer(i);
        return this;
    }

    /**
     * Sets a regularizer on beta (Keras's {@code beta_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public BatchNormalization betaRegularizer(Object r) {
        betaOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a regularizer on gamma (Keras's {@code gamma_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public BatchNormalization gammaRegularizer(Object r) {
        gammaOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a constraint applied to beta after each update (Keras's {@code beta_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public BatchNormalization betaConstraint(Object c) {
        betaOptions.constraint(c);
        return this;
    }

    /**
     * Sets a constraint applied to gamma after each update (Keras's {@code gamma_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public BatchNormalization gammaConstraint(Object c) {
        gammaOptions.constraint(c);
        return this;
    }

    /**
     * The scale gamma, of the axis's size.
     *
     * @return the weight, or null before the layer is built or when it is turned off
     */
    public Weight gamma() {
        return gamma;
    }

    /**
     * The offset beta, of the axis's size.
     *
     * @return the weight, or null before the layer is built or when it is turned off
     */
    public Weight beta() {
        return beta;
    }

    /**
     * The moving mean (non-trainable).
     *
     * @return the weight, or null before the layer is built
     */
    public Weight movingMean() {
        return movingMean;
    }

    /**
     * The moving variance (non-trainable).
     *
     * @return the weight, or null before the layer is built
     */
    public Weight movingVariance() {
        return movingVariance;
    }

    @Override
    public void build(Shape inputShape) {
        long c = inputShape.get(resolvedAxis(inputShape.rank()));
        if (c < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": axis " + axis + " of the input must have a defined"
                    + " dimension, but the layer received an input with shape " + inputShape);
        }
        long[] s = {c};
        if (scale) gamma = gammaOptions.add(this::addWeight, "gamma", s);
        if (center) beta = betaOptions.add(this::addWeight, "beta", s);
        movingMean = addWeight("moving_mean", s, movingMeanInitializer, null, false, null);
        movingVariance = addWeight("moving_variance", s, movingVarianceInitializer, null, false, null);
        inputAxes.put(axis, c);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        int r = x.rank();
        int ax = resolvedAxis(r);
        if (ax == r - 1) return normalizeLast(x, training);
        // the axis moved last, normalized, and moved back
        int[] perm = new int[r];
        for (int i = 0, k = 0; i < r; i++) if (i != ax) perm[k++] = i;
        perm[r - 1] = ax;
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[perm[i]] = i;
        return Ops.transpose(normalizeLast(Ops.transpose(x, perm), training), inv);
    }

    private Tensor normalizeLast(Tensor x, boolean training) {
        long[] xs = x.shape();
        long c = xs[xs.length - 1];
        long n = x.value().length() / c;
        Tensor x2 = xs.length == 2 ? x : Ops.reshape(x, n, c);
        Tensor y;
        if (training && trainable()) {
            NormOps.BatchNorm bn = NormOps.batchNormTraining(x2, gamma == null ? null : gamma.tensor(),
                    beta == null ? null : beta.tensor(), epsilon);
            y = bn.y();
            // moving statistics: in place in the weights' own (step-outliving) buffers
            INDArray mm = movingMean.value(), mv = movingVariance.value();
            mm.muli(momentum).addi(bn.mean().castTo(mm.dataType()).mul(1 - momentum));
            mv.muli(momentum).addi(bn.variance().castTo(mv.dataType()).mul(1 - momentum));
        } else {
            y = NormOps.batchNormInference(x2, movingMean.value(), movingVariance.value(),
                    gamma == null ? null : gamma.tensor(), beta == null ? null : beta.tensor(), epsilon);
        }
        return xs.length == 2 ? y : Ops.reshape(y, xs);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return s;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("axis", axis);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        WeightOptions.putInitializers(c, betaOptions, gammaOptions);
        c.put("moving_mean_initializer", LayerConfigs.serialize(movingMeanInitializer));
        c.put("moving_variance_initializer", LayerConfigs.serialize(movingVarianceInitializer));
        WeightOptions.putRegularizers(c, betaOptions, gammaOptions);
        WeightOptions.putConstraints(c, betaOptions, gammaOptions);
        c.put("synchronized", false);
        return c;
    }

    /**
     * Re-creates a BatchNormalization layer from Keras's config (momentum 0.99, epsilon 0.001 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static BatchNormalization fromConfig(Map<String, Object> c) {
        BatchNormalization l = new BatchNormalization();
        Object axis = c.get("axis");
        if (axis instanceof java.util.List<?> a && a.size() == 1) axis = a.get(0);
        if (axis != null) l.axis(((Number) axis).intValue());
        l.momentum(Configs.getDouble(c, "momentum", 0.99));
        l.epsilon(Configs.getDouble(c, "epsilon", 1e-3));
        l.center(Configs.getBoolean(c, "center", true));
        l.scale(Configs.getBoolean(c, "scale", true));
        WeightOptions.readConfig(c, l.betaOptions, l.gammaOptions);
        if (c.get("moving_mean_initializer") != null) l.movingMeanInitializer(Configs.initializer(c.get("moving_mean_initializer")));
        if (c.get("moving_variance_initializer") != null) {
            l.movingVarianceInitializer(Configs.initializer(c.get("moving_variance_initializer")));
        }
        if (Configs.getBoolean(c, "renorm", false)) {
            throw new IllegalArgumentException("BatchNormalization \"" + c.get("name") + "\": renorm=True (batch renormalization)"
                    + " is not supported");
        }
        if (Configs.getBoolean(c, "synchronized", false)) {
            throw new IllegalArgumentException("BatchNormalization \"" + c.get("name") + "\": synchronized=True is not supported");
        }
        return l;
    }
}
