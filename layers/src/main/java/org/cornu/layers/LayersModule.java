package org.cornu.layers;

import org.cornu.core.Registry;

/** Registers this module's layers by Keras class name (for configs). */
public final class LayersModule implements Registry.Module {
    @Override
    public void register() {
        Registry.register(Registry.Kind.LAYER, "Dense", () -> Dense.class);
        Registry.register(Registry.Kind.LAYER, "Flatten", () -> Flatten.class);
        Registry.register(Registry.Kind.LAYER, "Dropout", () -> Dropout.class);
        Registry.register(Registry.Kind.LAYER, "Activation", () -> Activation.class);
        Registry.register(Registry.Kind.LAYER, "Reshape", () -> Reshape.class);
        Registry.register(Registry.Kind.LAYER, "Concatenate", () -> Concatenate.class);
        Registry.register(Registry.Kind.LAYER, "Add", () -> Add.class);
        Registry.register(Registry.Kind.LAYER, "SimpleRNN", () -> SimpleRNN.class);
        Registry.register(Registry.Kind.LAYER, "LSTM", () -> LSTM.class);
        Registry.register(Registry.Kind.LAYER, "GRU", () -> GRU.class);
        Registry.register(Registry.Kind.LAYER, "Embedding", () -> Embedding.class);
        Registry.register(Registry.Kind.LAYER, "Masking", () -> Masking.class);
        Registry.register(Registry.Kind.LAYER, "Bidirectional", () -> Bidirectional.class);
        Registry.register(Registry.Kind.LAYER, "TimeDistributed", () -> TimeDistributed.class);
        Registry.register(Registry.Kind.LAYER, "RepeatVector", () -> RepeatVector.class);
        Registry.register(Registry.Kind.LAYER, "Conv2D", () -> Conv2D.class);
        Registry.register(Registry.Kind.LAYER, "MaxPooling2D", () -> MaxPooling2D.class);
        Registry.register(Registry.Kind.LAYER, "AveragePooling2D", () -> AveragePooling2D.class);
        Registry.register(Registry.Kind.LAYER, "GlobalAveragePooling2D", () -> GlobalAveragePooling2D.class);
        Registry.register(Registry.Kind.LAYER, "GlobalMaxPooling2D", () -> GlobalMaxPooling2D.class);
        Registry.register(Registry.Kind.LAYER, "Conv1D", () -> Conv1D.class);
        Registry.register(Registry.Kind.LAYER, "MaxPooling1D", () -> MaxPooling1D.class);
        Registry.register(Registry.Kind.LAYER, "BatchNormalization", () -> BatchNormalization.class);
        Registry.register(Registry.Kind.LAYER, "Rescaling", () -> Rescaling.class);
        Registry.register(Registry.Kind.LAYER, "ZeroPadding2D", () -> ZeroPadding2D.class);
        Registry.register(Registry.Kind.LAYER, "UpSampling2D", () -> UpSampling2D.class);
        Registry.register(Registry.Kind.LAYER, "RandomFlip", () -> RandomFlip.class);
        Registry.register(Registry.Kind.LAYER, "RandomRotation", () -> RandomRotation.class);
        Registry.register(Registry.Kind.LAYER, "RandomZoom", () -> RandomZoom.class);
        Registry.register(Registry.Kind.LAYER, "RandomTranslation", () -> RandomTranslation.class);
        Registry.register(Registry.Kind.LAYER, "DepthwiseConv2D", () -> DepthwiseConv2D.class);
        Registry.register(Registry.Kind.LAYER, "SeparableConv2D", () -> SeparableConv2D.class);
        Registry.register(Registry.Kind.LAYER, "Conv2DTranspose", () -> Conv2DTranspose.class);
        Registry.register(Registry.Kind.LAYER, "Conv1DTranspose", () -> Conv1DTranspose.class);
        Registry.register(Registry.Kind.LAYER, "ReLU", () -> ReLU.class);
        Registry.register(Registry.Kind.LAYER, "LeakyReLU", () -> LeakyReLU.class);
        Registry.register(Registry.Kind.LAYER, "PReLU", () -> PReLU.class);
        Registry.register(Registry.Kind.LAYER, "ELU", () -> ELU.class);
        Registry.register(Registry.Kind.LAYER, "Softmax", () -> Softmax.class);
        Registry.register(Registry.Kind.LAYER, "Multiply", () -> Multiply.class);
        Registry.register(Registry.Kind.LAYER, "Subtract", () -> Subtract.class);
        Registry.register(Registry.Kind.LAYER, "Average", () -> Average.class);
        Registry.register(Registry.Kind.LAYER, "Maximum", () -> Maximum.class);
        Registry.register(Registry.Kind.LAYER, "Minimum", () -> Minimum.class);
        Registry.register(Registry.Kind.LAYER, "Dot", () -> Dot.class);
        Registry.register(Registry.Kind.LAYER, "Permute", () -> Permute.class);
        Registry.register(Registry.Kind.LAYER, "Identity", () -> Identity.class);
        Registry.register(Registry.Kind.LAYER, "LayerNormalization", () -> LayerNormalization.class);
        Registry.register(Registry.Kind.LAYER, "GroupNormalization", () -> GroupNormalization.class);
        Registry.register(Registry.Kind.LAYER, "UnitNormalization", () -> UnitNormalization.class);
        Registry.register(Registry.Kind.LAYER, "SpatialDropout1D", () -> SpatialDropout1D.class);
        Registry.register(Registry.Kind.LAYER, "SpatialDropout2D", () -> SpatialDropout2D.class);
        Registry.register(Registry.Kind.LAYER, "GaussianNoise", () -> GaussianNoise.class);
        Registry.register(Registry.Kind.LAYER, "GaussianDropout", () -> GaussianDropout.class);
        Registry.register(Registry.Kind.LAYER, "ActivityRegularization", () -> ActivityRegularization.class);
        Registry.register(Registry.Kind.LAYER, "AveragePooling1D", () -> AveragePooling1D.class);
        Registry.register(Registry.Kind.LAYER, "GlobalAveragePooling1D", () -> GlobalAveragePooling1D.class);
        Registry.register(Registry.Kind.LAYER, "GlobalMaxPooling1D", () -> GlobalMaxPooling1D.class);
        Registry.register(Registry.Kind.LAYER, "Cropping1D", () -> Cropping1D.class);
        Registry.register(Registry.Kind.LAYER, "Cropping2D", () -> Cropping2D.class);
        // attention and Lambda (issue 18)
        Registry.register(Registry.Kind.LAYER, "Attention", () -> Attention.class);
        Registry.register(Registry.Kind.LAYER, "AdditiveAttention", () -> AdditiveAttention.class);
        Registry.register(Registry.Kind.LAYER, "MultiHeadAttention", () -> MultiHeadAttention.class);
        Registry.register(Registry.Kind.LAYER, "Lambda", () -> Lambda.class);
        // image preprocessing (issue 18)
        Registry.register(Registry.Kind.LAYER, "Resizing", () -> Resizing.class);
        Registry.register(Registry.Kind.LAYER, "CenterCrop", () -> CenterCrop.class);
        Registry.register(Registry.Kind.LAYER, "RandomCrop", () -> RandomCrop.class);
        Registry.register(Registry.Kind.LAYER, "RandomHeight", () -> RandomHeight.class);
        Registry.register(Registry.Kind.LAYER, "RandomWidth", () -> RandomWidth.class);
        Registry.register(Registry.Kind.LAYER, "RandomContrast", () -> RandomContrast.class);
        Registry.register(Registry.Kind.LAYER, "RandomBrightness", () -> RandomBrightness.class);
        Registry.register(Registry.Kind.LAYER, "Normalization", () -> Normalization.class);
        // text and categorical preprocessing (issue 18)
        Registry.register(Registry.Kind.LAYER, "CategoryEncoding", () -> CategoryEncoding.class);
        Registry.register(Registry.Kind.LAYER, "Hashing", () -> Hashing.class);
        Registry.register(Registry.Kind.LAYER, "StringLookup", () -> StringLookup.class);
        Registry.register(Registry.Kind.LAYER, "IntegerLookup", () -> IntegerLookup.class);
        Registry.register(Registry.Kind.LAYER, "TextVectorization", () -> TextVectorization.class);
    }
}
