package dev.tapeless.processor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The Tapeless processor, measuring the time javac spends inside it (all rounds): the CPU time of
 * the compiling thread, which other processes on the machine do not inflate, and the elapsed time.
 */
final class TimedProcessor implements Processor {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final TapelessProcessor inner = new TapelessProcessor();
    private long cpuNanos;
    private long nanos;

    /** CPU time spent inside the processor. */
    long cpuNanos() {
        return cpuNanos;
    }

    /** Elapsed time spent inside the processor. */
    long nanos() {
        return nanos;
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            return inner.process(annotations, round);
        } finally {
            nanos += System.nanoTime() - start;
            cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
        }
    }

    @Override
    public void init(ProcessingEnvironment env) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        inner.init(env);
        nanos += System.nanoTime() - start;
        cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return inner.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return inner.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return inner.getSupportedSourceVersion();
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
            ExecutableElement member, String userText) {
        return inner.getCompletions(element, annotation, member, userText);
    }
}
