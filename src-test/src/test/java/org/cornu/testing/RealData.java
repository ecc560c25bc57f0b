package org.cornu.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cornu.datasets.DatasetFiles;

/**
 * The folder of real Keras dataset files for tests: {@code $CORNU_DATASETS} (CI sets it to
 * {@code ../shared/datasets}; a relative path is taken from the working directory, the
 * {@code src-test} module). If it is unset outside CI, the sibling {@code shared/datasets} folders
 * are tried. Missing data makes the tests fail, never skip.
 */
public final class RealData {
    private RealData() {
    }

    public static Path dir() {
        String env = System.getenv(DatasetFiles.ENV_DATASETS);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                fail("CORNU_DATASETS=" + env + " is not a folder (resolved to " + p + ")");
            }
            return p;
        }
        if (System.getenv("CI") != null) {
            fail("CORNU_DATASETS is not set: in CI it must name the folder of Keras dataset files (../shared/datasets)");
        }
        for (String candidate : new String[] {"../shared/datasets", "../../shared/datasets"}) {
            Path p = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) return p;
        }
        fail("CORNU_DATASETS is not set and no shared/datasets folder was found next to the repository "
                + "(looked in ../shared/datasets and ../../shared/datasets from " + Path.of("").toAbsolutePath() + ")");
        return null;
    }

    /** A file of the real-data folder, failing clearly if it is missing. */
    public static Path file(String name) {
        Path p = dir().resolve(name);
        if (!Files.isRegularFile(p)) fail("missing dataset file " + p);
        return p;
    }

    /**
     * A model file that real Keras wrote, from {@code ../shared/keras-models} (the sibling of the
     * datasets folder; README there), failing clearly if it is missing.
     */
    public static Path kerasModel(String name) {
        Path p = dir().resolveSibling("keras-models").resolve(name);
        if (!Files.isRegularFile(p)) fail("missing Keras model file " + p + " (../shared/keras-models beside the datasets folder)");
        return p;
    }
}
