package org.cornu.applications;

import java.util.List;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.layers.Activation;
import org.cornu.layers.Add;
import org.cornu.layers.BatchNormalization;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.GlobalAveragePooling2D;
import org.cornu.layers.GlobalMaxPooling2D;
import org.cornu.layers.MaxPooling2D;
import org.cornu.layers.ZeroPadding2D;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ResNet50 model, {@code keras.applications.ResNet50}, from "Deep Residual Learning for
 * Image Recognition" (He et al., CVPR 2015), as Keras builds it: a 7x7/2 convolution and 3x3/2
 * max pooling, then four stacks of bottleneck residual blocks (3, 4, 6 and 3 blocks of 64, 128,
 * 256 and 512 filters, each block 1x1 - 3x3 - 1x1 with batch normalization, epsilon 1.001e-5),
 * then (with the top) global average pooling and a Dense softmax. 25,636,712 parameters with the
 * top. Layers carry Keras's names ({@code conv1_pad}, {@code conv1_conv}, {@code conv1_bn},
 * {@code pool1_pool}, {@code conv2_block1_1_conv} ... {@code conv5_block3_out}, {@code avg_pool},
 * {@code predictions}) and the model is named {@code resnet50}.
 *
 * <p>Inputs are preprocessed with {@link #preprocessInput} ({@code "caffe"} mode: RGB to BGR,
 * ImageNet mean subtracted, no scaling).
 */
public final class ResNet50 {
    /** Keras's folder of the ResNet weight files. */
    public static final String BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/";
    static final String FILE = "resnet50_weights_tf_dim_ordering_tf_kernels.h5";
    static final String FILE_NO_TOP = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5";
    static final String HASH = "2cb95161c43110f7111970584f804107";
    static final String HASH_NO_TOP = "4d473c1dd8becc155b73f8504c6f6626";
    private static final double EPSILON = 1.001e-5;

    private ResNet50() {}

    /** The arguments of {@code keras.applications.ResNet50}, with Keras's defaults. */
    public static final class Builder extends ApplicationBuilder<Builder> {
        Builder() {}

        @Override
        public Model build() {
            String label = "ResNet50";
            checkWeightsAndClasses(label);
            long[] shape = ImagenetUtils.obtainInputShape(label, inputShape, 224, 32, includeTop, imagenet());
            KerasTensor img = imageInput(shape);
            KerasTensor x = new ZeroPadding2D(3, 3).name("conv1_pad").apply(img);
            x = new Conv2D(64, 7).strides(2).name("conv1_conv").apply(x);
            x = bn("conv1_bn").apply(x);
            x = new Activation("relu").name("conv1_relu").apply(x);
            x = new ZeroPadding2D(1, 1).name("pool1_pad").apply(x);
            x = new MaxPooling2D(3).strides(2).name("pool1_pool").apply(x);
            x = stack(x, 64, 3, 1, "conv2");
            x = stack(x, 128, 4, 2, "conv3");
            x = stack(x, 256, 6, 2, "conv4");
            x = stack(x, 512, 3, 2, "conv5");
            if (includeTop) {
                x = new GlobalAveragePooling2D().name("avg_pool").apply(x);
                x = new Dense(classes, classifier(label)).name("predictions").apply(x);
            } else if ("avg".equals(pooling)) {
                x = new GlobalAveragePooling2D().name("avg_pool").apply(x);
            } else if ("max".equals(pooling)) {
                x = new GlobalMaxPooling2D().name("max_pool").apply(x);
            }
            Model model = functional(img, x, "resnet50");
            loadWeights(model, includeTop ? FILE : FILE_NO_TOP, BASE_WEIGHTS_PATH + (includeTop ? FILE : FILE_NO_TOP),
                    includeTop ? HASH : HASH_NO_TOP);
            return model;
        }
    }

    /**
     * A builder with Keras's defaults: top included, ImageNet weights, 224x224x3 input, 1000 classes, softmax.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static BatchNormalization bn(String name) {
        return new BatchNormalization().epsilon(EPSILON).name(name);
    }

    /** Keras's {@code stack_residual_blocks_v1}: a block with a convolution shortcut, then identity-shortcut blocks. */
    private static KerasTensor stack(KerasTensor x, int filters, int blocks, int stride1, String name) {
        x = block(x, filters, stride1, true, name + "_block1");
        for (int i = 2; i <= blocks; i++) x = block(x, filters, 1, false, name + "_block" + i);
        return x;
    }

    /** Keras's {@code residual_block_v1}: 1x1 (strided) - 3x3 - 1x1 (4 * filters), added to the shortcut, relu. */
    private static KerasTensor block(KerasTensor x, int filters, int stride, boolean convShortcut, String name) {
        KerasTensor shortcut = x;
        if (convShortcut) {
            shortcut = new Conv2D(4 * filters, 1).strides(stride).name(name + "_0_conv").apply(x);
            shortcut = bn(name + "_0_bn").apply(shortcut);
        }
        KerasTensor y = new Conv2D(filters, 1).strides(stride).name(name + "_1_conv").apply(x);
        y = bn(name + "_1_bn").apply(y);
        y = new Activation("relu").name(name + "_1_relu").apply(y);
        y = new Conv2D(filters, 3).padding("same").name(name + "_2_conv").apply(y);
        y = bn(name + "_2_bn").apply(y);
        y = new Activation("relu").name(name + "_2_relu").apply(y);
        y = new Conv2D(4 * filters, 1).name(name + "_3_conv").apply(y);
        y = bn(name + "_3_bn").apply(y);
        y = new Add().name(name + "_add").apply(List.of(shortcut, y));
        return new Activation("relu").name(name + "_out").apply(y);
    }

    /**
     * Keras's {@code resnet50.preprocess_input}: {@code "caffe"} mode (RGB to BGR, ImageNet mean subtracted, no scaling).
     *
     * @param x images {@code (n, h, w, 3)} or one image {@code (h, w, 3)}, RGB, pixel values in {@code [0, 255]}
     * @return the preprocessed images, a new float array of the input's shape
     * @throws IllegalArgumentException if the images do not have 3 channels
     */
    public static INDArray preprocessInput(INDArray x) {
        return ImagenetUtils.preprocessInput(x, null, "caffe");
    }

    /**
     * Keras's {@code resnet50.decode_predictions} (see {@link ImagenetUtils#decodePredictions(INDArray, int)}).
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
