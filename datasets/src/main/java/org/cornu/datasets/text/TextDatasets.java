package org.cornu.datasets.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.cornu.datasets.NumpyRandomState;

/**
 * {@code keras.utils.text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
 * batch_size=32, max_length=None, shuffle=True, seed=None, validation_split=None, subset=None, follow_links=False)}:
 * <pre>{@code
 * TextDataset[] trainVal = TextDatasets.textDatasetFromDirectory(Path.of("aclImdb/train"))
 *     .batchSize(32).validationSplit(0.2).subset("both").seed(1337).buildBoth();
 * }</pre>
 * If the directory holds {@code class_a/} and {@code class_b/}, the dataset yields batches of texts from both with
 * labels 0 and 1. Only {@code .txt} files are used (the extension in any case).
 *
 * <p>Files are listed as Keras's {@code index_directory} lists them: the classes are the sub-folders (not hidden,
 * symbolic links to folders included), sorted by name unless {@code class_names} fixes the order; in each, the
 * {@code .txt} files of the folder and all its sub-folders (not entering linked folders unless {@code followLinks}),
 * folders sorted by path, files by name within a folder (names compare by Unicode code point, as Python sorts).
 * With explicit {@code labels} (or none) the directory itself is walked that way. With {@code shuffle} (default) the
 * list is then shuffled with NumPy's {@code RandomState(seed).shuffle}, as Keras does, so that the same seed gives the
 * same files in the same order as Keras; without it, it stays sorted. {@code validation_split} then takes the last
 * {@code int(validation_split * n)} files for validation and the rest for training.
 */
