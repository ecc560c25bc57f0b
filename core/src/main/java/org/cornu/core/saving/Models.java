package org.cornu.core.saving;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.cornu.core.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saving and loading models in Keras 3's formats.
 *
 * <ul>
 *   <li>{@code .keras}: a zip holding {@code metadata.json} (keras_version, date_saved),
 *       {@code config.json} (the model's serialized config and compile config),
 *       {@code model.weights.h5} (see {@link WeightsStore} for the layout) and, for layers with
 *       {@link KerasAssets} (a lookup layer's vocabulary), their files under
 *       {@code assets/<the layer's path>/}, the path of its variables in the weights file
 *       ({@code assets/layers/text_vectorization/vocabulary.txt}), as Keras's {@code save_assets};</li>
 *   <li>{@code .weights.h5}: the same HDF5 file alone;</li>
 *   <li>JSON configs: {@link #toJson}, {@link #modelFromJson}, {@link #fromConfig}.</li>
 * </ul>
 *
 * Writes are atomic ({@link AtomicFiles}): the file is written to a temporary file in the same
 * folder, read back and checked (every dataset's bytes, and the CRC-32 of the whole), then moved
 * over the target, keeping the permissions of the file it replaces. A bad file gives an error naming the file and what is wrong.
 */
public final class Models {
    /**
     * The Keras release whose {@code .keras} layout Cornu writes, as {@code metadata.json}'s
     * {@code keras_version}: Keras 3.10's (optimizer variables in its build order, Nadam's
     * {@code u_product} last), with the empty {@code vars} groups and plain-string {@code dtype}s
     * that every Keras 3 release reads. Keras does not read this entry when it loads a file.
     */
    public static final String KERAS_VERSION = "3.10.0";

    /** The producer Cornu adds to {@code metadata.json} ({@code "cornu_version"}), so that a file says who wrote it. */
    public static final String CORNU_VERSION = cornuVersion();

    private static String cornuVersion() {
        String v = Models.class.getPackage() != null ? Models.class.getPackage().getImplementationVersion() : null;
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";

    private Models() {}

    // ------------------------------------------------------------------ .keras

    /**
     * Saves {@code model} as a {@code .keras} file (Keras's {@code model.save}).
     *
     * @param model the model
     * @param path the file to write, ending in {@code .keras}
     */
    public static void save(Model model, Path path) {
        String name = path.getFileName().toString();
        if (!name.endsWith(".keras")) {
            throw new IllegalArgumentException("Invalid filepath argument: expected a `.keras` extension. Received: filepath=" + path);
        }
        byte[] metadata = json(metadata());
        byte[] config = json(ModelConfig.serialize(model));
        Map<String, INDArray> vars = WeightsStore.collect(model, true);
        Hdf5Writer h5 = WeightsStore.writer(vars, WeightsStore.kerasGroups(model, true));
        Map<String, byte[]> assets = assets(model);
        AtomicFiles.write(path, tmp -> {
            Map<String, byte[]> small = new LinkedHashMap<>();
            small.put(METADATA, metadata);
            small.put(CONFIG, config);
            KerasZip.write(tmp, small, WEIGHTS, h5, assets);
            // read back before replacing the old file: every entry's CRC-32, the config, the HDF5 file's datasets
            Map<String, ByteBuffer> back = readZip(tmp, tmp.toString());
            java.util.Set<String> names = new java.util.HashSet<>(java.util.Set.of(METADATA, CONFIG, WEIGHTS));
            names.addAll(assets.keySet());
            if (!back.keySet().equals(names)) {
                throw new IOException("the archive written for " + path + " does not read back: entries " + back.keySet());
            }
            for (Map.Entry<String, byte[]> e : assets.entrySet()) {
                if (!back.get(e.getKey()).equals(ByteBuffer.wrap(e.getValue()))) {
                    throw new IOException("the archive written for " + path + " does not read back: " + e.getKey() + " differs");
                }
            }
            parse(back.get(CONFIG), tmp + " (" + CONFIG + ")");
            verify(h5, back.get(WEIGHTS), path);
        });
    }

    /**
     * Loads a model saved by {@link #save} or by Keras 3 ({@code keras.saving.load_model}), compiled if it was.
     *
     * <pre>{@code
     * Model model = Models.loadModel(Path.of("my_model.keras"));
     * INDArray p = model.predict(x);
     * }</pre>
     *
     * @param path a {@code .keras} file
     * @return the model, with its weights, and its optimizer state when compiled
     */
    public static Model loadModel(Path path) {
        return load(path, true, path.toString());
    }

    /**
     * Loads a model; {@code compile=false} ignores the compile config and the optimizer state.
     *
     * @param path a {@code .keras} file
     * @param compile false to load uncompiled (Keras's {@code compile}, default true)
     * @return the model
     */
    public static Model loadModel(Path path, boolean compile) {
        return load(path, compile, path.toString());
    }

    /**
     * {@link #loadModel(Path)} with a path string.
     *
     * @param path a {@code .keras} file
     * @return the model
     */
    public static Model loadModel(String path) {
        return loadModel(Path.of(path));
    }

    private static Model load(Path path, boolean compile, String label) {
        if (label.endsWith(".h5") && !label.endsWith(".weights.h5")) return LegacyH5.loadModel(path, compile);
        Map<String, ByteBuffer> entries = readZip(path, label);
        ByteBuffer config = entries.get(CONFIG);
        if (config == null) {
            throw new IllegalArgumentException("File " + label + " is not a valid .keras file: it has no " + CONFIG
                    + " (entries: " + entries.keySet() + ")");
        }
        Map<String, Object> top = parse(config, label + " (" + CONFIG + ")");
        ByteBuffer h5 = entries.get(WEIGHTS);
        if (h5 == null) {
            throw new IllegalArgumentException("File " + label + " is not a valid .keras file: it has no " + WEIGHTS
                    + " (entries: " + entries.keySet() + ")");
        }
        Map<String, INDArray> vars = readH5(h5, label + " (" + WEIGHTS + ")");
        Model model;
        try {
            model = ModelConfig.deserialize(top, compile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("File " + label + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("File " + label + ": the model config cannot be read: " + e, e);
        }
        WeightsStore.assign(model, vars, "File " + label, compile);
        loadAssets(model, entries, label);
        return model;
    }

    static final String ASSETS = "assets/";

    /** The asset files of every {@link KerasAssets} layer, by zip entry name ({@code assets/<layer path>/<file>}). */
    static Map<String, byte[]> assets(Model model) {
        Map<String, byte[]> r = new LinkedHashMap<>();
        for (Map.Entry<String, org.cornu.core.Layer> e : WeightsStore.layerPaths(model).entrySet()) {
            if (!(e.getValue() instanceof KerasAssets a)) continue;
            for (Map.Entry<String, byte[]> f : a.saveAssets().entrySet()) r.put(ASSETS + e.getKey() + "/" + f.getKey(), f.getValue());
        }
        return r;
    }

    /** Keras's {@code load_assets}: each {@link KerasAssets} layer gets the files under its path (after its variables). */
    private static void loadAssets(Model model, Map<String, ByteBuffer> entries, String label) {
        for (Map.Entry<String, org.cornu.core.Layer> e : WeightsStore.layerPaths(model).entrySet()) {
            if (!(e.getValue() instanceof KerasAssets a)) continue;
            String prefix = ASSETS + e.getKey() + "/";
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Map.Entry<String, ByteBuffer> z : entries.entrySet()) {
                String n = z.getKey();
                if (!n.startsWith(prefix) || n.endsWith("/")) continue;
                String rel = n.substring(prefix.length());
                if (rel.startsWith("layers/") || rel.contains("/layers/")) continue; // a nested model's layer
                ByteBuffer b = z.getValue().duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                files.put(rel, bytes);
            }
            try {
                a.loadAssets(files);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("File " + label + ": the assets of layer \"" + e.getValue().name() + "\" (under "
                        + prefix + ") cannot be loaded: " + ex.getMessage(), ex);
            }
        }
    }

    // ------------------------------------------------------------------ .weights.h5

    /**
     * Saves the weights (and the optimizer's state if compiled) to a {@code .weights.h5} file.
     *
     * @param model the model
     * @param path the file to write, ending in {@code .weights.h5}
     */
    public static void saveWeights(Model model, Path path) {
        if (!path.getFileName().toString().endsWith(".weights.h5")) {
            throw new IllegalArgumentException("Invalid filepath argument: expected a `.weights.h5` extension. Received: filepath=" + path);
        }
        Map<String, INDArray> vars = WeightsStore.collect(model, true);
        Hdf5Writer h5 = WeightsStore.writer(vars, WeightsStore.kerasGroups(model, true));
        AtomicFiles.write(path, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                h5.writeTo(ch);
            }
            byte[] back = Files.readAllBytes(tmp);
            CRC32 crc = new CRC32();
            crc.update(back);
            if (back.length != h5.size() || crc.getValue() != h5.crc32()) {
                throw new IOException("the HDF5 file written for " + path + " does not read back: " + back.length + " bytes of "
                        + h5.size() + (back.length == h5.size() ? ", with other content" : ""));
            }
            verify(h5, ByteBuffer.wrap(back), path);
        });
    }

    /**
     * Loads weights from a {@code .weights.h5} or {@code .keras} file into {@code model} (same architecture).
     *
     * @param model the model to load into
     * @param path a {@code .weights.h5}, {@code .keras} or legacy {@code .h5} file
     */
    public static void loadWeights(Model model, Path path) {
        String label = path.toString();
        Map<String, INDArray> vars;
        if (label.endsWith(".keras")) {
            ByteBuffer h5 = readZip(path, label).get(WEIGHTS);
            if (h5 == null) throw new IllegalArgumentException("File " + label + " is not a valid .keras file: it has no " + WEIGHTS);
            vars = readH5(h5, label + " (" + WEIGHTS + ")");
        } else if (label.endsWith(".weights.h5")) {
            vars = readH5(ByteBuffer.wrap(readBytes(path, label)), label);
        } else if (label.endsWith(".h5") || label.endsWith(".hdf5")) {
            LegacyH5.loadWeightsTopological(model, path);
            return;
        } else {
            throw new IllegalArgumentException("Invalid filepath: expected a `.weights.h5` or `.keras` file. Received: " + label);
        }
        WeightsStore.assign(model, vars, "File " + label, true);
    }

    /**
     * Loads a legacy {@code .h5} weight file by layer name, as Keras's
     * {@code model.load_weights(path, by_name=True, skip_mismatch=skipMismatch)}: layers of the
     * file without a layer of the same name in {@code model} are skipped; with
     * {@code skipMismatch}, so are layers whose weight count or shapes differ (with a warning).
     *
     * @param model the model to load into
     * @param path a legacy {@code .h5} weight file
     * @param skipMismatch true to skip, with a warning, layers whose weights do not fit (Keras's {@code skip_mismatch}, default false)
     */
    public static void loadWeightsByName(Model model, Path path, boolean skipMismatch) {
        String label = path.toString();
        if (!(label.endsWith(".h5") || label.endsWith(".hdf5")) || label.endsWith(".weights.h5")) {
            throw new IllegalArgumentException("Loading weights by name is only supported for legacy .h5 files"
                    + " (Keras's by_name=True). Received: " + label);
        }
        LegacyH5.loadWeightsByName(model, path, skipMismatch);
    }

    // ------------------------------------------------------------------ JSON

    /**
     * The serialized model (Keras's {@code serialize_keras_object(model)}), without the compile config.
     *
     * @param model the model
     * @return the serialized form: module, class_name, config
     */
    public static Map<String, Object> getConfig(Model model) {
        Map<String, Object> m = ModelConfig.serialize(model);
        m.remove("compile_config");
        return m;
    }

    /**
     * A new, uncompiled model from a config: either the serialized form ({@code class_name} +
     * {@code config}) or a model's {@code getConfig()} map (functional if it has
     * {@code input_layers}, else Sequential).
     *
     * @param config the config
     * @return the model, with fresh weights
     */
    public static Model fromConfig(Map<String, Object> config) {
        Map<String, Object> top = config;
        if (!config.containsKey("class_name")) {
            top = new LinkedHashMap<>();
            top.put("class_name", config.containsKey("input_layers") ? "Functional" : "Sequential");
            top.put("config", config);
        }
        return ModelConfig.deserialize(top, false);
    }

    /**
     * Keras's {@code model.to_json()}.
     *
     * @param model the model
     * @return the JSON text
     */
    public static String toJson(Model model) {
        return new String(json(getConfig(model)), StandardCharsets.UTF_8);
    }

    /**
     * Keras's {@code keras.models.model_from_json}: a new, uncompiled model with fresh weights.
     *
     * @param json the text of {@link #toJson}, or of Keras's {@code model.to_json()}
     * @return the model
     */
    public static Model modelFromJson(String json) {
        return fromConfig(parse(json.getBytes(StandardCharsets.UTF_8), "model JSON"));
    }

    // ------------------------------------------------------------------ plumbing

    static Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keras_version", KERAS_VERSION);
        m.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        m.put("cornu_version", CORNU_VERSION);
        return m;
    }

    static byte[] json(Object o) {
        try {
            return Json.write(o);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> parse(byte[] bytes, String label) {
        return parse(ByteBuffer.wrap(bytes), label);
    }

    static Map<String, Object> parse(ByteBuffer bytes, String label) {
        try {
            Object o = bytes.hasArray()
                    ? Json.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining())
                    : Json.read(copy(bytes), 0, bytes.remaining());
            if (!(o instanceof Map)) throw new IllegalArgumentException(label + " is not a JSON object");
            return Configs.map(o);
        } catch (IOException e) {
            throw new IllegalArgumentException(label + " is not valid JSON: " + e.getMessage().split("\n")[0], e);
        }
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] r = new byte[b.remaining()];
        b.duplicate().get(r);
        return r;
    }

    private static byte[] readBytes(Path path, String label) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("File not found: " + label, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + label + ": " + e, e);
        }
    }

    /** A zip's entries by name; stored entries are views of the file's bytes, checked against their CRC-32. */
    static Map<String, ByteBuffer> readZip(Path path, String label) {
        byte[] all = readBytes(path, label);
        try {
            Map<String, ByteBuffer> plain = KerasZip.storedEntries(all);
            if (plain != null) return plain;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("File " + label + " is not a valid .keras file: " + e.getMessage(), e);
        }
        Map<String, ByteBuffer> r = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(all))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) r.put(e.getName(), ByteBuffer.wrap(z.readAllBytes()));
        } catch (ZipException e) {
            throw new IllegalArgumentException("File " + label + " is not a valid .keras file: the zip archive is corrupted ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("File " + label + " is not a valid .keras file: the zip archive is truncated or corrupted ("
                    + e + ")", e);
        }
        if (r.isEmpty()) {
            throw new IllegalArgumentException("File " + label + " is not a valid .keras file: it is not a zip archive"
                    + (all.length == 0 ? " (the file is empty)" : " (" + all.length + " bytes, no zip entries)"));
        }
        return r;
    }

    static Map<String, INDArray> readH5(ByteBuffer bytes, String label) {
        int n = bytes.remaining();
        int p = bytes.position();
        if (n < 8 || (bytes.get(p) & 0xff) != 0x89 || bytes.get(p + 1) != 'H' || bytes.get(p + 2) != 'D' || bytes.get(p + 3) != 'F') {
            throw new IllegalArgumentException(label + " is not an HDF5 file (no HDF5 signature; " + n + " bytes)");
        }
        try {
            return Hdf5Reader.read(bytes).arrays();
        } catch (Hdf5Reader.Unsupported e) {
            // outside the subset Cornu reads itself (or damaged): jHDF reads more of HDF5, and says what is wrong
        }
        try (HdfFile f = HdfFile.fromByteBuffer(bytes.slice())) {
            return WeightsStore.readAll(f);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(label + " is a truncated or corrupted HDF5 file: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code read} (the HDF5 file read back from the disk) holds what {@code written}
     * planned: the same groups, every dataset with its type and shape, and each dataset's bytes
     * equal to the array's.
     */
    private static void verify(Hdf5Writer written, ByteBuffer read, Path target) throws IOException {
        String what = "the HDF5 file written for " + target + " does not read back: ";
        if (read == null) throw new IOException(what + "no " + WEIGHTS + " in the archive");
        Hdf5Reader r;
        try {
            r = Hdf5Reader.read(read);
        } catch (Hdf5Reader.Unsupported e) {
            throw new IOException(what + e.getMessage(), e);
        }
        Map<String, Hdf5Writer.Stored> expected = written.storedByPath();
        if (!expected.keySet().equals(r.datasets().keySet())) {
            throw new IOException(what + "datasets " + r.datasets().keySet() + " instead of " + expected.keySet());
        }
        if (!new java.util.HashSet<>(r.groups()).equals(new java.util.HashSet<>(written.groupPaths()))) {
            throw new IOException(what + "groups " + r.groups() + " instead of " + written.groupPaths());
        }
        for (Map.Entry<String, Hdf5Writer.Stored> e : expected.entrySet()) {
            Hdf5Writer.Stored w = e.getValue();
            Hdf5Reader.Dataset d = r.datasets().get(e.getKey());
            boolean same = d.type().kind() == w.kind && java.util.Arrays.equals(d.shape(), w.shape)
                    && r.bytes(d).mismatch(w.bytes.duplicate()) < 0;
            if (!same) throw new IOException(what + "dataset " + e.getKey() + " differs from the value written");
        }
    }

    static List<String> zipEntries(Path p) {
        return new ArrayList<>(readZip(p, p.toString()).keySet());
    }

}
