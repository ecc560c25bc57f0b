package org.cornu.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Keras's {@code model.summary()} table. */
final class Summary {
    private Summary() {}

    static void print(Model model, Consumer<String> out) {
        boolean sequential = model instanceof Sequential || sequentialLike(model);
        int[] widths = sequential ? new int[] {33, 26, 14} : new int[] {33, 26, 14, 30};
        String[] head = sequential ? new String[] {"Layer (type)", "Output Shape", "Param #"}
                : new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"};
        int total = 0;
        for (int w : widths) total += w;
        out.accept("Model: \"" + model.name() + "\"");
        out.accept("_".repeat(total));
        out.accept(row(head, widths));
        out.accept("=".repeat(total));
        List<Layer> layers = model.layers();
        for (int li = 0; li < layers.size(); li++) {
            Layer l = layers.get(li);
            String shape = outputShape(model, l);
            String[] cells;
            if (sequential) {
                cells = new String[] {l.name() + " (" + typeName(l) + ")", shape, fmt(l.countParams())};
            } else {
                cells = new String[] {l.name() + " (" + typeName(l) + ")", shape, fmt(l.countParams()),
                        connected(model, l)};
            }
            out.accept(row(cells, widths));
            if (li < layers.size() - 1) out.accept(" ".repeat(total));
        }
        out.accept("=".repeat(total));
        long trainable = 0, nonTrainable = 0;
        for (Weight w : model.trainableWeights()) trainable += w.value().length();
        for (Weight w : model.nonTrainableWeights()) nonTrainable += w.value().length();
        out.accept("Total params: " + fmt(trainable + nonTrainable) + " (" + bytes(trainable + nonTrainable) + ")");
        out.accept("Trainable params: " + fmt(trainable) + " (" + bytes(trainable) + ")");
        out.accept("Non-trainable params: " + fmt(nonTrainable) + " (" + bytes(nonTrainable) + ")");
        out.accept("_".repeat(total));
    }

    /** The type Keras prints: the class name, {@code Functional} for a plain {@link Model}. */
    static String typeName(Layer l) {
        return l.getClass() == Model.class ? "Functional" : l.getClass().getSimpleName();
    }

    /**
     * Keras's {@code sequential_like}: a functional model that is a single chain (one input, each
     * layer applied once to the previous layer's output) prints without the "Connected to" column.
     */
    private static boolean sequentialLike(Model model) {
        if (model.inputs().size() != 1 || model.outputs().size() != 1) return false;
        KerasTensor prev = model.inputs().get(0);
        java.util.Set<Layer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Node n : model.nodes()) {
            if (n.inputs.size() != 1 || n.inputs.get(0) != prev || n.outputs.size() != 1 || !seen.add(n.layer)) return false;
            prev = n.outputs.get(0);
        }
        return true;
    }

    private static String outputShape(Model model, Layer l) {
        for (Node n : model.nodes()) {
            if (n.layer == l) {
                if (n.outputs.size() == 1) return n.outputs.get(0).shape().toString();
                List<String> s = new ArrayList<>();
                for (KerasTensor t : n.outputs) s.add(t.shape().toString());
                return "[" + String.join(", ", s) + "]";
            }
        }
        if (l instanceof InputLayer il) return il.shape().toString();
        return "?";
    }

    private static String connected(Model model, Layer l) {
        for (Node n : model.nodes()) {
            if (n.layer == l) {
                List<String> s = new ArrayList<>();
                for (KerasTensor t : n.inputs) s.add(t.layer().name() + "[" + t.node.index + "][" + t.index + "]");
                return String.join(", ", s);
            }
        }
        return "-";
    }

    private static String row(String[] cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = " " + cells[i];
            if (c.length() >= widths[i]) c = c.substring(0, widths[i] - 1);
            b.append(c).append(" ".repeat(widths[i] - c.length()));
        }
        return b.toString().stripTrailing();
    }

    static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Keras's size note: parameters at 4 bytes (float32) or 8 (float64). */
    static String bytes(long params) {
        double b = params * (Cornu.floatx().equals("float64") ? 8.0 : Cornu.floatx().equals("float16") ? 2.0 : 4.0);
        String[] units = {"B", "KB", "MB", "GB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", b, units[u]);
    }
}
