package org.cornu.core.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cornu.core.saving.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes an interrupted {@code fit}, as {@code keras.callbacks.BackupAndRestore}: at the end of
 * each epoch the weights and optimizer state go to {@code backupDir/latest.weights.h5} and the
 * epoch to {@code backupDir/training_metadata.json}; a later {@code fit} with the same callback
 * restores them and continues at the next epoch. A run that ends normally (all epochs, or
 * stopped by a callback such as EarlyStopping) deletes the backup, unless
 * {@link #deleteCheckpoint} is false; a run interrupted by an exception or a crash keeps it.
 */
public class BackupAndRestore extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(BackupAndRestore.class);
    private static final Pattern EPOCH = Pattern.compile("\"epoch\"\\s*:\\s*(-?\\d+)");

    private final Path backupDir;
    private boolean deleteCheckpoint = true;

    /**
     * Backs up the training state to {@code backupDir} at the end of each epoch and resumes from it
     * (Keras's {@code BackupAndRestore(backup_dir)}).
     *
     * @param backupDir the directory for the backup; must not be shared with other runs
     */
    public BackupAndRestore(Path backupDir) {
        this.backupDir = backupDir;
    }

    /**
     * Backs up the training state to {@code backupDir} (Keras's {@code backup_dir}).
     *
     * @param backupDir the directory for the backup
     */
    public BackupAndRestore(String backupDir) {
        this(Path.of(backupDir));
    }

    /**
     * Whether a run that ends normally deletes the backup (default true).
     *
     * @param d false to keep the backup (Keras's {@code delete_checkpoint})
     * @return this callback
     */
    public BackupAndRestore deleteCheckpoint(boolean d) {
        this.deleteCheckpoint = d;
        return this;
    }

    private Path weights() {
        return backupDir.resolve("latest.weights.h5");
    }

    private Path metadata() {
        return backupDir.resolve("training_metadata.json");
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        if (!Files.exists(weights()) || !Files.exists(metadata())) return;
        String meta;
        try {
            meta = Files.readString(metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + metadata() + ": " + e, e);
        }
        Matcher m = EPOCH.matcher(meta);
        if (!m.find()) throw new IllegalArgumentException("File " + metadata() + " has no \"epoch\" entry: " + meta);
        int epoch = Integer.parseInt(m.group(1));
        model.loadWeights(weights());
        model.resumeFromEpoch(epoch + 1);
        LOG.info("Restored the backup of epoch {} from {}; training resumes at epoch {}", epoch + 1, backupDir, epoch + 2);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        try {
            Files.createDirectories(backupDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the backup folder " + backupDir + ": " + e, e);
        }
        model.saveWeights(weights());
        String json = "{\"epoch\": " + epoch + ", \"batch\": -1}";
        AtomicFiles.write(metadata(), tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (deleteCheckpoint) {
            try {
                Files.deleteIfExists(weights());
                Files.deleteIfExists(metadata());
                try (var s = Files.list(backupDir)) {
                    if (s.findAny().isEmpty()) Files.delete(backupDir);
                }
            } catch (IOException e) {
                LOG.warn("Could not delete the backup in {}: {}", backupDir, e.toString());
            }
        }
    }
}
