package org.cornu.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads IDX files, the format of the MNIST and Fashion-MNIST distributions, plain or gzipped
 * (a {@code .gz} name or the gzip magic bytes). Element types: unsigned byte (UBYTE), signed
 * byte (BYTE), short (SHORT), int (INT), float (FLOAT), double (DOUBLE), all big-endian in the file.
 */
public final class Idx {
    private Idx() {
    }

    /**
     * Reads one IDX file into an array of the shape its header gives.
     *
     * @param file the IDX file, plain or gzipped
     * @return the array, of the file's element type
     * @throws IOException if the file cannot be read, is not an IDX file, or is truncated
     */
    public static INDArray read(Path file) throws IOException {
        String where = file.toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            try (InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw) {
                return read(in, gzip ? -1 : Files.size(file), where);
            } catch (ZipException | EOFException e) {
                throw new IOException(where + ": corrupted or truncated gzip data: " + e.getMessage(), e);
            }
        }
    }

    static INDArray read(InputStream in, long size, String where) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
            throw new IOException(where + ": not an IDX file (bad magic number)");
        }
        DataType type;
        int itemSize;
        switch (magic[2] & 0xff) {
            case 0x08 -> { type = DataType.UBYTE; itemSize = 1; }
            case 0x09 -> { type = DataType.BYTE; itemSize = 1; }
            case 0x0B -> { type = DataType.SHORT; itemSize = 2; }
            case 0x0C -> { type = DataType.INT; itemSize = 4; }
            case 0x0D -> { type = DataType.FLOAT; itemSize = 4; }
            case 0x0E -> { type = DataType.DOUBLE; itemSize = 8; }
            default -> throw new IOException(where + ": not an IDX file (unknown type code 0x"
                    + Integer.toHexString(magic[2] & 0xff) + ")");
        }
        int rank = magic[3] & 0xff;
        byte[] dims = in.readNBytes(4 * rank);
        if (dims.length < 4 * rank) {
            throw new IOException(where + ": truncated IDX header");
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = ((dims[4 * i] & 0xffL) << 24) | ((dims[4 * i + 1] & 0xff) << 16)
                    | ((dims[4 * i + 2] & 0xff) << 8) | (dims[4 * i + 3] & 0xff);
        }
        long available = size < 0 ? -1 : size - 4 - 4L * rank;
        return RawArrays.read(in, type, itemSize, true, shape, 'c', available, where);
    }

    /** Checks that images and labels have the same number of samples. */
    static void checkPair(String where, INDArray x, INDArray y) throws IOException {
        if (x.rank() < 1 || y.rank() != 1 || x.size(0) != y.size(0)) {
            throw new IOException(where + ": images of shape " + RawArrays.shapeString(x.shape())
                    + " do not match labels of shape " + RawArrays.shapeString(y.shape()));
        }
    }
}
