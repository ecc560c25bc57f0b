package org.cornu.applications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.core.saving.Models;
import org.cornu.layers.BatchNormalization;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.Flatten;
import org.cornu.optimizers.RMSprop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A pretrained base nested as a layer, as in the book's transfer learning (Deep Learning with
 * Python, 8.3): Keras's summary rows and parameter counts of the frozen base, per-layer freezing
 * for fine-tuning, training that leaves frozen weights alone, batch normalization in inference
 * mode inside a frozen base, and a {@code .keras} round trip of the whole model.
 */
class TransferLearningTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(7);
    }

    private static long count(List<Weight> ws) {
        long n = 0;
        for (Weight w : ws) n += w.value().length();
        return n;
    }

    private static INDArray copy(Model m, String layer) {
        return m.getLayer(layer).weights().get(0).value().dup();
    }

    private static boolean same(INDArray a, INDArray b) {
        return java.util.Arrays.equals(a.data().asFloat(), b.data().asFloat());
    }

    @Test
    void frozenBaseSummaryAndFineTuningCountsAsKeras() {
        Model convBase = VGG16.builder().weights((String) null).includeTop(false).inputShape(224, 224, 3).build();
        assertEquals(26, convBase.trainableWeights().size()); // the book: 26 before freezing
        convBase.trainable(false);
        assertEquals(0, convBase.trainableWeights().size());
        Sequential model = new Sequential(convBase, new Flatten(), new Dense(1, "sigmoid"));
        String s = model.summaryString();
        assertTrue(s.contains("vgg16 (Functional)"), s);
        assertTrue(s.contains("(None, 7, 7, 512)"), s);
        assertTrue(s.contains("(None, 25088)"), s);
        assertTrue(s.contains("14,714,688"), s);
        // Flatten + Dense(1) on 7*7*512 = 25,088 features: 25,089 trainable
        assertTrue(s.contains("Total params: 14,739,777"), s);
        assertTrue(s.contains("Trainable params: 25,089"), s);
        assertTrue(s.contains("Non-trainable params: 14,714,688"), s);

        // fine-tuning: everything but the last 4 layers (block5_conv1..3, block5_pool) frozen again
        convBase.trainable(true);
        List<Layer> layers = convBase.layers();
        for (Layer l : layers.subList(0, layers.size() - 4)) l.trainable(false);
        assertEquals(7_079_424L, count(convBase.trainableWeights())); // 3 * (3*3*512*512 + 512)
        assertEquals(6, convBase.trainableWeights().size());
        s = model.summaryString();
        assertTrue(s.contains("Trainable params: 7,104,513"), s); // 7,079,424 + 25,089
        assertTrue(s.contains("Non-trainable params: 7,635,264"), s); // 14,714,688 - 7,079,424
    }

    @Test
    void theBooksFeatureExtractionHeadAt180() {
        Model convBase = VGG16.builder().weights((String) null).includeTop(false).inputShape(180, 180, 3).build();
        convBase.trainable(false);
        Sequential model = new Sequential(convBase, new Flatten(), new Dense(256, "relu"), new Dropout(0.5),
                new Dense(1, "sigmoid"));
        // 5*5*512 = 12,800 features; Dense 256: 3,277,056; Dense 1: 257
        assertEquals(4, model.trainableWeights().size());
        String s = model.summaryString();
        assertTrue(s.contains("(None, 5, 5, 512)") && s.contains("(None, 12800)"), s);
        assertTrue(s.contains("Trainable params: 3,277,313"), s);
        assertTrue(s.contains("Non-trainable params: 14,714,688"), s);
    }

    @Test
    void trainingLeavesFrozenWeightsAloneThenFineTunesBlock5() {
        Model convBase = VGG16.builder().weights((String) null).includeTop(false).inputShape(32, 32, 3).build();
        convBase.trainable(false);
        Sequential model = new Sequential(convBase, new Flatten(), new Dense(8, "relu"), new Dense(1, "sigmoid"));
        model.compile(new RMSprop(1e-3), "binary_crossentropy", "accuracy");
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 32, 32, 3).muli(255);
        INDArray y = Nd4j.create(new float[] {0, 1, 0, 1, 1, 0, 1, 0}, new long[] {8, 1}, 'c');
        INDArray xp = VGG16.preprocessInput(x);
        INDArray b1 = copy(convBase, "block1_conv1"), b5 = copy(convBase, "block5_conv3");
        INDArray head = model.layers().get(2).weights().get(0).value().dup();
        model.fit(xp, y, Fit.epochs(2).batchSize(4).verbose(0));
        assertTrue(same(b1, copy(convBase, "block1_conv1")) && same(b5, copy(convBase, "block5_conv3")),
                "a frozen base is not trained");
        assertFalse(same(head, model.layers().get(2).weights().get(0).value()), "the head is trained");

        convBase.trainable(true);
        List<Layer> layers = convBase.layers();
        for (Layer l : layers.subList(0, layers.size() - 4)) l.trainable(false);
        model.compile(new RMSprop(1e-5), "binary_crossentropy", "accuracy");
        INDArray b4 = copy(convBase, "block4_conv3");
        model.fit(xp, y, Fit.epochs(1).batchSize(4).verbose(0));
        assertTrue(same(b1, copy(convBase, "block1_conv1")), "block1 stays frozen");
        assertTrue(same(b4, copy(convBase, "block4_conv3")), "block4 stays frozen");
        assertFalse(same(b5, copy(convBase, "block5_conv3")), "block5 is fine-tuned");
    }

    @Test
    void batchNormalizationOfAFrozenBaseRunsInInferenceMode() {
        Model base = MobileNetV2.builder().weights((String) null).alpha(0.35).includeTop(false).inputShape(32, 32, 3)
                .pooling("avg").build();
        base.trainable(false);
        BatchNormalization bn = (BatchNormalization) base.getLayer("bn_Conv1");
        assertFalse(bn.trainable(), "freezing the base freezes its layers (Keras 3's trainable setter)");
        Sequential model = new Sequential(base, new Dense(1, "sigmoid"));
        model.compile("rmsprop", "binary_crossentropy");
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 32, 32, 3).muli(2).subi(1);
        INDArray y = Nd4j.create(new float[] {0, 1, 1, 0}, new long[] {4, 1}, 'c');
        INDArray mean = bn.movingMean().value().dup();
        model.trainOnBatch(x, y);
        assertTrue(same(mean, bn.movingMean().value()), "frozen: the moving statistics stay");
        // training-mode and inference-mode outputs agree when the layer runs in inference mode
        assertArrayEquals(model.predict(x).data().asFloat(), model.call(x, true).value().data().asFloat(), 1e-6f);

        base.trainable(true);
        model.compile("rmsprop", "binary_crossentropy");
        model.trainOnBatch(x, y);
        assertFalse(same(mean, bn.movingMean().value()), "trainable: the moving statistics move");
    }

    @Test
    void sequentialHoldingVgg16RoundTripsThroughDotKeras() throws Exception {
        Model convBase = VGG16.builder().weights((String) null).includeTop(false).inputShape(32, 32, 3).build();
        List<Layer> layers = convBase.layers();
        for (Layer l : layers.subList(0, layers.size() - 4)) l.trainable(false);
        Sequential model = new Sequential(convBase, new Flatten(), new Dense(4, "relu"), new Dense(1, "sigmoid"));
        model.compile(new RMSprop(1e-4), "binary_crossentropy");
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 32, 32, 3);
        INDArray y = Nd4j.create(new float[] {0, 1, 1, 0}, new long[] {4, 1}, 'c');
        model.trainOnBatch(x, y);
        Path p = dir.resolve("transfer.keras");
        model.save(p);
        org.cornu.core.saving.KerasFileCheck.check(p);

        Model r = Models.loadModel(p);
        assertInstanceOf(Sequential.class, r);
        Model base = (Model) r.layers().get(0);
        assertEquals("vgg16", base.name());
        assertFalse(base.getLayer("block4_conv3").trainable());
        assertTrue(base.getLayer("block5_conv1").trainable());
        assertEquals(count(model.trainableWeights()), count(r.trainableWeights()));
        assertArrayEquals(model.predict(x).data().asFloat(), r.predict(x).data().asFloat(), 0f);
        for (int i = 0; i < model.weights().size(); i++) {
            assertTrue(same(model.weights().get(i).value(), r.weights().get(i).value()), model.weights().get(i).path());
        }
        // continued training matches step for step (optimizer state restored)
        assertEquals(model.trainOnBatch(x, y)[0], r.trainOnBatch(x, y)[0], 0.0);

        // Keras's layout: the nested model's variables under layers/functional/layers/<class>[_n]/vars
        byte[] h5 = null;
        try (ZipInputStream z = new ZipInputStream(java.nio.file.Files.newInputStream(p))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) if (e.getName().equals("model.weights.h5")) h5 = z.readAllBytes();
        }
        try (HdfFile f = HdfFile.fromBytes(h5)) {
            // block5_conv3 is the 13th Conv2D of the base: conv2d_12
            assertArrayEquals(new int[] {3, 3, 512, 512},
                    f.getDatasetByPath("layers/functional/layers/conv2d_12/vars/0").getDimensions());
            assertArrayEquals(new int[] {512, 4}, f.getDatasetByPath("layers/dense/vars/0").getDimensions());
        }
        assertNotEquals(0, h5.length);
    }
}
