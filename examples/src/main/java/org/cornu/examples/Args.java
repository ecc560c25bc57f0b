package org.cornu.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command-line options of one example, {@code --name value}, {@code --name=value} or
 * {@code --flag}, checked against the options the example declares ({@link Spec}): an unknown
 * option, a missing or malformed value, or a value given to a flag is refused with a
 * {@link UsageException} that lists the valid options. Every value an example reads comes from
 * its {@link Spec}, so the help text shows the defaults the program really uses.
 */
final class Args {
    /** A bad command line; the launcher prints its message and exits with status 2. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    /** One option: its name without {@code --}, the value's placeholder (null for a flag), its default and help. */
    record Option(String name, String metavar, String dflt, String help) {
        boolean isFlag() {
            return metavar == null;
        }
    }

    /** The options an example takes, in the order its help lists them. */
    static final class Spec {
        private final Map<String, Option> options = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        /** A line of the help after the options (data, validation hold-out, ...). */
        Spec note(String line) {
            notes.add(line);
            return this;
        }

        /** An option with a value; {@code dflt} null means "not set" (the help says what that does). */
        Spec opt(String name, String metavar, Object dflt, String help) {
            if (options.containsKey(name)) throw new IllegalStateException("option --" + name + " declared twice");
            options.put(name, new Option(name, metavar, dflt == null ? null : String.valueOf(dflt), help));
            return this;
        }

        /** An option without a value (off unless given). */
        Spec flag(String name, String help) {
            if (options.containsKey(name)) throw new IllegalStateException("option --" + name + " declared twice");
            options.put(name, new Option(name, null, null, help));
            return this;
        }

        Spec epochs(int d) {
            return opt("epochs", "N", d, "training epochs");
        }

        Spec batchSize(int d) {
            return opt("batch-size", "N", d, "samples per training step");
        }

        Spec seed(int d) {
            return opt("seed", "N", d, "seed of weight initialization, shuffling and dropout (Cornu.setSeed)");
        }

        Spec verbose(int d) {
            return opt("verbose", "0|1|2", d, "fit's progress output: 0 silent, 1 progress bar, 2 one line per epoch");
        }

        Spec out() {
            return opt("out", "DIR", "cornu-output", "folder for the charts");
        }

        Spec save() {
            return opt("save", "PATH", null, "save the trained model there as a Keras 3 .keras file");
        }

        Spec load() {
            return opt("load", "PATH", null, "start from a model saved with --save instead of training");
        }

        /** {@code --data FILE}: a file in the format of Keras's {@code kerasFile}, read as it is. */
        Spec data(String kerasFile) {
            return opt("data", "FILE", null, "a file in the format of Keras's " + kerasFile + " (your own copy: read as it is,"
                    + " no hash check, no download); default: Keras's " + kerasFile + " from $CORNU_DATASETS or"
                    + " ~/.keras/datasets, else downloaded and checked");
        }

        Map<String, Option> options() {
            return options;
        }

        /** The help lines: one per option, with its default. */
        String help() {
            StringBuilder sb = new StringBuilder();
            for (Option o : options.values()) {
                String left = "--" + o.name() + (o.isFlag() ? "" : " " + o.metavar());
                String right = o.help() + (o.isFlag() || o.dflt() == null ? "" : " (default " + o.dflt() + ")");
                sb.append(String.format(Locale.ROOT, "  %-22s %s%n", left, right));
            }
            sb.append(String.format(Locale.ROOT, "  %-22s %s%n", "--help", "this help"));
            for (String n : notes) sb.append(n).append(System.lineSeparator());
            return sb.toString();
        }

        /** The valid options as a list for messages: {@code --epochs, --batch-size, ...}. */
        String names() {
            List<String> n = new ArrayList<>();
            for (String k : options.keySet()) n.add("--" + k);
            n.add("--help");
            return String.join(", ", n);
        }
    }

    private final String example;
    private final Spec spec;
    private final Map<String, String> values = new HashMap<>();

    /**
     * Parses {@code argv} for {@code example}.
     *
     * @throws UsageException for an unknown option, a missing value, or a stray argument
     */
    Args(String example, Spec spec, String[] argv) {
        this.example = example;
        this.spec = spec;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException(example + ": unexpected argument '" + a + "'; options look like --epochs 5."
                        + " Valid options: " + spec.names());
            }
            String key = a.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals("help")) {
                values.put("help", "true");
                continue;
            }
            Option o = spec.options().get(key);
            if (o == null) {
                String near = nearest(key);
                throw new UsageException(example + ": unknown option --" + key + (near == null ? "" : " (did you mean --" + near + "?)")
                        + ". Valid options: " + spec.names());
            }
            if (o.isFlag()) {
                if (value != null && !value.equals("true") && !value.equals("false")) {
                    throw new UsageException(example + ": --" + key + " is a flag and takes no value, got '" + value + "'");
                }
                values.put(key, value == null ? "true" : value);
            } else {
                if (value == null) {
                    if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                        throw new UsageException(example + ": --" + key + " needs a value: --" + key + " " + o.metavar());
                    }
                    value = argv[++i];
                }
                values.put(key, value);
            }
        }
    }

    /** Whether {@code --help} was given. */
    boolean helpRequested() {
        return values.containsKey("help");
    }

    /** Whether the option was given on the command line (not just defaulted). */
    boolean given(String key) {
        option(key);
        return values.containsKey(key);
    }

    /**
     * An integer option: any value for {@code --seed}, 0 to 2 for {@code --verbose}, at least 0
     * for {@code --fine-tune-epochs}, at least 1 for the others (epochs, sizes, counts).
     */
    int getInt(String key) {
        String v = get(key);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(example + ": --" + key + " expects an integer, got '" + v + "'");
        }
        int min = switch (key) {
            case "seed" -> Integer.MIN_VALUE;
            case "verbose", "fine-tune-epochs" -> 0;
            default -> 1;
        };
        if (n < min || (key.equals("verbose") && n > 2)) {
            throw new UsageException(example + ": --" + key + " " + n + " is out of range ("
                    + (key.equals("verbose") ? "0, 1 or 2" : "at least " + min) + ")");
        }
        return n;
    }

    double getDouble(String key) {
        String v = get(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(example + ": --" + key + " expects a number, got '" + v + "'");
        }
    }

    /** The value given, else the declared default (null when the option has none). */
    String get(String key) {
        Option o = option(key);
        return values.getOrDefault(key, o.dflt());
    }

    boolean flag(String key) {
        Option o = option(key);
        if (!o.isFlag()) throw new IllegalStateException(example + " reads --" + key + " as a flag but declares it with a value");
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }

    private Option option(String key) {
        Option o = spec.options().get(key);
        if (o == null) throw new IllegalStateException(example + " reads the option --" + key + " but does not declare it");
        return o;
    }

    /** The declared option closest to a misspelled one (edit distance at most 2), else null. */
    private String nearest(String key) {
        String best = null;
        int bestD = 3;
        for (String k : spec.options().keySet()) {
            int d = distance(key, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
