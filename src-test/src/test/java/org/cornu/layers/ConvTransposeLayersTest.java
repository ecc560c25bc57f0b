package org.cornu.layers;

import static org.cornu.layers.LayerGradientTest.checkLayer;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.saving.LayerFactory;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SeparableConv2D, Conv2DTranspose and Conv1DTranspose: outputs equal to Keras 3.15.1's on the
 * same weights ({@code /layers/conv_transpose_keras315.json}, written by the script beside it),
 * the transposed convolution as the adjoint of a convolution written as loops, float64
 * finite-difference gradients, Keras's output shapes, configs and errors.
 */
class ConvTransposeLayersTest extends Float64Test {

    // ------------------------------------------------------------------ Keras's numbers

    /** The layer of each case of the reference file, as the Python script builds it. */
    static Layer kerasCase(String name) {
        return switch (name) {
            case "t2 valid k(3,2) s(2,3)" -> new Conv2DTranspose(3, new int[] {3, 2}, null).strides(2, 3);
            case "t2 same k3 s2 op(1,0)" -> new Conv2DTranspose(2, 3).strides(2).padding("same").outputPadding(1, 0);
            case "t2 same k4 s2" -> new Conv2DTranspose(2, 4).strides(2).padding("same");
            case "t2 valid k3 d2" -> new Conv2DTranspose(2, 3).dilationRate(2);
            case "t2 valid k2 s3 op(2,1)" -> new Conv2DTranspose(2, 2).strides(3).outputPadding(2, 1);
            case "t2 same k(2,3) s(3,2) op(0,1)" -> new Conv2DTranspose(2, new int[] {2, 3}, null).strides(3, 2)
                    .padding("same").outputPadding(0, 1);
            case "t1 same k4 s3" -> new Conv1DTranspose(2, 4).strides(3).padding("same");
            case "t1 valid k3 s2 op1" -> new Conv1DTranspose(3, 3).strides(2).outputPadding(1);
            case "t1 same k3 d2" -> new Conv1DTranspose(2, 3).dilationRate(2).padding("same");
            case "sep same k3 s2 m2" -> new SeparableConv2D(3, 3).strides(2).padding("same").depthMultiplier(2);
            case "sep valid k(2,3) d2" -> new SeparableConv2D(2, new int[] {2, 3}, null).dilationRate(2);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The script's formulas: {@code ((mul*i) % mod - off) / off} over the flat index. */
    static INDArray pattern(long[] shape, int mul, int mod, int off) {
        long n = 1;
        for (long d : shape) n *= d;
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) v[i] = ((mul * (long) i) % mod - off) / (double) off;
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> kerasCases() throws Exception {
        try (InputStream in = ConvTransposeLayersTest.class.getResourceAsStream("/layers/conv_transpose_keras315.json")) {
            Map<String, Object> all = new ObjectMapper().readValue(in, Map.class);
            assertEquals("3.15.1", all.get("keras"));
            return (Map<String, Object>) all.get("cases");
        }
    }

    static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"t2 valid k(3,2) s(2,3)", "t2 same k3 s2 op(1,0)", "t2 same k4 s2", "t2 valid k3 d2",
            "t2 valid k2 s3 op(2,1)", "t2 same k(2,3) s(3,2) op(0,1)", "t1 same k4 s3", "t1 valid k3 s2 op1",
            "t1 same k3 d2", "sep same k3 s2 m2", "sep valid k(2,3) d2"})
    @SuppressWarnings("unchecked")
    void outputsEqualKeras(String name) throws Exception {
        Cornu.setFloatx("float32");
        Map<String, Object> c = (Map<String, Object>) kerasCases().get(name);
        Layer l = kerasCase(name);
        long[] in = longs(c.get("input"));
        l.build(Shape.of(in).with(0, Shape.NONE));
        List<Object> ws = (List<Object>) c.get("weights");
        assertEquals(ws.size(), l.weights().size(), "weights of " + name);
        for (int i = 0; i < ws.size(); i++) {
            Weight w = l.weights().get(i);
            assertArrayEquals(longs(ws.get(i)), w.shape(), "shape of weight " + w.name());
            if (w.shape().length == 1) {
                for (int f = 0; f < w.shape()[0]; f++) w.value().putScalar(f, 0.1 * (f + 1));
            } else {
                w.assign(pattern(w.shape(), 5, 13, 6));
            }
        }
        INDArray y = l.apply(pattern(in, 7, 11, 5));
        long[] shape = longs(c.get("shape"));
        assertArrayEquals(shape, y.shape(), "output shape of " + name);
        assertEquals(Shape.of(shape).with(0, Shape.NONE), l.computeOutputShape(Shape.of(in).with(0, Shape.NONE)));
        double[] want = ((List<?>) c.get("output")).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        double[] got = y.dup('c').data().asDouble();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 2e-6, name + " at flat index " + i);
    }

    @Test
    void weightNamesAndShapesAreKeras() {
        SeparableConv2D s = new SeparableConv2D(5, 3).depthMultiplier(2);
        s.build(Shape.of(-1, 8, 8, 3));
        assertEquals(List.of("depthwise_kernel", "pointwise_kernel", "bias"), s.weights().stream().map(Weight::name).toList());
        assertArrayEquals(new long[] {3, 3, 3, 2}, s.depthwiseKernel().shape());
        assertArrayEquals(new long[] {1, 1, 6, 5}, s.pointwiseKernel().shape());
        assertEquals(3 * 3 * 3 * 2 + 6 * 5 + 5, s.countParams());
        Conv2DTranspose t = new Conv2DTranspose(5, new int[] {3, 2}, null);
        t.build(Shape.of(-1, 8, 8, 3));
        assertEquals(List.of("kernel", "bias"), t.weights().stream().map(Weight::name).toList());
        assertArrayEquals(new long[] {3, 2, 5, 3}, t.kernel().shape());
        Conv1DTranspose t1 = new Conv1DTranspose(4, 3).useBias(false);
        t1.build(Shape.of(-1, 10, 6));
        assertEquals(1, t1.weights().size());
        assertArrayEquals(new long[] {3, 4, 6}, t1.kernel().shape());
    }

    // ------------------------------------------------------------------ adjoint of a convolution

    /**
     * A convolution as loops: {@code out[b, i, j, c] = sum_{a, e, f} z[b, i*s + a*d - pt, j*s +
     * e*d - pl, f] * k[a, e, f, c]} for {@code (i, j)} below {@code (h, w)}, cells outside
     * {@code z} being zero, with Keras's "same" padding {@code pt = max((h-1)*s + d*(kh-1) + 1 -
     * H, 0) / 2} or none.
     */
    static INDArray conv(INDArray z, INDArray k, int s, int d, boolean same, long h, long w) {
        long n = z.size(0), hz = z.size(1), wz = z.size(2), f = z.size(3), c = k.size(3);
        int kh = (int) k.size(0), kw = (int) k.size(1);
        long pt = same ? Math.max((h - 1) * s + (long) d * (kh - 1) + 1 - hz, 0) / 2 : 0;
        long pl = same ? Math.max((w - 1) * s + (long) d * (kw - 1) + 1 - wz, 0) / 2 : 0;
        INDArray o = Nd4j.zeros(DataType.DOUBLE, n, h, w, c);
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int ci = 0; ci < c; ci++) {
                        double acc = 0;
                        for (int a = 0; a < kh; a++) {
                            for (int e = 0; e < kw; e++) {
                                long y = i * (long) s + (long) a * d - pt, x = j * (long) s + (long) e * d - pl;
                                if (y < 0 || y >= hz || x < 0 || x >= wz) continue;
                                for (int fi = 0; fi < f; fi++) acc += z.getDouble(b, y, x, fi) * k.getDouble(a, e, fi, ci);
                            }
                        }
                        o.putScalar(new long[] {b, i, j, ci}, acc);
                    }
                }
            }
        }
        return o;
    }

    @ParameterizedTest(name = "same={0} kernel={1} strides={2} dilation={3} outputPadding={4}")
    @CsvSource({"false,3,1,1,-1", "true,3,1,1,-1", "false,3,2,1,-1", "true,3,2,1,-1", "true,4,2,1,-1", "false,2,3,1,-1",
            "true,2,3,1,-1", "false,3,1,2,-1", "true,3,1,2,-1", "true,5,3,1,-1", "false,3,2,1,1", "false,2,3,1,2",
            "false,1,2,1,0"})
    void transposedConvolutionIsTheAdjointOfConvolution(boolean same, int k, int s, int d, int op) {
        INDArray y = rand(41, -1, 1, 2, 4, 3, 3);
        INDArray kernel = rand(42, -1, 1, k, k, 2, 3);
        int[] ops = op < 0 ? null : new int[] {op, op};
        Tensor t = ConvOps.convTranspose2d(Tensor.constant(y), Tensor.constant(kernel), new int[] {s, s}, same, ops,
                new int[] {d, d});
        long oh = ConvOps.transposeOutputLength(4, k, s, same, op, d), ow = ConvOps.transposeOutputLength(3, k, s, same, op, d);
        assertArrayEquals(new long[] {2, oh, ow, 2}, t.shape());
        INDArray z = rand(43, -1, 1, 2, oh, ow, 2);
        // <conv(z), y> = <z, conv_transpose(y)>: the same kernel read as (kh, kw, in=filters, out=channels)
        double left = conv(z, kernel, s, d, same, 4, 3).mul(y).sumNumber().doubleValue();
        double right = z.mul(t.value()).sumNumber().doubleValue();
        assertEquals(left, right, 1e-12);
        // and the whole map, basis vector by basis vector of the output: column e_q of conv^T is conv's row q
        for (long q = 0; q < z.length(); q += 7) {
            INDArray e = Nd4j.zeros(DataType.DOUBLE, z.shape());
            e.putScalar(q, 1.0);
            INDArray row = conv(e, kernel, s, d, same, 4, 3);
            assertEquals(row.mul(y).sumNumber().doubleValue(), t.value().getDouble(q), 1e-12, "output cell " + q);
        }
    }

    @Test
    void conv1dTransposeIsTheAdjointOfConv1D() {
        // Conv1D "valid", stride 2, on 9 steps gives 4; Conv1DTranspose(stride 2, output_padding 0) maps 4 steps back to 9
        Conv1D conv = new Conv1D(3, 3).strides(2).useBias(false);
        conv.build(Shape.of(-1, 9, 2));
        Conv1DTranspose tr = new Conv1DTranspose(2, 3).strides(2).outputPadding(0).useBias(false);
        tr.build(Shape.of(-1, 4, 3));
        // Conv1D's kernel (k, in=2, out=3) is the transposed layer's (k, filters=2, in=3)
        tr.kernel().assign(conv.kernel().value());
        INDArray z = rand(44, -1, 1, 2, 9, 2), y = rand(45, -1, 1, 2, 4, 3);
        INDArray cz = conv.apply(z), ty = tr.apply(y);
        assertArrayEquals(new long[] {2, 9, 2}, ty.shape());
        assertEquals(cz.mul(y).sumNumber().doubleValue(), z.mul(ty).sumNumber().doubleValue(), 1e-12);
    }

    @Test
    void separableIsDepthwiseThenPointwise() {
        SeparableConv2D s = new SeparableConv2D(4, 3).depthMultiplier(2).padding("same").strides(2)
                .biasInitializer("random_normal").activation("tanh");
        s.build(Shape.of(-1, 7, 6, 3));
        DepthwiseConv2D dw = new DepthwiseConv2D(3).depthMultiplier(2).padding("same").strides(2).useBias(false);
        dw.build(Shape.of(-1, 7, 6, 3));
        dw.kernel().assign(s.depthwiseKernel().value());
        Conv2D pw = new Conv2D(4, 1, "tanh");
        pw.build(Shape.of(-1, 4, 3, 6));
        pw.kernel().assign(s.pointwiseKernel().value());
        pw.bias().assign(s.bias().value());
        INDArray x = rand(46, -1, 1, 2, 7, 6, 3);
        INDArray want = pw.apply(dw.apply(x));
        assertEquals(0.0, s.apply(x).sub(want).amaxNumber().doubleValue(), 1e-12);
    }

    // ------------------------------------------------------------------ gradients

    @ParameterizedTest(name = "padding={0} strides={1} dilation={2} outputPadding={3}")
    @CsvSource({"valid,1,1,-1", "same,1,1,-1", "valid,2,1,-1", "same,2,1,-1", "same,2,1,1", "valid,3,1,2", "same,1,2,-1",
            "valid,1,2,0"})
    void conv2dTransposeGradients(String padding, int s, int d, int op) {
        Conv2DTranspose t = new Conv2DTranspose(2, new int[] {3, 2}, "tanh").padding(padding).strides(s).dilationRate(d)
                .biasInitializer("random_normal");
        if (op >= 0) t.outputPadding(op);
        checkLayer(t, rand(51, -1, 1, 2, 3, 4, 3));
    }

    @ParameterizedTest(name = "padding={0} strides={1} dilation={2}")
    @CsvSource({"valid,1,1", "same,3,1", "valid,2,1", "same,1,2"})
    void conv1dTransposeGradients(String padding, int s, int d) {
        checkLayer(new Conv1DTranspose(3, 4).padding(padding).strides(s).dilationRate(d).biasInitializer("random_normal"),
                rand(52, -1, 1, 2, 5, 2));
    }

    @ParameterizedTest(name = "padding={0} strides={1} dilation={2} multiplier={3}")
    @CsvSource({"valid,1,1,1", "same,2,1,2", "same,1,2,1", "valid,2,1,3"})
    void separableConv2dGradients(String padding, int s, int d, int m) {
        checkLayer(new SeparableConv2D(3, 3).padding(padding).strides(s).dilationRate(d).depthMultiplier(m)
                .activation("tanh").biasInitializer("random_normal"), rand(53, -1, 1, 2, 6, 5, 2));
    }

    // ------------------------------------------------------------------ shapes, configs, errors

    @Test
    void outputShapesFollowKeras() {
        Shape in = Shape.of(-1, 5, 7, 3);
        // valid: (n-1)*s + k + max(k, s) - k; same: n*s; with output padding (n-1)*s + k%2 + p ("same") or + k + p
        assertEquals(Shape.of(-1, 7, 9, 4), new Conv2DTranspose(4, 3).computeOutputShape(in));
        assertEquals(Shape.of(-1, 11, 15, 4), new Conv2DTranspose(4, 3).strides(2).computeOutputShape(in));
        assertEquals(Shape.of(-1, 15, 21, 4), new Conv2DTranspose(4, 2).strides(3).computeOutputShape(in));
        assertEquals(Shape.of(-1, 10, 14, 4), new Conv2DTranspose(4, 3).strides(2).padding("same").computeOutputShape(in));
        assertEquals(Shape.of(-1, 10, 13, 4), new Conv2DTranspose(4, 3).strides(2).padding("same").outputPadding(1, 0)
                .computeOutputShape(in));
        assertEquals(Shape.of(-1, 9, 11, 4), new Conv2DTranspose(4, 3).dilationRate(2).computeOutputShape(in));
        assertEquals(Shape.of(-1, -1, 16, 4), new Conv2DTranspose(4, 3).strides(2).outputPadding(1)
                .computeOutputShape(Shape.of(-1, -1, 7, 3)));
        assertEquals(Shape.of(-1, 22, 8), new Conv1DTranspose(8, 4).strides(2).computeOutputShape(Shape.of(-1, 10, 3)));
        assertEquals(Shape.of(-1, 2, 3, 6), new SeparableConv2D(6, 3).strides(2).computeOutputShape(in));
        assertEquals(Shape.of(-1, 3, 4, 6), new SeparableConv2D(6, 3).strides(2).padding("same").computeOutputShape(in));
    }

    @Test
    void configKeysAreKeras3s() {
        // Keras 3.15.1's get_config() keys, in its order
        assertEquals(List.of("name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "output_padding",
                "data_format", "dilation_rate", "activation", "use_bias", "kernel_initializer", "bias_initializer",
                "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"),
                new ArrayList<>(new Conv2DTranspose(4, 3).getConfig().keySet()));
        assertEquals(new ArrayList<>(new Conv2DTranspose(4, 3).getConfig().keySet()),
                new ArrayList<>(new Conv1DTranspose(4, 3).getConfig().keySet()));
        assertEquals(List.of("name", "trainable", "dtype", "depth_multiplier", "filters", "kernel_size", "strides", "padding",
                "data_format", "dilation_rate", "activation", "use_bias", "depthwise_initializer", "pointwise_initializer",
                "bias_initializer", "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
                "activity_regularizer", "depthwise_constraint", "pointwise_constraint", "bias_constraint"),
                new ArrayList<>(new SeparableConv2D(4, 3).getConfig().keySet()));
        Map<String, Object> c = new Conv1DTranspose(4, 3).strides(2).outputPadding(1).getConfig();
        assertEquals(List.of(3), c.get("kernel_size"));
        assertEquals(List.of(1), c.get("output_padding"));
        assertEquals(null, new Conv2DTranspose(4, 3).getConfig().get("output_padding"));
    }

    @Test
    void configsAsKerasWritesThemAreRead() throws Exception {
        // Keras 3.15.1's get_config() of Conv1DTranspose(4, 3, strides=2, output_padding=1, activation="relu")
        String t1 = "{\"name\": \"ct\", \"trainable\": true, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\","
                + " \"config\": {\"name\": \"float32\"}, \"registered_name\": null}, \"filters\": 4, \"kernel_size\": [3],"
                + " \"strides\": [2], \"padding\": \"valid\", \"output_padding\": [1], \"data_format\": \"channels_last\","
                + " \"dilation_rate\": [1], \"activation\": \"relu\", \"use_bias\": true, \"kernel_initializer\": {\"module\":"
                + " \"keras.initializers\", \"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null, \"input_axes\": null,"
                + " \"output_axes\": null}, \"registered_name\": null}, \"bias_initializer\": {\"module\": \"keras.initializers\","
                + " \"class_name\": \"Zeros\", \"config\": {}, \"registered_name\": null}, \"kernel_regularizer\": null,"
                + " \"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, \"bias_constraint\": null}";
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = new ObjectMapper().readValue(t1, Map.class);
        Layer l = LayerFactory.create("Conv1DTranspose", cfg);
        assertTrue(l instanceof Conv1DTranspose);
        assertEquals(Shape.of(-1, 10, 4), l.computeOutputShape(Shape.of(-1, 4, 2)));  // 3*2 + 3 + 1
        assertEquals("relu", l.getConfig().get("activation"));
        for (Layer a : List.<Layer>of(new Conv2DTranspose(3, new int[] {2, 3}, "relu").strides(2, 1).padding("same")
                        .outputPadding(1, 0).useBias(false).kernelRegularizer("l2"),
                new Conv1DTranspose(2, 5).dilationRate(2).biasInitializer("ones"),
                new SeparableConv2D(8, 3).depthMultiplier(3).dilationRate(2).pointwiseInitializer("he_normal")
                        .depthwiseConstraint("non_neg").activation("relu"))) {
            Map<String, Object> c = a.getConfig();
            Layer b = LayerFactory.create(a.getClass().getSimpleName(), c);
            assertEquals(c, b.getConfig(), a.getClass().getSimpleName());
        }
    }

    @Test
    void errorsNameTheLayerAndArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2DTranspose(4, 3).outputPadding(2).strides(2).computeOutputShape(Shape.of(-1, 5, 5, 3)));
        assertTrue(e.getMessage().contains("Conv2DTranspose") && e.getMessage().contains("output_padding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1DTranspose(4, 3).dataFormat("channels_first"));
        assertTrue(e.getMessage().contains("Conv1DTranspose") && e.getMessage().contains("channels_first"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SeparableConv2D(4, 3).dataFormat("channels_first"));
        assertTrue(e.getMessage().contains("SeparableConv2D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(4, 3).strides(2).dilationRate(2));
        assertTrue(e.getMessage().contains("dilation_rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SeparableConv2D(4, 3).depthMultiplier(0));
        assertTrue(e.getMessage().contains("depth_multiplier"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(4, 3).padding("causal"));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2DTranspose(0, 3));
        assertTrue(e.getMessage().contains("filters"), e.getMessage());
        Conv2DTranspose t = new Conv2DTranspose(4, 3);
        e = assertThrows(IllegalArgumentException.class, () -> t.build(Shape.of(-1, 5, 3)));
        assertTrue(e.getMessage().contains("ndim=4"), e.getMessage());
    }
}
