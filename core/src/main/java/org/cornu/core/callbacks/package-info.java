/**
 * Keras's callbacks: {@link org.cornu.core.callbacks.Callback} and {@code History},
 * {@code ProgbarLogger} (the progress bar), {@code EarlyStopping}, {@code ReduceLROnPlateau},
 * {@code ModelCheckpoint}, {@code BackupAndRestore}, {@code CSVLogger}, {@code TerminateOnNaN},
 * {@code LearningRateScheduler}, {@code LambdaCallback}. Public API; depends on the root package
 * and {@code saving}.
 */
package org.cornu.core.callbacks;
