package org.cornu.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies raw array bytes from a stream straight into a new ND4J array's memory, in chunks,
 * swapping byte order where needed. No per-element work except for the byte swap.
 */
final class RawArrays {
    private static final int CHUNK = 1 << 20;

    private RawArrays() {
    }

    /**
     * Reads {@code product(shape) * itemSize} bytes from {@code in} into a new array.
     *
     * @param bigEndian whether the stored elements are big-endian (elements are swapped to the
     *                  platform's order where it differs)
     * @param order     'c' or 'f', the order of the stored elements; the result is always C order
     * @param available the number of bytes known to be left in the source, or -1 if unknown
     * @param where     names the source in error messages ("mnist.npz: entry x_train.npy")
     */
    static INDArray read(InputStream in, DataType type, int itemSize, boolean bigEndian, long[] shape,
                         char order, long available, String where) throws IOException {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IOException(where + ": negative dimension in shape " + shapeString(shape));
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IOException(where + ": shape " + shapeString(shape) + " is too large");
            }
        }
        long nbytes;
        try {
            nbytes = Math.multiplyExact(n, (long) itemSize);
        } catch (ArithmeticException e) {
            throw new IOException(where + ": shape " + shapeString(shape) + " is too large");
        }
        if (available >= 0 && available < nbytes) {
            throw truncated(where, nbytes, available);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (n == 0) {
                return Nd4j.create(type, shape, 'c');
            }
            boolean fortran = order == 'f' && shape.length > 1;   // rank 0 and 1: the same bytes
            INDArray arr = Nd4j.createUninitialized(type, shape, fortran ? 'f' : 'c');
            BytePointer target = new BytePointer(arr.data().addressPointer());
            boolean swap = itemSize > 1 && bigEndian != (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
            byte[] chunk = new byte[(int) Math.min(nbytes, CHUNK)];
            long done = 0;
            while (done < nbytes) {
                int want = (int) Math.min(chunk.length, nbytes - done);
                int got = in.readNBytes(chunk, 0, want);
                if (swap) swapBytes(chunk, got - got % itemSize, itemSize);
                target.position(done).put(chunk, 0, got);
                done += got;
                if (got < want) throw truncated(where, nbytes, done);
            }
            Nd4j.getAffinityManager().tagLocation(arr, AffinityManager.Location.HOST);
            return fortran ? arr.dup('c') : arr;
        }
    }

    static IOException truncated(String where, long expected, long found) {
        return new IOException(where + ": expected " + expected + " data bytes, found " + found
                + " (the file is truncated or corrupted)");
    }

    static void swapBytes(byte[] b, int length, int itemSize) {
        for (int i = 0; i < length; i += itemSize) {
            for (int lo = i, hi = i + itemSize - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }

    static String shapeString(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) b.append(", ");
            b.append(shape[i]);
        }
        if (shape.length == 1) b.append(',');
        return b.append(')').toString();
    }
}
