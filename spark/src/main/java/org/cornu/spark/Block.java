package org.cornu.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * The samples of one partition, packed: global indices {@code start .. start + count - 1} (from
 * {@code zipWithIndex}, so a partition's indices are consecutive), one flat float array per
 * model input and per output. Cached on the executors for the whole fit.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;
    final long start;
    final int count;
    /** Per input: {@code count * xLen[i]} floats, sample after sample. */
    final float[][] x;
    final float[][] y;
    final int[] xLen;
    final int[] yLen;

    private Block(long start, int count, float[][] x, float[][] y, int[] xLen, int[] yLen) {
        this.start = start;
        this.count = count;
        this.x = x;
        this.y = y;
        this.xLen = xLen;
        this.yLen = yLen;
    }

    /** Packs a partition's (sample, global index) pairs; an empty partition gives a block of count 0. */
    static Block pack(Iterator<Tuple2<Sample, Long>> it) {
        List<Sample> samples = new ArrayList<>();
        long start = -1;
        while (it.hasNext()) {
            Tuple2<Sample, Long> t = it.next();
            if (start < 0) start = t._2();
            else if (t._2() != start + samples.size()) throw new IllegalStateException("indices of a partition are not consecutive");
            samples.add(t._1());
        }
        if (samples.isEmpty()) return new Block(0, 0, new float[0][], new float[0][], new int[0], new int[0]);
        Sample first = samples.get(0);
        int nx = first.x().length, ny = first.y() == null ? 0 : first.y().length;
        int[] xLen = new int[nx], yLen = new int[ny];
        for (int i = 0; i < nx; i++) xLen[i] = first.x()[i].length;
        for (int i = 0; i < ny; i++) yLen[i] = first.y()[i].length;
        int n = samples.size();
        float[][] x = new float[nx][], y = new float[ny][];
        for (int i = 0; i < nx; i++) x[i] = new float[n * xLen[i]];
        for (int i = 0; i < ny; i++) y[i] = new float[n * yLen[i]];
        for (int s = 0; s < n; s++) {
            Sample smp = samples.get(s);
            copy(smp.x(), x, xLen, s, start + s, "input");
            copy(smp.y() == null ? new float[0][] : smp.y(), y, yLen, s, start + s, "target");
        }
        return new Block(start, n, x, y, xLen, yLen);
    }

    /** Packs a partition's samples whose global indices are not needed (predict). */
    static Block packUnindexed(Iterator<Sample> it) {
        return pack(new Iterator<>() {
            private long i;

            public boolean hasNext() {
                return it.hasNext();
            }

            public Tuple2<Sample, Long> next() {
                return new Tuple2<>(it.next(), i++);
            }
        });
    }

    private static void copy(float[][] from, float[][] to, int[] len, int s, long index, String what) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("Sample " + index + " has " + from.length + " " + what + " arrays but sample "
                    + (index - s) + " has " + to.length);
        }
        for (int i = 0; i < to.length; i++) {
            if (from[i].length != len[i]) {
                throw new IllegalArgumentException("Sample " + index + ": " + what + " " + i + " has " + from[i].length
                        + " values but sample " + (index - s) + "'s has " + len[i]);
            }
            System.arraycopy(from[i], 0, to[i], s * len[i], len[i]);
        }
    }

    /** The rows {@code rows} (offsets in this block) of input or target array {@code i}, gathered in that order. */
    static float[] gather(float[] src, int len, int[] rows, int from, int to) {
        float[] r = new float[(to - from) * len];
        for (int k = from; k < to; k++) System.arraycopy(src, rows[k] * len, r, (k - from) * len, len);
        return r;
    }
}
