package org.cornu.applications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Input;
import org.cornu.core.InputLayer;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Shape;
import org.cornu.layers.BatchNormalization;
import org.cornu.layers.Conv2D;
import org.cornu.layers.DepthwiseConv2D;
import org.cornu.layers.Rescaling;
import org.cornu.layers.ZeroPadding2D;
import org.cornu.utils.GetFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four applications against Keras's architectures: parameter counts (Keras's
 * {@code count_params()}), layer names and counts ({@code len(model.layers)}), model names,
 * output shapes, Keras's argument checks, and where {@code weights("imagenet")} looks for its
 * files. Nothing is downloaded: Keras's cache is a temporary folder and downloads are off.
 */
class ApplicationsTest {
    @TempDir
    Path home;
    private String savedHome;
    private String savedOffline;

    @BeforeEach
    void offlineCache() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        savedHome = System.getProperty(GetFile.PROP_KERAS_HOME);
        savedOffline = System.getProperty(GetFile.PROP_OFFLINE);
        System.setProperty(GetFile.PROP_KERAS_HOME, home.toString());
        System.setProperty(GetFile.PROP_OFFLINE, "true");
    }

    @AfterEach
    void restore() {
        restore(GetFile.PROP_KERAS_HOME, savedHome);
        restore(GetFile.PROP_OFFLINE, savedOffline);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    private static List<String> names(Model m) {
        List<String> r = new ArrayList<>();
        for (Layer l : m.layers()) if (!(l instanceof InputLayer)) r.add(l.name());
        return r;
    }

    private static Shape out(Model m) {
        return m.output().shape();
    }

    // ------------------------------------------------------------------ VGG

    @Test
    void vgg16WithTopHasKerasCountNamesAndShapes() {
        Model m = VGG16.builder().weights((String) null).build();
        assertEquals(138_357_544L, m.countParams());
        assertEquals("vgg16", m.name());
        assertEquals(List.of("block1_conv1", "block1_conv2", "block1_pool", "block2_conv1", "block2_conv2", "block2_pool",
                "block3_conv1", "block3_conv2", "block3_conv3", "block3_pool", "block4_conv1", "block4_conv2",
                "block4_conv3", "block4_pool", "block5_conv1", "block5_conv2", "block5_conv3", "block5_pool",
                "flatten", "fc1", "fc2", "predictions"), names(m));
        assertEquals(Shape.of(-1, 224, 224, 3), m.input().shape());
        assertEquals(Shape.of(-1, 1000), out(m));
        // fc1: 7*7*512*4096 + 4096
        assertEquals(102_764_544L, m.getLayer("fc1").countParams());
        assertEquals("softmax", m.getLayer("predictions").getConfig().get("activation"));
    }

    @Test
    void vgg16WithoutTopAtTheBookSizes() {
        Model m = VGG16.builder().weights((String) null).includeTop(false).inputShape(180, 180, 3).build();
        assertEquals(14_714_688L, m.countParams());
        assertEquals(Shape.of(-1, 5, 5, 512), out(m));
        assertEquals("block5_pool", names(m).get(names(m).size() - 1));
        Model m150 = VGG16.builder().weights((String) null).includeTop(false).inputShape(150, 150, 3).build();
        assertEquals(Shape.of(-1, 4, 4, 512), out(m150));
        // no input shape: sizes left open, as Keras's (None, None, 3)
        Model open = VGG16.builder().weights((String) null).includeTop(false).build();
        assertEquals(Shape.of(-1, -1, -1, 3), open.input().shape());
        assertEquals(Shape.of(-1, -1, -1, 512), out(open));
        assertEquals(Shape.of(-1, 512), out(VGG16.builder().weights((String) null).includeTop(false).pooling("avg")
                .inputShape(64, 64, 3).build()));
        assertEquals(Shape.of(-1, 512), out(VGG16.builder().weights((String) null).includeTop(false).pooling("max")
                .inputShape(64, 64, 3).build()));
        // 10 classes, logits
        Model small = VGG16.builder().weights((String) null).includeTop(false).inputShape(32, 32, 3).name("base").build();
        assertEquals("base", small.name());
        assertEquals(Shape.of(-1, 1, 1, 512), out(small));
    }

    @Test
    void vgg19HasKerasCount() {
        Model m = VGG19.builder().weights((String) null).build();
        assertEquals(143_667_240L, m.countParams());
        assertEquals("vgg19", m.name());
        assertEquals(25, names(m).size());
        assertTrue(names(m).containsAll(List.of("block3_conv4", "block4_conv4", "block5_conv4", "fc2")), names(m).toString());
        Model noTop = VGG19.builder().weights((String) null).includeTop(false).inputShape(32, 32, 3).build();
        // 14,714,688 + block3_conv4 (3*3*256*256+256) + block4_conv4 and block5_conv4 (3*3*512*512+512 each)
        assertEquals(14_714_688L + 590_080 + 2 * 2_359_808, noTop.countParams());
    }

    // ------------------------------------------------------------------ ResNet50

    @Test
    void resnet50HasKerasCountNamesAndShapes() {
        Model m = ResNet50.builder().weights((String) null).build();
        assertEquals(25_636_712L, m.countParams());
        assertEquals("resnet50", m.name());
        assertEquals(177, m.layers().size());
        List<String> n = names(m);
        assertEquals(List.of("conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad", "pool1_pool",
                "conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_1_relu", "conv2_block1_2_conv",
                "conv2_block1_2_bn", "conv2_block1_2_relu", "conv2_block1_0_conv", "conv2_block1_3_conv",
                "conv2_block1_0_bn", "conv2_block1_3_bn", "conv2_block1_add", "conv2_block1_out"), n.subList(0, 18));
        assertEquals(List.of("conv5_block3_add", "conv5_block3_out", "avg_pool", "predictions"), n.subList(n.size() - 4, n.size()));
        assertEquals(Shape.of(-1, 230, 230, 3), m.getLayer("conv1_pad").output().shape());
        assertEquals(Shape.of(-1, 56, 56, 256), m.getLayer("conv2_block3_out").output().shape());
        assertEquals(Shape.of(-1, 7, 7, 2048), m.getLayer("conv5_block3_out").output().shape());
        BatchNormalization bn = (BatchNormalization) m.getLayer("conv3_block2_2_bn");
        assertEquals(1.001e-5, (Double) bn.getConfig().get("epsilon"), 0.0);
        Model noTop = ResNet50.builder().weights((String) null).includeTop(false).pooling("max").inputShape(64, 64, 3).build();
        assertEquals("max_pool", names(noTop).get(names(noTop).size() - 1));
        assertEquals(Shape.of(-1, 2048), out(noTop));
        // 25,636,712 - the top Dense (2048*1000+1000)
        assertEquals(25_636_712L - 2_049_000, noTop.countParams());
    }

    // ------------------------------------------------------------------ MobileNetV2

    @Test
    void mobilenetV2HasKerasCountNamesAndShapes() {
        Model m = MobileNetV2.builder().weights((String) null).build();
        assertEquals(3_538_984L, m.countParams());
        assertEquals("mobilenetv2_1.00_224", m.name());
        assertEquals(156, m.layers().size());
        long nonTrainable = 0;
        for (var w : m.nonTrainableWeights()) nonTrainable += w.value().length();
        assertEquals(34_112L, nonTrainable); // Keras's summary: Non-trainable params: 34,112
        List<String> n = names(m);
        assertEquals(List.of("Conv1", "bn_Conv1", "Conv1_relu", "expanded_conv_depthwise", "expanded_conv_depthwise_BN",
                "expanded_conv_depthwise_relu", "expanded_conv_project", "expanded_conv_project_BN", "block_1_expand",
                "block_1_expand_BN", "block_1_expand_relu", "block_1_pad", "block_1_depthwise"), n.subList(0, 13));
        assertTrue(n.containsAll(List.of("block_2_add", "block_15_add", "block_16_project_BN", "Conv_1", "Conv_1_bn",
                "out_relu", "predictions")), n.toString());
        assertInstanceOf(DepthwiseConv2D.class, m.getLayer("block_13_depthwise"));
        // correct_pad on 112x112 before a stride-2 3x3 convolution: ((0, 1), (0, 1))
        assertEquals(Shape.of(-1, 113, 113, 96), m.getLayer("block_1_pad").output().shape());
        assertEquals(Shape.of(-1, 7, 7, 1280), m.getLayer("out_relu").output().shape());
        assertTrue(((ZeroPadding2D) m.getLayer("block_1_pad")).getConfig().get("padding").toString().equals("[[0, 1], [0, 1]]"));
        Model small = MobileNetV2.builder().weights((String) null).alpha(0.35).includeTop(false).inputShape(96, 96, 3).build();
        assertEquals("mobilenetv2_0.35_96", small.name());
        assertEquals(16, ((Conv2D) small.getLayer("Conv1")).filters()); // _make_divisible(32 * 0.35, 8)
        assertEquals(Shape.of(-1, 3, 3, 1280), out(small));
        Model odd = MobileNetV2.builder().weights((String) null).includeTop(false).inputShape(75, 75, 3).build();
        // correct_pad on odd sizes: ((1, 1), (1, 1)); 75 -> 38 -> 19 -> 10 -> 5 -> 3
        assertEquals(Shape.of(-1, 3, 3, 1280), out(odd));
        assertEquals("mobilenetv2_1.00_75", odd.name()); // rows fall back to 224 only with ImageNet weights
        Model open = MobileNetV2.builder().weights((String) null).includeTop(false).build();
        assertEquals("mobilenetv2_1.00_None", open.name());
        assertEquals(Shape.of(-1, -1, -1, 1280), out(open));
    }

    @Test
    void makeDivisibleAsKeras() {
        assertEquals(32, MobileNetV2.makeDivisible(32, 8));
        assertEquals(16, MobileNetV2.makeDivisible(32 * 0.35, 8));   // int(11.2 + 4) // 8 * 8 = 8 < 0.9 * 11.2 -> 16
        assertEquals(8, MobileNetV2.makeDivisible(16 * 0.35, 8));    // 5.6 -> max(8, 8)
        assertEquals(1792, MobileNetV2.makeDivisible(1280 * 1.4, 8));
        assertEquals(24, MobileNetV2.makeDivisible(24 * 0.75, 8));   // 18 -> 16 < 16.2 -> 24
    }

    // ------------------------------------------------------------------ input tensor

    @Test
    void inputTensorWithPredecessorsBecomesPartOfTheModel() {
        KerasTensor in = Input.of(64, 64, 3);
        KerasTensor scaled = new Rescaling(1.0 / 255).name("scale").apply(in);
        Model m = VGG16.builder().weights((String) null).includeTop(false).inputTensor(scaled).build();
        assertEquals(in, m.input());
        assertEquals("scale", m.layers().get(1).name());
        assertEquals(Shape.of(-1, 2, 2, 512), out(m));
        KerasTensor other = Input.of(96, 96, 3);
        // the default size comes from the tensor (Keras: the 96 weights); without the top the size stays open
        assertEquals("mobilenetv2_1.00_96", MobileNetV2.builder().weights((String) null).inputTensor(other).build().name());
        assertEquals("mobilenetv2_1.00_None", MobileNetV2.builder().weights((String) null).includeTop(false)
                .inputTensor(Input.of(96, 96, 3)).build().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MobileNetV2.builder()
                .weights((String) null).includeTop(false).inputTensor(Input.of(96, 96, 3)).inputShape(128, 128, 3).build());
        assertTrue(e.getMessage().contains("input_tensor.shape[2] must equal input_shape[1]"), e.getMessage());
    }

    // ------------------------------------------------------------------ Keras's checks

    @Test
    void kerasArgumentChecksGiveClearErrors() {
        String m = assertThrows(IllegalArgumentException.class, () -> VGG16.builder().weights((String) null)
                .includeTop(false).inputShape(16, 40, 3).build()).getMessage();
        assertTrue(m.contains("VGG16") && m.contains("at least 32x32") && m.contains("(16, 40, 3)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ResNet50.builder().includeTop(false)
                .inputShape(64, 64, 1).build()).getMessage();
        assertTrue(m.contains("3 channels") && m.contains("(64, 64, 1)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> VGG16.builder().classes(10).build()).getMessage();
        assertTrue(m.contains("`classes` should be 1000") && m.contains("classes=10"), m);
        m = assertThrows(IllegalArgumentException.class, () -> VGG16.builder().inputShape(200, 200, 3).build()).getMessage();
        assertTrue(m.contains("`input_shape` should be (224, 224, 3)") && m.contains("(200, 200, 3)"), m);
        m = assertThrows(IllegalArgumentException.class, () -> VGG16.builder().weights((String) null)
                .inputShape(-1, -1, 3).build()).getMessage();
        assertTrue(m.contains("static `input_shape`"), m);
        m = assertThrows(IllegalArgumentException.class, () -> VGG16.builder().weights((String) null)
                .includeTop(false).inputShape(64, 64).build()).getMessage();
        assertTrue(m.contains("three integers"), m);
        m = assertThrows(IllegalArgumentException.class, () -> VGG16.builder().weights(home.resolve("nope.h5"))
                .includeTop(false).build()).getMessage();
        assertTrue(m.contains("`weights` argument") && m.contains("nope.h5"), m);
        m = assertThrows(IllegalArgumentException.class, () -> MobileNetV2.builder().alpha(0.6).includeTop(false)
                .inputShape(96, 96, 3).build()).getMessage();
        assertTrue(m.contains("alpha must be one of") && m.contains("0.6"), m);
        m = assertThrows(IllegalArgumentException.class, () -> VGG16.builder().pooling("mean")).getMessage();
        assertTrue(m.contains("pooling=mean"), m);
        m = assertThrows(IllegalArgumentException.class, () -> MobileNetV2.builder().weights(home.resolve("x.h5").toString())
                .classifierActivation("relu").inputShape(96, 96, 3).alpha(0.35).build()).getMessage();
        assertTrue(m.contains("`weights` argument"), m);
        // random weights: any classifier activation, any number of classes
        Model relu = MobileNetV2.builder().weights((String) null).alpha(0.35).inputShape(96, 96, 3).classes(7)
                .classifierActivation("relu").build();
        assertEquals(Shape.of(-1, 7), out(relu));
        assertEquals("relu", relu.getLayer("predictions").getConfig().get("activation"));
    }

    @Test
    void imagenetClassifierActivationMustBeSoftmaxOrNone() throws Exception {
        // a weights file that exists makes the weights "pretrained" for Keras's check
        Path f = Files.writeString(home.resolve("w.h5"), "x");
        String m = assertThrows(IllegalArgumentException.class, () -> MobileNetV2.builder().weights(f).alpha(0.35)
                .inputShape(96, 96, 3).classifierActivation("relu").build()).getMessage();
        assertTrue(m.contains("only `None` and `softmax`") && m.contains("relu"), m);
    }

    // ------------------------------------------------------------------ weights("imagenet")

    @Test
    void imagenetWeightsOfflineNameTheFileAndUrl() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> VGG16.builder().includeTop(false).inputShape(32, 32, 3).build());
        String m = e.getMessage();
        assertTrue(m.contains("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), m);
        assertTrue(m.contains(VGG16.WEIGHTS_PATH_NO_TOP), m);
        assertTrue(m.contains(home.resolve("models").resolve("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5").toString()), m);
        m = assertThrows(UncheckedIOException.class, () -> ResNet50.builder().includeTop(false).inputShape(32, 32, 3)
                .build()).getMessage();
        assertTrue(m.contains(ResNet50.BASE_WEIGHTS_PATH + "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"), m);
        m = assertThrows(UncheckedIOException.class, () -> MobileNetV2.builder().alpha(0.35).includeTop(false)
                .inputShape(100, 100, 3).build()).getMessage();
        // non-square or unknown sizes get the 224 weights
        assertTrue(m.contains(MobileNetV2.BASE_WEIGHT_PATH + "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"), m);
        m = assertThrows(UncheckedIOException.class, () -> MobileNetV2.builder().alpha(0.5).inputShape(128, 128, 3).build())
                .getMessage();
        assertTrue(m.contains("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_128.h5"), m);
    }

    @Test
    void imagenetWeightsWithAWrongHashInTheCacheAreNotUsed() throws Exception {
        Path models = Files.createDirectories(home.resolve("models"));
        Files.writeString(models.resolve("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"), "not the weights");
        String m = assertThrows(UncheckedIOException.class, () -> VGG16.builder().includeTop(false)
                .inputShape(32, 32, 3).build()).getMessage();
        assertTrue(m.contains("wrong MD5 hash") && m.contains("expected 6d6bbae143d832006294945121d1f1fc"), m);
    }
}
