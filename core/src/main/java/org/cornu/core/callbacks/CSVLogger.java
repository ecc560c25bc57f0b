package org.cornu.core.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Streams each epoch's logs to a CSV file, as {@code keras.callbacks.CSVLogger}:
 * {@code new CSVLogger("training.log").separator(";").append(true)}.
 *
 * <p>The file is written as Keras writes it: a header {@code epoch,<keys>} with the keys of the
 * first epoch's logs in sorted order, one row per epoch with {@code NA} for a missing key,
 * numbers as Python prints floats ({@code 0.5}, {@code 1e-05}, {@code nan}), fields quoted only
 * when needed, and lines ending in {@code \r\n} (Python's csv "excel" dialect). With
 * {@code append} the header is written only when the file is new or empty. The file is opened at
 * train begin, flushed after every epoch and closed at train end; an I/O failure is thrown as an
 * {@link UncheckedIOException} naming the file.
 */
public class CSVLogger extends Callback {
    private static final String EOL = "\r\n";

    private final Path file;
    private String separator = ",";
    private boolean append = false;

    private BufferedWriter writer;
    private List<String> keys;
    private boolean appendHeader = true;
    private boolean headerDone;

    /**
     * Streams the epoch results to a CSV file (Keras's {@code CSVLogger(filename)}).
     *
     * @param filename the file to write
     */
    public CSVLogger(String filename) {
        this(Path.of(filename));
    }

    /**
     * Streams the epoch results to a CSV file.
     *
     * @param file the file to write (Keras's {@code filename})
     */
    public CSVLogger(Path file) {
        if (file == null) throw new IllegalArgumentException("CSVLogger: filename must not be null");
        this.file = file;
    }

    /**
     * Field separator (default {@code ","}).
     *
     * @param separator the separator (Keras's {@code separator})
     * @return this callback
     */
    public CSVLogger separator(String separator) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("CSVLogger: separator must be a non-empty string");
        }
        this.separator = separator;
        return this;
    }

    /**
     * True appends to an existing file (to continue training); false (default) overwrites it.
     *
     * @param append true to append (Keras's {@code append})
     * @return this callback
     */
    public CSVLogger append(boolean append) {
        this.append = append;
        return this;
    }

    /**
     * The file written (Keras's {@code filename}).
     *
     * @return the path
     */
    public Path filename() {
        return file;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        open();
    }

    private void open() {
        close();
        try {
            if (append) {
                appendHeader = !Files.exists(file) || Files.size(file) == 0;
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } else {
                appendHeader = true;
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + file + " for writing: " + e.getMessage(), e);
        }
        keys = null;
        headerDone = false;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (writer == null) open();
        Map<String, Double> l = logs == null ? Map.of() : logs;
        if (keys == null) {
            keys = new ArrayList<>(l.keySet());
            Collections.sort(keys);
            // Validation metrics the model is expected to produce, even when absent from the first logs.
            if (model != null) {
                for (String m : model.metricsNames()) if (m.startsWith("val_") && !keys.contains(m)) keys.add(m);
            }
        }
        StringBuilder b = new StringBuilder();
        if (!headerDone) {
            if (appendHeader) {
                b.append(field("epoch"));
                for (String k : keys) b.append(separator).append(field(k));
                b.append(EOL);
            }
            headerDone = true;
        }
        b.append(epoch);
        for (String k : keys) {
            Double v = l.get(k);
            b.append(separator).append(v == null ? "NA" : CallbackUtils.pyRepr(v));
        }
        b.append(EOL);
        try {
            writer.write(b.toString());
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        close();
    }

    private void close() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot close " + file + ": " + e.getMessage(), e);
        } finally {
            writer = null;
        }
    }

    /** A field quoted as Python's csv module does in minimal quoting. */
    private String field(String s) {
        boolean quote = s.contains(separator) || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
