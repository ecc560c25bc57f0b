package org.cornu.utils;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cornu.core.InputLayer;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Node;
import org.cornu.core.Sequential;

/**
 * Keras's {@code keras.utils.plot_model} and {@code model_to_dot}: a model's layer graph as
 * Graphviz DOT source, and as an image drawn by Graphviz's {@code dot} program.
 *
 * <p>Each layer is a box with its class name (and its name with {@code showLayerNames}), and,
 * with {@code showShapes}, its input and output shapes; arrows follow the connections, so
 * models with several inputs and outputs draw as they are wired. A nested model is one box,
 * or, with {@code expandNested}, a frame holding its own layers.
 *
 * <p>Drawing the image needs Graphviz (the {@code dot} program: {@code apt-get install graphviz},
 * {@code brew install graphviz}, or graphviz.org's installers), found on the {@code PATH}, or
 * named by the system property {@code cornu.dot} or the environment variable {@code GRAPHVIZ_DOT}.
 * Without it, {@link #plotModel} writes the DOT source beside the image's path and says so in
 * its exception; {@link #modelToDot} never needs Graphviz.
 */
public final class ModelPlot {
    private ModelPlot() {}

    /**
     * The model as DOT source, as Keras's {@code model_to_dot}.
     *
     * @param model the model to draw (a {@link Sequential} or a functional {@link Model})
     * @param showShapes whether each box shows its input and output shapes (Keras's {@code show_shapes})
     * @param showLayerNames whether each box shows the layer's name (Keras's {@code show_layer_names})
     * @param rankdir {@code "TB"} (top to bottom, Keras's default) or {@code "LR"} (left to right)
     * @param expandNested whether nested models are drawn with their own layers (Keras's {@code expand_nested})
     * @return the DOT source of a {@code digraph}
     */
    public static String modelToDot(Model model, boolean showShapes, boolean showLayerNames, String rankdir,
                                    boolean expandNested) {
        model.inputs(); // fails clearly when the model has not been built
        if (!"TB".equals(rankdir) && !"LR".equals(rankdir)) {
            throw new IllegalArgumentException("plotModel: rankdir must be \"TB\" or \"LR\"; received: " + rankdir);
        }
        Writer w = new Writer(showShapes, showLayerNames, expandNested);
        StringBuilder b = w.b;
        b.append("digraph \"").append(esc(model.name())).append("\" {\n");
        b.append("  graph [rankdir=").append(rankdir).append(", concentrate=true];\n");
        b.append("  node [shape=plaintext, fontname=\"Helvetica\"];\n");
        w.model(model, "", "  ");
        for (String e : w.edges) b.append("  ").append(e).append(";\n");
        b.append("}\n");
        return b.toString();
    }

    /**
     * Draws the model into {@code toFile}, as Keras's
     * {@code plot_model(model, to_file, show_shapes, show_layer_names)}: the image format follows
     * the extension ({@code .png}, {@code .svg}, {@code .pdf}, {@code .jpg}); {@code .dot} writes
     * the DOT source only. Top to bottom, nested models as one box.
     *
     * <pre>{@code
     * ModelPlot.plotModel(model, Path.of("model.png"), true, true);
     * }</pre>
     *
     * @param model the model to draw
     * @param toFile the image to write (replaced if present)
     * @param showShapes whether boxes show input and output shapes
     * @param showLayerNames whether boxes show layer names
     * @return {@code toFile}
     * @throws IllegalStateException when Graphviz's {@code dot} is not installed (the DOT source is
     *     then written beside {@code toFile}, with the extension {@code .dot}) or fails
     * @throws java.io.UncheckedIOException when a file cannot be written
     */
    public static Path plotModel(Model model, Path toFile, boolean showShapes, boolean showLayerNames) {
        return plotModel(model, toFile, showShapes, showLayerNames, "TB", false, 96);
    }

