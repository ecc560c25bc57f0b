package org.cornu.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.cornu.applications.VGG16;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.testing.LegacyWeightsFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two VGG16 transfer-learning examples run end to end on a tiny folder of generated images
 * (reddish "cats", bluish "dogs"), at 32x32 so that they take seconds: the summaries show
 * Keras's counts, training runs, and the random base is announced.
 */
class Vgg16TransferTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
    }

    /** train/ (4 per class), validation/ and test/ (2 per class) of 48x40 PNGs. */
    private Path folder() throws Exception {
        return folder(dir);
    }

    /** The same folder under {@code dir}. */
    static Path folder(Path dir) throws Exception {
        Random r = new Random(1);
        int[][] base = {{200, 80, 60}, {60, 90, 200}};
        String[] classes = {"cats", "dogs"};
        for (String split : new String[] {"train", "validation", "test"}) {
            int n = split.equals("train") ? 4 : 2;
            for (int c = 0; c < 2; c++) {
                Path d = Files.createDirectories(dir.resolve("data").resolve(split).resolve(classes[c]));
                for (int i = 0; i < n; i++) {
                    BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 40; y++) {
                        for (int x = 0; x < 48; x++) {
                            int[] p = new int[3];
                            for (int k = 0; k < 3; k++) p[k] = Math.max(0, Math.min(255, base[c][k] + r.nextInt(81) - 40));
                            img.setRGB(x, y, (p[0] << 16) | (p[1] << 8) | p[2]);
                        }
                    }
                    ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
                }
            }
        }
        return dir.resolve("data");
    }

    /** Runs the example {@code argv[0]} through the launcher and returns what it printed. */
    static String run(String... argv) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Examples.launch(argv);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        return out;
    }

    @Test
    void featureExtractionPrintsKerasCountsAndTrains() throws Exception {
        Path data = folder();
        String out = run("vgg16-features", "--data", data.toString(), "--image-size", "32", "--epochs", "2",
                "--batch-size", "4", "--out", dir.resolve("out").toString());
        assertTrue(out.contains("RANDOMLY INITIALIZED"), out);
        assertTrue(out.contains("Model: \"vgg16\"") && out.contains("Total params: 14,714,688"), out);
        assertTrue(out.contains("features (8, 1, 1, 512)"), out);
        // the head on 1*1*512 features: Dense 256 (512*256 + 256 = 131,328) and Dense 1 (257)
        assertTrue(out.contains("131,328") && out.contains("Trainable params: 131,585"), out);
        assertTrue(out.contains("Epoch 2/2"), out);
        assertTrue(out.contains("test_accuracy: ") && out.contains("val_accuracy: "), out);
        assertTrue(Files.exists(dir.resolve("out").resolve("vgg16_features_accuracy.png")));

        // --weights PATH: a weight file in the layout of Keras's notop file is loaded instead
        Model source = VGG16.builder().weights((String) null).includeTop(false).inputShape(32, 32, 3).build();
        Path w = dir.resolve("vgg16_notop.h5");
        LegacyWeightsFile.of(source).write(w);
        out = run("vgg16-features", "--data", data.toString(), "--image-size", "32", "--epochs", "1",
                "--weights", w.toString(), "--out", dir.resolve("out").toString());
        assertFalse(out.contains("RANDOMLY"), out);
        assertTrue(out.contains("VGG16 base weights: " + w.toAbsolutePath()), out);
    }

    @Test
    void fineTuningFreezesThenUnfreezesBlock5() throws Exception {
        Path data = folder();
        String out = run("vgg16-finetune", "--data", data.toString(), "--image-size", "32", "--epochs", "1",
                "--fine-tune-epochs", "1", "--batch-size", "4");
        assertTrue(out.contains("vgg16 (Functional)") && out.contains("(None, 1, 1, 512)"), out);
        // frozen base: only the head trains
        assertTrue(out.contains("Trainable params: 131,585") && out.contains("Non-trainable params: 14,714,688"), out);
        // block5_conv1..3 unfrozen: 3 * (3*3*512*512 + 512) = 7,079,424 more
        assertTrue(out.contains("Fine-tuning [block5_conv1, block5_conv2, block5_conv3, block5_pool]"), out);
        assertTrue(out.contains("Trainable params: 7,211,009") && out.contains("Non-trainable params: 7,635,264"), out);
        assertTrue(out.contains("Epoch 1/1 ") && out.contains("Epoch 2/2 "), out);
        assertTrue(out.contains("test_accuracy: ") && out.contains("val_accuracy: "), out);
    }

    @Test
    void missingFoldersAreNamed() {
        String m = assertThrows(IllegalArgumentException.class, () -> Examples.launch("vgg16-features")).getMessage();
        assertTrue(m.contains("--data DIR"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Examples.launch("vgg16-finetune", "--data", dir.toString())).getMessage();
        assertTrue(m.contains(dir.resolve("train").toAbsolutePath().toString()), m);
    }
}
