package org.cornu.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image preprocessing layers of issue 18 against numbers real Keras 3.15.1 (JAX backend) printed for the same
 * input ({@code (arange(48).reshape(1, 4, 6, 2) * 0.37) % 5} in float32), against Keras's equations, and their
 * configs against Keras's {@code get_config} keys.
 */
class ImagePreprocessingTest {
    /** Keras 3.15.1 (JAX) printed, bilinear_up_5x9. */
    private static final double[] K_BILINEAR_UP_5X9 = {0.0, 0.3700000047683716, 0.3700000047683716, 0.7400000095367432, 0.8633334040641785, 1.2333334684371948, 1.3566668033599854, 1.726666808128357, 1.850000023841858, 2.2200000286102295, 2.3433334827423096, 2.7133336067199707, 2.8366668224334717, 3.2066667079925537, 3.3299999237060547, 3.700000047683716, 3.6999998092651367, 4.069999694824219, 3.1080002784729004, 3.4780001640319824, 1.728000283241272, 2.0980000495910645, 0.4713335633277893, 0.8413334488868713, 0.9646668434143066, 1.3346667289733887, 1.4579999446868896, 1.8280000686645508, 1.9513332843780518, 2.321333646774292, 2.444666862487793, 2.814666748046875, 2.938000202178955, 3.308000087738037, 3.308000087738037, 3.677999973297119, 4.159999847412109, 4.529999732971191, 3.2799999713897705, 3.6499998569488525, 2.1066665649414062, 2.4766666889190674, 0.9333333969116211, 1.3033332824707031, 1.010000228881836, 1.3800002336502075, 1.5033334493637085, 1.8733335733413696, 1.9966669082641602, 2.366666793823242, 2.4900002479553223, 2.8600001335144043, 2.859999895095825, 3.2299997806549072, 3.7120001316070557, 4.082000255584717, 4.082000255584717, 4.452000141143799, 3.991999864578247, 4.11199951171875, 2.1519997119903564, 1.2719995975494385, 1.3120002746582031, 0.9320002794265747, 1.0553337335586548, 1.4253334999084473, 1.5486671924591064, 1.9186668395996094, 2.0420002937316895, 2.4119999408721924, 2.4119999408721924, 2.7819995880126953, 3.3199996948242188, 3.690000534057617, 3.690000057220459, 4.060000419616699, 4.183333873748779, 3.7200000286102295, 4.676667213439941, 0.8799994587898254, 2.6700000762939453, 0.5399999618530273, 0.6633334755897522, 1.0333331823349, 1.1566673517227173, 1.5266664028167725, 1.6500005722045898, 2.0199995040893555, 2.0200002193450928, 2.3899991512298584};

    /** Keras 3.15.1 (JAX) printed, bilinear_down_3x4. */
    private static final double[] K_BILINEAR_DOWN_3X4 = {0.7166667580604553, 1.0866668224334717, 1.2016667127609253, 1.5716667175292969, 2.31166672706604, 2.681666612625122, 3.4216668605804443, 3.7916667461395264, 3.7199997901916504, 4.089999675750732, 1.0800002813339233, 1.4500001668930054, 1.565000057220459, 1.9350001811981201, 2.6750001907348633, 3.0450000762939453, 3.5983331203460693, 3.9683337211608887, 4.083333969116211, 1.3283333778381348, 0.8183333873748779, 1.1883331537246704, 1.9283337593078613, 2.298332691192627};

