package org.cornu.core.training;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.kernels.ActivationKernels;
import org.cornu.core.kernels.ActivationKernels.Form;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.kernels.RnnCells;
import org.cornu.core.KerasTensor;
import org.cornu.core.Loss;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Node;
import org.cornu.core.Optimizer;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.kernels.Workspaces;
import static org.cornu.core.kernels.ActivationKernels.HARD_SIGMOID;
import static org.cornu.core.kernels.ActivationKernels.SIGMOID;
import static org.cornu.core.kernels.ActivationKernels.SOFTMAX;

/**
 * The small-batch JVM path of {@code fit} and {@code evaluate}. For tiny tensors each ND4J
 * call (5-20 µs) costs more than its arithmetic, so a chain of {@link FullyConnected} layers
 * at a small batch (the book's Boston model at batch 1: 13-64-64-1) runs its forward pass,
 * loss, backward pass and metrics as plain Java loops over double arrays, reading the weights
 * straight from their native memory. Gradients go to persistent arrays and through the
 * regular {@link Optimizer#apply}, so updates, clipping and constraints are the optimizer's own.
 * Results equal the tape path's (tested in float64). Off with {@link FastPaths#SMALL_MODEL}.
 */
final class SmallPath {
    /** Largest multiply-adds per step (batch x sum of layer sizes) run on the JVM; above, ND4J's gemm wins. */
    static final long MAX_MACS = 300_000;

    private static final int GENERIC = 0, SOFTMAX_CE = 1, SPARSE_SOFTMAX_CE = 2, SIGMOID_BCE = 3;

    private final int layersN;
    private final int[] dims;
    private final int[] act;
    private final Weight[] kernels;
    private final Weight[] biases;
    private final int[] kernelSlot;
    private final int[] biasSlot;
    private final Loss loss;
    private final int lossKind;
    private final List<Metric> metrics;
    private final List<Weight> trainable;
    private final List<INDArray> grads = new ArrayList<>();
    private final boolean isDouble;
    /**
     * Float32 weights and no recurrent head: products run over float copies of the weights (one
     * bulk copy each way per step, as the tape's float gemm reads them), activations and the loss
     * in double as on the double path.
     */
    private boolean f32;
    private float[][] wf, dwf, af;
    private float[] accF, rowF, gzF, nzVal;
    private int[] nzIdx;
    private final double[][] w;
    private final double[][] b;
    private final double[][] dw;
    private final double[][] db;
    private double[][] a;
    private double[][] g;
    private double[] logits;
    private double[] yBatch;
    private double[] swBatch;
    private int capacity;

    /** Arrays of one data set as Java row-major copies. */
    public record Data(double[] x, double[] y, double[] sw, int n, int xDim, int yDim) {}

    private SmallPath(List<FullyConnected> fcs, int[] dims, int[] act, Loss loss, int lossKind, List<Metric> metrics,
                      List<Weight> trainable) {
        this.layersN = fcs.size();
        this.dims = dims;
        this.act = act;
        this.loss = loss;
        this.lossKind = lossKind;
        this.metrics = metrics;
        this.trainable = trainable;
        this.kernels = new Weight[layersN];
        this.biases = new Weight[layersN];
        this.kernelSlot = new int[layersN];
        this.biasSlot = new int[layersN];
        this.w = new double[layersN][];
        this.b = new double[layersN][];
        this.dw = new double[layersN][];
        this.db = new double[layersN][];
        this.isDouble = fcs.get(0).kernel().value().dataType() == DataType.DOUBLE;
        try (MemoryWorkspace out = Workspaces.outside()) {
            for (Weight t : trainable) grads.add(Nd4j.zeros(t.value().dataType(), t.value().shape()));
        }
        for (int l = 0; l < layersN; l++) {
            kernels[l] = fcs.get(l).kernel();
            biases[l] = fcs.get(l).bias();
            kernelSlot[l] = indexOf(trainable, kernels[l]);
            biasSlot[l] = biases[l] == null ? -1 : indexOf(trainable, biases[l]);
            w[l] = new double[dims[l] * dims[l + 1]];
            b[l] = new double[dims[l + 1]];
            dw[l] = new double[w[l].length];
            db[l] = new double[dims[l + 1]];
        }
        this.f32 = !isDouble;
        if (f32) {
            wf = new float[layersN][];
            dwf = new float[layersN][];
            int widest = 0;
            for (int l = 0; l < layersN; l++) {
                wf[l] = new float[w[l].length];
                dwf[l] = new float[w[l].length];
            }
            for (int d : dims) widest = Math.max(widest, d);
            accF = new float[widest];
            rowF = new float[widest];
            nzVal = new float[widest];
            nzIdx = new int[widest];
        }
    }

