package org.cornu.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) into ND4J arrays.
 *
 * <p>Supported element types, with the ND4J type they become: {@code b1} BOOL, {@code i1} BYTE,
 * {@code u1} UBYTE, {@code i2} SHORT, {@code u2} UINT16, {@code i4} INT, {@code u4} UINT32,
 * {@code i8} LONG, {@code u8} UINT64, {@code f2} HALF, {@code f4} FLOAT, {@code f8} DOUBLE, each
 * little- or big-endian. {@code uint8} stays unsigned: ND4J's UBYTE reads 0..255, and
 * {@code castTo(DataType.FLOAT)} gives 0.0..255.0, as NumPy's {@code astype("float32")} does.
 * Arrays stored in Fortran order are returned with the same logical contents in C order.
 * Object arrays ({@code |O}, pickled Python data) and structured, string, complex and date
 * types are refused with an {@link IOException} that names the source.
 *
 * <p>Errors name the source and what is wrong with it, for example
 * {@code mnist.npz: entry x_train.npy: expected 47040000 data bytes, found 1234}.
 */
public final class Npy {
    /** The six bytes every {@code .npy} file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {
    }

    /**
     * The header of a {@code .npy} array.
     *
     * @param majorVersion format major version (1, 2 or 3)
     * @param minorVersion format minor version
     * @param descr        the NumPy type string, such as {@code "<f8"} or {@code "|u1"}; for a
     *                     structured type, the header's list as text
     * @param fortranOrder whether the data are stored in Fortran (column-major) order
     * @param shape        the array's shape; empty for a scalar
     * @param headerBytes  bytes before the data (magic, version, length and header text)
     */
    public record Header(int majorVersion, int minorVersion, String descr, boolean fortranOrder,
                         long[] shape, long headerBytes) {
        /**
         * A header; the shape is copied.
         *
         * @param majorVersion format major version (1, 2 or 3)
         * @param minorVersion format minor version
         * @param descr        the NumPy type string
         * @param fortranOrder whether the data are stored in Fortran (column-major) order
         * @param shape        the array's shape; empty for a scalar
         * @param headerBytes  bytes before the data
         */
        public Header {
            shape = shape.clone();
        }

        /**
         * The array's shape.
         *
         * @return a copy; empty for a scalar
         */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /**
         * True for Python object arrays ({@code descr '|O'}), which hold pickled data.
         *
         * @return whether {@code descr} is {@code |O} (or {@code <O}, {@code >O})
         */
        public boolean isObjectArray() {
            return descr.length() >= 1 && descr.charAt(descr.length() - 1) == 'O'
                    && descr.length() <= 2;
        }

        /**
         * Number of elements (product of the shape).
         *
         * @return 1 for a scalar
         */
        public long length() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        @Override
        public String toString() {
            return "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                    + ", 'shape': " + RawArrays.shapeString(shape) + "}";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h && h.majorVersion == majorVersion && h.minorVersion == minorVersion
                    && h.descr.equals(descr) && h.fortranOrder == fortranOrder && Arrays.equals(h.shape, shape)
                    && h.headerBytes == headerBytes;
        }

