package org.cornu.applications;

import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.GlobalAveragePooling2D;
import org.cornu.layers.GlobalMaxPooling2D;
import org.cornu.layers.MaxPooling2D;

/** The VGG networks of Keras's {@code vgg16.py} and {@code vgg19.py}, which differ only in their block depths. */
final class Vgg {
    private Vgg() {}

    private static final int[] FILTERS = {64, 128, 256, 512, 512};

    /**
     * Builds a VGG with {@code convsPerBlock[i]} 3x3 same-padded relu convolutions in block
     * {@code i + 1}, each block ending in a 2x2 max pooling, and Keras's layer names.
     */
    static Model build(ApplicationBuilder<?> b, String label, String defaultName, int[] convsPerBlock,
                       String weightsFile, String weightsUrl, String weightsHash) {
        b.checkWeightsAndClasses(label);
        long[] shape = ImagenetUtils.obtainInputShape(label, b.inputShape, 224, 32, b.includeTop, b.imagenet());
        KerasTensor img = b.imageInput(shape);
        KerasTensor x = img;
        for (int block = 1; block <= 5; block++) {
            for (int i = 1; i <= convsPerBlock[block - 1]; i++) {
                x = new Conv2D(FILTERS[block - 1], 3, "relu").padding("same").name("block" + block + "_conv" + i).apply(x);
            }
            x = new MaxPooling2D(2).strides(2).name("block" + block + "_pool").apply(x);
        }
        if (b.includeTop) {
            x = new Flatten().name("flatten").apply(x);
            x = new Dense(4096, "relu").name("fc1").apply(x);
            x = new Dense(4096, "relu").name("fc2").apply(x);
            x = new Dense(b.classes, b.classifier(label)).name("predictions").apply(x);
        } else if ("avg".equals(b.pooling)) {
            x = new GlobalAveragePooling2D().apply(x);
        } else if ("max".equals(b.pooling)) {
            x = new GlobalMaxPooling2D().apply(x);
        }
        Model model = b.functional(img, x, defaultName);
        b.loadWeights(model, weightsFile, weightsUrl, weightsHash);
        return model;
    }
}
