package org.cornu.datasets.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.RandomFlip;
import org.cornu.layers.RandomRotation;
import org.cornu.layers.RandomTranslation;
import org.cornu.layers.RandomZoom;
import org.cornu.layers.Rescaling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Image loading, image_dataset_from_directory and the augmentation layers on PNG files the test writes. */
class ImagePipelineTest {
    @TempDir
    static Path tmp;
    static Path three;   // blue (3 files), green (4), red (5): solid 8 x 6 colours
    static Path two;     // cats (2), dogs (2)

    static final int[][] COLOURS = {{0, 0, 255}, {0, 255, 0}, {255, 0, 0}};

    static BufferedImage solid(int w, int h, int[] rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
        return img;
    }

    /** 4 x 3 (w x h) image whose pixel (x, y) has red = 10 x + 1, green = 50 y, blue = 7. */
    static BufferedImage pattern() {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 4; x++) img.setRGB(x, y, ((10 * x + 1) << 16) | ((50 * y) << 8) | 7);
        return img;
    }

    @BeforeAll
    static void writeFolders() throws Exception {
        three = tmp.resolve("three");
        String[] names = {"red", "green", "blue"};          // created out of alphabetical order
        int[] counts = {5, 4, 3};
        int[][] colours = {COLOURS[2], COLOURS[1], COLOURS[0]};
        for (int k = 0; k < 3; k++) {
            Path d = Files.createDirectories(three.resolve(names[k]));
            for (int i = 0; i < counts[k]; i++) ImageIO.write(solid(8, 6, colours[k]), "png", d.resolve("img" + i + ".png").toFile());
        }
        Files.writeString(three.resolve("red").resolve("notes.txt"), "not an image");
        two = tmp.resolve("two");
        for (String c : List.of("dogs", "cats")) {
            Path d = Files.createDirectories(two.resolve(c));
            for (int i = 0; i < 2; i++) ImageIO.write(solid(5, 5, c.equals("cats") ? COLOURS[0] : COLOURS[2]), "png", d.resolve(i + ".png").toFile());
        }
    }

    @Test
    void imgToArrayIsFloat32HwcWith0To255AndRoundTrips() throws Exception {
        Path f = tmp.resolve("pattern.png");
        ImageIO.write(pattern(), "png", f.toFile());
        INDArray a = Images.imgToArray(Images.loadImg(f));
        assertEquals(DataType.FLOAT, a.dataType());
        assertArrayEquals(new long[] {3, 4, 3}, a.shape());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(10 * x + 1, a.getDouble(y, x, 0), 0);
                assertEquals(50 * y, a.getDouble(y, x, 1), 0);
                assertEquals(7, a.getDouble(y, x, 2), 0);
            }
        }
        INDArray back = Images.imgToArray(Images.arrayToImg(a, false));
        assertEquals(a, back);
        // scale=True maps min..max to 0..255: min 0 (green of row 0), max 100 (green of row 2)
        INDArray scaled = Images.imgToArray(Images.arrayToImg(a));
        assertEquals(255, scaled.getDouble(2, 0, 1), 0);
        assertEquals(0, scaled.getDouble(0, 0, 1), 0);
        // grayscale: ITU-R 601 luma of (31, 100, 7) = 0.299*31 + 0.587*100 + 0.114*7 = 68.767 -> 69
        INDArray g = Images.imgToArray(Images.loadImg(f, null, "grayscale"));
        assertArrayEquals(new long[] {3, 4, 1}, g.shape());
        assertEquals(69, g.getDouble(2, 3, 0), 0);
    }

    @Test
    void resizeNearestAndBilinear() throws Exception {
        Path f = tmp.resolve("pattern2.png");
        ImageIO.write(pattern(), "png", f.toFile());
        // nearest 4 -> 2 columns reads floor((i + 0.5) * 2) = columns 1 and 3; 3 -> 3 rows unchanged
        INDArray n = Images.imgToArray(Images.loadImg(f, new int[] {3, 2}, "rgb"));
        assertArrayEquals(new long[] {3, 2, 3}, n.shape());
        assertEquals(11, n.getDouble(0, 0, 0), 0);
        assertEquals(31, n.getDouble(0, 1, 0), 0);
        // bilinear with half-pixel centres (TF / PIL): 1 x 2 image [0, 100] -> 1 x 4 is [0, 25, 75, 100]
        BufferedImage small = solid(2, 1, new int[] {0, 0, 0});
        small.setRGB(1, 0, 100 << 16);
        Path s = tmp.resolve("small.png");
        ImageIO.write(small, "png", s.toFile());
        INDArray b = Images.imgToArray(Images.loadImg(s, new int[] {1, 4}, "rgb", "bilinear"));
        assertEquals(0, b.getDouble(0, 0, 0), 0);
        assertEquals(25, b.getDouble(0, 1, 0), 0);
        assertEquals(75, b.getDouble(0, 2, 0), 0);
        assertEquals(100, b.getDouble(0, 3, 0), 0);
    }

    @Test
    void unreadableFileNamesTheFile() throws Exception {
        Path bad = tmp.resolve("broken.png");
        Files.writeString(bad, "this is not a png");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Images.loadImg(bad));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }

    @Test
    void classesLabelsShapesAndValuesWithoutShuffle() {
        ImageDataset ds = ImageDatasets.imageDatasetFromDirectory(three).imageSize(4, 5).shuffle(false).build();
        assertEquals(List.of("blue", "green", "red"), ds.classNames());
        assertEquals(12, ds.size());   // notes.txt is not an image
        INDArray[] xy = ds.toArrays();
        assertArrayEquals(new long[] {12, 4, 5, 3}, xy[0].shape());
        assertEquals(DataType.FLOAT, xy[0].dataType());
        assertEquals(DataType.INT, xy[1].dataType());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2}, xy[1].toIntVector());
        assertEquals(0.0, xy[0].minNumber().doubleValue(), 0);
        assertEquals(255.0, xy[0].maxNumber().doubleValue(), 0);
        for (int i = 0; i < 12; i++) {
            int[] c = COLOURS[xy[1].getInt(i)];
            for (int k = 0; k < 3; k++) {
                INDArray ch = xy[0].get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(k));
                assertEquals(c[k], ch.minNumber().doubleValue(), 0);
                assertEquals(c[k], ch.maxNumber().doubleValue(), 0);
            }
        }
        // Keras's default image size
        ImageDataset big = ImageDatasets.imageDatasetFromDirectory(two).build();
        assertArrayEquals(new long[] {256, 256, 3}, big.imageShape());
        assertEquals(32, big.batchSize());
    }

    @Test
    void labelModes() {
        INDArray cat = ImageDatasets.imageDatasetFromDirectory(three).imageSize(2, 2).shuffle(false).labelMode("categorical").build().toArrays()[1];
        assertArrayEquals(new long[] {12, 3}, cat.shape());
        assertEquals(DataType.FLOAT, cat.dataType());
        assertArrayEquals(new float[] {0, 1, 0}, cat.getRow(3).toFloatVector(), 0f);
        assertArrayEquals(new float[] {0, 0, 1}, cat.getRow(11).toFloatVector(), 0f);
        INDArray[] bin = ImageDatasets.imageDatasetFromDirectory(two).imageSize(2, 2).shuffle(false).labelMode("binary").build().toArrays();
        assertArrayEquals(new long[] {4, 1}, bin[1].shape());
        assertArrayEquals(new float[] {0, 0, 1, 1}, bin[1].reshape(4).toFloatVector(), 0f);
        // cats are blue, dogs red
        assertEquals(255, bin[0].getDouble(0, 0, 0, 2), 0);
        assertEquals(255, bin[0].getDouble(3, 0, 0, 0), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ImageDatasets.imageDatasetFromDirectory(three).labelMode("binary").build());
        assertTrue(e.getMessage().contains("exactly 2 class_names"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageDatasets.imageDatasetFromDirectory(three).labelMode("sparse"));
        INDArray gray = ImageDatasets.imageDatasetFromDirectory(two).imageSize(3, 3).shuffle(false).colorMode("grayscale").build().toArrays()[0];
        assertArrayEquals(new long[] {4, 3, 3, 1}, gray.shape());
        assertEquals(29, gray.getDouble(0, 0, 0, 0), 0);   // blue: 0.114 * 255 = 29.07
        assertEquals(76, gray.getDouble(3, 0, 0, 0), 0);   // red: 0.299 * 255 = 76.245
    }

    @Test
    void validationSplitFollowsNumpyShuffleAndIsDisjoint() {
        ImageDataset[] tv = ImageDatasets.imageDatasetFromDirectory(three).imageSize(2, 2).seed(42)
            .validationSplit(0.25).subset("both").buildBoth();
        assertEquals(9, tv[0].size());   // 12 - int(0.25 * 12)
        assertEquals(3, tv[1].size());
        Set<Path> seen = new HashSet<>(tv[0].filePaths());
        for (Path p : tv[1].filePaths()) assertTrue(seen.add(p), "overlap: " + p);
        assertEquals(12, seen.size());
        // numpy: r = np.random.RandomState(42); a = list(range(12)); r.shuffle(a)
        //   -> [10, 9, 0, 8, 5, 2, 1, 11, 4, 7, 3, 6]; files 0-2 blue, 3-6 green, 7-11 red
        assertArrayEquals(new int[] {2, 2, 0, 2, 1, 0, 0, 2, 1}, tv[0].labels());
        assertArrayEquals(new int[] {2, 1, 1}, tv[1].labels());
        assertEquals(three.resolve("red").resolve("img3.png"), tv[0].filePaths().get(0));   // file 10
        // same seed, same split, also through subset("training") / ("validation")
        ImageDataset val = ImageDatasets.imageDatasetFromDirectory(three).imageSize(2, 2).seed(42)
            .validationSplit(0.25).subset("validation").build();
        assertEquals(tv[1].filePaths(), val.filePaths());
        // labels travel with their images
        INDArray[] xy = val.toArrays();
        for (int i = 0; i < 3; i++) {
            int[] c = COLOURS[xy[1].getInt(i)];
            for (int k = 0; k < 3; k++) assertEquals(c[k], xy[0].getDouble(i, 1, 1, k), 0);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ImageDatasets.imageDatasetFromDirectory(three).validationSplit(0.2).subset("training").build());
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageDatasets.imageDatasetFromDirectory(three).validationSplit(0.2).seed(1).build());
    }

    @Test
    void iterationDecodesBatchesAheadAndReshuffles() {
        ImageDataset ds = ImageDatasets.imageDatasetFromDirectory(three).imageSize(3, 3).batchSize(5).seed(7).build();
        assertEquals(3, ds.numBatches());
        for (int pass = 0; pass < 2; pass++) {
            List<Long> sizes = new ArrayList<>();
            int[] counts = new int[3];
            for (ImageDataset.Batch b : ds) {
                sizes.add(b.x().size(0));
                assertArrayEquals(new long[] {b.x().size(0), 3, 3, 3}, b.x().shape());
                for (int i = 0; i < b.x().size(0); i++) {
                    int label = b.y().getInt(i);
                    counts[label]++;
                    for (int k = 0; k < 3; k++) assertEquals(COLOURS[label][k], b.x().getDouble(i, 2, 2, k), 0);
                }
            }
            assertEquals(List.of(5L, 5L, 2L), sizes);
            assertArrayEquals(new int[] {3, 4, 5}, counts);
        }
    }

    @Test
    void corruptFileThrowsNamingItOrIsSkipped() throws Exception {
        Path dir = tmp.resolve("corrupt");
        for (String c : List.of("a", "b")) {
            Path d = Files.createDirectories(dir.resolve(c));
            ImageIO.write(solid(4, 4, COLOURS[0]), "png", d.resolve("ok.png").toFile());
        }
        Files.writeString(dir.resolve("b").resolve("zz_corrupt.jpg"), "garbage bytes");
        ImageDataset strict = ImageDatasets.imageDatasetFromDirectory(dir).imageSize(2, 2).shuffle(false).batchSize(2).build();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, strict::toArrays);
        assertTrue(e.getMessage().contains("zz_corrupt.jpg"), e.getMessage());
        ImageDataset.BatchIterator it = strict.iterator();
        it.next();   // a/ok.png, b/ok.png
        UncheckedIOException e2 = assertThrows(UncheckedIOException.class, it::next);
        assertTrue(e2.getMessage().contains("zz_corrupt.jpg"), e2.getMessage());
        it.close();
        ImageDataset lenient = ImageDatasets.imageDatasetFromDirectory(dir).imageSize(2, 2).shuffle(false).batchSize(2)
            .skipBadFiles(true).build();
        INDArray[] xy = lenient.toArrays();
        assertEquals(2, xy[0].size(0));
        assertArrayEquals(new int[] {0, 1}, xy[1].toIntVector());
        int n = 0;
        for (ImageDataset.Batch b : lenient) n += (int) b.x().size(0);
        assertEquals(2, n);
    }

    static INDArray patternBatch(int n) {
        INDArray one = Images.imgToArray(pattern());
        INDArray x = Nd4j.create(DataType.FLOAT, n, 3, 4, 3);
        for (int i = 0; i < n; i++) x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(one);
        return x;
    }

    static INDArray mirrorX(INDArray img) {   // (h, w, c) reversed along w
        INDArray m = img.dup();
        long w = img.size(1);
        for (long x = 0; x < w; x++) {
            m.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(x))
                .assign(img.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(w - 1 - x)));
        }
        return m;
    }

    static INDArray run(org.cornu.core.Layer layer, INDArray x, boolean training) {
        return layer.invoke(List.of(Tensor.constant(x)), training).get(0).value();
    }

    @Test
    void horizontalFlipIsAnExactMirrorAndInferenceIsIdentity() {
        INDArray x = patternBatch(16);
        INDArray one = Images.imgToArray(pattern());
        INDArray mirror = mirrorX(one);
        assertEquals(1.0 + 10 * 3, mirror.getDouble(0, 0, 0), 0);
        RandomFlip flip = new RandomFlip("horizontal").seed(3);
        INDArray y = run(flip, x, true);
        int flipped = 0, same = 0;
        for (int i = 0; i < 16; i++) {
            INDArray yi = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            if (yi.equals(mirror)) flipped++;
            else if (yi.equals(one)) same++;
        }
        assertEquals(16, flipped + same);
        assertTrue(flipped > 0 && same > 0, flipped + " flipped, " + same + " unchanged");
        Tensor in = Tensor.constant(x);
        assertSame(in, flip.invoke(List.of(in), false).get(0));
        for (org.cornu.core.Layer l : List.of(new RandomRotation(0.2), new RandomZoom(0.2), new RandomTranslation(0.2, 0.2), new RandomFlip())) {
            assertSame(in, l.invoke(List.of(in), false).get(0), l.name());
        }
        // vertical flip of the pattern: rows reversed
        INDArray v = run(new RandomFlip("vertical").seed(5), x, true);
        boolean sawVertical = false;
        for (int i = 0; i < 16; i++) {
            INDArray vi = v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            if (vi.getDouble(0, 0, 1) == 100) sawVertical = true;
            else assertEquals(one, vi);
        }
        assertTrue(sawVertical);
        assertThrows(IllegalArgumentException.class, () -> new RandomFlip("diagonal"));
    }

    @Test
    void geometricLayersOnKnownTransforms() {
        INDArray x = patternBatch(2);
        INDArray one = Images.imgToArray(pattern());
        // a rotation by exactly half a turn turns (y, x) into (h-1-y, w-1-x)
        INDArray r = run(new RandomRotation(0.5, 0.5).seed(1), x, true);
        for (int y = 0; y < 3; y++) {
            for (int c = 0; c < 4; c++) {
                for (int k = 0; k < 3; k++) assertEquals(one.getDouble(2 - y, 3 - c, k), r.getDouble(1, y, c, k), 1e-3);
            }
        }
        // zero zoom is the identity
        assertEquals(x, run(new RandomZoom(0.0, 0.0).seed(1), x, true));
        // zoom out by 2 (factor 1): output x reads input 2x - 1.5 (about the centre 1.5), reflect fill
        // columns: x=0 -> -1.5 -> reflect -> 0.5; x=1 -> 0.5; x=2 -> 2.5; x=3 -> 4.5 -> reflect -> 2.5
        INDArray z = run(new RandomZoom(1.0, 1.0).widthFactor(1.0, 1.0).seed(1), x, true);
        // red is 10 x + 1: column 0.5 -> 6, column 2.5 -> 26; rows: y = 1 reads 2 - 1 = row 1 (green 50)
        assertEquals(6, z.getDouble(0, 1, 0, 0), 1e-4);
        assertEquals(6, z.getDouble(0, 1, 1, 0), 1e-4);
        assertEquals(26, z.getDouble(0, 1, 2, 0), 1e-4);
        assertEquals(26, z.getDouble(0, 1, 3, 0), 1e-4);
        assertEquals(50, z.getDouble(0, 1, 0, 1), 1e-4);
        // shift down by one row (0.34 * 3 = 1.02 rows, nearest interpolation): row 0 reflects row 0
        RandomTranslation t = new RandomTranslation(new double[] {1.0 / 3, 1.0 / 3}, new double[] {0, 0}).interpolation("nearest").seed(1);
        INDArray s = run(t, x, true);
        for (int c = 0; c < 4; c++) {
            assertEquals(0, s.getDouble(0, 0, c, 1), 0);
            assertEquals(0, s.getDouble(0, 1, c, 1), 0);
            assertEquals(50, s.getDouble(0, 2, c, 1), 0);
        }
        INDArray k = run(new RandomTranslation(new double[] {1.0 / 3, 1.0 / 3}, new double[] {0, 0}).interpolation("nearest")
            .fillMode("constant").seed(1), x, true);
        assertEquals(0, k.getDouble(0, 0, 0, 2), 0);    // blue is 7 everywhere in the image, 0 in the fill
        assertEquals(7, k.getDouble(0, 1, 0, 2), 0);
        assertThrows(IllegalArgumentException.class, () -> new RandomTranslation(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomRotation(0.1).fillMode("mirror"));
    }

    @Test
    void augmentedModelTrainsThroughFitOnADirectoryDataset() {
        INDArray[] xy = ImageDatasets.imageDatasetFromDirectory(two).imageSize(6, 6).labelMode("binary").seed(1).build().toArrays();
        Sequential m = new Sequential(
            new RandomFlip().inputShape(6, 6, 3),
            new RandomRotation(0.1),
            new RandomZoom(0.1),
            new RandomTranslation(0.1, 0.1),
            new Rescaling(1.0 / 255),
            new Flatten(),
            new Dense(1, "sigmoid"));
        m.compile("rmsprop", "binary_crossentropy", "accuracy");
        History h = m.fit(xy[0], xy[1], Fit.epochs(3).batchSize(2).verbose(0));
        assertEquals(3, h.history().get("loss").size());
        assertArrayEquals(new long[] {4, 1}, m.predict(xy[0], 4).shape());
    }

    @Test
    void augmentationLayersRoundTripThroughJsonConfigs() {
        Sequential m = new Sequential(
            new RandomFlip("horizontal").seed(4).inputShape(6, 6, 3),
            new RandomRotation(-0.1, 0.2).fillMode("nearest").seed(5),
            new RandomZoom(0.3).widthFactor(-0.1, 0.1).interpolation("nearest"),
            new RandomTranslation(0.1, 0.2).fillMode("constant").fillValue(3));
        String json = org.cornu.core.saving.Models.toJson(m);
        org.cornu.core.Model back = org.cornu.core.saving.Models.modelFromJson(json);
        assertEquals(json, org.cornu.core.saving.Models.toJson(back));
        assertTrue(json.contains("\"fill_mode\":\"reflect\""), json);   // Keras 3's default for zoom/translation
        assertTrue(json.contains("\"mode\":\"horizontal\""), json);
    }

    @Test
    void cropToAspectRatioTakesTheCentre() throws Exception {
        // 8 x 4 (w x h): columns 0-1 red, 2-5 green, 6-7 blue; a square target crops columns 2-5 (all green)
        BufferedImage img = solid(8, 4, COLOURS[1]);
        for (int y = 0; y < 4; y++) {
            for (int x : new int[] {0, 1}) img.setRGB(x, y, 0xFF0000);
            for (int x : new int[] {6, 7}) img.setRGB(x, y, 0x0000FF);
        }
        Path d = Files.createDirectories(tmp.resolve("crop").resolve("only"));
        ImageIO.write(img, "png", d.resolve("wide.png").toFile());
        INDArray cropped = ImageDatasets.imageDatasetFromDirectory(tmp.resolve("crop")).imageSize(2, 2).cropToAspectRatio(true).build().toArrays()[0];
        assertEquals(0, cropped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).maxNumber().doubleValue(), 0);
        assertEquals(255, cropped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1)).minNumber().doubleValue(), 0);
        INDArray stretched = ImageDatasets.imageDatasetFromDirectory(tmp.resolve("crop")).imageSize(2, 2).build().toArrays()[0];
        assertTrue(stretched.getDouble(0, 0, 0, 0) > 0, stretched.toString());   // red reaches the left column
    }
}
