package org.cornu.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.utils.Utils;
import org.cornu.layers.Dense;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The book's workloads, each buildable in Cornu and in DL4J 1.0.0-M2.1 with the same layer
 * sizes, activations, loss, optimizer (RMSprop 0.001, rho 0.9, epsilon 1e-7), batch size and
 * data shapes. Data are synthetic with the real sets' shapes and sparsity (speed does not
 * depend on the values); {@code mlp} uses real MNIST when the file is at hand.
 */
public final class Workloads {
    private Workloads() {}

    /**
     * A dense workload: layer sizes, activations, loss, samples per epoch, batch size.
     *
     * @param name the workload's name
     * @param sizes the layer sizes, input first
     * @param activations one activation per Dense layer
     * @param loss the loss's Keras name
     * @param samples samples per epoch
     * @param batch the batch size
     * @param inputDensity the fraction of ones in the synthetic multi-hot inputs; -1 for standard normal inputs
     * @param description one line for the summary table
     */
    public record Spec(String name, int[] sizes, String[] activations, String loss, int samples, int batch,
                       double inputDensity, String description) {
        /**
         * Multiply-adds of one training epoch: 3 gemms per layer (forward, weight grad, input grad but the first).
         *
         * @return floating-point operations (two per multiply-add) of one epoch
         */
        public double flopsPerEpoch() {
            double f = 0;
            for (int l = 0; l + 1 < sizes.length; l++) {
                double mm = 2.0 * samples * sizes[l] * sizes[l + 1];
                f += l == 0 ? 2 * mm : 3 * mm;
            }
            return f;
        }
    }

    /** MNIST Dense 512 relu, 10 softmax, batch 128, one epoch of 60,000 samples (book 2.1). */
    public static final Spec MLP = new Spec("mlp", new int[] {784, 512, 10}, new String[] {"relu", "softmax"},
            "categorical_crossentropy", 60000, 128, -1, "MNIST Dense 512 relu -> 10 softmax, batch 128, one epoch of 60000");
    /** Reuters multi-hot 10000, 64, 64, 46 softmax, batch 512, 7,982 samples (book 4.2). */
    public static final Spec REUTERS = new Spec("reuters", new int[] {10000, 64, 64, 46}, new String[] {"relu", "relu", "softmax"},
            "categorical_crossentropy", 7982, 512, 0.012, "multi-hot 10000 -> 64 -> 64 -> 46 softmax, batch 512, 7982 samples");
    /** IMDB multi-hot 10000, 16, 16, 1 sigmoid, batch 512, 15,000 samples (book 4.1). */
    public static final Spec IMDB_DENSE = new Spec("imdb_dense", new int[] {10000, 16, 16, 1}, new String[] {"relu", "relu", "sigmoid"},
            "binary_crossentropy", 15000, 512, 0.012, "multi-hot 10000 -> 16 -> 16 -> 1 sigmoid, batch 512, 15000 samples");
    /** Boston housing 13, 64, 64, 1 at batch 1, mse, 303 steps: one K-fold training epoch (book 4.3). */
    public static final Spec BOSTON_B1 = new Spec("boston_b1", new int[] {13, 64, 64, 1}, new String[] {"relu", "relu", "linear"},
            "mse", 303, 1, -1, "13 -> 64 -> 64 -> 1 at batch 1, mse, 303 steps (one K-fold training epoch)");

    /**
     * The workload of a name.
     *
     * @param name {@code "mlp"}, {@code "reuters"}, {@code "imdb_dense"} or {@code "boston_b1"}
     * @return its spec
     * @throws IllegalArgumentException for any other name
     */
    public static Spec spec(String name) {
        return switch (name) {
            case "mlp" -> MLP;
            case "reuters" -> REUTERS;
            case "imdb_dense" -> IMDB_DENSE;
            case "boston_b1" -> BOSTON_B1;
            default -> throw new IllegalArgumentException("Unknown workload '" + name + "'. Known: mlp, reuters, imdb_dense, boston_b1");
        };
    }

