package org.cornu.applications;

import java.util.List;
import org.cornu.core.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The VGG16 model, {@code keras.applications.VGG16}, from "Very Deep Convolutional Networks for
 * Large-Scale Image Recognition" (Simonyan and Zisserman, ICLR 2015): five blocks of 3x3
 * convolutions (64, 128, 256, 512, 512 filters; 2, 2, 3, 3, 3 per block) each followed by 2x2
 * max pooling, then (with the top) Flatten, two Dense 4096 relu and a Dense softmax over the
 * classes. 138,357,544 parameters with the top; 14,714,688 without. The default input size is
 * 224x224. Layers carry Keras's names ({@code block1_conv1} ... {@code block5_pool},
 * {@code flatten}, {@code fc1}, {@code fc2}, {@code predictions}) and the model is named
 * {@code vgg16}.
 *
 * <p>Each Keras application expects its own input preprocessing: call {@link #preprocessInput}
 * on the images (RGB, values in [0, 255]) before passing them to the model. It converts them from
 * RGB to BGR and zero-centers each color channel with respect to the ImageNet dataset, without
 * scaling.
 *
 * <pre>{@code
 * Model convBase = VGG16.builder().weights("imagenet").includeTop(false).inputShape(180, 180, 3).build();
 * INDArray features = convBase.predict(VGG16.preprocessInput(images));
 * }</pre>
 */
public final class VGG16 {
    /** Keras's URL of the ImageNet weights with the top. */
    public static final String WEIGHTS_PATH =
            "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5";
    /** Keras's URL of the ImageNet weights without the top. */
    public static final String WEIGHTS_PATH_NO_TOP =
            "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";
    static final String FILE = "vgg16_weights_tf_dim_ordering_tf_kernels.h5";
    static final String FILE_NO_TOP = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";
    static final String HASH = "64373286793e3c8b2b4e3219cbf3544b";
    static final String HASH_NO_TOP = "6d6bbae143d832006294945121d1f1fc";

    private VGG16() {}

    /** The arguments of {@code keras.applications.VGG16}, with Keras's defaults. */
    public static final class Builder extends ApplicationBuilder<Builder> {
        Builder() {}

        @Override
        public Model build() {
            return Vgg.build(this, "VGG16", "vgg16", new int[] {2, 2, 3, 3, 3},
                    includeTop ? FILE : FILE_NO_TOP, includeTop ? WEIGHTS_PATH : WEIGHTS_PATH_NO_TOP,
                    includeTop ? HASH : HASH_NO_TOP);
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

    /**
     * Keras's {@code vgg16.preprocess_input}: {@code "caffe"} mode (RGB to BGR, ImageNet mean subtracted, no scaling).
     *
     * @param x images {@code (n, h, w, 3)} or one image {@code (h, w, 3)}, RGB, pixel values in {@code [0, 255]}
     * @return the preprocessed images, a new float array of the input's shape
     * @throws IllegalArgumentException if the images do not have 3 channels
     */
    public static INDArray preprocessInput(INDArray x) {
        return ImagenetUtils.preprocessInput(x, null, "caffe");
    }

    /**
     * Keras's {@code vgg16.decode_predictions} (see {@link ImagenetUtils#decodePredictions(INDArray, int)}).
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
