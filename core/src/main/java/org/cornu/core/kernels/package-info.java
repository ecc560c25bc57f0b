/**
 * <b>Internal</b>: CPU kernels behind the ops. {@code Gemm} (layer products straight to OpenBLAS),
 * {@code Elementwise} (fused JVM loops over native memory), {@code RowKernels}, {@code ConvKernels}
 * (im2col/col2im, pooling), {@code Float32Lstm}, {@code SparseInput} (products over the nonzeros of
 * multi-hot rows), {@code NormKernels} (batch and layer normalization), {@code AttentionKernels}
 * (scaled dot-product attention per batch entry and head), {@code ShapeInfoCache} and {@code Workspaces} (ND4J memory), and the model math
 * written once for every JVM path: {@code ActivationKernels} (activations, their derivatives and
 * their fast forms) and {@code RnnCells} (the gate equations of LSTM, GRU and SimpleRNN steps).
 *
 * <p>Classes here are public only so that {@code ops} and {@code training} (other packages of the
 * same module) and the test suite can call them; they are not part of Cornu's API and change
 * without notice. Only {@code ops} and {@code training} may depend on this package; it depends on
 * ND4J, OpenBLAS (through ND4J's JavaCPP preset) and {@code autodiff}.
 */
package org.cornu.core.kernels;
