package org.cornu.testing;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What ND4J registers with its deallocator service (one entry per native buffer or op context,
 * each kept until the collector finds its owner dead) while some code runs on this thread.
 */
public final class Nd4jRegistrations {
    private static Spy spy;

    private Nd4jRegistrations() {}

    /** The class names of the objects registered by this thread while {@code body} ran, in order. */
    public static synchronized List<String> during(Runnable body) {
        try {
            Field f = Nd4j.class.getDeclaredField("deallocatorService");
            f.setAccessible(true);
            DeallocatorService orig = Nd4j.getDeallocatorService();
            // one spy for all calls: every DeallocatorService starts two threads of its own
            if (spy == null) spy = new Spy();
            spy.inner = orig;
            spy.watched = Thread.currentThread();
            spy.seen = new ArrayList<>();
            f.set(null, spy);
            try {
                body.run();
            } finally {
                f.set(null, orig);
                spy.watched = null;
            }
            return spy.seen;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static final class Spy extends DeallocatorService {
        volatile DeallocatorService inner;
        volatile Thread watched;
        volatile List<String> seen;

        @Override
        public void pickObject(Deallocatable d) {
            if (Thread.currentThread() == watched) seen.add(d.getClass().getSimpleName());
            inner.pickObject(d);
        }
    }
}
