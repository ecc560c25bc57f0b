package org.cornu.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of the elementwise merge layers ({@link Multiply}, {@link Subtract}, {@link Average},
 * {@link Maximum}, {@link Minimum}), Keras's {@code Merge}: takes a list of tensors and returns
 * one tensor of the broadcast shape. Inputs of lower rank are expanded at axis 1 until the ranks
 * agree, as Keras does. When every input carries a mask, the output carries their logical OR.
 */
public abstract class Merge extends Layer {
    /**
     * A merge layer.
     */
    protected Merge() {}

    /**
     * The merge of inputs of equal rank.
     *
     * @param inputs the inputs, already expanded to one rank
     * @return the merged tensor
     */
    protected abstract Tensor merge(List<Tensor> inputs);

    /**
     * Keras's lower bound on the number of inputs.
     *
     * @return 2 for Subtract and Dot, 1 for the others
     */
    protected int minInputs() {
        return 1;
    }

    /**
     * The exact number of inputs required.
     *
     * @return that number, or -1 for any number
     */
    protected int exactInputs() {
        return -1;
    }

    private void checkCount(int n) {
        String cls = getClass().getSimpleName();
        if (exactInputs() > 0 && n != exactInputs()) {
            throw new IllegalArgumentException("A `" + cls + "` layer should be called on exactly " + exactInputs()
                    + " inputs. Received: " + n + " inputs (layer \"" + name() + "\")");
        }
        if (n < minInputs()) {
            throw new IllegalArgumentException("A merge layer should be called on a list of at least " + minInputs()
                    + " input. Received " + n + " inputs (layer \"" + name() + "\")");
        }
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        checkCount(inputs.size());
        int max = 0;
        for (Tensor t : inputs) max = Math.max(max, t.rank());
        List<Tensor> xs = new ArrayList<>();
        for (Tensor t : inputs) {
            Tensor x = t;
            while (x.rank() < max) x = Ops.expandDims(x, 1);
            if (x != t && t.mask() != null) x.withMask(t.mask());
            xs.add(x);
        }
        Tensor out = merge(xs);
        INDArray m = Masks.or(inputs);
        if (m != null && out.mask() == null) {
            if (inputs.contains(out)) out = Ops.mulScalar(out, 1.0);
            out.withMask(m);
        }
        return List.of(out);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        checkCount(in.size());
        int max = 0;
        for (Shape s : in) max = Math.max(max, s.rank());
        long[] out = null;
        for (Shape s : in) {
            long[] d = new long[max];
            long[] sd = s.dims();
            // expanded at axis 1 to the common rank
            d[0] = sd[0];
            for (int i = 1; i < max; i++) d[i] = i < max - sd.length + 1 ? 1 : sd[i - (max - sd.length)];
            if (out == null) {
                out = d;
                continue;
            }
            for (int i = 1; i < max; i++) {
                long a = out[i], b = d[i];
                if (a < 0 || b < 0) out[i] = a == 1 ? b : b == 1 ? a : -1;
                else if (a == 1) out[i] = b;
                else if (b != 1 && a != b) {
                    throw new IllegalArgumentException("Layer \"" + name() + "\": inputs have incompatible shapes. Received shapes " + in);
                }
            }
        }
        out[0] = Shape.NONE;
        return List.of(Shape.of(out));
    }

    // ------------------------------------------------------------------ Keras's masked merges

    /** {@code (batch, steps)} mask as a constant broadcastable to {@code x}: {@code (batch, steps, 1, ...)}. */
    static INDArray expanded(Tensor x) {
        INDArray m = x.mask();
        if (m == null) return null;
        long[] s = new long[x.rank()];
        java.util.Arrays.fill(s, 1);
        System.arraycopy(m.shape(), 0, s, 0, m.rank());
        return m.castTo(x.value().dataType()).reshape(s).broadcast(x.shape()).dup('c');
    }

    /** {@code where(m, a, b)} for a 0/1 constant {@code m}. */
    static Tensor where(INDArray m, Tensor a, Tensor b) {
        return Ops.add(Ops.mul(a, Tensor.constant(m)), Ops.mul(b, Tensor.constant(m.rsub(1.0))));
    }

    /** Keras's {@code _apply_merge_op_and_or_mask}: masked positions of one input take the other's values. */
    static Tensor mergeMasked(List<Tensor> inputs, java.util.function.BinaryOperator<Tensor> op) {
        Tensor output = null;
        INDArray outputMask = null;
        for (Tensor t : inputs) {
            INDArray mask = expanded(t);
            Tensor x = t;
            if (output == null) {
                output = x;
                outputMask = mask;
                continue;
            }
            if (mask != null) x = where(mask, x, output);
            if (outputMask != null) output = where(outputMask, output, x);
            outputMask = mask != null && outputMask != null ? org.nd4j.linalg.ops.transforms.Transforms.max(outputMask, mask, true) : null;
            output = op.apply(output, x);
        }
        return output;
    }

    static boolean anyMask(List<Tensor> inputs) {
        for (Tensor t : inputs) if (t.mask() != null) return true;
        return false;
    }

    /** Merge layers carry no config of their own. */
    static <T extends Merge> T configure(T l, Map<String, Object> c) {
        return l;
    }
}
