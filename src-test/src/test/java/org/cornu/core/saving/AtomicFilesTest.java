package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cornu.core.Cornu;
import org.cornu.core.Sequential;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saves keep the mode of the file they replace, give new files the usual mode, and clean up after killed saves. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(9);
    }

    private static Sequential model() {
        Sequential m = new Sequential(new Dense(4, "relu").inputShape(3), new Dense(2));
        m.compile("adam", "mse");
        return m;
    }

    private static void assumePosix() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "not a POSIX file system: permission checks skipped");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private Set<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void newFilesGetTheModeOfAnyNewFile() throws Exception {
        assumePosix();
        // what the umask gives a file created the ordinary way (0644 under 022)
        Path probe = dir.resolve("probe.txt");
        try (OutputStream o = Files.newOutputStream(probe)) {
            o.write(1);
        }
        String usual = mode(probe);
        Assumptions.assumeFalse(usual.equals("rw-------"), "umask 077: new files are private anyway, nothing to tell apart");
        Sequential m = model();
        Path keras = dir.resolve("m.keras");
        m.save(keras);
        Path weights = dir.resolve("m.weights.h5");
        m.saveWeights(weights);
        Path json = dir.resolve("training_metadata.json");
        AtomicFiles.write(json, tmp -> Files.writeString(tmp, "{}", StandardCharsets.UTF_8));
        assertEquals(usual, mode(keras), ".keras");
        assertEquals(usual, mode(weights), ".weights.h5");
        assertEquals(usual, mode(json), "another file written through AtomicFiles");
        // what Files.createTempFile would have given: the old behaviour, which this test tells apart
        Path temp = Files.createTempFile(dir, "x", ".tmp");
        assertNotEquals(usual, mode(temp));
    }

    @Test
    void replacedFilesKeepTheirMode() throws Exception {
        assumePosix();
        Sequential m = model();
        Path keras = dir.resolve("m.keras");
        Path weights = dir.resolve("m.weights.h5");
        m.save(keras);
        m.saveWeights(weights);
        Files.setPosixFilePermissions(keras, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(weights, PosixFilePermissions.fromString("rw----r--"));
        m.trainOnBatch(SavingTestSupport.data(1, 4, 3), SavingTestSupport.data(2, 4, 2));
        byte[] before = Files.readAllBytes(keras);
        m.save(keras);
        m.saveWeights(weights);
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(keras)), "the file was replaced");
        assertEquals("rw-r-----", mode(keras));
        assertEquals("rw----r--", mode(weights));
        // a read-only file is replaced (the folder allows it) and stays read-only
        Files.setPosixFilePermissions(keras, PosixFilePermissions.fromString("r--r--r--"));
        m.save(keras);
        assertEquals("r--r--r--", mode(keras));
        assertEquals(Set.of("m.keras", "m.weights.h5"), files());
    }

    @Test
    void aReplacementIsPrivateWhileItIsWritten() throws Exception {
        assumePosix();
        Path p = dir.resolve("secret.json");
        Files.writeString(p, "old");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        AtomicReference<String> during = new AtomicReference<>();
        AtomicFiles.write(p, tmp -> {
            during.set(mode(tmp));
            Files.writeString(tmp, "new");
        });
        assertEquals("rw-------", during.get());
        assertEquals("rw-------", mode(p));
        assertEquals("new", Files.readString(p));
    }

    @Test
    void staleTemporaryFilesOfEndedProcessesAreRemoved() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
        long deadPid = ended.pid();
        Assumptions.assumeTrue(ProcessHandle.of(deadPid).isEmpty(), "the pid of an ended process was reused at once");
        Process sleeper = new ProcessBuilder("sleep", "120").start();
        try {
            long livePid = sleeper.pid();
            long ownPid = ProcessHandle.current().pid();
            String host = AtomicFiles.host();
            String otherHost = host.equals("00000000") ? "00000001" : "00000000";
            Path target = dir.resolve("m.keras");
            String dead = ".m.keras.cornu-" + host + "-" + deadPid + "-0123456789abcdef.tmp";
            String own = ".m.keras.cornu-" + host + "-" + ownPid + "-00000000000000aa.tmp";
            String live = ".m.keras.cornu-" + host + "-" + livePid + "-fedcba9876543210.tmp";
            String elsewhere = ".m.keras.cornu-" + otherHost + "-" + deadPid + "-0123456789abcdef.tmp";
            String otherTarget = ".n.keras.cornu-" + host + "-" + deadPid + "-0123456789abcdef.tmp";
            String olderNaming = ".m.keras.5177205738460264339.tmp";
            String users = "m.keras.bak";
            for (String f : List.of(dead, own, live, elsewhere, otherTarget, olderNaming, users)) Files.writeString(dir.resolve(f), f);
            assertTrue(AtomicFiles.tempPattern(target).matcher(dead).matches(), "the test names its files as AtomicFiles does");

            model().save(target);

            Set<String> expected = new TreeSet<>(List.of("m.keras", live, elsewhere, otherTarget, olderNaming, users));
            assertEquals(expected, files());
            assertEquals(live, Files.readString(dir.resolve(live)), "a live process's temporary file is untouched");
        } finally {
            sleeper.destroy();
        }
    }

    @Test
    void aSaveInProgressKeepsItsTemporaryFile() throws Exception {
        Path target = dir.resolve("m.json");
        AtomicReference<Path> outer = new AtomicReference<>();
        AtomicFiles.write(target, tmp -> {
            outer.set(tmp);
            Files.writeString(tmp, "outer");
            // a second save of the same path in this process (another thread would do the same) looks for stale files
            AtomicFiles.write(target, inner -> Files.writeString(inner, "inner"));
            assertTrue(Files.exists(tmp), "the first save's temporary file was removed while in use");
            assertEquals("outer", Files.readString(tmp));
        });
        assertEquals("outer", Files.readString(target));
        assertFalse(Files.exists(outer.get()));
        assertEquals(Set.of("m.json"), files());
    }

    @Test
    void longNamesStillFitTheTemporaryName() throws Exception {
        String name = "m".repeat(240) + ".keras";
        Path target = dir.resolve(name);
        model().save(target);
        assertTrue(Files.size(target) > 0);
        assertEquals(Set.of(name), files());
        assertTrue(AtomicFiles.tempName(target, Long.MAX_VALUE, AtomicFiles.host()).getBytes(StandardCharsets.UTF_8).length <= 255);
    }
}
