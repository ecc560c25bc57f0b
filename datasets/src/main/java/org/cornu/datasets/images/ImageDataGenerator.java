package org.cornu.datasets.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.cornu.core.ops.ImageTransforms;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's legacy {@code ImageDataGenerator}: random affine augmentation (rotation, shifts, shear, zoom, flips)
 * followed by {@code rescale}, as an endless stream of batches for a training loop with {@code stepsPerEpoch}.
 * <pre>{@code
 * ImageDataGenerator gen = new ImageDataGenerator().rescale(1.0 / 255).rotationRange(40)
 *     .widthShiftRange(0.2).heightShiftRange(0.2).shearRange(0.2).zoomRange(0.2).horizontalFlip(true);
 * ImageDataGenerator.Stream train = gen.flowFromDirectory(dir.resolve("train"), 150, 150, 32, "binary");
 * model.fit(train.arrays(), Fit.epochs(30).stepsPerEpoch(100).validationData(val.arrays(), 50));
 * }</pre>
 * The transform follows Keras's {@code get_random_transform} / {@code apply_affine_transform}: rotation
 * {@code uniform(-r, r)} degrees, shifts {@code uniform(-s, s)} × size (values ≥ 1 are pixels), shear
 * {@code uniform(-s, s)} degrees, zoom {@code zx, zy} each {@code uniform(1 - z, 1 + z)}, about the image
 * centre, bilinear sampling, {@code fill_mode} "nearest" by default; then flips with probability 0.5.
 */
public final class ImageDataGenerator {
    private double rescale = 0;
    private double rotationRange;
    private double widthShift;
    private double heightShift;
    private double shearRange;
    private double zoomLo = 1;
    private double zoomHi = 1;
    private boolean horizontalFlip;
    private boolean verticalFlip;
    private String fillMode = "nearest";
    private double cval;

    /**
     * Sets the rescaling factor (Keras's {@code rescale}, default None): the data are multiplied by it after all
     * other transformations.
     *
     * @param r the factor; 0 (Keras's None or 0) applies no rescaling
     * @return this generator
     */
    public ImageDataGenerator rescale(double r) { this.rescale = r; return this; }

    /**
     * Sets the degree range for random rotations (Keras's {@code rotation_range}, default 0).
     *
     * @param deg rotations are drawn from {@code [-deg, deg]}
     * @return this generator
     */
    public ImageDataGenerator rotationRange(double deg) { this.rotationRange = deg; return this; }

    /**
     * Sets the range of random horizontal shifts (Keras's {@code width_shift_range}, default 0).
     *
     * @param s shifts are drawn from {@code [-s, s]}: a fraction of the width if below 1, else pixels
     * @return this generator
     */
    public ImageDataGenerator widthShiftRange(double s) { this.widthShift = s; return this; }

    /**
     * Sets the range of random vertical shifts (Keras's {@code height_shift_range}, default 0).
     *
     * @param s shifts are drawn from {@code [-s, s]}: a fraction of the height if below 1, else pixels
     * @return this generator
     */
    public ImageDataGenerator heightShiftRange(double s) { this.heightShift = s; return this; }

    /**
     * Sets the shear intensity (Keras's {@code shear_range}, default 0): the shear angle in counter-clockwise
     * direction in degrees.
     *
     * @param deg shear angles are drawn from {@code [-deg, deg]}
     * @return this generator
     */
    public ImageDataGenerator shearRange(double deg) { this.shearRange = deg; return this; }

    /**
     * Sets the range for random zoom (Keras's {@code zoom_range} as a float, default 0).
     *
     * @param z zooms are drawn from {@code [1 - z, 1 + z]}, separately for width and height
     * @return this generator
     * @throws IllegalArgumentException if {@code z} is negative, or 1 or more
     */
    public ImageDataGenerator zoomRange(double z) { return zoomRange(1 - z, 1 + z); }

    /**
     * Sets the range for random zoom (Keras's {@code zoom_range=[lower, upper]}).
     *
     * @param lo the lower bound, positive
     * @param hi the upper bound, not below {@code lo}
     * @return this generator
     * @throws IllegalArgumentException if {@code lo} is not positive or exceeds {@code hi}
     */
    public ImageDataGenerator zoomRange(double lo, double hi) {
        if (lo > hi || lo <= 0) throw new IllegalArgumentException("`zoom_range` should be a float or a tuple of two positive floats, received: [" + lo + ", " + hi + "]");
        this.zoomLo = lo;
        this.zoomHi = hi;
        return this;
    }

