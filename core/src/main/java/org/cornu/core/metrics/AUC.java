package org.cornu.core.metrics;

import java.util.Map;
import org.cornu.core.Metric;
import org.cornu.core.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Area under the ROC or precision-recall curve, as {@code keras.metrics.AUC}, approximated by
 * a Riemann sum over {@code numThresholds} (default 200) thresholds: {@code -1e-7},
 * {@code i / (numThresholds - 1)} for {@code i = 1 .. numThresholds - 2}, and {@code 1 + 1e-7}.
 * A prediction counts as positive at a threshold it exceeds; targets other than 0 are
 * positives. The counts are bucketed as Keras does (in float32, {@code ceil(p * (n - 1)) - 1}),
 * so results agree with Keras's to rounding. Curves {@code ROC} (default) and {@code PR};
 * summation {@code interpolation} (default), {@code minoring} or {@code majoring}. Single-label
 * only (Keras's {@code multi_label=False}).
 */
public class AUC extends Metric {
    private int numThresholds = 200;
    private String curve = "ROC";
    private String summationMethod = "interpolation";
    private boolean fromLogits;
    private double[] tp;
    private double[] fp;
    private double[] tn;
    private double[] fn;

    /**
     * The area under the ROC or PR curve, with Keras's defaults: 200 thresholds, curve {@code "ROC"},
     * summation {@code "interpolation"}, probabilities (not logits); name {@code "auc"}.
     */
    public AUC() {
        super("auc");
        allocate();
    }

    /**
     * The number of thresholds, at least 2 (default 200). Resets the state.
     *
     * @param n the number of thresholds (Keras's {@code num_thresholds})
     * @return this metric
     */
    public AUC numThresholds(int n) {
        if (n <= 1) {
            throw new IllegalArgumentException("Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=" + n);
        }
        numThresholds = n;
        allocate();
        return this;
    }

    /**
     * {@code "ROC"} (default) or {@code "PR"}.
     *
     * @param c the curve (Keras's {@code curve})
     * @return this metric
     */
    public AUC curve(String c) {
        String u = c.toUpperCase();
        if (!u.equals("ROC") && !u.equals("PR")) {
            throw new IllegalArgumentException("Invalid AUC curve value: \"" + c + "\". Expected values are [\"PR\", \"ROC\"]");
        }
        curve = u;
        return this;
    }

    /**
     * {@code "interpolation"} (default), {@code "minoring"} or {@code "majoring"}.
     *
     * @param m the Riemann sum (Keras's {@code summation_method})
     * @return this metric
     */
    public AUC summationMethod(String m) {
        String l = m.toLowerCase();
        if (!l.equals("interpolation") && !l.equals("minoring") && !l.equals("majoring")) {
            throw new IllegalArgumentException("Invalid AUC summation method value: \"" + m
                    + "\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"]");
        }
        summationMethod = l;
        return this;
    }

    /**
     * Whether predictions are logits, passed through a sigmoid first (default false).
     *
     * @param b true for logits (Keras's {@code from_logits})
     * @return this metric
     */
    public AUC fromLogits(boolean b) {
        fromLogits = b;
        return this;
    }

    /**
     * The thresholds, end points included.
     *
     * @return the thresholds, ascending
     */
    public double[] thresholds() {
        double[] t = new double[numThresholds];
        t[0] = -MetricFunctions.EPSILON;
        for (int i = 1; i < numThresholds - 1; i++) t[i] = i * 1.0 / (numThresholds - 1);
        t[numThresholds - 1] = 1.0 + MetricFunctions.EPSILON;
        return t;
    }

    private void allocate() {
        tp = new double[numThresholds];
        fp = new double[numThresholds];
        tn = new double[numThresholds];
        fn = new double[numThresholds];
    }

    /**
     * Weighted true positives at each threshold (a copy).
     *
     * @return one count per threshold
     */
    public double[] truePositives() {
        return tp.clone();
    }

    /**
     * Weighted false positives at each threshold (a copy).
     *
     * @return one count per threshold
     */
    public double[] falsePositives() {
        return fp.clone();
    }

    @Override
    public void updateState(INDArray yTrue, INDArray yPred, INDArray sampleWeight) {
        INDArray[] a = MetricFunctions.align(yPred, yTrue);
        if (a[0].length() != a[1].length()) {
            throw new IllegalArgumentException("AUC: y_true and y_pred must have the same shape. Received: y_true.shape="
                    + Shape.format(yTrue.shape()) + ", y_pred.shape=" + Shape.format(yPred.shape()));
        }
        double[] p = MetricFunctions.flat(a[0]);
        double[] y = MetricFunctions.flat(a[1]);
        double[] w = ConfusionMetric.elementWeights(sampleWeight, a[0]);
        int n = numThresholds;
        double[] posBucket = new double[n];
        double[] negBucket = new double[n];
        float scale = (float) (n - 1);
        for (int i = 0; i < p.length; i++) {
            double v = fromLogits ? 1.0 / (1.0 + Math.exp(-p[i])) : p[i];
            // Keras works in float32: clip to [0, 1], bucket = ceil(p * (n - 1)) - 1, at least 0
            float f = Math.min(Math.max((float) v, 0f), 1f);
            int b = Math.max((int) Math.ceil(f * scale) - 1, 0);
            double wi = w == null ? 1.0 : w[i];
            if (y[i] != 0) posBucket[b] += wi;
            else negBucket[b] += wi;
        }
        double totalPos = 0;
        double totalNeg = 0;
        for (int b = 0; b < n; b++) {
            totalPos += posBucket[b];
            totalNeg += negBucket[b];
        }
        // counts at threshold i: predictions in bucket i or above
        double cumPos = 0;
        double cumNeg = 0;
        for (int i = n - 1; i >= 0; i--) {
            cumPos += posBucket[i];
            cumNeg += negBucket[i];
            tp[i] += cumPos;
            fp[i] += cumNeg;
            fn[i] += totalPos - cumPos;
            tn[i] += totalNeg - cumNeg;
        }
    }

    @Override
    public double result() {
        int n = numThresholds;
        if (curve.equals("PR") && summationMethod.equals("interpolation")) return interpolatePrAuc();
        double[] x = new double[n];
        double[] yv = new double[n];
        for (int i = 0; i < n; i++) {
            double recall = ConfusionMetric.divideNoNan(tp[i], tp[i] + fn[i]);
            if (curve.equals("ROC")) {
                x[i] = ConfusionMetric.divideNoNan(fp[i], fp[i] + tn[i]);
                yv[i] = recall;
            } else {
                x[i] = recall;
                yv[i] = ConfusionMetric.divideNoNan(tp[i], tp[i] + fp[i]);
            }
        }
        double auc = 0;
        for (int i = 0; i < n - 1; i++) {
            double h = switch (summationMethod) {
                case "minoring" -> Math.min(yv[i], yv[i + 1]);
                case "majoring" -> Math.max(yv[i], yv[i + 1]);
                default -> (yv[i] + yv[i + 1]) / 2.0;
            };
            auc += (x[i] - x[i + 1]) * h;
        }
        return auc;
    }

    /** Keras's closed-form interpolation of the PR curve (Davis and Goadrich 2006). */
    private double interpolatePrAuc() {
        int n = numThresholds;
        double auc = 0;
        for (int i = 0; i < n - 1; i++) {
            double dtp = tp[i] - tp[i + 1];
            double pA = tp[i] + fp[i];
            double pB = tp[i + 1] + fp[i + 1];
            double dp = pA - pB;
            double slope = ConfusionMetric.divideNoNan(dtp, Math.max(dp, 0));
            double intercept = tp[i + 1] - slope * pB;
            double ratio = pA > 0 && pB > 0 ? ConfusionMetric.divideNoNan(pA, Math.max(pB, 0)) : 1.0;
            double num = slope * (dtp + intercept * Math.log(ratio));
            auc += ConfusionMetric.divideNoNan(num, Math.max(tp[i + 1] + fn[i + 1], 0));
        }
        return auc;
    }

    @Override
    public void resetState() {
        java.util.Arrays.fill(tp, 0);
        java.util.Arrays.fill(fp, 0);
        java.util.Arrays.fill(tn, 0);
        java.util.Arrays.fill(fn, 0);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("num_thresholds", numThresholds);
        c.put("curve", curve);
        c.put("summation_method", summationMethod);
        c.put("multi_label", false);
        c.put("num_labels", null);
        c.put("label_weights", null);
        c.put("from_logits", fromLogits);
        return c;
    }
}
