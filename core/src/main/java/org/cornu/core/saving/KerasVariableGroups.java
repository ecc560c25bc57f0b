package org.cornu.core.saving;

import java.util.List;
import java.util.Map;
import org.cornu.core.Weight;

/**
 * A layer whose variables Keras 3 saves under sub-objects rather than under the layer itself:
 * an RNN's {@code cell} ({@code layers/lstm/cell/vars/0}), Bidirectional's
 * {@code forward_layer/cell} and {@code backward_layer/cell}, TimeDistributed's {@code layer}.
 * Keras's saver walks a layer's trackable attributes and writes each object's own variables at
 * its attribute path.
 */
public interface KerasVariableGroups {
    /**
     * Attribute path (relative to the layer, no leading slash) to the variables saved there, in Keras's order.
     *
     * @return path to weights
     */
    Map<String, List<Weight>> kerasVariableGroups();

    /**
     * The groups of any layer: its own, or the layer's own variables at the empty path.
     *
     * @param l a layer
     * @return path to weights
     */
    static Map<String, List<Weight>> of(org.cornu.core.Layer l) {
        if (l instanceof KerasVariableGroups g) return g.kerasVariableGroups();
        return Map.of("", l.weights());
    }
}