    /**
     * Sets whether inputs are randomly flipped horizontally, with probability 0.5 (Keras's
     * {@code horizontal_flip}, default false).
     *
     * @param f whether to flip
     * @return this generator
     */
    public ImageDataGenerator horizontalFlip(boolean f) { this.horizontalFlip = f; return this; }

    /**
     * Sets whether inputs are randomly flipped vertically, with probability 0.5 (Keras's {@code vertical_flip},
     * default false).
     *
     * @param f whether to flip
     * @return this generator
     */
    public ImageDataGenerator verticalFlip(boolean f) { this.verticalFlip = f; return this; }

    /**
     * Sets how points outside the boundaries of the input are filled (Keras's {@code fill_mode}, default
     * {@code "nearest"}): {@code "constant"} {@code kkkkkkkk|abcd|kkkkkkkk} ({@code cval=k}), {@code "nearest"}
     * {@code aaaaaaaa|abcd|dddddddd}, {@code "reflect"} {@code abcddcba|abcd|dcbaabcd}, {@code "wrap"}
     * {@code abcdabcd|abcd|abcdabcd}.
     *
     * @param m one of the modes above
     * @return this generator
     * @throws IllegalArgumentException for any other mode
     */
    public ImageDataGenerator fillMode(String m) {
        if (!List.of("nearest", "constant", "reflect", "wrap").contains(m)) {
            throw new IllegalArgumentException("`fill_mode` should be \"constant\", \"nearest\", \"reflect\" or \"wrap\". Received: " + m);
        }
        this.fillMode = m;
        return this;
    }

    /**
     * Sets the value used for points outside the boundaries when {@code fill_mode="constant"} (Keras's
     * {@code cval}, default 0).
     *
     * @param v the value
     * @return this generator
     */
    public ImageDataGenerator cval(double v) { this.cval = v; return this; }

    /**
     * Randomly transforms then rescales one image (Keras's {@code random_transform}, plus {@code rescale}).
     *
     * @param img the image {@code (h, w, c)}
     * @param rng the generator the transform is drawn with
     * @return a new float array {@code (h, w, c)}
     */
    public INDArray randomTransform(INDArray img, Random rng) {
        int h = (int) img.size(0), w = (int) img.size(1), c = (int) img.size(2);
        float[] src = img.dup('c').castTo(DataType.FLOAT).data().asFloat();
        float[] dst = new float[src.length];
        apply(src, dst, 0, h, w, c, rng);
        return Nd4j.create(dst, new long[] {h, w, c}, 'c');
    }

    void apply(float[] src, float[] dst, int off, int h, int w, int c, Random rng) {
        double theta = rotationRange != 0 ? Math.toRadians(uniform(rng, -rotationRange, rotationRange)) : 0;
        double tx = 0, ty = 0;
        if (heightShift != 0) { tx = uniform(rng, -heightShift, heightShift); if (heightShift < 1) tx *= h; }
        if (widthShift != 0) { ty = uniform(rng, -widthShift, widthShift); if (widthShift < 1) ty *= w; }
        double shear = shearRange != 0 ? Math.toRadians(uniform(rng, -shearRange, shearRange)) : 0;
        double zx = 1, zy = 1;
        if (zoomLo != 1 || zoomHi != 1) { zx = uniform(rng, zoomLo, zoomHi); zy = uniform(rng, zoomLo, zoomHi); }
        boolean flipH = horizontalFlip && rng.nextDouble() < 0.5;
        boolean flipV = verticalFlip && rng.nextDouble() < 0.5;
        // (row, col) matrices as Keras: rotation @ shift @ shear @ zoom, about the centre; output -> input
        double[][] m = {{Math.cos(theta), -Math.sin(theta), 0}, {Math.sin(theta), Math.cos(theta), 0}, {0, 0, 1}};
        m = mul(m, new double[][] {{1, 0, tx}, {0, 1, ty}, {0, 0, 1}});
        m = mul(m, new double[][] {{1, -Math.sin(shear), 0}, {0, Math.cos(shear), 0}, {0, 0, 1}});
        m = mul(m, new double[][] {{zx, 0, 0}, {0, zy, 0}, {0, 0, 1}});
        double ox = h / 2.0 - 0.5, oy = w / 2.0 - 0.5;
        m = mul(mul(new double[][] {{1, 0, ox}, {0, 1, oy}, {0, 0, 1}}, m), new double[][] {{1, 0, -ox}, {0, 1, -oy}, {0, 0, 1}});
        double[] t = {m[1][1], m[1][0], m[1][2], m[0][1], m[0][0], m[0][2]};   // to (x = col, y = row)
        if (flipH) { t[2] += t[0] * (w - 1); t[0] = -t[0]; t[5] += t[3] * (w - 1); t[3] = -t[3]; }
        if (flipV) { t[2] += t[1] * (h - 1); t[1] = -t[1]; t[5] += t[4] * (h - 1); t[4] = -t[4]; }
        ImageTransforms.sample(src, dst, off, h, w, c, t, fillMode, "bilinear", (float) cval);
        if (rescale != 0) {
            int n = h * w * c;
            for (int i = off; i < off + n; i++) dst[i] *= (float) rescale;
        }
    }

