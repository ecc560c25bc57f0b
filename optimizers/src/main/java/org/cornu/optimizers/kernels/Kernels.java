package org.cornu.optimizers.kernels;

import java.util.List;
import org.cornu.core.kernels.Workspaces;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseScalarOp;
import org.nd4j.linalg.api.ops.BaseTransformSameOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Max;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The elementwise kernels of the update rules, chosen for low per-call cost. ND4J's legacy
 * transform and pairwise ops cost about 0.5-1 µs a call on this machine, against 4-6 µs for the
 * custom ops behind {@code INDArray.mul(INDArray)} and 6-12 µs for a scalar op built per call
 * (each allocates a native scalar). So products and quotients run as legacy pairwise ops, and
 * scalar ops are built once per call site and weight ({@link ScalarOp}) and re-run with a new
 * scalar value. All kernels write into a given array and allocate nothing.
 */
public final class Kernels {
    private Kernels() {}

    private static OpExecutioner ex() {
        return Nd4j.getExecutioner();
    }

    /**
     * {@code y += a * x}.
     *
     * @param a the scalar
     * @param x the added array
     * @param y the array updated in place
     */
    public static void axpy(double a, INDArray x, INDArray y) {
        ex().exec(new Axpy(x, y, y, a));
    }

    /**
     * {@code z = a * x + y}.
     *
     * @param a the scalar
     * @param x the scaled array
     * @param y the added array
     * @param z the result, may be {@code x} or {@code y}
     */
    public static void axpy(double a, INDArray x, INDArray y, INDArray z) {
        ex().exec(new Axpy(x, y, z, a));
    }

    /**
     * {@code z = x * x}.
     *
     * @param x the input
     * @param z the result, may be {@code x}
     */
    public static void square(INDArray x, INDArray z) {
        ex().exec(new Square(x, z));
    }

    /**
     * {@code z = sqrt(x)}.
     *
     * @param x the input
     * @param z the result, may be {@code x}
     */
    public static void sqrt(INDArray x, INDArray z) {
        ex().exec(new Sqrt(x, z));
    }

    /**
     * {@code z = |x|}.
     *
     * @param x the input
     * @param z the result, may be {@code x}
     */
    public static void abs(INDArray x, INDArray z) {
        ex().exec(new Abs(x, z));
    }

    /**
     * {@code z = max(x, y)} elementwise.
     *
     * @param x the first input
     * @param y the second input, of {@code x}'s shape
     * @param z the result, may be {@code x} or {@code y}
     */
    public static void max(INDArray x, INDArray y, INDArray z) {
        ex().exec(new Max(x, y, z));
    }

    /**
     * {@code z = x * y} elementwise.
     *
     * @param x the first input
     * @param y the second input, of {@code x}'s shape
     * @param z the result, may be {@code x} or {@code y}
     */
    public static void mul(INDArray x, INDArray y, INDArray z) {
        ex().exec(new LegacyPairwise(LegacyPairwise.MULTIPLY, x, y, z));
    }

    /**
     * {@code z = x / y} elementwise.
     *
     * @param x the numerator
     * @param y the denominator, of {@code x}'s shape
     * @param z the result, may be {@code x} or {@code y}
     */
    public static void div(INDArray x, INDArray y, INDArray z) {
        ex().exec(new LegacyPairwise(LegacyPairwise.DIVIDE, x, y, z));
    }

    /**
     * libnd4j's legacy pairwise Multiply and Divide (PAIRWISE_TRANSFORM_OPS 3 and 2 in
     * 1.0.0-M2.1), which ND4J no longer wraps; {@code Axpy} (10), {@code Max} (7) and
     * {@code Min} (8) are the public classes of the same family. The tests check both against
     * plain arithmetic.
     */
    public static final class LegacyPairwise extends BaseTransformSameOp {
        static final int DIVIDE = 2;
        static final int MULTIPLY = 3;
        private final int num;

        LegacyPairwise(int num, INDArray x, INDArray y, INDArray z) {
            super(x, y, z);
            this.num = num;
        }

        @Override
        public int opNum() {
            return num;
        }

        @Override
        public String opName() {
            return num == MULTIPLY ? "legacy_multiply" : "legacy_divide";
        }

        @Override
        public String onnxName() {
            throw new UnsupportedOperationException("no ONNX mapping for " + opName());
        }

        @Override
        public String tensorflowName() {
            throw new UnsupportedOperationException("no TensorFlow mapping for " + opName());
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> f1) {
            throw new UnsupportedOperationException("no gradient for " + opName());
        }
    }

    /** The kind of a {@link ScalarOp}. */
    public enum ScalarKind {
        /** {@code z = x + s}. */
        ADD,
        /** {@code z = x * s}. */
        MUL,
        /** {@code z = x / s}. */
        DIV
    }

    /**
     * A scalar op ({@code z = x + s}, {@code x * s} or {@code x / s}) kept for one call site of
     * one weight: built on first use (or when its arrays change) and afterwards re-run with the
     * new scalar written into its scalar array, which costs no allocation.
     */
    public static final class ScalarOp {
        private BaseScalarOp op;
        private ScalarKind kind;

        /**
         * Computes {@code z = x op s} with this op, rebuilt only when the arrays change.
         *
         * @param k the operation
         * @param x the input
         * @param s the scalar
         * @param z the result, may be {@code x}
         */
        public void exec(ScalarKind k, INDArray x, double s, INDArray z) {
            if (op == null || kind != k || op.x() != x || op.z() != z) {
                kind = k;
                // the op's scalar array is reused across training steps: keep it out of the step's workspace
                try (MemoryWorkspace out = Workspaces.outside()) {
                    op = switch (k) {
                        case ADD -> new ScalarAdd(x, null, z, s);
                        case MUL -> new ScalarMultiplication(x, null, z, s);
                        case DIV -> new ScalarDivision(x, null, z, s);
                    };
                }
            } else {
                op.scalar().putScalar(0, s);
            }
            ex().exec(op);
        }
    }
}
