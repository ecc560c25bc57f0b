package org.cornu.testing;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes weight files in the layout of Keras 2's {@code save_weights("x.h5")}, the layout of
 * Keras's application weight files: root attributes {@code layer_names}, {@code backend} and
 * {@code keras_version}; one group per layer with an attribute {@code weight_names} listing its
 * datasets ({@code block1_conv1/kernel:0}, stored at {@code block1_conv1/block1_conv1/kernel:0}),
 * trainable weights first. Layers without weights are listed in {@code layer_names} with no
 * {@code weight_names} attribute (jHDF cannot write Keras's empty array), their group holding one
 * unlisted scalar dataset {@code unused} (jHDF 0.13.0 writes childless groups it cannot read back).
 */
public final class LegacyWeightsFile {
    private final Map<String, List<Map.Entry<String, INDArray>>> layers = new LinkedHashMap<>();

    /** Adds a layer group; {@code weights} are (short name, value) pairs, e.g. ("kernel:0", k). */
    public LegacyWeightsFile layer(String name, List<Map.Entry<String, INDArray>> weights) {
        layers.put(name, weights);
        return this;
    }

    /** Adds every layer of {@code model}, in {@code model.layers} order, with Keras 2's names {@code <weight>:0}. */
    public static LegacyWeightsFile of(Model model) {
        LegacyWeightsFile f = new LegacyWeightsFile();
        for (Layer l : model.layers()) {
            List<Map.Entry<String, INDArray>> ws = new ArrayList<>();
            List<Weight> legacy = new ArrayList<>(l.trainableWeights());
            legacy.addAll(l.nonTrainableWeights());
            for (Weight w : legacy) ws.add(Map.entry(w.name() + ":0", w.value()));
            f.layer(l.name(), ws);
        }
        return f;
    }

    /** Writes the file. */
    public void write(Path path) {
        try (WritableHdfFile f = HdfFile.write(path)) {
            f.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
            f.putAttribute("backend", "tensorflow");
            f.putAttribute("keras_version", "2.2.4");
            for (Map.Entry<String, List<Map.Entry<String, INDArray>>> e : layers.entrySet()) {
                WritableGroup g = f.putGroup(e.getKey());
                if (e.getValue().isEmpty()) {
                    g.putDataset("unused", 0f);
                    continue;
                }
                List<String> names = new ArrayList<>();
                WritableGroup inner = g.putGroup(e.getKey());
                for (Map.Entry<String, INDArray> w : e.getValue()) {
                    names.add(e.getKey() + "/" + w.getKey());
                    inner.putDataset(w.getKey(), toJava(w.getValue()));
                }
                g.putAttribute("weight_names", names.toArray(new String[0]));
            }
        }
    }

    /** A float array as a Java multidimensional float array of its shape. */
    static Object toJava(INDArray a) {
        long[] shape = a.shape();
        float[] flat = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (shape.length == 0) return flat[0];
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) dims[i] = (int) shape[i];
        Object arr = Array.newInstance(float.class, dims);
        fill(arr, flat, new int[] {0}, 0, dims);
        return arr;
    }

    private static void fill(Object arr, float[] flat, int[] pos, int depth, int[] dims) {
        if (depth == dims.length - 1) {
            System.arraycopy(flat, pos[0], arr, 0, dims[depth]);
            pos[0] += dims[depth];
            return;
        }
        for (int i = 0; i < dims[depth]; i++) fill(Array.get(arr, i), flat, pos, depth + 1, dims);
    }
}
