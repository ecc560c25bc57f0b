package org.cornu.applications;

import java.util.List;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.layers.Add;
import org.cornu.layers.BatchNormalization;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.DepthwiseConv2D;
import org.cornu.layers.GlobalAveragePooling2D;
import org.cornu.layers.GlobalMaxPooling2D;
import org.cornu.layers.ReLU;
import org.cornu.layers.ZeroPadding2D;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.LoggerFactory;

/**
 * The MobileNetV2 model, {@code keras.applications.MobileNetV2}, from "MobileNetV2: Inverted
 * Residuals and Linear Bottlenecks" (Sandler et al., CVPR 2018): a 3x3/2 convolution, 17 inverted
 * residual blocks (1x1 expansion, 3x3 depthwise convolution, linear 1x1 projection, relu6 and
 * batch normalization with epsilon 1e-3 and momentum 0.999, a residual connection where shapes
 * allow), a 1x1 convolution to 1280 channels, then (with the top) global average pooling and a
 * Dense softmax. 3,538,984 parameters at {@code alpha} 1.0 with the top. Layers carry Keras's
 * names ({@code Conv1}, {@code bn_Conv1}, {@code Conv1_relu}, {@code expanded_conv_depthwise},
 * {@code block_1_expand}, {@code block_1_pad}, ..., {@code Conv_1}, {@code out_relu},
 * {@code predictions}); the model is named {@code mobilenetv2_<alpha, 2 decimals>_<rows>}
 * ({@code mobilenetv2_1.00_224}).
 *
 * <p>MobileNets support any input size from 32x32; ImageNet weights exist for square inputs of
 * 96, 128, 160, 192 and 224 pixels (the 224 ones are loaded for other sizes) and alphas 0.35,
 * 0.5, 0.75, 1.0, 1.3 and 1.4. Inputs are preprocessed with {@link #preprocessInput}
 * ({@code "tf"} mode: pixels scaled to [-1, 1]).
 */
public final class MobileNetV2 {
    /** Keras's folder of the MobileNetV2 weight files. */
    public static final String BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/";
    private static final double[] ALPHAS = {0.35, 0.50, 0.75, 1.0, 1.3, 1.4};
    private static final long[] SIZES = {96, 128, 160, 192, 224};

    private MobileNetV2() {}

    /** The arguments of {@code keras.applications.MobileNetV2}, with Keras's defaults (and {@code alpha} 1.0). */
    public static final class Builder extends ApplicationBuilder<Builder> {
        private double alpha = 1.0;

        Builder() {}

        /**
         * The width multiplier: below 1 proportionally fewer filters in each layer, above 1 more;
         * 1 (the default) is the paper's network.
         *
         * @param a the width multiplier (Keras's {@code alpha}); ImageNet weights exist for 0.35, 0.5, 0.75, 1.0, 1.3
         *     and 1.4
         * @return this builder
         * @throws IllegalArgumentException if {@code a} is not positive
         */
        public Builder alpha(double a) {
            if (!(a > 0)) throw new IllegalArgumentException("MobileNetV2: `alpha` must be positive. Received: alpha=" + a);
            this.alpha = a;
            return this;
        }

        @Override
        public Model build() {
            String label = "MobileNetV2";
            checkWeightsAndClasses(label);
            if (inputShape != null && inputTensor != null && inputShape.length >= 2) {
                long[] ts = inputTensor.shape().dims();
                if (ts.length > 2 && ts[2] != inputShape[1]) {
                    throw new IllegalArgumentException(label + ": input_tensor.shape[2] must equal input_shape[1];"
                            + " Received `input_tensor.shape=" + inputTensor.shape() + "`, `input_shape="
                            + org.cornu.core.Shape.format(inputShape) + "`");
                }
            }
            int defaultSize = 224;
            long[] known = inputShape != null ? inputShape
                    : inputTensor != null && inputTensor.shape().rank() == 4 ? inputTensor.shape().sampleDims() : null;
            if (known != null && known.length >= 2 && known[0] == known[1] && contains(SIZES, known[0])) {
                defaultSize = (int) known[0];
            }
            long[] shape = ImagenetUtils.obtainInputShape(label, inputShape, defaultSize, 32, includeTop, imagenet());
            long rows = shape[0], cols = shape[1];
            if (imagenet()) {
                boolean ok = false;
                for (double a : ALPHAS) ok |= a == alpha;
                if (!ok) {
                    throw new IllegalArgumentException(label + ": if imagenet weights are being loaded, alpha must be one of"
                            + " `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha=" + alpha + "`");
                }
                if (rows != cols || !contains(SIZES, rows)) {
                    rows = 224;
                    LoggerFactory.getLogger(MobileNetV2.class).warn("`input_shape` is undefined or non-square, or `rows` is"
                            + " not in [96, 128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded as the default.");
                }
            }
            KerasTensor img = imageInput(shape);
            int firstBlockFilters = makeDivisible(32 * alpha, 8);
            KerasTensor x = new Conv2D(firstBlockFilters, 3).strides(2).padding("same").useBias(false).name("Conv1").apply(img);
            x = bn("bn_Conv1").apply(x);
            x = new ReLU(6.0).name("Conv1_relu").apply(x);
            int[][] blocks = { // filters, stride, expansion
                {16, 1, 1}, {24, 2, 6}, {24, 1, 6}, {32, 2, 6}, {32, 1, 6}, {32, 1, 6}, {64, 2, 6}, {64, 1, 6},
                {64, 1, 6}, {64, 1, 6}, {96, 1, 6}, {96, 1, 6}, {96, 1, 6}, {160, 2, 6}, {160, 1, 6}, {160, 1, 6},
                {320, 1, 6}};
            for (int id = 0; id < blocks.length; id++) {
                x = invertedResBlock(x, blocks[id][2], blocks[id][1], alpha, blocks[id][0], id);
            }
            // no alpha below 1 on the last convolution, as the paper
            int lastBlockFilters = alpha > 1.0 ? makeDivisible(1280 * alpha, 8) : 1280;
            x = new Conv2D(lastBlockFilters, 1).useBias(false).name("Conv_1").apply(x);
            x = bn("Conv_1_bn").apply(x);
            x = new ReLU(6.0).name("out_relu").apply(x);
            if (includeTop) {
                x = new GlobalAveragePooling2D().apply(x);
                x = new Dense(classes, classifier(label)).name("predictions").apply(x);
            } else if ("avg".equals(pooling)) {
                x = new GlobalAveragePooling2D().apply(x);
            } else if ("max".equals(pooling)) {
                x = new GlobalMaxPooling2D().apply(x);
            }
            String rowsText = rows < 0 ? "None" : Long.toString(rows);
            Model model = functional(img, x, "mobilenetv2_" + ImagenetUtils.twoDecimals(alpha) + "_" + rowsText);
            String file = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_" + alpha + "_" + rows
                    + (includeTop ? ".h5" : "_no_top.h5");
            loadWeights(model, file, BASE_WEIGHT_PATH + file, null);
            return model;
        }
    }

