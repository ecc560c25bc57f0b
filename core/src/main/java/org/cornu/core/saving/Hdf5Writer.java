package org.cornu.core.saving;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.cornu.core.Shape;
import org.cornu.core.kernels.Workspaces;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the subset of HDF5 that Keras's weight files use: groups (empty ones included) and
 * contiguous datasets of any shape, scalars included, of IEEE floats (16, 32, 64 bits) and
 * little-endian integers. The layout is the one libhdf5 writes by default (what {@code h5py.File(p, "w")}
 * gives, "earliest" format bounds): superblock version 0, version 1 object headers, groups as
 * symbol tables (a version 1 B-tree, a local heap for the names and symbol table nodes), so that
 * every HDF5 reader since 1.6 reads it, h5py and jHDF included.
 *
 * <p>The whole layout is planned in the constructor: the file's size is known before a byte is
 * written, and {@link #writeTo} streams the metadata followed by each array's bytes straight from
 * its buffer (no Java copies of the arrays, no temporary file). Arrays are captured when the writer
 * is made: change none of them before the writing ends.
 */
final class Hdf5Writer {
    private static final long UNDEF = -1L;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** Symbol table nodes hold up to 2 * LEAF_K entries; group B-tree nodes up to 2 * INTERNAL_K children (libhdf5's defaults). */
    static final int LEAF_K = 4;
    static final int INTERNAL_K = 16;
    private static final int SUPERBLOCK_SIZE = 96;
    private static final int ENTRY_SIZE = 40;
    private static final int SNOD_SIZE = 8 + 2 * LEAF_K * ENTRY_SIZE;
    private static final int BTREE_NODE_SIZE = 24 + 2 * INTERNAL_K * 8 + (2 * INTERNAL_K + 1) * 8;
    private static final int HEAP_HEADER_SIZE = 32;
    private static final int GROUP_HEADER_SIZE = 16 + 8 + 16;

    /** A group or a dataset of the tree being written. */
    private static final class Node {
        final String name;
        final byte[] nameBytes;
        final TreeMap<String, Node> children; // null for a dataset, sorted by name bytes
        Stored data;
        long header;
        // groups: B-tree root, local heap, each child's name offset in the heap
        long btree;
        long heap;
        long heapData;
        int heapSize;
        final List<Long> nameOffsets = new ArrayList<>();
        final List<long[]> btreeNodes = new ArrayList<>(); // per node: address, level, first child, child count
        final List<Long> snods = new ArrayList<>();

        Node(String name, boolean group) {
            this.name = name;
            this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
            this.children = group ? new TreeMap<>(Hdf5Writer::compareNames) : null;
        }

        boolean group() {
            return children != null;
        }

        List<Node> sortedChildren() {
            return new ArrayList<>(children.values());
        }
    }

    /** A dataset's element type, shape and bytes (little-endian, C order), and where they go in the file. */
    static final class Stored {
        final Hdf5Types.Kind kind;
        final long[] shape;
        final ByteBuffer bytes;
        final INDArray keepAlive;
        long address;
        long headerSize;

        Stored(Hdf5Types.Kind kind, long[] shape, ByteBuffer bytes, INDArray keepAlive) {
            this.kind = kind;
            this.shape = shape;
            this.bytes = bytes;
            this.keepAlive = keepAlive;
        }

        long size() {
            return bytes.remaining();
        }
    }

    private final Node root = new Node("", true);
    private final List<Node> groups = new ArrayList<>();
    private final List<Node> datasets = new ArrayList<>();
    private long metadataEnd;
    private long size;

    /**
     * Plans a file holding {@code datasets} (by path, {@code layers/dense/vars/0}) and the groups
     * {@code emptyGroups} (by path; groups that hold datasets need not be listed, and a listed
     * group may hold datasets too).
     *
     * @throws IllegalArgumentException if a path is empty, has an empty part, or names both a
     *     dataset and a group
     */
    Hdf5Writer(Map<String, INDArray> datasets, Collection<String> emptyGroups) {
        this(datasets, emptyGroups, Hdf5Types.CPU);
    }

    /** As {@link #Hdf5Writer(Map, Collection)}; {@code hostBuffers}: read the arrays' buffers in place (CPU backend) or copy through Java arrays. */
    Hdf5Writer(Map<String, INDArray> datasets, Collection<String> emptyGroups, boolean hostBuffers) {
        for (String g : emptyGroups) {
            Node n = root;
            for (String part : split(g)) n = child(n, part, true, g);
        }
        for (Map.Entry<String, INDArray> e : datasets.entrySet()) {
            List<String> parts = split(e.getKey());
            Node n = root;
            for (int i = 0; i < parts.size() - 1; i++) n = child(n, parts.get(i), true, e.getKey());
            Node d = child(n, parts.get(parts.size() - 1), false, e.getKey());
            d.data = stored(e.getValue(), hostBuffers);
        }
        plan();
    }

    private static List<String> split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) throw new IllegalArgumentException("HDF5 path '" + path + "' is empty");
        List<String> parts = List.of(p.split("/", -1));
        for (String s : parts) {
            if (s.isEmpty() || s.equals(".")) {
                throw new IllegalArgumentException("HDF5 path '" + path + "' has an empty or '.' part");
            }
            if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("HDF5 path '" + path + "' holds a NUL character");
        }
        return parts;
    }

    private static Node child(Node parent, String name, boolean group, String path) {
        Node c = parent.children.get(name);
        if (c == null) {
            c = new Node(name, group);
            parent.children.put(name, c);
        } else if (c.group() != group || !group) {
            throw new IllegalArgumentException("HDF5 path '" + path + "': '" + name + "' is "
                    + (c.group() ? "a group" : "a dataset") + " and cannot also be " + (group ? "a group" : "a dataset"));
        }
        return c;
    }

    /** Names in the order libhdf5 keeps them: byte by byte, unsigned (C's strcmp on UTF-8). */
    static int compareNames(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The array's bytes as stored: C order, little-endian, of a type HDF5 and Keras share. */
    static Stored stored(INDArray a, boolean hostBuffers) {
        Hdf5Types.Kind kind = hostBuffers ? Hdf5Types.forArray(a.dataType()) : Hdf5Types.forArrayOffHost(a.dataType());
        long[] shape = a.shape();
        INDArray c = a;
        try (MemoryWorkspace ws = Workspaces.outside()) {
            if (kind.nd4j() != a.dataType()) c = a.castTo(kind.nd4j());
            if (c.length() > 0 && (c.isView() || c.ordering() != 'c' || c.offset() != 0 || c.data().length() < c.length())) {
                c = c.dup('c');
            }
        }
        if (c.length() == 0) return new Stored(kind, shape, ByteBuffer.allocate(0), c);
        long bytes = c.length() * kind.size();
        ByteBuffer b = hostBuffers ? c.data().asNio() : null;
        if (b == null || b.capacity() < bytes || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            b = Hdf5Types.littleEndianCopy(c, kind);
        } else {
            b = b.duplicate();
            b.position(0).limit((int) bytes);
            b = b.slice();
        }
        return new Stored(kind, shape, b, c);
    }

    // ------------------------------------------------------------------ layout

    private void plan() {
        collect(root);
        long at = SUPERBLOCK_SIZE;
        for (Node g : groups) {
            g.header = at;
            at += GROUP_HEADER_SIZE;
            List<Node> kids = g.sortedChildren();
            // the local heap: "" at offset 0 (the B-tree's leftmost key), then each name, NUL-terminated, 8-aligned
            int heapSize = 8;
            for (Node k : kids) {
                g.nameOffsets.add((long) heapSize);
                heapSize += align8(k.nameBytes.length + 1);
            }
            g.heap = at;
            g.heapData = at + HEAP_HEADER_SIZE;
            g.heapSize = heapSize;
            at = g.heapData + heapSize;
            // symbol table nodes, 2 * LEAF_K entries each
            int nSnod = Math.max(0, (kids.size() + 2 * LEAF_K - 1) / (2 * LEAF_K));
            for (int i = 0; i < nSnod; i++) {
                g.snods.add(at);
                at += SNOD_SIZE;
            }
            // B-tree levels above them, 2 * INTERNAL_K children per node; an empty group has one empty leaf node
            int children = nSnod;
            int level = 0;
            do {
                int nodes = Math.max(1, (children + 2 * INTERNAL_K - 1) / (2 * INTERNAL_K));
                for (int i = 0; i < nodes; i++) {
                    int first = i * 2 * INTERNAL_K;
                    int count = Math.min(2 * INTERNAL_K, children - first);
                    g.btreeNodes.add(new long[] {at, level, first, Math.max(0, count)});
                    at += BTREE_NODE_SIZE;
                }
                children = nodes;
                level++;
            } while (children > 1);
            g.btree = g.btreeNodes.get(g.btreeNodes.size() - 1)[0];
        }
        for (Node d : datasets) {
            d.header = at;
            d.data.headerSize = datasetHeaderSize(d.data);
            at += d.data.headerSize;
        }
        metadataEnd = at;
        for (Node d : datasets) {
            if (d.data.size() == 0) {
                d.data.address = UNDEF;
                continue;
            }
            at = align8(at);
            d.data.address = at;
            at += d.data.size();
        }
        size = at;
    }

    private void collect(Node g) {
        groups.add(g);
        for (Node k : g.children.values()) {
            if (k.group()) collect(k);
            else datasets.add(k);
        }
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    private static int dataspaceSize(Stored s) {
        return 8 + 8 * s.shape.length;
    }

    private static long datasetHeaderSize(Stored s) {
        return 16 + (8 + dataspaceSize(s)) + (8 + Hdf5Types.messageSize(s.kind)) + (8 + 8) + (8 + 24);
    }

    /** The file's size in bytes. */
    long size() {
        return size;
    }

    // ------------------------------------------------------------------ writing

    /** Writes the whole file to {@code out} ({@link #size()} bytes). */
    void writeTo(WritableByteChannel out) throws IOException {
        if (metadataEnd > Integer.MAX_VALUE) throw new IOException("HDF5 metadata over 2 GB: too many datasets");
        ByteBuffer meta = ByteBuffer.allocate((int) metadataEnd).order(ByteOrder.LITTLE_ENDIAN);
        superblock(meta);
        for (Node g : groups) group(meta, g);
        for (Node d : datasets) dataset(meta, d);
        if (meta.position() != metadataEnd) throw new IllegalStateException("HDF5 layout error: metadata " + meta.position() + " != " + metadataEnd);
        meta.flip();
        writeFully(out, meta);
        long at = metadataEnd;
        ByteBuffer pad = ByteBuffer.allocate(8);
        for (Node d : datasets) {
            if (d.data.address == UNDEF) continue;
            if (d.data.address > at) {
                pad.clear().limit((int) (d.data.address - at));
                writeFully(out, pad);
            }
            writeFully(out, d.data.bytes.duplicate());
            at = d.data.address + d.data.size();
        }
        if (at != size) throw new IllegalStateException("HDF5 layout error: wrote " + at + " of " + size + " bytes");
    }

    /** The whole file in memory. */
    byte[] toBytes() {
        if (size > Integer.MAX_VALUE - 16) throw new IllegalStateException("HDF5 file of " + size + " bytes does not fit in an array");
        byte[] r = new byte[(int) size];
        ByteBuffer b = ByteBuffer.wrap(r);
        try {
            writeTo(new WritableByteChannel() {
                @Override
                public int write(ByteBuffer src) {
                    int n = src.remaining();
                    b.put(src);
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {}
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    /** The CRC-32 of the file's bytes (as a zip entry records it), computed without holding the file. */
    long crc32() {
        CRC32 crc = new CRC32();
        try {
            writeTo(new WritableByteChannel() {
                @Override
                public int write(ByteBuffer src) {
                    int n = src.remaining();
                    crc.update(src);
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {}
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return crc.getValue();
    }

    /** Each dataset by path with its stored form, for checking a file read back. */
    Map<String, Stored> storedByPath() {
        Map<String, Stored> r = new TreeMap<>();
        walk(root, "", r);
        return r;
    }

    private static void walk(Node g, String prefix, Map<String, Stored> out) {
        for (Node k : g.children.values()) {
            if (k.group()) walk(k, prefix + k.name + "/", out);
            else out.put(prefix + k.name, k.data);
        }
    }

    /** Every group's path (without the root), for checking a file read back. */
    List<String> groupPaths() {
        List<String> r = new ArrayList<>();
        groupPaths(root, "", r);
        return r;
    }

    private static void groupPaths(Node g, String prefix, List<String> out) {
        for (Node k : g.children.values()) {
            if (k.group()) {
                out.add(prefix + k.name);
                groupPaths(k, prefix + k.name + "/", out);
            }
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) out.write(b);
    }

    private void superblock(ByteBuffer b) {
        b.put(SIGNATURE);
        b.put((byte) 0); // superblock version
        b.put((byte) 0); // free-space storage version
        b.put((byte) 0); // root group symbol table entry version
        b.put((byte) 0);
        b.put((byte) 0); // shared header message format version
        b.put((byte) 8); // size of offsets
        b.put((byte) 8); // size of lengths
        b.put((byte) 0);
        b.putShort((short) LEAF_K);
        b.putShort((short) INTERNAL_K);
        b.putInt(0); // file consistency flags
        b.putLong(0); // base address
        b.putLong(UNDEF); // free-space info
        b.putLong(size); // end of file
        b.putLong(UNDEF); // driver information block
        entry(b, 0, root);
    }

    /** A symbol table entry: name offset, object header, and for groups the cached B-tree and heap addresses. */
    private static void entry(ByteBuffer b, long nameOffset, Node n) {
        b.putLong(nameOffset);
        b.putLong(n.header);
        b.putInt(n.group() ? 1 : 0);
        b.putInt(0);
        b.putLong(n.group() ? n.btree : 0);
        b.putLong(n.group() ? n.heap : 0);
    }

    private static void headerPrefix(ByteBuffer b, int messages, long messageBytes) {
        b.put((byte) 1); // object header version
        b.put((byte) 0);
        b.putShort((short) messages);
        b.putInt(1); // reference count
        b.putInt((int) messageBytes);
        b.putInt(0); // alignment to 8
    }

    private static void messageHeader(ByteBuffer b, int type, int size) {
        b.putShort((short) type);
        b.putShort((short) size);
        b.put((byte) 0); // flags
        b.put((byte) 0);
        b.putShort((short) 0);
    }

    private void group(ByteBuffer b, Node g) {
        check(b, g.header, "group header");
        headerPrefix(b, 1, 8 + 16);
        messageHeader(b, 0x11, 16); // symbol table
        b.putLong(g.btree);
        b.putLong(g.heap);

        List<Node> kids = g.sortedChildren();
        check(b, g.heap, "local heap");
        b.put(new byte[] {'H', 'E', 'A', 'P', 0, 0, 0, 0});
        b.putLong(g.heapSize);
        b.putLong(1); // no free block (libhdf5's H5HL_FREE_NULL)
        b.putLong(g.heapData);
        b.putLong(0); // ""
        for (Node k : kids) {
            b.put(k.nameBytes);
            b.put(new byte[align8(k.nameBytes.length + 1) - k.nameBytes.length]);
        }

        for (int s = 0; s < g.snods.size(); s++) {
            check(b, g.snods.get(s), "symbol table node");
            int first = s * 2 * LEAF_K;
            int count = Math.min(2 * LEAF_K, kids.size() - first);
            b.put(new byte[] {'S', 'N', 'O', 'D', 1, 0});
            b.putShort((short) count);
            for (int i = 0; i < count; i++) entry(b, g.nameOffsets.get(first + i), kids.get(first + i));
            b.put(new byte[(2 * LEAF_K - count) * ENTRY_SIZE]);
        }

        // B-tree nodes, level by level from the leaves; a node's key i is the name (heap offset) of the
        // last entry under its child i - 1, key 0 that of the entry before its first child ("" for the first)
        int perNode = 2 * INTERNAL_K;
        for (int n = 0; n < g.btreeNodes.size(); n++) {
            long[] node = g.btreeNodes.get(n);
            check(b, node[0], "B-tree node");
            int level = (int) node[1];
            int first = (int) node[2];
            int count = (int) node[3];
            // siblings: the nodes of the same level before and after this one
            long left = UNDEF;
            long right = UNDEF;
            if (n > 0 && g.btreeNodes.get(n - 1)[1] == level) left = g.btreeNodes.get(n - 1)[0];
            if (n + 1 < g.btreeNodes.size() && g.btreeNodes.get(n + 1)[1] == level) right = g.btreeNodes.get(n + 1)[0];
            b.put(new byte[] {'T', 'R', 'E', 'E', 0, (byte) level});
            b.putShort((short) count);
            b.putLong(left);
            b.putLong(right);
            // entries covered by child c of a node at this level: SNOD-sized blocks times perNode^level
            long entriesPerChild = (long) 2 * LEAF_K * pow(perNode, level);
            b.putLong(keyBefore(g, first * entriesPerChild));
            for (int c = 0; c < count; c++) {
                b.putLong(level == 0 ? g.snods.get(first + c) : levelStart(g, level - 1, first + c));
                b.putLong(keyBefore(g, Math.min(kids.size(), (first + c + 1) * entriesPerChild)));
            }
            b.put(new byte[(perNode - count) * 16]);
        }
    }

    /** The heap offset of the name of entry {@code index - 1} (the last before {@code index}), "" for none. */
    private static long keyBefore(Node g, long index) {
        return index <= 0 ? 0 : g.nameOffsets.get((int) index - 1);
    }

    private static long pow(int base, int exp) {
        long r = 1;
        for (int i = 0; i < exp; i++) r *= base;
        return r;
    }

    /** The address of node {@code i} of {@code level} in the group's B-tree. */
    private static long levelStart(Node g, int level, int i) {
        int k = 0;
        for (long[] node : g.btreeNodes) {
            if (node[1] == level) {
                if (k == i) return node[0];
                k++;
            }
        }
        throw new IllegalStateException("HDF5 layout error: no B-tree node " + i + " at level " + level);
    }

    private void dataset(ByteBuffer b, Node d) {
        Stored s = d.data;
        check(b, d.header, "dataset header");
        headerPrefix(b, 4, s.headerSize - 16);
        // dataspace, version 1: rank 0 is a scalar
        messageHeader(b, 0x01, dataspaceSize(s));
        b.put((byte) 1);
        b.put((byte) s.shape.length);
        b.put((byte) 0);
        b.put((byte) 0);
        b.putInt(0);
        for (long dim : s.shape) b.putLong(dim);
        messageHeader(b, 0x03, Hdf5Types.messageSize(s.kind));
        Hdf5Types.putDatatype(b, s.kind);
        // fill value, version 2: allocated late, written if set, none defined
        messageHeader(b, 0x05, 8);
        b.put(new byte[] {2, 2, 2, 0, 0, 0, 0, 0});
        // data layout, version 3, contiguous
        messageHeader(b, 0x08, 24);
        b.put((byte) 3);
        b.put((byte) 1);
        b.putLong(s.address);
        b.putLong(s.size());
        b.put(new byte[6]);
    }

    private static void check(ByteBuffer b, long expected, String what) {
        if (b.position() != expected) {
            throw new IllegalStateException("HDF5 layout error: " + what + " at " + b.position() + ", planned at " + expected);
        }
    }

    @Override
    public String toString() {
        return "Hdf5Writer(" + datasets.size() + " datasets, " + groups.size() + " groups, " + size + " bytes; shapes "
                + datasets.stream().map(d -> d.name + Shape.format(d.data.shape)).toList() + ")";
    }
}
