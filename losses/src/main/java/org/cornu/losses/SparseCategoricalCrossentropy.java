package org.cornu.losses;

import java.util.Map;
import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Categorical crossentropy with integer targets, as
 * {@code keras.losses.SparseCategoricalCrossentropy}. Labels may have any numeric type and
 * the prediction's shape without its last axis (or with a last axis of 1); a label outside
 * {@code [0, classes)} is an {@link IllegalArgumentException} naming the value and the range.
 * Softmax outputs are computed from their logits as in {@link CategoricalCrossentropy}.
 */
public class SparseCategoricalCrossentropy extends Loss {
    private boolean fromLogits;

    /**
     * A SparseCategoricalCrossentropy loss with Keras's defaults: {@code fromLogits} false,
     * reduction {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[] {1, 2});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}});
     * double loss = new SparseCategoricalCrossentropy().value(yTrue, yPred); // about 1.177
     * }</pre>
     */
    public SparseCategoricalCrossentropy() {
        super("sparse_categorical_crossentropy");
    }

    /**
     * Whether predictions are logits (default false).
     *
     * @param b true when predictions are logits rather than probabilities (Keras's {@code from_logits})
     * @return this loss
     */
    public SparseCategoricalCrossentropy fromLogits(boolean b) {
        this.fromLogits = b;
        return this;
    }

    /**
     * Whether predictions are taken as logits (Keras's {@code from_logits}).
     *
     * @return true for logits
     */
    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        INDArray y = LossUtils.oneHot(name(), yTrue, yPred.shape(), yPred.value().dataType());
        if (fromLogits) return Ops.softmaxCrossEntropy(yPred, y);
        if ("softmax".equals(yPred.logitsKind())) return Ops.softmaxCrossEntropy(yPred.logits(), y);
        return Ops.probCrossEntropy(yPred, y, -1, LossUtils.EPSILON);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        c.put("ignore_class", null);
        return c;
    }
}
