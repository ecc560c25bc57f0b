package org.cornu.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.layers.Dense;
import org.cornu.layers.Embedding;
import org.cornu.layers.LSTM;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
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
 * The recurrent workloads: {@code lstm_ts} (LSTM 16 over (1, 6) -> Dense 24, mse, batch 32,
 * 11184 samples, one epoch) and {@code imdb_lstm} (Embedding 10000x32 -> LSTM 32 -> Dense 1
 * sigmoid, length 500, batch 128, 2560 samples = 20 batches). Both with RMSprop 0.001, in Cornu
 * and in DL4J (LastTimeStep(LSTM) and OutputLayer; DL4J takes (batch, features, time)).
 */
public final class RnnWorkloads {
    private RnnWorkloads() {}

    /**
     * Samples per benchmark epoch.
     *
     * @param w {@code "lstm_ts"} or {@code "imdb_lstm"}
     * @return 11184 for {@code lstm_ts}, else 2560
     */
    public static int samples(String w) {
        return w.equals("lstm_ts") ? 11184 : 2560;
    }

    /**
     * One epoch of {@code w} in {@code lib}, ready to run.
     *
     * @param w {@code "lstm_ts"} or {@code "imdb_lstm"}
     * @param lib {@code "cornu"} or {@code "dl4j"}
     * @return the epoch; data and model are made before it returns
     */
    public static Runnable epoch(String w, String lib) {
        Cornu.setSeed(1);
        int n = samples(w);
        boolean ts = w.equals("lstm_ts");
        INDArray x;
        INDArray y;
        if (ts) {
            x = Nd4j.rand(DataType.FLOAT, n, 1, 6);
            y = Nd4j.rand(DataType.FLOAT, n, 24);
        } else {
            x = Nd4j.rand(DataType.FLOAT, n, 500).muli(9999).castTo(DataType.INT).castTo(DataType.FLOAT);
            y = Nd4j.rand(DataType.FLOAT, n, 1).gt(0.5).castTo(DataType.FLOAT);
        }
        int batch = ts ? 32 : 128;
        if (lib.equals("cornu")) {
            Sequential m = ts
                    ? new Sequential(new LSTM(16).inputShape(1, 6), new Dense(24))
                    : new Sequential(new Embedding(10000, 32).inputShape(500), new LSTM(32), new Dense(1, "sigmoid"));
            m.compile("rmsprop", ts ? "mse" : "binary_crossentropy");
            return () -> m.fit(x, y, Fit.epochs(1).batchSize(batch).verbose(0));
        }
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new RmsProp(0.001, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM).list();
        if (ts) {
            b.layer(new LastTimeStep(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nIn(6).nOut(16)
                    .activation(Activation.TANH).build()));
            b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(24).activation(Activation.IDENTITY).build());
        } else {
            b.layer(new EmbeddingSequenceLayer.Builder().nIn(10000).nOut(32).inputLength(500).build());
            b.layer(new LastTimeStep(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nIn(32).nOut(32)
                    .activation(Activation.TANH).build()));
            b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(32).nOut(1).activation(Activation.SIGMOID).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        INDArray xd = ts ? x.permute(0, 2, 1).dup('c') : x;
        List<DataSet> batches = new ArrayList<>(new DataSet(xd, y).batchBy(batch));
        return () -> {
            for (DataSet d : batches) net.fit(d);
        };
    }
}
