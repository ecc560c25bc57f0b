package org.cornu.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.cornu.core.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Steady-state memory of training: runs {@code epochs} (default 20) epochs of the {@code mlp}
 * workload and prints the process's resident set size after each, split into the Java heap's
 * resident pages and the rest (native: libnd4j, OpenBLAS, JIT code, GC structures), and the
 * change against epoch 2 (the benchmarks issue allows 10%). Linux only (reads /proc/self).
 * The heap's pages become resident as the collector first uses its regions, which takes ~10
 * epochs to reach -Xmx; run with a fixed, pre-touched heap to see the rest alone:
 * {@code java -Xms160m -Xmx160m -XX:+AlwaysPreTouch -cp cornu-benchmarks.jar org.cornu.benchmarks.MemoryCheck [epochs] [dl4j]}.
 * With {@code dl4j} as the second argument the same epochs run DL4J's network of the workload
 * instead, for comparison.
 */
public final class MemoryCheck {
    private MemoryCheck() {}

    /**
     * Runs the epochs and prints the memory after each.
     *
     * @param args {@code [epochs]} (default 20), then {@code dl4j} to run DL4J instead
     * @throws IOException if {@code /proc/self} cannot be read
     */
    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean dl4j = args.length > 1 && args[1].equals("dl4j");
        if (args.length > 1 && !dl4j) throw new IllegalArgumentException("MemoryCheck: the second argument can only be 'dl4j', got '" + args[1] + "'");
        org.cornu.core.Cornu.chooseThreads();
        Workloads.Spec s = Workloads.MLP;
        INDArray[] data = Workloads.data(s);
        Sequential m = dl4j ? null : Workloads.cornu(s);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = dl4j ? Workloads.dl4j(s) : null;
        java.util.List<org.nd4j.linalg.dataset.DataSet> batches = dl4j ? Workloads.dl4jBatches(data, s) : null;
        System.out.println("mlp, " + (dl4j ? "DL4J" : "Cornu") + ", " + epochs + " epochs");
        long base = -1;
        long max = 0;
        for (int e = 1; e <= epochs; e++) {
            if (dl4j) Workloads.dl4jEpoch(net, batches);
            else Workloads.cornuEpoch(m, data, s);
            long rss = rssKb();
            if (e == 2) base = rss;
            if (e >= 2) max = Math.max(max, rss);
            Runtime rt = Runtime.getRuntime();
            long heapRss = heapRssKb();
            System.out.printf(Locale.ROOT, "epoch %2d: RSS %7.1f MB%s; of it Java heap %.1f MB, the rest %.1f MB; JVM heap committed %.1f MB; native (JavaCPP) %.1f MB%n",
                    e, rss / 1024.0,
                    base > 0 ? String.format(Locale.ROOT, " (%+.1f%% vs epoch 2)", 100.0 * (rss - base) / base) : "",
                    heapRss / 1024.0, (rss - heapRss) / 1024.0,
                    rt.totalMemory() / 1048576.0, org.bytedeco.javacpp.Pointer.totalBytes() / 1048576.0);
        }
        System.out.printf(Locale.ROOT, "max RSS after epoch 2: %+.1f%% of epoch 2's%n", 100.0 * (max - base) / base);
    }

    /**
     * Resident kB of the Java heap's reservation: a run of adjacent mappings of /proc/self/smaps
     * (the committed and uncommitted parts of the reservation are separate mappings) whose sizes
     * add up to within 2% of the maximum heap's size (-Xmx), or -1 when none does.
     */
    static long heapRssKb() throws IOException {
        long maxKb = Runtime.getRuntime().maxMemory() / 1024;
        java.util.List<long[]> maps = new java.util.ArrayList<>(); // start, end, size kB, rss kB
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                maps.add(new long[] {Long.parseUnsignedLong(line.substring(0, dash), 16),
                        Long.parseUnsignedLong(line.substring(dash + 1, space), 16), 0, 0});
            } else if (!maps.isEmpty() && line.startsWith("Size:")) {
                maps.get(maps.size() - 1)[2] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (!maps.isEmpty() && line.startsWith("Rss:")) {
                maps.get(maps.size() - 1)[3] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        long bestRss = -1;
        for (int i = 0; i < maps.size(); i++) {
            long size = 0;
            long rss = 0;
            for (int j = i; j < maps.size() && size <= maxKb + maxKb / 50; j++) {
                if (j > i && maps.get(j)[0] != maps.get(j - 1)[1]) break;
                size += maps.get(j)[2];
                rss += maps.get(j)[3];
                if (Math.abs(size - maxKb) <= maxKb / 50 && rss > bestRss) bestRss = rss;
            }
        }
        return bestRss;
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
