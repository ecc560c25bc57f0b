package org.cornu.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.ops.ImageTransforms;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Finite-difference checks (float64) of the differentiable resampling behind the augmentation layers. */
class AugmentationGradientTest {
    @BeforeEach
    void float64() {
        Cornu.setFloatx("float64");
    }

    @AfterEach
    void float32() {
        Cornu.setFloatx("float32");
    }

    static INDArray rand(long seed, long... shape) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), shape).castTo(DataType.DOUBLE);
    }

    /** Central differences of sum(apply(x) * r) against the tape's gradient. */
    static void check(double[][] ts, String fill, String interp) {
        INDArray x = rand(1, 2, 4, 5, 2);
        INDArray r = rand(2, 2, 4, 5, 2);
        Tensor xv = Tensor.variable(x);
        try (Tape tape = Tape.record()) {
            Tensor y = ImageTransforms.apply(xv, ts, fill, interp, 0.5);
            tape.backward(Ops.sum(Ops.mul(y, Tensor.constant(r))));
        }
        INDArray g = xv.grad();
        assertNotNull(g);
        double h = 1e-6;
        for (long i = 0; i < x.length(); i++) {
            double orig = x.getDouble(i);
            x.putScalar(i, orig + h);
            double fp = ImageTransforms.apply(Tensor.constant(x), ts, fill, interp, 0.5).value().mul(r).sumNumber().doubleValue();
            x.putScalar(i, orig - h);
            double fm = ImageTransforms.apply(Tensor.constant(x), ts, fill, interp, 0.5).value().mul(r).sumNumber().doubleValue();
            x.putScalar(i, orig);
            assertEquals((fp - fm) / (2 * h), g.getDouble(i), 1e-6, fill + "/" + interp + " element " + i);
        }
    }

    @Test
    void resamplingGradientsMatchFiniteDifferences() {
        double a = 0.3;
        double[][] ts = {
            {Math.cos(a), -Math.sin(a), 0.7, Math.sin(a), Math.cos(a), -0.4},   // rotation + shift
            {1.3, 0.2, -0.6, -0.1, 0.8, 0.9}};                                   // zoom + shear
        for (String fill : List.of("reflect", "wrap", "nearest", "constant")) {
            check(ts, fill, "bilinear");
            check(ts, fill, "nearest");
        }
    }

    @Test
    void flipGradientIsTheMirroredOutputGradient() {
        INDArray x = rand(3, 1, 3, 4, 2);
        INDArray r = rand(4, 1, 3, 4, 2);
        int flips = 0;
        RandomFlip flip = null;
        for (long seed = 0; seed < 6; seed++) {
        Tensor xv = Tensor.variable(x);
        flip = new RandomFlip("horizontal").seed(seed);
        INDArray y;
        try (Tape tape = Tape.record()) {
            Tensor out = flip.invoke(List.of(xv), true).get(0);
            y = out.value();
            tape.backward(Ops.sum(Ops.mul(out, Tensor.constant(r))));
        }
        boolean flipped = !y.equals(x);
        if (flipped) flips++;
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 4; col++) {
                int src = flipped ? 3 - col : col;
                for (int k = 0; k < 2; k++) {
                    assertEquals(x.getDouble(0, row, src, k), y.getDouble(0, row, col, k), 0);
                    assertEquals(r.getDouble(0, row, col, k), xv.grad().getDouble(0, row, src, k), 1e-12);
                }
            }
        }
        }
        assertTrue(flips > 0 && flips < 6, flips + " of 6 seeds flipped");
        // inference: identity, gradient passes unchanged
        Tensor xi = Tensor.variable(x);
        try (Tape tape = Tape.record()) {
            tape.backward(Ops.sum(Ops.mul(flip.invoke(List.of(xi), false).get(0), Tensor.constant(r))));
        }
        assertEquals(r, xi.grad());
    }
}