    /**
     * Inputs and targets for {@code s}.
     *
     * @param s the workload
     * @return {@code {x, y}}, float32: real MNIST for {@link #MLP} when the file is at hand, else synthetic data of the
     *     workload's shapes (seed 7)
     */
    public static INDArray[] data(Spec s) {
        if (s == MLP) {
            try {
                org.cornu.datasets.Mnist.Split d = org.cornu.datasets.Mnist.loadData();
                return new INDArray[] {d.xTrain().reshape(60000, 784).castTo(DataType.FLOAT).divi(255), Utils.toCategorical(d.yTrain(), 10)};
            } catch (RuntimeException e) {
                // no MNIST file: same shapes, random pixels
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        int n = s.samples(), in = s.sizes()[0], out = s.sizes()[s.sizes().length - 1];
        float[] x = new float[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = s.inputDensity() > 0 ? (r.nextDouble() < s.inputDensity() ? 1f : 0f) : (float) r.nextGaussian();
        }
        INDArray y;
        if (s.loss().equals("categorical_crossentropy")) {
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = r.nextInt(out);
            y = Utils.toCategorical(Nd4j.createFromArray(labels), out);
        } else {
            float[] t = new float[n * out];
            for (int i = 0; i < t.length; i++) t[i] = s.loss().equals("mse") ? (float) (r.nextDouble() * 40) : (r.nextBoolean() ? 1f : 0f);
            y = Nd4j.create(t, new long[] {n, out}, 'c');
        }
        return new INDArray[] {Nd4j.create(x, new long[] {n, in}, 'c'), y};
    }

    /**
     * The Cornu model of {@code s}, compiled.
     *
     * @param s the workload
     * @return the model, compiled with {@code "rmsprop"} and the workload's loss, weights seeded with 1
     */
    public static Sequential cornu(Spec s) {
        Cornu.setSeed(1);
        Sequential m = new Sequential();
        for (int l = 0; l + 1 < s.sizes().length; l++) {
            Dense d = new Dense(s.sizes()[l + 1], s.activations()[l]);
            m.add(l == 0 ? d.inputShape(s.sizes()[0]) : d);
        }
        m.compile("rmsprop", s.loss());
        return m;
    }

    /**
     * One Cornu training epoch.
     *
     * @param m the model of {@link #cornu(Spec)}
     * @param data {@code {x, y}} of {@link #data(Spec)}
     * @param s the workload, for its batch size
     */
    public static void cornuEpoch(Sequential m, INDArray[] data, Spec s) {
        m.fit(data[0], data[1], Fit.epochs(1).batchSize(s.batch()).verbose(0));
    }

    /**
     * The DL4J MultiLayerNetwork of {@code s}, initialized.
     *
     * @param s the workload
     * @return the network: RMSprop(0.001, 0.9, 1e-7), Xavier uniform (Glorot) weights, seed 1, float32
     */
    public static MultiLayerNetwork dl4j(Spec s) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new RmsProp(0.001, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list();
        int last = s.sizes().length - 2;
        for (int l = 0; l <= last; l++) {
            Activation a = switch (s.activations()[l]) {
                case "relu" -> Activation.RELU;
                case "softmax" -> Activation.SOFTMAX;
                case "sigmoid" -> Activation.SIGMOID;
                default -> Activation.IDENTITY;
            };
            if (l < last) {
                b.layer(new DenseLayer.Builder().nIn(s.sizes()[l]).nOut(s.sizes()[l + 1]).activation(a).build());
            } else {
                LossFunctions.LossFunction lf = switch (s.loss()) {
                    case "categorical_crossentropy" -> LossFunctions.LossFunction.MCXENT;
                    case "binary_crossentropy" -> LossFunctions.LossFunction.XENT;
                    default -> LossFunctions.LossFunction.MSE;
                };
                b.layer(new OutputLayer.Builder(lf).nIn(s.sizes()[l]).nOut(s.sizes()[l + 1]).activation(a).build());
            }
        }
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The data split into DL4J mini-batches (unshuffled, which favours DL4J).
     *
     * @param data {@code {x, y}} of {@link #data(Spec)}
     * @param s the workload, for its batch size
     * @return the batches
     */
    public static List<DataSet> dl4jBatches(INDArray[] data, Spec s) {
        return new ArrayList<>(new DataSet(data[0], data[1]).batchBy(s.batch()));
    }

    /**
     * One DL4J training epoch.
     *
     * @param net the network of {@link #dl4j(Spec)}
     * @param batches the batches of {@link #dl4jBatches(INDArray[], Spec)}
     */
    public static void dl4jEpoch(MultiLayerNetwork net, List<DataSet> batches) {
        for (DataSet b : batches) net.fit(b);
    }
}
