package org.cornu.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Registry;
import org.cornu.core.Sequential;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;
import org.cornu.core.saving.KerasVariableGroups;
import org.cornu.datasets.Imdb;
import org.cornu.datasets.Reuters;
import org.cornu.datasets.SequenceSplit;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.Embedding;
import org.cornu.layers.GlobalMaxPooling1D;
import org.cornu.layers.LayerNormalization;
import org.cornu.layers.MultiHeadAttention;
import org.cornu.layers.TextVectorization;
import org.cornu.utils.Utils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Chapter 11.4 of the book: the Transformer encoder for text classification, with
 * {@link PositionalEmbedding} and {@link TransformerEncoder} written as custom layers (as the
 * book writes them), registered so that a saved model loads again. Here on Reuters newswires
 * decoded back to words with Keras's {@code reuters_word_index.json} (46 topics, softmax,
 * sparse categorical crossentropy; the book's IMDB file is not on this network).
 *
 * <p>Tokens: as the book, {@code TextVectorization(max_tokens=20000, output_mode="int",
 * output_sequence_length=200)} adapted on the decoded training newswires, then applied to the
 * training and test texts (it runs before the model, on strings; with {@code --load} it is adapted
 * again on the same texts, which gives the same vocabulary). For comparison, the chapter 4 dense
 * bag-of-words model (multi-hot over the 10000 most frequent tokens of the same texts) is trained
 * and evaluated too ({@code bag_of_words_test_accuracy}).
 */
public final class TextTransformer {
    private TextTransformer() {}

    /** Registers the two custom layers under their class names (Keras's {@code custom_objects}). */
    public static void registerLayers() {
        Registry.register(Registry.Kind.LAYER, "PositionalEmbedding", () -> PositionalEmbedding.class);
        Registry.register(Registry.Kind.LAYER, "TransformerEncoder", () -> TransformerEncoder.class);
    }

    /**
     * A layer made of other layers (what Keras tracks by itself when a layer assigns layers to its
     * attributes): its weights are its sub-layers' weights, in {@link #sublayers()} order.
     */
    abstract static class Composite extends Layer {
        /** The sub-layers whose weights this layer owns, in the order Keras lists them. */
        abstract List<Layer> sublayers();

        @Override
        public List<Weight> weights() {
            List<Weight> w = new ArrayList<>();
            for (Layer l : sublayers()) w.addAll(l.weights());
            return w;
        }

        @Override
        public List<Weight> trainableWeights() {
            return trainable() ? weights() : List.of();
        }

        @Override
        public List<Weight> nonTrainableWeights() {
            return trainable() ? List.of() : weights();
        }

        @Override
        public long countParams() {
            long n = 0;
            for (Layer l : sublayers()) n += l.countParams();
            return n;
        }
    }

    /**
     * Token embeddings plus learned position embeddings, as the book's {@code PositionalEmbedding}:
     * input {@code (batch, sequence_length)} of token ids, output {@code (batch, sequence_length,
     * output_dim)}, with the mask {@code ids != 0} (the book's {@code compute_mask}).
     */
    public static final class PositionalEmbedding extends Composite implements KerasVariableGroups {
        private final int sequenceLength;
        private final int inputDim;
        private final int outputDim;
        private final Embedding tokenEmbeddings;
        private final Embedding positionEmbeddings;

        /**
         * @param sequenceLength the longest sequence (the position embedding's {@code input_dim})
         * @param inputDim the vocabulary size
         * @param outputDim the embedding size
         */
        public PositionalEmbedding(int sequenceLength, int inputDim, int outputDim) {
            this.sequenceLength = sequenceLength;
            this.inputDim = inputDim;
            this.outputDim = outputDim;
            this.tokenEmbeddings = new Embedding(inputDim, outputDim);
            this.positionEmbeddings = new Embedding(sequenceLength, outputDim);
            this.inputNdim = 2;
        }

        @Override
        @SuppressWarnings("unchecked")
        public PositionalEmbedding inputShape(long... shape) {
            return super.inputShape(shape);
        }

        @Override
        public void build(Shape inputShape) {
            tokenEmbeddings.build(inputShape);
            positionEmbeddings.build(Shape.of(Shape.NONE, sequenceLength));
            built = true;
        }

