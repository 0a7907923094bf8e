package dev.tapeless.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
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
