package org.cornu.applications;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Shape;
import org.cornu.utils.GetFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras's {@code keras.applications.imagenet_utils}: the input preprocessing of the ImageNet
 * models ({@link #preprocessInput}) and the decoding of their predictions into ImageNet classes
 * ({@link #decodePredictions}); each model class has its own {@code preprocessInput} (VGG16,
 * VGG19, ResNet50: {@code "caffe"}; MobileNetV2: {@code "tf"}).
 */
public final class ImagenetUtils {
    /** Where Keras downloads the ImageNet class index from. */
    public static final String CLASS_INDEX_PATH =
            "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json";
    /** The class index's file name in Keras's cache ({@code ~/.keras/models/}). */
    public static final String CLASS_INDEX_FILE = "imagenet_class_index.json";
    /** Keras's MD5 of the class index. */
    public static final String CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb";

    /** The ImageNet mean pixel in BGR order, subtracted by the {@code "caffe"} mode. */
    static final double[] CAFFE_MEAN = {103.939, 116.779, 123.68};
    static final double[] TORCH_MEAN = {0.485, 0.456, 0.406};
    static final double[] TORCH_STD = {0.229, 0.224, 0.225};

    private static final Logger LOG = LoggerFactory.getLogger(ImagenetUtils.class);
    private static volatile Map<Integer, String[]> classIndex;

    private ImagenetUtils() {}

    /**
     * One decoded prediction: the ImageNet class id ({@code class_name}, a WordNet id such as
     * {@code "n02123045"}), its description ({@code "tabby"}) and the score.
     *
     * @param className the WordNet id, such as {@code "n02123045"}
     * @param classDescription the class's name, such as {@code "tabby"}
     * @param score the predicted probability
     */
    public record Prediction(String className, String classDescription, double score) {
        @Override
        public String toString() {
            return "(" + className + ", " + classDescription + ", " + score + ")";
        }
    }

    // ------------------------------------------------------------------ preprocess_input

    /**
     * Preprocesses a batch of images {@code (n, h, w, 3)} (or one image {@code (h, w, 3)}) with
     * pixel values in [0, 255], as {@code imagenet_utils.preprocess_input(x, mode=mode)}:
     * <ul>
     *   <li>{@code "caffe"}: converts the images from RGB to BGR, then zero-centers each color
     *       channel with respect to the ImageNet dataset (subtracts 103.939, 116.779, 123.68 from
     *       B, G, R), without scaling;</li>
     *   <li>{@code "tf"}: scales pixels between -1 and 1 ({@code x / 127.5 - 1});</li>
     *   <li>{@code "torch"}: scales pixels between 0 and 1, then normalizes each channel with
     *       respect to the ImageNet dataset (means 0.485, 0.456, 0.406, deviations 0.229, 0.224,
     *       0.225).</li>
     * </ul>
     * Returns a new float array (float32, or the input's own float type); unlike Keras's NumPy
     * path, the input is never written over.
     *
     * @param x the images, pixel values in {@code [0, 255]}
     * @param dataFormat {@code "channels_last"} (null means it) or {@code "channels_first"}
     *                   ({@code (n, 3, h, w)} or {@code (3, h, w)})
     * @param mode {@code "caffe"}, {@code "tf"} or {@code "torch"}
     * @return the preprocessed images, of the input's shape
     * @throws IllegalArgumentException for an unknown mode or data format, or images without 3 channels
     */
    public static INDArray preprocessInput(INDArray x, String dataFormat, String mode) {
        if (!"caffe".equals(mode) && !"tf".equals(mode) && !"torch".equals(mode)) {
            throw new IllegalArgumentException("Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=" + mode);
        }
        String df = dataFormat == null ? "channels_last" : dataFormat;
        if (!df.equals("channels_last") && !df.equals("channels_first")) {
            throw new IllegalArgumentException("Expected data_format to be one of `channels_first` or `channels_last`."
                    + " Received: data_format=" + dataFormat);
        }
        DataType t = x.dataType().isFPType() ? x.dataType() : Cornu.floatType();
        INDArray in = x.castTo(t);
        if (mode.equals("tf")) return in.div(127.5).subi(1.0);
        int rank = x.rank();
        int axis = df.equals("channels_last") ? rank - 1 : rank == 3 ? 0 : 1;
        if (rank < 1 || axis < 0 || axis >= rank || x.size(axis) != 3) {
            throw new IllegalArgumentException("preprocess_input (mode=" + mode + ", data_format=" + df + ") expects images"
                    + " with 3 color channels on axis " + axis + ", 3D or 4D; received an array of shape " + Shape.format(x.shape()));
        }
        INDArray out = in.dup('c');
        for (int c = 0; c < 3; c++) {
            INDArray dst = out.get(channel(rank, axis, c));
            if (mode.equals("caffe")) {
                // 'RGB'->'BGR', then zero-center by the mean pixel (B, G, R order)
                dst.assign(in.get(channel(rank, axis, 2 - c))).subi(CAFFE_MEAN[c]);
            } else {
                dst.divi(255.0).subi(TORCH_MEAN[c]).divi(TORCH_STD[c]);
            }
        }
        return out;
    }

    private static INDArrayIndex[] channel(int rank, int axis, int c) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) idx[i] = i == axis ? NDArrayIndex.point(c) : NDArrayIndex.all();
        return idx;
    }

    // ------------------------------------------------------------------ decode_predictions

    /**
     * Decodes the predictions of an ImageNet model, as {@code decode_predictions(preds, top)}:
     * for each row of {@code preds} {@code (samples, 1000)}, the {@code top} classes with the
     * highest scores, best first, as {@link Prediction}s. The class index
     * {@value #CLASS_INDEX_FILE} is read from Keras's cache ({@code ~/.keras/models/}), downloaded
     * from {@link #CLASS_INDEX_PATH} the first time, as Keras does.
     *
     * @param preds the model's predictions, {@code (samples, 1000)}
     * @param top how many classes to return per sample (Keras's default is 5)
     * @return per sample, its {@code top} predictions, best first
     *
     * @throws IllegalArgumentException if {@code preds} is not {@code (samples, 1000)}
     * @throws UncheckedIOException     if the class index is not in the cache and cannot be
     *                                  downloaded; the message names the file, its URL and where
     *                                  to put it
     */
    public static List<List<Prediction>> decodePredictions(INDArray preds, int top) {
        checkPredictions(preds);
        return decodePredictions(preds, top, classIndex());
    }

    /**
     * {@link #decodePredictions(INDArray, int)} with a given class index (class number to
     * {@code {class_name, class_description}}, as {@link #loadClassIndex} reads it).
     *
     * @param preds the model's predictions, {@code (samples, 1000)}
     * @param top how many classes to return per sample
     * @param index the class index
     * @return per sample, its {@code top} predictions, best first
     * @throws IllegalArgumentException if {@code preds} is not {@code (samples, 1000)}, {@code top} is not
     *     positive, or the index lacks a class
     */
    public static List<List<Prediction>> decodePredictions(INDArray preds, int top, Map<Integer, String[]> index) {
        checkPredictions(preds);
        if (top <= 0) throw new IllegalArgumentException("decode_predictions: `top` must be positive. Received: top=" + top);
        int n = (int) preds.size(0), k = (int) preds.size(1);
        double[] all = preds.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        List<List<Prediction>> results = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            final int row = r * k;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < k; i++) order.add(i);
            // descending score; ties go to the higher index, as numpy's argsort()[-top:][::-1]
            order.sort((a, b) -> {
                int c = Double.compare(all[row + b], all[row + a]);
                return c != 0 ? c : Integer.compare(b, a);
            });
            List<Prediction> result = new ArrayList<>();
            for (int i = 0; i < Math.min(top, k); i++) {
                int cls = order.get(i);
                String[] entry = index.get(cls);
                if (entry == null || entry.length < 2) {
                    throw new IllegalArgumentException("decode_predictions: the class index has no entry for class " + cls);
                }
                result.add(new Prediction(entry[0], entry[1], all[row + cls]));
            }
            results.add(result);
        }
        return results;
    }

    private static void checkPredictions(INDArray preds) {
        if (preds.rank() != 2 || preds.size(1) != 1000) {
            throw new IllegalArgumentException("`decode_predictions` expects a batch of predictions (i.e. a 2D array of"
                    + " shape (samples, 1000)). Received array with shape: " + Shape.format(preds.shape()));
        }
    }

    /**
     * The ImageNet class index from Keras's cache, downloaded on first use, as Keras's
     * {@code get_file("imagenet_class_index.json", CLASS_INDEX_PATH, cache_subdir="models",
     * file_hash=...)}; read once per JVM.
     *
     * @return class number to {@code {class_name, class_description}}
     * @throws UncheckedIOException if the file is not in the cache and cannot be downloaded
     */
    public static Map<Integer, String[]> classIndex() {
        Map<Integer, String[]> ci = classIndex;
        if (ci != null) return ci;
        synchronized (ImagenetUtils.class) {
            if (classIndex == null) {
                Path p;
                try {
                    p = GetFile.getFile(CLASS_INDEX_FILE, CLASS_INDEX_PATH, CLASS_INDEX_HASH, "models");
                } catch (IOException e) {
                    throw new UncheckedIOException("decode_predictions needs the ImageNet class index " + CLASS_INDEX_FILE
                            + " (from " + CLASS_INDEX_PATH + "): " + e.getMessage(), e);
                }
                classIndex = loadClassIndex(p);
            }
            return classIndex;
        }
    }

    /**
     * Reads a class index in Keras's JSON format, {@code {"0": ["n01440764", "tench"], ...}}:
     * class number to {@code {class_name, class_description}}.
     *
     * @param file the JSON file
     * @return class number to {@code {class_name, class_description}}
     * @throws IllegalArgumentException if the file is not in that format
     */
    public static Map<Integer, String[]> loadClassIndex(Path file) {
        Map<String, List<String>> raw;
        try {
            raw = new ObjectMapper().readValue(Files.readAllBytes(file), new TypeReference<Map<String, List<String>>>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException("File " + file + " is not a class index in Keras's format ({\"0\": "
                    + "[\"n01440764\", \"tench\"], ...}): " + e.getMessage().split("\n")[0], e);
        }
        Map<Integer, String[]> r = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : raw.entrySet()) {
            int cls;
            try {
                cls = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("File " + file + ": class index key '" + e.getKey() + "' is not a number", ex);
            }
            if (e.getValue() == null || e.getValue().size() != 2) {
                throw new IllegalArgumentException("File " + file + ": class " + cls + " should map to [class_name,"
                        + " class_description]. Received: " + e.getValue());
            }
            r.put(cls, e.getValue().toArray(new String[0]));
        }
        return Collections.unmodifiableMap(r);
    }

    // ------------------------------------------------------------------ input shapes (internal)

    /**
     * Keras's {@code obtain_input_shape} for channels_last: the per-sample input shape of an
     * application (-1 for an unknown size), checked. {@code model} names the model in errors.
     */
    static long[] obtainInputShape(String model, long[] inputShape, int defaultSize, int minSize, boolean requireFlatten,
                                   boolean imagenet) {
        long[] defaultShape;
        if (!imagenet && inputShape != null && inputShape.length == 3) {
            if (inputShape[2] != 1 && inputShape[2] != 3) {
                LOG.warn("{}: this model usually expects 1 or 3 input channels. However, it was passed an input_shape"
                        + " with {} input channels.", model, inputShape[2]);
            }
            defaultShape = new long[] {defaultSize, defaultSize, inputShape[2]};
        } else {
            defaultShape = new long[] {defaultSize, defaultSize, 3};
        }
        if (imagenet && requireFlatten) {
            if (inputShape != null && !java.util.Arrays.equals(inputShape, defaultShape)) {
                throw new IllegalArgumentException(model + ": when setting `include_top=True` and loading `imagenet` weights,"
                        + " `input_shape` should be " + Shape.format(defaultShape) + ".  Received: input_shape="
                        + Shape.format(inputShape));
            }
            return defaultShape;
        }
        if (inputShape != null && inputShape.length > 0) {
            if (inputShape.length != 3) {
                throw new IllegalArgumentException(model + ": `input_shape` must be a tuple of three integers."
                        + " Received: input_shape=" + Shape.format(inputShape));
            }
            if (inputShape[2] != 3 && imagenet) {
                throw new IllegalArgumentException(model + ": the input must have 3 channels with `imagenet` weights;"
                        + " Received `input_shape=" + Shape.format(inputShape) + "`");
            }
            if ((inputShape[0] >= 0 && inputShape[0] < minSize) || (inputShape[1] >= 0 && inputShape[1] < minSize)) {
                throw new IllegalArgumentException(model + ": input size must be at least " + minSize + "x" + minSize
                        + "; Received: input_shape=" + Shape.format(inputShape));
            }
        } else {
            inputShape = requireFlatten ? defaultShape : new long[] {-1, -1, 3};
        }
        if (requireFlatten) {
            for (long d : inputShape) {
                if (d < 0) {
                    throw new IllegalArgumentException(model + ": if `include_top` is True, you should specify a static"
                            + " `input_shape`. Received: input_shape=" + Shape.format(inputShape));
                }
            }
        }
        return inputShape.clone();
    }

    /**
     * Keras's {@code correct_pad}: the zero padding {@code (top, bottom, left, right)} before a
     * strided convolution of {@code kernelSize} on a {@code (batch, h, w, c)} input, so that it
     * downsamples as a TF "same" convolution would.
     */
    static int[] correctPad(Shape input, int kernelSize) {
        long h = input.get(1), w = input.get(2);
        int adjustH = h < 0 ? 1 : (int) (1 - h % 2);
        int adjustW = w < 0 || h < 0 ? 1 : (int) (1 - w % 2);
        int correct = kernelSize / 2;
        return new int[] {correct - adjustH, correct, correct - adjustW, correct};
    }

    /** Python's {@code "%0.2f"} of a width multiplier (the MobileNet model names). */
    static String twoDecimals(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