        @Override
        protected Tensor call(Tensor ids, boolean training) {
            long length = ids.shape()[1];
            if (length > sequenceLength) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" (PositionalEmbedding) was built for sequences of at most "
                        + sequenceLength + " tokens, but received input with shape " + Shape.format(ids.shape()));
            }
            Tensor tokens = tokenEmbeddings.invoke(List.of(ids), training).get(0);
            INDArray positions = Nd4j.arange(0, length).castTo(ids.value().dataType()).reshape(1, length);
            Tensor embedded = positionEmbeddings.invoke(List.of(Tensor.constant(positions)), training).get(0);
            Tensor out = Ops.add(tokens, embedded);
            return out.withMask(ids.value().neq(0).castTo(out.value().dataType()));
        }

        @Override
        public List<Shape> computeOutputShapes(List<Shape> s) {
            return List.of(Shape.of(s.get(0).get(0), s.get(0).get(1), outputDim));
        }

        @Override
        List<Layer> sublayers() {
            return List.of(tokenEmbeddings, positionEmbeddings);
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
            c.put("sequence_length", sequenceLength);
            c.put("input_dim", inputDim);
            c.put("output_dim", outputDim);
            return c;
        }

        /**
         * Re-creates the layer from its config.
         *
         * @param c the config written by {@link #getConfig()}
         * @return the layer
         */
        public static PositionalEmbedding fromConfig(Map<String, Object> c) {
            return new PositionalEmbedding(Configs.getInt(c, "sequence_length"), Configs.getInt(c, "input_dim"),
                    Configs.getInt(c, "output_dim"));
        }

        /** Keras saves a custom layer's sub-layers under their attribute names, in sorted order. */
        @Override
        public Map<String, List<Weight>> kerasVariableGroups() {
            Map<String, List<Weight>> g = new LinkedHashMap<>();
            g.put("position_embeddings", positionEmbeddings.weights());
            g.put("token_embeddings", tokenEmbeddings.weights());
            return g;
        }
    }

    /**
     * The book's {@code TransformerEncoder}: self-attention ({@code MultiHeadAttention(num_heads,
     * key_dim=embed_dim)}, keys masked where the input's mask is 0), residual and
     * LayerNormalization, then {@code Dense(dense_dim, relu) -> Dense(embed_dim)}, residual and
     * LayerNormalization. Input and output {@code (batch, timesteps, embed_dim)}.
     */
    public static final class TransformerEncoder extends Composite implements KerasVariableGroups {
        private final int embedDim;
        private final int denseDim;
        private final int numHeads;
        private final MultiHeadAttention attention;
        private final Dense dense1;
        private final Dense dense2;
        private final LayerNormalization layernorm1 = new LayerNormalization();
        private final LayerNormalization layernorm2 = new LayerNormalization();

        /**
         * @param embedDim the input's (and output's) last axis
         * @param denseDim the hidden size of the feed-forward projection
         * @param numHeads attention heads (each of size {@code embedDim}, as the book has it)
         */
        public TransformerEncoder(int embedDim, int denseDim, int numHeads) {
            this.embedDim = embedDim;
            this.denseDim = denseDim;
            this.numHeads = numHeads;
            this.attention = new MultiHeadAttention(numHeads, embedDim);
            this.dense1 = new Dense(denseDim, "relu");
            this.dense2 = new Dense(embedDim);
            this.inputNdim = 3;
            this.inputAxes.put(-1, (long) embedDim);
        }

        @Override
        List<Layer> sublayers() {
            return List.of(attention, dense1, dense2, layernorm1, layernorm2);
        }

        @Override
        public void build(Shape s) {
            attention.build(List.of(s, s, s));
            dense1.build(s);
            dense2.build(s.with(s.rank() - 1, denseDim));
            layernorm1.build(s);
            layernorm2.build(s);
            built = true;
        }

        private static Tensor run(Layer l, Tensor x, boolean training) {
            return l.invoke(List.of(x), training).get(0);
        }

        @Override
        protected Tensor call(Tensor x, boolean training) {
            INDArray mask = x.mask();
            List<Tensor> in = new ArrayList<>(List.of(x, x, x));
            if (mask != null) in.add(Tensor.constant(mask.reshape(mask.size(0), 1, mask.size(1)))); // the book's mask[:, None, :]
            Tensor attended = attention.invoke(in, training).get(0);
            Tensor projIn = run(layernorm1, Ops.add(x, attended), training);
            Tensor projOut = run(dense2, run(dense1, projIn, training), training);
            return run(layernorm2, Ops.add(projIn, projOut), training);
        }

        @Override
        public List<Shape> computeOutputShapes(List<Shape> s) {
            return List.of(s.get(0));
        }


        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
            c.put("embed_dim", embedDim);
            c.put("dense_dim", denseDim);
            c.put("num_heads", numHeads);
            return c;
        }

        /**
         * Re-creates the layer from its config.
         *
         * @param c the config written by {@link #getConfig()}
         * @return the layer
         */
        public static TransformerEncoder fromConfig(Map<String, Object> c) {
            return new TransformerEncoder(Configs.getInt(c, "embed_dim"), Configs.getInt(c, "dense_dim"), Configs.getInt(c, "num_heads"));
        }

        /** The sub-layers' variables under their attribute names, sorted as Keras's saver walks them. */
        @Override
        public Map<String, List<Weight>> kerasVariableGroups() {
            Map<String, List<Weight>> g = new LinkedHashMap<>();
            for (var e : KerasVariableGroups.of(attention).entrySet()) {
                g.put(e.getKey().isEmpty() ? "attention" : "attention/" + e.getKey(), e.getValue());
            }
            g.put("dense_proj/layers/dense", dense1.weights());
            g.put("dense_proj/layers/dense_1", dense2.weights());
            g.put("layernorm_1", layernorm1.weights());
            g.put("layernorm_2", layernorm2.weights());
            return g;
        }
    }

    /**
     * The book's model: {@code PositionalEmbedding(sequenceLength, vocab, embedDim)},
     * {@code TransformerEncoder(embedDim, denseDim, numHeads)}, GlobalMaxPooling1D, Dropout 0.5,
     * Dense {@code classes} (sigmoid for one, else softmax), rmsprop.
     *
     * @param sequenceLength tokens per sample
     * @param vocab vocabulary size
     * @param embedDim embedding size
     * @param denseDim the encoder's feed-forward size
     * @param numHeads attention heads
     * @param classes 1 for binary classification, else the number of classes
     * @return the compiled model
     */
    public static Sequential model(int sequenceLength, int vocab, int embedDim, int denseDim, int numHeads, int classes) {
        Sequential m = new Sequential(
                new PositionalEmbedding(sequenceLength, vocab, embedDim).inputShape(sequenceLength),
                new TransformerEncoder(embedDim, denseDim, numHeads),
                new GlobalMaxPooling1D(),
                new Dropout(0.5),
                classes == 1 ? new Dense(1, "sigmoid") : new Dense(classes, "softmax"));
        m.compile("rmsprop", classes == 1 ? "binary_crossentropy" : "sparse_categorical_crossentropy", "accuracy");
        return m;
    }

    /**
     * The newswires as text: Keras's decoding ({@code reverse_word_index.get(i - 3, "?")}).
     *
     * @param sequences word ids as {@code reuters.load_data()} gives them
     * @param wordIndex {@code reuters.get_word_index()}
     * @return one string per newswire
     */
    public static List<String> decodedTexts(int[][] sequences, Map<String, Integer> wordIndex) {
        Map<Integer, String> reverse = Utils.reverseWordIndex(wordIndex);
        List<String> r = new ArrayList<>(sequences.length);
        for (int[] s : sequences) r.add(Utils.decode(s, reverse, Imdb.INDEX_FROM));
        return r;
    }

    /** Training newswires in Keras's split of reuters.npz, and the book's validation hold-out for them. */
    static final int KERAS_TRAIN = 8982, BOOK_VALIDATION = 1000;

    static void run(Args args) {
        registerLayers();
        Cornu.setSeed(args.getInt("seed"));
        int maxTokens = args.getInt("max-tokens");
        int length = args.getInt("sequence-length");
        Path file = ExampleSupport.dataFile(args);
        SequenceSplit data = file == null ? Reuters.loadData()
                : Reuters.loadData(file, null, 0, null, Reuters.TEST_SPLIT, Imdb.SEED, Imdb.START_CHAR, Imdb.OOV_CHAR, Imdb.INDEX_FROM);
        Path index = ExampleSupport.localFile(args, Reuters.WORD_INDEX_FILE_NAME);
        Map<String, Integer> wordIndex = index != null ? Reuters.getWordIndex(index) : Reuters.getWordIndex();
        List<String> texts = decodedTexts(data.xTrain(), wordIndex);
        System.out.println("Training newswires: " + data.xTrain().length + ", test: " + data.xTest().length);
        System.out.println("First newswire, decoded: " + texts.get(0));
        TextVectorization vectorize = new TextVectorization().maxTokens(maxTokens).outputMode("int").outputSequenceLength(length);
        vectorize.adapt(texts);
        System.out.println("TextVectorization: " + vectorize.vocabularySize() + " tokens (max_tokens " + maxTokens
                + "), sequences padded or cut to " + length + "; most frequent: "
                + String.join(" ", vectorize.getVocabulary().subList(2, Math.min(12, vectorize.vocabularySize()))));
        INDArray xTrain = vectorize.apply(texts).castTo(Cornu.floatType());
        List<String> testTexts = decodedTexts(data.xTest(), wordIndex);
        INDArray xTest = vectorize.apply(testTexts).castTo(Cornu.floatType());
        INDArray yTrain = ExampleSupport.vector(data.yTrain());
        INDArray yTest = ExampleSupport.vector(data.yTest());

        int n = data.xTrain().length;
        int nVal = n == KERAS_TRAIN ? BOOK_VALIDATION : (int) Math.round(n * 0.1);
        System.out.println("Validation: the first " + nVal + " training newswires");
        INDArray xVal = xTrain.get(NDArrayIndex.interval(0, nVal), NDArrayIndex.all());
        INDArray yVal = yTrain.get(NDArrayIndex.interval(0, nVal));
        INDArray partialX = xTrain.get(NDArrayIndex.interval(nVal, n), NDArrayIndex.all());
        INDArray partialY = yTrain.get(NDArrayIndex.interval(nVal, n));

        Model model = ExampleSupport.loaded(args);
        if (model == null) {
            Sequential m = model(length, maxTokens, args.getInt("embed-dim"), args.getInt("dense-dim"), args.getInt("num-heads"), 46);
            if (args.getInt("verbose") > 0) m.summary();
            long t0 = System.nanoTime();
            int epochs = args.getInt("epochs");
            m.fit(partialX, partialY, Fit.epochs(epochs).batchSize(args.getInt("batch-size"))
                    .validationData(xVal, yVal).verbose(args.getInt("verbose")));
            System.out.printf(Locale.ROOT, "seconds_per_epoch: %.1f%n", (System.nanoTime() - t0) / 1e9 / epochs);
            ExampleSupport.save(args, m);
            model = m;
        }
        double[] r = model.evaluate(xTest, yTest, Evaluate.verbose(0));
        System.out.printf(Locale.ROOT, "bag_of_words_test_accuracy: %.4f%n", bagOfWordsAccuracy(texts, yTrain, testTexts, yTest));
        System.out.printf(Locale.ROOT, "test_loss: %.4f%n", r[0]);
        System.out.printf(Locale.ROOT, "test_accuracy: %.4f%n", r[1]);
    }

    /**
     * The book's chapter 4 model on the same texts: multi-hot over TextVectorization's 10000 most
     * frequent tokens, Dense 64 -> 64 -> 46, rmsprop, 9 epochs at batch 512 on all training
     * newswires; its test accuracy.
     */
    static double bagOfWordsAccuracy(List<String> texts, INDArray yTrain, List<String> testTexts, INDArray yTest) {
        TextVectorization multiHot = new TextVectorization().maxTokens(10000).outputMode("multi_hot").padToMaxTokens(true);
        multiHot.adapt(texts);
        Sequential bag = ReutersExample.model("sparse_categorical_crossentropy");
        bag.fit(multiHot.apply(texts), yTrain, Fit.epochs(9).batchSize(512).verbose(0));
        return bag.evaluate(multiHot.apply(testTexts), yTest, Evaluate.verbose(0))[1];
    }
}
