package org.cornu.datasets.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cornu.core.Sequential;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The ImageDataGenerator-style stream: rescale, flips, augmentation of directory images, a fit loop. */
class ImageDataGeneratorTest {
    @TempDir
    Path tmp;

    @Test
    void withoutAugmentationOnlyRescales() {
        INDArray x = ImagePipelineTest.patternBatch(3);
        try (ImageDataGenerator.Stream s = new ImageDataGenerator().rescale(1.0 / 255).flow(x, Nd4j.createFromArray(0, 1, 2), 2, false, 1)) {
            ImageDataset.Batch b = s.next();
            assertArrayEquals(new long[] {2, 3, 4, 3}, b.x().shape());
            assertTrue(b.x().equalsWithEps(x.get(NDArrayIndex.interval(0, 2)).div(255), 1e-6));
            assertArrayEquals(new int[] {0, 1}, b.y().toIntVector());
            assertEquals(1, s.next().x().size(0));   // the epoch's last, partial batch
            assertEquals(2, s.next().x().size(0));   // next epoch
        }
    }

    @Test
    void horizontalFlipMirrorsExactly() {
        INDArray x = ImagePipelineTest.patternBatch(16);
        INDArray one = Images.imgToArray(ImagePipelineTest.pattern());
        INDArray mirror = ImagePipelineTest.mirrorX(one);
        int flipped = 0, same = 0;
        try (ImageDataGenerator.Stream s = new ImageDataGenerator().horizontalFlip(true).flow(x, null, 16, true, 3)) {
            INDArray b = s.next().x();
            for (int i = 0; i < 16; i++) {
                INDArray bi = b.get(NDArrayIndex.point(i));
                if (bi.equalsWithEps(mirror, 1e-4)) flipped++;
                else if (bi.equalsWithEps(one, 1e-4)) same++;
            }
        }
        assertEquals(16, flipped + same);
        assertTrue(flipped > 0 && same > 0);
    }

    @Test
    void augmentedDirectoryStreamKeepsSolidColoursAndTrains() throws Exception {
        int[][] colours = {{0, 0, 255}, {255, 0, 0}};
        String[] names = {"cats", "dogs"};
        for (int k = 0; k < 2; k++) {
            Path d = Files.createDirectories(tmp.resolve(names[k]));
            for (int i = 0; i < 3; i++) ImageIO.write(ImagePipelineTest.solid(7, 5, colours[k]), "png", d.resolve(i + ".png").toFile());
        }
        ImageDataGenerator gen = new ImageDataGenerator().rescale(1.0 / 255).rotationRange(40).widthShiftRange(0.2)
            .heightShiftRange(0.2).shearRange(20).zoomRange(0.2).horizontalFlip(true);
        try (ImageDataGenerator.Stream s = gen.flowFromDirectory(tmp, 6, 6, 4, "binary", 11)) {
            assertEquals(List.of("cats", "dogs"), s.classNames());
            assertEquals(6, s.samples());
            assertEquals(2, s.batchesPerEpoch());
            for (int step = 0; step < 4; step++) {
                ImageDataset.Batch b = s.next();
                assertArrayEquals(new long[] {step % 2 == 0 ? 4 : 2, 6, 6, 3}, b.x().shape());
                assertArrayEquals(new long[] {b.x().size(0), 1}, b.y().shape());
                for (int i = 0; i < b.x().size(0); i++) {
                    // any affine transform with fill "nearest" keeps a solid image solid
                    int[] c = colours[(int) b.y().getDouble(i, 0)];
                    for (int k = 0; k < 3; k++) {
                        INDArray ch = b.x().get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(k));
                        assertEquals(c[k] / 255.0, ch.minNumber().doubleValue(), 1e-5);
                        assertEquals(c[k] / 255.0, ch.maxNumber().doubleValue(), 1e-5);
                    }
                }
            }
            Sequential m = new Sequential(new Flatten().inputShape(6, 6, 3), new Dense(1, "sigmoid"));
            m.compile("rmsprop", "binary_crossentropy", "accuracy");
            try (ImageDataGenerator.Stream v = new ImageDataGenerator().rescale(1.0 / 255).flowFromDirectory(tmp, 6, 6, 3, "binary", 2)) {
                org.cornu.core.callbacks.History h = m.fit(s.arrays(),
                        org.cornu.core.Fit.epochs(2).stepsPerEpoch(2).validationData(v.arrays(), 2).verbose(0));
                assertEquals(List.of(0, 1), h.epoch());
                assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), new java.util.ArrayList<>(h.history().keySet()));
                for (List<Double> vals : h.history().values()) assertTrue(Double.isFinite(vals.get(1)));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> gen.flowFromDirectory(tmp, 6, 6, 4, "multi"));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataGenerator().fillMode("mirror"));
    }

    @Test
    void modelFitConsumesTheAugmentedStream() {
        org.cornu.core.Cornu.setSeed(8);
        // two classes: dark and bright 8x8 images; augmentation keeps their brightness
        INDArray x = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 32, 8, 8, 1);
        float[] labels = new float[32];
        for (int i = 0; i < 32; i++) {
            labels[i] = i % 2;
            if (i % 2 == 1) x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(255);
        }
        INDArray y = Nd4j.create(labels, new long[] {32, 1}, 'c');
        org.cornu.core.Sequential m = new org.cornu.core.Sequential(new org.cornu.layers.Flatten().inputShape(8, 8, 1),
                new org.cornu.layers.Dense(1, "sigmoid"));
        m.compile(new org.cornu.optimizers.RMSprop(0.05), "binary_crossentropy", "accuracy");
        ImageDataGenerator gen = new ImageDataGenerator().rescale(1.0 / 255).horizontalFlip(true).rotationRange(20);
        try (ImageDataGenerator.Stream train = gen.flow(x, y, 8, true, 4);
             ImageDataGenerator.Stream val = new ImageDataGenerator().rescale(1.0 / 255).flow(x, y, 8, false, 5)) {
            org.cornu.core.callbacks.History h = m.fit(train.arrays(),
                    org.cornu.core.Fit.epochs(3).stepsPerEpoch(4).validationData(val.arrays(), 4).verbose(0));
            assertEquals(java.util.List.of("loss", "accuracy", "val_loss", "val_accuracy"), new java.util.ArrayList<>(h.history().keySet()));
            assertEquals(3, h.get("loss").size());
            assertEquals(1.0, h.last("val_accuracy"), 1e-9, "bright vs dark is learned from the augmented stream");
        }
    }
}
