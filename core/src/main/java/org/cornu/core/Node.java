package org.cornu.core;

import java.util.List;

/** One application of a layer in a functional graph: its symbolic inputs and outputs. */
final class Node {
    final Layer layer;
    final List<KerasTensor> inputs;
    final int index;
    List<KerasTensor> outputs;

    Node(Layer layer, List<KerasTensor> inputs, int index) {
        this.layer = layer;
        this.inputs = inputs;
        this.index = index;
    }
}