    private static int indexOf(List<Weight> ws, Weight x) {
        for (int i = 0; i < ws.size(); i++) if (ws.get(i) == x) return i;
        return -1;
    }

    /**
     * The JVM path for {@code model} at {@code batchSize} with targets of {@code yDim} values per
     * sample, or null where it does not apply (another layer, loss or metric, regularizers,
     * several inputs or outputs, a non-CPU backend, a batch too large to gain).
     */
    public static SmallPath plan(Model model, int batchSize, int yDim, Loss loss, List<Metric> metrics) {
        if (!FastPaths.SMALL_MODEL.enabled()) return null;
        Recurrence rec = Recurrence.of(model);
        Node flat = rec == null ? leadingFlatten(model) : null;
        List<FullyConnected> fcs = chain(model, true, rec != null ? rec.node : flat);
        if (fcs == null) return null;
        int[] dims = dims(fcs);
        int[] act = activations(fcs);
        long recMacs = rec == null ? 0 : rec.macs();
        if (act == null || (long) batchSize * (macs(fcs) + recMacs) > MAX_MACS) return null;
        if (rec != null && rec.u != dims[0]) return null;
        int last = act[act.length - 1];
        int outDim = dims[dims.length - 1];
        int kind = fusedKind(loss, last);
        if (kind == SPARSE_SOFTMAX_CE ? yDim != 1 : yDim != outDim) return null;
        if (kind == GENERIC && !(loss instanceof JvmLoss && !loss.reduction().equals("none"))) return null;
        if (kind != GENERIC && loss.reduction().equals("none")) return null;
        for (Metric m : metrics) if (!(m instanceof JvmMetric j && j.supportsJvm())) return null;
        SmallPath p = new SmallPath(fcs, dims, act, loss, kind, metrics, model.trainableWeights());
        if (rec != null) p.attach(rec);
        p.flatRank = flat == null ? 0 : model.inputs().get(0).shape().rank();
        return p;
    }

    /**
     * The model's layers when it is a single-input, single-output chain of {@link FullyConnected}
     * layers over rank-2 input whose weights are {@link Elementwise#fusable} arrays of one float
     * type (and, with {@code forTraining}, without regularizers); else null.
     */
    static List<FullyConnected> chain(Model model, boolean forTraining) {
        return chain(model, forTraining, null);
    }

    /** As {@link #chain(Model, boolean)}, after the leading node {@code head} (a recurrent layer) when not null. */
    static List<FullyConnected> chain(Model model, boolean forTraining, Node head) {
        if (model.inputs().size() != 1 || model.outputs().size() != 1) return null;
        int rank = model.inputs().get(0).shape().rank();
        if (head == null ? rank != 2 : head.layer() instanceof FlattenLayer ? rank < 2 : rank != 3) return null;
        List<FullyConnected> fcs = new ArrayList<>();
        KerasTensor prev = head == null ? model.inputs().get(0) : head.outputs().get(0);
        for (Node n : model.nodes()) {
            if (n == head) continue;
            if (!(n.layer() instanceof FullyConnected fc) || n.inputs().size() != 1 || n.inputs().get(0) != prev) return null;
            if (forTraining && (fc.hasRegularizers() || n.layer().activityRegularizer() != null)) return null;
            fcs.add(fc);
            prev = n.outputs().get(0);
        }
        if (fcs.isEmpty() || prev != model.outputs().get(0)) return null;
        DataType t = fcs.get(0).kernel().value().dataType();
        for (FullyConnected fc : fcs) {
            if (!Elementwise.fusable(fc.kernel().value()) || fc.kernel().value().dataType() != t) return null;
            if (fc.bias() != null && (!Elementwise.fusable(fc.bias().value()) || fc.bias().value().dataType() != t)) return null;
        }
        return fcs;
    }

    /** Layer widths: input, then each layer's units. */
    static int[] dims(List<FullyConnected> fcs) {
        int[] dims = new int[fcs.size() + 1];
        dims[0] = (int) fcs.get(0).kernel().shape()[0];
        for (int l = 0; l < fcs.size(); l++) dims[l + 1] = (int) fcs.get(l).kernel().shape()[1];
        return dims;
    }

