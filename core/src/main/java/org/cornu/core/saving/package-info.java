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
 *       {@code optimizer/vars/<i>} in Keras's order ({@link org.cornu.core.Optimizer#variables}:
 *       iterations, the learning rate unless it is a schedule, then the slots as each optimizer's
 *       {@code build} creates them, e.g. m0, v0, m1, v1 for Adam); every group Keras's saver
 *       creates is present, empty ones included (the root {@code vars} that Keras 3.0 to 3.5 need);</li>
 *   <li>legacy {@code .h5} model files of Keras 2.0 to 3.x (reading only): the {@code model_config}
 *       and {@code training_config} attributes and the {@code model_weights} group; files Keras 1
 *       or 2 wrote keep Keras 2's meanings (see {@code Keras2}: {@code hard_sigmoid}, GRU
 *       {@code reset_after}, {@code lr}, {@code decay}).</li>
 * </ul>
 * HDF5 is written by Cornu's own writer of the subset Keras uses (groups, empty ones included,
 * and contiguous datasets, in the layout h5py writes by default) and read by its own reader of the
 * files h5py and Cornu write, legacy {@code .h5} files' string attributes included; files outside
 * that subset (chunked or compressed datasets, newer HDF5 layouts) are read with jHDF
 * ({@code io.jhdf:jhdf}), which logs its progress at INFO. Every
 * save is read back and compared before it replaces the previous file.
 *
 * <h2>Keras classes Cornu reads and writes</h2>
 * The models ({@code Sequential}, {@code Functional}, nested and with frozen layers), every layer
 * registered in {@code LayersModule} and the README's table, the optimizers with their state and
 * schedules, losses and metrics with their settings, and the initializers, regularizers and
 * constraints Cornu has. Any other layer registered under its Keras class name that declares
 * {@code public static X fromConfig(Map<String, Object>)} joins (see
 * {@link org.cornu.core.saving.LayerFactory}).
 * A file naming a class Cornu lacks fails before anything is built, with an error naming the
 * class and the layer.
 */
package org.cornu.core.saving;
