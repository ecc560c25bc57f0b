package org.cornu.losses;

import java.util.Map;
import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cosine similarity loss, as {@code keras.losses.CosineSimilarity}: the negative cosine
 * similarity {@code -sum(l2_normalize(y) * l2_normalize(p))} over {@code axis} (default -1),
 * so that minimizing it aligns predictions with targets. A zero vector gives 0.
 */
public class CosineSimilarity extends Loss {
    private int axis = -1;

    /**
     * A CosineSimilarity loss with Keras's defaults: {@code axis} -1, reduction
     * {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {1, 1}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{1, 0}, {1, 1}});
     * double loss = new CosineSimilarity().value(yTrue, yPred); // -0.5: cosines 0 and 1, negated and averaged
     * }</pre>
     */
    public CosineSimilarity() {
        super("cosine_similarity");
    }

    /**
     * The axis the similarity is computed over (default -1).
     *
     * @param a the axis (Keras's {@code axis})
     * @return this loss
     */
    public CosineSimilarity axis(int a) {
        this.axis = a;
        return this;
    }

    /**
     * The axis (Keras's {@code axis}).
     *
     * @return the axis, negative from the end
     */
    public int axis() {
        return axis;
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        INDArray y = a.yTrue();
        int ax = axis < 0 ? y.rank() + axis : axis;
        INDArray norm = Transforms.sqrt(y.mul(y).sum(true, ax), false);
        INDArray yn = Ops.div(Tensor.constant(y), Tensor.constant(Transforms.max(norm, LossUtils.EPSILON, false))).value();
        Tensor pn = Ops.l2Normalize(a.yPred(), ax, LossUtils.EPSILON);
        return Ops.neg(Ops.sum(Ops.mul(Tensor.constant(yn), pn), ax, false));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }
}
