package org.cornu.spark.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher of the Spark examples: {@code java -jar spark/target/cornu-spark-examples.jar
 * spark-mnist [options]}, with the option conventions of {@code cornu-examples.jar}
 * ({@code --name value}, {@code --help}, unknown options refused with the valid ones).
 */
public final class SparkExamples {
    private SparkExamples() {}

    /**
     * Runs the example named by the first argument.
     *
     * @param argv the example's name, then its options
     */
    public static void main(String[] argv) {
        if (argv.length == 0 || argv[0].equals("--help")) {
            System.out.println("usage: java -jar cornu-spark-examples.jar <name> [options]\n"
                    + "  spark-mnist   MNIST dense 512 -> 10 trained through Spark, checked against one machine's training");
            return;
        }
        if (!argv[0].equals("spark-mnist")) {
            System.err.println("unknown example '" + argv[0] + "'; examples: spark-mnist");
            System.exit(2);
        }
        Map<String, String[]> spec = new LinkedHashMap<>();
        spec.put("master", new String[] {"URL", "local[2]", "Spark master (spark://host:7077 for a cluster)"});
        spec.put("model", new String[] {"dense|convnet", "dense", "dense: the book's 2.1 model (benchmarks' mlp); convnet: the book's 8.1"
                + " convnet (benchmarks' convnet; use --batch-size 64)"});
        spec.put("epochs", new String[] {"N", "1", "training epochs"});
        spec.put("batch-size", new String[] {"N", "128", "global batch size (samples per optimizer step, all workers)"});
        spec.put("partitions", new String[] {"N", "2", "partitions of the training data"});
        spec.put("samples", new String[] {"N", "60000", "training samples used (the first N)"});
        spec.put("seed", new String[] {"N", "42", "seed of weight initialization and shuffling (Cornu.setSeed)"});
        spec.put("verbose", new String[] {"0|1|2", "2", "progress output: 0 silent, 1 progress bar, 2 one line per epoch"});
        spec.put("data", new String[] {"FILE", null, "a file in the format of Keras's mnist.npz; default: Keras's, from $CORNU_DATASETS"
                + " or ~/.keras/datasets"});
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : spec.entrySet()) values.put(e.getKey(), e.getValue()[1]);
        for (int i = 1; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help")) {
                for (Map.Entry<String, String[]> e : spec.entrySet()) {
                    String[] s = e.getValue();
                    System.out.printf("  %-22s %s%s%n", "--" + e.getKey() + " " + s[0], s[2], s[1] == null ? "" : " (default " + s[1] + ")");
                }
                return;
            }
            String key = a.startsWith("--") ? a.substring(2) : null;
            String value = null;
            if (key != null && key.contains("=")) {
                value = key.substring(key.indexOf('=') + 1);
                key = key.substring(0, key.indexOf('='));
            }
            if (key == null || !spec.containsKey(key)) {
                System.err.println("spark-mnist: unknown option " + a + ". Valid options: --" + String.join(", --", spec.keySet()) + ", --help");
                System.exit(2);
            }
            if (value == null) {
                if (i + 1 >= argv.length) {
                    System.err.println("spark-mnist: option --" + key + " needs a value");
                    System.exit(2);
                }
                value = argv[++i];
            }
            values.put(key, value);
        }
        SparkMnist.run(values);
    }
}
