package org.cornu.core.ops;

import java.nio.FloatBuffer;
import org.cornu.core.FastPaths;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.kernels.AttentionKernels;
import org.cornu.core.kernels.Elementwise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scaled dot-product attention over heads: {@code softmax(scale * Q K^T, masked) V}, per batch
 * entry and head, with dropout on the probabilities. Float32 arrays on the CPU run one fused
 * kernel forward and one backward ({@link AttentionKernels}, {@link FastPaths#FUSED_ATTENTION});
 * other arrays (float64, other backends, the switch off, or when the probabilities themselves are
 * wanted) are composed from differentiable ops, the float64 form being the reference the tests
 * hold the kernel to.
 */
public final class AttentionOps {
    private AttentionOps() {}

    /**
     * The attention's output and, when asked for, its probabilities.
     *
     * @param output the weighted values, shape {@code (B, T, N, Hv)}
     * @param probabilities the attention probabilities {@code (B, N, T, S)} (before dropout), or null
     */
    public record Result(Tensor output, Tensor probabilities) {}

    /**
     * Multi-head scaled dot-product attention. For batch entry {@code b} and head {@code n}:
     * {@code scores = scale * q[b, :, n, :] @ k[b, :, n, :]^T}, masked positions set to
     * {@code -1e9}, softmax over the key axis, masked probabilities set to 0 (a row with no
     * attended position is all zeros), dropout of rate {@code dropout} on the probabilities,
     * then {@code @ v[b, :, n, :]}.
     *
     * @param q the queries, shape {@code (B, T, N, H)}
     * @param k the keys, shape {@code (B, S, N, H)}
     * @param v the values, shape {@code (B, S, N, Hv)}
     * @param mask 1 where a query position may attend to a key position, 0 where not; rank 4,
     *     broadcastable to {@code (B, N, T, S)}; or null for none
     * @param scale the factor on the scores (usually {@code 1 / sqrt(H)})
     * @param dropout the dropout rate on the probabilities (0 for none)
     * @param rng the random generator for dropout (unused when {@code dropout} is 0)
     * @param wantProbabilities whether to return the probabilities as a differentiable tensor
     * @return the output {@code (B, T, N, Hv)}, and the probabilities if asked for
     */
    public static Result attention(Tensor q, Tensor k, Tensor v, INDArray mask, double scale, double dropout, Random rng,
            boolean wantProbabilities) {
        long[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 4 || ks[0] != qs[0] || vs[0] != qs[0] || ks[2] != qs[2]
                || vs[2] != qs[2] || ks[3] != qs[3] || vs[1] != ks[1]) {
            throw new IllegalArgumentException("attention expects q (B, T, N, H), k (B, S, N, H) and v (B, S, N, Hv); got "
                    + Shape.format(qs) + ", " + Shape.format(ks) + " and " + Shape.format(vs));
        }
        long[] full = {qs[0], qs[2], qs[1], ks[1]};
        if (mask != null) checkMask(mask, full);
        if (!wantProbabilities && fused(q, k, v, full)) {
            FastPaths.FUSED_ATTENTION.countRun();
            return new Result(fusedAttention(q, k, v, mask, full, scale, dropout, rng), null);
        }
        return composed(q, k, v, mask, full, scale, dropout, rng);
    }

    private static void checkMask(INDArray mask, long[] full) {
        boolean ok = mask.rank() == 4;
        for (int i = 0; ok && i < 4; i++) ok = mask.size(i) == 1 || mask.size(i) == full[i];
        if (!ok) {
            throw new IllegalArgumentException("attention: the mask of shape " + Shape.format(mask.shape())
                    + " does not broadcast to the scores' shape " + Shape.format(full));
        }
    }

    private static boolean fused(Tensor q, Tensor k, Tensor v, long[] full) {
        if (!FastPaths.FUSED_ATTENTION.enabled() || !AttentionKernels.available()) return false;
        for (Tensor t : new Tensor[] {q, k, v}) {
            if (t.value().dataType() != DataType.FLOAT || !Elementwise.fusable(t.value()) || t.value().length() > Integer.MAX_VALUE / 2) {
                return false;
            }
        }
        return full[0] * full[1] * full[2] * full[3] < Integer.MAX_VALUE / 2;
    }

    /** The dropout factors (0 or {@code 1 / (1 - rate)}) of shape {@code full}, drawn as {@link Ops#dropout} draws them. */
    private static INDArray keepFactors(DataType dt, long[] full, double rate, Random rng) {
        INDArray keep = Nd4j.createUninitialized(dt, full[0] * full[1], full[2], full[3]);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(keep, 1.0 - rate), rng);
        return keep.muli(1.0 / (1.0 - rate));
    }

    private static Result composed(Tensor q, Tensor k, Tensor v, INDArray mask, long[] full, double scale, double dropout,
            Random rng) {
        long b = full[0], n = full[1], t = full[2], s = full[3], h = q.shape()[3], hv = v.shape()[3];
        DataType dt = q.value().dataType();
        Tensor qt = Ops.mulScalar(Ops.reshape(Ops.transpose(q, 0, 2, 1, 3), b * n, t, h), scale);
        Tensor kt = Ops.reshape(Ops.transpose(k, 0, 2, 1, 3), b * n, s, h);
        Tensor vt = Ops.reshape(Ops.transpose(v, 0, 2, 1, 3), b * n, s, hv);
        Tensor scores = Ops.batchMatmul(qt, Ops.transpose(kt, 0, 2, 1)); // (B*N, T, S)
        INDArray m = null;
        if (mask != null) {
            m = mask.castTo(dt).neq(0).castTo(dt).broadcast(full).dup('c').reshape(b * n, t, s);
            scores = Ops.add(Ops.mul(scores, Tensor.constant(m)), Tensor.constant(m.rsub(1.0).muli(-1e9)));
        }
        Tensor probs = Ops.softmax(scores, -1);
        if (m != null) probs = Ops.mul(probs, Tensor.constant(m));
        Tensor dropped = probs;
        if (dropout > 0) {
            INDArray keep = keepFactors(dt, full, dropout, rng);
            dropped = Ops.mul(probs, Tensor.constant(keep));
        }
        Tensor ctx = Ops.batchMatmul(dropped, vt); // (B*N, T, Hv)
        Tensor out = Ops.transpose(Ops.reshape(ctx, b, n, t, hv), 0, 2, 1, 3);
        return new Result(out, Ops.reshape(probs, full));
    }

    private static INDArray dense(INDArray a) {
        return Elementwise.fusable(a) ? a : a.dup('c');
    }

    private static Tensor fusedAttention(Tensor q, Tensor k, Tensor v, INDArray mask, long[] full, double scale, double dropout,
            Random rng) {
        INDArray qv = q.value(), kv = k.value(), vv = v.value();
        AttentionKernels.Geo geo = new AttentionKernels.Geo((int) full[0], (int) full[2], (int) full[3], (int) full[1],
                (int) qv.size(3), (int) vv.size(3));
        AttentionKernels.Mask m = null;
        if (mask != null) {
            INDArray mc = mask.castTo(DataType.FLOAT).dup('c');
            float[] values = Elementwise.toFloats(mc, null);
            long[] st = mc.stride();
            int[] strides = new int[4];
            for (int i = 0; i < 4; i++) strides[i] = mc.size(i) == 1 ? 0 : (int) st[i];
            m = new AttentionKernels.Mask(values, strides[0], strides[1], strides[2], strides[3]);
        }
        INDArray keep = dropout > 0 ? keepFactors(DataType.FLOAT, full, dropout, rng) : null;
        FloatBuffer keepBuf = keep == null ? null : Elementwise.floats(keep);
        INDArray probs = Nd4j.createUninitialized(DataType.FLOAT, full);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, qv.size(0), qv.size(1), qv.size(2), vv.size(3));
        float sc = (float) scale;
        AttentionKernels.forward(geo, Elementwise.floats(qv), Elementwise.floats(kv), Elementwise.floats(vv), m, sc, keepBuf,
                Elementwise.floats(probs), Elementwise.floats(out));
        Tensor o = new Tensor(out, Tape.needsGrad(q, k, v));
        return Tape.push(o, g -> {
            INDArray gc = dense(g);
            if (gc.dataType() != DataType.FLOAT) gc = gc.castTo(DataType.FLOAT).dup('c');
            INDArray dq = q.requiresGrad() ? Nd4j.createUninitialized(DataType.FLOAT, qv.shape()) : null;
            INDArray dk = k.requiresGrad() ? Nd4j.createUninitialized(DataType.FLOAT, kv.shape()) : null;
            INDArray dv = v.requiresGrad() ? Nd4j.createUninitialized(DataType.FLOAT, vv.shape()) : null;
            AttentionKernels.backward(geo, Elementwise.floats(qv), Elementwise.floats(kv), Elementwise.floats(vv), sc, keepBuf,
                    Elementwise.floats(probs), Elementwise.floats(gc), dq == null ? null : Elementwise.floats(dq),
                    dk == null ? null : Elementwise.floats(dk), dv == null ? null : Elementwise.floats(dv));
            if (dq != null) q.accumulate(dq);
            if (dk != null) k.accumulate(dk);
            if (dv != null) v.accumulate(dv);
        });
    }
}