    /** SplitMix64 finalizer: java.util.Random's first draws are nearly equal for nearby small seeds. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double uniform(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) o[i][j] += a[i][k] * b[k][j];
        return o;
    }

    /**
     * Keras's {@code flow(x, y, batch_size, shuffle, seed)}: endless augmented batches of in-memory images.
     *
     * @param x the images {@code (n, h, w, c)}
     * @param y their labels, the first axis of size {@code n}; null for batches without labels
     * @param batchSize the size of the batches (Keras's default 32)
     * @param shuffle whether to shuffle the data each epoch (Keras's default true)
     * @param seed the seed of the shuffling and the transformations
     * @return the stream; close it when done
     * @throws IllegalArgumentException if there are no images or {@code batchSize} is less than 1
     */
    public Stream flow(INDArray x, INDArray y, int batchSize, boolean shuffle, long seed) {
        int n = (int) x.size(0);
        int h = (int) x.size(1), w = (int) x.size(2), c = (int) x.size(3);
        float[] all = x.dup('c').castTo(DataType.FLOAT).data().asFloat();
        INDArray yy = y == null ? null : y.dup();
        return new Stream(n, batchSize, shuffle, seed, (idx, r) -> {
            int per = h * w * c;
            float[] src = new float[per];
            float[] dst = new float[idx.size() * per];
            for (int k = 0; k < idx.size(); k++) {
                System.arraycopy(all, idx.get(k) * per, src, 0, per);
                apply(src, dst, k * per, h, w, c, r);
            }
            INDArray bx = Nd4j.create(dst, new long[] {idx.size(), h, w, c}, 'c');
            INDArray by = null;
            if (yy != null) {
                int[] rows = idx.stream().mapToInt(Integer::intValue).toArray();
                by = yy.rank() == 1 ? Nd4j.create(yy.dataType(), rows.length) : yy.getRows(rows);
                if (yy.rank() == 1) for (int k = 0; k < rows.length; k++) by.putScalar(k, yy.getDouble(rows[k]));
            }
            return new ImageDataset.Batch(bx, by);
        });
    }

    /**
     * {@code flow_from_directory(directory, target_size, batch_size, class_mode)}: classes from sub-folders
     * (sorted), {@code classMode} "categorical" (Keras's default), "binary", "sparse" or null; images resized with
     * "nearest" as Keras; shuffled each epoch.
     *
     * @param directory the folder with one sub-folder per class
     * @param height the height images are resized to (Keras's {@code target_size}, default (256, 256))
     * @param width the width images are resized to
     * @param batchSize the size of the batches (Keras's default 32)
     * @param classMode {@code "categorical"}, {@code "binary"}, {@code "sparse"} or null (no labels)
     * @return the stream, seeded at random; close it when done
     * @throws IllegalArgumentException for an unknown class mode, or a folder without images
     */
    public Stream flowFromDirectory(Path directory, int height, int width, int batchSize, String classMode) {
        return flowFromDirectory(directory, height, width, batchSize, classMode, new Random().nextLong());
    }

