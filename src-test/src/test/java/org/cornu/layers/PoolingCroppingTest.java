package org.cornu.layers;

import static org.cornu.layers.LayerGradientTest.checkLayer;
import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.cornu.layers.LayerTestSupport.d;
import static org.cornu.layers.LayerTestSupport.json;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cornu.core.Input;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.LayerFactory;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, Cropping1D, Cropping2D. */
class PoolingCroppingTest extends Float64Test {
    @ParameterizedTest(name = "pool={0} strides={1} padding={2}")
    @CsvSource({"2,0,valid", "3,1,valid", "3,2,same", "2,1,same", "4,3,same"})
    void averagePooling1DAveragesRealStepsOnly(int pool, int strides, String padding) {
        AveragePooling1D p = new AveragePooling1D(pool).padding(padding);
        if (strides > 0) p.strides(strides);
        int s = strides > 0 ? strides : pool;
        INDArray x = rand(1, -1, 1, 2, 7, 3);
        INDArray y = p.apply(x);
        boolean same = padding.equals("same");
        long out = same ? (7 + s - 1) / s : (7 - pool) / s + 1;
        assertArrayEquals(new long[] {2, out, 3}, y.shape());
        long padTotal = same ? Math.max(0, (out - 1) * s + pool - 7) : 0;
        long left = padTotal / 2;
        for (int b = 0; b < 2; b++) for (int i = 0; i < out; i++) for (int c = 0; c < 3; c++) {
            double sum = 0;
            int n = 0;
            for (long t = i * s - left; t < i * s - left + pool; t++) {
                if (t < 0 || t >= 7) continue;
                sum += x.getDouble(b, t, c);
                n++;
            }
            assertEquals(sum / n, y.getDouble(b, i, c), 1e-12);
        }
        assertEquals(Shape.of(-1, out, 3), p.apply(Input.of(7, 3)).shape());
        checkLayer(p, rand(2, -1, 1, 2, 7, 3));
    }

