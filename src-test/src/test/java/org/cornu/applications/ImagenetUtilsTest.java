package org.cornu.applications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.utils.GetFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** preprocess_input and decode_predictions on hand-computed values. */
class ImagenetUtilsTest {
    @TempDir
    Path dir;

    /** One 1x2 RGB image: pixels (10, 20, 30) and (255, 0, 127.5). */
    private static INDArray image() {
        return Nd4j.create(new float[] {10, 20, 30, 255, 0, 127.5f}, new long[] {1, 1, 2, 3}, 'c');
    }

    @Test
    void caffeModeFlipsToBgrAndSubtractsTheImagenetMean() {
        INDArray x = image();
        INDArray y = VGG16.preprocessInput(x);
        // BGR: (30, 20, 10) - (103.939, 116.779, 123.68); (127.5, 0, 255) - ...
        assertArrayEquals(new float[] {30 - 103.939f, 20 - 116.779f, 10 - 123.68f, 127.5f - 103.939f, -116.779f, 255 - 123.68f},
                y.data().asFloat(), 1e-4f);
        assertArrayEquals(y.data().asFloat(), ResNet50.preprocessInput(x).data().asFloat(), 0f);
        assertArrayEquals(y.data().asFloat(), VGG19.preprocessInput(x).data().asFloat(), 0f);
        assertArrayEquals(new float[] {10, 20, 30, 255, 0, 127.5f}, x.data().asFloat(), 0f, "the input is left alone");
        // one image (h, w, 3) and an integer array give the same values, as float32
        INDArray ints = Nd4j.createFromArray(new int[][] {{10, 20, 30}}).reshape(1, 1, 3);
        INDArray yi = VGG16.preprocessInput(ints);
        assertEquals(DataType.FLOAT, yi.dataType());
        assertArrayEquals(new long[] {1, 1, 3}, yi.shape());
        assertArrayEquals(new float[] {30 - 103.939f, 20 - 116.779f, 10 - 123.68f}, yi.data().asFloat(), 1e-4f);
    }

    @Test
    void tfModeScalesToMinusOneOne() {
        INDArray y = MobileNetV2.preprocessInput(image());
        assertArrayEquals(new float[] {10 / 127.5f - 1, 20 / 127.5f - 1, 30 / 127.5f - 1, 1, -1, 0}, y.data().asFloat(), 1e-6f);
        assertArrayEquals(new long[] {1, 1, 2, 3}, y.shape());
    }

