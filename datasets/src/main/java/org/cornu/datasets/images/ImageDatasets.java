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

    /**
     * Starts a configuration with Keras's defaults for the folder {@code directory}, as
     * {@code keras.utils.image_dataset_from_directory(directory)}; {@link Options#build()} makes the dataset.
     *
     * @param directory the folder with one sub-folder per class, each holding images ({@code .bmp}, {@code .gif},
     *     {@code .jpeg}, {@code .jpg}, {@code .png})
     * @return the options
     */
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

        /**
         * Sets how labels are encoded (Keras's {@code label_mode}, default {@code "int"}): {@code "int"} means
         * that the labels are encoded as integers (e.g. for {@code sparse_categorical_crossentropy} loss),
         * {@code "categorical"} as a categorical vector (e.g. for {@code categorical_crossentropy} loss),
         * {@code "binary"} as 0 or 1 in float32 for two classes (e.g. for {@code binary_crossentropy}); null
         * for no labels.
         *
         * @param m one of the modes above
         * @return these options
         * @throws IllegalArgumentException for any other mode
         */
        public Options labelMode(String m) {
            if (m != null && !List.of("int", "categorical", "binary").contains(m)) {
                throw new IllegalArgumentException("`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None. Received: label_mode=" + m);
            }
            this.labelMode = m;
            return this;
        }

        /**
         * Sets an explicit list of class names (Keras's {@code class_names}, default None: all sub-folders in
         * alphanumeric order); they must match the names of sub-folders and fix the label order.
         *
         * @param names the sub-folder names
         * @return these options
         */
        public Options classNames(List<String> names) {
            this.classNames = List.copyOf(names);
            return this;
        }

        /**
         * Sets whether the images will be converted to have 1, 3, or 4 channels (Keras's {@code color_mode},
         * default {@code "rgb"}).
         *
         * @param m {@code "grayscale"}, {@code "rgb"} or {@code "rgba"}
         * @return these options
         * @throws IllegalArgumentException for any other mode
         */
        public Options colorMode(String m) {
            Images.channels(m);
            this.colorMode = m;
            return this;
        }

        /**
         * Sets the size of the batches of data (Keras's {@code batch_size}, default 32).
         *
         * @param b the batch size
         * @return these options
         * @throws IllegalArgumentException if {@code b} is less than 1
         */
        public Options batchSize(int b) {
            if (b < 1) throw new IllegalArgumentException("batch_size must be >= 1, received: " + b);
            this.batchSize = b;
            return this;
        }

        /**
         * Sets the size to resize images to after they are read from disk (Keras's {@code image_size}, default
         * {@code (256, 256)}).
         *
         * @param h the height
         * @param w the width
         * @return these options
         * @throws IllegalArgumentException if a size is not positive
         */
        public Options imageSize(int h, int w) {
            if (h < 1 || w < 1) throw new IllegalArgumentException("image_size must be positive, received: (" + h + ", " + w + ")");
            this.height = h;
            this.width = w;
            return this;
        }

        /**
         * Sets whether to shuffle the data (Keras's {@code shuffle}, default true); if false, sorts the data in
         * alphanumeric order.
         *
         * @param s whether to shuffle
         * @return these options
         */
        public Options shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /**
         * Sets the random seed for shuffling and transformations (Keras's {@code seed}, default None: a random
         * one); required with shuffling and a validation split, so that the subsets do not overlap.
         *
         * @param s the seed
         * @return these options
         */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Sets the fraction of data to reserve for validation (Keras's {@code validation_split}, default None):
         * the last {@code int(validation_split * n)} files after the shuffle.
         *
         * @param v a fraction strictly between 0 and 1
         * @return these options
         * @throws IllegalArgumentException if {@code v} is not in {@code (0, 1)}
         */
        public Options validationSplit(double v) {
            if (!(v > 0 && v < 1)) {
                throw new IllegalArgumentException("`validation_split` must be between 0 and 1, received: " + v);
            }
            this.validationSplit = v;
            return this;
        }

        /**
         * Sets the subset of the data to return (Keras's {@code subset}, default None); only used if
         * {@code validation_split} is set.
         *
         * @param s {@code "training"}, {@code "validation"}, or {@code "both"} (with {@link #buildBoth()})
         * @return these options
         * @throws IllegalArgumentException for any other value
         */
        public Options subset(String s) {
            if (s != null && !List.of("training", "validation", "both").contains(s)) {
                throw new IllegalArgumentException("`subset` must be either \"training\", \"validation\" or \"both\", received: " + s);
            }
            this.subset = s;
            return this;
        }

        /**
         * Sets the interpolation method used when resizing images (Keras's {@code interpolation}, default
         * {@code "bilinear"}).
         *
         * @param i {@code "bilinear"} or {@code "nearest"}
         * @return these options
         * @throws IllegalArgumentException for any other method
         */
        public Options interpolation(String i) {
            if (!i.equals("bilinear") && !i.equals("nearest")) {
                throw new IllegalArgumentException("Unsupported interpolation: " + i + " (supported: \"bilinear\", \"nearest\")");
            }
            this.interpolation = i;
            return this;
        }

        /**
         * Sets whether to resize the images without aspect ratio distortion (Keras's
         * {@code crop_to_aspect_ratio}, default false: the aspect ratio may not be preserved); if true, images
         * are centre-cropped to the target aspect ratio before resizing.
         *
         * @param c whether to crop
         * @return these options
         */
        public Options cropToAspectRatio(boolean c) {
            this.cropToAspectRatio = c;
            return this;
        }

        /**
         * Sets whether files that cannot be decoded are logged (SLF4J warning) and skipped; by default they throw
         * an exception naming the file. Cornu's addition.
         *
         * @param s whether to skip bad files
         * @return these options
         */
        public Options skipBadFiles(boolean s) {
            this.skipBadFiles = s;
            return this;
        }

        /**
         * Makes the dataset: the subset chosen by {@link #subset}, or all files without a split. Logs
         * {@code Found N files belonging to K classes.} as Keras prints it.
         *
         * @return the dataset
         * @throws IllegalArgumentException for {@code subset("both")}, for a split without a subset (or the
         *     reverse), a shuffled split without a seed, a missing folder, no images, or {@code "binary"} labels
         *     without exactly 2 classes
         */
        public ImageDataset build() {
            if ("both".equals(subset)) throw new IllegalArgumentException("subset=\"both\" returns two datasets: use buildBoth()");
            return make(subset);
        }

        /**
         * Makes both subsets, for {@code subset("both")}.
         *
         * @return {@code {training, validation}}
         * @throws IllegalArgumentException without {@code subset("both")}, or as {@link #build()}
         */
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