    /** Keras 3.15.1 (JAX) printed, nearest_up_5x9. */
    private static final double[] K_NEAREST_UP_5X9 = {0.0, 0.3700000047683716, 0.7400000095367432, 1.1100000143051147, 0.7400000095367432, 1.1100000143051147, 1.4800000190734863, 1.850000023841858, 2.2200000286102295, 2.5900001525878906, 2.2200000286102295, 2.5900001525878906, 2.9600000381469727, 3.3299999237060547, 3.700000047683716, 4.070000171661377, 3.700000047683716, 4.070000171661377, 4.440000057220459, 4.809999942779541, 0.18000030517578125, 0.5500001907348633, 0.18000030517578125, 0.5500001907348633, 0.9200000762939453, 1.2899999618530273, 1.6599998474121094, 2.0300002098083496, 1.6599998474121094, 2.0300002098083496, 2.4000000953674316, 2.7699999809265137, 3.140000343322754, 3.510000228881836, 3.140000343322754, 3.510000228881836, 3.880000114440918, 4.25, 4.619999885559082, 4.989999771118164, 4.619999885559082, 4.989999771118164, 0.3600006103515625, 0.7300004959106445, 1.1000003814697266, 1.4700002670288086, 1.1000003814697266, 1.4700002670288086, 1.8400001525878906, 2.2100000381469727, 2.5799999237060547, 2.9499998092651367, 2.5799999237060547, 2.9499998092651367, 3.880000114440918, 4.25, 4.619999885559082, 4.989999771118164, 4.619999885559082, 4.989999771118164, 0.3600006103515625, 0.7300004959106445, 1.1000003814697266, 1.4700002670288086, 1.1000003814697266, 1.4700002670288086, 1.8400001525878906, 2.2100000381469727, 2.5799999237060547, 2.9499998092651367, 2.5799999237060547, 2.9499998092651367, 3.3199996948242188, 3.690000534057617, 4.060000419616699, 4.430000305175781, 4.060000419616699, 4.430000305175781, 4.800000190734863, 0.1700000762939453, 0.5399999618530273, 0.9099998474121094, 0.5399999618530273, 0.9099998474121094, 1.2800006866455078, 1.6499996185302734, 2.020000457763672, 2.3899993896484375, 2.020000457763672, 2.3899993896484375};

    /** Keras 3.15.1 (JAX) printed, nearest_down_3x4. */
    private static final double[] K_NEAREST_DOWN_3X4 = {0.0, 0.3700000047683716, 1.4800000190734863, 1.850000023841858, 2.2200000286102295, 2.5900001525878906, 3.700000047683716, 4.070000171661377, 3.880000114440918, 4.25, 0.3600006103515625, 0.7300004959106445, 1.1000003814697266, 1.4700002670288086, 2.5799999237060547, 2.9499998092651367, 3.3199996948242188, 3.690000534057617, 4.800000190734863, 0.1700000762939453, 0.5399999618530273, 0.9099998474121094, 2.020000457763672, 2.3899993896484375};

    /** Keras 3.15.1 (JAX) printed, bilinear_crop_3x3. */
    private static final double[] K_BILINEAR_CROP_3X3 = {0.7700000405311584, 1.1400001049041748, 1.756666660308838, 2.12666654586792, 2.743333578109741, 3.1133334636688232, 2.1066668033599854, 2.4766664505004883, 1.010000228881836, 1.3800002336502075, 1.9966669082641602, 2.366666793823242, 4.137778282165527, 3.81333327293396, 2.3466670513153076, 0.6333333253860474, 1.2500004768371582, 1.6199997663497925};

    /** Keras 3.15.1 (JAX) printed, nearest_crop_5x3. */
    private static final double[] K_NEAREST_CROP_5X3 = {1.4800000190734863, 1.850000023841858, 2.2200000286102295, 2.5900001525878906, 2.2200000286102295, 2.5900001525878906, 0.9200000762939453, 1.2899999618530273, 1.6599998474121094, 2.0300002098083496, 1.6599998474121094, 2.0300002098083496, 0.3600006103515625, 0.7300004959106445, 1.1000003814697266, 1.4700002670288086, 1.1000003814697266, 1.4700002670288086, 0.3600006103515625, 0.7300004959106445, 1.1000003814697266, 1.4700002670288086, 1.1000003814697266, 1.4700002670288086, 4.800000190734863, 0.1700000762939453, 0.5399999618530273, 0.9099998474121094, 0.5399999618530273, 0.9099998474121094};

