package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a {@code .keras} file the way Keras 3's loader does ({@code saving_lib.load_model}:
 * {@code _load_model_from_fileobj}, {@code _load_state}, {@code _walk_saveable},
 * {@code _load_container_state}, {@code H5IOStore}/{@code H5Entry}, and the layers' and
 * optimizers' {@code load_own_variables}), from the file alone, with its own table of what each
 * Keras layer and optimizer creates (not Cornu's code), and fails where real Keras 3.0 to 3.15
 * would fail or silently misload:
 *
 * <ul>
 *   <li>the zip holds {@code metadata.json} ({@code keras_version}, {@code date_saved}),
 *       {@code config.json} and {@code model.weights.h5}, and, for the lookup layers
 *       (StringLookup, IntegerLookup, TextVectorization) without a vocabulary in their config, the
 *       {@code assets/<layer path>/vocabulary.txt} that their {@code load_assets} opens
 *       (TextVectorization's also under {@code _lookup_layer/}), holding a vocabulary that
 *       {@code set_vocabulary} accepts, and in tf_idf mode the {@code idf_weights} their
 *       {@code load_own_variables} reads;</li>
 *   <li>{@code config.json} is {@code serialize_keras_object(model)}: {@code module},
 *       {@code class_name}, {@code config}, {@code registered_name} for the model and each
 *       layer, {@code build_config} and {@code compile_config} at the top;</li>
 *   <li>the root group {@code vars} exists (Keras 3.0 to 3.5's {@code H5Entry} reads
 *       {@code h5_file["vars"]} without a check) and every object the loader visits has its
 *       {@code <path>/vars} group (layers without weights too);</li>
 *   <li>each layer's {@code vars} holds exactly its variables, by count and shape, in Keras's
 *       order ({@code Layer.load_own_variables} compares the count and assigns by index);</li>
 *   <li>{@code optimizer/vars} holds iterations (int64), the learning rate (float32, unless a
 *       schedule) and the slot variables in the order the optimizer's {@code build} creates them
 *       ({@code BaseOptimizer.load_own_variables} compares only the count and assigns by index, so a
 *       wrong order would load silently wrong).</li>
 * </ul>
 *
 * Written from Keras 3's {@code saving_lib} (including Keras 3.0's {@code H5Entry}, which reads the
 * root {@code vars} unchecked) and the optimizers' {@code build} methods; it accepts the files Keras
 * 3.3.3, 3.13.2 and 3.15.1 wrote ({@link KerasFileCheckTest}).
 */
public final class KerasFileCheck {
    private KerasFileCheck() {}

    /** Checks a {@code .keras} file; returns the number of variables checked. */
    @SuppressWarnings("unchecked")
    public static int check(Path file) {
        try {
            Map<String, byte[]> zip = SavingTestSupport.zipEntries(file);
            for (String e : List.of("metadata.json", "config.json", "model.weights.h5")) {
                assertTrue(zip.containsKey(e), file + ": no " + e + " in " + zip.keySet());
            }
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> meta = json.readValue(zip.get("metadata.json"), Map.class);
            assertTrue(meta.get("keras_version") instanceof String, "metadata.json keras_version: " + meta);
            assertTrue(String.valueOf(meta.get("date_saved")).matches("\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d"),
                    "metadata.json date_saved: " + meta);
            Map<String, Object> top = json.readValue(zip.get("config.json"), Map.class);
            for (String k : List.of("module", "class_name", "config", "registered_name", "build_config", "compile_config")) {
                assertTrue(top.containsKey(k), "config.json has no '" + k + "': " + top.keySet());
            }
            try (HdfFile h5 = HdfFile.fromBytes(zip.get("model.weights.h5"))) {
                Checker c = new Checker(h5, zip);
                c.group("vars"); // Keras 3.0 to 3.5 read it unconditionally
                assertEquals(0, c.count("vars"), "the model's own vars");
                List<long[]> trainable = new ArrayList<>();
                c.model(top, "", trainable, true);
                Object cc = top.get("compile_config");
                if (cc instanceof Map<?, ?> ccm && ccm.get("optimizer") instanceof Map<?, ?> opt) {
                    c.optimizer((Map<String, Object>) opt, trainable);
                }
                return c.checked;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final class Checker {
        final HdfFile h5;
        final Map<String, byte[]> zip;
        int checked;

        Checker(HdfFile h5, Map<String, byte[]> zip) {
            this.h5 = h5;
            this.zip = zip;
        }

        Group group(String path) {
            Node n;
            try {
                n = h5.getByPath(path);
            } catch (RuntimeException e) {
                n = null;
            }
            if (!(n instanceof Group g)) {
                fail("model.weights.h5 has no group '" + path + "', which Keras's saver creates and its loader visits");
                return null;
            }
            return g;
        }

        int count(String path) {
            int n = 0;
            for (Node c : group(path).getChildren().values()) if (c instanceof Dataset) n++;
            return n;
        }

        long[] shape(String path) {
            Node n = h5.getByPath(path);
            assertTrue(n instanceof Dataset, path + " is not a dataset");
            return ((Dataset) n).getDimensionsAsLong();
        }

        /** A vars group holding exactly these shapes at 0..n-1. */
        void vars(String path, List<long[]> expected, String what) {
            String g = path.isEmpty() ? "vars" : path + "/vars";
            assertEquals(expected.size(), count(g), what + ": variables under '" + g + "'");
            for (int i = 0; i < expected.size(); i++) {
                long[] s = shape(g + "/" + i);
                assertTrue(Arrays.equals(expected.get(i), s), what + ": '" + g + "/" + i + "' has shape "
                        + Arrays.toString(s) + ", Keras expects " + Arrays.toString(expected.get(i)));
                checked++;
            }
        }

        @SuppressWarnings("unchecked")
        void model(Map<String, Object> entry, String prefix, List<long[]> trainable, boolean trainableParent) {
            String cls = (String) entry.get("class_name");
            Map<String, Object> cfg = (Map<String, Object>) entry.get("config");
            assertNotNull(cfg, "config of " + cls);
            boolean modelTrainable = trainableParent && !Boolean.FALSE.equals(cfg.get("trainable"));
            List<Map<String, Object>> layers = (List<Map<String, Object>>) cfg.get("layers");
            Map<String, Integer> used = new HashMap<>();
            Map<String, List<Object>> shapes = new LinkedHashMap<>(); // functional: layer name -> its input shape
            for (Map<String, Object> l : layers) {
                for (String k : List.of("module", "class_name", "config", "registered_name")) {
                    assertTrue(l.containsKey(k), "layer entry without '" + k + "': " + l.keySet());
                }
                String lc = (String) l.get("class_name");
                if (cls.equals("Sequential") && lc.equals("InputLayer")) continue; // not in Sequential.layers
                String name = snake(lc);
                Integer n = used.get(name);
                used.put(name, n == null ? 0 : n + 1);
                String path = prefix + "layers/" + (n == null ? name : name + "_" + (n + 1));
                group(path + "/vars");
                if (lc.equals("Sequential") || lc.equals("Functional")) {
                    vars(path, List.of(), "nested model");
                    model(l, path + "/", trainable, modelTrainable);
                    continue;
                }
                Map<String, Object> lcfg = (Map<String, Object>) l.get("config");
                boolean layerTrainable = modelTrainable && !Boolean.FALSE.equals(lcfg.get("trainable"));
                List<Object> input = inputShape(l);
                layer(lc, lcfg, input, path, trainable, layerTrainable);
            }
        }

        @SuppressWarnings("unchecked")
        static List<Object> inputShape(Map<String, Object> l) {
            Object bc = l.get("build_config");
            if (bc instanceof Map<?, ?> m && m.get("input_shape") instanceof List<?> s) return (List<Object>) s;
            // MultiHeadAttention's build(query_shape, value_shape, key_shape): [query, value(, key)]
            if (bc instanceof Map<?, ?> m && m.get("shapes_dict") instanceof Map<?, ?> sd) return new ArrayList<>(sd.values());
            return null;
        }

        static long last(List<Object> shape, String what) {
            assertNotNull(shape, what + ": no build_config input_shape");
            return ((Number) shape.get(shape.size() - 1)).longValue();
        }

        @SuppressWarnings("unchecked")
        void layer(String cls, Map<String, Object> c, List<Object> input, String path, List<long[]> trainable,
                   boolean isTrainable) {
            String what = cls + " \"" + c.get("name") + "\"";
            List<long[]> t = new ArrayList<>(); // trainable variables, in Keras's order
            List<long[]> nt = new ArrayList<>(); // non-trainable ones, after them
            boolean bias = !Boolean.FALSE.equals(c.get("use_bias"));
            switch (cls) {
                case "Dense" -> {
                    long units = ((Number) c.get("units")).longValue();
                    t.add(new long[] {last(input, what), units});
                    if (bias) t.add(new long[] {units});
                }
                case "Conv1D", "Conv2D" -> {
                    List<Number> k = (List<Number>) c.get("kernel_size");
                    long filters = ((Number) c.get("filters")).longValue();
                    long groups = c.get("groups") == null ? 1 : ((Number) c.get("groups")).longValue();
                    long[] s = new long[k.size() + 2];
                    for (int i = 0; i < k.size(); i++) s[i] = k.get(i).longValue();
                    s[k.size()] = last(input, what) / groups;
                    s[k.size() + 1] = filters;
                    t.add(s);
                    if (bias) t.add(new long[] {filters});
                }
                case "DepthwiseConv2D" -> {
                    List<Number> k = (List<Number>) c.get("kernel_size");
                    long in = last(input, what);
                    long mult = c.get("depth_multiplier") == null ? 1 : ((Number) c.get("depth_multiplier")).longValue();
                    t.add(new long[] {k.get(0).longValue(), k.get(1).longValue(), in, mult});
                    if (bias) t.add(new long[] {in * mult});
                }
                case "SeparableConv2D" -> {
                    List<Number> k = (List<Number>) c.get("kernel_size");
                    long in = last(input, what), filters = ((Number) c.get("filters")).longValue();
                    long mult = c.get("depth_multiplier") == null ? 1 : ((Number) c.get("depth_multiplier")).longValue();
                    t.add(new long[] {k.get(0).longValue(), k.get(1).longValue(), in, mult});
                    t.add(new long[] {1, 1, in * mult, filters});
                    if (bias) t.add(new long[] {filters});
                }
                case "Conv1DTranspose", "Conv2DTranspose" -> {
                    // the transposed layout: (...kernel_size, filters, in_channels)
                    List<Number> k = (List<Number>) c.get("kernel_size");
                    long filters = ((Number) c.get("filters")).longValue();
                    long[] s = new long[k.size() + 2];
                    for (int i = 0; i < k.size(); i++) s[i] = k.get(i).longValue();
                    s[k.size()] = filters;
                    s[k.size() + 1] = last(input, what);
                    t.add(s);
                    if (bias) t.add(new long[] {filters});
                }
                case "Embedding" -> t.add(new long[] {((Number) c.get("input_dim")).longValue(),
                        ((Number) c.get("output_dim")).longValue()});
                case "BatchNormalization" -> {
                    long ch = dim(input, c.get("axis") == null ? -1 : ((Number) (c.get("axis") instanceof List<?> l ? l.get(0)
                            : c.get("axis"))).intValue(), what);
                    if (!Boolean.FALSE.equals(c.get("scale"))) t.add(new long[] {ch});
                    if (!Boolean.FALSE.equals(c.get("center"))) t.add(new long[] {ch});
                    nt.add(new long[] {ch});
                    nt.add(new long[] {ch});
                }
                case "PReLU" -> {
                    // alpha: the input shape without the batch axis, 1 on each shared axis (1-based)
                    assertNotNull(input, what + ": no build_config input_shape");
                    long[] s = new long[input.size() - 1];
                    for (int i = 0; i < s.length; i++) s[i] = ((Number) input.get(i + 1)).longValue();
                    Object sa = c.get("shared_axes");
                    List<Object> shared = sa == null ? List.of() : sa instanceof List<?> l ? (List<Object>) l : List.of(sa);
                    for (Object a : shared) {
                        int i = ((Number) a).intValue() - 1;
                        s[i < 0 ? i + s.length : i] = 1;
                    }
                    t.add(s);
                }
                case "LayerNormalization" -> {
                    // gamma then beta, each of the normalized axes' sizes (in sorted axis order)
                    Object ax = c.get("axis");
                    List<Object> axes = ax instanceof List<?> l ? (List<Object>) l : List.of(ax == null ? -1 : ax);
                    List<Integer> sorted = new ArrayList<>();
                    for (Object a : axes) sorted.add(((Number) a).intValue());
                    java.util.Collections.sort(sorted);
                    long[] s = new long[sorted.size()];
                    for (int i = 0; i < s.length; i++) s[i] = dim(input, sorted.get(i), what);
                    boolean rms = Boolean.TRUE.equals(c.get("rms_scaling"));
                    if (!Boolean.FALSE.equals(c.get("scale")) || rms) t.add(s);
                    if (!Boolean.FALSE.equals(c.get("center")) && !rms) t.add(s);
                }
                case "GroupNormalization" -> {
                    long ch = dim(input, c.get("axis") == null ? -1 : ((Number) c.get("axis")).intValue(), what);
                    if (!Boolean.FALSE.equals(c.get("scale"))) t.add(new long[] {ch});
                    if (!Boolean.FALSE.equals(c.get("center"))) t.add(new long[] {ch});
                }
                case "SimpleRNN", "LSTM", "GRU" -> {
                    vars(path, List.of(), what + " (the RNN layer itself)");
                    List<long[]> cell = rnnCell(cls, c, last(input, what));
                    group(path + "/cell/vars");
                    vars(path + "/cell", cell, what + " cell");
                    if (isTrainable) trainable.addAll(cell);
                    return;
                }
                case "Bidirectional" -> {
                    vars(path, List.of(), what);
                    Map<String, Object> inner = (Map<String, Object>) c.get("layer");
                    Map<String, Object> ic = (Map<String, Object>) inner.get("config");
                    String icls = (String) inner.get("class_name");
                    long in = last(input, what);
                    List<long[]> fw = rnnCell(icls, ic, in);
                    Map<String, Object> bl = c.get("backward_layer") instanceof Map<?, ?> b ? (Map<String, Object>) b : inner;
                    List<long[]> bw = rnnCell((String) bl.get("class_name"), (Map<String, Object>) bl.get("config"), in);
                    // Keras visits attributes in sorted order, but the weights' order is forward then backward
                    vars(path + "/forward_layer", List.of(), what + " forward_layer");
                    vars(path + "/forward_layer/cell", fw, what + " forward cell");
                    vars(path + "/backward_layer", List.of(), what + " backward_layer");
                    vars(path + "/backward_layer/cell", bw, what + " backward cell");
                    if (isTrainable) {
                        trainable.addAll(fw);
                        trainable.addAll(bw);
                    }
                    return;
                }
                case "TimeDistributed" -> {
                    vars(path, List.of(), what);
                    Map<String, Object> inner = (Map<String, Object>) c.get("layer");
                    List<Object> step = input == null ? null : new ArrayList<>(input);
                    if (step != null) step.remove(1); // the wrapped layer sees one time step
                    group(path + "/layer/vars");
                    layer((String) inner.get("class_name"), (Map<String, Object>) inner.get("config"), step, path + "/layer",
                            trainable, isTrainable);
                    return;
                }
                // attention (issue 18)
                case "Attention", "AdditiveAttention" -> {
                    assertNotNull(input, what + ": no build_config input_shape");
                    if (Boolean.TRUE.equals(c.get("use_scale")) || (cls.equals("AdditiveAttention") && c.get("use_scale") == null)) {
                        t.add(cls.equals("Attention") ? new long[0] : new long[] {last((List<Object>) input.get(0), what)});
                    }
                    if (cls.equals("Attention") && "concat".equals(c.get("score_mode"))) t.add(new long[0]);
                }
                case "MultiHeadAttention" -> {
                    // EinsumDense sub-layers: query, key, value, attention_output; saved under *_dense
                    assertNotNull(input, what + ": no build_config shapes_dict");
                    long heads = ((Number) c.get("num_heads")).longValue(), kd = ((Number) c.get("key_dim")).longValue();
                    long vd = c.get("value_dim") == null ? kd : ((Number) c.get("value_dim")).longValue();
                    long qdim = last((List<Object>) input.get(0), what), vdim = last((List<Object>) input.get(1), what);
                    long kdim = input.size() > 2 ? last((List<Object>) input.get(2), what) : vdim;
                    List<Object> os = c.get("output_shape") == null ? List.of(qdim)
                            : c.get("output_shape") instanceof List<?> l ? (List<Object>) l : List.of(c.get("output_shape"));
                    long[] out = new long[os.size()];
                    for (int i = 0; i < out.length; i++) out[i] = ((Number) os.get(i)).longValue();
                    long[] ok = new long[2 + out.length];
                    ok[0] = heads;
                    ok[1] = vd;
                    System.arraycopy(out, 0, ok, 2, out.length);
                    Map<String, List<long[]>> sub = new LinkedHashMap<>();
                    sub.put("query_dense", bias ? List.of(new long[] {qdim, heads, kd}, new long[] {heads, kd}) : List.of(new long[] {qdim, heads, kd}));
                    sub.put("key_dense", bias ? List.of(new long[] {kdim, heads, kd}, new long[] {heads, kd}) : List.of(new long[] {kdim, heads, kd}));
                    sub.put("value_dense", bias ? List.of(new long[] {vdim, heads, vd}, new long[] {heads, vd}) : List.of(new long[] {vdim, heads, vd}));
                    sub.put("output_dense", bias ? List.of(ok, out) : List.of(ok));
                    vars(path, List.of(), what + " (the layer itself)");
                    vars(path + "/_softmax", List.of(), what + " _softmax");
                    vars(path + "/_dropout_layer", List.of(), what + " _dropout_layer");
                    for (Map.Entry<String, List<long[]>> e : sub.entrySet()) {
                        vars(path + "/" + e.getKey(), e.getValue(), what + " " + e.getKey());
                        if (isTrainable) trainable.addAll(e.getValue());
                    }
                    return;
                }
                case "Lambda" -> { }
                // text preprocessing (issue 18): the vocabulary in the assets, tf_idf weights as named variables
                case "StringLookup", "IntegerLookup", "TextVectorization" -> {
                    lookup(cls, c, path, what);
                    return;
                }
                // image preprocessing (issue 18): only Normalization has variables, and only without a given mean
                case "Normalization" -> {
                    if (c.get("mean") == null) {
                        Object ax = c.get("axis");
                        List<Object> axes = ax == null ? List.of() : ax instanceof List<?> l ? (List<Object>) l : List.of(ax);
                        List<Integer> keep = new ArrayList<>();
                        assertNotNull(input, what + ": no build_config input_shape");
                        for (Object a : axes) {
                            int i = ((Number) a).intValue();
                            keep.add(i < 0 ? i + input.size() : i);
                        }
                        java.util.Collections.sort(keep);
                        long[] s = new long[keep.size()];
                        for (int i = 0; i < s.length; i++) s[i] = dim(input, keep.get(i), what);
                        nt.add(s); // mean
                        nt.add(s); // variance
                        nt.add(new long[0]); // count (int32)
                    }
                }
                case "Resizing", "CenterCrop", "RandomCrop", "RandomHeight", "RandomWidth", "RandomContrast", "RandomBrightness" -> { }
                case "InputLayer", "Flatten", "Dropout", "Activation", "MaxPooling1D", "MaxPooling2D", "AveragePooling2D",
                        "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Reshape", "Add", "Concatenate", "RepeatVector",
                        "ZeroPadding2D", "UpSampling2D", "Rescaling", "Masking", "RandomFlip", "RandomRotation",
                        "RandomZoom", "RandomTranslation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Multiply", "Subtract",
                        "Average", "Maximum", "Minimum", "Dot", "Permute", "Identity", "UnitNormalization", "SpatialDropout1D",
                        "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "ActivityRegularization", "AveragePooling1D",
                        "GlobalAveragePooling1D", "GlobalMaxPooling1D", "Cropping1D", "Cropping2D" -> { }
                default -> fail("the checker does not know what Keras's " + cls + " creates (layer \"" + c.get("name")
                        + "\"): add it to KerasFileCheck");
            }
            List<long[]> all = new ArrayList<>(t);
            all.addAll(nt);
            vars(path, all, what);
            if (isTrainable) trainable.addAll(t);
        }

        /**
         * IndexLookup's {@code load_own_variables} and {@code load_assets} (TextVectorization's delegate to its
         * {@code _lookup_layer}, which the loader then visits itself): {@code vocabulary.txt} read with Python's
         * {@code splitlines}, trailing empty lines dropped, then {@code set_vocabulary}'s checks.
         */
        @SuppressWarnings("unchecked")
        void lookup(String cls, Map<String, Object> c, String path, String what) {
            boolean tv = cls.equals("TextVectorization");
            String mode = String.valueOf(c.getOrDefault("output_mode", "int"));
            boolean tfidf = mode.equals("tf_idf") || mode.equals("tf-idf");
            List<String> objects = tv ? List.of(path, path + "/_lookup_layer") : List.of(path);
            for (String o : objects) {
                group(o + "/vars");
                assertEquals(tfidf ? 1 : 0, count(o + "/vars"), what + ": variables under '" + o + "/vars'");
            }
            if (c.get("vocabulary") != null) return; // in the config: save_assets writes nothing, load_assets reads nothing
            Object mask = tv ? "" : c.get("mask_token");
            Object oov = tv ? "[UNK]" : c.containsKey("oov_token") ? c.get("oov_token") : cls.equals("StringLookup") ? "[UNK]" : -1;
            int nOov = c.get("num_oov_indices") == null ? 1 : ((Number) c.get("num_oov_indices")).intValue();
            boolean intMode = mode.equals("int");
            for (String o : objects) {
                String file = "assets/" + o + "/vocabulary.txt";
                byte[] bytes = zip.get(file);
                assertNotNull(bytes, what + ": no " + file + " in the archive, which load_assets opens (entries: " + zip.keySet() + ")");
                List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                        .split("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]", -1)));
                while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
                List<String> special = new ArrayList<>();
                if (mask != null && intMode) special.add(String.valueOf(mask));
                for (int i = 0; i < nOov; i++) special.add(String.valueOf(oov));
                boolean found = lines.size() >= special.size() && lines.subList(0, special.size()).equals(special);
                List<String> tokens = found ? lines.subList(special.size(), lines.size()) : lines;
                assertTrue(!tokens.isEmpty() || found, what + ": " + file + " is empty (Cannot set an empty vocabulary)");
                assertEquals(tokens.size(), new java.util.HashSet<>(tokens).size(), what + ": " + file + " repeats a term");
                if (mask != null) assertTrue(!tokens.contains(String.valueOf(mask)), what + ": " + file + " holds the mask token past the start");
                int size = (found ? 0 : special.size()) + lines.size();
                if (c.get("max_tokens") instanceof Number mt) {
                    assertTrue(size <= mt.intValue(), what + ": " + file + " holds " + size + " terms, more than max_tokens " + mt);
                }
                boolean pad = Boolean.TRUE.equals(c.get("pad_to_max_tokens"));
                if (!intMode && !pad && c.get("vocabulary_size") instanceof Number vs) {
                    assertEquals(vs.intValue(), size, what + ": " + file + " vs the config's vocabulary_size (Keras refuses a changed size)");
                }
                if (tfidf) {
                    long[] s = shape(o + "/vars/idf_weights");
                    long want = pad && c.get("max_tokens") instanceof Number mt ? mt.longValue() : size;
                    assertTrue(Arrays.equals(new long[] {want}, s), what + ": " + o + "/vars/idf_weights has shape " + Arrays.toString(s)
                            + ", the vocabulary needs [" + want + "]");
                    checked++;
                }
            }
        }

        /** Axis {@code axis} (negative counts from the end) of the build input shape. */
        static long dim(List<Object> shape, int axis, String what) {
            assertNotNull(shape, what + ": no build_config input_shape");
            Object d = shape.get(axis < 0 ? shape.size() + axis : axis);
            assertNotNull(d, what + ": axis " + axis + " of the input shape " + shape + " is undefined");
            return ((Number) d).longValue();
        }

        static List<long[]> rnnCell(String cls, Map<String, Object> c, long in) {
            long u = ((Number) c.get("units")).longValue();
            boolean bias = !Boolean.FALSE.equals(c.get("use_bias"));
            long g = cls.equals("LSTM") ? 4 : cls.equals("GRU") ? 3 : 1;
            List<long[]> r = new ArrayList<>(List.of(new long[] {in, g * u}, new long[] {u, g * u}));
            if (bias) {
                boolean resetAfter = cls.equals("GRU") && !Boolean.FALSE.equals(c.get("reset_after"));
                r.add(resetAfter ? new long[] {2, g * u} : new long[] {g * u});
            }
            return r;
        }

        /** The slot layout of each Keras optimizer's build: groups, interleaved within a group. */
        @SuppressWarnings("unchecked")
        void optimizer(Map<String, Object> opt, List<long[]> trainable) {
            String cls = (String) opt.get("class_name");
            Map<String, Object> c = (Map<String, Object>) opt.get("config");
            group("optimizer/vars");
            int stored = count("optimizer/vars");
            boolean schedule = c.get("learning_rate") instanceof Map;
            int head = schedule ? 1 : 2;
            assertTrue(stored >= head, "optimizer/vars holds " + stored + " variables");
            Dataset it = (Dataset) h5.getByPath("optimizer/vars/0");
            // "int": int64 with the TensorFlow and PyTorch backends, int32 with JAX
            Class<?> itType = it.getJavaType();
            assertTrue(itType == long.class || itType == Long.class || itType == int.class || itType == Integer.class,
                    "optimizer/vars/0 (iterations) is an integer, not " + itType);
            assertEquals(0, it.getDimensions().length);
            if (!schedule) {
                Dataset lr = (Dataset) h5.getByPath("optimizer/vars/1");
                assertTrue(lr.getJavaType() == float.class || lr.getJavaType() == Float.class,
                        "optimizer/vars/1 (learning_rate) is float32, not " + lr.getJavaType());
                assertEquals(0, lr.getDimensions().length);
            }
            if (stored == head) return; // saved before the first update: Keras warns and starts fresh, as it writes
            List<int[]> groups; // per group: number of slot kinds
            int trailing = 0;
            switch (cls) {
                case "Adam", "AdamW" -> groups = Boolean.TRUE.equals(c.get("amsgrad")) ? List.of(new int[] {2}, new int[] {1})
                        : List.of(new int[] {2});
                case "Adamax", "Adadelta" -> groups = List.of(new int[] {2});
                case "Nadam" -> {
                    groups = List.of(new int[] {2});
                    trailing = 1; // u_product, created after the slots (Keras 3.10 and later)
                }
                case "RMSprop" -> {
                    groups = new ArrayList<>(List.of(new int[] {1}));
                    if (((Number) c.getOrDefault("momentum", 0.0)).doubleValue() > 0) groups.add(new int[] {1});
                    if (Boolean.TRUE.equals(c.get("centered"))) groups.add(new int[] {1});
                }
                case "SGD" -> groups = ((Number) c.getOrDefault("momentum", 0.0)).doubleValue() != 0
                        ? List.of(new int[] {1}) : List.of();
                case "Adagrad" -> groups = List.of(new int[] {1});
                default -> {
                    fail("the checker does not know Keras's " + cls + ".build: add it to KerasFileCheck");
                    return;
                }
            }
            List<long[]> expected = new ArrayList<>();
            expected.add(new long[0]);
            if (!schedule) expected.add(new long[0]);
            for (int[] g : groups) for (long[] w : trainable) for (int k = 0; k < g[0]; k++) expected.add(w);
            for (int i = 0; i < trailing; i++) expected.add(new long[0]);
            assertEquals(expected.size(), stored, cls + ": optimizer/vars count (Keras skips the state otherwise)");
            for (int i = 0; i < expected.size(); i++) {
                long[] s = shape("optimizer/vars/" + i);
                assertTrue(Arrays.equals(expected.get(i), s), cls + ": optimizer/vars/" + i + " has shape "
                        + Arrays.toString(s) + ", Keras's build order expects " + Arrays.toString(expected.get(i)));
                checked++;
            }
        }
    }

    /** Keras's {@code naming.to_snake_case} of a class name. */
    static String snake(String name) {
        String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
        return s;
    }

}
