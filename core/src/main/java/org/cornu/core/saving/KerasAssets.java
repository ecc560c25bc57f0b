package org.cornu.core.saving;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer with state outside its weights, saved as Keras 3 saves it in a {@code .keras} archive: files under
 * {@code assets/<the layer's path>/} (Keras's {@code save_assets}/{@code load_assets}, e.g. a lookup layer's
 * {@code vocabulary.txt}), and variables stored by name in the layer's {@code vars} group (Keras's
 * {@code save_own_variables} with named keys, e.g. {@code idf_weights}). File and variable names may hold {@code /}
 * for sub-objects, which Keras saves at their attribute path: {@code _lookup_layer/vocabulary.txt} is the file
 * {@code assets/<layer path>/_lookup_layer/vocabulary.txt}, {@code _lookup_layer/idf_weights} the dataset
 * {@code <layer path>/_lookup_layer/vars/idf_weights} (a layer saving such a sub-object also declares its group
 * through {@link KerasVariableGroups}, so that the empty group Keras creates is written too). On load, variables are
 * given before assets, as Keras does; {@code Models.loadWeights} gives the variables only, as Keras's
 * {@code load_weights}.
 */
public interface KerasAssets {
    /**
     * The files to write (Keras's {@code save_assets}).
     *
     * @return the file contents by path relative to the layer's asset folder
     */
    Map<String, byte[]> saveAssets();

    /**
     * Restores the layer's state from its asset files (Keras's {@code load_assets}).
     *
     * @param files the file contents found under the layer's asset folder, by relative path
     */
    void loadAssets(Map<String, byte[]> files);

    /**
     * Variables written by name into the layer's {@code vars} group (Keras's {@code save_own_variables}).
     *
     * @return the variables by name; none by default
     */
    default Map<String, INDArray> saveOwnVariables() {
        return Map.of();
    }

    /**
     * Restores the named variables found in the layer's {@code vars} group (Keras's {@code load_own_variables});
     * called before {@link #loadAssets}. Does nothing by default.
     *
     * @param vars the variables by name
     */
    default void loadOwnVariables(Map<String, INDArray> vars) {}
}
