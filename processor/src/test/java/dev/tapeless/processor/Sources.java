package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import javax.tools.JavaFileObject;

/** Helpers for compiling small sources with the processor. */
final class Sources {
    private Sources() {}

    static final String IMPORTS = """
            package test;

            import dev.tapeless.Differentiable;
            import dev.tapeless.runtime.Tape;
            import dev.tapeless.runtime.Variable;
            import org.nd4j.linalg.api.ndarray.INDArray;

            """;

    /** A class {@code test.T} with the given members, imports for Variable, Tape, INDArray. */
    static JavaFileObject classT(String members) {
        return JavaFileObjects.forSourceString("test.T", IMPORTS + "public class T {\n" + members + "\n}\n");
    }

    static Compilation compile(JavaFileObject... files) {
        return Compiler.javac().withProcessors(new TapelessProcessor()).compile(files);
    }

    /**
     * The class {@code name} as compiled in {@code c} (sources and generated companions), loaded in
     * a fresh class loader whose parent sees the test classpath (the runtime, ND4J).
     */
    static Class<?> load(Compilation c, String name) {
        assertThat(c).succeeded();
        try {
            return new Loaded(c).loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " was not compiled", e);
        }
    }

    /** Calls the static method {@code name} of {@code type} whose parameters are all {@code double}. */
    static Object call(Class<?> type, String name, double... args) {
        Class<?>[] types = new Class<?>[args.length];
        Arrays.fill(types, double.class);
        Object[] boxed = new Object[args.length];
        for (int i = 0; i < args.length; i++) boxed[i] = args[i];
        try {
            Method m = type.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m.invoke(null, boxed);
        } catch (InvocationTargetException e) {
            throw new AssertionError(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The record component {@code component} of {@code record}. */
    static Object component(Object record, String component) {
        try {
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                if (rc.getName().equals(component)) {
                    Method m = rc.getAccessor();
                    m.setAccessible(true);
                    return m.invoke(record);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(record.getClass() + " has no component " + component);
    }

    /** The 1-based line of the first line of {@code file}'s text that contains {@code fragment}. */
    static long lineOf(JavaFileObject file, String fragment) {
        try {
            String[] lines = file.getCharContent(true).toString().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(fragment)) return i + 1;
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no line contains " + fragment);
    }
}
