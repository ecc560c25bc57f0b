package org.cornu.testing;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Loss;
import org.cornu.core.Optimizer;
import org.cornu.core.Weight;

/** Minimal optimizer and loss for engine tests, independent of the optimizers and losses modules. */
public final class Fixtures {
    private Fixtures() {}

    /** Plain gradient descent: {@code w -= lr * g}. */
    public static final class PlainSgd extends Optimizer {
        public PlainSgd(double lr) {
            super("plain_sgd", lr);
        }

        @Override
        protected void update(Weight w, INDArray g, INDArray v, double lr) {
            v.subi(g.mul(lr));
        }
    }

    /** Mean squared error over the last axis. */
    public static final class Mse extends Loss {
        public Mse() {
            super("mean_squared_error");
        }

        @Override
        public Tensor call(INDArray y, Tensor p) {
            INDArray yt = y.castTo(p.value().dataType()).reshape(p.shape());
            return Ops.mean(Ops.square(Ops.sub(p, Tensor.constant(yt))), -1, false);
        }
    }
}