    /** Keras 3.15.1 (JAX) printed, bilinear_pad_4x4. */
    private static final double[] K_BILINEAR_PAD_4X4 = {1.1712499856948853, 1.2637499570846558, 1.4487500190734863, 1.5412499904632568, 1.7262499332427979, 1.818750023841858, 2.0037498474121094, 2.096250057220459, 2.577500104904175, 2.947500228881836, 0.8750001192092896, 1.2450000047683716, 1.9849998950958252, 2.3550000190734863, 3.0950000286102295, 3.4650001525878906, 3.9250001907348633, 4.295000076293945, 2.2225003242492676, 1.6550002098083496, 1.1450002193450928, 1.5150001049041748, 2.255000114440918, 2.624999761581421, 2.0012500286102295, 2.09375, 2.27875018119812, 1.433750033378601, 1.3062500953674316, 1.3987499475479126, 1.5837501287460327, 1.6762498617172241};

    /** Keras 3.15.1 (JAX) printed, centercrop_3x4. */
    private static final double[] K_CENTERCROP_3X4 = {0.7400000095367432, 1.1100000143051147, 1.4800000190734863, 1.850000023841858, 2.2200000286102295, 2.5900001525878906, 2.9600000381469727, 3.3299999237060547, 0.18000030517578125, 0.5500001907348633, 0.9200000762939453, 1.2899999618530273, 1.6599998474121094, 2.0300002098083496, 2.4000000953674316, 2.7699999809265137, 4.619999885559082, 4.989999771118164, 0.3600006103515625, 0.7300004959106445, 1.1000003814697266, 1.4700002670288086, 1.8400001525878906, 2.2100000381469727};

