package org.cornu.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cornu.datasets.DatasetFiles;

/**
 * PyTorch as a peer in {@link Bench}: runs {@code benchmarks/peers/torch_book.py} (the same
 * workloads, models, batch sizes, optimizer settings and data shapes, in PyTorch) with a
 * {@code python3} that imports {@code torch}, after Cornu's runs, and reads its JSON lines.
 * The interpreter is {@code -Dcornu.python} or {@code $CORNU_PYTHON} when set, else the first
 * of {@code python3} and {@code /usr/bin/python3} (Debian's {@code python3-torch}) that imports
 * torch; the script is {@code -Dcornu.torchScript} when set, else the copy inside the jar.
 */
final class TorchPeer {
    /** The workloads the script knows. */
    static final List<String> WORKLOADS = List.of("mlp", "reuters", "imdb_dense", "boston_b1", "convnet", "lstm_ts",
            "imdb_lstm", "transformer", "predict_latency");

    /** One run's results: seconds per epoch by workload, µs per predict under {@code predict_latency:digit|noise}. */
    record Results(Map<String, Double> values, double sgemmGflops, String info) {
        double get(String key) {
            return values.getOrDefault(key, Double.NaN);
        }
    }

    private TorchPeer() {}

    /** The python that imports torch, or null (with the interpreters tried). */
    static String findPython(String override, List<String> tried) {
        List<String> candidates = new ArrayList<>();
        if (override != null) candidates.add(override);
        else {
            String env = System.getenv("CORNU_PYTHON");
            if (env != null && !env.isBlank()) candidates.add(env);
            candidates.add("python3");
            candidates.add("/usr/bin/python3");
        }
        for (String py : candidates) {
            tried.add(py);
            try {
                Process p = new ProcessBuilder(py, "-c", "import torch").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) return py;
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed under that name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /**
     * Runs the script on {@code workloads} (those it knows), or says in one line why not and returns null.
     *
     * @param workloads Bench's workloads
     * @param quick Bench's {@code --quick}
     * @param threads {@code torch.set_num_threads}
     * @param pythonOverride {@code --python PATH}, or null
     */
    static Results run(List<String> workloads, boolean quick, int threads, String pythonOverride) {
        List<String> mine = new ArrayList<>();
        for (String w : workloads) if (WORKLOADS.contains(w)) mine.add(w);
        if (mine.isEmpty()) return null;
        List<String> tried = new ArrayList<>();
        String py = findPython(pythonOverride == null ? System.getProperty("cornu.python") : pythonOverride, tried);
        if (py == null) {
            System.out.println("PyTorch peer skipped: no python with torch (tried " + String.join(", ", tried)
                    + "; on Debian: apt-get install python3-torch, or set CORNU_PYTHON)");
            return null;
        }
        try {
            Path script = script();
            List<String> cmd = new ArrayList<>(List.of(py, script.toString(), "--threads", String.valueOf(threads),
                    "--only", String.join(",", mine)));
            if (quick) cmd.add("--quick");
            Path datasets = DatasetFiles.datasetsDir();
            if (datasets != null) {
                cmd.add("--datasets");
                cmd.add(datasets.toString());
            }
            System.out.println("running PyTorch (" + py + ", " + threads + " thread(s)): " + String.join(",", mine) + " ...");
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Map<String, Double> values = new LinkedHashMap<>();
            double sgemm = Double.NaN;
            String info = "";
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.startsWith("{")) continue;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = json.readValue(line, Map.class);
                    String w = String.valueOf(m.get("workload"));
                    Object v = m.get("value");
                    if (w.equals("info")) {
                        info = "torch " + m.get("torch") + ", " + m.get("threads") + " thread(s), BLAS " + m.get("blas");
                    } else if (w.equals("sgemm") && v instanceof Number n) {
                        sgemm = n.doubleValue();
                    } else if (m.containsKey("skipped")) {
                        System.out.println("PyTorch " + w + " skipped: " + m.get("skipped"));
                    } else if (v instanceof Number n) {
                        values.put(m.containsKey("input") ? w + ":" + m.get("input") : w, n.doubleValue());
                    }
                }
            }
            int rc = p.waitFor();
            if (rc != 0) System.out.println("PyTorch peer exited with status " + rc + " (results so far are kept)");
            return new Results(values, sgemm, info);
        } catch (IOException e) {
            System.out.println("PyTorch peer failed: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The script: {@code -Dcornu.torchScript}, else the jar's copy written to a temporary file. */
    private static Path script() throws IOException {
        String own = System.getProperty("cornu.torchScript");
        if (own != null) return Path.of(own);
        try (InputStream in = TorchPeer.class.getResourceAsStream("/peers/torch_book.py")) {
            if (in == null) throw new IOException("peers/torch_book.py is not in the jar; give -Dcornu.torchScript=PATH");
            Path f = Files.createTempFile("cornu-torch_book", ".py");
            f.toFile().deleteOnExit();
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            return f;
        }
    }
}
