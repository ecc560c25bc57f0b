package org.cornu.core.saving;

import java.util.List;
import java.util.Map;

/**
 * A layer whose functional calls Keras 3 serializes with keyword arguments: an inbound node of
 * {@code config.json} is {@code {"args": [...], "kwargs": {...}}}, and a layer such as
 * {@code MultiHeadAttention} writes {@code args: [query, value]} with
 * {@code kwargs: {"key": <tensor>, "use_causal_mask": true}}, or {@code Attention} writes
 * {@code args: [[query, value]]} with {@code kwargs: {"return_attention_scores": true}}.
 * Cornu's graph gives a layer a flat list of input tensors; this interface maps that list to
 * Keras's args and kwargs when saving, and back when loading. Layers that do not implement it
 * are written as {@code args} of their inputs and empty {@code kwargs}, and their kwargs are
 * ignored when loading.
 */
public interface KerasCallArguments {
    /**
     * Fills Keras's {@code args} and {@code kwargs} of one call from {@code inputs}, the node's
     * input tensors (already serialized as {@code __keras_tensor__} objects) in this layer's input
     * order; non-tensor call arguments the layer holds (flags) go to {@code kwargs} as Keras writes them.
     *
     * @param inputs the node's serialized input tensors
     * @param args receives the positional arguments
     * @param kwargs receives the keyword arguments
     */
    void toKerasCall(List<Object> inputs, List<Object> args, Map<String, Object> kwargs);

    /**
     * This layer's input list from one Keras call: {@code args}, the tensors of {@code args}
     * flattened in order; {@code tensorKwargs}, the keyword arguments that are tensors;
     * {@code otherKwargs}, the rest ({@code use_causal_mask}...), which the layer applies to itself.
     * A keyword argument the layer cannot honour is an error naming it.
     *
     * @param <T> the type of a tensor reference
     * @param args the positional tensors
     * @param tensorKwargs the keyword tensors
     * @param otherKwargs the other keyword arguments
     * @return the layer's inputs, in its input order
     */
    <T> List<T> fromKerasCall(List<T> args, Map<String, T> tensorKwargs, Map<String, Object> otherKwargs);

    /**
     * Keras's {@code build_config} for inputs of {@code inputShapes} (one shape list per input, in
     * this layer's input order); by default {@code {"input_shape": ...}}, a single shape when there
     * is one input. {@code MultiHeadAttention} writes {@code {"shapes_dict": {"query_shape": ...}}}.
     *
     * @param inputShapes one shape list per input
     * @return the build config
     */
    default Map<String, Object> kerasBuildConfig(List<Object> inputShapes) {
        Map<String, Object> bc = new java.util.LinkedHashMap<>();
        bc.put("input_shape", inputShapes.size() == 1 ? inputShapes.get(0) : inputShapes);
        return bc;
    }
}