    /**
     * {@link #plotModel(Model, Path, boolean, boolean)} with every option.
     *
     * @param model the model to draw
     * @param toFile the image to write (replaced if present)
     * @param showShapes whether boxes show input and output shapes
     * @param showLayerNames whether boxes show layer names
     * @param rankdir {@code "TB"} or {@code "LR"}
     * @param expandNested whether nested models show their own layers
     * @param dpi the image's resolution (Keras's default is 200; 96 keeps a screen's size)
     * @return {@code toFile}
     */
    public static Path plotModel(Model model, Path toFile, boolean showShapes, boolean showLayerNames, String rankdir,
                                 boolean expandNested, int dpi) {
        String dot = modelToDot(model, showShapes, showLayerNames, rankdir, expandNested);
        String name = toFile.getFileName().toString();
        int dotAt = name.lastIndexOf('.');
        String format = dotAt < 0 ? "png" : name.substring(dotAt + 1).toLowerCase(Locale.ROOT);
        try {
            Path parent = toFile.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (format.equals("dot") || format.equals("gv")) {
                writeAtomically(toFile, dot.getBytes(StandardCharsets.UTF_8));
                return toFile;
            }
            String exe = dotProgram();
            if (exe == null) {
                Path src = toFile.resolveSibling(dotAt < 0 ? name + ".dot" : name.substring(0, dotAt) + ".dot");
                writeAtomically(src, dot.getBytes(StandardCharsets.UTF_8));
                throw new IllegalStateException("plotModel: Graphviz's `dot` program was not found, so " + toFile
                        + " was not drawn. Install Graphviz (apt-get install graphviz, brew install graphviz, or "
                        + "https://graphviz.org/download/) and put `dot` on the PATH, or name it with -Dcornu.dot=PATH "
                        + "or GRAPHVIZ_DOT. The graph's DOT source was written to " + src);
            }
            Path tmp = Files.createTempFile(parent, ".plot", "." + format);
            try {
                Process p = new ProcessBuilder(exe, "-T" + format, "-Gdpi=" + dpi, "-o", tmp.toString())
                        .redirectErrorStream(true).start();
                try (var in = p.getOutputStream()) {
                    in.write(dot.getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("plotModel: `" + exe + "` did not finish within 120 s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("plotModel: `" + exe + " -T" + format + "` failed (exit "
                            + p.exitValue() + ") drawing " + toFile + ": " + out);
                }
                Files.move(tmp, toFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return toFile;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("plotModel: could not write " + toFile + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("plotModel: interrupted while drawing " + toFile, e);
        }
    }

    /**
     * The Graphviz {@code dot} program this machine has: {@code -Dcornu.dot}, {@code GRAPHVIZ_DOT},
     * or {@code dot} on the {@code PATH}.
     *
     * @return its path, or null when there is none
     */
    public static String dotProgram() {
        String p = System.getProperty("cornu.dot");
        if (p == null || p.isBlank()) p = System.getenv("GRAPHVIZ_DOT");
        if (p != null && !p.isBlank()) return new File(p).canExecute() ? p : null;
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            for (String n : new String[] {"dot", "dot.exe"}) {
                File f = new File(dir, n);
                if (f.isFile() && f.canExecute()) return f.getPath();
            }
        }
        return null;
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, ".plot", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Escapes a string for a quoted DOT id or an HTML-like label. */
    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final class Writer {
        final StringBuilder b = new StringBuilder();
        final List<String> edges = new ArrayList<>();
        final boolean showShapes, showLayerNames, expandNested;
        final Map<Layer, String> ids = new IdentityHashMap<>();
        final Set<String> used = new HashSet<>();
        int clusters;

        Writer(boolean showShapes, boolean showLayerNames, boolean expandNested) {
            this.showShapes = showShapes;
            this.showLayerNames = showLayerNames;
            this.expandNested = expandNested;
        }

        /** A unique DOT id for a layer: its name, prefixed by the nested models it sits in. */
        String id(Layer l, String prefix) {
            return ids.computeIfAbsent(l, k -> {
                String base = prefix + k.name();
                String id = base;
                for (int i = 2; !used.add(id); i++) id = base + "#" + i;
                return id;
            });
        }

        /** Draws the layers and connections of {@code m}; nested models become boxes or clusters. */
        void model(Model m, String prefix, String indent) {
            for (KerasTensor in : m.inputs()) box(in.layer(), prefix, indent, List.of(), List.of(in));
            Set<Layer> drawn = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Node n : m.nodes()) {
                Layer l = n.layer();
                if (l instanceof InputLayer) continue;
                boolean nested = expandNested && l instanceof Model;
                if (drawn.add(l)) {
                    if (nested) {
                        Model inner = (Model) l;
                        b.append(indent).append("subgraph \"cluster_").append(clusters++).append("\" {\n");
                        b.append(indent).append("  label=<").append(esc(inner.name())).append(" (")
                                .append(esc(typeName(inner))).append(")>; style=rounded;\n");
                        model(inner, prefix + inner.name() + "/", indent + "  ");
                        b.append(indent).append("}\n");
                    } else {
                        box(l, prefix, indent, n.inputs(), n.outputs());
                    }
                }
                for (int i = 0; i < n.inputs().size(); i++) {
                    KerasTensor t = n.inputs().get(i);
                    String to = nested ? id(((Model) l).inputs().get(i).layer(), prefix + l.name() + "/") : id(l, prefix);
                    edges.add("\"" + esc(source(m, t, prefix)) + "\" -> \"" + esc(to) + "\"");
                }
            }
        }

        /** The id an arrow from tensor {@code t} starts at: its layer, or the matching output layer of an expanded nested model. */
        String source(Model m, KerasTensor t, String prefix) {
            Layer l = t.layer();
            if (expandNested && l instanceof Model inner) {
                for (Node n : m.nodes()) {
                    int k = indexOf(n.outputs(), t);
                    if (n.layer() == l && k >= 0) return id(inner.outputs().get(k).layer(), prefix + inner.name() + "/");
                }
            }
            return id(l, prefix);
        }

        static int indexOf(List<KerasTensor> ts, KerasTensor t) {
            for (int i = 0; i < ts.size(); i++) if (ts.get(i) == t) return i;
            return -1;
        }

        void box(Layer l, String prefix, String indent, List<KerasTensor> ins, List<KerasTensor> outs) {
            String title = showLayerNames ? esc(l.name()) + " (" + esc(typeName(l)) + ")" : esc(typeName(l));
            StringBuilder label = new StringBuilder("<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">");
            label.append("<tr><td colspan=\"2\" bgcolor=\"#e8eef7\"><b>").append(title).append("</b></td></tr>");
            if (showShapes) {
                String in = l instanceof InputLayer ? "" : shapes(ins);
                String out = shapes(outs);
                if (l instanceof InputLayer) {
                    label.append("<tr><td colspan=\"2\">Output shape: ").append(out).append("</td></tr>");
                } else {
                    label.append("<tr><td>Input shape: ").append(in).append("</td><td>Output shape: ")
                            .append(out).append("</td></tr>");
                }
            }
            label.append("</table>");
            b.append(indent).append('"').append(esc(id(l, prefix))).append("\" [label=<").append(label).append(">];\n");
        }

        static String shapes(List<KerasTensor> ts) {
            if (ts.size() == 1) return esc(ts.get(0).shape().toString());
            List<String> s = new ArrayList<>();
            for (KerasTensor t : ts) s.add(t.shape().toString());
            return esc("[" + String.join(", ", s) + "]");
        }

        static String typeName(Layer l) {
            return l.getClass() == Model.class ? "Functional" : l.getClass().getSimpleName();
        }
    }
}