public final class TextDatasets {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TextDatasets.class);

    private TextDatasets() {}

    /**
     * Generates a dataset of text files from a directory: starts a configuration with Keras's defaults, to be set
     * with the {@link Options} methods and finished with {@link Options#build()} or {@link Options#buildBoth()}.
     *
     * @param directory the directory where the data is located; with inferred labels it should contain one
     *     sub-folder per class, otherwise its structure is ignored
     * @return the options, with Keras's defaults
     */
    public static Options textDatasetFromDirectory(Path directory) {
        return new Options(directory);
    }

    /** Arguments of {@code text_dataset_from_directory}, with Keras's defaults. */
    public static final class Options {
        private final Path directory;
        private boolean inferred = true;
        private List<Integer> explicitLabels;
        private String labelMode = "int";
        private List<String> classNames;
        private int batchSize = 32;
        private Integer maxLength;
        private boolean shuffle = true;
        private Long seed;
        private Double validationSplit;
        private String subset;
        private boolean followLinks;

        Options(Path directory) {
            this.directory = directory;
        }

        /**
         * Keras's {@code labels} as a string: {@code "inferred"} (the default: labels are generated from the
         * directory structure, one class per sub-folder) or null (no labels).
         *
         * @param labels {@code "inferred"} or null
         * @return these options
         * @throws IllegalArgumentException for any other string
         */
        public Options labels(String labels) {
            if (labels != null && !labels.equals("inferred")) {
                throw new IllegalArgumentException("`labels` argument should be a list/tuple of integer labels, of the same size as the"
                        + " number of text files in the target directory. If you wish to infer the labels from the subdirectory names"
                        + " in the target directory, pass `labels=\"inferred\"`. If you wish to get a dataset that only contains text"
                        + " samples (no labels), pass `labels=None`. Received: labels=" + labels);
            }
            inferred = labels != null;
            explicitLabels = null;
            return this;
        }

        /**
         * Keras's {@code labels} as a list: one integer label per text file found in the directory, in the order the
         * directory is walked (sorted by path; see the class documentation). The number of labels must match the
         * number of files when the dataset is built.
         *
         * @param labels the labels, one per file
         * @return these options
         */
        public Options labels(List<Integer> labels) {
            inferred = false;
            explicitLabels = List.copyOf(labels);
            return this;
        }

        /**
         * String describing the encoding of the labels ({@code label_mode}): {@code "int"} (the default: labels are
         * encoded as integers, e.g. for {@code sparse_categorical_crossentropy}); {@code "categorical"} (labels are a
         * one-hot vector, e.g. for {@code categorical_crossentropy}); {@code "binary"} (there must be exactly 2
         * classes, and labels are {@code 0} or {@code 1} floats, e.g. for {@code binary_crossentropy}); or null (no
         * labels).
         *
         * @param m one of the values above
         * @return these options
         * @throws IllegalArgumentException for any other value
         */
        public Options labelMode(String m) {
            if (m != null && !List.of("int", "categorical", "binary").contains(m)) {
                throw new IllegalArgumentException("`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None."
                        + " Received: label_mode=" + m);
            }
            labelMode = m;
            return this;
        }

        /**
         * Explicit list of class names ({@code class_names}), which must match names of sub-folders; used to
         * control the order of the classes (otherwise alphanumerical order is used) and, when only some sub-folders
         * are named, which classes are read. Only valid if {@code labels} is {@code "inferred"}.
         *
         * @param names the class sub-folder names, in label order
         * @return these options
         */
        public Options classNames(List<String> names) {
            classNames = List.copyOf(names);
            return this;
        }

        /**
         * Size of the batches of data ({@code batch_size}). Defaults to 32.
         *
         * @param b the batch size, at least 1
         * @return these options
         * @throws IllegalArgumentException if {@code b} is less than 1
         */
        public Options batchSize(int b) {
            if (b < 1) throw new IllegalArgumentException("batch_size must be >= 1, received: " + b);
            batchSize = b;
            return this;
        }

        /**
         * Maximum size of a text string ({@code max_length}): texts longer than this many UTF-8 bytes are truncated
         * to it. Defaults to null (no truncation).
         *
         * @param n the maximum length in bytes, or null for none
         * @return these options
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Options maxLength(Integer n) {
            if (n != null && n < 0) throw new IllegalArgumentException("max_length must be >= 0, received: " + n);
            maxLength = n;
            return this;
        }

        /**
         * Whether to shuffle the data ({@code shuffle}). Defaults to true. If false, the data stays sorted in
         * alphanumeric order (by class, then path).
         *
         * @param s whether to shuffle
         * @return these options
         */
        public Options shuffle(boolean s) {
            shuffle = s;
            return this;
        }

        /**
         * Optional random seed for shuffling ({@code seed}), which also seeds the reshuffle of later passes;
         * required when shuffling with a {@code validation_split}, so that the training and validation subsets do
         * not overlap. Without it a random seed is drawn.
         *
         * @param s the seed of NumPy's {@code RandomState}
         * @return these options
         */
        public Options seed(long s) {
            seed = s;
            return this;
        }

        /**
         * Optional float between 0 and 1, fraction of data to reserve for validation ({@code validation_split}):
         * the last {@code int(validation_split * n)} files (after shuffling) form the validation subset. Requires
         * {@link #subset}.
         *
         * @param v the validation fraction, strictly between 0 and 1
         * @return these options
         * @throws IllegalArgumentException if {@code v} is not strictly between 0 and 1
         */
        public Options validationSplit(double v) {
            if (!(v > 0 && v < 1)) throw new IllegalArgumentException("`validation_split` must be between 0 and 1, received: " + v);
            validationSplit = v;
            return this;
        }

        /**
         * Subset of the data to return ({@code subset}): {@code "training"}, {@code "validation"} or {@code "both"}
         * (build both with {@link #buildBoth()}). Only used if {@code validation_split} is set.
         *
         * @param s one of the values above, or null
         * @return these options
         * @throws IllegalArgumentException for any other value
         */
        public Options subset(String s) {
            if (s != null && !List.of("training", "validation", "both").contains(s)) {
                throw new IllegalArgumentException("`subset` must be either \"training\", \"validation\" or \"both\", received: " + s);
            }
            subset = s;
            return this;
        }

        /**
         * Whether to visit sub-folders pointed to by symbolic links ({@code follow_links}). Defaults to false.
         *
         * @param f whether to follow links
         * @return these options
         */
        public Options followLinks(boolean f) {
            followLinks = f;
            return this;
        }

        /**
         * Lists the files and builds the dataset: the subset chosen by {@link #subset}, or all files without a
         * split.
         *
         * @return the dataset
         * @throws IllegalArgumentException if the options are inconsistent (as Keras checks them), the directory
         *     does not exist, or the chosen subset has no {@code .txt} file
         */
        public TextDataset build() {
            if ("both".equals(subset)) throw new IllegalArgumentException("subset=\"both\" returns two datasets: use buildBoth()");
            Index ix = index();
            return make(ix, subset);
        }

        /**
         * Lists the files once and builds both subsets, for {@code subset("both")}.
         *
         * @return {@code {training, validation}}
         * @throws IllegalArgumentException if {@code subset} is not {@code "both"}, or as {@link #build()}
         */
        public TextDataset[] buildBoth() {
            if (!"both".equals(subset)) throw new IllegalArgumentException("buildBoth() requires subset(\"both\"), got subset=" + subset);
            Index ix = index();
            return new TextDataset[] {make(ix, "training"), make(ix, "validation")};
        }

        private record Index(List<Path> files, int[] labels, List<String> classNames, String labelMode, long seed) {}

        private Index index() {
            if (!inferred && classNames != null) {
                throw new IllegalArgumentException(explicitLabels == null
                        ? "When `labels=None` (no labels), argument `class_names` cannot be specified."
                        : "You can only pass `class_names` if `labels=\"inferred\"`. Received: labels=" + explicitLabels
                        + ", and class_names=" + classNames);
            }
            if ((validationSplit != null) != (subset != null)) {
                throw new IllegalArgumentException("If `subset` is set, `validation_split` must be set, and inversely.");
            }
            if (validationSplit != null && shuffle && seed == null) {
                throw new IllegalArgumentException("If using `validation_split` and shuffling the data, you must provide a `seed`"
                        + " argument, to make sure that there is no overlap between the training and validation subset.");
            }
            if (!Files.isDirectory(directory)) throw new IllegalArgumentException("Could not find directory " + directory);
            boolean noLabels = (!inferred && explicitLabels == null) || labelMode == null;
            String mode = noLabels ? null : labelMode;
            List<String> subdirs;
            if (inferred) {
                List<String> all = new ArrayList<>();
                for (Path p : list(directory)) {
                    String n = p.getFileName().toString();
                    if (Files.isDirectory(p) && !n.startsWith(".")) all.add(n);
                }
                all.sort(CODE_POINTS);
                if (classNames != null) {
                    if (!all.containsAll(classNames)) {
                        throw new IllegalArgumentException("The `class_names` passed did not match the names of the subdirectories of"
                                + " the target directory. Expected: " + all + " (or a subset of it), but received: class_names=" + classNames);
                    }
                    subdirs = classNames;
                } else {
                    subdirs = all;
                }
            } else {
                subdirs = List.of("");
            }
            List<Path> files = new ArrayList<>();
            List<Integer> labs = new ArrayList<>();
            for (int k = 0; k < subdirs.size(); k++) {
                Path sub = subdirs.get(k).isEmpty() ? directory : directory.resolve(subdirs.get(k));
                for (Path f : textFiles(sub, followLinks)) {
                    files.add(f);
                    labs.add(k);
                }
            }
            int n = files.size();
            int[] labels = null;
            List<String> names = null;
            if (inferred) {
                labels = labs.stream().mapToInt(Integer::intValue).toArray();
                names = subdirs;
            } else if (explicitLabels != null) {
                if (explicitLabels.size() != n) {
                    throw new IllegalArgumentException("Expected the lengths of `labels` to match the number of files in the target"
                            + " directory. len(labels) is " + explicitLabels.size() + " while we found " + n + " files in directory "
                            + directory + ".");
                }
                labels = explicitLabels.stream().mapToInt(Integer::intValue).toArray();
                names = new TreeSet<>(explicitLabels).stream().map(String::valueOf).toList();
            }
            if (labels == null) LOG.info("Found {} files.", n);
            else LOG.info("Found {} files belonging to {} classes.", n, names.size());
            if ("binary".equals(mode) && names.size() != 2) {
                throw new IllegalArgumentException("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received:"
                        + " class_names=" + names);
            }
            long s = seed != null ? seed : new java.util.Random().nextInt(1_000_000);
            if (shuffle) {
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) order[i] = i;
                new NumpyRandomState(s).shuffle(order);
                List<Path> f2 = new ArrayList<>(n);
                int[] l2 = labels == null ? null : new int[n];
                for (int i = 0; i < n; i++) {
                    f2.add(files.get(order[i]));
                    if (l2 != null) l2[i] = labels[order[i]];
                }
                files = f2;
                labels = l2;
            }
            return new Index(files, labels, names, mode, s);
        }

        private TextDataset make(Index ix, String which) {
            int n = ix.files().size();
            int from = 0, to = n;
            if (validationSplit != null) {
                int numVal = (int) (validationSplit * n);
                if ("training".equals(which)) {
                    to = n - numVal;
                    LOG.info("Using {} files for training.", to);
                } else {
                    from = n - numVal;
                    LOG.info("Using {} files for validation.", numVal);
                }
            }
            if (from >= to) {
                throw new IllegalArgumentException("No " + (validationSplit == null ? "" : which + " ") + "text files found in directory "
                        + directory + ". Allowed format: .txt");
            }
            int[] l = ix.labels() == null ? null : java.util.Arrays.copyOfRange(ix.labels(), from, to);
            boolean shuffleBatches = shuffle && !"validation".equals(which);
            return new TextDataset(ix.files().subList(from, to), l, ix.classNames(), ix.labelMode(), maxLength, batchSize,
                    shuffleBatches, ix.seed());
        }
    }

    /** Python's string order: by Unicode code point (Java's compareTo orders UTF-16 units). */
    static final Comparator<String> CODE_POINTS = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private static List<Path> list(Path dir) {
        List<Path> r = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) r.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list directory " + dir + ": " + e.getMessage(), e);
        }
        return r;
    }

    /**
     * Keras's {@code iter_valid_files}: {@code os.walk(dir)} sorted by folder path, names sorted within a folder,
     * those ending in {@code .txt} (any case).
     */
    static List<Path> textFiles(Path dir, boolean followLinks) {
        List<Path> roots = new ArrayList<>();
        walk(dir, followLinks, roots, new java.util.HashSet<>());
        roots.sort(Comparator.comparing(Path::toString, CODE_POINTS));
        List<Path> r = new ArrayList<>();
        for (Path root : roots) {
            List<Path> fs = new ArrayList<>();
            for (Path p : list(root)) {
                if (!Files.isDirectory(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")) fs.add(p);
            }
            fs.sort(Comparator.comparing(p -> p.getFileName().toString(), CODE_POINTS));
            r.addAll(fs);
        }
        return r;
    }

    private static void walk(Path dir, boolean followLinks, List<Path> roots, java.util.Set<Path> seen) {
        if (followLinks) {
            try {
                if (!seen.add(dir.toRealPath())) return; // a link back up the tree
            } catch (IOException e) {
                return;
            }
        }
        roots.add(dir);
        for (Path p : list(dir)) {
            if (Files.isDirectory(p) && (followLinks || !Files.isSymbolicLink(p))) walk(p, followLinks, roots, seen);
        }
    }
}
