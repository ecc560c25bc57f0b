/**
 * Keras's {@code keras.applications}: ImageNet models with Keras's architectures, layer names and
 * weight files. {@link org.cornu.applications.VGG16}, {@link org.cornu.applications.VGG19},
 * {@link org.cornu.applications.ResNet50} and {@link org.cornu.applications.MobileNetV2} each
 * have a {@code builder()} taking Keras's arguments ({@code includeTop}, {@code weights},
 * {@code inputTensor}, {@code inputShape}, {@code pooling}, {@code classes},
 * {@code classifierActivation}) and their own {@code preprocessInput} and
 * {@code decodePredictions}; {@link org.cornu.applications.ImagenetUtils} holds the shared
 * preprocessing modes and the ImageNet class index.
 *
 * <p>{@code weights("imagenet")} (Keras's default) reads Keras's own weight files (legacy
 * {@code .h5}, loaded as Keras's {@code load_weights} does) from Keras's cache
 * {@code ~/.keras/models/}, downloading them from Keras's URLs with Keras's hashes when absent
 * ({@link org.cornu.utils.GetFile}); {@code weights(null)} leaves the weights random.
 *
 * <pre>{@code
 * Model convBase = VGG16.builder().weights("imagenet").includeTop(false).inputShape(180, 180, 3).build();
 * convBase.trainable(false);
 * Sequential model = new Sequential(convBase, new Flatten(), new Dense(256, "relu"), new Dropout(0.5),
 *         new Dense(1, "sigmoid"));
 * }</pre>
 *
 * Lives in the {@code layers} module, whose layers the models are made of.
 */
package org.cornu.applications;
