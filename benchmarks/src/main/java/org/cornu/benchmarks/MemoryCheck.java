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
 * {@code java -Xms160m -Xmx160m -XX:+AlwaysPreTouch -cp cornu-benchmarks.jar org.cornu.benchmarks.MemoryCheck [epochs]}.
 */
public final class MemoryCheck {
    private MemoryCheck() {}

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        org.cornu.core.Cornu.chooseThreads();
        Workloads.Spec s = Workloads.MLP;
        INDArray[] data = Workloads.data(s);
        Sequential m = Workloads.cornu(s);
        long base = -1;
        long max = 0;
        for (int e = 1; e <= epochs; e++) {
            Workloads.cornuEpoch(m, data, s);
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
     * Resident kB of the Java heap's reservation: the largest mapping of /proc/self/smaps within 2% of
     * the maximum heap's size (-Xmx), or -1 when none matches.
     */
    static long heapRssKb() throws IOException {
        long maxKb = Runtime.getRuntime().maxMemory() / 1024;
        long size = -1;
        long best = -1;
        long bestRss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.startsWith("Size:")) size = Long.parseLong(line.replaceAll("[^0-9]", ""));
            else if (line.startsWith("Rss:") && Math.abs(size - maxKb) <= maxKb / 50 && size > best) {
                best = size;
                bestRss = Long.parseLong(line.replaceAll("[^0-9]", ""));
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