    /**
     * A builder with Keras's defaults: alpha 1.0, top included, ImageNet weights, 224x224x3 input, 1000 classes.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) if (x == v) return true;
        return false;
    }

    private static BatchNormalization bn(String name) {
        return new BatchNormalization().epsilon(1e-3).momentum(0.999).name(name);
    }

    /** Keras's {@code _make_divisible}: {@code v} rounded to a multiple of {@code divisor}, never more than 10% down. */
    static int makeDivisible(double v, int divisor) {
        int newV = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v) newV += divisor;
        return newV;
    }

    /** Keras's {@code _inverted_res_block}. */
    private static KerasTensor invertedResBlock(KerasTensor inputs, int expansion, int stride, double alpha, int filters,
                                                int blockId) {
        long inChannels = inputs.shape().get(-1);
        int pointwiseFilters = makeDivisible((int) (filters * alpha), 8);
        KerasTensor x = inputs;
        String prefix = "block_" + blockId + "_";
        if (blockId != 0) {
            x = new Conv2D((int) (expansion * inChannels), 1).padding("same").useBias(false).name(prefix + "expand").apply(x);
            x = bn(prefix + "expand_BN").apply(x);
            x = new ReLU(6.0).name(prefix + "expand_relu").apply(x);
        } else {
            prefix = "expanded_conv_";
        }
        if (stride == 2) x = new ZeroPadding2D(ImagenetUtils.correctPad(x.shape(), 3)).name(prefix + "pad").apply(x);
        x = new DepthwiseConv2D(3).strides(stride).useBias(false).padding(stride == 1 ? "same" : "valid")
                .name(prefix + "depthwise").apply(x);
        x = bn(prefix + "depthwise_BN").apply(x);
        x = new ReLU(6.0).name(prefix + "depthwise_relu").apply(x);
        x = new Conv2D(pointwiseFilters, 1).padding("same").useBias(false).name(prefix + "project").apply(x);
        x = bn(prefix + "project_BN").apply(x);
        if (inChannels == pointwiseFilters && stride == 1) return new Add().name(prefix + "add").apply(List.of(inputs, x));
        return x;
    }

    /**
     * Keras's {@code mobilenet_v2.preprocess_input}: {@code "tf"} mode, pixels scaled to [-1, 1] ({@code x / 127.5 - 1}).
     *
     * @param x images {@code (n, h, w, 3)} or one image {@code (h, w, 3)}, RGB, pixel values in {@code [0, 255]}
     * @return the preprocessed images, a new float array of the input's shape
     */
    public static INDArray preprocessInput(INDArray x) {
        return ImagenetUtils.preprocessInput(x, null, "tf");
    }

    /**
     * Keras's {@code mobilenet_v2.decode_predictions} (see {@link ImagenetUtils#decodePredictions(INDArray, int)}).
     *
     * @param preds the model's predictions, {@code (samples, 1000)}
     * @param top how many classes to return per sample
     * @return per sample, its {@code top} predictions, best first
     */
    public static List<List<ImagenetUtils.Prediction>> decodePredictions(INDArray preds, int top) {
        return ImagenetUtils.decodePredictions(preds, top);
    }

    /**
     * {@link #decodePredictions(INDArray, int)} with Keras's default {@code top=5}.
     *
     * @param preds the model's predictions, {@code (samples, 1000)}
     * @return per sample, its 5 best predictions, best first
     */
    public static List<List<ImagenetUtils.Prediction>> decodePredictions(INDArray preds) {
        return ImagenetUtils.decodePredictions(preds, 5);
    }
}
