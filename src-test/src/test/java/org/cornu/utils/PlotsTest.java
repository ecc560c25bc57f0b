package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cornu.core.callbacks.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History and curve plots: the PNG exists at the size asked, is drawn (blue marks), and a failed write leaves nothing. */
class PlotsTest {
    @TempDir
    Path dir;

    static History history() {
        History h = new History();
        double[] loss = {0.52, 0.30, 0.22, 0.17, 0.14, 0.11, 0.09, 0.07};
        double[] val = {0.38, 0.30, 0.28, 0.27, 0.28, 0.30, 0.31, 0.33};
        for (int e = 0; e < loss.length; e++) {
            h.onEpochEnd(e, new LinkedHashMap<>(Map.of("loss", loss[e], "val_loss", val[e],
                    "accuracy", 1 - loss[e] / 2, "val_accuracy", 1 - val[e] / 2)));
        }
        return h;
    }

    static int bluePixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0x0000ff) n++;
            }
        }
        return n;
    }

    static Set<Integer> colours(BufferedImage img) {
        Set<Integer> c = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) for (int x = 0; x < img.getWidth(); x += 2) c.add(img.getRGB(x, y));
        return c;
    }

    @Test
    void historyPlotIsWrittenAtTheRightSizeAndDrawn() throws IOException {
        Path png = dir.resolve("loss.png");
        Plots.saveHistory(history(), "loss", png);
        assertTrue(Files.size(png) > 1000);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        assertTrue(colours(img).size() > 5, "image is blank");
        assertTrue(bluePixels(img) > 100, "no blue dots/line: " + bluePixels(img));
        // overwriting works and the folder holds only the image (no temporary file left)
        Plots.saveHistory(history(), "accuracy", png, 800, 500);
        BufferedImage img2 = ImageIO.read(png.toFile());
        assertEquals(800, img2.getWidth());
        assertEquals(500, img2.getHeight());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(png), s.toList());
        }
    }

    @Test
    void curvesPlot() throws IOException {
        double[] mae = {3.1, 2.6, 2.5, 2.45, 2.5, 2.4, 2.42, 2.38, 2.41, 2.36};
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("Validation MAE", mae);
        series.put("Smoothed", Utils.smoothCurve(mae));
        Path png = dir.resolve("mae.png");
        Plots.saveCurves(series, "Validation MAE by epoch", "Epochs", "Validation MAE", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        assertTrue(colours(img).size() > 5);
        assertThrows(IllegalArgumentException.class, () -> Plots.saveCurves(Map.of(), "t", "x", "y", png));
    }

    @Test
    void failedWriteLeavesNoPartialFile() throws IOException {
        // the target is a non-empty folder: the move fails and the temporary file is removed
        Path target = dir.resolve("busy.png");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "x");
        assertThrows(IOException.class, () -> Plots.saveHistory(history(), "loss", target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList());
        }
        // a missing folder: nothing is created
        Path missing = dir.resolve("no/such/dir/loss.png");
        assertThrows(IOException.class, () -> Plots.saveHistory(history(), "loss", missing));
        assertFalse(Files.exists(dir.resolve("no")));
        // an unknown metric is an argument error naming the keys, before any file is touched
        assertThrows(IllegalArgumentException.class, () -> Plots.saveHistory(history(), "mae", dir.resolve("m.png")));
        assertFalse(Files.exists(dir.resolve("m.png")));
    }
}
