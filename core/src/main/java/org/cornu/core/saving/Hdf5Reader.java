package org.cornu.core.saving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cornu.core.kernels.Workspaces;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the HDF5 files that h5py writes with its default settings, as Keras saves weights, and
 * that {@link Hdf5Writer} writes: superblock version 0 or 1, version 1 object headers (with
 * continuation blocks), groups stored as symbol tables, and contiguous or compact datasets of
 * IEEE floats and integers in either byte order; and, when asked for, the string attributes that
 * Keras 2's legacy {@code .h5} files carry ({@code model_config}, {@code layer_names},
 * {@code weight_names}...): fixed-length strings (numpy's {@code S} arrays) and variable-length
 * strings in a global heap (h5py's {@code str}), scalar or 1-D.
 *
 * <p>Anything else (newer superblocks and object headers, link-message groups, chunked or
 * filtered datasets, string or compound datasets, other attributes, attributes in dense storage,
 * external or soft links, user blocks) throws
 * {@link Unsupported}, and so does a file that is not laid out as it says (truncated, pointing
 * outside itself): the caller then reads it with jHDF, which knows more of the format, or says what
 * is wrong with it. Reading this subset here keeps jHDF's INFO logging out of a user's log and
 * copies each array once.
 */
final class Hdf5Reader {
    private static final long UNDEF = -1L;
    private static final int MAX_DEPTH = 64;

    /** The file uses a part of HDF5 this reader does not, or is not laid out as it says. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** A dataset: where its bytes are ({@code offset} is -1 when it has no elements) and what they are. */
    record Dataset(String path, Hdf5Types.Stored type, long[] shape, int offset, int length) {
        long elements() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    private final ByteBuffer b;
    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private final List<String> groups = new ArrayList<>();
    private final Set<String> groupSet = new HashSet<>();
    /** Each object's attribute messages ({type, offset, size, flags}), by path ("" for the root); read when asked for. */
    private final Map<String, List<int[]>> attributes = new HashMap<>();
    /** The objects whose attributes are in dense storage (an attribute info message), which this reader does not read. */
    private final Set<String> denseAttributes = new HashSet<>();
    /** Global heap collections read so far: object index to {offset, size} of its data. */
    private final Map<Long, Map<Integer, long[]>> globalHeaps = new HashMap<>();
    private final Set<Long> visiting = new HashSet<>();

    private Hdf5Reader(ByteBuffer bytes) {
        this.b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads the structure of the HDF5 file held in {@code bytes} (from its position to its limit;
     * the arrays are decoded by {@link #array}, which reads {@code bytes} then).
     */
    static Hdf5Reader read(ByteBuffer bytes) {
        Hdf5Reader r = new Hdf5Reader(bytes);
        r.guard(() -> {
            r.readFile();
            return null;
        });
        return r;
    }

    /** Runs {@code read}, turning a read outside the file or a bad length into {@link Unsupported}. */
    private <T> T guard(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IndexOutOfBoundsException | IllegalArgumentException | java.nio.BufferUnderflowException | ArithmeticException e) {
            throw new Unsupported("the file is not laid out as its headers say (" + e + ")");
        }
    }

    /** Every dataset, by path without a leading slash, in name order within each group. */
    Map<String, Dataset> datasets() {
        return datasets;
    }

    /** Every group's path (without the root group), parents before children. */
    List<String> groups() {
        return groups;
    }

    /** Whether {@code path} (without a leading slash; "" for the root) is a group. */
    boolean isGroup(String path) {
        return path.isEmpty() || groupSet.contains(path);
    }

    /** Whether the group or dataset at {@code path} ("" for the root) has an attribute {@code name}. */
    boolean hasAttribute(String path, String name) {
        return guard(() -> findAttribute(path, name) != null);
    }

    /**
     * A string attribute of the group or dataset at {@code path} ("" for the root): a scalar
     * string, or the first of a 1-D array of them; null when there is no such attribute or it
     * has no elements.
     *
     * @throws Unsupported if the attribute is not a fixed- or variable-length string
     */
    String attribute(String path, String name) {
        List<String> r = stringsAttribute(path, name);
        return r == null || r.isEmpty() ? null : r.get(0);
    }

    /**
     * The strings of attribute {@code name} of the group or dataset at {@code path} ("" for the
     * root): one for a scalar string, each of a 1-D array, none for an attribute with no elements
     * (Keras writes an empty {@code weight_names} as an empty float array) or a null dataspace;
     * null when there is no such attribute.
     *
     * @throws Unsupported if the attribute is not a fixed- or variable-length string, or not
     *     scalar or 1-D
     */
    List<String> stringsAttribute(String path, String name) {
        return guard(() -> {
            int[] a = findAttribute(path, name);
            return a == null ? null : strings(a, "attribute '" + name + "' of '" + path + "'");
        });
    }

    /** Every dataset as an array (integers as int64, as Keras's iteration counters are stored). */
    Map<String, INDArray> arrays() {
        return arrays(Hdf5Types.CPU);
    }

    /** As {@link #arrays()}; {@code hostBuffers}: write into the new arrays' buffers in place (CPU backend) or through Java arrays. */
    Map<String, INDArray> arrays(boolean hostBuffers) {
        Map<String, INDArray> r = new LinkedHashMap<>();
        for (Dataset d : datasets.values()) r.put(d.path(), array(d, hostBuffers));
        return r;
    }

    /** A dataset's bytes as read, for comparing with what was written. */
    ByteBuffer bytes(Dataset d) {
        if (d.offset() < 0) return ByteBuffer.allocate(0);
        return b.duplicate().position(d.offset()).limit(d.offset() + d.length()).slice().order(d.type().order());
    }

    /** A dataset as an array: floats keep their width; integers become int64. */
    INDArray array(Dataset d) {
        return array(d, Hdf5Types.CPU);
    }

    private INDArray array(Dataset d, boolean hostBuffers) {
        Hdf5Types.Kind k = d.type().kind();
        long[] shape = d.shape();
        try (MemoryWorkspace ws = Workspaces.outside()) {
            if (!k.floating() && k != Hdf5Types.Kind.I64) return integers(d);
            DataType t = k.nd4j();
            if (d.elements() == 0) return Nd4j.create(t, shape);
            ByteBuffer src = bytes(d);
            if (hostBuffers && src.order() == ByteOrder.nativeOrder()) {
                // the bytes straight into the new array's buffer
                INDArray r = shape.length == 0 ? Nd4j.scalar(t, 0) : Nd4j.create(t, shape, 'c');
                ByteBuffer dst = r.data().asNio();
                if (dst != null && dst.capacity() >= d.length()) {
                    dst.duplicate().position(0).put(src);
                    return r;
                }
            }
            // another byte order, or buffers that are not host memory: through Java arrays
            int n = (int) d.elements();
            INDArray r;
            switch (k) {
                case F64 -> {
                    double[] v = new double[n];
                    src.asDoubleBuffer().get(v);
                    r = Nd4j.createFromArray(v);
                }
                case F32 -> {
                    float[] v = new float[n];
                    src.asFloatBuffer().get(v);
                    r = Nd4j.createFromArray(v);
                }
                case I64 -> {
                    long[] v = new long[n];
                    src.asLongBuffer().get(v);
                    r = Nd4j.createFromArray(v);
                }
                default -> { // F16
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) v[i] = Hdf5Types.halfToFloat(src.getShort(2 * i));
                    r = Nd4j.createFromArray(v).castTo(DataType.HALF);
                }
            }
            return shape.length == 0 ? r.reshape(new long[0]) : r.reshape('c', shape);
        }
    }

    private INDArray integers(Dataset d) {
        Hdf5Types.Kind k = d.type().kind();
        int n = (int) d.elements();
        ByteBuffer src = bytes(d);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (k) {
                case I8 -> src.get(i);
                case U8 -> src.get(i) & 0xffL;
                case I16 -> src.getShort(2 * i);
                case U16 -> src.getShort(2 * i) & 0xffffL;
                case I32 -> src.getInt(4 * i);
                case U32 -> src.getInt(4 * i) & 0xffffffffL;
                default -> src.getLong(8 * i);
            };
        }
        if (d.shape().length == 0) return Nd4j.scalar(DataType.LONG, v[0]);
        if (n == 0) return Nd4j.create(DataType.LONG, d.shape());
        return Nd4j.createFromArray(v).reshape(d.shape());
    }

    // ------------------------------------------------------------------ structure

    private void readFile() {
        if (b.capacity() < 96 || b.getLong(0) != 0x0a1a0a0d46444889L) throw new Unsupported("no HDF5 signature at byte 0");
        int version = b.get(8);
        if (version != 0 && version != 1) throw new Unsupported("superblock version " + version);
        if (b.get(13) != 8 || b.get(14) != 8) throw new Unsupported("offsets of " + b.get(13) + " bytes and lengths of " + b.get(14));
        int leafK = b.getShort(16) & 0xffff;
        int internalK = b.getShort(18) & 0xffff;
        int at = version == 0 ? 24 : 28;
        long base = b.getLong(at);
        long eof = b.getLong(at + 16);
        if (base != 0) throw new Unsupported("base address " + base);
        if (eof > b.capacity()) throw new Unsupported("truncated: the superblock gives " + eof + " bytes, the file has " + b.capacity());
        if (leafK == 0 || internalK == 0) throw new Unsupported("B-tree K of 0");
        long rootHeader = b.getLong(at + 32 + 8);
        object(rootHeader, "", 0);
    }

    /** The messages of a version 1 object header, continuation blocks included: {type, offset, size, flags} each. */
    private List<int[]> messages(long address) {
        int at = addr(address, 16);
        if (b.get(at) != 1) {
            throw new Unsupported("object header at " + address + " of version " + b.get(at) + (b.getInt(at) == 0x5244484f ? " (OHDR)" : ""));
        }
        int count = b.getShort(at + 2) & 0xffff;
        int size = b.getInt(at + 8);
        List<int[]> out = new ArrayList<>();
        List<long[]> blocks = new ArrayList<>();
        blocks.add(new long[] {address + 16, size});
        for (int i = 0; i < blocks.size(); i++) {
            if (i > 1000) throw new Unsupported("object header at " + address + " has too many continuation blocks");
            int p = addr(blocks.get(i)[0], blocks.get(i)[1]);
            int end = p + (int) blocks.get(i)[1];
            while (p + 8 <= end) {
                int type = b.getShort(p) & 0xffff;
                int msgSize = b.getShort(p + 2) & 0xffff;
                int flags = b.get(p + 4) & 0xff;
                if (p + 8 + msgSize > end) throw new Unsupported("object header message at " + p + " runs past its block");
                if (type == 0x10) blocks.add(new long[] {b.getLong(p + 8), b.getLong(p + 16)});
                out.add(new int[] {type, p + 8, msgSize, flags});
                p += 8 + msgSize;
            }
        }
        if (out.size() != count) throw new Unsupported("object header at " + address + " says " + count + " messages, holds " + out.size());
        return out;
    }

    private void object(long address, String path, int depth) {
        if (depth > MAX_DEPTH) throw new Unsupported("groups nested over " + MAX_DEPTH + " deep");
        if (!visiting.add(address)) throw new Unsupported("a group holds itself (hard link cycle at '" + path + "')");
        try {
            List<int[]> msgs = messages(address);
            int[] symbolTable = null;
            int[] space = null;
            int[] type = null;
            int[] layout = null;
            for (int[] m : msgs) {
                switch (m[0]) {
                    case 0x11 -> symbolTable = m;
                    case 0x01 -> space = m;
                    case 0x03 -> type = m;
                    case 0x08 -> layout = m;
                    case 0x02, 0x06 -> throw new Unsupported("'" + path + "' is a group of link messages");
                    case 0x0b -> throw new Unsupported("'" + path + "' is a filtered (compressed) dataset");
                    case 0x07 -> throw new Unsupported("'" + path + "' has external storage");
                    case 0x0c -> attributes.computeIfAbsent(path, k -> new ArrayList<>()).add(m);
                    case 0x15 -> denseAttributes.add(path);
                    default -> {
                        // fill values, times, NIL padding, continuations: not needed
                    }
                }
                if ((m[3] & 0x02) != 0 && (m[0] == 0x01 || m[0] == 0x03 || m[0] == 0x08)) {
                    throw new Unsupported("'" + path + "' has a shared message");
                }
            }
            if (symbolTable != null) {
                if (!path.isEmpty()) {
                    groups.add(path);
                    groupSet.add(path);
                }
                group(b.getLong(symbolTable[1]), b.getLong(symbolTable[1] + 8), path, depth);
            } else if (space != null && type != null && layout != null) {
                dataset(path, space, type, layout);
            } else {
                throw new Unsupported("'" + path + "' is neither a symbol-table group nor a dataset");
            }
        } finally {
            visiting.remove(address);
        }
    }

    private void group(long btree, long heap, String path, int depth) {
        int h = addr(heap, 32);
        if (b.getInt(h) != 0x50414548) throw new Unsupported("no local heap at " + heap + " for '" + path + "'");
        long heapSize = b.getLong(h + 8);
        int heapData = addr(b.getLong(h + 24), heapSize);
        List<long[]> entries = new ArrayList<>();
        btreeNode(btree, entries, path, 0);
        String prefix = path.isEmpty() ? "" : path + "/";
        for (long[] e : entries) {
            String name = name(heapData, (int) heapSize, e[0], path);
            object(e[1], prefix + name, depth + 1);
        }
    }

    private void btreeNode(long address, List<long[]> entries, String path, int depth) {
        if (depth > 16) throw new Unsupported("B-tree of '" + path + "' is over 16 levels deep");
        int at = addr(address, 24);
        if (b.getInt(at) != 0x45455254) throw new Unsupported("no B-tree node at " + address + " for '" + path + "'");
        if (b.get(at + 4) != 0) throw new Unsupported("B-tree at " + address + " is not a group's");
        int level = b.get(at + 5) & 0xff;
        int used = b.getShort(at + 6) & 0xffff;
        int p = addr(at + 24, 8L + used * 16L);
        for (int i = 0; i < used; i++) {
            long child = b.getLong(p + 8 + 16 * i);
            if (level > 0) btreeNode(child, entries, path, depth + 1);
            else symbolNode(child, entries, path);
        }
    }

    private void symbolNode(long address, List<long[]> entries, String path) {
        int at = addr(address, 8);
        if (b.getInt(at) != 0x444f4e53) throw new Unsupported("no symbol table node at " + address + " for '" + path + "'");
        int n = b.getShort(at + 6) & 0xffff;
        int p = addr(at + 8, n * 40L);
        for (int i = 0; i < n; i++) {
            int e = p + 40 * i;
            int cache = b.getInt(e + 16);
            if (cache == 2) throw new Unsupported("'" + path + "' holds a soft link");
            entries.add(new long[] {b.getLong(e), b.getLong(e + 8)});
        }
    }

    private String name(int heapData, int heapSize, long offset, String path) {
        if (offset < 0 || offset >= heapSize) throw new Unsupported("a name of '" + path + "' lies outside its heap");
        int start = heapData + (int) offset;
        int end = start;
        while (end < heapData + heapSize && b.get(end) != 0) end++;
        if (end == heapData + heapSize) throw new Unsupported("a name of '" + path + "' is not terminated");
        byte[] s = new byte[end - start];
        b.get(start, s);
        String name = new String(s, StandardCharsets.UTF_8);
        if (name.isEmpty() || name.contains("/")) throw new Unsupported("'" + path + "' holds a link named '" + name + "'");
        return name;
    }

    /** The dimensions of the dataspace message at {@code s} ({@code size} bytes); null for a null dataspace. */
    private long[] dataspace(int s, int size, String what) {
        int sv = b.get(s);
        int rank = b.get(s + 1) & 0xff;
        int dims;
        if (sv == 1) {
            dims = s + 8;
        } else if (sv == 2) {
            int kind = b.get(s + 3);
            if (kind == 2) return null;
            if (kind == 0) rank = 0;
            dims = s + 4;
        } else {
            throw new Unsupported(what + " has a dataspace of version " + sv);
        }
        if (dims + 8L * rank > s + (long) size) throw new Unsupported(what + ": its dataspace message is too short");
        long[] shape = new long[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = b.getLong(dims + 8 * i);
            if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) throw new Unsupported(what + " has dimension " + shape[i]);
            elements = Math.multiplyExact(elements, shape[i]);
        }
        return shape;
    }

    private void dataset(String path, int[] space, int[] type, int[] layout) {
        long[] shape = dataspace(space[1], space[2], "'" + path + "'");
        if (shape == null) throw new Unsupported("'" + path + "' has a null dataspace");
        long elements = 1;
        for (long d : shape) elements *= d;
        if (type[2] < 12) throw new Unsupported("'" + path + "': its datatype message is too short");
        Hdf5Types.Stored t = Hdf5Types.readDatatype(b, type[1]);
        if (t == null) {
            throw new Unsupported("'" + path + "' has a datatype of class " + (b.get(type[1]) & 0x0f) + " that is not a plain number");
        }
        long bytes = Math.multiplyExact(elements, t.kind().size());
        if (bytes > Integer.MAX_VALUE) throw new Unsupported("'" + path + "' is over 2 GB");
        int l = layout[1];
        int lv = b.get(l);
        int cls = b.get(l + 1);
        if (lv != 3 && lv != 4) throw new Unsupported("'" + path + "' has a layout message of version " + lv);
        int offset;
        if (cls == 0) { // compact: the data in the header
            int size = b.getShort(l + 2) & 0xffff;
            if (size != bytes) throw new Unsupported("'" + path + "' holds " + size + " bytes for " + bytes);
            offset = l + 4;
        } else if (cls == 1) {
            long address = b.getLong(l + 2);
            long size = b.getLong(l + 10);
            if (address == UNDEF) {
                if (bytes != 0) throw new Unsupported("'" + path + "' has no storage allocated");
                offset = -1;
            } else {
                if (size != bytes) throw new Unsupported("'" + path + "' stores " + size + " bytes for " + bytes);
                offset = addr(address, bytes);
            }
        } else {
            throw new Unsupported("'" + path + "' has layout class " + cls + " (chunked or virtual)");
        }
        if (bytes == 0) offset = -1;
        datasets.put(path, new Dataset(path, t, shape, offset, (int) bytes));
    }

    // ------------------------------------------------------------------ attributes

    /** The attribute message of {@code path} named {@code name}: {type, offset, size, flags}; null when none. */
    private int[] findAttribute(String path, String name) {
        if (!isGroup(path) && !datasets.containsKey(path)) return null;
        for (int[] m : attributes.getOrDefault(path, List.of())) {
            if (name.equals(attributeName(m, path))) return m;
        }
        if (denseAttributes.contains(path)) throw new Unsupported("'" + path + "' keeps its attributes in dense storage");
        return null;
    }

    /**
     * The parts of an attribute message (versions 1 to 3): {name offset, name size, datatype
     * offset, datatype size, dataspace offset, dataspace size, data offset}.
     */
    private int[] attributeParts(int[] m, String what) {
        int p = m[1];
        if ((m[3] & 0x02) != 0) throw new Unsupported(what + " has a shared attribute message");
        int version = b.get(p);
        int nameSize = b.getShort(p + 2) & 0xffff;
        int typeSize = b.getShort(p + 4) & 0xffff;
        int spaceSize = b.getShort(p + 6) & 0xffff;
        int[] r = new int[7];
        if (version == 1) {
            r[0] = p + 8;
            r[2] = r[0] + pad8(nameSize);
            r[4] = r[2] + pad8(typeSize);
            r[6] = r[4] + pad8(spaceSize);
        } else if (version == 2 || version == 3) {
            if ((b.get(p + 1) & 0x03) != 0) throw new Unsupported(what + " has an attribute of a shared datatype or dataspace");
            r[0] = p + (version == 3 ? 9 : 8);
            r[2] = r[0] + nameSize;
            r[4] = r[2] + typeSize;
            r[6] = r[4] + spaceSize;
        } else {
            throw new Unsupported(what + " has an attribute message of version " + version);
        }
        r[1] = nameSize;
        r[3] = typeSize;
        r[5] = spaceSize;
        if (r[6] > m[1] + m[2] || nameSize == 0 || typeSize < 8) throw new Unsupported(what + " has a malformed attribute message");
        return r;
    }

    private static int pad8(int n) {
        return (n + 7) & ~7;
    }

    private String attributeName(int[] m, String path) {
        int[] parts = attributeParts(m, "'" + path + "'");
        int end = parts[0];
        while (end < parts[0] + parts[1] && b.get(end) != 0) end++;
        byte[] s = new byte[end - parts[0]];
        b.get(parts[0], s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** The values of a string attribute (see {@link #stringsAttribute}). */
    private List<String> strings(int[] m, String what) {
        int[] parts = attributeParts(m, what);
        long[] shape = dataspace(parts[4], parts[5], what);
        if (shape == null) return new ArrayList<>();
        if (shape.length > 1) throw new Unsupported(what + " has " + shape.length + " dimensions");
        int n = shape.length == 0 ? 1 : (int) shape[0];
        if (n == 0) return new ArrayList<>();
        int t = parts[2];
        int cls = b.get(t) & 0x0f;
        int flags = b.get(t + 1) & 0xff;
        int size = b.getInt(t + 4);
        if (size <= 0) throw new Unsupported(what + " has elements of " + size + " bytes");
        int data = parts[6];
        if (data + (long) n * size > m[1] + m[2]) throw new Unsupported(what + " holds fewer bytes than its " + n + " elements");
        List<String> r = new ArrayList<>(n);
        if (cls == 3) { // fixed-length: padded with nulls (numpy's S) or spaces
            int pad = flags & 0x0f;
            for (int i = 0; i < n; i++) r.add(text(data + i * size, size, pad));
        } else if (cls == 9 && (flags & 0x0f) == 1) { // variable-length string: length, global heap collection, index
            if (size != 16) throw new Unsupported(what + " has variable-length elements of " + size + " bytes");
            int pad = (flags >> 4) & 0x0f;
            for (int i = 0; i < n; i++) {
                int e = data + 16 * i;
                int length = b.getInt(e);
                long collection = b.getLong(e + 4);
                int index = b.getInt(e + 12);
                if (length == 0) {
                    r.add("");
                    continue;
                }
                long[] obj = globalHeapObject(collection, index, what);
                if (length < 0 || length > obj[1]) throw new Unsupported(what + ": a string of " + length + " bytes in a heap object of " + obj[1]);
                r.add(text((int) obj[0], length, pad));
            }
        } else {
            throw new Unsupported(what + " is not a string (datatype class " + cls + ")");
        }
        return r;
    }

    /** {@code size} bytes at {@code at} as UTF-8, cut at the first null (padding 0 and 1) or without trailing spaces (2). */
    private String text(int at, int size, int pad) {
        addr(at, size);
        int end = at;
        if (pad == 2) {
            end = at + size;
            while (end > at && b.get(end - 1) == ' ') end--;
        } else {
            while (end < at + size && b.get(end) != 0) end++;
        }
        byte[] s = new byte[end - at];
        b.get(at, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** Object {@code index} of the global heap collection at {@code address}: {offset, size} of its data. */
    private long[] globalHeapObject(long address, int index, String what) {
        Map<Integer, long[]> objects = globalHeaps.get(address);
        if (objects == null) {
            int h = addr(address, 16);
            if (b.getInt(h) != 0x4c4f4347) throw new Unsupported(what + ": no global heap collection at " + address);
            if (b.get(h + 4) != 1) throw new Unsupported(what + ": a global heap collection of version " + b.get(h + 4));
            long size = b.getLong(h + 8);
            int end = addr(address, size) + (int) size;
            objects = new HashMap<>();
            int p = h + 16;
            while (p + 16 <= end) {
                int id = b.getShort(p) & 0xffff;
                long objectSize = b.getLong(p + 8);
                if (id == 0) break; // free space: the rest of the collection
                if (objectSize < 0 || p + 16 + objectSize > end) throw new Unsupported(what + ": global heap object " + id + " runs past its collection");
                objects.put(id, new long[] {p + 16, objectSize});
                p += 16 + (int) ((objectSize + 7) & ~7L);
            }
            globalHeaps.put(address, objects);
        }
        long[] o = objects.get(index);
        if (o == null) throw new Unsupported(what + ": no object " + index + " in the global heap collection at " + address);
        return o;
    }

    /** An address as a position in the file, checking that {@code length} bytes from it are inside. */
    private int addr(long address, long length) {
        if (address < 0 || length < 0 || address + length > b.capacity()) {
            throw new Unsupported("address " + address + " (+" + length + " bytes) lies outside the file of " + b.capacity() + " bytes");
        }
        return (int) address;
    }
}
