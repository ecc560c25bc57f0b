package org.cornu.core.ops;

import org.cornu.core.FastPaths;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.kernels.Dnnl;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.kernels.NormKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization of a {@code (n, c)} matrix over its rows (a channels_last tensor viewed
 * as rows of channels). Float32 arrays on the CPU run oneDNN's batch normalization ({@link Dnnl},
 * where it loads) or else one fused JVM kernel forward and one backward ({@link NormKernels});
 * other arrays (float64, other backends, or with
 * {@link FastPaths#FUSED_BATCH_NORM} off) are composed from differentiable ops, the float64 form
 * being the reference the tests hold the kernel to.
 */
public final class NormOps {
    private NormOps() {}

    /**
     * Training-mode output and the batch statistics that produced it.
     *
     * @param y the normalized output, shape {@code (n, c)}
     * @param mean the per-channel means, shape {@code (c,)} (no gradient)
     * @param variance the per-channel biased variances, shape {@code (c,)} (no gradient)
     */
    public record BatchNorm(Tensor y, INDArray mean, INDArray variance) {}

    /**
     * Batch normalization with the batch's own statistics (Keras's training mode):
     * {@code y = (x - mean) / sqrt(var + epsilon) * gamma + beta}, the variance biased (divided
     * by {@code n}), gradients flowing through the statistics.
     *
     * @param x the input, shape {@code (n, c)}
     * @param gamma the scale, shape {@code (c,)}, or null
     * @param beta the offset, shape {@code (c,)}, or null
     * @param epsilon added to the variance
     * @return the output and the batch statistics
     */
    public static BatchNorm batchNormTraining(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
        INDArray xv = x.value();
        long c = xv.size(1);
        Dnnl.Norm plan = dnnl(xv, gamma, beta, epsilon, false);
        if (plan != null) return dnnlTraining(plan, x, gamma, beta);
        if (fused(xv, gamma, beta)) {
            FastPaths.FUSED_BATCH_NORM.countRun();
            return fusedTraining(x, gamma, beta, epsilon);
        }
        Tensor mean = Ops.mean(x, 0, true);
        Tensor xc = Ops.sub(x, mean);
        Tensor var = Ops.mean(Ops.square(xc), 0, true);
        Tensor y = Ops.div(xc, Ops.sqrt(Ops.addScalar(var, epsilon)));
        if (gamma != null) y = Ops.mul(y, Ops.reshape(gamma, 1, c));
        if (beta != null) y = Ops.add(y, Ops.reshape(beta, 1, c));
        return new BatchNorm(y, mean.value().reshape(c), var.value().reshape(c));
    }

    /** oneDNN's plan for float32 dense operands on the CPU (and the fused kernel's switch on), else null. */
    private static Dnnl.Norm dnnl(INDArray x, Tensor gamma, Tensor beta, double epsilon, boolean givenStats) {
        if (!FastPaths.FUSED_BATCH_NORM.enabled() || x.size(0) == 0 || x.size(1) == 0
                || !Dnnl.applies(x, gamma == null ? null : gamma.value(), beta == null ? null : beta.value())) {
            return null;
        }
        return Dnnl.batchNorm(x.size(0), x.size(1), (float) epsilon, gamma != null, beta != null, givenStats);
    }

    private static BatchNorm dnnlTraining(Dnnl.Norm plan, Tensor x, Tensor gamma, Tensor beta) {
        FastPaths.DNNL.countRun();
        INDArray xv = x.value();
        long c = xv.size(1);
        INDArray g = gamma == null ? null : gamma.value(), b = beta == null ? null : beta.value();
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, xv.shape());
        // the statistics outlive the step (the layer's moving averages read them): not in a workspace
        INDArray mean = Nd4j.createUninitializedDetached(DataType.FLOAT, c), var = Nd4j.createUninitializedDetached(DataType.FLOAT, c);
        plan.forward(xv, g, b, y, mean, var);
        return new BatchNorm(dnnlBackward(plan, x, gamma, beta, y, mean, var), mean, var);
    }

    private static Tensor dnnlInference(Dnnl.Norm plan, Tensor x, INDArray mean, INDArray variance, Tensor gamma, Tensor beta) {
        FastPaths.DNNL.countRun();
        INDArray xv = x.value();
        long c = xv.size(1);
        INDArray m = Dnnl.operand(mean.reshape(c)), v = Dnnl.operand(variance.reshape(c));
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, xv.shape());
        plan.forward(xv, gamma == null ? null : gamma.value(), beta == null ? null : beta.value(), y, m, v);
        return dnnlBackward(plan, x, gamma, beta, y, m, v);
    }

    /** The output tensor with oneDNN's backward (batch or layer): gradients to x, gamma and beta, none to the statistics. */
    private static Tensor dnnlBackward(Dnnl.Norm plan, Tensor x, Tensor gamma, Tensor beta, INDArray y, INDArray m, INDArray v) {
        INDArray xv = x.value();
        long c = xv.size(1);
        return Tape.push(new Tensor(y, Tape.needsGrad(x, gamma, beta)), g -> {
            INDArray gc = Dnnl.operand(g);
            INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, xv.shape());
            INDArray dg = gamma == null ? null : Nd4j.createUninitialized(DataType.FLOAT, c);
            INDArray db = beta == null ? null : Nd4j.createUninitialized(DataType.FLOAT, c);
            plan.backward(xv, gc, m, v, gamma == null ? null : gamma.value(), beta == null ? null : beta.value(), gx, dg, db);
            if (x.requiresGrad()) x.accumulate(gx);
            if (gamma != null && gamma.requiresGrad()) gamma.accumulate(dg);
            if (beta != null && beta.requiresGrad()) beta.accumulate(db);
        });
    }

    private static boolean fused(INDArray x, Tensor gamma, Tensor beta) {
        return FastPaths.FUSED_BATCH_NORM.enabled() && Elementwise.fusable(x) && x.dataType() == DataType.FLOAT && Elementwise.fusable(x)
                && (gamma == null || Elementwise.fusable(gamma.value()) && gamma.value().dataType() == DataType.FLOAT)
                && (beta == null || Elementwise.fusable(beta.value()) && beta.value().dataType() == DataType.FLOAT);
    }

    private static float[] read(INDArray a) {
        float[] r = new float[(int) a.length()];
        Elementwise.floats(a).get(0, r, 0, r.length);
        return r;
    }

    /** Hands the kernel's gradients to the tensors that take them. */
    private static void accumulate(Tensor x, Tensor gamma, Tensor beta, float[] dx, double[] dg, double[] db, int n, int c) {
        if (dx != null) {
            INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, n, c);
            Elementwise.floats(gx).put(0, dx, 0, dx.length);
            x.accumulate(gx);
        }
        if (gamma != null && gamma.requiresGrad()) gamma.accumulate(Nd4j.createFromArray(dg).castTo(DataType.FLOAT));
        if (beta != null && beta.requiresGrad()) beta.accumulate(Nd4j.createFromArray(db).castTo(DataType.FLOAT));
    }

    /** The output gradient's values (a dense C-order copy where it is not one). */
    private static float[] gradient(INDArray g) {
        return read(g.ordering() == 'c' && Elementwise.fusable(g) ? g : g.dup('c'));
    }

    private static BatchNorm fusedTraining(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
        INDArray xv = x.value();
        int n = (int) xv.size(0), c = (int) xv.size(1);
        float[] xa = read(xv), ya = new float[xa.length];
        float[] ga = gamma == null ? null : read(gamma.value()), ba = beta == null ? null : read(beta.value());
        double[] mean = new double[c], var = new double[c];
        NormKernels.forwardTraining(xa, n, c, ga, ba, epsilon, ya, mean, var);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        Elementwise.floats(y).put(0, ya, 0, ya.length);
        boolean rg = Tape.needsGrad(x, gamma, beta);
        Tensor out = Tape.push(new Tensor(y, rg), g -> {
            float[] gr = gradient(g);
            float[] dx = x.requiresGrad() ? new float[xa.length] : null;
            double[] dg = new double[c], db = new double[c];
            NormKernels.backwardTraining(xa, gr, n, c, mean, var, ga, epsilon, dx, dg, db);
            accumulate(x, gamma, beta, dx, dg, db, n, c);
        });
        return new BatchNorm(out, Nd4j.createFromArray(mean).castTo(DataType.FLOAT),
                Nd4j.createFromArray(var).castTo(DataType.FLOAT));
    }

    /**
     * Batch normalization with given statistics (Keras's inference mode, and training mode of a
     * frozen layer): {@code y = (x - mean) / sqrt(variance + epsilon) * gamma + beta}; gradients
     * flow to {@code x}, {@code gamma} and {@code beta}, not to the statistics.
     *
     * @param x the input, shape {@code (n, c)}
     * @param mean the per-channel means, {@code c} values
     * @param variance the per-channel variances, {@code c} values
     * @param gamma the scale, shape {@code (c,)}, or null
     * @param beta the offset, shape {@code (c,)}, or null
     * @param epsilon added to the variance
     * @return the normalized output, shape {@code (n, c)}
     */
    public static Tensor batchNormInference(Tensor x, INDArray mean, INDArray variance, Tensor gamma, Tensor beta,
            double epsilon) {
        INDArray xv = x.value();
        long c = xv.size(1);
        Dnnl.Norm plan = dnnl(xv, gamma, beta, epsilon, true);
        if (plan != null) return dnnlInference(plan, x, mean, variance, gamma, beta);
        if (fused(xv, gamma, beta)) {
            FastPaths.FUSED_BATCH_NORM.countRun();
            return fusedInference(x, mean, variance, gamma, beta, epsilon);
        }
        Tensor mm = Tensor.constant(mean.castTo(xv.dataType()).reshape(1, c));
        Tensor sd = Tensor.constant(variance.castTo(xv.dataType()).add(epsilon).reshape(1, c));
        Tensor y = Ops.div(Ops.sub(x, mm), Ops.sqrt(sd));
        if (gamma != null) y = Ops.mul(y, Ops.reshape(gamma, 1, c));
        if (beta != null) y = Ops.add(y, Ops.reshape(beta, 1, c));
        return y;
    }

    private static Tensor fusedInference(Tensor x, INDArray mean, INDArray variance, Tensor gamma, Tensor beta,
            double epsilon) {
        INDArray xv = x.value();
        int n = (int) xv.size(0), c = (int) xv.size(1);
        float[] xa = read(xv), ya = new float[xa.length];
        float[] ga = gamma == null ? null : read(gamma.value()), ba = beta == null ? null : read(beta.value());
        double[] m = mean.reshape(c).toDoubleVector(), v = variance.reshape(c).toDoubleVector();
        NormKernels.normalize(xa, n, c, m, v, ga, ba, epsilon, ya);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        Elementwise.floats(y).put(0, ya, 0, ya.length);
        return Tape.push(new Tensor(y, Tape.needsGrad(x, gamma, beta)), g -> {
            float[] gr = gradient(g);
            double[] dg = new double[c], db = new double[c];
            float[] dx = x.requiresGrad() ? new float[xa.length] : null;
            NormKernels.backwardInference(xa, gr, n, c, m, v, ga, epsilon, dx, dg, db);
            accumulate(x, gamma, beta, dx, dg, db, n, c);
        });
    }
    /**
     * Layer normalization of each row of a {@code (n, c)} matrix (a tensor with the normalized
     * axes moved last and flattened): {@code y = (x - mean) / sqrt(var + epsilon) * gamma + beta},
     * the mean and biased variance over each row, gamma and beta per column, gradients flowing
     * through the statistics. Float32 arrays on the CPU run one fused kernel forward and one
     * backward ({@link FastPaths#FUSED_LAYER_NORM}); others are composed from differentiable ops.
     *
     * @param x the input, shape {@code (n, c)}
     * @param gamma the scale, {@code c} values, or null
     * @param beta the offset, {@code c} values, or null
     * @param epsilon added to the variance
     * @return the normalized output, shape {@code (n, c)}
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
        INDArray xv = x.value();
        if (xv.rank() != 2) {
            throw new IllegalArgumentException("layerNorm expects a (rows, columns) input; got shape " + org.cornu.core.Shape.format(xv.shape()));
        }
        long c = xv.size(1);
        if (gamma != null && gamma.value().length() != c || beta != null && beta.value().length() != c) {
            throw new IllegalArgumentException("layerNorm: gamma and beta need " + c + " values for input of shape "
                    + org.cornu.core.Shape.format(xv.shape()));
        }
        if (FastPaths.FUSED_LAYER_NORM.enabled() && fusable32(xv, gamma, beta)) {
            Dnnl.Norm plan = Dnnl.applies(xv) ? Dnnl.layerNorm(xv.size(0), c, (float) epsilon, gamma != null, beta != null) : null;
            if (plan != null) return dnnlLayerNorm(plan, x, gamma, beta);
            FastPaths.FUSED_LAYER_NORM.countRun();
            return fusedLayerNorm(x, gamma, beta, epsilon);
        }
        Tensor mean = Ops.mean(x, 1, true);
        Tensor xc = Ops.sub(x, mean);
        Tensor var = Ops.mean(Ops.square(xc), 1, true);
        Tensor y = Ops.div(xc, Ops.sqrt(Ops.addScalar(var, epsilon)));
        if (gamma != null) y = Ops.mul(y, Ops.reshape(gamma, 1, c));
        if (beta != null) y = Ops.add(y, Ops.reshape(beta, 1, c));
        return y;
    }

    /** Layer normalization through oneDNN's kernels: gradients to x, gamma and beta. */
    private static Tensor dnnlLayerNorm(Dnnl.Norm plan, Tensor x, Tensor gamma, Tensor beta) {
        FastPaths.DNNL.countRun();
        INDArray xv = x.value();
        long n = xv.size(0), c = xv.size(1);
        INDArray g = gamma == null ? null : gamma.value(), b = beta == null ? null : beta.value();
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        INDArray mean = Nd4j.createUninitialized(DataType.FLOAT, n), var = Nd4j.createUninitialized(DataType.FLOAT, n);
        plan.forward(xv, g, b, y, mean, var);
        return dnnlBackward(plan, x, gamma, beta, y, mean, var);
    }

    private static boolean fusable32(INDArray x, Tensor gamma, Tensor beta) {
        return Elementwise.fusable(x) && x.dataType() == DataType.FLOAT && x.length() > 0
                && (gamma == null || Elementwise.fusable(gamma.value()) && gamma.value().dataType() == DataType.FLOAT)
                && (beta == null || Elementwise.fusable(beta.value()) && beta.value().dataType() == DataType.FLOAT);
    }

    /**
     * The kernel works on per-thread scratch copies (a transformer's (6400, 256) activations are
     * 6.5 MB: fresh arrays per call were humongous objects for G1, which collected them in
     * concurrent cycles every few steps); the backward reads the input again from {@code x}.
     */
    private static Tensor fusedLayerNorm(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
        INDArray xv = x.value();
        int n = (int) xv.size(0), c = (int) xv.size(1), len = n * c;
        float[] ga = gamma == null ? null : read(gamma.value()), ba = beta == null ? null : read(beta.value());
        double[] mean = new double[n], invstd = new double[n];
        float[] xa = Elementwise.scratch(0, len), ya = Elementwise.scratch(1, len);
        Elementwise.floats(xv).get(0, xa, 0, len);
        NormKernels.layerForward(xa, n, c, ga, ba, epsilon, ya, mean, invstd);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, c);
        Elementwise.floats(y).put(0, ya, 0, len);
        return Tape.push(new Tensor(y, Tape.needsGrad(x, gamma, beta)), g -> {
            float[] xb = Elementwise.scratch(0, len), gr = Elementwise.scratch(1, len);
            Elementwise.floats(xv).get(0, xb, 0, len);
            INDArray gc = g.ordering() == 'c' && Elementwise.fusable(g) ? g : g.dup('c');
            Elementwise.floats(gc).get(0, gr, 0, len);
            float[] dx = x.requiresGrad() ? Elementwise.scratch(2, len) : null;
            double[] dg = gamma != null && gamma.requiresGrad() ? new double[c] : null;
            double[] db = beta != null && beta.requiresGrad() ? new double[c] : null;
            NormKernels.layerBackward(xb, gr, n, c, mean, invstd, ga, dx, dg, db);
            if (dx != null) {
                INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, n, c);
                Elementwise.floats(gx).put(0, dx, 0, len);
                x.accumulate(gx);
            }
            if (dg != null) gamma.accumulate(Nd4j.createFromArray(dg).castTo(DataType.FLOAT).reshape(gamma.value().shape()));
            if (db != null) beta.accumulate(Nd4j.createFromArray(db).castTo(DataType.FLOAT).reshape(beta.value().shape()));
        });
    }
}
