package org.cornu.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.utils.Utils;
import org.cornu.datasets.Mnist;
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
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One run, both libraries: epochs of the book's MNIST network (Dense 512 relu, Dense 10
 * softmax, RMSprop 0.001, categorical crossentropy, batch 128, 60000 samples) trained by
 * Cornu and by DL4J 1.0.0-M2.1's MultiLayerNetwork, interleaved, on the same ND4J backend and
 * data. Cornu shuffles and gathers each batch; DL4J gets its batches pre-split and unshuffled
 * (which favours DL4J). Usage: {@code java -cp cornu-benchmarks.jar org.cornu.benchmarks.MnistEpochCompare [rounds]}.
 */
public final class MnistEpochCompare {
    private MnistEpochCompare() {}

    /**
     * Runs the comparison and prints the timings.
     *
     * @param args {@code [rounds]} (default 3)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Mnist.Split data = Mnist.loadData();
        INDArray x = data.xTrain().reshape(60000, 784).castTo(DataType.FLOAT).divi(255);
        INDArray y = Utils.toCategorical(data.yTrain(), 10);

        Cornu.setSeed(1);
        Sequential cornu = new Sequential(new Dense(512, "relu").inputShape(784), new Dense(10, "softmax"));
        cornu.compile("rmsprop", "categorical_crossentropy", "accuracy");

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new RmsProp(0.001, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(512).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork dl4j = new MultiLayerNetwork(conf);
        dl4j.init();
        List<DataSet> batches = new ArrayList<>(new DataSet(x, y).batchBy(128));

        String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "default");
        System.out.printf(Locale.ROOT, "MNIST MLP epoch (60000 samples, batch 128), OMP_NUM_THREADS=%s%n", threads);
        System.out.println("round  cornu_s  dl4j_s  ratio(cornu/dl4j)");
        double sumC = 0, sumD = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            cornu.fit(x, y, Fit.epochs(1).batchSize(128).verbose(0));
            double c = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            for (DataSet b : batches) dl4j.fit(b);
            double d = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                sumC += c;
                sumD += d;
            }
            System.out.printf(Locale.ROOT, "%5d  %7.2f  %6.2f  %.2f%s%n", r + 1, c, d, c / d, r == 0 ? "  (warm-up)" : "");
        }
        if (rounds > 1) {
            System.out.printf(Locale.ROOT, "mean after warm-up: cornu %.2f s, dl4j %.2f s, ratio %.2f%n",
                    sumC / (rounds - 1), sumD / (rounds - 1), sumC / sumD);
        }
    }
}
