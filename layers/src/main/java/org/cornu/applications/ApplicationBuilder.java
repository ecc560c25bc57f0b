package org.cornu.applications;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.core.Registry;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.saving.Models;
import org.cornu.utils.GetFile;

/**
 * The arguments every Keras application takes, as fluent setters with Keras's defaults, and
 * {@link #build()}, which makes the model (Keras's call {@code keras.applications.VGG16(...)}):
 *
 * <pre>{@code
 * Model convBase = VGG16.builder()
 *         .weights("imagenet")          // Keras's default; null for random weights, or a file path
 *         .includeTop(false)
 *         .inputShape(180, 180, 3)
 *         .build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by the setters
 */
public abstract class ApplicationBuilder<B extends ApplicationBuilder<B>> {
    /** Keras's {@code weights="imagenet"}. */
    public static final String IMAGENET = "imagenet";

    boolean includeTop = true;
    String weights = IMAGENET;
    KerasTensor inputTensor;
    long[] inputShape;
    String pooling;
    int classes = 1000;
    Object classifierActivation = "softmax";
    String name;

    ApplicationBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets whether to include the fully-connected layers at the top of the network (Keras's {@code include_top},
     * default true).
     *
     * @param t whether to include the top
     * @return this builder
     */
    public B includeTop(boolean t) {
        this.includeTop = t;
        return self();
    }

    /**
     * One of null (random initialization), {@code "imagenet"} (pre-training on ImageNet, the
     * default: the file is read from Keras's cache {@code ~/.keras/models/} and downloaded from
     * Keras's URL the first time), or the path to a weights file to be loaded ({@code .h5},
     * {@code .weights.h5} or {@code .keras}). Keras's {@code weights}.
     *
     * @param w null, {@code "imagenet"} or a file path
     * @return this builder
     */
    public B weights(String w) {
        this.weights = w;
        return self();
    }

    /**
     * Sets the path of a weights file to be loaded (see {@link #weights(String)}).
     *
     * @param p the file, or null for random initialization
     * @return this builder
     */
    public B weights(Path p) {
        this.weights = p == null ? null : p.toString();
        return self();
    }

    /**
     * A symbolic tensor (the output of {@code Input.of(...)} or of layers applied to it) to use
     * as the image input of the model; the model's inputs are then that tensor's source inputs. Keras's
     * {@code input_tensor}, default None.
     *
     * @param t the tensor, or null for a new {@code Input}
     * @return this builder
     */
    public B inputTensor(KerasTensor t) {
        this.inputTensor = t;
        return self();
    }

    /**
     * The per-sample input shape {@code (h, w, 3)}, only to be given with
     * {@code includeTop(false)} (otherwise it has to be {@code (224, 224, 3)}); -1 for a size
     * left open. It should have exactly 3 channels with ImageNet weights, and height and width
     * should be no smaller than 32. Keras's {@code input_shape}, default None.
     *
     * @param shape {@code (height, width, channels)}, or none for the model's default
     * @return this builder
     */
    public B inputShape(long... shape) {
        this.inputShape = shape == null ? null : shape.clone();
        return self();
    }

    /**
     * Pooling of the last convolutional block's output when {@code includeTop(false)}: null (the
     * default: the 4D output), {@code "avg"} (global average pooling: a 2D output) or
     * {@code "max"} (global max pooling). Keras's {@code pooling}.
     *
     * @param p null, {@code "avg"} or {@code "max"}
     * @return this builder
     * @throws IllegalArgumentException for any other value
     */
    public B pooling(String p) {
        if (p != null && !p.equals("avg") && !p.equals("max")) {
            throw new IllegalArgumentException("The `pooling` argument should be None, 'avg' or 'max'. Received: pooling=" + p);
        }
        this.pooling = p;
        return self();
    }

