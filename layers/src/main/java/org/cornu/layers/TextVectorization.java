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
 * {@code keras.Input(shape=(), dtype="string")} or {@code shape=(1,)}; in Cornu {@code new InputLayer().dtype("string")})
 * loads, with its vocabulary, and saves back as Keras reads it; to run it, apply {@code model.getLayer(...)}'s
 * TextVectorization to the strings and the following layers to its output. For a model Keras should load, give the
 * string input the shape {@code ()}: from {@code (None, 1)} Keras infers {@code (None, 1, depth)} for the encoded
 * modes, which a nested model's input refuses. Calling the layer inside a graph on numeric tensors is an error.
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
     *
     * @param name the name the function is registered, selected and saved under
     * @param fn the function applied to each input string before splitting
     * @throws IllegalArgumentException if {@code name} is null or empty, or {@code fn} is null
     */
    public static void registerStandardize(String name, UnaryOperator<String> fn) {
        if (name == null || name.isEmpty() || fn == null) {
            throw new IllegalArgumentException("TextVectorization.registerStandardize needs a non-empty name and a function");
        }
        STANDARDIZERS.put(name, fn);
    }

    /**
     * Registers a split function (one string to its tokens) under {@code name}, as {@link #registerStandardize}.
     *
     * @param name the name the function is registered, selected and saved under
     * @param fn the function mapping one standardized string to its substrings
     * @throws IllegalArgumentException if {@code name} is null or empty, or {@code fn} is null
     */
    public static void registerSplit(String name, Function<String, List<String>> fn) {
        if (name == null || name.isEmpty() || fn == null) {
            throw new IllegalArgumentException("TextVectorization.registerSplit needs a non-empty name and a function");
        }
        SPLITTERS.put(name, fn);
    }

    private String err() {
        return "TextVectorization \"" + name() + "\": ";
    }

    /**
     * Maximum size of the vocabulary for this layer ({@code max_tokens}). This should only be specified when adapting
     * a vocabulary or when setting {@code pad_to_max_tokens=True}. The limit includes the OOV token and, in
     * {@code "int"} mode, the padding token, so the number of real terms is {@code max_tokens - 1 - (1 if
     * output_mode == "int" else 0)}. Defaults to {@code null} (no cap on the vocabulary size).
     *
     * @param n the maximum vocabulary size, or null for no limit
     * @return this layer
     */
    public TextVectorization maxTokens(Integer n) {
        maxTokens = n;
        lookup.maxTokens(n);
        return this;
    }

    /**
     * Standardization to apply to the input text ({@code standardize}). Values can be: {@code null} (no
     * standardization); {@code "lower_and_strip_punctuation"} (lowercase the text and remove punctuation, the
     * default); {@code "lower"} (lowercase the text); {@code "strip_punctuation"} (remove punctuation); or the name
     * of a function registered with {@link #registerStandardize}. Lowercasing and punctuation cover ASCII only (see
     * the class documentation).
     *
     * @param s one of the values above
     * @return this layer
     * @throws IllegalArgumentException if {@code s} is neither a built-in value nor a registered name
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

    /**
     * Splitting to apply to the standardized text ({@code split}). Values can be: {@code null} (no splitting: each
     * string is one token); {@code "whitespace"} (split on ASCII whitespace, the default); {@code "character"}
     * (split on each Unicode code point); or the name of a function registered with {@link #registerSplit}.
     *
     * @param s one of the values above
     * @return this layer
     * @throws IllegalArgumentException if {@code s} is neither a built-in value nor a registered name
     */
    public TextVectorization split(String s) {
        if (s != null && !List.of("whitespace", "character").contains(s) && !SPLITTERS.containsKey(s)) {
            throw new IllegalArgumentException("TextVectorization: invalid value for argument `split`. Expected one of"
                    + " [whitespace, character, None] or a function registered with TextVectorization.registerSplit"
                    + " (registered: " + new TreeSet<>(SPLITTERS.keySet()) + "). Received: split=" + s);
        }
        split = s;
        return this;
    }

    /**
     * Ngrams to create from the split text ({@code ngrams} as an integer): all ngrams from 1 up to {@code n}, joined
     * with a space, unigrams first. {@code null} (the default) creates no ngrams; {@code 1} is the same as the
     * plain tokens.
     *
     * @param n the largest ngram width, or null for none
     * @return this layer
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
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

    /**
     * Ngrams of exactly these widths, listed width by width in the order given ({@code ngrams} as a tuple, e.g.
     * {@code (1, 3)} for unigrams and trigrams but no bigrams).
     *
     * @param widths the ngram widths, each at least 1
     * @return this layer
     * @throws IllegalArgumentException if a width is less than 1
     */
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

    /**
     * Output of the layer ({@code output_mode}). Values can be: {@code "int"} (the default: one integer index per
     * split token, 0 for padding and 1 for out-of-vocabulary tokens); {@code "multi_hot"} (a single array per
     * example, with a 1 at each index of a token present in the example); {@code "count"} (like
     * {@code "multi_hot"}, but the entry is the number of times the token appears in the example);
     * {@code "tf_idf"} (like {@code "multi_hot"}, but the TF-IDF algorithm is applied to find the value at each
     * token slot). The non-int modes need a vocabulary size known when the layer is called ({@link #adapt} or a
     * fixed vocabulary).
     *
     * @param m one of the values above
     * @return this layer
     * @throws IllegalArgumentException if {@code m} is not a valid mode, or is not {@code "int"} while
     *     {@code output_sequence_length} is set
     */
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

    /**
     * Only valid in {@code "int"} mode ({@code output_sequence_length}). If set, the output has its time dimension
     * padded (with 0) or truncated to exactly this many values, giving shape {@code (batch, output_sequence_length)}
     * whatever the number of tokens of each example. Defaults to {@code null}: each batch is padded to its longest
     * example.
     *
     * @param n the output length, or null to pad each batch to its longest row
     * @return this layer
     * @throws IllegalArgumentException if {@code n} is set outside {@code "int"} mode, or is negative
     */
    public TextVectorization outputSequenceLength(Integer n) {
        if (n != null && !outputMode.equals("int")) {
            throw new IllegalArgumentException("`output_sequence_length` must not be set if `output_mode` is not 'int'."
                    + " Received output_sequence_length=" + n + ".");
        }
        if (n != null && n < 0) throw new IllegalArgumentException("TextVectorization: `output_sequence_length` must be >= 0. Received: " + n);
        outputSequenceLength = n;
        return this;
    }

    /**
     * Only valid in the {@code "multi_hot"}, {@code "count"} and {@code "tf_idf"} modes ({@code pad_to_max_tokens}).
     * If true, the output has its feature axis padded to {@code max_tokens} even if the number of unique tokens in
     * the vocabulary is less than {@code max_tokens}, giving shape {@code (batch, max_tokens)} regardless of the
     * vocabulary size. Defaults to false.
     *
     * @param b whether to pad the feature axis to {@code max_tokens}
     * @return this layer
     */
    public TextVectorization padToMaxTokens(boolean b) {
        padToMaxTokens = b;
        lookup.padToMaxTokens(b);
        return this;
    }

    /**
     * A fixed vocabulary, saved in the config; it may start with the special tokens ({@code ""} then {@code
     * "[UNK]"} in int mode, {@code "[UNK]"} otherwise). In tf_idf mode {@code idfWeights} gives one weight per term
     * ({@code vocabulary} and {@code idf_weights}); outside it no weights may be given.
     *
     * @param v the vocabulary terms, each unique
     * @param idfWeights in tf_idf mode, the inverse document frequency weight of each term, in vocabulary order;
     *     otherwise none
     * @return this layer
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
     *
     * @param file the vocabulary file
     * @return this layer
     * @throws IllegalArgumentException in tf_idf mode, or if {@code file} is not a regular file
     * @throws UncheckedIOException if the file cannot be read
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

    /**
     * The text encoding used to interpret the input strings ({@code encoding}, default {@code "utf-8"}). Only
     * {@code "utf-8"} is accepted: Java strings are Unicode, encoded as UTF-8 where bytes matter (term order,
     * assets).
     *
     * @param e the encoding name, {@code "utf-8"} in any case
     * @return this layer
     * @throws IllegalArgumentException for any other encoding
     */
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

    /**
     * Returns the current vocabulary of the layer, Keras's {@code get_vocabulary()}: the padding token {@code ""}
     * (int mode only) and the OOV token {@code "[UNK]"} first, then the terms, so that a term's position in the list
     * is its index in the output.
     *
     * @return the vocabulary, special tokens included
     */
    public List<String> getVocabulary() {
        return lookup.getVocabulary(true);
    }

    /**
     * Returns the current vocabulary of the layer, Keras's {@code get_vocabulary(include_special_tokens)}.
     *
     * @param includeSpecialTokens if true, the padding and OOV tokens come first and a term's position in the list
     *     is its index in the output; if false, only the terms are returned
     * @return the vocabulary
     */
    public List<String> getVocabulary(boolean includeSpecialTokens) {
        return lookup.getVocabulary(includeSpecialTokens);
    }

    /**
     * Gets the current size of the layer's vocabulary, Keras's {@code vocabulary_size()}.
     *
     * @return the number of vocabulary entries, the padding and OOV tokens included
     */
    public int vocabularySize() {
        return lookup.vocabularySize();
    }

    /**
     * The inverse document frequency weights of tf_idf mode, one per output index (the OOV index first).
     *
     * @return the idf weights, or null outside tf_idf mode or before a vocabulary is set
     */
    public double[] idfWeights() {
        return lookup.idfWeights();
    }

    /**
     * Sets the vocabulary (and in tf_idf mode the idf weights, one per term) directly instead of {@code adapt}:
     * Keras's {@code set_vocabulary}. Unlike the {@code vocabulary} argument, it is saved in the assets, not the config.
     *
     * @param vocabulary the vocabulary terms, each unique; it may start with the special tokens
     * @param idfWeights in tf_idf mode, one inverse document frequency weight per term; otherwise none
     */
    public void setVocabulary(List<String> vocabulary, double... idfWeights) {
        lookup.setVocabulary(vocabulary, idfWeights.length == 0 ? null : idfWeights);
    }

    /**
     * Sets the vocabulary from a file, one term a line (see {@link #vocabulary(Path)}); Keras's
     * {@code set_vocabulary} with a file path. The path is not saved in the config.
     *
     * @param file the vocabulary file, UTF-8, one term a line
     */
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
     * streamed from disk. The learned vocabulary replaces any earlier adapted one.
     *
     * @param documents the documents, one string each
     * @throws IllegalStateException if the layer was given a fixed vocabulary ({@code vocabulary} argument)
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

    /**
     * {@link #adapt(Iterable)} on an array.
     *
     * @param documents the documents, one string each
     */
    public void adapt(String... documents) {
        adapt(Arrays.asList(documents));
    }

    /**
     * {@link #adapt(Iterable)} on a stream, consumed once.
     *
     * @param documents the documents, one string each
     */
    public void adapt(Stream<String> documents) {
        Iterator<String> it = documents.iterator();
        adapt(() -> it);
    }

    // ------------------------------------------------------------------ processing

    /**
     * Steps 1 to 3 of the processing: the tokens of one document, after standardization, splitting and ngrams, before
     * they are indexed.
     *
     * @param text the document
     * @return its tokens, in order (the whole standardized string when {@code split} is null)
     * @throws IllegalArgumentException if {@code text} is null
     */
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

    /**
     * Vectorizes a batch of strings, one example each; see {@link #apply(java.util.Collection)}.
     *
     * @param texts the examples
     * @return the encoded batch
     */
    public INDArray apply(String... texts) {
        return apply((java.util.Collection<String>) Arrays.asList(texts));
    }

    /**
     * Vectorizes a batch of strings, one example each: in {@code "int"} mode an int64 array {@code (batch, length)}
     * (or {@code (batch,)} with {@code split=None}), otherwise a float array {@code (batch, depth)}.
     *
     * @param texts the examples
     * @return the encoded batch: int64 token indices in {@code "int"} mode, otherwise floats of Cornu's float type
     * @throws IllegalStateException in tf_idf mode without idf weights
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
        // Keras computes in the float type: counts times the float idf weights, rounded once
        boolean f32 = Cornu.floatType() == DataType.FLOAT;
        float[] outF = f32 ? new float[Math.multiplyExact(n, depth)] : null;
        double[] outD = f32 ? null : new double[Math.multiplyExact(n, depth)];
        for (int i = 0; i < n; i++) {
            for (String t : rows.get(i)) {
                long k = lookup.indexOf(t);
                if (k == CategoricalEncoder.DROP) continue;
                if (k >= depth) {
                    throw new IllegalArgumentException(err() + "token index " + k + " is outside the output depth " + depth);
                }
                int p = (int) (i * (long) depth + k);
                if (f32) outF[p] = outputMode.equals("multi_hot") ? 1 : outF[p] + 1;
                else outD[p] = outputMode.equals("multi_hot") ? 1 : outD[p] + 1;
            }
        }
        if (idf != null) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < depth; k++) {
                    int p = i * depth + k;
                    if (f32) {
                        if (outF[p] != 0) outF[p] *= (float) idf[k];
                    } else if (outD[p] != 0) {
                        outD[p] *= idf[k];
                    }
                }
            }
        }
        long[] shape = {n, depth};
        return f32 ? Nd4j.create(outF, shape, 'c') : Nd4j.create(outD, shape, 'c');
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
