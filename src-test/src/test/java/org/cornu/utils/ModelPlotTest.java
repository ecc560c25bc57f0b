package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plotModel}: the DOT source read back has the model's layers and connections (runs
 * everywhere); the image is drawn when Graphviz's {@code dot} is installed.
 */
class ModelPlotTest {
    @TempDir
    Path dir;

    /** Two inputs, two outputs, and a nested Sequential ("tower") between them. */
    private static Model model() {
        KerasTensor a = Input.of("a", 3);
        KerasTensor b = Input.of("b", 2);
        KerasTensor c = new Concatenate().name("concat").apply(a, b);
        Sequential tower = new Sequential(new Dense(4, "relu").name("t1").inputShape(5), new Dense(4).name("t2")).name("tower");
        KerasTensor h = tower.apply(c);
        KerasTensor out1 = new Dense(1).name("out1").apply(h);
        KerasTensor out2 = new Dense(2).name("out2").apply(h);
        return new Model(List.of(a, b), List.of(out1, out2), "net");
    }

    private static Set<String> all(Pattern p, String dot) {
        Set<String> r = new TreeSet<>();
        Matcher m = p.matcher(dot);
        while (m.find()) r.add(m.groupCount() == 1 ? m.group(1) : m.group(1) + " -> " + m.group(2));
        return r;
    }

    private static final Pattern NODE = Pattern.compile("^\\s*\"([^\"]+)\" \\[label=<", Pattern.MULTILINE);
    private static final Pattern EDGE = Pattern.compile("^\\s*\"([^\"]+)\" -> \"([^\"]+)\";", Pattern.MULTILINE);

    @Test
    void theDotSourceHasEveryLayerAndConnection() {
        String dot = ModelPlot.modelToDot(model(), true, true, "TB", false);
        assertTrue(dot.startsWith("digraph \"net\" {"), dot);
        assertEquals(new TreeSet<>(Arrays.asList("a", "b", "concat", "tower", "out1", "out2")), all(NODE, dot));
        assertEquals(new TreeSet<>(Arrays.asList("a -> concat", "b -> concat", "concat -> tower", "tower -> out1", "tower -> out2")),
                all(EDGE, dot));
        // names with classes, and shapes as Keras prints them
        assertTrue(dot.contains("<b>concat (Concatenate)</b>"), dot);
        assertTrue(dot.contains("<b>tower (Sequential)</b>"), dot);
        assertTrue(dot.contains("Input shape: [(None, 3), (None, 2)]</td><td>Output shape: (None, 5)"), dot);
        assertTrue(dot.contains("Output shape: (None, 2)</td></tr>"), dot); // input "b"
        String plain = ModelPlot.modelToDot(model(), false, false, "LR", false);
        assertTrue(plain.contains("<b>Dense</b>") && !plain.contains("out1 (Dense)") && !plain.contains("Output shape"), plain);
        assertTrue(plain.contains("rankdir=LR"), plain);
    }

    @Test
    void expandedNestedModelsShowTheirOwnLayers() {
        Model net = model();
        String in = ((Model) net.getLayer("tower")).inputs().get(0).layer().name();
        String dot = ModelPlot.modelToDot(net, false, true, "TB", true);
        assertTrue(dot.contains("subgraph \"cluster_0\""), dot);
        assertEquals(new TreeSet<>(Arrays.asList("a", "b", "concat", "tower/" + in, "tower/t1", "tower/t2", "out1", "out2")),
                all(NODE, dot));
        assertEquals(new TreeSet<>(Arrays.asList("a -> concat", "b -> concat", "concat -> tower/" + in,
                "tower/" + in + " -> tower/t1", "tower/t1 -> tower/t2", "tower/t2 -> out1", "tower/t2 -> out2")), all(EDGE, dot));
    }

    @Test
    void drawsAPngWhenGraphvizIsInstalled() throws Exception {
        Assumptions.assumeTrue(ModelPlot.dotProgram() != null, "Graphviz's dot is not installed: only the DOT source is tested");
        Path png = Utils.plotModel(model(), dir.resolve("model.png").toString(), true, true);
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
    }

    @Test
    void withoutGraphvizTheErrorSaysSoAndTheDotSourceIsWritten() throws Exception {
        String old = System.getProperty("cornu.dot");
        System.setProperty("cornu.dot", dir.resolve("no-such-dot").toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ModelPlot.plotModel(model(), dir.resolve("m.png"), true, true));
            assertTrue(e.getMessage().contains("Graphviz's `dot` program was not found") && e.getMessage().contains("m.dot"), e.getMessage());
            assertTrue(Files.readString(dir.resolve("m.dot")).startsWith("digraph \"net\""));
            assertTrue(!Files.exists(dir.resolve("m.png")));
        } finally {
            if (old == null) System.clearProperty("cornu.dot");
            else System.setProperty("cornu.dot", old);
        }
    }
}
