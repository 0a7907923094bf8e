package dev.tapeless.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.Locale;

/**
 * Processor time on large programs: nested calls ({@code f_i(x) = f_{i-1}(x) + f_{i-1}(x)}) and
 * long straight-line methods. Prints the time javac spends inside the processor (and the whole
 * compilation's, companion included); asserts nothing about time.
 *
 * <p>{@code mvn -pl processor test-compile} then {@code java -cp <test classpath>
 * dev.tapeless.processor.CompileTimeBenchmark [depth...]}; with no arguments, the standard set.
 */
public final class CompileTimeBenchmark {
    private CompileTimeBenchmark() {}

    /**
     * The processor's CPU and elapsed time and the whole compilation's (companion included), in
     * seconds, and whether it succeeded.
     */
    record Figure(String program, double processorCpuSeconds, double processorSeconds, double javacSeconds,
            boolean succeeded) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-40s processor %6.2f s CPU (%6.2f s elapsed)   javac in all %6.2f s   %s",
                    program, processorCpuSeconds, processorSeconds, javacSeconds, succeeded ? "compiled" : "FAILED");
        }
    }

    static Figure measure(String program, String members) {
        TimedProcessor p = new TimedProcessor();
        long start = System.nanoTime();
        Compilation c = Compiler.javac().withProcessors(p).compile(Sources.classT(members));
        long total = System.nanoTime() - start;
        String dump = System.getProperty("tapeless.dump"); // a directory for the companion's source and classes
        if (dump != null) {
            for (javax.tools.JavaFileObject f : c.generatedFiles()) {
                try (java.io.InputStream in = f.openInputStream()) {
                    java.nio.file.Path to = java.nio.file.Path.of(dump, java.nio.file.Path.of(f.toUri().getPath()).getFileName().toString());
                    java.nio.file.Files.createDirectories(to.getParent());
                    java.nio.file.Files.write(to, in.readAllBytes());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        if (c.status() != Compilation.Status.SUCCESS) {
            c.errors().stream().limit(3).forEach(d -> System.out.println("  " + d.getMessage(Locale.ROOT)
                    .lines().limit(3).reduce("", (x, y) -> x + " " + y)));
        }
        return new Figure(program, p.cpuNanos() / 1e9, p.nanos() / 1e9, total / 1e9, c.status() == Compilation.Status.SUCCESS);
    }

    public static void main(String[] args) {
        // Warm up the JIT on a small program, so that the figures are about the algorithms.
        measure("warm-up", LargePrograms.doubleMethod("big", 200, 1));
        measure("warm-up", LargePrograms.tensorMethod("big", 200, 1));
        if (args.length > 0) {
            for (String a : args) {
                String[] kv = a.split("=");
                int n = Integer.parseInt(kv[1]);
                String members = switch (kv[0]) {
                    case "double" -> LargePrograms.doubleMethod("big", n, 7);
                    case "tensor" -> LargePrograms.tensorMethod("big", n, 7);
                    case "nested" -> LargePrograms.nestedDoubleCalls(n);
                    case "nestedTensor" -> LargePrograms.nestedTensorCalls(n);
                    default -> throw new IllegalArgumentException(a);
                };
                System.out.println(measure(a, members));
            }
            return;
        }
        for (int depth : new int[] {8, 12, 16, 20}) {
            System.out.println(measure("nested double calls, depth " + depth, LargePrograms.nestedDoubleCalls(depth)));
        }
        System.out.println(measure("nested tensor calls, depth 20", LargePrograms.nestedTensorCalls(20)));
        for (int n : new int[] {500, 1000, 2000}) {
            System.out.println(measure("double method, " + n + " statements", LargePrograms.doubleMethod("big", n, 7)));
        }
        for (int n : new int[] {500, 1000, 2000}) {
            System.out.println(measure("tensor method, " + n + " statements", LargePrograms.tensorMethod("big", n, 7)));
        }
    }
}