    @Test
    void globalPooling1DWithKeepdimsAndMasks() {
        INDArray x = rand(3, -1, 1, 2, 4, 3);
        INDArray avg = new GlobalAveragePooling1D().apply(x);
        INDArray max = new GlobalMaxPooling1D().keepdims(true).apply(x);
        assertArrayEquals(new long[] {2, 3}, avg.shape());
        assertArrayEquals(new long[] {2, 1, 3}, max.shape());
        for (int b = 0; b < 2; b++) for (int c = 0; c < 3; c++) {
            double s = 0, m = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < 4; t++) {
                s += x.getDouble(b, t, c);
                m = Math.max(m, x.getDouble(b, t, c));
            }
            assertEquals(s / 4, avg.getDouble(b, c), 1e-12);
            assertEquals(m, max.getDouble(b, 0, c), 0);
        }
        // a mask: the average over the kept steps only; the max ignores masks, as Keras's
        INDArray keep = d(new long[] {2, 4}, 1, 1, 0, 0, 0, 1, 1, 1);
        Tensor out = new GlobalAveragePooling1D().invoke(List.of(Tensor.constant(x).withMask(keep)), false).get(0);
        assertEquals((x.getDouble(0, 0, 1) + x.getDouble(0, 1, 1)) / 2, out.value().getDouble(0, 1), 1e-12);
        assertEquals((x.getDouble(1, 1, 2) + x.getDouble(1, 2, 2) + x.getDouble(1, 3, 2)) / 3, out.value().getDouble(1, 2), 1e-12);
        assertNull(out.mask(), "the mask is consumed");
        INDArray mx = new GlobalMaxPooling1D().invoke(List.of(Tensor.constant(x).withMask(keep)), false).get(0).value();
        assertEquals(max.reshape(2, 3), mx);
        assertEquals(Shape.of(-1, 1, 3), new GlobalAveragePooling1D().keepdims(true).apply(Input.of(4, 3)).shape());
        checkLayer(new GlobalAveragePooling1D().keepdims(true), rand(4, -1, 1, 2, 4, 3));
        checkLayer(new GlobalMaxPooling1D(), rand(5, -1, 1, 2, 4, 3));
    }

    @Test
    void croppingTrimsTheEnds() {
        INDArray x = rand(6, -1, 1, 2, 6, 3);
        INDArray y = new Cropping1D(1, 2).apply(x);
        assertArrayEquals(new long[] {2, 3, 3}, y.shape());
        assertEquals(x.getDouble(1, 1, 2), y.getDouble(1, 0, 2), 0);
        assertEquals(x.getDouble(0, 3, 0), y.getDouble(0, 2, 0), 0);
        assertArrayEquals(new long[] {2, 4, 3}, new Cropping1D().apply(x).shape());
        assertThrows(IllegalArgumentException.class, () -> new Cropping1D(3).apply(x));
        INDArray img = rand(7, -1, 1, 2, 6, 7, 2);
        INDArray c = new Cropping2D(new int[][] {{1, 2}, {0, 3}}).apply(img);
        assertArrayEquals(new long[] {2, 3, 4, 2}, c.shape());
        assertEquals(img.getDouble(1, 1, 0, 1), c.getDouble(1, 0, 0, 1), 0);
        assertEquals(img.getDouble(0, 3, 3, 0), c.getDouble(0, 2, 3, 0), 0);
        assertEquals(Shape.of(-1, 24, 20, 3), new Cropping2D(new int[][] {{2, 2}, {4, 4}}).apply(Input.of(28, 28, 3)).shape());
        assertEquals(Shape.of(-1, 26, 24, 3), new Cropping2D(1, 2).apply(Input.of(28, 28, 3)).shape());
        checkLayer(new Cropping1D(2, 1), rand(8, -1, 1, 2, 5, 2));
        checkLayer(new Cropping2D(new int[][] {{1, 0}, {2, 1}}), rand(9, -1, 1, 2, 4, 5, 2));
    }

    @Test
    void configsAreKeras3s() {
        configRoundTrip(new AveragePooling1D(3).strides(1).padding("same"), "AveragePooling1D", "name", "trainable", "dtype",
                "pool_size", "padding", "strides", "data_format");
        assertEquals(List.of(2), new AveragePooling1D(2).getConfig().get("strides"));
        configRoundTrip(new GlobalAveragePooling1D().keepdims(true), "GlobalAveragePooling1D", "name", "trainable", "dtype",
                "data_format", "keepdims");
        configRoundTrip(new GlobalMaxPooling1D(), "GlobalMaxPooling1D", "name", "trainable", "dtype", "data_format", "keepdims");
        assertEquals(List.of(1, 1), configRoundTrip(new Cropping1D(), "Cropping1D", "name", "trainable", "dtype", "cropping")
                .getConfig().get("cropping"));
        assertEquals(List.of(List.of(1, 2), List.of(3, 4)), configRoundTrip(new Cropping2D(new int[][] {{1, 2}, {3, 4}}),
                "Cropping2D", "name", "trainable", "dtype", "cropping", "data_format").getConfig().get("cropping"));
        // Keras 3.15.1 writes tuples as lists
        Cropping2D k = (Cropping2D) LayerFactory.create("Cropping2D",
                json("{\"name\": \"c\", \"cropping\": [[0, 0], [2, 1]], \"data_format\": \"channels_last\"}"));
        assertArrayEquals(new int[] {2, 1}, k.cropping()[1]);
        Cropping1D k1 = (Cropping1D) LayerFactory.create("Cropping1D", json("{\"name\": \"c1\", \"cropping\": [2, 0]}"));
        assertArrayEquals(new int[] {2, 0}, k1.cropping());
        AveragePooling1D ap = (AveragePooling1D) LayerFactory.create("AveragePooling1D",
                json("{\"name\": \"a\", \"pool_size\": [2], \"padding\": \"valid\", \"strides\": [2], \"data_format\": \"channels_last\"}"));
        assertEquals(List.of(2), ap.getConfig().get("pool_size"));
    }
}
