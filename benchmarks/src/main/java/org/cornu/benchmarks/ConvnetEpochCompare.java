package org.cornu.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.utils.Utils;
import org.cornu.datasets.Mnist;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.MaxPooling2D;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One run, both libraries: the book's MNIST convnet (Conv2D 32, 64, 64 3x3 relu with 2x2 max
 * pooling, Flatten, Dense 64 relu, Dense 10 softmax; RMSprop 0.001; batch 64) on the same
 * {@code samples} real MNIST images per round (default 6400 = 100 steps), interleaved; prints
 * seconds per round, the extrapolated full epoch (60000) and the ratio. DL4J runs NCHW, its
 * native layout. Usage: {@code java -cp cornu-benchmarks.jar org.cornu.benchmarks.ConvnetEpochCompare [rounds] [samples]}.
 */
public final class ConvnetEpochCompare {
    private ConvnetEpochCompare() {}

    /** Images per epoch of the JMH {@code convnet} workload; {@code Bench} scales its time to 60000. */
    public static final int BENCH_SAMPLES = 3200;

    /** The first {@code n} MNIST training images (28, 28, 1) in [0, 1] and their labels. */
    static INDArray[] data(int n) {
        Mnist.Split data = Mnist.loadData();
        INDArray x = data.xTrain().get(NDArrayIndex.interval(0, n)).reshape(n, 28, 28, 1).castTo(DataType.FLOAT).divi(255);
        INDArray labels = data.yTrain().get(NDArrayIndex.interval(0, n)).castTo(DataType.FLOAT);
        return new INDArray[] {x, labels};
    }

    static Sequential cornu() {
        Cornu.setSeed(1);
        Sequential cornu = new Sequential(
                new Conv2D(32, 3).activation("relu").inputShape(28, 28, 1),
                new MaxPooling2D(2),
                new Conv2D(64, 3).activation("relu"),
                new MaxPooling2D(2),
                new Conv2D(64, 3).activation("relu"),
                new Flatten(),
                new Dense(64, "relu"),
                new Dense(10, "softmax"));
        cornu.compile("rmsprop", "sparse_categorical_crossentropy");
        return cornu;
    }

    static MultiLayerNetwork dl4j() {
        MultiLayerNetwork dl4j = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new RmsProp(0.001, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM).convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        dl4j.init();
        return dl4j;
    }

    static List<DataSet> dl4jBatches(INDArray x, INDArray labels) {
        INDArray xNchw = x.permute(0, 3, 1, 2).dup('c');
        return new ArrayList<>(new DataSet(xNchw, Utils.toCategorical(labels, 10)).batchBy(64));
    }

    /**
     * One epoch of {@code n} images in {@code lib} ("cornu" or "dl4j"), ready to run (the JMH workload).
     *
     * @param lib {@code "cornu"} or {@code "dl4j"}
     * @param n the number of images
     * @return the epoch; data and model are made before it returns
     */
    public static Runnable epoch(String lib, int n) {
        INDArray[] d = data(n);
        if (lib.equals("cornu")) {
            Sequential m = cornu();
            return () -> m.fit(d[0], d[1], Fit.epochs(1).batchSize(64).verbose(0));
        }
        MultiLayerNetwork net = dl4j();
        List<DataSet> batches = dl4jBatches(d[0], d[1]);
        return () -> {
            for (DataSet b : batches) net.fit(b);
        };
    }

    /**
     * Runs the comparison and prints the timings.
     *
     * @param args {@code [rounds]} (default 3) and {@code [samples]} (default 6400)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 6400;
        Cornu.chooseThreads();
        INDArray[] xy = data(n);
        INDArray x = xy[0], labels = xy[1];
        Sequential cornu = cornu();
        MultiLayerNetwork dl4j = dl4j();
        List<DataSet> batches = dl4jBatches(x, labels);

        System.out.printf(Locale.ROOT, "MNIST convnet (book), batch 64, %d samples per round, params cornu %d dl4j %d%n",
                n, cornu.countParams(), dl4j.numParams());
        System.out.println("round  cornu_s  dl4j_s  ratio  cornu_epoch_s  dl4j_epoch_s");
        double sc = 0, sd = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            cornu.fit(x, labels, Fit.epochs(1).batchSize(64).verbose(0));
            double c = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            for (DataSet b : batches) dl4j.fit(b);
            double d = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                sc += c;
                sd += d;
            }
            System.out.printf(Locale.ROOT, "%5d  %7.2f  %6.2f  %5.2f  %13.1f  %12.1f%s%n", r + 1, c, d, c / d,
                    c * 60000 / n, d * 60000 / n, r == 0 ? "  (warm-up)" : "");
        }
        if (rounds > 1) {
            System.out.printf(Locale.ROOT, "mean after warm-up: cornu %.1f s/epoch, dl4j %.1f s/epoch, ratio %.2f%n",
                    sc / (rounds - 1) * 60000 / n, sd / (rounds - 1) * 60000 / n, sc / sd);
        }
    }
}
