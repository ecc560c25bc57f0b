package org.cornu.benchmarks;

import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.examples.TextTransformer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code transformer}: the book's Transformer encoder text classifier (DLwP 2nd ed. 11.4), the
 * {@code text-transformer} example's model: PositionalEmbedding(200, 20000, 256),
 * TransformerEncoder(256, dense 32, 2 heads of 256), GlobalMaxPooling1D, Dropout 0.5, Dense 1
 * sigmoid; rmsprop, binary crossentropy, batch 32; {@link #SAMPLES} synthetic sequences of
 * {@link #LENGTH} token ids in [1, 20000) (no padding) per benchmark epoch. Bench reports samples/s.
 */
public final class TransformerWorkload {
    private TransformerWorkload() {}

    /** Sequences per benchmark epoch (10 steps of 32). */
    public static final int SAMPLES = 320;
    /** Tokens per sequence. */
    public static final int LENGTH = 200;

    /**
     * One Cornu epoch, ready to run: builds the data (seed 1) and the model now, and fits one epoch of
     * {@link #SAMPLES} samples each time the returned task runs.
     *
     * @return the task running one training epoch
     */
    public static Runnable epoch() {
        Cornu.setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, SAMPLES, LENGTH).muli(19999).addi(1).castTo(DataType.INT).castTo(DataType.FLOAT);
        INDArray y = Nd4j.rand(DataType.FLOAT, SAMPLES, 1).gt(0.5).castTo(DataType.FLOAT);
        Sequential m = TextTransformer.model(LENGTH, 20000, 256, 32, 2, 1);
        return () -> m.fit(x, y, Fit.epochs(1).batchSize(32).verbose(0));
    }
}
