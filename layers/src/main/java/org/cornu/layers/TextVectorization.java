package org.cornu.layers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;
import org.cornu.core.saving.KerasAssets;
import org.cornu.core.saving.KerasVariableGroups;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A preprocessing layer which maps text features to integer sequences, {@code keras.layers.TextVectorization(
 * max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None, output_mode="int",
 * output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None, idf_weights=None, sparse=False, ragged=False,
 * encoding="utf-8")}.
 *
 * <p>This layer transforms a batch of strings (one example = one string) into either a list of token indices (one
 * example = 1D array of integer token indices) or a dense representation (one example = 1D array of float values
 * representing data about the example's tokens). The vocabulary for the layer must be either supplied on
 * construction ({@link #vocabulary(List, double...)}, {@link #vocabulary(Path)}) or learned via {@link #adapt}. When
 * this layer is adapted, it analyzes the dataset, determines the frequency of individual string values, and creates a
 * vocabulary from them: terms sorted by occurrence count, ties broken by the terms themselves, high to low (in UTF-8
 * byte order, as NumPy sorts TensorFlow's byte strings), then truncated to {@code max_tokens}.
 *
 * <p>The processing of each example contains the following steps:
 * <ol>
 *   <li>Standardize each example (usually lowercasing + punctuation stripping).</li>
 *   <li>Split each example into substrings (usually words).</li>
 *   <li>Recombine substrings into tokens (usually ngrams).</li>
 *   <li>Index tokens (associate a unique int value with each token).</li>
 *   <li>Transform each example using this index, either into a vector of ints or a dense float vector.</li>
 * </ol>
 *
 * <p>Arguments:
 * <ul>
 *   <li>{@code max_tokens}: maximum size of the vocabulary for this layer; it contains 1 OOV token, and in
 *       {@code "int"} mode also the padding token {@code ""} at index 0.</li>
 *   <li>{@code standardize}: {@code null} (none), {@code "lower_and_strip_punctuation"} (default), {@code "lower"},
 *       {@code "strip_punctuation"}, or the name of a function registered with {@link #registerStandardize}. As
 *       TensorFlow's {@code tf.strings.lower} (no encoding) and {@code regex_replace} with the pattern
 *       {@code [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~']}: only ASCII letters A-Z are lowercased (so {@code "ÀÉB"}
 *       becomes {@code "ÀÉb"}, and {@code "İ"}, {@code "Σ"} stay) and only those ASCII punctuation characters are
 *       removed ({@code "’"}, {@code "¿"}, {@code "—"} stay).</li>
 *   <li>{@code split}: {@code null} (each string is one token), {@code "whitespace"} (default: splits on runs of the
 *       ASCII whitespace characters space, tab, LF, VT, FF and CR, as {@code tf.strings.split}; a no-break space or
 *       U+3000 does not split), {@code "character"} (each Unicode code point), or the name of a function registered
 *       with {@link #registerSplit}.</li>
 *   <li>{@code ngrams}: {@code null}, an integer n (all ngrams from 1 to n) or a tuple of widths; ngrams are joined
 *       with a space and listed width by width, in the order given ({@code tf.strings.ngrams}).</li>
 *   <li>{@code output_mode}: {@code "int"} (default: one index per token, 0 for padding, 1 for OOV), {@code
 *       "multi_hot"}, {@code "count"} or {@code "tf_idf"} (count times {@code log(1 + num_documents / (1 +
 *       document_count))}, the OOV index getting the mean of the terms' weights).</li>
 *   <li>{@code output_sequence_length}: {@code "int"} mode only: pads (with 0) or truncates every row to this
 *       length; without it a batch is padded to its longest row.</li>
 *   <li>{@code pad_to_max_tokens}: in {@code "multi_hot"}, {@code "count"} and {@code "tf_idf"} modes, the feature
 *       axis has {@code max_tokens} entries even if the vocabulary is smaller.</li>
 *   <li>{@code vocabulary}, {@code idf_weights}: a fixed vocabulary (and, in {@code "tf_idf"} mode, its weights),
 *       saved in the config; or a file with one term a line (its path is saved in the config).</li>
 * </ul>
 * {@code sparse=True} and {@code ragged=True} (TensorFlow-only in Keras) are refused; {@code encoding} must be
 * {@code "utf-8"}.
 *
 * <p><b>Strings in Cornu.</b> Cornu's models compute on INDArrays, so strings do not flow through a model graph: as
 * with {@link StringLookup}, the layer runs before the model, on a {@code String[]} or {@code List<String>} batch
 * ({@link #apply(String...)}), as Keras's recommended {@code dataset.map(text_vectorization)} pattern does, and its
 * INDArray output (int64 indices in {@code "int"} mode, float otherwise) is the model's input, beside the model's
 * other INDArray inputs. A {@code .keras} file whose model takes strings into a {@code TextVectorization} (Keras's
 * {@code keras.Input(shape=(1,), dtype="string")}) loads, with its vocabulary, and saves back as Keras reads it;
 * to run it, apply {@code model.getLayer(...)}'s TextVectorization to the strings and the following layers to its
 * output. Calling the layer inside a graph on numeric tensors is an error.
 *
 * <p>The vocabulary learned by {@code adapt} (or set with {@link #setVocabulary}) is saved in the {@code .keras}
 * archive's assets, {@code assets/<layer path>/vocabulary.txt}, and again under the inner lookup layer's path
 * ({@code .../_lookup_layer/vocabulary.txt}), and tf_idf weights as the variable {@code idf_weights} of both, as
 * Keras 3 saves them.
 *
 * <pre>{@code
 * TextVectorization tv = new TextVectorization().maxTokens(20000).outputMode("tf_idf").ngrams(2);
 * tv.adapt(trainTexts);                       // List<String>, String[], Iterable or Stream
 * INDArray x = tv.apply(trainTexts);          // (batch, 20000) float
 * model.fit(x, y, Fit.epochs(10));
 * }</pre>
 */
public class TextVectorization extends Layer implements KerasAssets, KerasVariableGroups {
    private static final Map<String, UnaryOperator<String>> STANDARDIZERS = new ConcurrentHashMap<>();
    private static final Map<String, Function<String, List<String>>> SPLITTERS = new ConcurrentHashMap<>();
    private static final String PUNCTUATION = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'";

    private Integer maxTokens;
    private String standardize = "lower_and_strip_punctuation";
    private String split = "whitespace";
    private Object ngramsArg;
    private int[] ngrams;
    private String outputMode = "int";
    private Integer outputSequenceLength;
    private boolean padToMaxTokens;
    private String vocabularyPath;
    private final StringLookup lookup;

    /** A layer with Keras's defaults: lowercase and strip punctuation, split on whitespace, int output. */
    public TextVectorization() {
        lookup = new StringLookup();
        lookup.maskToken = "";
    }

    /**
     * Registers a standardization function under {@code name}, usable as {@code standardize(name)} and saved by
     * that name (as Keras saves a registered function: {@code {"class_name": "function", "config": name}}); a file
     * naming it loads where the same name is registered (in Python, as a Keras serializable of that name).
     */
    public static void registerStandardize(String name, UnaryOperator<String> fn) {
        if (name == null || name.isEmpty() || fn == null) {
            throw new IllegalArgumentException("TextVectorization.registerStandardize needs a non-empty name and a function");
        }
        STANDARDIZERS.put(name, fn);
    }

    /** Registers a split function (one string to its tokens) under {@code name}, as {@link #registerStandardize}. */
    public static void registerSplit(String name, Function<String, List<String>> fn) {
        if (name == null || name.isEmpty() || fn == null) {
            throw new IllegalArgumentException("TextVectorization.registerSplit needs a non-empty name and a function");
        }
        SPLITTERS.put(name, fn);
    }

    private String err() {
        return "TextVectorization \"" + name() + "\": ";
    }

    /** Maximum size of the vocabulary, special tokens included; null for no limit. */
    public TextVectorization maxTokens(Integer n) {
        maxTokens = n;
        lookup.maxTokens(n);
        return this;
    }

    /**
     * {@code null}, {@code "lower_and_strip_punctuation"}, {@code "lower"}, {@code "strip_punctuation"} or a name
     * registered with {@link #registerStandardize}.
     */
    public TextVectorization standardize(String s) {
        if (s != null && !List.of("lower_and_strip_punctuation", "lower", "strip_punctuation").contains(s)
                && !STANDARDIZERS.containsKey(s)) {
            throw new IllegalArgumentException("TextVectorization: invalid value for argument `standardize`. Expected one of"
                    + " [lower_and_strip_punctuation, lower, strip_punctuation, None] or a function registered with"
                    + " TextVectorization.registerStandardize (registered: " + new TreeSet<>(STANDARDIZERS.keySet())
                    + "). Received: standardize=" + s);
        }
        standardize = s;
        return this;
    }

    /** {@code null}, {@code "whitespace"}, {@code "character"} or a name registered with {@link #registerSplit}. */
    public TextVectorization split(String s) {
        if (s != null && !List.of("whitespace", "character").contains(s) && !SPLITTERS.containsKey(s)) {
            throw new IllegalArgumentException("TextVectorization: invalid value for argument `split`. Expected one of"
                    + " [whitespace, character, None] or a function registered with TextVectorization.registerSplit"
                    + " (registered: " + new TreeSet<>(SPLITTERS.keySet()) + "). Received: split=" + s);
        }
        split = s;
        return this;
    }

    /** Ngrams from 1 to {@code n} (Keras's integer {@code ngrams}); null for none. */
    public TextVectorization ngrams(Integer n) {
        if (n != null && n < 1) throw new IllegalArgumentException("TextVectorization: `ngrams` must be positive. Received: ngrams=" + n);
        ngramsArg = n;
        if (n == null) {
            ngrams = null;
        } else {
            ngrams = new int[n];
            for (int i = 0; i < n; i++) ngrams[i] = i + 1;
        }
        return this;
    }

    /** Ngrams of exactly these widths, in this order (Keras's tuple {@code ngrams}, e.g. {@code (1, 3)}). */
    public TextVectorization ngrams(int... widths) {
        for (int w : widths) {
            if (w < 1) throw new IllegalArgumentException("TextVectorization: ngram widths must be positive. Received: ngrams="
                    + Arrays.toString(widths));
        }
        ngrams = widths.clone();
        List<Object> l = new ArrayList<>();
        for (int w : widths) l.add(w);
        ngramsArg = l;
        return this;
    }

    /** {@code "int"} (default), {@code "multi_hot"}, {@code "count"} or {@code "tf_idf"}. */
    public TextVectorization outputMode(String m) {
        m = IndexLookup.checkMode(m, "TextVectorization");
        if (!m.equals("int") && outputSequenceLength != null) {
            throw new IllegalArgumentException("`output_sequence_length` must not be set if `output_mode` is not 'int'."
                    + " Received output_sequence_length=" + outputSequenceLength + ".");
        }
        outputMode = m;
        lookup.outputMode(m);
        return this;
    }

    /** In {@code "int"} mode, pads or truncates each row to this length; null pads a batch to its longest row. */
    public TextVectorization outputSequenceLength(Integer n) {
        if (n != null && !outputMode.equals("int")) {
            throw new IllegalArgumentException("`output_sequence_length` must not be set if `output_mode` is not 'int'."
                    + " Received output_sequence_length=" + n + ".");
        }
        if (n != null && n < 0) throw new IllegalArgumentException("TextVectorization: `output_sequence_length` must be >= 0. Received: " + n);
        outputSequenceLength = n;
        return this;
    }

    /** Pads the feature axis to {@code max_tokens} in the multi_hot, count and tf_idf modes. */
    public TextVectorization padToMaxTokens(boolean b) {
        padToMaxTokens = b;
        lookup.padToMaxTokens(b);
        return this;
    }

    /**
     * A fixed vocabulary, saved in the config; it may start with the special tokens ({@code ""} then {@code
     * "[UNK]"} in int mode, {@code "[UNK]"} otherwise). In tf_idf mode {@code idfWeights} gives one weight per term.
     */
    public TextVectorization vocabulary(List<String> v, double... idfWeights) {
        vocabularyPath = null;
        lookup.vocabulary(v, idfWeights);
        return this;
    }

    /**
     * A fixed vocabulary read from a UTF-8 text file, one term a line (without the special tokens: the first line
     * gets the first index after them, as Keras's {@code TextFileInitializer}); the config holds the path. Not in
     * tf_idf mode (Keras: "output_mode 'tf_idf' does not support loading a vocabulary from file").
     */
    public TextVectorization vocabulary(Path file) {
        if (outputMode.equals("tf_idf")) {
            throw new IllegalArgumentException(err() + "output_mode `'tf_idf'` does not support loading a vocabulary from file.");
        }
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(err() + "Vocabulary file " + file + " does not exist.");
        List<String> lines;
        try {
            lines = new ArrayList<>(Arrays.asList(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1)));
        } catch (IOException e) {
            throw new UncheckedIOException(err() + "cannot read the vocabulary file " + file + ": " + e, e);
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        List<String> full = new ArrayList<>();
        if (outputMode.equals("int")) full.add("");
        full.add(lookup.oovToken);
        full.addAll(lines);
        lookup.vocabulary(full);
        vocabularyPath = file.toString();
        return this;
    }

    /** Only {@code "utf-8"}: Java strings are Unicode, encoded as UTF-8 where bytes matter (term order, assets). */
    public TextVectorization encoding(String e) {
        if (e == null || !e.equalsIgnoreCase("utf-8")) {
            throw new IllegalArgumentException("TextVectorization: only encoding='utf-8' is supported. Received: encoding=" + e);
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public TextVectorization name(String n) {
        return super.name(n);
    }

    // ------------------------------------------------------------------ vocabulary

    /** The vocabulary, padding and OOV tokens first: a term's index in the list is its index in the output. */
    public List<String> getVocabulary() {
        return lookup.getVocabulary(true);
    }

    /** The vocabulary; without the padding and OOV tokens when {@code includeSpecialTokens} is false. */
    public List<String> getVocabulary(boolean includeSpecialTokens) {
        return lookup.getVocabulary(includeSpecialTokens);
    }

    /** The size of the vocabulary, including the padding and OOV indices. */
    public int vocabularySize() {
        return lookup.vocabularySize();
    }

    /** The idf weights of tf_idf mode (one per output index, OOV first), or null. */
    public double[] idfWeights() {
        return lookup.idfWeights();
    }

    /**
     * Sets the vocabulary (and in tf_idf mode the idf weights, one per term) directly instead of {@code adapt}:
     * Keras's {@code set_vocabulary}. Unlike the {@code vocabulary} argument, it is saved in the assets, not the config.
     */
    public void setVocabulary(List<String> vocabulary, double... idfWeights) {
        lookup.setVocabulary(vocabulary, idfWeights.length == 0 ? null : idfWeights);
    }

    /** Sets the vocabulary from a file, one term a line (see {@link #vocabulary(Path)}). */
    public void setVocabulary(Path file) {
        String keep = vocabularyPath;
        List<String> input = lookup.inputVocabulary;
        vocabulary(file);
        vocabularyPath = keep;
        lookup.inputVocabulary = input;
    }

    /**
     * Learns the vocabulary (and in tf_idf mode the document frequencies) from documents, one string each, read once
     * in order; Keras's {@code adapt} on a list of strings. Any {@code Iterable} works, so a large corpus can be
     * streamed from disk.
     */
    public void adapt(Iterable<String> documents) {
        lookup.adaptTerms(() -> new Iterator<List<String>>() {
            final Iterator<String> it = documents.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public List<String> next() {
                return tokens(it.next());
            }
        });
    }

    /** {@link #adapt(Iterable)} on an array. */
    public void adapt(String... documents) {
        adapt(Arrays.asList(documents));
    }

    /** {@link #adapt(Iterable)} on a stream, consumed once. */
    public void adapt(Stream<String> documents) {
        Iterator<String> it = documents.iterator();
        adapt(() -> it);
    }

    // ------------------------------------------------------------------ processing

    /** Steps 1 to 3: the tokens of one document (after standardization, splitting and ngrams). */
    public List<String> tokens(String text) {
        if (text == null) throw new IllegalArgumentException(err() + "received a null string");
        String s = standardizeText(text);
        List<String> parts;
        if (split == null) {
            if (ngrams != null) {
                throw new UnsupportedOperationException(err() + "ngrams without split (split=None) are not supported by Cornu");
            }
            return List.of(s);
        } else if (split.equals("whitespace")) {
            parts = whitespaceSplit(s);
        } else if (split.equals("character")) {
            parts = new ArrayList<>();
            s.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
        } else {
            Function<String, List<String>> f = SPLITTERS.get(split);
            if (f == null) throw new IllegalStateException(err() + "no split function is registered under '" + split + "'");
            parts = f.apply(s);
        }
        if (ngrams == null) return parts;
        List<String> out = new ArrayList<>();
        for (int w : ngrams) {
            for (int i = 0; i + w <= parts.size(); i++) out.add(String.join(" ", parts.subList(i, i + w)));
        }
        return out;
    }

    private String standardizeText(String s) {
        if (standardize == null) return s;
        boolean lower = standardize.equals("lower") || standardize.equals("lower_and_strip_punctuation");
        boolean strip = standardize.equals("strip_punctuation") || standardize.equals("lower_and_strip_punctuation");
        if (!lower && !strip) {
            UnaryOperator<String> f = STANDARDIZERS.get(standardize);
            if (f == null) throw new IllegalStateException(err() + "no standardize function is registered under '" + standardize + "'");
            return f.apply(s);
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (strip && c < 128 && PUNCTUATION.indexOf(c) >= 0) continue;
            b.append(lower && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    private static boolean asciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static List<String> whitespaceSplit(String s) {
        List<String> r = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && asciiSpace(s.charAt(i))) i++;
            int start = i;
            while (i < n && !asciiSpace(s.charAt(i))) i++;
            if (i > start) r.add(s.substring(start, i));
        }
        return r;
    }

    /** Vectorizes a batch of strings; {@link #apply(java.util.Collection)}. */
    public INDArray apply(String... texts) {
        return apply((java.util.Collection<String>) Arrays.asList(texts));
    }

    /**
     * Vectorizes a batch of strings, one example each: in {@code "int"} mode an int64 array {@code (batch, length)}
     * (or {@code (batch,)} with {@code split=None}), otherwise a float array {@code (batch, depth)}.
     */
    public INDArray apply(java.util.Collection<String> texts) {
        int n = texts.size();
        List<List<String>> rows = new ArrayList<>(n);
        for (String t : texts) rows.add(tokens(t));
        if (outputMode.equals("int")) {
            if (split == null) {
                long[] r = new long[n];
                for (int i = 0; i < n; i++) r[i] = lookup.indexOf(rows.get(i).get(0));
                return Nd4j.createFromArray(r);
            }
            int len = 0;
            if (outputSequenceLength != null) len = outputSequenceLength;
            else for (List<String> r : rows) len = Math.max(len, r.size());
            long[] out = new long[n * len];
            for (int i = 0; i < n; i++) {
                List<String> r = rows.get(i);
                for (int j = 0; j < Math.min(len, r.size()); j++) out[i * len + j] = lookup.indexOf(r.get(j));
            }
            return Nd4j.createFromArray(out).reshape(n, len);
        }
        int depth = lookup.depth();
        double[] idf = outputMode.equals("tf_idf") ? lookup.idfWeights() : null;
        if (outputMode.equals("tf_idf") && idf == null) {
            throw new IllegalStateException(err() + "When `output_mode` is `'tf_idf'`, `idf_weights` must be provided.");
        }
        double[] out = new double[n * depth];
        for (int i = 0; i < n; i++) {
            for (String t : rows.get(i)) {
                long k = lookup.indexOf(t);
                if (k == CategoricalEncoder.DROP) continue;
                if (k >= depth) {
                    throw new IllegalArgumentException(err() + "token index " + k + " is outside the output depth " + depth);
                }
                int p = (int) (i * (long) depth + k);
                out[p] = outputMode.equals("multi_hot") ? 1 : out[p] + 1;
            }
        }
        if (idf != null) {
            for (int i = 0; i < n; i++) for (int k = 0; k < depth; k++) out[i * depth + k] *= (float) idf[k];
        }
        return Nd4j.create(out, new long[] {n, depth}, DataType.DOUBLE).castTo(Cornu.floatType());
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        throw new UnsupportedOperationException(err() + "string inputs cannot flow through a Cornu model graph; call"
                + " TextVectorization.apply(String...) before the model and feed its output to the layers after it.");
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        long batch = s.dims().length == 0 ? Shape.NONE : s.dims()[0];
        if (outputMode.equals("int")) {
            if (split == null) return s;
            return Shape.of(batch, outputSequenceLength == null ? Shape.NONE : outputSequenceLength);
        }
        long d = padToMaxTokens && maxTokens != null ? maxTokens : lookup.frozenVocabSize == null ? Shape.NONE : lookup.frozenVocabSize;
        return Shape.of(batch, d);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    // ------------------------------------------------------------------ config

    private static Object functionConfig(String name) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("module", "builtins");
        f.put("class_name", "function");
        f.put("config", name);
        f.put("registered_name", "function");
        return f;
    }

    private static boolean builtin(String s, String... names) {
        return s == null || Arrays.asList(names).contains(s);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("max_tokens", maxTokens);
        c.put("standardize", builtin(standardize, "lower_and_strip_punctuation", "lower", "strip_punctuation") ? standardize
                : functionConfig(standardize));
        c.put("split", builtin(split, "whitespace", "character") ? split : functionConfig(split));
        c.put("ngrams", ngramsArg);
        c.put("output_mode", outputMode);
        c.put("output_sequence_length", outputSequenceLength);
        c.put("pad_to_max_tokens", padToMaxTokens);
        c.put("sparse", false);
        c.put("ragged", false);
        c.put("vocabulary", vocabularyPath != null ? vocabularyPath
                : lookup.inputVocabulary == null ? null : new ArrayList<>(lookup.inputVocabulary));
        c.put("idf_weights", lookup.inputIdfWeights == null ? null : Arrays.stream(lookup.inputIdfWeights).boxed().toList());
        c.put("encoding", "utf-8");
        c.put("vocabulary_size", vocabularySize());
        return c;
    }

    private static String functionName(Object o, String arg, String layer) {
        if (o == null || o instanceof String) return (String) o;
        if (o instanceof Map<?, ?> m) {
            Object reg = m.get("registered_name");
            Object cfg = m.get("config");
            for (Object n : new Object[] {cfg, reg}) {
                if (n instanceof String s && (arg.equals("standardize") ? STANDARDIZERS : SPLITTERS).containsKey(s)) return s;
            }
            throw new IllegalArgumentException("TextVectorization \"" + layer + "\": its `" + arg + "` is the function " + cfg
                    + ", which is not registered in Cornu. Register a Java equivalent before loading: TextVectorization.register"
                    + (arg.equals("standardize") ? "Standardize" : "Split") + "(\"" + cfg + "\", ...)");
        }
        throw new IllegalArgumentException("TextVectorization \"" + layer + "\": invalid `" + arg + "` in the config: " + o);
    }

    /**
     * Re-creates the layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static TextVectorization fromConfig(Map<String, Object> c) {
        String layer = String.valueOf(c.get("name"));
        for (String flag : new String[] {"sparse", "ragged"}) {
            if (Boolean.TRUE.equals(c.get(flag))) {
                throw new IllegalArgumentException("TextVectorization \"" + layer + "\": `" + flag + "=True` can only be used with"
                        + " the TensorFlow backend; Cornu's outputs are dense arrays");
            }
        }
        TextVectorization t = new TextVectorization();
        if (c.get("name") != null) t.name(layer);
        t.encoding(Configs.getString(c, "encoding", "utf-8"));
        Object mt = c.get("max_tokens");
        t.maxTokens(mt == null ? null : ((Number) mt).intValue());
        t.standardize(c.containsKey("standardize") ? functionName(c.get("standardize"), "standardize", layer) : "lower_and_strip_punctuation");
        t.split(c.containsKey("split") ? functionName(c.get("split"), "split", layer) : "whitespace");
        Object ng = c.get("ngrams");
        if (ng instanceof Number n) t.ngrams(n.intValue());
        else if (ng instanceof List<?> l) t.ngrams(l.stream().mapToInt(o -> ((Number) o).intValue()).toArray());
        t.outputMode(Configs.getString(c, "output_mode", "int"));
        Object osl = c.get("output_sequence_length");
        t.outputSequenceLength(osl == null ? null : ((Number) osl).intValue());
        t.padToMaxTokens(Boolean.TRUE.equals(c.get("pad_to_max_tokens")));
        Object v = c.get("vocabulary");
        Object w = c.get("idf_weights");
        if (v instanceof String path) {
            throw new IllegalArgumentException("TextVectorization \"" + layer + "\": its config names a vocabulary file outside the"
                    + " model archive (" + path + "); Keras refuses to load it in safe mode, and so does Cornu. Create the layer"
                    + " with vocabulary(Path) instead, or save the model with an adapted vocabulary (kept in the archive's assets)");
        }
        if (v != null) {
            List<String> vocab = new ArrayList<>();
            for (Object o : (List<?>) v) vocab.add(String.valueOf(o));
            t.vocabulary(vocab, w == null ? new double[0] : ImageAugmentation.doubles(w));
        } else if (c.get("vocabulary_size") instanceof Number n && !t.outputMode.equals("int")) {
            t.lookup.frozenVocabSize = n.intValue();
        }
        return t;
    }

    // ------------------------------------------------------------------ saving

    /** Keras saves the inner {@code _lookup_layer} as a sub-object: its (empty) {@code vars} group is written too. */
    @Override
    public Map<String, List<Weight>> kerasVariableGroups() {
        Map<String, List<Weight>> g = new LinkedHashMap<>();
        g.put("", weights());
        g.put("_lookup_layer", List.of());
        return g;
    }

    @Override
    public Map<String, byte[]> saveAssets() {
        Map<String, byte[]> own = lookup.saveAssets();
        Map<String, byte[]> r = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : own.entrySet()) {
            r.put(e.getKey(), e.getValue());
            r.put("_lookup_layer/" + e.getKey(), e.getValue());
        }
        return r;
    }

    @Override
    public void loadAssets(Map<String, byte[]> files) {
        Map<String, byte[]> own = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (!e.getKey().contains("/")) own.put(e.getKey(), e.getValue());
        }
        if (own.isEmpty()) {
            // Keras reads both; the inner layer's copy is as good
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                if (e.getKey().startsWith("_lookup_layer/")) own.put(e.getKey().substring("_lookup_layer/".length()), e.getValue());
            }
        }
        lookup.loadAssets(own);
    }

    @Override
    public Map<String, INDArray> saveOwnVariables() {
        Map<String, INDArray> own = lookup.saveOwnVariables();
        Map<String, INDArray> r = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : own.entrySet()) {
            r.put(e.getKey(), e.getValue());
            r.put("_lookup_layer/" + e.getKey(), e.getValue());
        }
        return r;
    }

    @Override
    public void loadOwnVariables(Map<String, INDArray> vars) {
        Map<String, INDArray> own = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : vars.entrySet()) {
            if (!e.getKey().contains("/")) own.put(e.getKey(), e.getValue());
        }
        if (own.isEmpty()) {
            for (Map.Entry<String, INDArray> e : vars.entrySet()) {
                if (e.getKey().startsWith("_lookup_layer/")) own.put(e.getKey().substring("_lookup_layer/".length()), e.getValue());
            }
        }
        lookup.loadOwnVariables(own);
    }
}