    /** Multiply-adds per sample. */
    static long macs(List<FullyConnected> fcs) {
        long macs = 0;
        for (FullyConnected fc : fcs) macs += fc.kernel().shape()[0] * fc.kernel().shape()[1];
        return macs;
    }

    /**
     * {@link ActivationKernels} codes of the layers, or null if one is not supported here (linear,
     * relu, sigmoid, tanh and softmax are).
     */
    static int[] activations(List<FullyConnected> fcs) {
        int[] act = new int[fcs.size()];
        for (int l = 0; l < fcs.size(); l++) {
            int k = ActivationKernels.kindOf(fcs.get(l).activationName());
            if (k < 0 || k >= HARD_SIGMOID) return null;
            act[l] = k;
        }
        return act;
    }

    private static int fusedKind(Loss loss, int lastAct) {
        Map<String, Object> c = loss.getConfig();
        boolean plain = !Boolean.TRUE.equals(c.get("from_logits"))
                && (c.get("label_smoothing") == null || ((Number) c.get("label_smoothing")).doubleValue() == 0);
        if (!plain) return GENERIC;
        String n = loss.name();
        if (lastAct == SOFTMAX && n.equals("categorical_crossentropy")) return SOFTMAX_CE;
        if (lastAct == SOFTMAX && n.equals("sparse_categorical_crossentropy")) return SPARSE_SOFTMAX_CE;
        if (lastAct == SIGMOID && n.equals("binary_crossentropy")) return SIGMOID_BCE;
        return GENERIC;
    }

    /** A leading LSTM or SimpleRNN (last output only) over {@code (batch, t, i)} input: the time-series models. */
    static final class Recurrence {
        final Node node;
        final RecurrentLayer layer;
        final int t, i, u, kAct, kRec;

        private Recurrence(Node node, RecurrentLayer layer, int t, int i, int u, int kAct, int kRec) {
            this.node = node;
            this.layer = layer;
            this.t = t;
            this.i = i;
            this.u = u;
            this.kAct = kAct;
            this.kRec = kRec;
        }

        long macs() {
            return (long) t * gates() * u * (i + u);
        }

        int gates() {
            return layer.cell() == RnnOps.Cell.LSTM ? 4 : 1;
        }

        /** The model's first layer when it is a plain LSTM over the model's rank-3 input, else null. */
        static Recurrence of(Model model) {
            if (model.inputs().size() != 1 || model.nodes().isEmpty()) return null;
            Node n = model.nodes().get(0);
            Shape in = model.inputs().get(0).shape();
            if (!(n.layer() instanceof RecurrentLayer r) || n.inputs().size() != 1 || n.inputs().get(0) != model.inputs().get(0)
                    || in.rank() != 3 || in.get(1) == Shape.NONE || r.cell() == RnnOps.Cell.GRU || !r.plainLastOutput()
                    || n.outputs().size() != 1 || r.kernel() == null) {
                return null;
            }
            if (!RnnOps.supportsActivation(r.activationName()) || !RnnOps.supportsActivation(r.recurrentActivationName())) return null;
            int kAct = ActivationKernels.kindOf(r.activationName()), kRec = ActivationKernels.kindOf(r.recurrentActivationName());
            DataType t = r.kernel().value().dataType();
            for (Weight w : new Weight[] {r.kernel(), r.recurrentKernel(), r.bias()}) {
                if (w != null && (!Elementwise.fusable(w.value()) || w.value().dataType() != t)) return null;
            }
            return new Recurrence(n, r, (int) in.get(1), (int) in.get(2), (int) r.recurrentKernel().shape()[0], kAct, kRec);
        }
    }

    private Recurrence rec;

    /** The model's first node when it is a Flatten of the model's input whose dimensions are all known. */
    private static Node leadingFlatten(Model model) {
        if (model.inputs().size() != 1 || model.nodes().isEmpty()) return null;
        Node n = model.nodes().get(0);
        Shape in = model.inputs().get(0).shape();
        if (!(n.layer() instanceof FlattenLayer) || n.inputs().size() != 1 || n.inputs().get(0) != model.inputs().get(0)) return null;
        for (int d = 1; d < in.rank(); d++) if (in.get(d) == Shape.NONE) return null;
        return n;
    }
    private int recKernelSlot, recRecurrentSlot, recBiasSlot;
    private double[] rW, rU, rB, rdW, rdU, rdB;
    private double[] recOut, recGrad, recHprev, recCprev, recGates, recTc;

