package org.cornu.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.initializers.Initializers;
import org.cornu.core.ops.Ops;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A preprocessing layer that normalizes continuous features, {@code keras.layers.Normalization(axis=-1, mean=None,
 * variance=None, invert=False)}.
 *
 * <p>This layer will shift and scale inputs into a distribution centered around 0 with standard deviation 1. It
 * accomplishes this by precomputing the mean and variance of the data, and calling
 * {@code (input - mean) / sqrt(var)} at runtime (the denominator is at least {@code 1e-7}, Keras's epsilon).
 *
 * <p>The mean and variance values for the layer must be either supplied on construction ({@link #mean},
 * {@link #variance}) or learned via {@link #adapt(INDArray)}. {@code adapt()} will compute the mean and variance of
 * the data and store them as the layer's weights. {@code adapt()} should be called before {@code fit()},
 * {@code evaluate()}, or {@code predict()}.
 *
 * <p>{@code axis}: integer(s) of the axis or axes that should have a separate mean and variance for each index in
 * the shape. For example, if shape is {@code (None, 5)} and {@code axis=1}, the layer will track 5 separate mean and
 * variance values for the last axis. If {@code axis} is set to none ({@code axis()} with no argument), the layer will
 * normalize all elements in the input by a scalar mean and variance. Defaults to -1, the last axis. Note that in the
 * specific case of batched scalar inputs where the only axis is the batch axis, the default will normalize each
 * index in the batch separately; in this case, consider passing no axis.
 *
 * <p>{@code invert}: if true, this layer will apply the inverse transformation to its inputs: it would turn a
 * normalized input back into its original form ({@code mean + input * sqrt(var)}).
 *
 * <p>Weights, as Keras creates them when no mean and variance are given: {@code mean} (zeros) and {@code variance}
 * (ones) of the kept axes' sizes, and {@code count} (int32 scalar, left 0 as Keras leaves it), all non-trainable.
 */
public class Normalization extends Layer {
    private static final double EPSILON = 1e-7;
    private int[] axis = {-1};
    private double[] inputMean;
    private double[] inputVariance;
    private boolean meanScalar;
    private boolean invert;

    private Weight adaptMean;
    private Weight adaptVariance;
    private int[] keepAxes;
    private int[] reduceAxes;
    private long[] broadcastShape;
    private long[] meanVarShape;
    private long[] buildShape;
    private INDArray constMean;
    private INDArray constVariance;

    /** Normalizes each index of the last axis (Keras's default {@code axis=-1}); mean and variance come from {@link #adapt}. */
    public Normalization() {}

    /**
     * Sets the axis or axes that should have a separate mean and variance for each index in the shape (Keras's
     * {@code axis}, default -1). For example, if the input shape is {@code (None, 5)} and {@code axis=1}, the layer
     * tracks 5 separate mean and variance values for the last axis. With none, all axes are normalized with a single
     * scalar mean and variance.
     *
     * @param a the axes to keep; negative values count from the last
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Normalization axis(int... a) {
        checkUnbuilt("axis");
        axis = a.clone();
        return this;
    }

    /**
     * Sets the mean value(s) to use during normalization (Keras's {@code mean}, default None: learned by
     * {@link #adapt}); it must come with {@link #variance}.
     *
     * @param m one number (broadcast to the kept axes), or one per index of the (last) kept axis
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Normalization mean(double... m) {
        checkUnbuilt("mean");
        inputMean = m.clone();
        meanScalar = m.length == 1;
        return this;
    }

    /**
     * Sets the variance value(s) to use during normalization (Keras's {@code variance}, default None: learned by
     * {@link #adapt}); it must come with {@link #mean}.
     *
     * @param v the variances, as many as the means
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Normalization variance(double... v) {
        checkUnbuilt("variance");
        inputVariance = v.clone();
        return this;
    }

    /**
     * Sets whether the layer applies the inverse transformation to its inputs, turning normalized inputs back into
     * their original form (Keras's {@code invert}, default false).
     *
     * @param b whether to invert
     * @return this layer
     */
    public Normalization invert(boolean b) {
        invert = b;
        return this;
    }

    private void checkUnbuilt(String arg) {
        if (built) throw new IllegalStateException("Normalization \"" + name() + "\": `" + arg + "` cannot change after the layer is built");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Normalization inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Normalization name(String n) {
        return super.name(n);
    }

    private void checkMeanVariance() {
        if ((inputMean != null) != (inputVariance != null)) {
            throw new IllegalArgumentException("Normalization \"" + name() + "\": when setting values directly, both `mean` and"
                    + " `variance` must be set. Received: mean=" + Arrays.toString(inputMean) + " and variance=" + Arrays.toString(inputVariance));
        }
        if (inputMean != null && inputMean.length != inputVariance.length) {
            throw new IllegalArgumentException("Normalization \"" + name() + "\": when setting values directly, `mean` and `variance`"
                    + " must have the same shape. Received: mean shape (" + inputMean.length + ",) and variance shape (" + inputVariance.length + ",)");
        }
    }

    @Override
    public void build(Shape inputShape) {
        checkMeanVariance();
        long[] s = inputShape.dims();
        int ndim = s.length;
        for (int a : axis) {
            if (a < -ndim || a >= ndim) {
                throw new IllegalArgumentException("Normalization \"" + name() + "\": all `axis` values must be in the range [-ndim, ndim)."
                        + " Received inputs with ndim=" + ndim + ", while axis=" + Arrays.toString(axis));
            }
        }
        keepAxes = Arrays.stream(axis).map(a -> a < 0 ? a + ndim : a).sorted().distinct().toArray();
        for (int d : keepAxes) {
            if (s[d] < 0) {
                throw new IllegalArgumentException("Normalization \"" + name() + "\": all `axis` values to be kept must have a known shape."
                        + " Received axis=" + Arrays.toString(axis) + ", inputs.shape=" + Shape.format(s) + ", with unknown axis at index " + d);
            }
        }
        List<Integer> red = new ArrayList<>();
        broadcastShape = new long[ndim];
        meanVarShape = new long[keepAxes.length];
        for (int d = 0, k = 0; d < ndim; d++) {
            boolean keep = k < keepAxes.length && keepAxes[k] == d;
            if (keep) meanVarShape[k++] = s[d];
            else red.add(d);
            broadcastShape[d] = keep ? s[d] : 1;
        }
        reduceAxes = red.stream().mapToInt(Integer::intValue).toArray();
        buildShape = s;
        if (inputMean == null) {
            adaptMean = addWeight("mean", meanVarShape, Initializers.zeros(), null, false, null);
            adaptVariance = addWeight("variance", meanVarShape, Initializers.ones(), null, false, null);
            addWeight("count", new long[0], INT_ZEROS, null, false, null);
        } else {
            long[] expanded = new long[ndim];
            Arrays.fill(expanded, 1);
            if (!meanScalar) {
                if (keepAxes.length == 0) {
                    throw new IllegalArgumentException("Normalization \"" + name() + "\": the rank of `mean` must be less than or equal to the"
                            + " number of axes (0). Received: mean shape (" + inputMean.length + ",) for axis=()");
                }
                expanded[keepAxes[keepAxes.length - 1]] = inputMean.length;
            }
            try {
                constMean = Nd4j.create(inputMean, expanded, DataType.DOUBLE).broadcast(broadcastShape).dup('c');
                constVariance = Nd4j.create(inputVariance, expanded, DataType.DOUBLE).broadcast(broadcastShape).dup('c');
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Normalization \"" + name() + "\": `mean` of shape (" + inputMean.length
                        + ",) does not broadcast to " + Shape.format(broadcastShape) + " for inputs " + Shape.format(s), e);
            }
        }
        built = true;
    }

    /** The int32 zeros of Keras's {@code count} weight (whatever the float type). */
    private static final Initializer INT_ZEROS = new Initializer() {
        @Override
        public INDArray apply(long[] shape, DataType dtype) {
            return Nd4j.zeros(DataType.INT, shape);
        }

        @Override
        public String name() {
            return "zeros";
        }

        @Override
        public Map<String, Object> getConfig() {
            return Map.of();
        }
    };

    /**
     * Computes the mean and variance of values in a dataset (Keras's {@code adapt(data)} on an array): separately for
     * each index of the kept axes, over all the other axes (population variance). Builds the layer on first use.
     *
     * @param data the data, its first axis the batch
     * @throws IllegalStateException if the layer was given {@code mean} and {@code variance}
     * @throws IllegalArgumentException if the data's shape does not match the layer's input shape
     */
    public void adapt(INDArray data) {
        adapt(List.of(data), false);
    }

    /**
     * Computes the mean and variance over an iterable of batches (Keras's {@code adapt} on a dataset or a list of
     * batches), merging the batches' means and variances as Keras does. Each element must be a batch.
     *
     * @param batches the batches, each with the batch as its first axis
     * @throws IllegalStateException if the layer was given {@code mean} and {@code variance}
     * @throws IllegalArgumentException if there are no batches, or their shapes do not match the layer's
     */
    public void adapt(Iterable<INDArray> batches) {
        adapt(batches, true);
    }

    private void adapt(Iterable<INDArray> batches, boolean iterable) {
        Iterator<INDArray> it = batches.iterator();
        if (!it.hasNext()) {
            throw new IllegalArgumentException("Normalization \"" + name() + "\": adapt() received an empty iterable (no batches)."
                    + " Expected at least one batch.");
        }
        INDArray first = it.next();
        if (!built) {
            build(Shape.of(first.shape()));
        }
        if (adaptMean == null) {
            throw new IllegalStateException("Normalization \"" + name() + "\": adapt() cannot be used when `mean` and `variance` were given");
        }
        INDArray totalMean = null, totalVar = null;
        long totalCount = 0;
        INDArray b = first;
        while (true) {
            long[] s = b.shape();
            for (int d : keepAxes) {
                if (d >= s.length || s[d] != buildShape[d]) {
                    throw new IllegalArgumentException("Normalization \"" + name() + "\": the layer was built with input_shape="
                            + Shape.format(buildShape) + ", but adapt() is being called with data with an incompatible shape, data.shape="
                            + Shape.format(s));
                }
            }
            INDArray x = b.castTo(DataType.DOUBLE);
            INDArray mean = reduceAxes.length == 0 ? x.dup() : x.mean(reduceAxes);
            INDArray sq = x.sub(mean.reshape(broadcastShape));
            sq.muli(sq);
            INDArray var = reduceAxes.length == 0 ? sq : sq.mean(reduceAxes);
            mean = mean.reshape(meanVarShape);
            var = var.reshape(meanVarShape);
            long count = 1;
            for (int d : reduceAxes) count *= s[d];
            if (!iterable) {
                totalMean = mean;
                totalVar = var;
                break;
            }
            if (totalMean == null) {
                totalMean = Nd4j.zeros(DataType.DOUBLE, meanVarShape);
                totalVar = Nd4j.zeros(DataType.DOUBLE, meanVarShape);
            }
            totalCount += count;
            double bw = (double) count / totalCount, ew = 1 - bw;
            INDArray newMean = totalMean.mul(ew).addi(mean.mul(bw));
            INDArray d1 = totalMean.sub(newMean);
            INDArray d2 = mean.sub(newMean);
            totalVar = totalVar.add(d1.muli(d1)).muli(ew).addi(var.add(d2.muli(d2)).muli(bw));
            totalMean = newMean;
            if (!it.hasNext()) break;
            b = it.next();
        }
        adaptMean.assign(totalMean.castTo(adaptMean.value().dataType()));
        adaptVariance.assign(totalVar.castTo(adaptVariance.value().dataType()));
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        INDArray v = x.value();
        DataType t = v.dataType().isFPType() ? v.dataType() : org.cornu.core.Cornu.floatType();
        if (!v.dataType().isFPType()) x = Ops.cast(x, t);
        INDArray mean = adaptMean != null ? adaptMean.value().reshape(broadcastShape) : constMean;
        INDArray var = adaptMean != null ? adaptVariance.value().reshape(broadcastShape) : constVariance;
        INDArray scale = Transforms.max(Transforms.sqrt(var.castTo(t), true), EPSILON);
        Tensor m = Tensor.constant(mean.castTo(t));
        if (invert) return Ops.add(Ops.mul(x, Tensor.constant(scale)), m);
        return Ops.div(Ops.sub(x, m), Tensor.constant(scale));
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
        c.put("axis", Arrays.stream(axis).boxed().toList());
        c.put("invert", invert);
        c.put("mean", values(inputMean, meanScalar));
        c.put("variance", values(inputVariance, meanScalar));
        return c;
    }

    private static Object values(double[] v, boolean scalar) {
        if (v == null) return null;
        if (scalar) return v[0];
        return Arrays.stream(v).boxed().toList();
    }

    /**
     * Re-creates the layer from Keras's config ({@code axis} a number, a list or null; {@code mean} a number or a list).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Normalization fromConfig(Map<String, Object> c) {
        Normalization n = new Normalization();
        Object a = c.get("axis");
        if (c.containsKey("axis")) {
            double[] ax = ImageAugmentation.doubles(a);
            n.axis(ax == null ? new int[0] : Arrays.stream(ax).mapToInt(d -> (int) d).toArray());
        }
        Object m = c.get("mean");
        Object v = c.get("variance");
        if (m != null) {
            n.mean(flat(m, "mean", c));
            n.meanScalar = m instanceof Number;
        }
        if (v != null) n.variance(flat(v, "variance", c));
        n.invert(Boolean.TRUE.equals(c.get("invert")));
        return n;
    }

    private static double[] flat(Object o, String key, Map<String, Object> c) {
        if (o instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof List) {
            throw new IllegalArgumentException("Normalization \"" + c.get("name") + "\": only a scalar or 1-D `" + key
                    + "` is supported. Received: " + key + "=" + o);
        }
        return ImageAugmentation.doubles(o);
    }
}
