/**
 * Differentiable operations, Cornu's counterpart of {@code keras.ops}: {@link org.cornu.core.ops.Ops}
 * (linear/gemm, activations, softmax and the fused crossentropies, reductions, reshapes, ...),
 * {@link org.cornu.core.ops.ConvOps} (convolution and pooling), {@link org.cornu.core.ops.RnnOps}
 * (the recurrence of SimpleRNN, LSTM and GRU as one fused tape node),
 * {@link org.cornu.core.ops.NormOps} (batch and layer normalization), {@link org.cornu.core.ops.AttentionOps}
 * (multi-head scaled dot-product attention), {@link org.cornu.core.ops.ImageTransforms} (affine
 * resampling for augmentation) and {@link org.cornu.core.ops.SparseLabels}. Layers compose these; nobody writes a layer's backward.
 *
 * <p><b>Where kernels are chosen.</b> Each op picks the first kernel that supports its arguments
 * (a JVM loop, direct BLAS, ND4J's native op, or CUDA through ND4J), e.g. {@code Ops.linear} takes
 * {@code SparseInput} for multi-hot rows and a gemm otherwise, {@code ConvOps} its JVM im2col kernels
 * or ND4J's, {@code RnnOps} the float32 LSTM or the general recurrence. Callers never choose. Each
 * choice is switchable in {@link org.cornu.core.FastPaths} and tested equal to the general kernel.
 *
 * <p>Public API. Depends on {@code autodiff} and {@code kernels}.
 */
package org.cornu.core.ops;
