package org.cornu.core.ops;

/**
 * The one check of sparse (integer) class labels that the sparse crossentropy loss, the sparse
 * metrics and the small-model step share: a label must be a whole number in {@code [0, classes)}.
 */
public final class SparseLabels {
    private SparseLabels() {}

    /**
     * Returns {@code label} as a class index, or throws naming {@code fn}: a fraction says it is
     * not an integer class index, a whole number outside the range says so (Keras's wording).
     *
     * @param fn the function or metric, for the message
     * @param label the label
     * @param classes the number of classes
     * @return the class index
     * @throws IllegalArgumentException for a fraction or a label outside {@code [0, classes)}
     */
    public static int check(String fn, double label, long classes) {
        if (Double.isNaN(label) || label != Math.rint(label)) {
            throw new IllegalArgumentException(fn + ": received a label value of " + label
                    + ", but sparse labels must be integer class indices in [0, " + classes + ")"
                    + " (for one-hot or soft labels use the non-sparse loss)");
        }
        if (!(label >= 0 && label < classes)) {
            throw new IllegalArgumentException(fn + ": received a label value of " + (long) label
                    + " which is outside the valid range of [0, " + classes + ")");
        }
        return (int) label;
    }
}