        @Override
        public int hashCode() {
            return descr.hashCode() * 31 + Arrays.hashCode(shape);
        }
    }

    /** A NumPy element type resolved to ND4J: type, item size and stored byte order. */
    record Dtype(DataType type, int itemSize, boolean bigEndian) {
    }

    /**
     * Reads a whole {@code .npy} file.
     *
     * @param file the file
     * @return the array, in C order, of the file's element type and shape
     * @throws IOException if the file cannot be read, is not a {@code .npy} array, is truncated, or holds a type
     *     listed above as refused
     */
    public static INDArray read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Header h = readHeader(in, file.toString());
            return readData(h, in, size - h.headerBytes(), file.toString());
        }
    }

    /**
     * Reads one {@code .npy} array from a stream, leaving the stream just after its data.
     *
     * @param in the stream, at the array's first byte
     * @param where names the source in error messages
     * @return the array, in C order
     * @throws IOException if the stream cannot be read, does not hold a {@code .npy} array, ends early, or holds
     *     a refused type
     */
    public static INDArray read(InputStream in, String where) throws IOException {
        Header h = readHeader(in, where);
        return readData(h, in, -1, where);
    }

    /**
     * Reads a {@code .npy} file holding an object array of integer sequences (pickled Python
     * lists of ints), as {@link Npz#getSequences(String)} reads an archive entry.
     *
     * @param file the file
     * @return one {@code int[]} per element, in array order
     * @throws IOException if the file cannot be read, or is not a 1-D object array of integer lists
     */
    public static int[][] readSequences(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Header h = readHeader(in, file.toString());
            return readSequences(h, in, size - h.headerBytes(), file.toString(), () -> { });
        }
    }

    /** A check run after the pickle was read (an archive entry's CRC). */
    interface Check {
        void run() throws IOException;
    }

    static int[][] readSequences(Header h, InputStream in, long available, String where, Check after)
            throws IOException {
        if (!h.isObjectArray()) {
            throw new IOException(where + ": holds a numeric array (descr '" + h.descr()
                    + "'), not an object array of sequences");
        }
        int[][] seqs = Pickle.readSequences(in, available, where);
        after.run();
        if (h.shape().length != 1 || seqs.length != h.length()) {
            throw new IOException(where + ": the header's shape " + RawArrays.shapeString(h.shape())
                    + " does not match the pickled array of " + seqs.length + " sequences");
        }
        return seqs;
    }

    /**
     * Reads and checks the header, leaving {@code in} at the first data byte.
     *
     * @param in the stream, at the array's first byte
     * @param where names the source in error messages
     * @return the header
     * @throws IOException if the stream does not start with a valid {@code .npy} header of a supported version
     */
    public static Header readHeader(InputStream in, String where) throws IOException {
        byte[] pre = in.readNBytes(8);
        if (pre.length < 8 || !Arrays.equals(pre, 0, 6, MAGIC, 0, 6)) {
            throw new IOException(where + ": not a .npy array (it does not start with \\x93NUMPY"
                    + (pre.length < 8 ? "; only " + pre.length + " bytes" : "; found " + hex(pre, 6)) + ")");
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        long headerLength;
        int lengthBytes;
        if (major == 1) {
            lengthBytes = 2;
        } else if (major == 2 || major == 3) {
            lengthBytes = 4;
        } else {
            throw new IOException(where + ": unsupported .npy format version " + major + "." + minor);
        }
        byte[] len = in.readNBytes(lengthBytes);
        if (len.length < lengthBytes) {
            throw new IOException(where + ": truncated .npy header (the file ends in the header length)");
        }
        headerLength = (len[0] & 0xff) | (len[1] & 0xff) << 8;
        if (lengthBytes == 4) headerLength |= (long) (len[2] & 0xff) << 16 | (long) (len[3] & 0xff) << 24;
        if (headerLength > MAX_HEADER) {
            throw new IOException(where + ": .npy header length " + headerLength + " is implausible (corrupted file?)");
        }
        byte[] text = in.readNBytes((int) headerLength);
        if (text.length < headerLength) {
            throw new IOException(where + ": truncated .npy header (expected " + headerLength
                    + " header bytes, found " + text.length + ")");
        }
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parseHeader(dict, major, minor, 8 + lengthBytes + headerLength, where);
    }

    static Header parseHeader(String dict, int major, int minor, long headerBytes, String where) throws IOException {
        Object parsed;
        try {
            parsed = PyLiteral.parse(dict);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": malformed .npy header " + quote(dict) + ": " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IOException(where + ": malformed .npy header " + quote(dict) + ": not a dict");
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!map.containsKey(key)) {
                throw new IOException(where + ": malformed .npy header " + quote(dict) + ": no '" + key + "' key");
            }
        }
        Object descr = map.get("descr");
        Object fortran = map.get("fortran_order");
        Object shapeObj = map.get("shape");
        if (!(fortran instanceof Boolean)) {
            throw new IOException(where + ": malformed .npy header " + quote(dict) + ": 'fortran_order' is not True or False");
        }
        if (!(shapeObj instanceof List<?> dims)) {
            throw new IOException(where + ": malformed .npy header " + quote(dict) + ": 'shape' is not a tuple");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                throw new IOException(where + ": malformed .npy header " + quote(dict) + ": bad dimension " + dims.get(i));
            }
            shape[i] = d;
        }
        String descrText;
        if (descr instanceof String s) {
            descrText = s;
        } else if (descr instanceof List<?>) {
            descrText = String.valueOf(descr);
        } else {
            throw new IOException(where + ": malformed .npy header " + quote(dict) + ": 'descr' is not a string");
        }
        return new Header(major, minor, descrText, (Boolean) fortran, shape, headerBytes);
    }

    /**
     * Reads the data that follow {@code header} in {@code in}.
     *
     * @param available bytes known to remain in the source, or -1 if unknown
     */
    static INDArray readData(Header header, InputStream in, long available, String where) throws IOException {
        Dtype dt = dtype(header, where);
        return RawArrays.read(in, dt.type(), dt.itemSize(), dt.bigEndian(), header.shape,
                header.fortranOrder() ? 'f' : 'c', available, where);
    }

    /** Maps a header's {@code descr} to an ND4J type, or throws an IOException naming the source. */
    static Dtype dtype(Header header, String where) throws IOException {
        String d = header.descr();
        if (header.isObjectArray()) {
            throw new IOException(where + ": holds a Python object array (descr '" + d + "', pickled Python objects, "
                    + "not raw numbers); read arrays of integer sequences with Npz.getSequences or Npy.readSequences");
        }
        if (d.startsWith("[")) {
            throw new IOException(where + ": structured dtype " + d + " is not supported");
        }
        int i = 0;
        boolean big = false;
        if (!d.isEmpty() && "<>|=".indexOf(d.charAt(0)) >= 0) {
            big = d.charAt(0) == '>' || (d.charAt(0) == '=' && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN);
            i = 1;
        }
        String rest = d.substring(i);
        DataType type = switch (rest) {
            case "b1", "?" -> DataType.BOOL;
            case "i1" -> DataType.BYTE;
            case "u1" -> DataType.UBYTE;
            case "i2" -> DataType.SHORT;
            case "u2" -> DataType.UINT16;
            case "i4" -> DataType.INT;
            case "u4" -> DataType.UINT32;
            case "i8" -> DataType.LONG;
            case "u8" -> DataType.UINT64;
            case "f2" -> DataType.HALF;
            case "f4" -> DataType.FLOAT;
            case "f8" -> DataType.DOUBLE;
            default -> null;
        };
        if (type == null) {
            throw new IOException(where + ": unsupported dtype '" + d + "' (supported: b1, i1, u1, i2, u2, i4, u4, "
                    + "i8, u8, f2, f4, f8)");
        }
        int size = rest.equals("?") ? 1 : Integer.parseInt(rest.substring(1));
        return new Dtype(type, size, big);
    }

    private static String quote(String s) {
        String t = s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            if (i > 0) s.append(' ');
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
