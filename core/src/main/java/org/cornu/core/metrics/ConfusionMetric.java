package org.cornu.core.metrics;

import java.util.Arrays;
import java.util.Map;
import org.cornu.core.Metric;
import org.cornu.core.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weighted true/false positive and negative counts at one threshold, accumulated over batches
 * as Keras's {@code Precision} and {@code Recall} do: an element is predicted positive when
 * its prediction is above the threshold, and is a positive when its target is not 0.
 */
abstract class ConfusionMetric extends Metric {
    /** Keras's stand-in for minus infinity after top-k filtering. */
    static final double NEG_INF = -1e10;

    Double thresholdSet;
    Integer topK;
    Integer classId;
    private double tp;
    private double fp;
    private double tn;
    private double fn;

    ConfusionMetric(String name) {
        super(name);
    }

    /**
     * The threshold in effect: the one set, else 0.5, or minus infinity with {@code top_k}.
     *
     * @return the threshold
     */
    public double threshold() {
        if (thresholdSet != null) return thresholdSet;
        return topK == null ? 0.5 : NEG_INF;
    }

    void setThreshold(double t) {
        if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("Threshold values must be in [0, 1]. Received: " + t);
        thresholdSet = t;
    }

    void setTopK(int k) {
        if (k < 1) throw new IllegalArgumentException("top_k must be >= 1, got " + k);
        topK = k;
    }

    /**
     * The weighted count of true positives accumulated since the last reset.
     *
     * @return the count
     */
    public double truePositives() {
        return tp;
    }

    /**
     * The weighted count of false positives accumulated since the last reset.
     *
     * @return the count
     */
    public double falsePositives() {
        return fp;
    }

    /**
     * The weighted count of true negatives accumulated since the last reset.
     *
     * @return the count
     */
    public double trueNegatives() {
        return tn;
    }

    /**
     * The weighted count of false negatives accumulated since the last reset.
     *
     * @return the count
     */
    public double falseNegatives() {
        return fn;
    }

    @Override
    public void updateState(INDArray yTrue, INDArray yPred, INDArray sampleWeight) {
        INDArray[] a = MetricFunctions.align(yPred, yTrue);
        INDArray p = a[0];
        INDArray y = a[1];
        if (p.length() != y.length()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": y_true and y_pred must have the same"
                    + " shape. Received: y_true.shape=" + Shape.format(yTrue.shape())
                    + ", y_pred.shape=" + Shape.format(yPred.shape()));
        }
        double[] pv = MetricFunctions.flat(p);
        double[] yv = MetricFunctions.flat(y);
        int last = p.rank() == 0 ? 1 : (int) p.size(p.rank() - 1);
        double[] w = elementWeights(sampleWeight, p);
        if (topK != null) keepTopK(pv, last, topK);
        double th = threshold();
        if (classId != null && (classId < 0 || classId >= last)) {
            throw new IllegalArgumentException("class_id " + classId + " is out of range for predictions of shape "
                    + Shape.format(yPred.shape()));
        }
        for (int i = 0; i < pv.length; i++) {
            if (classId != null && i % last != classId) continue;
            double wi = w == null ? 1.0 : w[i];
            boolean pos = yv[i] != 0;
            boolean predPos = pv[i] > th;
            if (pos && predPos) tp += wi;
            else if (pos) fn += wi;
            else if (predPos) fp += wi;
            else tn += wi;
        }
    }

    /** Sample weights broadcast to one weight per prediction element, or null for none. */
    static double[] elementWeights(INDArray sampleWeight, INDArray pred) {
        if (sampleWeight == null) return null;
        double[] sw = MetricFunctions.flat(sampleWeight);
        long n = pred.length();
        if (sw.length == n) return sw;
        long rows = pred.rank() == 0 ? 1 : pred.size(0);
        double[] w = new double[(int) n];
        if (sw.length == 1) {
            Arrays.fill(w, sw[0]);
        } else if (sw.length == rows) {
            int per = (int) (n / rows);
            for (int i = 0; i < n; i++) w[i] = sw[i / per];
        } else {
            throw new IllegalArgumentException("sample_weight of shape " + Shape.format(sampleWeight.shape())
                    + " cannot be broadcast to predictions of shape " + Shape.format(pred.shape()));
        }
        return w;
    }

    /** Keeps the k highest values of each row (lower index first among ties), the rest set to {@link #NEG_INF}. */
    static void keepTopK(double[] v, int rowLen, int k) {
        boolean[] keep = new boolean[rowLen];
        for (int off = 0; off < v.length; off += rowLen) {
            Arrays.fill(keep, false);
            for (int s = 0; s < Math.min(k, rowLen); s++) {
                int best = -1;
                for (int j = 0; j < rowLen; j++) {
                    if (!keep[j] && (best < 0 || v[off + j] > v[off + best])) best = j;
                }
                keep[best] = true;
            }
            for (int j = 0; j < rowLen; j++) if (!keep[j]) v[off + j] = NEG_INF;
        }
    }

    @Override
    public void resetState() {
        tp = 0;
        fp = 0;
        tn = 0;
        fn = 0;
    }

    static double divideNoNan(double a, double b) {
        return b == 0 ? 0.0 : a / b;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("thresholds", thresholdSet);
        c.put("top_k", topK);
        c.put("class_id", classId);
        return c;
    }
}
