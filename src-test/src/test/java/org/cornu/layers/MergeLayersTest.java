package org.cornu.layers;

import static org.cornu.layers.LayerGradientTest.checkLayer;
import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.cornu.layers.LayerTestSupport.d;
import static org.cornu.layers.LayerTestSupport.json;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.LayerFactory;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Multiply, Subtract, Average, Maximum, Minimum, Dot, Permute and Identity: Keras's equations, gradients, configs. */
class MergeLayersTest extends Float64Test {
    private static INDArray run(Layer l, INDArray... xs) {
        List<Tensor> ts = new java.util.ArrayList<>();
        for (INDArray x : xs) ts.add(Tensor.constant(x));
        return l.invoke(ts, false).get(0).value();
    }

    @Test
    void elementwiseMergesAreNumpys() {
        INDArray a = rand(1, -1, 1, 3, 4), b = rand(2, -1, 1, 3, 4), c = rand(3, -1, 1, 3, 4);
        assertEquals(a.mul(b).mul(c), run(new Multiply(), a, b, c));
        assertEquals(a.sub(b), run(new Subtract(), a, b));
        INDArray avg = run(new Average(), a, b, c);
        for (long i = 0; i < a.length(); i++) {
            assertEquals((a.getDouble(i) + b.getDouble(i) + c.getDouble(i)) / 3, avg.getDouble(i), 1e-12);
            assertEquals(Math.max(a.getDouble(i), Math.max(b.getDouble(i), c.getDouble(i))), run(new Maximum(), a, b, c).getDouble(i), 0);
            assertEquals(Math.min(a.getDouble(i), Math.min(b.getDouble(i), c.getDouble(i))), run(new Minimum(), a, b, c).getDouble(i), 0);
        }
        // broadcasting, as Keras's Merge: (b, 1, 4) against (b, 3, 4)
        INDArray row = rand(4, -1, 1, 3, 1, 4), full = rand(5, -1, 1, 3, 3, 4);
        INDArray m = run(new Multiply(), row, full);
        assertArrayEquals(new long[] {3, 3, 4}, m.shape());
        assertEquals(row.getDouble(1, 0, 2) * full.getDouble(1, 2, 2), m.getDouble(1, 2, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> run(new Subtract(), a, b, c));
    }

    @Test
    void mergeGradients() {
        for (Layer l : List.of(new Multiply(), new Subtract(), new Average(), new Maximum(), new Minimum())) {
            checkLayer(l, rand(11, -1, 1, 2, 3), rand(12, -1, 1, 2, 3));
        }
        checkLayer(new Maximum(), rand(13, -1, 1, 2, 1, 3), rand(14, -1, 1, 2, 4, 3));
    }

    @Test
    void maskedMergesFollowKeras() {
        // (batch 1, 3 steps, 2 features); a's step 1 and b's step 2 are masked
        INDArray a = d(new long[] {1, 3, 2}, 1, 2, 3, 4, 5, 6), b = d(new long[] {1, 3, 2}, 6, 5, 4, 3, 2, 1);
        INDArray ma = d(new long[] {1, 3}, 1, 0, 1), mb = d(new long[] {1, 3}, 1, 1, 0);
        List<Tensor> in = List.of(Tensor.constant(a).withMask(ma), Tensor.constant(b).withMask(mb));
        // Maximum: a masked step takes the other input's values; the output mask is the OR
        // (values as Keras 3.15.1's Maximum/Minimum/Multiply._merge_function give on these inputs)
        Tensor mx = new Maximum().invoke(in, false).get(0);
        assertArrayEquals(new double[] {6, 5, 4, 3, 5, 6}, mx.value().data().asDouble(), 0);
        assertArrayEquals(new double[] {1, 2, 4, 3, 5, 6}, new Minimum().invoke(in, false).get(0).value().data().asDouble(), 0);
        assertArrayEquals(new double[] {1, 1, 1}, mx.mask().data().asDouble(), 0);
        // Multiply: masked steps count as 1
        Tensor mu = new Multiply().invoke(in, false).get(0);
        assertArrayEquals(new double[] {6, 10, 4, 3, 5, 6}, mu.value().data().asDouble(), 0);
        // Add-like merges keep the values and OR the masks; one unmasked input drops the mask
        assertNull(new Subtract().invoke(List.of(Tensor.constant(a).withMask(ma), Tensor.constant(b)), false).get(0).mask());
    }

    /** Keras's batch_dot by its definition: sum over the contracted axes. */
    @Test
    void dotIsKerasBatchDot() {
        INDArray x = rand(21, -1, 1, 2, 3), y = rand(22, -1, 1, 2, 3);
        INDArray z = run(new Dot(1), x, y);
        assertArrayEquals(new long[] {2, 1}, z.shape());
        for (int b = 0; b < 2; b++) {
            double s = 0, nx = 0, ny = 0;
            for (int i = 0; i < 3; i++) {
                s += x.getDouble(b, i) * y.getDouble(b, i);
                nx += x.getDouble(b, i) * x.getDouble(b, i);
                ny += y.getDouble(b, i) * y.getDouble(b, i);
            }
            assertEquals(s, z.getDouble(b, 0), 1e-12);
            // normalize: cosine proximity
            assertEquals(s / Math.sqrt(nx * ny), run(new Dot(1).normalize(true), x, y).getDouble(b, 0), 1e-12);
        }
        // (b, 4, 2) . (b, 3, 2) over axes (2, 2): (b, 4, 3), out[b, i, j] = sum_k p[b, i, k] q[b, j, k]
        INDArray p = rand(23, -1, 1, 2, 4, 2), q = rand(24, -1, 1, 2, 3, 2);
        INDArray o = run(new Dot(new int[] {2, 2}), p, q);
        assertArrayEquals(new long[] {2, 4, 3}, o.shape());
        // (b, 2, 4) . (b, 2, 3) over axes (1, 1): (b, 4, 3)
        INDArray o2 = run(new Dot(1), p.permute(0, 2, 1).dup(), q.permute(0, 2, 1).dup());
        for (int b = 0; b < 2; b++) for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 2; k++) s += p.getDouble(b, i, k) * q.getDouble(b, j, k);
            assertEquals(s, o.getDouble(b, i, j), 1e-12);
            assertEquals(s, o2.getDouble(b, i, j), 1e-12);
        }
        // (b, 4, 2) . (b, 2) over axes (-1, -1): (b, 4)
        INDArray v = rand(25, -1, 1, 2, 2);
        INDArray o3 = run(new Dot(-1), p, v);
        assertArrayEquals(new long[] {2, 4}, o3.shape());
        assertEquals(p.getDouble(1, 3, 0) * v.getDouble(1, 0) + p.getDouble(1, 3, 1) * v.getDouble(1, 1), o3.getDouble(1, 3), 1e-12);
        KerasTensor ka = Input.of(4, 2), kb = Input.of(3, 2);
        assertEquals(Shape.of(-1, 4, 3), new Dot(new int[] {2, 2}).apply(ka, kb).shape());
        checkLayer(new Dot(new int[] {2, 2}), p, q);
        checkLayer(new Dot(1).normalize(true), x, y);
        Exception e = assertThrows(IllegalArgumentException.class, () -> new Dot(1).apply(Input.of(3), Input.of(4)));
        assertTrue(e.getMessage().contains("axis values 3"), e.getMessage());
    }

    @Test
    void permuteAndIdentity() {
        INDArray x = rand(31, -1, 1, 2, 3, 4);
        INDArray y = new Permute(2, 1).apply(x);
        assertArrayEquals(new long[] {2, 4, 3}, y.shape());
        assertEquals(x.getDouble(1, 2, 3), y.getDouble(1, 3, 2), 0);
        assertEquals(Shape.of(-1, 64, 10), new Permute(2, 1).apply(Input.of(10, 64)).shape());
        checkLayer(new Permute(3, 1, 2), rand(32, -1, 1, 2, 3, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new Permute(0, 1));
        Tensor t = Tensor.constant(x);
        assertSame(t, new Identity().invoke(List.of(t), false).get(0));
    }

    @Test
    void configsAreKeras3s() {
        for (Layer l : List.of(new Multiply(), new Subtract(), new Average(), new Maximum(), new Minimum(), new Identity())) {
            configRoundTrip(l, l.getClass().getSimpleName(), "name", "trainable", "dtype");
        }
        Dot d = (Dot) configRoundTrip(new Dot(new int[] {2, 1}).normalize(true), "Dot", "name", "trainable", "dtype", "axes", "normalize");
        assertEquals(List.of(2, 1), d.getConfig().get("axes"));
        assertEquals(1, configRoundTrip(new Dot(1), "Dot", "name", "trainable", "dtype", "axes", "normalize").getConfig().get("axes"));
        Permute p = (Permute) configRoundTrip(new Permute(2, 1), "Permute", "name", "trainable", "dtype", "dims");
        assertArrayEquals(new int[] {2, 1}, p.dims());
        // Keras 3.15.1 writes dims as a list and axes as an int or a list
        assertArrayEquals(new int[] {3, 1, 2}, ((Permute) LayerFactory.create("Permute", json("{\"name\": \"p\", \"dims\": [3, 1, 2]}"))).dims());
        assertEquals(true, ((Dot) LayerFactory.create("Dot", json("{\"name\": \"d\", \"axes\": [1, 2], \"normalize\": true}"))).normalize());
    }
}
