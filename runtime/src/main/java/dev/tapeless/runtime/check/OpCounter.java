package dev.tapeless.runtime.check;

import java.util.function.Supplier;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;

/** Counts the native ND4J ops a piece of code executes, with ND4J's own profiler. */
public final class OpCounter {
    private OpCounter() {}

    /** A result and the number of ND4J ops it took, with their names. */
    public record Counted<T>(T value, long ops, String breakdown) {}

    public static synchronized <T> Counted<T> count(Supplier<T> work) {
        OpExecutioner ex = Nd4j.getExecutioner();
        OpExecutioner.ProfilingMode before = ex.getProfilingMode();
        ex.setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        OpProfiler.getInstance().reset();
        try {
            T value = work.get();
            OpProfiler p = OpProfiler.getInstance();
            return new Counted<>(value, p.getInvocationsCount(), p.getOpCounter().asString().trim());
        } finally {
            ex.setProfilingMode(before);
            OpProfiler.getInstance().reset();
        }
    }

    public static synchronized long countOps(Runnable work) {
        return count(() -> {
            work.run();
            return null;
        }).ops();
    }
}
