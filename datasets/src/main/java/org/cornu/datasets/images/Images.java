package org.cornu.datasets.images;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Single-image utilities of {@code keras.utils}: {@link #loadImg}, {@link #imgToArray}, {@link #arrayToImg}.
 * Images are decoded with ImageIO (PNG, JPEG, BMP, GIF); arrays are channels-last {@code (h, w, c)}
 * float32 with values in 0-255, as Keras.
 */
public final class Images {
    private Images() {}

    /** Decoded pixels, row-major {@code (h, w, c)}, values 0-255. */
    record Pixels(float[] data, int h, int w, int c) {}

    /**
     * {@code keras.utils.load_img(path)}: the image as it is, in RGB.
     *
     * @param path the image file
     * @return the decoded image
     * @throws UncheckedIOException naming the file when it cannot be read or decoded
     */
    public static BufferedImage loadImg(Path path) {
        return loadImg(path, null, "rgb", "nearest");
    }

    /**
     * {@code load_img(path, target_size=(h, w), color_mode=...)} with Keras's default {@code interpolation="nearest"}.
     *
     * @param path the image file
     * @param targetSize {@code {height, width}}, or null to keep the image's size
     * @param colorMode {@code "rgb"}, {@code "rgba"} or {@code "grayscale"} (Keras's default {@code "rgb"})
     * @return the decoded image
     * @throws IllegalArgumentException for an unknown color mode
     * @throws UncheckedIOException naming the file when it cannot be read or decoded
     */
    public static BufferedImage loadImg(Path path, int[] targetSize, String colorMode) {
        return loadImg(path, targetSize, colorMode, "nearest");
    }

    /**
     * {@code keras.utils.load_img}: decodes {@code path}, converts to {@code colorMode} ("rgb", "rgba" or
     * "grayscale") and, if {@code targetSize = {height, width}} is given, resizes with {@code interpolation}
     * ("nearest" or "bilinear").
     *
     * @param path the image file
     * @param targetSize {@code {height, width}}, or null to keep the image's size
     * @param colorMode {@code "rgb"}, {@code "rgba"} or {@code "grayscale"}
     * @param interpolation {@code "nearest"} (Keras's default) or {@code "bilinear"}
     * @return the decoded image
     * @throws IllegalArgumentException for an unknown color mode or interpolation
     * @throws UncheckedIOException naming the file when it cannot be read or decoded
     */
    public static BufferedImage loadImg(Path path, int[] targetSize, String colorMode, String interpolation) {
        Pixels p = decode(path, channels(colorMode));
        if (targetSize != null) p = resize(p, targetSize[0], targetSize[1], interpolation);
        return toImage(p, true);
    }

    /**
     * {@code keras.utils.img_to_array}: float32 {@code (h, w, c)} with values 0-255 (c = 1, 3 or 4).
     *
     * @param img the image
     * @return a new float32 array
     */
    public static INDArray imgToArray(BufferedImage img) {
        Pixels p = pixels(img, -1);
        return Nd4j.create(p.data, new long[] {p.h, p.w, p.c}, 'c').castTo(DataType.FLOAT);
    }

    /**
     * {@code keras.utils.array_to_img(x, scale=True)}: an {@code (h, w, c)} array (c = 1, 3 or 4) to an image;
     * values are shifted and scaled to 0-255 (as Keras's {@code scale=True}).
     *
     * @param x the array {@code (h, w, c)}
     * @return the image
     * @throws IllegalArgumentException if {@code x} is not of rank 3 with 1, 3 or 4 channels
     */
    public static BufferedImage arrayToImg(INDArray x) {
        return arrayToImg(x, true);
    }

    /**
     * {@code array_to_img(x, scale=scale)}; with {@code scale=false} the values are rounded and clipped to 0-255.
     *
     * @param x the array {@code (h, w, c)}, c = 1, 3 or 4
     * @param scale whether to rescale the values so that their minimum and maximum become 0 and 255
     * @return the image
     * @throws IllegalArgumentException if {@code x} is not of rank 3 with 1, 3 or 4 channels
     */
    public static BufferedImage arrayToImg(INDArray x, boolean scale) {
        if (x.rank() != 3 || !(x.size(2) == 1 || x.size(2) == 3 || x.size(2) == 4)) {
            throw new IllegalArgumentException("Expected image array to have rank 3 (single image) with 1, 3 or 4 channels. Got array with shape: "
                + java.util.Arrays.toString(x.shape()));
        }
        float[] d = x.dup('c').castTo(DataType.FLOAT).data().asFloat();
        if (scale) {
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : d) { min = Math.min(min, v); max = Math.max(max, v); }
            float range = max - min;
            for (int i = 0; i < d.length; i++) d[i] = range != 0 ? (d[i] - min) / range * 255f : d[i] - min;
        }
        return toImage(new Pixels(d, (int) x.size(0), (int) x.size(1), (int) x.size(2)), true);
    }

    static int channels(String colorMode) {
        return switch (colorMode) {
            case "rgb" -> 3;
            case "rgba" -> 4;
            case "grayscale" -> 1;
            default -> throw new IllegalArgumentException("color_mode must be one of {\"rgb\", \"rgba\", \"grayscale\"}. Received: color_mode=" + colorMode);
        };
    }

    /** Decodes a file to {@code channels} channels (1, 3 or 4); errors name the file. */
    static Pixels decode(Path path, int channels) {
        BufferedImage img;
        try {
            img = ImageIO.read(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("Could not decode image file " + path + ": " + e.getMessage(), e));
        }
        if (img == null) {
            throw new UncheckedIOException(new IOException("Could not decode image file " + path
                + (new File(path.toString()).exists() ? ": not a supported image format" : ": no such file")));
        }
        return pixels(img, channels);
    }

    /** Pixels of an image, converted to {@code channels} (or the image's own count if -1). */
    static Pixels pixels(BufferedImage img, int channels) {
        int h = img.getHeight(), w = img.getWidth();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        boolean gray = cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        boolean alpha = cm.hasAlpha();
        int own = gray ? (alpha ? 2 : 1) : (alpha ? 4 : 3);
        if (channels < 0) channels = own == 2 ? 1 : own;
        float[] out = new float[h * w * channels];
        if (gray) {
            // Read samples directly: getRGB would apply a linear-to-sRGB conversion to gray images.
            int bits = cm.getComponentSize(0);
            float s = 255f / ((1 << bits) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = Math.round(r.getSample(x, y, 0) * s);
                    float a = alpha ? Math.round(r.getSample(x, y, 1) * s) : 255f;
                    int o = (y * w + x) * channels;
                    if (channels == 1) out[o] = v;
                    else {
                        out[o] = v; out[o + 1] = v; out[o + 2] = v;
                        if (channels == 4) out[o + 3] = a;
                    }
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                int p = argb[i];
                int R = (p >> 16) & 255, G = (p >> 8) & 255, B = p & 255, A = (p >>> 24) & 255;
                int o = i * channels;
                if (channels == 1) {
                    // ITU-R 601-2 luma, as PIL's convert("L").
                    out[o] = (float) Math.floor((R * 299 + G * 587 + B * 114) / 1000.0 + 0.5);
                } else {
                    out[o] = R; out[o + 1] = G; out[o + 2] = B;
                    if (channels == 4) out[o + 3] = alpha ? A : 255f;
                }
            }
        }
        return new Pixels(out, h, w, channels);
    }

    /** Resizes to {@code (th, tw)}; "bilinear" uses half-pixel centres as TF/PIL, "nearest" floor((i + 0.5) * scale). */
    static Pixels resize(Pixels p, int th, int tw, String interpolation) {
        if (th <= 0 || tw <= 0) throw new IllegalArgumentException("target size must be positive, got (" + th + ", " + tw + ")");
        if (th == p.h && tw == p.w) return p;
        int c = p.c;
        float[] out = new float[th * tw * c];
        double sy = (double) p.h / th, sx = (double) p.w / tw;
        switch (interpolation) {
            case "nearest" -> {
                for (int y = 0; y < th; y++) {
                    int iy = Math.min(p.h - 1, (int) Math.floor((y + 0.5) * sy));
                    for (int x = 0; x < tw; x++) {
                        int ix = Math.min(p.w - 1, (int) Math.floor((x + 0.5) * sx));
                        System.arraycopy(p.data, (iy * p.w + ix) * c, out, (y * tw + x) * c, c);
                    }
                }
            }
            case "bilinear" -> {
                for (int y = 0; y < th; y++) {
                    double fy = Math.max(0, (y + 0.5) * sy - 0.5);
                    int y0 = Math.min((int) fy, p.h - 1), y1 = Math.min(y0 + 1, p.h - 1);
                    double dy = Math.min(fy - y0, 1.0);
                    if (y0 == p.h - 1) dy = 0;
                    for (int x = 0; x < tw; x++) {
                        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                        int x0 = Math.min((int) fx, p.w - 1), x1 = Math.min(x0 + 1, p.w - 1);
                        double dx = x0 == p.w - 1 ? 0 : fx - x0;
                        int o = (y * tw + x) * c;
                        for (int k = 0; k < c; k++) {
                            double a = p.data[(y0 * p.w + x0) * c + k], b = p.data[(y0 * p.w + x1) * c + k];
                            double d = p.data[(y1 * p.w + x0) * c + k], e = p.data[(y1 * p.w + x1) * c + k];
                            out[o + k] = (float) ((a * (1 - dx) + b * dx) * (1 - dy) + (d * (1 - dx) + e * dx) * dy);
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("Invalid interpolation: " + interpolation + "; expected \"nearest\" or \"bilinear\"");
        }
        return new Pixels(out, th, tw, c);
    }

    /**
     * Keras's {@code crop_to_aspect_ratio}: the largest centred crop of {@code p} with the aspect ratio of
     * {@code (th, tw)}: crop = min(h, int(w * th / tw)) x min(w, int(h * tw / th)), offsets (h - ch) / 2, (w - cw) / 2.
     */
    static Pixels cropToAspect(Pixels p, int th, int tw) {
        int cw = Math.min(p.w, (int) ((double) p.h * tw / th));
        int ch = Math.min(p.h, (int) ((double) p.w * th / tw));
        if (cw == p.w && ch == p.h) return p;
        int oy = (p.h - ch) / 2, ox = (p.w - cw) / 2;
        float[] out = new float[ch * cw * p.c];
        for (int y = 0; y < ch; y++) System.arraycopy(p.data, ((y + oy) * p.w + ox) * p.c, out, y * cw * p.c, cw * p.c);
        return new Pixels(out, ch, cw, p.c);
    }

    static BufferedImage toImage(Pixels p, boolean round) {
        int type = switch (p.c) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 4 -> BufferedImage.TYPE_INT_ARGB;
            default -> BufferedImage.TYPE_INT_RGB;
        };
        BufferedImage img = new BufferedImage(p.w, p.h, type);
        for (int y = 0; y < p.h; y++) {
            for (int x = 0; x < p.w; x++) {
                int o = (y * p.w + x) * p.c;
                if (p.c == 1) {
                    img.getRaster().setSample(x, y, 0, clip(p.data[o]));
                } else {
                    int a = p.c == 4 ? clip(p.data[o + 3]) : 255;
                    img.setRGB(x, y, (a << 24) | (clip(p.data[o]) << 16) | (clip(p.data[o + 1]) << 8) | clip(p.data[o + 2]));
                }
            }
        }
        return img;
    }

    private static int clip(float v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * Writes an image (format from the file extension, e.g. "png"); {@code keras.utils.save_img}.
     *
     * @param path the file to write; without an extension, PNG
     * @param img the image
     * @throws UncheckedIOException naming the file if it cannot be written or ImageIO has no writer for the format
     */
    public static void saveImg(Path path, BufferedImage img) {
        String name = path.getFileName().toString();
        String fmt = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase() : "png";
        try {
            if (!ImageIO.write(img, fmt, path.toFile())) throw new IOException("no ImageIO writer for format " + fmt);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Could not write image file " + path + ": " + e.getMessage(), e));
        }
    }
}
