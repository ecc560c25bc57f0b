/**
 * Saving and loading models in Keras 3's formats: {@link org.cornu.core.saving.Models}
 * ({@code model.save(path)}, {@code Models.loadModel(path)}, {@code saveWeights} /
 * {@code loadWeights}, {@code toJson} / {@code modelFromJson}, {@code getConfig} /
 * {@code fromConfig}).
 *
 * <h2>Files</h2>
 * <ul>
 *   <li>{@code .keras}: a zip (entries stored, as Python's {@code zipfile} writes them) of
 *       {@code metadata.json} ({@code keras_version}, {@code date_saved}), {@code config.json}
 *       ({@code module}, {@code class_name}, {@code config}, {@code registered_name},
 *       {@code build_config}, {@code compile_config}) and {@code model.weights.h5};</li>
 *   <li>{@code model.weights.h5} / {@code .weights.h5}: HDF5 with each layer's variables under
 *       {@code layers/<snake_case class name>[_n]/vars/<i>} (numbered by class in layer order, as
 *       Keras); variables owned by sub-objects at their attribute paths as Keras's saver walks them
 *       ({@code layers/lstm/cell/vars/<i>}, {@code layers/bidirectional/forward_layer/cell/vars/<i>},
 *       {@code layers/time_distributed/layer/vars/<i>}; see {@link org.cornu.core.saving.KerasVariableGroups});
 *       nested models under their own {@code layers/}; and
 *       {@code optimizer/vars/<i>}: iterations (int64), learning rate (float32), then each slot
 *       kind (momentum, velocity...) for every trainable weight;</li>
 *   <li>legacy Keras 2 {@code .h5} model files (reading only): the {@code model_config} and
 *       {@code training_config} attributes and the {@code model_weights} group.</li>
 * </ul>
 * HDF5 is written by Cornu's own writer of the subset Keras uses (groups, empty ones included,
 * and contiguous datasets, in the layout h5py writes by default) and read by its own reader of the
 * files h5py and Cornu write, legacy {@code .h5} files' string attributes included; files outside
 * that subset (chunked or compressed datasets, newer HDF5 layouts) are read with jHDF
 * ({@code io.jhdf:jhdf}), which logs its progress at INFO. Every
 * save is read back and compared before it replaces the previous file.
 *
 * <h2>Keras classes Cornu reads and writes</h2>
 * <table>
 *   <caption>Supported classes</caption>
 *   <tr><th>kind</th><th>Keras classes</th></tr>
 *   <tr><td>models</td><td>Sequential, Functional (several inputs and outputs, nested models)</td></tr>
 *   <tr><td>core layers</td><td>InputLayer, Dense, Dropout, Activation, Flatten, Reshape, Concatenate, Add,
 *       RepeatVector, Masking, Embedding</td></tr>
 *   <tr><td>convolution, pooling</td><td>Conv1D, Conv2D, MaxPooling1D, MaxPooling2D, AveragePooling2D,
 *       GlobalMaxPooling2D, GlobalAveragePooling2D (channels_last, groups=1)</td></tr>
 *   <tr><td>normalization, preprocessing</td><td>BatchNormalization (axis=-1; moving mean and variance
 *       saved), Rescaling (scalar scale and offset), ZeroPadding2D, UpSampling2D (nearest)</td></tr>
 *   <tr><td>recurrent</td><td>SimpleRNN, LSTM, GRU (reset_after True or False), Bidirectional (its backward layer
 *       derived from the forward one, as Keras does by default; a {@code backward_layer} with other
 *       settings is refused), TimeDistributed (any supported layer)</td></tr>
 *   <tr><td>other layers</td><td>any layer registered under its Keras class name that declares
 *       {@code public static X fromConfig(Map<String, Object>)} (see {@link org.cornu.core.saving.LayerFactory})</td></tr>
 *   <tr><td>optimizers</td><td>SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam (constant
 *       learning rate; a schedule in the config is reported and not restored)</td></tr>
 *   <tr><td>losses, metrics</td><td>by Keras name or serialized class, as registered</td></tr>
 *   <tr><td>initializers, regularizers, constraints</td><td>Keras's serialized forms of those Cornu has</td></tr>
 * </table>
 * A file naming a class Cornu lacks fails before anything is built, with an error naming the
 * class and the layer.
 */
package org.cornu.core.saving;
