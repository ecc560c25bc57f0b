package org.cornu.core.callbacks;

import static org.cornu.core.callbacks.CallbackTestSupport.logs;
import static org.cornu.core.callbacks.CallbackTestSupport.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cornu.core.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {
    @TempDir
    Path dir;

    private static void run(CSVLogger cb, Sequential m, Map<String, Double>... epochs) {
        cb.setModel(m);
        cb.onTrainBegin(logs());
        for (int e = 0; e < epochs.length; e++) cb.onEpochEnd(e, epochs[e]);
        cb.onTrainEnd(logs());
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesSortedHeaderAndOneRowPerEpochAsKerasDoes() throws IOException {
        Path f = dir.resolve("training.log");
        run(new CSVLogger(f.toString()), model(0.01),
                logs("loss", 0.5, "accuracy", 0.75, "val_loss", 0.25, "val_accuracy", 1.0 / 3),
                logs("loss", 1e-05, "accuracy", 12.0, "val_loss", Double.NaN, "val_accuracy", 1.5e16),
                logs("loss", 0.0001, "accuracy", 123456.789, "val_loss", Double.NEGATIVE_INFINITY));
        assertEquals("epoch,accuracy,loss,val_accuracy,val_loss\r\n"
                + "0,0.75,0.5,0.3333333333333333,0.25\r\n"
                + "1,12.0,1e-05,1.5e+16,nan\r\n"
                + "2,123456.789,0.0001,NA,-inf\r\n", read(f));
    }

    @Test
    @SuppressWarnings("unchecked")
    void numbersArePrintedAsPythonPrintsFloats() throws IOException {
        Path f = dir.resolve("numbers.csv");
        run(new CSVLogger(f), model(0.01), logs("a", 1e16, "b", 1e15, "c", 0.1 + 0.2, "d", Double.MIN_VALUE,
                "e", -2.5, "f", 0.00012, "g", -0.0, "h", 1.7976931348623157e308, "i", 100.0));
        assertEquals("epoch,a,b,c,d,e,f,g,h,i\r\n"
                + "0,1e+16,1000000000000000.0,0.30000000000000004,5e-324,-2.5,0.00012,-0.0,1.7976931348623157e+308,100.0\r\n",
                read(f));
    }

    @Test
    @SuppressWarnings("unchecked")
    void keysAreFixedByTheFirstEpoch() throws IOException {
        Path f = dir.resolve("log.csv");
        run(new CSVLogger(f.toString()), model(0.01), logs("loss", 2.0), logs("loss", 1.0, "learning_rate", 0.1));
        assertEquals("epoch,loss\r\n0,2.0\r\n1,1.0\r\n", read(f));
    }

    @Test
    @SuppressWarnings("unchecked")
    void customSeparator() throws IOException {
        Path f = dir.resolve("log.csv");
        run(new CSVLogger(f).separator(";"), model(0.01), logs("b", 1.0, "a", 2.0));
        assertEquals("epoch;a;b\r\n0;2.0;1.0\r\n", read(f));
    }

    @Test
    @SuppressWarnings("unchecked")
    void appendWritesTheHeaderOnlyOnce() throws IOException {
        Path f = dir.resolve("log.csv");
        run(new CSVLogger(f.toString()).append(true), model(0.01), logs("loss", 2.0));
        run(new CSVLogger(f.toString()).append(true), model(0.01), logs("loss", 1.0), logs("loss", 0.5));
        assertEquals("epoch,loss\r\n0,2.0\r\n0,1.0\r\n1,0.5\r\n", read(f));
        // Without append the file is overwritten.
        run(new CSVLogger(f.toString()), model(0.01), logs("loss", 3.0));
        assertEquals("epoch,loss\r\n0,3.0\r\n", read(f));
    }

    @Test
    @SuppressWarnings("unchecked")
    void appendToAnEmptyFileWritesTheHeader() throws IOException {
        Path f = Files.createFile(dir.resolve("empty.csv"));
        run(new CSVLogger(f).append(true), model(0.01), logs("loss", 2.0));
        assertEquals("epoch,loss\r\n0,2.0\r\n", read(f));
    }

    @Test
    void eachEpochIsOnDiskBeforeTrainingEnds() throws IOException {
        Path f = dir.resolve("log.csv");
        CSVLogger cb = new CSVLogger(f.toString());
        cb.setModel(model(0.01));
        cb.onTrainBegin(logs());
        cb.onEpochEnd(0, logs("loss", 2.0));
        assertEquals("epoch,loss\r\n0,2.0\r\n", read(f));
        cb.onTrainEnd(logs());
    }

    @Test
    void anUnwritableFileNamesTheFile() {
        Path f = dir.resolve("no/such/dir/log.csv");
        CSVLogger cb = new CSVLogger(f.toString());
        cb.setModel(model(0.01));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> cb.onTrainBegin(logs()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
