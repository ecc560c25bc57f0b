package org.cornu.core.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The progress bar with and without a terminal, on a clock the test advances by hand: without a
 * terminal a line every tenth of the epoch or every 30 s, whichever comes first; on a terminal
 * the bar is redrawn in place.
 */
class ProgbarLoggerTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long now = 5_000_000_000L; // any origin: only differences count

    private ProgbarLogger bar(boolean interactive, int steps) {
        ProgbarLogger p = new ProgbarLogger(new PrintStream(bytes, true, StandardCharsets.UTF_8), interactive, () -> now);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("epochs", 1);
        params.put("steps", steps);
        params.put("verbose", 1);
        p.setParams(params);
        return p;
    }

    /** Runs one epoch of {@code steps} batches, each taking {@code stepNs} on the fake clock, with loss 0.5. */
    private List<String> epoch(ProgbarLogger p, int steps, long stepNs) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 0.5);
        p.onEpochBegin(0, Map.of());
        for (int b = 0; b < steps; b++) {
            now += stepNs;
            p.onTrainBatchEnd(b, logs);
        }
        p.onEpochEnd(0, logs);
        return new ArrayList<>(List.of(bytes.toString(StandardCharsets.UTF_8).split("\n", -1)));
    }

    @Test
    void withoutATerminalALineEveryTenthOfTheEpoch() {
        // 100 steps of 0.1 s: lines after steps 10, 20, ..., 90, then the epoch's final line.
        List<String> lines = epoch(bar(false, 100), 100, 100_000_000L);
        assertEquals("", lines.remove(lines.size() - 1)); // the output ends with a line break
        assertEquals(11, lines.size(), lines.toString());
        assertEquals("Epoch 1/1", lines.get(0));
        // step 10 after 1 s: ETA = 1 s / 10 steps * 90 steps left = 9 s; bar 30 * 10/100 = 3 cells, the last one '>'
        assertEquals(" 10/100 [==>" + ".".repeat(27) + "] - ETA: 9s - loss: 0.5000", lines.get(1));
        assertEquals(" 90/100 [==========================>...] - ETA: 1s - loss: 0.5000", lines.get(9));
        assertEquals("100/100 [" + "=".repeat(30) + "] - 10s 100ms/step - loss: 0.5000", lines.get(10));
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void withoutATerminalALineEveryThirtySecondsWhenStepsAreSlow() {
        // 1000 steps of 10 s: a tenth is 100 steps (1000 s), so the 30 s limit decides: steps 3, 6, 9, ...
        List<String> lines = epoch(bar(false, 1000), 7, 10_000_000_000L);
        assertEquals("Epoch 1/1", lines.get(0));
        assertTrue(lines.get(1).startsWith("   3/1000 ["), lines.get(1));
        assertTrue(lines.get(1).endsWith("] - ETA: 2:46:10 - loss: 0.5000"), lines.get(1)); // 30 s / 3 * 997 = 9970 s = 2 h 46 min 10 s
        assertTrue(lines.get(2).startsWith("   6/1000 ["), lines.get(2));
        assertTrue(lines.get(3).startsWith("   7/1000 [") && lines.get(3).contains("] - 70s 10s/step"), lines.get(3));
        assertEquals(5, lines.size(), lines.toString()); // and the trailing empty piece
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlace() {
        List<String> lines = epoch(bar(true, 100), 100, 100_000_000L);
        assertEquals(List.of("Epoch 1/1", ""), List.of(lines.get(0), lines.get(2)), lines.toString());
        String bar = lines.get(1);
        String[] draws = bar.split("\r", -1);
        assertEquals("", draws[0]);
        assertEquals(101, draws.length - 1, "one redraw per 0.1 s step, and the final one"); // redraws at most every 50 ms
        assertEquals("  1/100 [>" + ".".repeat(29) + "] - ETA: 10s - loss: 0.5000", draws[1]);
        assertEquals("100/100 [" + "=".repeat(30) + "] - 10s 100ms/step - loss: 0.5000", draws[draws.length - 1]);
    }
}
