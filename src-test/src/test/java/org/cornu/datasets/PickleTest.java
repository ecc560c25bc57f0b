package org.cornu.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restricted pickle reader behind {@link Npz#getSequences(String)}: pickles written by NumPy,
 * pickles written by hand opcode by opcode (following Python's {@code pickletools} opcode table),
 * and hostile or broken ones, which must be refused with a message naming the file and the
 * opcode or global, without running anything.
 */
class PickleTest {
    /**
     * {@code pickle.dumps(np.array([[1, 2], [3]], dtype=object), protocol=2)} by Python 3.11 and
     * NumPy 2.4.6: protocol 2 from Python 3 writes the type code b'b' as a call of
     * {@code _codecs.encode}, which Keras's restricted unpickler refuses, and so does Cornu.
     */
    static final String PY3_PROTOCOL2 = "gAJjbnVtcHkuX2NvcmUubXVsdGlhcnJheQpfcmVjb25zdHJ1Y3QKcQBjbnVtcHkKbmRhcnJheQpxAUsAhXECY19jb2RlY3MKZW5jb2RlCnEDWAEAAABicQRYBgAAAGxhdGluMXEFhnEGUnEHh3EIUnEJKEsBSwKFcQpjbnVtcHkKZHR5cGUKcQtYAgAAAE84cQyJiIdxDVJxDihLA1gBAAAAfHEPTk5OSv////9K/////0s/dHEQYoldcREoXXESKEsBSwJlXXETSwNhZXRxFGIu";

    @TempDir
    Path tmp;

    /** Writes pickle opcodes (names and codes as in Python's pickletools). */
    static final class P {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        P op(int code) {
            out.write(code);
            return this;
        }

        P proto(int p) {
            return op(0x80).op(p);
        }

        P global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        P shortBinstring(String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            op('U').op(b.length);
            out.writeBytes(b);
            return this;
        }

        P binunicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            out.writeBytes(NpyBytes.le(4).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        P binint1(int v) {
            return op('K').op(v);
        }

        P binint2(int v) {
            return op('M').op(v & 0xff).op(v >>> 8);
        }

        P binint(int v) {
            op('J');
            out.writeBytes(NpyBytes.le(4).putInt(v).array());
            return this;
        }

        P long1(long v) {
            op(0x8a).op(8);
            out.writeBytes(NpyBytes.le(8).putLong(v).array());
            return this;
        }

        P binput(int i) {
            return op('q').op(i);
        }

        P longBinput(int i) {
            op('r');
            out.writeBytes(NpyBytes.le(4).putInt(i).array());
            return this;
        }

        P binget(int i) {
            return op('h').op(i);
        }

        P longBinget(int i) {
            op('j');
            out.writeBytes(NpyBytes.le(4).putInt(i).array());
            return this;
        }

        /** Keras's file up to the data list: _reconstruct(ndarray, (0,), 'b'), then the state tuple's head. */
        P arrayHead(int n) {
            proto(2).global("numpy.core.multiarray", "_reconstruct").binput(1)
                    .global("numpy", "ndarray").binput(2)
                    .binint1(0).op(0x85).shortBinstring("b").op(0x87).op('R').binput(3)
                    .op('(').binint1(1).binint2(n).op(0x85)
                    .global("numpy", "dtype").binput(4)
                    .shortBinstring("O8").binint1(0).binint1(1).op(0x87).op('R').binput(5)
                    .op('(').binint1(3).shortBinstring("|").op('N').op('N').op('N')
                    .binint(-1).binint(-1).binint1(63).op('t').op('b')
                    .op(0x89);
            return this;
        }

        /** Closes the state tuple, BUILDs and STOPs. */
        P arrayTail() {
            return op('t').op('b').op('.');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private Path npz(String name, long n, byte[] pickle) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, NpyBytes.npz(true, "x", NpyBytes.npy("|O", false, new long[] {n}, pickle)));
        return p;
    }

    private IOException refused(Path file) {
        return assertThrows(IOException.class, () -> {
            try (Npz npz = Npz.open(file)) {
                npz.getSequences("x");
            }
        });
    }

    @Test
    void numpysOwnObjectArray() throws IOException {
        // NpzTest.NUMPY_NPZ's "obj" = np.array([[1, 2], [3]], dtype=object), np.savez_compressed (protocol 4)
        Path p = tmp.resolve("numpy.npz");
        Files.write(p, Base64.getDecoder().decode(NpzTest.NUMPY_NPZ));
        try (Npz npz = Npz.open(p)) {
            assertArrayEquals(new int[][] {{1, 2}, {3}}, npz.getSequences("obj"));
            IOException e = assertThrows(IOException.class, () -> npz.getSequences("c_i2"));
            assertTrue(e.getMessage().startsWith(p + ": entry c_i2.npy: holds a numeric array"), e.getMessage());
        }
    }

    @Test
    void handWrittenPython2StylePickle() throws IOException {
        // as Keras's reuters.npz: lists by EMPTY_LIST + MARK + ints + APPENDS; plus APPEND, BININT,
        // a small LONG1, LONG_BINPUT / LONG_BINGET and BINGET of a list already stored (the same
        // list twice, as Python would share it), and an empty list
        P p = new P().arrayHead(5).op(']').binput(6).op('(')
                .op(']').longBinput(7).op('(').binint1(5).binint2(300).binint(70000).binint(-4).op('e')
                .op(']').binput(8).binint1(9).op('a').long1(123456789L).op('a')
                .longBinget(7)
                .op(']').binput(9)
                .binget(8)
                .op('e').arrayTail();
        Path f = npz("hand.npz", 5, p.bytes());
        try (Npz npz = Npz.open(f)) {
            assertArrayEquals(new int[][] {{5, 300, 70000, -4}, {9, 123456789}, {5, 300, 70000, -4}, {}, {9, 123456789}},
                    npz.getSequences("x"));
        }
        // the same stream as a standalone .npy file
        Path npy = tmp.resolve("hand.npy");
        Files.write(npy, NpyBytes.npy("|O", false, new long[] {5}, p.bytes()));
        assertEquals(5, Npy.readSequences(npy).length);
    }

    @Test
    void python3Protocol2IsRefusedLikeKeras() throws IOException {
        Path f = npz("codecs.npz", 2, Base64.getDecoder().decode(PY3_PROTOCOL2));
        IOException e = refused(f);
        assertTrue(e.getMessage().startsWith(f + ": entry x.npy: refusing the pickle global '_codecs.encode'"),
                e.getMessage());
    }

    @Test
    void osSystemIsRefusedWithoutRunningIt() throws IOException {
        Path marker = tmp.resolve("pwned");
        byte[] evil = new P().proto(2).global("os", "system").binunicode("touch " + marker).op(0x85).op('R').op('.').bytes();
        Path f = npz("evil.npz", 1, evil);
        IOException e = refused(f);
        assertEquals(f + ": entry x.npy: refusing the pickle global 'os.system' at byte 2 (only "
                + "numpy.core.multiarray._reconstruct, numpy.ndarray and numpy.dtype are allowed; the file may be "
                + "corrupted or malicious)", e.getMessage());
        assertFalse(Files.exists(marker));

        // STACK_GLOBAL (protocol 4) spelling of builtins.eval: PROTO (2 bytes), two SHORT_BINUNICODE (10 + 6), opcode at 18
        byte[] eval = new P().proto(4).op(0x8c).op(8).op('b').op('u').op('i').op('l').op('t').op('i').op('n').op('s')
                .op(0x8c).op(4).op('e').op('v').op('a').op('l').op(0x93)
                .binunicode("1").op(0x85).op('R').op('.').bytes();
        e = refused(npz("eval.npz", 1, eval));
        assertTrue(e.getMessage().contains("refusing the pickle global 'builtins.eval' at byte 18"), e.getMessage());
    }

    @Test
    void otherOpcodesAndCallsAreRefused() throws IOException {
        // INST (protocol 0 instance creation) is never interpreted
        byte[] inst = new P().proto(2).op('(').op('i').bytes();
        IOException e = refused(npz("inst.npz", 1, inst));
        assertTrue(e.getMessage().contains("unsupported pickle opcode INST (0x69) at byte 3"), e.getMessage());
        // calling an allowed global other than as NumPy does: ndarray(...) directly
        byte[] call = new P().proto(2).global("numpy", "ndarray").binint1(3).op(0x85).op('R').op('.').bytes();
        e = refused(npz("call.npz", 1, call));
        assertTrue(e.getMessage().contains("refusing to call numpy.ndarray"), e.getMessage());
        // BUILD on a plain list (would set attributes in Python)
        byte[] build = new P().proto(2).op(']').op('}').op('b').op('.').bytes();
        e = refused(npz("build.npz", 1, build));
        assertTrue(e.getMessage().contains("refusing BUILD at byte 4 on a list"), e.getMessage());
    }

    @Test
    void brokenPicklesNameTheFile() throws IOException {
        byte[] good = new P().arrayHead(2).op(']').op('(').op(']').op('(').binint1(1).op('e')
                .op(']').op('(').binint1(2).op('e').op('e').arrayTail().bytes();
        try (Npz npz = Npz.open(npz("good.npz", 2, good))) {
            assertArrayEquals(new int[][] {{1}, {2}}, npz.getSequences("x"));
        }
        // truncated: the stream ends inside the data list
        Path f = npz("cut.npz", 2, Arrays.copyOf(good, good.length - 6));
        IOException e = refused(f);
        assertTrue(e.getMessage().startsWith(f + ": entry x.npy: truncated pickle"), e.getMessage());
        // the header's shape disagrees with the pickled array
        f = npz("shape.npz", 3, good);
        e = refused(f);
        assertTrue(e.getMessage().contains("does not match the pickled array of 2 sequences"), e.getMessage());
        // a word index beyond 32 bits
        byte[] big = new P().arrayHead(1).op(']').op('(').op(']').op('(').long1(1L << 40).op('e')
                .op('e').arrayTail().bytes();
        e = refused(npz("big.npz", 1, big));
        assertTrue(e.getMessage().contains("the integer 1099511627776, out of the 32-bit range"), e.getMessage());
        // an element that is not a list
        byte[] str = new P().arrayHead(1).op(']').op('(').shortBinstring("hi").op('e').arrayTail().bytes();
        e = refused(npz("str.npz", 1, str));
        assertTrue(e.getMessage().contains("element 0 of the pickled array is a str"), e.getMessage());
        // a memo entry never stored
        byte[] memo = new P().proto(2).binget(7).op('.').bytes();
        e = refused(npz("memo.npz", 1, memo));
        assertTrue(e.getMessage().contains("BINGET (0x68) at byte 2 reads memo entry 7"), e.getMessage());
        // a string longer than the pickle
        byte[] longString = new P().proto(2).op('X').op(0xff).op(0xff).op(0xff).op(0x7f).bytes();
        e = refused(npz("long.npz", 1, longString));
        assertTrue(e.getMessage().contains("BINUNICODE (0x58) at byte 2 declares 2147483647 bytes"), e.getMessage());
    }
}