    /** Keras 3.15.1 (JAX) printed, centercrop_6x3. */
    private static final double[] K_CENTERCROP_6X3 = {1.4800000190734863, 1.850000023841858, 1.850000023841858, 2.2200000286102295, 2.2200000286102295, 2.5900001525878906, 1.2000000476837158, 1.5699999332427979, 1.5699999332427979, 1.940000057220459, 1.9399999380111694, 2.31000018119812, 0.8266667723655701, 1.1966665983200073, 1.1966667175292969, 1.5666667222976685, 1.566666603088379, 1.9366668462753296, 0.4533337652683258, 0.8233336806297302, 0.8233336210250854, 1.193333625793457, 1.1933335065841675, 1.563333511352539, 2.580000400543213, 0.4500002861022949, 1.700000286102295, 0.820000171661377, 0.820000171661377, 1.190000057220459, 4.800000190734863, 0.1700000762939453, 2.6700000762939453, 0.5399999618530273, 0.5399999618530273, 0.9099998474121094};

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(5);
    }

    /** The input Keras was given: (arange(48) * 0.37 in float32) % 5, shape (1, 4, 6, 2). */
    static INDArray kerasInput() {
        float[] v = new float[48];
        for (int i = 0; i < 48; i++) v[i] = (float) ((double) ((float) i * 0.37f) % 5.0);
        return Nd4j.create(v, new long[] {1, 4, 6, 2}, 'c');
    }

    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static void assertKeras(double[] want, long[] shape, Layer layer) {
        INDArray y = layer.apply(kerasInput());
        assertArrayEquals(shape, y.shape(), layer.name() + " shape");
        assertArrayEquals(want, flat(y), 2e-6, layer.name() + " values");
    }

    @Test
    void resizingBilinearAndNearestUpAndDownAsKeras() {
        assertKeras(K_BILINEAR_UP_5X9, new long[] {1, 5, 9, 2}, new Resizing(5, 9));
        assertKeras(K_BILINEAR_DOWN_3X4, new long[] {1, 3, 4, 2}, new Resizing(3, 4));
        assertKeras(K_NEAREST_UP_5X9, new long[] {1, 5, 9, 2}, new Resizing(5, 9).interpolation("nearest"));
        assertKeras(K_NEAREST_DOWN_3X4, new long[] {1, 3, 4, 2}, new Resizing(3, 4).interpolation("nearest"));
    }

    @Test
    void resizingCropAndPadToAspectRatioAsKeras() {
        assertKeras(K_BILINEAR_CROP_3X3, new long[] {1, 3, 3, 2}, new Resizing(3, 3).cropToAspectRatio(true));
        assertKeras(K_NEAREST_CROP_5X3, new long[] {1, 5, 3, 2}, new Resizing(5, 3).interpolation("nearest").cropToAspectRatio(true));
        assertKeras(K_BILINEAR_PAD_4X4, new long[] {1, 4, 4, 2}, new Resizing(4, 4).padToAspectRatio(true).fillValue(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Resizing(2, 2).cropToAspectRatio(true).padToAspectRatio(true));
        assertThrows(IllegalArgumentException.class, () -> new Resizing(2, 2).interpolation("bicubic"));
    }

    @Test
    void resizingOneImageAndSameSizeIsIdentity() {
        INDArray x = kerasInput();
        INDArray one = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup();
        INDArray y = new Resizing(3, 4).apply(one);
        assertArrayEquals(new long[] {3, 4, 2}, y.shape());
        assertArrayEquals(K_BILINEAR_DOWN_3X4, flat(y), 2e-6);
        assertArrayEquals(flat(x), flat(new Resizing(4, 6).apply(x)), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Resizing(2, 2).name("rs").apply(Nd4j.zeros(3, 4)));
        assertTrue(e.getMessage().contains("\"rs\"") && e.getMessage().contains("(3, 4)"), e.getMessage());
    }

    @Test
    void centerCropAsKeras() {
        assertKeras(K_CENTERCROP_3X4, new long[] {1, 3, 4, 2}, new CenterCrop(3, 4));
        // taller than the input: Keras's smart_resize (crop to the aspect ratio, then bilinear resize)
        assertKeras(K_CENTERCROP_6X3, new long[] {1, 6, 3, 2}, new CenterCrop(6, 3));
    }

    @Test
    void resizeGradientIsTheTransposeOfTheInterpolation() {
        // the layer is linear: <dL/dx, v> = <g, R v> for any v, with L = <g, R x>
        Cornu.setFloatx("float64");
        for (Layer l : List.of(new Resizing(5, 9), new Resizing(3, 4).interpolation("nearest"), new Resizing(3, 3).cropToAspectRatio(true),
                new CenterCrop(3, 4))) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 6, 2);
            INDArray v = Nd4j.rand(DataType.DOUBLE, 2, 4, 6, 2);
            INDArray out = l.apply(x);
            INDArray g = Nd4j.rand(DataType.DOUBLE, out.shape());
            INDArray grad;
            try (GradientTape tape = new GradientTape()) {
                Tensor xv = tape.watch(x);
                Tensor y = l.invoke(List.of(xv), true).get(0);
                Tensor loss = org.cornu.core.ops.Ops.sum(org.cornu.core.ops.Ops.mul(y, Tensor.constant(g)));
                grad = tape.gradient(loss, xv);
            }
            double lhs = grad.mul(v).sumNumber().doubleValue();
            double rhs = l.apply(v).mul(g).sumNumber().doubleValue();
            assertEquals(rhs, lhs, 1e-9 * Math.max(1, Math.abs(rhs)), l.getClass().getSimpleName());
        }
    }

    @Test
    void randomCropTrainingCropsOneWindowPerBatchAndInferenceCentreCrops() {
        INDArray x = Nd4j.arange(2 * 5 * 6).reshape(2, 5, 6, 1).castTo(DataType.FLOAT);
        RandomCrop rc = new RandomCrop(3, 2).seed(7);
        for (int t = 0; t < 10; t++) {
            INDArray y = rc.invoke(List.of(Tensor.constant(x)), true).get(0).value();
            assertArrayEquals(new long[] {2, 3, 2, 1}, y.shape());
            // a window of the input: consecutive rows and columns, the same window for both images
            double top = y.getDouble(0, 0, 0, 0);
            int r = (int) top / 6, c = (int) top % 6;
            assertTrue(r + 3 <= 5 && c + 2 <= 6);
            for (int b = 0; b < 2; b++) for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) {
                assertEquals(b * 30 + (r + i) * 6 + c + j, y.getDouble(b, i, j, 0), 0);
            }
        }
        // inference: Keras's documented centre crop to the aspect ratio then resize: crop 5x3 at column 1 -> 3x2
        INDArray inf = rc.apply(x);
        assertArrayEquals(flat(new Resizing(3, 2).cropToAspectRatio(true).apply(x)), flat(inf), 0);
        assertEquals(3, new RandomCrop(3, 2).computeOutputShape(Shape.of(-1, 5, 6, 1)).get(1));
    }

    @Test
    void randomHeightAndWidthResizeInTrainingOnly() {
        INDArray x = kerasInput();
        RandomHeight rh = new RandomHeight(0.5).seed(3);
        RandomWidth rw = new RandomWidth(-0.5, -0.5).interpolation("nearest");
        assertSame(x, rh.invoke(List.of(Tensor.constant(x)), false).get(0).value());
        assertSame(x, rw.invoke(List.of(Tensor.constant(x)), false).get(0).value());
        java.util.Set<Long> heights = new java.util.HashSet<>();
        for (int t = 0; t < 30; t++) {
            INDArray y = rh.invoke(List.of(Tensor.constant(x)), true).get(0).value();
            long h = y.size(1);
            assertTrue(h >= 2 && h <= 6, "int(U(0.5, 1.5) * 4) in [2, 6): " + h);
            heights.add(h);
            assertArrayEquals(flat(new Resizing((int) h, 6).apply(x)), flat(y), 1e-6);
        }
        assertTrue(heights.size() >= 3, "several heights drawn: " + heights);
        // factor (-0.5, -0.5): width int(0.5 * 6) = 3, nearest
        INDArray y = rw.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        assertArrayEquals(flat(new Resizing(4, 3).interpolation("nearest").apply(x)), flat(y), 0);
        assertEquals(Shape.NONE, rh.computeOutputShape(Shape.of(-1, 4, 6, 2)).get(1));
        assertEquals(Shape.NONE, rw.computeOutputShape(Shape.of(-1, 4, 6, 2)).get(2));
        assertThrows(IllegalArgumentException.class, () -> new RandomHeight(0.3, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new RandomWidth(-1.5, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new RandomHeight(-0.2));
    }

    @Test
    void randomContrastFollowsKerasEquation() {
        INDArray x = kerasInput().mul(40); // values in [0, 200)
        RandomContrast rc = new RandomContrast(0.5).seed(2);
        assertSame(x, rc.invoke(List.of(Tensor.constant(x)), false).get(0).value());
        INDArray y = rc.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        // per channel: (x - mean) * f + mean, with f in [1 - 0, 1 + 0.5] (Keras stores factor 0.5 as (0, 0.5))
        double f = Double.NaN;
        for (int ch = 0; ch < 2; ch++) {
            double mean = 0;
            for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) mean += x.getDouble(0, i, j, ch) / 24;
            for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) {
                double xv = x.getDouble(0, i, j, ch), yv = y.getDouble(0, i, j, ch);
                if (Math.abs(xv - mean) > 1 && yv > 0 && yv < 255) {
                    double fi = (yv - mean) / (xv - mean);
                    if (Double.isNaN(f)) f = fi;
                    assertEquals(f, fi, 1e-4, "one factor per image");
                }
            }
        }
        assertTrue(f >= 1 && f <= 1.5, "factor " + f);
        // clipping to value_range
        INDArray z = new RandomContrast(1.0).valueRange(0, 1).seed(1).invoke(List.of(Tensor.constant(x)), true).get(0).value();
        assertTrue(z.maxNumber().doubleValue() <= 1 && z.minNumber().doubleValue() >= 0);
        assertThrows(IllegalArgumentException.class, () -> new RandomContrast(1.5));
        assertThrows(IllegalArgumentException.class, () -> new RandomContrast(-0.1));
    }

    @Test
    void randomBrightnessAddsOneDeltaPerImageAndClips() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4, 5, 3).muli(100).addi(50);
        RandomBrightness rb = new RandomBrightness(0.1).seed(4);
        assertSame(x, rb.invoke(List.of(Tensor.constant(x)), false).get(0).value());
        INDArray y = rb.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        List<Double> deltas = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            double d = y.getDouble(b, 0, 0, 0) - x.getDouble(b, 0, 0, 0);
            assertTrue(Math.abs(d) <= 0.1 * 255 + 1e-3, "delta within factor * (255 - 0): " + d);
            INDArray diff = y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)).sub(x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)));
            assertEquals(d, diff.maxNumber().doubleValue(), 1e-4);
            assertEquals(d, diff.minNumber().doubleValue(), 1e-4);
            deltas.add(d);
        }
        assertNotEquals(deltas.get(0), deltas.get(1));
        INDArray z = new RandomBrightness(1, 1).invoke(List.of(Tensor.constant(x)), true).get(0).value();
        assertEquals(255.0, z.minNumber().doubleValue(), 0, "factor 1: fully white (clipped to 255)");
        assertThrows(IllegalArgumentException.class, () -> new RandomBrightness(1.2));
    }

    @Test
    void normalizationAdaptAsKeras() {
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 6, 8, 0.5f, -1, 2, 3, 3, 3}, new long[] {4, 3}, 'c');
        Normalization n = new Normalization();
        n.adapt(x);
        // Keras 3.15.1 printed adapt_mean [2.125, 2.5, 4.0], adapt_variance [2.046875, 6.25, 5.5]
        assertArrayEquals(new double[] {2.125, 2.5, 4.0}, flat(n.weights().get(0).value()), 1e-6);
        assertArrayEquals(new double[] {2.046875, 6.25, 5.5}, flat(n.weights().get(1).value()), 1e-6);
        assertEquals(List.of("mean", "variance", "count"), n.weights().stream().map(w -> w.name()).toList());
        assertTrue(n.weights().stream().noneMatch(w -> w.trainable()));
        assertEquals(DataType.INT, n.weights().get(2).value().dataType());
        assertArrayEquals(new double[] {-0.7863336205482483, -0.20000000298023224, -0.42640143632888794, 1.3105560541152954, 1.399999976158142,
            1.7056057453155518, -1.1358152627944946, -1.399999976158142, -0.8528028726577759, 0.6115928292274475, 0.20000000298023224,
            -0.42640143632888794}, flat(n.apply(x)), 1e-6);
        // adapt on batches merges means and variances: equal to the whole array's
        Normalization all = new Normalization().axis();
        all.adapt(List.of(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 3)),
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 4))));
        double mean = x.meanNumber().doubleValue();
        double var = x.castTo(DataType.DOUBLE).sub(mean).norm2Number().doubleValue();
        var = var * var / 12;
        assertEquals(mean, all.weights().get(0).value().getDouble(), 1e-6);
        assertEquals(var, all.weights().get(1).value().getDouble(), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> n.adapt(Nd4j.zeros(DataType.FLOAT, 2, 4)));
    }

    @Test
    void normalizationGivenMeanAndVarianceAndInvert() {
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 6, 8, 0.5f, -1, 2, 3, 3, 3}, new long[] {4, 3}, 'c');
        Normalization inv = new Normalization().mean(2.0).variance(4.0).invert(true);
        // Keras: [4, 6, 8, 10, 14, 18, 3, 0, 6, 8, 8, 8]
        assertArrayEquals(new double[] {4, 6, 8, 10, 14, 18, 3, 0, 6, 8, 8, 8}, flat(inv.apply(x)), 1e-6);
        assertTrue(inv.weights().isEmpty(), "no weights when mean and variance are given");
        Normalization n = new Normalization().mean(1, 2, 3).variance(1, 4, 0);
        INDArray y = n.apply(x);
        assertEquals((6 - 2) / 2.0, y.getDouble(1, 1), 1e-6);
        assertEquals((8 - 3) / 1e-7, y.getDouble(1, 2), 1, "variance 0: divided by epsilon 1e-7");
        assertThrows(IllegalArgumentException.class, () -> new Normalization().mean(1.0).apply(x));
    }

    @Test
    void configsHaveKerasKeysAndRoundTrip() {
        String[] base = {"name", "trainable", "dtype"};
        LayerTestSupport.configRoundTrip(new Resizing(3, 4).interpolation("nearest").cropToAspectRatio(true), "Resizing",
                cat(base, "data_format", "height", "width", "interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode",
                        "fill_value", "antialias"));
        LayerTestSupport.configRoundTrip(new CenterCrop(2, 3), "CenterCrop", cat(base, "data_format", "height", "width"));
        Layer rc = LayerTestSupport.configRoundTrip(new RandomCrop(2, 3), "RandomCrop", cat(base, "data_format", "height", "width", "seed"));
        assertTrue(rc.getConfig().get("seed") instanceof Number, "a seed is drawn when none is given, as Keras's make_default_seed");
        LayerTestSupport.configRoundTrip(new RandomHeight(0.2).seed(3), "RandomHeight", cat(base, "factor", "interpolation", "seed"));
        LayerTestSupport.configRoundTrip(new RandomWidth(-0.1, 0.3).interpolation("nearest"), "RandomWidth", cat(base, "factor", "interpolation", "seed"));
        LayerTestSupport.configRoundTrip(new RandomContrast(0.2), "RandomContrast", cat(base, "data_format", "factor", "value_range", "seed"));
        LayerTestSupport.configRoundTrip(new RandomBrightness(0.2).valueRange(1, 0), "RandomBrightness", cat(base, "data_format", "factor", "value_range", "seed"));
        LayerTestSupport.configRoundTrip(new Normalization(), "Normalization", cat(base, "axis", "invert", "mean", "variance"));
        LayerTestSupport.configRoundTrip(new Normalization().axis(1, 2).mean(1, 2).variance(1, 4), "Normalization", cat(base, "axis", "invert", "mean", "variance"));
        // values as Keras writes them
        assertEquals(List.of(0.0, 0.2), new RandomContrast(0.2).getConfig().get("factor"));
        assertEquals(List.of(-0.2, 0.2), new RandomBrightness(0.2).getConfig().get("factor"));
        assertEquals(List.of(0.0, 1.0), new RandomBrightness(0.2).valueRange(1, 0).getConfig().get("value_range"));
        assertEquals(2.0, new Normalization().mean(2.0).variance(4.0).getConfig().get("mean"));
        assertEquals(List.of(-1), new Normalization().getConfig().get("axis"));
        // Keras's JSON (3.15.1) loads
        Layer k = org.cornu.core.saving.LayerFactory.create("Normalization", LayerTestSupport.json("{\"name\": \"normalization_2\", \"trainable\": true,"
                + " \"axis\": [1, 2], \"invert\": false, \"mean\": [1.0, 2.0], \"variance\": [1.0, 4.0]}"));
        assertEquals(List.of(1, 2), k.getConfig().get("axis"));
        Layer none = org.cornu.core.saving.LayerFactory.create("Normalization", LayerTestSupport.json("{\"name\": \"n\", \"axis\": null}"));
        assertEquals(List.of(), none.getConfig().get("axis"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> org.cornu.core.saving.LayerFactory.create("Resizing",
                LayerTestSupport.json("{\"name\": \"r\", \"height\": 2, \"width\": 2, \"data_format\": \"channels_first\"}")));
        assertTrue(e.getMessage().contains("channels_last"), e.getMessage());
        assertFalse(new Resizing(2, 2).getConfig().containsKey("seed"));
    }

    private static String[] cat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
