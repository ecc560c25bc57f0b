package org.cornu.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Float and double arrays as raw little-endian bytes: what Spark ships per step (Java serialization of a float[] goes element by element). */
final class Codec {
    private Codec() {}

    static byte[] bytes(float[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        return b.array();
    }

    static float[] floats(byte[] b) {
        float[] a = new float[b.length / Float.BYTES];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
        return a;
    }

    static byte[] bytes(double[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(a);
        return b.array();
    }

    static double[] doubles(byte[] b) {
        double[] a = new double[b.length / Double.BYTES];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(a);
        return a;
    }
}
