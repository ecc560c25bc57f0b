package org.cornu.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safe reader for the pickles that NumPy writes for object arrays ({@code descr '|O'}) in
 * {@code .npy} files, such as Keras's {@code reuters.npz} and {@code imdb.npz}, whose elements
 * are Python lists of ints.
 *
 * <p>It interprets the opcodes of pickle protocols 2 to 5 that build plain data (ints, strings,
 * bytes, lists, tuples, dicts, None, booleans, floats, the memo) and recognises only the globals
 * that rebuild an array: {@code numpy.core.multiarray._reconstruct} (or
 * {@code numpy._core.multiarray._reconstruct}), {@code numpy.ndarray} and {@code numpy.dtype}, the
 * same set as Keras's restricted unpickler ({@code keras/src/datasets/npz_utils.py}). Nothing is
 * ever looked up or executed: any other global, any other call and any other opcode is refused
 * with an {@link IOException} that names the source, the opcode or global and its byte offset in
 * the pickle. (Like Keras, this refuses {@code _codecs.encode}, which Python 3 writes for bytes
 * in protocol 2; Python 2, which wrote Keras's files, and protocol 3 and later do not need it.)
 */
final class Pickle {
    private static final Set<String> RECONSTRUCT = Set.of(
            "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct");
    private static final String NDARRAY = "numpy.ndarray";
    private static final String DTYPE = "numpy.dtype";

    private final byte[] buf;
    private final String where;
    private int offset;
    private final ArrayList<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markCount;
    private final Map<Long, Object> memo = new HashMap<>();

    private Pickle(byte[] buf, String where) {
        this.buf = buf;
        this.where = where;
    }

    /** A recognised global (one of the few above); never a loaded class. */
    record Global(String qualifiedName) {
    }

    /** A Python tuple. */
    record Tuple(List<Object> items) {
        static Tuple of(Object... items) {
            return new Tuple(Collections.unmodifiableList(Arrays.asList(items)));
        }
    }

    /** A NumPy dtype, by its type string ({@code "O8"}, {@code "i8"}, ...). */
    record Dtype(String name) {
        boolean isObject() {
            return name.equals("O") || name.equals("O8") || name.equals("O4");
        }
    }

    /** An ndarray being rebuilt: {@code _reconstruct} creates it empty, {@code BUILD} fills it. */
    static final class NdArray {
        long[] shape;
        Dtype dtype;
        Object data;
    }

    /**
     * A Python list. While it holds only ints that fit in 32 bits they are kept unboxed (a
     * list of word indices costs 4 bytes a word); anything else switches it to objects.
     */
    static final class PyList {
        private int[] ints = new int[8];
        private List<Object> objects;
        private int size;

        void add(Object v) {
            if (objects == null && v instanceof Long l && l == (int) (long) l) {
                if (size == ints.length) ints = Arrays.copyOf(ints, size * 2);
                ints[size++] = (int) (long) l;
                return;
            }
            if (objects == null) {
                objects = new ArrayList<>(Math.max(size + 1, 8));
                for (int i = 0; i < size; i++) objects.add((long) ints[i]);
                ints = null;
            }
            objects.add(v);
            size++;
        }

        int size() {
            return size;
        }

        /** The items as ints, or null if some item is not an int that fits in 32 bits. */
        int[] toInts() {
            return objects == null ? Arrays.copyOf(ints, size) : null;
        }

        Object get(int i) {
            return objects == null ? (Object) (long) ints[i] : objects.get(i);
        }
    }

    /**
     * Reads a pickled 1-D object array whose elements are lists (or tuples) of ints, as Keras's
     * sequence datasets hold, stopping at the pickle's STOP opcode.
     *
     * @param limit bytes left in the source, or -1 if unknown; the pickle is read into memory
     * @param where names the source in error messages
     */
    static int[][] readSequences(InputStream in, long limit, String where) throws IOException {
        byte[] bytes;
        if (limit >= 0) {
            if (limit > Integer.MAX_VALUE - 16) {
                throw new IOException(where + ": a pickle of " + limit + " bytes is too large to read");
            }
            bytes = in.readNBytes((int) limit);
            if (bytes.length < limit) {
                throw new IOException(where + ": truncated pickle (expected " + limit + " bytes, found " + bytes.length + ")");
            }
        } else {
            bytes = in.readAllBytes();
        }
        Pickle p = new Pickle(bytes, where);
        Object result = p.load();
        if (!(result instanceof NdArray a)) {
            throw new IOException(where + ": the pickle holds a " + describe(result) + ", not a NumPy array");
        }
        if (a.shape == null || a.dtype == null) {
            throw new IOException(where + ": the pickled array was never given its state (no BUILD)");
        }
        if (!a.dtype.isObject()) {
            throw new IOException(where + ": the pickled array has dtype '" + a.dtype.name()
                    + "', not an object array of sequences");
        }
        if (a.shape.length != 1) {
            throw new IOException(where + ": the pickled object array has shape " + RawArrays.shapeString(a.shape)
                    + "; only 1-D arrays of sequences are supported");
        }
        List<?> items;
        if (a.data instanceof PyList l) {
            List<Object> all = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) all.add(l.get(i));
            items = all;
        } else if (a.data instanceof Tuple t) {
            items = t.items();
        } else {
            throw new IOException(where + ": the pickled object array's data is a "
                    + describe(a.data) + ", not a list of its elements");
        }
        if (items.size() != a.shape[0]) {
            throw new IOException(where + ": the pickled object array has shape " + RawArrays.shapeString(a.shape)
                    + " but " + items.size() + " elements");
        }
        int[][] out = new int[items.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.sequence(items.get(i), i);
        }
        return out;
    }

    private static int[] sequenceFromObjects(List<?> list, int index, String where) throws IOException {
        int[] s = new int[list.size()];
        for (int k = 0; k < s.length; k++) {
            Object v = list.get(k);
            if (!(v instanceof Long l) || l != (int) (long) l) {
                throw new IOException(where + ": element " + index + " of the pickled array holds "
                        + (v instanceof Long || v instanceof BigInteger ? "the integer " + v + ", out of the 32-bit range"
                        : "a " + describe(v)) + " at position " + k + "; expected only integers");
            }
            s[k] = (int) (long) l;
        }
        return s;
    }

    private int[] sequence(Object v, int index) throws IOException {
        if (v instanceof PyList l) {
            int[] ints = l.toInts();
            if (ints != null) return ints;
            List<Object> objs = new ArrayList<>(l.size());
            for (int k = 0; k < l.size(); k++) objs.add(l.get(k));
            return sequenceFromObjects(objs, index, where);
        }
        if (v instanceof Tuple t) return sequenceFromObjects(t.items(), index, where);
        throw new IOException(where + ": element " + index + " of the pickled array is a " + describe(v)
                + ", not a list of integers");
    }

    // ---- the interpreter -------------------------------------------------------------------

    private Object load() throws IOException {
        while (true) {
            long at = offset;
            if (offset >= buf.length) {
                throw new IOException(where + ": truncated pickle (it ends at byte " + offset + " without STOP)");
            }
            int op = buf[offset++] & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int p = u1(op, at);
                    if (p > 5) throw new IOException(where + ": unsupported pickle protocol " + p + " (at byte " + at + ")");
                }
                case 0x95 -> u8(op, at); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1 || markCount != 0) {
                        throw new IOException(where + ": malformed pickle: STOP at byte " + at + " with "
                                + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'K' -> stack.add((long) u1(op, at));
                case 'M' -> stack.add((long) u2(op, at));
                case 'J' -> stack.add((long) s4(op, at));
                case 0x8a -> stack.add(longN(u1(op, at), op, at));
                case 0x8b -> stack.add(longN(length(s4(op, at), op, at), op, at));
                case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(u8(op, at))));
                case 'U' -> stack.add(latin1(bytes(u1(op, at), op, at))); // SHORT_BINSTRING (Python 2 str)
                case 'T' -> stack.add(latin1(bytes(length(s4(op, at), op, at), op, at))); // BINSTRING
                case 'X' -> stack.add(utf8(bytes(length(u4(op, at), op, at), op, at))); // BINUNICODE
                case 0x8c -> stack.add(utf8(bytes(u1(op, at), op, at))); // SHORT_BINUNICODE
                case 0x8d -> stack.add(utf8(bytes(length(u8(op, at), op, at), op, at))); // BINUNICODE8
                case 'C' -> stack.add(bytes(u1(op, at), op, at)); // SHORT_BINBYTES
                case 'B' -> stack.add(bytes(length(u4(op, at), op, at), op, at)); // BINBYTES
                case 0x8e -> stack.add(bytes(length(u8(op, at), op, at), op, at)); // BINBYTES8
                case '(' -> { // MARK
                    if (markCount == marks.length) marks = Arrays.copyOf(marks, markCount * 2);
                    marks[markCount++] = stack.size();
                }
                case '0' -> pop(op, at); // POP
                case '1' -> popMark(op, at); // POP_MARK
                case '2' -> stack.add(peek(op, at)); // DUP
                case ')' -> stack.add(Tuple.of());
                case 't' -> stack.add(new Tuple(Collections.unmodifiableList(new ArrayList<>(popMark(op, at)))));
                case 0x85 -> stack.add(Tuple.of(pop(op, at)));
                case 0x86 -> {
                    Object b = pop(op, at);
                    Object a = pop(op, at);
                    stack.add(Tuple.of(a, b));
                }
                case 0x87 -> {
                    Object c = pop(op, at);
                    Object b = pop(op, at);
                    Object a = pop(op, at);
                    stack.add(Tuple.of(a, b, c));
                }
                case ']' -> stack.add(new PyList());
                case 'l' -> { // LIST
                    PyList l = new PyList();
                    for (Object v : popMark(op, at)) l.add(v);
                    stack.add(l);
                }
                case 'a' -> { // APPEND
                    Object v = pop(op, at);
                    list(peek(op, at), op, at).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark(op, at);
                    PyList l = list(peek(op, at), op, at);
                    for (Object v : items) l.add(v);
                }
                case '}' -> stack.add(new LinkedHashMap<Object, Object>());
                case 'd' -> { // DICT
                    List<Object> items = popMark(op, at);
                    Map<Object, Object> m = new LinkedHashMap<>();
                    putAll(m, items, op, at);
                    stack.add(m);
                }
                case 's' -> { // SETITEM
                    Object v = pop(op, at);
                    Object k = pop(op, at);
                    putAll(dict(peek(op, at), op, at), Arrays.asList(k, v), op, at);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark(op, at);
                    putAll(dict(peek(op, at), op, at), items, op, at);
                }
                case 'q' -> memo.put((long) u1(op, at), peek(op, at)); // BINPUT
                case 'r' -> memo.put(u4(op, at), peek(op, at)); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek(op, at)); // MEMOIZE
                case 'h' -> stack.add(memoGet(u1(op, at), op, at)); // BINGET
                case 'j' -> stack.add(memoGet(u4(op, at), op, at)); // LONG_BINGET
                case 'c' -> stack.add(global(line(op, at), line(op, at), at)); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(op, at);
                    Object module = pop(op, at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new IOException(where + ": malformed pickle: STACK_GLOBAL at byte " + at
                                + " without two strings");
                    }
                    stack.add(global(m, n, at));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(op, at);
                    Object callable = pop(op, at);
                    stack.add(reduce(callable, args, at));
                }
                case 'b' -> { // BUILD
                    Object state = pop(op, at);
                    build(peek(op, at), state, at);
                }
                default -> throw new IOException(where + ": unsupported pickle opcode " + opName(op)
                        + " at byte " + at + " (only plain data and NumPy array reconstruction are read)");
            }
        }
    }

    private Global global(String module, String name, long at) throws IOException {
        String q = module + "." + name;
        if (RECONSTRUCT.contains(q) || q.equals(NDARRAY) || q.equals(DTYPE)) {
            return new Global(q);
        }
        throw new IOException(where + ": refusing the pickle global '" + q + "' at byte " + at
                + " (only numpy.core.multiarray._reconstruct, numpy.ndarray and numpy.dtype are allowed;"
                + " the file may be corrupted or malicious)");
    }

    private Object reduce(Object callable, Object args, long at) throws IOException {
        if (!(callable instanceof Global g)) {
            throw new IOException(where + ": malformed pickle: REDUCE at byte " + at + " calls a " + describe(callable));
        }
        if (!(args instanceof Tuple t)) {
            throw new IOException(where + ": malformed pickle: REDUCE at byte " + at + " with arguments " + describe(args));
        }
        List<Object> a = t.items();
        String q = g.qualifiedName();
        if (RECONSTRUCT.contains(q)) {
            if (a.size() != 3 || !(a.get(0) instanceof Global cls) || !cls.qualifiedName().equals(NDARRAY)) {
                throw new IOException(where + ": unexpected arguments to " + q + " at byte " + at
                        + " (expected numpy.ndarray, a shape and a type code)");
            }
            return new NdArray();
        }
        if (q.equals(DTYPE)) {
            if (a.isEmpty() || !(a.get(0) instanceof String name)) {
                throw new IOException(where + ": unexpected arguments to numpy.dtype at byte " + at);
            }
            return new Dtype(name);
        }
        throw new IOException(where + ": refusing to call " + q + " at byte " + at);
    }

    private void build(Object target, Object state, long at) throws IOException {
        if (target instanceof Dtype) {
            if (!(state instanceof Tuple)) {
                throw new IOException(where + ": malformed pickle: dtype state at byte " + at + " is a " + describe(state));
            }
            return; // byte order and flags: irrelevant for object arrays
        }
        if (target instanceof NdArray arr) {
            if (!(state instanceof Tuple t) || (t.items().size() != 5 && t.items().size() != 4)) {
                throw new IOException(where + ": malformed pickle: ndarray state at byte " + at + " is a "
                        + describe(state) + " (expected (version, shape, dtype, is_fortran, data))");
            }
            List<Object> s = t.items();
            int o = s.size() - 4;
            if (!(s.get(o) instanceof Tuple shape) || !(s.get(o + 1) instanceof Dtype dt)) {
                throw new IOException(where + ": malformed pickle: ndarray state at byte " + at
                        + " without a shape tuple and a dtype");
            }
            long[] dims = new long[shape.items().size()];
            for (int i = 0; i < dims.length; i++) {
                if (!(shape.items().get(i) instanceof Long d) || d < 0) {
                    throw new IOException(where + ": malformed pickle: bad array dimension " + shape.items().get(i)
                            + " at byte " + at);
                }
                dims[i] = d;
            }
            arr.shape = dims;
            arr.dtype = dt;
            arr.data = s.get(o + 3);
            return;
        }
        throw new IOException(where + ": refusing BUILD at byte " + at + " on a " + describe(target)
                + " (only NumPy arrays and dtypes are rebuilt)");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Object pop(int op, long at) throws IOException {
        int floor = markCount == 0 ? 0 : marks[markCount - 1];
        if (stack.size() <= floor) throw underflow(op, at);
        return stack.remove(stack.size() - 1);
    }

    private Object peek(int op, long at) throws IOException {
        int floor = markCount == 0 ? 0 : marks[markCount - 1];
        if (stack.size() <= floor) throw underflow(op, at);
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(int op, long at) throws IOException {
        if (markCount == 0) {
            throw new IOException(where + ": malformed pickle: " + opName(op) + " at byte " + at + " without a MARK");
        }
        int m = marks[--markCount];
        List<Object> tail = stack.subList(m, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    private IOException underflow(int op, long at) {
        return new IOException(where + ": malformed pickle: " + opName(op) + " at byte " + at + " on an empty stack");
    }

    private PyList list(Object v, int op, long at) throws IOException {
        if (v instanceof PyList l) return l;
        throw new IOException(where + ": malformed pickle: " + opName(op) + " at byte " + at + " on a " + describe(v));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object v, int op, long at) throws IOException {
        if (v instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw new IOException(where + ": malformed pickle: " + opName(op) + " at byte " + at + " on a " + describe(v));
    }

    private void putAll(Map<Object, Object> m, List<Object> items, int op, long at) throws IOException {
        if (items.size() % 2 != 0) {
            throw new IOException(where + ": malformed pickle: " + opName(op) + " at byte " + at + " with an odd item count");
        }
        for (int i = 0; i < items.size(); i += 2) m.put(key(items.get(i), op, at), items.get(i + 1));
    }

    private Object key(Object k, int op, long at) throws IOException {
        // only flat keys: hashing nested tuples would recurse without bound on a hostile file
        if (k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Boolean) {
            return k;
        }
        throw new IOException(where + ": unsupported dict key " + describe(k) + " at byte " + at);
    }

    private Object memoGet(long index, int op, long at) throws IOException {
        if (!memo.containsKey(index)) {
            throw new IOException(where + ": malformed pickle: " + opName(op) + " at byte " + at
                    + " reads memo entry " + index + ", which was never stored");
        }
        return memo.get(index);
    }

    private int u1(int op, long at) throws IOException {
        if (offset >= buf.length) throw truncated(op, at);
        return buf[offset++] & 0xff;
    }

    private int u2(int op, long at) throws IOException {
        return u1(op, at) | u1(op, at) << 8;
    }

    private int s4(int op, long at) throws IOException {
        return u1(op, at) | u1(op, at) << 8 | u1(op, at) << 16 | u1(op, at) << 24;
    }

    private long u4(int op, long at) throws IOException {
        return s4(op, at) & 0xffffffffL;
    }

    private long u8(int op, long at) throws IOException {
        return u4(op, at) | u4(op, at) << 32;
    }

    private int length(long n, int op, long at) throws IOException {
        if (n < 0 || n > buf.length - offset) {
            throw new IOException(where + ": " + opName(op) + " at byte " + at + " declares " + Long.toUnsignedString(n)
                    + " bytes, more than the pickle holds (truncated or corrupted)");
        }
        return (int) n;
    }

    private byte[] bytes(int n, int op, long at) throws IOException {
        if (n > buf.length - offset) {
            offset = buf.length;
            throw truncated(op, at);
        }
        byte[] b = Arrays.copyOfRange(buf, offset, offset + n);
        offset += n;
        return b;
    }

    private Object longN(int n, int op, long at) throws IOException {
        byte[] le = bytes(n, op, at);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line(int op, long at) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = u1(op, at);
            if (c == '\n') return b.toString();
            if (b.length() > 256) {
                throw new IOException(where + ": malformed pickle: " + opName(op) + " at byte " + at + " has an overlong name");
            }
            b.append((char) c);
        }
    }

    private IOException truncated(int op, long at) {
        return new IOException(where + ": truncated pickle (it ends at byte " + offset + ", inside "
                + opName(op) + " at byte " + at + ")");
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private String utf8(byte[] b) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(where + ": malformed pickle: a string is not valid UTF-8");
        }
    }

    private static String describe(Object v) {
        if (v == null) return "None";
        if (v instanceof Global g) return "global " + g.qualifiedName();
        if (v instanceof PyList) return "list";
        if (v instanceof Tuple) return "tuple";
        if (v instanceof Map) return "dict";
        if (v instanceof String) return "str";
        if (v instanceof byte[]) return "bytes";
        if (v instanceof Long || v instanceof BigInteger) return "int";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Double) return "float";
        if (v instanceof NdArray) return "numpy.ndarray";
        if (v instanceof Dtype) return "numpy.dtype";
        return v.getClass().getSimpleName();
    }

    /** An opcode's pickle name and hex code, such as {@code INST (0x69)}. */
    static String opName(int op) {
        String name = switch (op) {
            case 0x80 -> "PROTO";
            case 0x95 -> "FRAME";
            case '.' -> "STOP";
            case 'N' -> "NONE";
            case 0x88 -> "NEWTRUE";
            case 0x89 -> "NEWFALSE";
            case 'K' -> "BININT1";
            case 'M' -> "BININT2";
            case 'J' -> "BININT";
            case 0x8a -> "LONG1";
            case 0x8b -> "LONG4";
            case 'G' -> "BINFLOAT";
            case 'U' -> "SHORT_BINSTRING";
            case 'T' -> "BINSTRING";
            case 'X' -> "BINUNICODE";
            case 0x8c -> "SHORT_BINUNICODE";
            case 0x8d -> "BINUNICODE8";
            case 'C' -> "SHORT_BINBYTES";
            case 'B' -> "BINBYTES";
            case 0x8e -> "BINBYTES8";
            case '(' -> "MARK";
            case '0' -> "POP";
            case '1' -> "POP_MARK";
            case '2' -> "DUP";
            case ')' -> "EMPTY_TUPLE";
            case 't' -> "TUPLE";
            case 0x85 -> "TUPLE1";
            case 0x86 -> "TUPLE2";
            case 0x87 -> "TUPLE3";
            case ']' -> "EMPTY_LIST";
            case 'l' -> "LIST";
            case 'a' -> "APPEND";
            case 'e' -> "APPENDS";
            case '}' -> "EMPTY_DICT";
            case 'd' -> "DICT";
            case 's' -> "SETITEM";
            case 'u' -> "SETITEMS";
            case 'q' -> "BINPUT";
            case 'r' -> "LONG_BINPUT";
            case 0x94 -> "MEMOIZE";
            case 'h' -> "BINGET";
            case 'j' -> "LONG_BINGET";
            case 'c' -> "GLOBAL";
            case 0x93 -> "STACK_GLOBAL";
            case 'R' -> "REDUCE";
            case 'b' -> "BUILD";
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'I' -> "INT";
            case 'L' -> "LONG";
            case 'F' -> "FLOAT";
            case 'S' -> "STRING";
            case 'V' -> "UNICODE";
            case 'p' -> "PUT";
            case 'g' -> "GET";
            case 'P' -> "PERSID";
            case 'Q' -> "BINPERSID";
            case 0x82 -> "EXT1";
            case 0x83 -> "EXT2";
            case 0x84 -> "EXT4";
            case 0x8f -> "EMPTY_SET";
            case 0x90 -> "ADDITEMS";
            case 0x91 -> "FROZENSET";
            case 0x96 -> "BYTEARRAY8";
            case 0x97 -> "NEXT_BUFFER";
            case 0x98 -> "READONLY_BUFFER";
            default -> "unknown";
        };
        return name + String.format(" (0x%02x)", op);
    }
}
