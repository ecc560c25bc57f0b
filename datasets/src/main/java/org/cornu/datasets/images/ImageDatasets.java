package org.cornu.datasets.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cornu.datasets.NumpyRandomState;

/**
 * {@code keras.utils.image_dataset_from_directory}:
 * <pre>{@code
 * ImageDataset[] tv = ImageDatasets.imageDatasetFromDirectory(dir)
 *     .imageSize(180, 180).batchSize(32).seed(1337).validationSplit(0.2).subset("both").buildBoth();
 * }</pre>
 * Labels are inferred from the sub-folders of {@code dir} (sorted alphabetically; files of each found
 * recursively, sorted); files with extensions .bmp, .gif, .jpeg, .jpg, .png are used. With {@code shuffle}
 * (default) the file list is shuffled with numpy's {@code RandomState(seed)} as Keras does, then the last
 * {@code int(validationSplit * n)} files form the validation subset and the rest the training subset.
 */
public final class ImageDatasets {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageDatasets.class);
    private static final List<String> FORMATS = List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png");

    private ImageDatasets() {}

    /** Starts a configuration with Keras's defaults for the folder {@code directory}. */
    public static Options imageDatasetFromDirectory(Path directory) {
        return new Options(directory);
    }

    /** Arguments of {@code image_dataset_from_directory}, with Keras's defaults. */
    public static final class Options {
        private final Path directory;
        private String labelMode = "int";
        private List<String> classNames;
        private String colorMode = "rgb";
        private int batchSize = 32;
        private int height = 256;
        private int width = 256;
        private boolean shuffle = true;
        private Long seed;
        private Double validationSplit;
        private String subset;
        private String interpolation = "bilinear";
        private boolean skipBadFiles;
        private boolean cropToAspectRatio;

        Options(Path directory) {
            this.directory = directory;
        }

        /** "int" (default), "categorical", "binary" or null (no labels). */
        public Options labelMode(String m) {
            if (m != null && !List.of("int", "categorical", "binary").contains(m)) {
                throw new IllegalArgumentException("`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None. Received: label_mode=" + m);
            }
            this.labelMode = m;
            return this;
        }

        /** Explicit class list (sub-folder names) fixing the label order; default: all sub-folders sorted. */
        public Options classNames(List<String> names) {
            this.classNames = List.copyOf(names);
            return this;
        }

        /** "rgb" (default), "rgba" or "grayscale". */
        public Options colorMode(String m) {
            Images.channels(m);
            this.colorMode = m;
            return this;
        }

        /** Batch size for iteration (default 32). */
        public Options batchSize(int b) {
            if (b < 1) throw new IllegalArgumentException("batch_size must be >= 1, received: " + b);
            this.batchSize = b;
            return this;
        }

        /** Size {@code (height, width)} images are resized to (default 256 x 256). */
        public Options imageSize(int h, int w) {
            if (h < 1 || w < 1) throw new IllegalArgumentException("image_size must be positive, received: (" + h + ", " + w + ")");
            this.height = h;
            this.width = w;
            return this;
        }

        /** Whether to shuffle (default true). */
        public Options shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** Seed for shuffling (required with {@code shuffle} and {@code validationSplit}). */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }

        /** Fraction in (0, 1) reserved for validation. */
        public Options validationSplit(double v) {
            if (!(v > 0 && v < 1)) {
                throw new IllegalArgumentException("`validation_split` must be between 0 and 1, received: " + v);
            }
            this.validationSplit = v;
            return this;
        }

        /** "training", "validation" or "both" (with {@link #buildBoth()}). */
        public Options subset(String s) {
            if (s != null && !List.of("training", "validation", "both").contains(s)) {
                throw new IllegalArgumentException("`subset` must be either \"training\", \"validation\" or \"both\", received: " + s);
            }
            this.subset = s;
            return this;
        }

        /** Resize interpolation, "bilinear" (default) or "nearest". */
        public Options interpolation(String i) {
            if (!i.equals("bilinear") && !i.equals("nearest")) {
                throw new IllegalArgumentException("Unsupported interpolation: " + i + " (supported: \"bilinear\", \"nearest\")");
            }
            this.interpolation = i;
            return this;
        }

        /** If true, images are centre-cropped to the target aspect ratio before resizing (default false: stretched). */
        public Options cropToAspectRatio(boolean c) {
            this.cropToAspectRatio = c;
            return this;
        }

        /** If true, files that cannot be decoded are logged (SLF4J warning) and skipped; default: they throw. */
        public Options skipBadFiles(boolean s) {
            this.skipBadFiles = s;
            return this;
        }

        /** The dataset (the subset chosen by {@link #subset}, or all files without a split). */
        public ImageDataset build() {
            if ("both".equals(subset)) throw new IllegalArgumentException("subset=\"both\" returns two datasets: use buildBoth()");
            return make(subset);
        }

        /** {@code {training, validation}} for {@code subset("both")}. */
        public ImageDataset[] buildBoth() {
            if (!"both".equals(subset)) throw new IllegalArgumentException("buildBoth() requires subset(\"both\"), got subset=" + subset);
            return new ImageDataset[] {make("training"), make("validation")};
        }

        private ImageDataset make(String which) {
            if (validationSplit != null && subset == null) {
                throw new IllegalArgumentException("If `subset` is set, `validation_split` must be set, and inversely.");
            }
            if (validationSplit == null && subset != null) {
                throw new IllegalArgumentException("If `subset` is set, `validation_split` must be set, and inversely.");
            }
            if (validationSplit != null && shuffle && seed == null) {
                throw new IllegalArgumentException("If using `validation_split` and shuffling the data, you must provide a `seed` argument, "
                    + "to make sure that there is no overlap between the training and validation subset.");
            }
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("Could not find directory " + directory);
            }
            List<String> classes = classNames != null ? classNames : subdirectories(directory);
            if ("binary".equals(labelMode) && classes.size() != 2) {
                throw new IllegalArgumentException("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names="
                    + classes);
            }
            List<Path> files = new ArrayList<>();
            List<Integer> labs = new ArrayList<>();
            for (int k = 0; k < classes.size(); k++) {
                Path sub = directory.resolve(classes.get(k));
                if (!Files.isDirectory(sub)) throw new IllegalArgumentException("Class directory not found: " + sub);
                for (Path f : imageFiles(sub)) {
                    files.add(f);
                    labs.add(k);
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("No images found in directory " + directory + ". Allowed formats: " + FORMATS);
            }
            int n = files.size();
            LOG.info("Found {} files belonging to {} classes.", n, classes.size());
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            long s = seed != null ? seed : new java.util.Random().nextInt(1_000_000);
            if (shuffle) new NumpyRandomState(s).shuffle(order);
            int from = 0, to = n;
            if (validationSplit != null) {
                int numVal = (int) (validationSplit * n);
                if ("training".equals(which)) to = n - numVal;
                else from = n - numVal;
            }
            if (validationSplit != null) LOG.info("Using {} files for {}.", to - from, which);
            List<Path> f = new ArrayList<>(to - from);
            int[] l = new int[to - from];
            for (int i = from; i < to; i++) {
                f.add(files.get(order[i]));
                l[i - from] = labs.get(order[i]);
            }
            return new ImageDataset(f, l, classes, labelMode, height, width, Images.channels(colorMode), interpolation,
                batchSize, shuffle, s, skipBadFiles, cropToAspectRatio);
        }
    }

    static List<String> subdirectories(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list directory " + dir, e);
        }
    }

    static List<Path> imageFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                .filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return FORMATS.stream().anyMatch(n::endsWith);
                })
                .sorted(Comparator.comparing((Path p) -> p.getParent().toString()).thenComparing(p -> p.getFileName().toString()))
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list directory " + dir, e);
        }
    }
}