    /**
     * {@link #flowFromDirectory(Path, int, int, int, String)} with a seed for shuffling and augmentation.
     *
     * @param directory the folder with one sub-folder per class
     * @param height the height images are resized to
     * @param width the width images are resized to
     * @param batchSize the size of the batches
     * @param classMode {@code "categorical"}, {@code "binary"}, {@code "sparse"} or null (no labels)
     * @param seed the seed of the shuffling and the transformations
     * @return the stream; close it when done
     * @throws IllegalArgumentException for an unknown class mode, or a folder without images
     */
    public Stream flowFromDirectory(Path directory, int height, int width, int batchSize, String classMode, long seed) {
        String labelMode = classMode == null ? null : switch (classMode) {
            case "categorical" -> "categorical";
            case "binary" -> "binary";
            case "sparse" -> "int";
            default -> throw new IllegalArgumentException("Invalid class_mode: " + classMode + "; expected one of \"categorical\", \"binary\", \"sparse\" or None.");
        };
        ImageDataset ds = ImageDatasets.imageDatasetFromDirectory(directory).labelMode(labelMode).imageSize(height, width)
            .interpolation("nearest").shuffle(false).build();
        return new Stream(ds.size(), batchSize, true, seed, (idx, r) -> {
            ImageDataset.Batch b = ds.decodeBatch(idx);
            int m = (int) b.x().size(0);
            float[] src = b.x().data().asFloat();
            float[] dst = new float[src.length];
            int per = height * width * (int) b.x().size(3);
            float[] one = new float[per];
            for (int k = 0; k < m; k++) {
                System.arraycopy(src, k * per, one, 0, per);
                apply(one, dst, k * per, height, width, (int) b.x().size(3), r);
            }
            return new ImageDataset.Batch(Nd4j.create(dst, b.x().shape(), 'c'), b.y());
        }).classNames(ds.classNames());
    }

    interface BatchMaker {
        ImageDataset.Batch make(List<Integer> idx, Random rng);
    }

    /**
     * An endless stream of batches (epoch after epoch, reshuffled each epoch if {@code shuffle}), prepared
     * ahead on a daemon background thread with a bounded queue of 2 batches. Close it to stop the thread.
     */
    public static final class Stream implements Iterator<ImageDataset.Batch>, AutoCloseable {
        /**
         * This stream as {@code {x, y}} arrays, for {@code model.fit(stream.arrays(),
         * Fit.epochs(30).stepsPerEpoch(100).validationData(val.arrays(), 50))}.
         *
         * @return an endless iterator over {@code {x, y}} batches, drawing from this stream
         */
        public Iterator<INDArray[]> arrays() {
            Stream self = this;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return self.hasNext();
                }

                @Override
                public INDArray[] next() {
                    ImageDataset.Batch b = self.next();
                    return new INDArray[] {b.x(), b.y()};
                }
            };
        }

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        private final Thread worker;
        private final int n;
        private final int batchSize;
        private List<String> classNames = List.of();
        private volatile boolean closed;

        Stream(int n, int batchSize, boolean shuffle, long seed, BatchMaker maker) {
            if (n == 0) throw new IllegalArgumentException("No images to stream");
            if (batchSize < 1) throw new IllegalArgumentException("batch_size must be >= 1, received: " + batchSize);
            this.n = n;
            this.batchSize = batchSize;
            worker = new Thread(() -> {
                Random r = new Random(mix(seed));
                int[] order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                try {
                    while (!closed) {
                        if (shuffle) {
                            for (int i = n - 1; i > 0; i--) {
                                int j = r.nextInt(i + 1);
                                int t = order[i]; order[i] = order[j]; order[j] = t;
                            }
                        }
                        for (int s = 0; s < n && !closed; s += batchSize) {
                            List<Integer> idx = new ArrayList<>();
                            for (int i = s; i < Math.min(n, s + batchSize); i++) idx.add(order[i]);
                            queue.put(maker.make(idx, r));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    queue.offer(e);
                }
            }, "cornu-image-generator");
            worker.setDaemon(true);
            worker.start();
        }

        Stream classNames(List<String> names) {
            this.classNames = names;
            return this;
        }

        /**
         * The class names (for {@code flowFromDirectory}), in Keras's {@code class_indices} order.
         *
         * @return the names; empty for {@code flow}
         */
        public List<String> classNames() {
            return classNames;
        }

        /**
         * The number of samples per epoch.
         *
         * @return the number of images
         */
        public int samples() {
            return n;
        }

        /**
         * The number of batches per epoch, for {@code stepsPerEpoch}.
         *
         * @return {@code ceil(samples / batchSize)}
         */
        public int batchesPerEpoch() {
            return (n + batchSize - 1) / batchSize;
        }

        @Override
        public boolean hasNext() {
            return !closed;
        }

        @Override
        public ImageDataset.Batch next() {
            if (closed) throw new java.util.NoSuchElementException("stream closed");
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the image generator", e);
            }
            if (o instanceof RuntimeException e) {
                closed = true;
                throw e;
            }
            return (ImageDataset.Batch) o;
        }

        @Override
        public void close() {
            closed = true;
            worker.interrupt();
        }
    }
}
