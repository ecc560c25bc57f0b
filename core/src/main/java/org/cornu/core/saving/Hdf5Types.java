package org.cornu.core.saving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The HDF5 element types Cornu writes and reads without jHDF: IEEE floats and two's complement integers. */
final class Hdf5Types {
    private Hdf5Types() {}

    /** An element type: its ND4J type, its size in bytes, and whether it is a float or a signed integer. */
    enum Kind {
        F16(DataType.HALF, 2, true, true),
        F32(DataType.FLOAT, 4, true, true),
        F64(DataType.DOUBLE, 8, true, true),
        I8(DataType.BYTE, 1, false, true),
        I16(DataType.SHORT, 2, false, true),
        I32(DataType.INT, 4, false, true),
        I64(DataType.LONG, 8, false, true),
        U8(DataType.UBYTE, 1, false, false),
        U16(DataType.UINT16, 2, false, false),
        U32(DataType.UINT32, 4, false, false),
        U64(DataType.UINT64, 8, false, false);

        private final DataType nd4j;
        private final int size;
        private final boolean floating;
        private final boolean signed;

        Kind(DataType nd4j, int size, boolean floating, boolean signed) {
            this.nd4j = nd4j;
            this.size = size;
            this.floating = floating;
            this.signed = signed;
        }

        DataType nd4j() {
            return nd4j;
        }

        int size() {
            return size;
        }

        boolean floating() {
            return floating;
        }

        String numpyName() {
            return (floating ? "float" : signed ? "int" : "uint") + size * 8;
        }
    }

    /** Whether ND4J runs on the CPU: its buffers are then host memory that NIO views read and write directly. */
    static final boolean CPU = Nd4j.getBackend().getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("cpu");

    /** The stored type of an ND4J array: its own where HDF5 has it, else float32 (as Keras stores bfloat16 and bool as numbers). */
    static Kind forArray(DataType t) {
        for (Kind k : Kind.values()) if (k.nd4j == t) return k;
        return Kind.F32;
    }

    /**
     * The stored type of an array on a backend whose buffers are not host memory (CUDA): one that
     * ND4J's typed getters copy out ({@code asFloat}, {@code asDouble}, {@code asInt}, {@code asLong}).
     */
    static Kind forArrayOffHost(DataType t) {
        return switch (forArray(t)) {
            case F16 -> Kind.F32;
            case I8, I16 -> Kind.I32;
            case U8, U16 -> Kind.U32;
            default -> forArray(t);
        };
    }

    /** The size of the datatype message (padded to 8 bytes). */
    static int messageSize(Kind k) {
        return k.floating ? 24 : 16;
    }

    /** Writes a version 1 datatype message for {@code k}, little-endian, padded to {@link #messageSize}. */
    static void putDatatype(ByteBuffer b, Kind k) {
        int bits = k.size * 8;
        if (k.floating) {
            // IEEE 754: exponent location and size, mantissa size, bias
            int expBits = switch (k.size) { case 2 -> 5; case 4 -> 8; default -> 11; };
            int mantBits = bits - 1 - expBits;
            b.put((byte) 0x11); // version 1, class 1 (floating point)
            b.put((byte) 0x20); // little-endian, mantissa normalized with the msb implied
            b.put((byte) (bits - 1)); // sign bit location
            b.put((byte) 0);
            b.putInt(k.size);
            b.putShort((short) 0); // bit offset
            b.putShort((short) bits); // precision
            b.put((byte) mantBits); // exponent location
            b.put((byte) expBits);
            b.put((byte) 0); // mantissa location
            b.put((byte) mantBits);
            b.putInt((1 << (expBits - 1)) - 1); // exponent bias
            b.putInt(0); // padding to 24
        } else {
            b.put((byte) 0x10); // version 1, class 0 (fixed point)
            b.put((byte) (k.signed ? 0x08 : 0x00)); // little-endian, signed or not
            b.put((byte) 0);
            b.put((byte) 0);
            b.putInt(k.size);
            b.putShort((short) 0); // bit offset
            b.putShort((short) bits); // precision
            b.putInt(0); // padding to 16
        }
    }

    /** A stored element type and its byte order. */
    record Stored(Kind kind, ByteOrder order) {}

    /**
     * The type described by the datatype message at {@code at}, or null if it is not one of
     * {@link Kind} (strings, compounds, enums, bit fields, non-IEEE floats...).
     */
    static Stored readDatatype(ByteBuffer b, int at) {
        int classAndVersion = b.get(at) & 0xff;
        int cls = classAndVersion & 0x0f;
        int f0 = b.get(at + 1) & 0xff;
        int size = b.getInt(at + 4);
        ByteOrder order = (f0 & 1) == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        int bitOffset = b.getShort(at + 8) & 0xffff;
        int precision = b.getShort(at + 10) & 0xffff;
        if (bitOffset != 0 || precision != size * 8) return null;
        if (cls == 0) {
            if ((f0 & 0x06) != 0) return null; // padding with ones
            boolean signed = (f0 & 0x08) != 0;
            for (Kind k : Kind.values()) {
                if (!k.floating && k.size == size && k.signed == signed) return new Stored(k, order);
            }
            return null;
        }
        if (cls == 1) {
            if ((f0 & 0x40) != 0 || (f0 & 0x0e) != 0 || ((f0 >> 4) & 3) != 2) return null; // VAX order, padding, normalization
            int sign = b.get(at + 2) & 0xff;
            int expLoc = b.get(at + 12) & 0xff;
            int expSize = b.get(at + 13) & 0xff;
            int mantLoc = b.get(at + 14) & 0xff;
            int mantSize = b.get(at + 15) & 0xff;
            long bias = b.getInt(at + 16) & 0xffffffffL;
            for (Kind k : Kind.values()) {
                if (!k.floating || k.size != size) continue;
                int expBits = switch (k.size) { case 2 -> 5; case 4 -> 8; default -> 11; };
                int mantBits = size * 8 - 1 - expBits;
                if (sign == size * 8 - 1 && expLoc == mantBits && expSize == expBits && mantLoc == 0 && mantSize == mantBits
                        && bias == (1L << (expBits - 1)) - 1) {
                    return new Stored(k, order);
                }
            }
        }
        return null;
    }

    /**
     * The elements of {@code c} (C order, not a view, of type {@code k}) as little-endian bytes,
     * copied through Java arrays: for big-endian hosts and for buffers that are not host memory.
     */
    static ByteBuffer littleEndianCopy(INDArray c, Kind k) {
        int n = (int) c.length();
        ByteBuffer b = ByteBuffer.allocate(n * k.size).order(ByteOrder.LITTLE_ENDIAN);
        switch (k) {
            case F64 -> b.asDoubleBuffer().put(c.data().asDouble());
            case F32 -> b.asFloatBuffer().put(c.data().asFloat());
            case I64, U64 -> b.asLongBuffer().put(c.data().asLong());
            case I32, U32 -> b.asIntBuffer().put(c.data().asInt());
            case I16, U16, F16 -> {
                ByteBuffer nio = c.data().asNio().order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) b.putShort(2 * i, nio.getShort(2 * i));
            }
            default -> {
                ByteBuffer nio = c.data().asNio();
                for (int i = 0; i < n; i++) b.put(i, nio.get(i));
            }
        }
        return b;
    }

    /** An IEEE half-precision value (its 16 bits) as a float, exactly. */
    static float halfToFloat(short h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        float v;
        if (exp == 0) v = mant * 0x1p-24f; // subnormal: mant * 2^-14 / 2^10
        else if (exp == 31) v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        else v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        return sign == 0 ? v : -v;
    }
}
