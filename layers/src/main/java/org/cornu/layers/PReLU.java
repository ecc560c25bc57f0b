package org.cornu.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * Parametric Rectified Linear Unit activation layer, {@code keras.layers.PReLU}:
 *
 * <pre>
 * f(x) = alpha * x  for x &lt; 0
 * f(x) = x          for x &gt;= 0
 * </pre>
 *
 * where {@code alpha} is a learned array with the same shape as x (without the batch axis),
 * initialized by {@code alpha_initializer} (zeros). {@code shared_axes} are the axes along
 * which to share learnable parameters for the activation function: for feature maps
 * {@code (batch, height, width, channels)} that should share parameters across space,
 * {@code sharedAxes(1, 2)} gives one {@code alpha} per channel. The weight is named
 * {@code alpha}. Masks pass through.
 */
public class PReLU extends Layer {
    private final WeightOptions alphaOptions = new WeightOptions("alpha", "zeros");
    private int[] sharedAxes;
    private Weight alpha;

    /**
     * A PReLU with Keras's defaults: alpha initialized to zeros, no regularizer, constraint or shared axes.
     */
    public PReLU() {}

    @Override
    @SuppressWarnings("unchecked")
    public PReLU name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public PReLU inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the initializer of {@code alpha} (Keras's {@code alpha_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer, by name or object
     * @return this layer
     */
    public PReLU alphaInitializer(Object i) {
        alphaOptions.initializer(i);
        return this;
    }

    /**
     * Sets a regularizer on {@code alpha} (Keras's {@code alpha_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public PReLU alphaRegularizer(Object r) {
        alphaOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a constraint applied to {@code alpha} after each update (Keras's {@code alpha_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public PReLU alphaConstraint(Object c) {
        alphaOptions.constraint(c);
        return this;
    }

    /**
     * Sets the axes along which {@code alpha} is shared, 1-based with the batch axis 0 (Keras's {@code shared_axes}, default None).
     *
     * @param axes the shared axes
     * @return this layer
     */
    public PReLU sharedAxes(int... axes) {
        this.sharedAxes = axes == null || axes.length == 0 ? null : axes.clone();
        return this;
    }

    /**
     * The axes along which {@code alpha} is shared.
     *
     * @return a copy of Keras's {@code shared_axes}, or null for none
     */
    public int[] sharedAxes() {
        return sharedAxes == null ? null : sharedAxes.clone();
    }

    /**
     * The learned slopes, or null before the layer is built.
     *
     * @return the {@code alpha} weight
     */
    public Weight alpha() {
        return alpha;
    }

    @Override
    public void build(Shape inputShape) {
        long[] s = inputShape.dims();
        long[] param = java.util.Arrays.copyOfRange(s, 1, s.length);
        boolean[] shared = new boolean[param.length];
        if (sharedAxes != null) {
            for (int a : sharedAxes) {
                int i = a - 1 < 0 ? a - 1 + param.length : a - 1;
                if (i < 0 || i >= param.length) {
                    throw new IllegalArgumentException("Layer \"" + name() + "\": shared_axes " + java.util.Arrays.toString(sharedAxes)
                            + " out of range for input shape " + inputShape);
                }
                param[i] = 1;
                shared[i] = true;
            }
        }
        for (int i = 0; i < param.length; i++) {
            if (param[i] < 0) {
                throw new IllegalArgumentException("Layer \"" + name() + "\": axis " + (i + 1) + " of the input must be known"
                        + " (or shared through shared_axes); received input shape " + inputShape);
            }
        }
        alpha = alphaOptions.add(this::addWeight, "alpha", param);
        inputNdim = s.length;
        for (int i = 0; i < param.length; i++) if (!shared[i]) inputAxes.put(i + 1, s[i + 1]);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor pos = Ops.relu(x);
        Tensor neg = Ops.mul(alpha.tensor(), Ops.relu(Ops.neg(x)));
        return Masks.passThrough(x, Ops.sub(pos, neg));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        WeightOptions.putConfig(c, alphaOptions);
        List<Object> axes = null;
        if (sharedAxes != null) {
            axes = new ArrayList<>();
            for (int a : sharedAxes) axes.add(a);
        }
        c.put("shared_axes", axes);
        return c;
    }

    /**
     * Re-creates a PReLU layer from Keras's config ({@code shared_axes} an int, a list, or null).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static PReLU fromConfig(Map<String, Object> c) {
        PReLU p = new PReLU();
        WeightOptions.readConfig(c, p.alphaOptions);
        Object a = c.get("shared_axes");
        if (a instanceof Number n) {
            p.sharedAxes(n.intValue());
        } else if (a instanceof List<?> l) {
            int[] axes = new int[l.size()];
            for (int i = 0; i < axes.length; i++) axes[i] = ((Number) l.get(i)).intValue();
            p.sharedAxes(axes);
        }
        return p;
    }
}