    private void attach(Recurrence r) {
        rec = r;
        f32 = false;
        int g = r.gates() * r.u;
        recKernelSlot = indexOf(trainable, r.layer.kernel());
        recRecurrentSlot = indexOf(trainable, r.layer.recurrentKernel());
        recBiasSlot = r.layer.bias() == null ? -1 : indexOf(trainable, r.layer.bias());
        rW = new double[r.i * g];
        rU = new double[r.u * g];
        rB = new double[g];
        rdW = new double[rW.length];
        rdU = new double[rU.length];
        rdB = new double[g];
    }

    /** Whether {@code x} has the shape this path reads (else the regular path runs and reports it). */
    public boolean accepts(INDArray x) {
        if (x == null) return true;
        if (flatRank > 0) return x.rank() == flatRank && x.length() == x.size(0) * dims[0];
        return rec == null ? x.rank() == 2 && x.size(1) == dims[0]
                : x.rank() == 3 && x.size(1) == rec.t && x.size(2) == rec.i;
    }

    /** With a leading Flatten, the rank of the model's input (read as rows of its flattened size); else 0. */
    private int flatRank;

    /** Row-major double copies of {@code x}, {@code y} and the sample weights. */
    public Data bind(INDArray x, INDArray y, INDArray sw) {
        int n = (int) x.size(0);
        double[] xd = x.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] yd = y.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        double[] sd = sw == null ? null : sw.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        return new Data(xd, yd, sd, n, xd.length / n, yd.length / n);
    }

    private void ensureCapacity(int batch, int yDim) {
        if (batch <= capacity) return;
        capacity = batch;
        a = new double[layersN + 1][];
        g = new double[layersN + 1][];
        for (int l = 0; l <= layersN; l++) {
            a[l] = new double[batch * dims[l]];
            g[l] = new double[batch * dims[l]];
        }
        if (f32) {
            af = new float[layersN][];
            for (int l = 0; l < layersN; l++) af[l] = new float[batch * dims[l]];
            int widest = 0;
            for (int l = 1; l <= layersN; l++) widest = Math.max(widest, dims[l]);
            gzF = new float[batch * widest];
        }
        if (rec != null) {
            int steps = batch * rec.t;
            a[0] = new double[steps * rec.i];
            recOut = new double[batch * rec.u];
            recGrad = new double[batch * rec.u];
            recHprev = new double[steps * rec.u];
            recCprev = new double[steps * rec.u];
            recTc = new double[steps * rec.u];
            recGates = new double[steps * rec.gates() * rec.u];
        }
        logits = new double[batch * dims[layersN]];
        yBatch = new double[batch * yDim];
        swBatch = new double[batch];
    }

    private void loadWeights() {
        if (rec != null) {
            read(rec.layer.kernel().value(), rW);
            read(rec.layer.recurrentKernel().value(), rU);
            if (rec.layer.bias() != null) read(rec.layer.bias().value(), rB);
        }
        for (int l = 0; l < layersN; l++) {
            read(kernels[l].value(), w[l]);
            if (biases[l] != null) read(biases[l].value(), b[l]);
        }
    }

    /** Float32 staging for bulk copies between native memory and the double working arrays. */
    private float[] stage = new float[0];
    private java.nio.Buffer view(INDArray a) {
        return isDouble ? Elementwise.doublesCached(a) : Elementwise.floatsCached(a);
    }

    private float[] stage(int n) {
        if (stage.length < n) stage = new float[n];
        return stage;
    }

    private void read(INDArray src, double[] dst) {
        int n = dst.length;
        if (isDouble) {
            ((DoubleBuffer) view(src)).get(0, dst, 0, n);
        } else {
            // one bulk copy, then a loop over Java arrays (vectorized), instead of n buffer reads
            float[] t = stage(n);
            ((FloatBuffer) view(src)).get(0, t, 0, n);
            for (int i = 0; i < n; i++) dst[i] = t[i];
        }
    }

    private void write(double[] src, INDArray dst) {
        int n = src.length;
        if (isDouble) {
            ((DoubleBuffer) view(dst)).put(0, src, 0, n);
        } else {
            float[] t = stage(n);
            for (int i = 0; i < n; i++) t[i] = (float) src[i];
            ((FloatBuffer) view(dst)).put(0, t, 0, n);
        }
    }

    /** Copies rows {@code idx[from..from+nb)} (or {@code from..} when {@code idx} is null) into the batch buffers. */
    private boolean gather(Data d, int[] idx, int from, int nb) {
        ensureCapacity(nb, d.yDim);
        for (int r = 0; r < nb; r++) {
            int s = idx == null ? from + r : idx[from + r];
            if (f32) {
                float[] x0 = af[0];
                for (int k = 0, xo = r * d.xDim, so = s * d.xDim; k < d.xDim; k++) x0[xo + k] = (float) d.x[so + k];
            } else {
                System.arraycopy(d.x, s * d.xDim, a[0], r * d.xDim, d.xDim);
            }
            System.arraycopy(d.y, s * d.yDim, yBatch, r * d.yDim, d.yDim);
            if (d.sw != null) swBatch[r] = d.sw[s];
        }
        return d.sw != null;
    }

    private void forward(int nb) {
        if (rec != null) recForward(nb);
        for (int l = 0; l < layersN; l++) {
            int in = dims[l], out = dims[l + 1];
            double[] x = l == 0 && rec != null ? recOut : a[l], z = a[l + 1], wl = w[l], bl = b[l];
            boolean hasBias = biases[l] != null;
            for (int r = 0; r < nb; r++) {
                int zo = r * out, xo = r * in;
                for (int j = 0; j < out; j++) z[zo + j] = hasBias ? bl[j] : 0.0;
                for (int k = 0; k < in; k++) {
                    double xv = x[xo + k];
                    if (xv == 0.0) continue;
                    int wo = k * out;
                    for (int j = 0; j < out; j++) z[zo + j] += xv * wl[wo + j];
                }
                if (l == layersN - 1) System.arraycopy(z, zo, logits, zo, out);
                ActivationKernels.forward(act[l], Form.LIBRARY, z, zo, out);
            }
        }
    }

    /** The loss of the batch; with {@code grad}, d(loss)/d(pre-activation of the last layer) into {@code g[layersN]}. */
    private double lossAndGrad(int nb, boolean weighted, boolean grad) {
        int out = dims[layersN];
        double[] p = a[layersN];
        double[] gz = g[layersN];
        double[] sw = weighted ? swBatch : null;
        double scale = loss.reductionScale(nb);
        double total = 0;
        switch (lossKind) {
            case SOFTMAX_CE, SPARSE_SOFTMAX_CE -> {
                for (int r = 0; r < nb; r++) {
                    int o = r * out;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < out; j++) max = Math.max(max, logits[o + j]);
                    double se = 0;
                    for (int j = 0; j < out; j++) se += Math.exp(logits[o + j] - max);
                    double lse = max + Math.log(se);
                    double wr = sw == null ? 1.0 : sw[r];
                    double per = 0, ysum = 0;
                    if (lossKind == SPARSE_SOFTMAX_CE) {
                        int lab = org.cornu.core.ops.SparseLabels.check(loss.name(), yBatch[r], out);
                        per = lse - logits[o + lab];
                        ysum = 1;
                    } else {
                        for (int j = 0; j < out; j++) {
                            double y = yBatch[o + j];
                            per += y * (lse - logits[o + j]);
                            ysum += y;
                        }
                    }
                    total += per * wr;
                    if (grad) {
                        for (int j = 0; j < out; j++) {
                            double y = lossKind == SPARSE_SOFTMAX_CE ? (j == (int) yBatch[r] ? 1 : 0) : yBatch[o + j];
                            gz[o + j] = (p[o + j] * ysum - y) * wr * scale;
                        }
                    }
                }
                return total * scale;
            }
            case SIGMOID_BCE -> {
                for (int r = 0; r < nb; r++) {
                    int o = r * out;
                    double wr = sw == null ? 1.0 : sw[r];
                    double per = 0;
                    for (int j = 0; j < out; j++) {
                        double z = logits[o + j], y = yBatch[o + j];
                        per += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
                        if (grad) gz[o + j] = (p[o + j] - y) / out * wr * scale;
                    }
                    total += per / out * wr;
                }
                return total * scale;
            }
            default -> {
                double[] dp = grad ? g[layersN] : new double[nb * out];
                double v = ((JvmLoss) loss).lossAndGradJvm(yBatch, p, nb, out, sw, dp);
                if (grad) ActivationKernels.backward(act[layersN - 1], p, dp, nb * out, out);
                return v;
            }
        }
    }

    private void backward(int nb) {
        for (int l = layersN - 1; l >= 0; l--) {
            int in = dims[l], out = dims[l + 1];
            double[] gz = g[l + 1], x = l == 0 && rec != null ? recOut : a[l], wl = w[l], dwl = dw[l], dbl = db[l];
            // the first row sets the sums (no clearing pass), later rows add to them
            System.arraycopy(gz, 0, dbl, 0, out);
            for (int k = 0; k < in; k++) {
                double xv = x[k];
                int wo = k * out;
                if (xv == 0.0) java.util.Arrays.fill(dwl, wo, wo + out, 0.0);
                else for (int j = 0; j < out; j++) dwl[wo + j] = xv * gz[j];
            }
            for (int r = 1; r < nb; r++) {
                int go = r * out, xo = r * in;
                for (int j = 0; j < out; j++) dbl[j] += gz[go + j];
                for (int k = 0; k < in; k++) {
                    double xv = x[xo + k];
                    if (xv == 0.0) continue;
                    int wo = k * out;
                    for (int j = 0; j < out; j++) dwl[wo + j] += xv * gz[go + j];
                }
            }
            if (l > 0 || rec != null) {
                double[] gx = l > 0 ? g[l] : recGrad;
                for (int r = 0; r < nb; r++) {
                    int go = r * out, xo = r * in;
                    for (int k = 0; k < in; k++) gx[xo + k] = dot(gz, go, wl, k * out, out);
                }
                if (l > 0) ActivationKernels.backward(act[l - 1], a[l], gx, nb * in, in);
            }
        }
        if (rec != null) recBackward(nb);
    }

    /** The float path's weights: one bulk copy of each kernel; biases to double (they start each sum). */
    private void loadWeightsF() {
        for (int l = 0; l < layersN; l++) {
            ((FloatBuffer) view(kernels[l].value())).get(0, wf[l], 0, wf[l].length);
            if (biases[l] != null) read(biases[l].value(), b[l]);
        }
    }

    /**
     * The forward pass of the float path: each product accumulates in float over the nonzero
     * inputs' kernel rows (copied to a row buffer, so that the loop indexes both arrays alike and
     * vectorizes); activations in double into {@code a[l + 1]}, and their float copy feeds the next layer.
     */
    private void forwardF(int nb) {
        float[] acc = accF, row = rowF;
        for (int l = 0; l < layersN; l++) {
            int in = dims[l], out = dims[l + 1];
            float[] x = af[l], wl = wf[l];
            double[] z = a[l + 1], bl = b[l];
            boolean hasBias = biases[l] != null;
            for (int r = 0; r < nb; r++) {
                int zo = r * out, xo = r * in;
                for (int j = 0; j < out; j++) acc[j] = hasBias ? (float) bl[j] : 0f;
                for (int k = 0; k < in; k++) {
                    float xv = x[xo + k];
                    if (xv == 0f) continue;
                    System.arraycopy(wl, k * out, row, 0, out);
                    for (int j = 0; j < out; j++) acc[j] += xv * row[j];
                }
                for (int j = 0; j < out; j++) z[zo + j] = acc[j];
                if (l == layersN - 1) System.arraycopy(z, zo, logits, zo, out);
                ActivationKernels.forward(act[l], Form.LIBRARY, z, zo, out);
                if (l + 1 < layersN) {
                    float[] next = af[l + 1];
                    for (int j = 0; j < out; j++) next[zo + j] = (float) z[zo + j];
                }
            }
        }
    }

    /**
     * The backward pass of the float path from {@code g[layersN]}: kernel gradients in float into
     * {@code dwf} (written out in one bulk copy), bias gradients in double, input gradients as float
     * dot products, activation gradients in double.
     */
    private void backwardF(int nb) {
        float[] row = rowF;
        for (int l = layersN - 1; l >= 0; l--) {
            int in = dims[l], out = dims[l + 1];
            double[] gz = g[l + 1], dbl = db[l];
            float[] x = af[l], wl = wf[l], dwl = dwf[l], gf = gzF;
            for (int i = 0; i < nb * out; i++) gf[i] = (float) gz[i];
            System.arraycopy(gz, 0, dbl, 0, out);
            for (int r = 1; r < nb; r++) for (int j = 0, go = r * out; j < out; j++) dbl[j] += gz[go + j];
            for (int k = 0; k < in; k++) {
                int wo = k * out;
                // row r = 0 sets the sums, later rows add to them (in a row buffer: see forwardF)
                float xv = x[k];
                for (int j = 0; j < out; j++) row[j] = xv * gf[j];
                for (int r = 1; r < nb; r++) {
                    float xr = x[r * in + k];
                    if (xr == 0f) continue;
                    int go = r * out;
                    for (int j = 0; j < out; j++) row[j] += xr * gf[go + j];
                }
                System.arraycopy(row, 0, dwl, wo, out);
            }
            if (l > 0) {
                double[] gx = g[l];
                int[] idx = nzIdx;
                float[] val = nzVal;
                for (int r = 0; r < nb; r++) {
                    int go = r * out, m = 0;
                    // the nonzero output gradients only (a relu layer's inactive units give zeros)
                    for (int j = 0; j < out; j++) {
                        // without a branch: which units are active is a coin toss per step
                        float v = gf[go + j];
                        idx[m] = j;
                        val[m] = v;
                        m += v != 0f ? 1 : 0;
                    }
                    inputGradientsF(wl, in, out, idx, val, m, gx, r * in);
                }
                ActivationKernels.backward(act[l - 1], a[l], gx, nb * in, in);
            }
        }
    }

    /**
     * {@code gx[xo + k] = sum_q val[q] * w[k * out + idx[q]]} for each input {@code k}: the input
     * gradients from the {@code m} nonzero output gradients {@code val} (at outputs {@code idx}),
     * two kernel rows at a time so that each gradient loaded serves both, in four running sums.
     */
    static void inputGradientsF(float[] w, int in, int out, int[] idx, float[] val, int m, double[] gx, int xo) {
        int k = 0;
        for (; k + 1 < in; k += 2) {
            int o0 = k * out, o1 = o0 + out;
            float a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            int q = 0;
            for (; q + 1 < m; q += 2) {
                int j0 = idx[q], j1 = idx[q + 1];
                float g0 = val[q], g1 = val[q + 1];
                a0 += g0 * w[o0 + j0];
                a1 += g1 * w[o0 + j1];
                b0 += g0 * w[o1 + j0];
                b1 += g1 * w[o1 + j1];
            }
            if (q < m) {
                a0 += val[q] * w[o0 + idx[q]];
                b0 += val[q] * w[o1 + idx[q]];
            }
            gx[xo + k] = a0 + a1;
            gx[xo + k + 1] = b0 + b1;
        }
        if (k < in) {
            int o0 = k * out;
            float a0 = 0;
            for (int q = 0; q < m; q++) a0 += val[q] * w[o0 + idx[q]];
            gx[xo + k] = a0;
        }
    }

    /**
     * {@code sum_j a[ao + j] * b[bo + j]} in four interleaved partial sums: one running sum waits
     * on each add's latency (the JIT does not reorder floating-point sums), four keep the adder busy.
     */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        for (; j < n; j++) s0 += a[ao + j] * b[bo + j];
        return (s0 + s1) + (s2 + s3);
    }

    /** The LSTM or SimpleRNN over rows of {@code a[0]} ({@code (t, i)} each), last h into {@code recOut}; gates saved for backward. */
    private void recForward(int nb) {
        int T = rec.t, I = rec.i, U = rec.u, G = rec.gates() * U;
        boolean lstm = G == 4 * U;
        // float32 models: the rational tanh/sigmoid, as the tape path's LSTM has them (its SimpleRNN
        // step keeps the exact form: the two agree to float rounding); float64: the exact form
        Form form = isDouble ? Form.EXP : Form.RATIONAL;
        boolean hasBias = rec.layer.bias() != null;
        double[] x = a[0];
        double[] h = new double[U], c = new double[U], z = new double[G], tc = new double[U];
        for (int r = 0; r < nb; r++) {
            java.util.Arrays.fill(h, 0);
            java.util.Arrays.fill(c, 0);
            for (int t = 0; t < T; t++) {
                int s = r * T + t;
                System.arraycopy(h, 0, recHprev, s * U, U);
                System.arraycopy(c, 0, recCprev, s * U, U);
                if (hasBias) System.arraycopy(rB, 0, z, 0, G);
                else java.util.Arrays.fill(z, 0);
                int xo = s * I;
                for (int k = 0; k < I; k++) {
                    double xv = x[xo + k];
                    if (xv == 0) continue;
                    int wo = k * G;
                    for (int n = 0; n < G; n++) z[n] += xv * rW[wo + n];
                }
                for (int q = 0; q < U; q++) {
                    double hv = h[q];
                    if (hv == 0) continue;
                    int uo = q * G;
                    for (int n = 0; n < G; n++) z[n] += hv * rU[uo + n];
                }
                if (!lstm) {
                    RnnCells.simpleStep(rec.kAct, form, z, 0, U);
                    System.arraycopy(z, 0, h, 0, U);
                    System.arraycopy(z, 0, recGates, s * G, G);
                    continue;
                }
                RnnCells.lstmStep(rec.kAct, rec.kRec, form, z, 0, c, 0, tc, 0, h, 0, U);
                System.arraycopy(z, 0, recGates, s * G, G);
                System.arraycopy(tc, 0, recTc, s * U, U);
            }
            System.arraycopy(h, 0, recOut, r * U, U);
        }
    }

    /** Backpropagation through time from {@code recGrad} (d loss / d last h) into the recurrent weights' gradients. */
    private void recBackward(int nb) {
        int T = rec.t, I = rec.i, U = rec.u, G = rec.gates() * U;
        boolean lstm = G == 4 * U;
        java.util.Arrays.fill(rdW, 0);
        java.util.Arrays.fill(rdU, 0);
        java.util.Arrays.fill(rdB, 0);
        double[] x = a[0];
        double[] dh = new double[U], dc = new double[U], dz = new double[G], dhPrev = new double[U];
        for (int r = 0; r < nb; r++) {
            System.arraycopy(recGrad, r * U, dh, 0, U);
            java.util.Arrays.fill(dc, 0);
            for (int t = T - 1; t >= 0; t--) {
                int s = r * T + t, go = s * G, so = s * U;
                if (lstm) RnnCells.lstmBackward(rec.kAct, rec.kRec, recGates, go, recTc, so, recCprev, so, dh, 0, dc, 0, dz, 0, U);
                else RnnCells.simpleBackward(rec.kAct, recGates, go, dh, 0, dz, 0, U);
                for (int n = 0; n < G; n++) rdB[n] += dz[n];
                int xo = s * I;
                for (int k = 0; k < I; k++) {
                    double xv = x[xo + k];
                    if (xv == 0) continue;
                    int wo = k * G;
                    for (int n = 0; n < G; n++) rdW[wo + n] += xv * dz[n];
                }
                for (int q = 0; q < U; q++) {
                    double hv = recHprev[so + q];
                    int uo = q * G;
                    double sum = 0;
                    for (int n = 0; n < G; n++) {
                        if (hv != 0) rdU[uo + n] += hv * dz[n];
                        sum += dz[n] * rU[uo + n];
                    }
                    dhPrev[q] = sum;
                }
                System.arraycopy(dhPrev, 0, dh, 0, U);
            }
        }
    }

    private void updateMetrics(int nb, int yDim) {
        for (Metric m : metrics) ((JvmMetric) m).updateStateJvm(yBatch, yDim, a[layersN], dims[layersN], nb);
    }

    /** The current weights read in and the gathered batch's forward pass, in the model's float type. */
    private void loadAndForward(int nb) {
        if (f32) {
            loadWeightsF();
            forwardF(nb);
        } else {
            loadWeights();
            forward(nb);
        }
    }

    /** One training step on rows {@code idx[from..from+nb)}; returns the loss. */
    public double trainStep(Data d, int[] idx, int from, int nb, Optimizer optimizer) {
        FastPaths.SMALL_MODEL.countRun();
        boolean weighted = gather(d, idx, from, nb);
        loadAndForward(nb);
        double lossValue = lossAndGrad(nb, weighted, true);
        if (f32) backwardF(nb);
        else backward(nb);
        if (rec != null) {
            if (recKernelSlot >= 0) write(rdW, grads.get(recKernelSlot));
            if (recRecurrentSlot >= 0) write(rdU, grads.get(recRecurrentSlot));
            if (recBiasSlot >= 0) write(rdB, grads.get(recBiasSlot));
        }
        for (int l = 0; l < layersN; l++) {
            if (kernelSlot[l] >= 0 && f32) ((FloatBuffer) view(grads.get(kernelSlot[l]))).put(0, dwf[l], 0, dwf[l].length);
            else if (kernelSlot[l] >= 0) write(dw[l], grads.get(kernelSlot[l]));
            if (biasSlot[l] >= 0) write(db[l], grads.get(biasSlot[l]));
        }
        try (MemoryWorkspace ws = Workspaces.step(Workspaces.TRAIN)) {
            optimizer.apply(grads, trainable);
        }
        updateMetrics(nb, d.yDim);
        return lossValue;
    }

    /** The loss of rows {@code from..from+nb)}, updating the metrics. */
    public double testStep(Data d, int from, int nb) {
        boolean weighted = gather(d, null, from, nb);
        loadAndForward(nb);
        double lossValue = lossAndGrad(nb, weighted, false);
        updateMetrics(nb, d.yDim);
        return lossValue;
    }
}