    /**
     * Sets the number of classes to classify images into, only to be given with {@code includeTop} and without
     * ImageNet weights (Keras's {@code classes}, default 1000).
     *
     * @param c the number of classes
     * @return this builder
     * @throws IllegalArgumentException if {@code c} is not positive
     */
    public B classes(int c) {
        if (c <= 0) throw new IllegalArgumentException("The `classes` argument should be positive. Received: classes=" + c);
        this.classes = c;
        return self();
    }

    /**
     * The activation of the top layer, by name or object (default {@code "softmax"}); null for
     * the logits. With pretrained weights only null and {@code "softmax"} are allowed. Keras's
     * {@code classifier_activation}; used only with {@code includeTop}.
     *
     * @param a a registered name, an activation function, or null
     * @return this builder
     */
    public B classifierActivation(Object a) {
        this.classifierActivation = a;
        return self();
    }

    /**
     * Sets the model's name (Keras's {@code name}; defaults: {@code vgg16}, {@code vgg19}, {@code resnet50},
     * {@code mobilenetv2_1.00_224}).
     *
     * @param n the name
     * @return this builder
     */
    public B name(String n) {
        this.name = n;
        return self();
    }

    /**
     * Builds the model, loading the weights asked for.
     *
     * @return the functional model
     * @throws IllegalArgumentException for arguments Keras rejects (a missing weights file, {@code classes} other
     *     than 1000 with ImageNet weights and the top, a bad input shape, an activation other than softmax with
     *     pretrained weights)
     */
    public abstract Model build();

    // ------------------------------------------------------------------ shared steps

    boolean imagenet() {
        return IMAGENET.equals(weights);
    }

    /** Keras's checks of {@code weights} and {@code classes}, before anything is built. */
    void checkWeightsAndClasses(String model) {
        if (!(weights == null || imagenet() || Files.isRegularFile(Path.of(weights)))) {
            throw new IllegalArgumentException(model + ": the `weights` argument should be either `None` (random"
                    + " initialization), 'imagenet' (pre-training on ImageNet), or the path to the weights file to be"
                    + " loaded (no such file). Received: weights=" + weights);
        }
        if (imagenet() && includeTop && classes != 1000) {
            throw new IllegalArgumentException(model + ": if using `weights='imagenet'` with `include_top=True`, `classes`"
                    + " should be 1000.  Received classes=" + classes);
        }
    }

    /** Keras's {@code validate_activation}: with pretrained weights only None and softmax. */
    ActivationFunction classifier(String model) {
        ActivationFunction a = Registry.activation(classifierActivation);
        if (weights != null && !a.name().equals("softmax") && !a.name().equals("linear")) {
            throw new IllegalArgumentException(model + ": only `None` and `softmax` activations are allowed for the"
                    + " `classifier_activation` argument when using pretrained weights, with `include_top=True`;"
                    + " Received: classifier_activation=" + a.name());
        }
        return a;
    }

    /** The image input: the given input tensor, or a new {@code Input} of {@code shape}. */
    KerasTensor imageInput(long[] shape) {
        return inputTensor != null ? inputTensor : Input.of(shape);
    }

    /** The model from its inputs (the input tensor's source inputs, if one was given) to {@code x}. */
    Model functional(KerasTensor img, KerasTensor x, String defaultName) {
        List<KerasTensor> ins = inputTensor != null ? inputTensor.sourceInputs() : List.of(img);
        return new Model(ins, List.of(x), name != null ? name : defaultName);
    }

    /**
     * Loads the weights asked for: ImageNet's from Keras's cache ({@code ~/.keras/models/fileName},
     * downloaded from {@code url} and checked against {@code fileHash} (null: no check) when
     * absent), or the given file.
     */
    void loadWeights(Model model, String fileName, String url, String fileHash) {
        if (weights == null) return;
        if (imagenet()) {
            Path p;
            try {
                p = GetFile.getFile(fileName, url, fileHash, "models");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot load the ImageNet weights of " + model.name() + ": "
                        + e.getMessage(), e);
            }
            Models.loadWeights(model, p);
        } else {
            model.loadWeights(Path.of(weights));
        }
    }
}