    @Test
    void torchModeAndChannelsFirst() {
        INDArray y = ImagenetUtils.preprocessInput(image(), null, "torch");
        assertEquals((10 / 255.0 - 0.485) / 0.229, y.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals((0 / 255.0 - 0.456) / 0.224, y.getDouble(0, 0, 1, 1), 1e-6);
        assertEquals((127.5 / 255.0 - 0.406) / 0.225, y.getDouble(0, 0, 1, 2), 1e-6);
        // channels_first (1, 3, 1, 2): channel 0 holds R of both pixels
        INDArray cf = image().permute(0, 3, 1, 2).dup('c');
        INDArray ycf = ImagenetUtils.preprocessInput(cf, "channels_first", "caffe");
        assertArrayEquals(new float[] {30 - 103.939f, 127.5f - 103.939f, 20 - 116.779f, -116.779f, 10 - 123.68f, 255 - 123.68f},
                ycf.data().asFloat(), 1e-4f);
        // 3D channels_first: channel axis 0
        INDArray y3 = ImagenetUtils.preprocessInput(cf.reshape(3, 1, 2), "channels_first", "caffe");
        assertArrayEquals(ycf.data().asFloat(), y3.data().asFloat(), 0f);
    }

    @Test
    void badArgumentsAreNamed() {
        String m = assertThrows(IllegalArgumentException.class, () -> ImagenetUtils.preprocessInput(image(), null, "keras"))
                .getMessage();
        assertTrue(m.contains("mode=keras"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ImagenetUtils.preprocessInput(image(), "nhwc", "caffe"))
                .getMessage();
        assertTrue(m.contains("data_format=nhwc"), m);
        m = assertThrows(IllegalArgumentException.class, () -> VGG16.preprocessInput(Nd4j.zeros(DataType.FLOAT, 2, 4, 4, 1)))
                .getMessage();
        assertTrue(m.contains("3 color channels") && m.contains("(2, 4, 4, 1)"), m);
    }

    /** A class index in Keras's JSON format: class i is ("n<i, 8 digits>", "class<i>"). */
    private Path classIndexFile() throws Exception {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) {
            if (i > 0) b.append(", ");
            b.append(String.format("\"%d\": [\"n%08d\", \"class%d\"]", i, i, i));
        }
        return Files.writeString(dir.resolve("imagenet_class_index.json"), b.append('}').toString());
    }

    @Test
    void decodePredictionsGivesTheTopClassesBestFirst() throws Exception {
        Map<Integer, String[]> index = ImagenetUtils.loadClassIndex(classIndexFile());
        assertEquals(1000, index.size());
        INDArray p = Nd4j.zeros(DataType.FLOAT, 2, 1000);
        p.putScalar(0, 281, 0.6);
        p.putScalar(0, 285, 0.3);
        p.putScalar(0, 7, 0.05);
        p.putScalar(1, 999, 0.9);
        p.putScalar(1, 0, 0.1);
        List<List<ImagenetUtils.Prediction>> r = ImagenetUtils.decodePredictions(p, 3, index);
        assertEquals(2, r.size());
        assertEquals(List.of("n00000281", "n00000285", "n00000007"), r.get(0).stream().map(ImagenetUtils.Prediction::className).toList());
        assertEquals("class281", r.get(0).get(0).classDescription());
        assertEquals(0.6, r.get(0).get(0).score(), 1e-6);
        assertEquals(0.9, r.get(1).get(0).score(), 1e-6);
        assertEquals("n00000000", r.get(1).get(1).className());
        // ties (the zeros) go to the higher class number, as numpy's argsort()[-top:][::-1]
        assertEquals("n00000998", r.get(1).get(2).className());
        assertEquals(5, ImagenetUtils.decodePredictions(p, 5, index).get(0).size());
    }

    @Test
    void decodePredictionsChecksTheShapeAndNamesTheClassIndexWhenOffline() throws Exception {
        String m = assertThrows(IllegalArgumentException.class, () -> VGG16.decodePredictions(Nd4j.zeros(DataType.FLOAT, 2, 10)))
                .getMessage();
        assertTrue(m.contains("(samples, 1000)") && m.contains("(2, 10)"), m);
        String home = System.getProperty(GetFile.PROP_KERAS_HOME), offline = System.getProperty(GetFile.PROP_OFFLINE);
        System.setProperty(GetFile.PROP_KERAS_HOME, dir.resolve("home").toString());
        System.setProperty(GetFile.PROP_OFFLINE, "true");
        try {
            m = assertThrows(UncheckedIOException.class, () -> VGG16.decodePredictions(Nd4j.zeros(DataType.FLOAT, 1, 1000)))
                    .getMessage();
            assertTrue(m.contains("imagenet_class_index.json") && m.contains(ImagenetUtils.CLASS_INDEX_PATH), m);
            assertTrue(m.contains(dir.resolve("home").resolve("models").resolve("imagenet_class_index.json").toString()), m);
        } finally {
            if (home == null) System.clearProperty(GetFile.PROP_KERAS_HOME);
            else System.setProperty(GetFile.PROP_KERAS_HOME, home);
            if (offline == null) System.clearProperty(GetFile.PROP_OFFLINE);
            else System.setProperty(GetFile.PROP_OFFLINE, offline);
        }
        m = assertThrows(IllegalArgumentException.class, () -> ImagenetUtils.loadClassIndex(
                Files.writeString(dir.resolve("bad.json"), "{\"0\": [\"n0\"]}"))).getMessage();
        assertTrue(m.contains("bad.json") && m.contains("class 0"), m);
    }
}
