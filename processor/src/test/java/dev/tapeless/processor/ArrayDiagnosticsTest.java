package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.tapeless.processor.diagnostics.Message;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compile errors of the array language of double methods: each use of an array outside it is one
 * error, at its line, with the catalogue's message ({@link Message}), and the class gets no
 * companion.
 */
class ArrayDiagnosticsTest {

    /** A class with one {@code @Differentiable double} method, over arrays, whose body is {@code body}. */
    private static JavaFileObject source(String body) {
        return JavaFileObjects.forSourceString("p.Grid", """
                package p;

                import dev.tapeless.Differentiable;

                class Grid {
                    @Differentiable
                    static double f(double[] x, double y, int[] idx, double[][] xs, long k, int n) {
                %s
                    }
                }
                """.formatted(body.indent(8).stripTrailing()));
    }

    private static Compilation compile(JavaFileObject source) {
        return Compiler.javac().withProcessors(new TapelessProcessor()).compile(source);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // body, the line the error is on, the message
                Arguments.of("""
                        for (int i = 0; i < x.length; i++) {
                            x[i] = y * i;
                        }
                        return x[0];""", "x[i] = y * i", Message.ARRAY_PARAMETER_WRITE.format("x", "double")),
                Arguments.of("""
                        double s = y;
                        x[0] += s;
                        return s;""", "x[0] += s", Message.ARRAY_PARAMETER_WRITE.format("x", "double")),
                Arguments.of("""
                        if (y > 0) {
                            x[n]++;
                        }
                        return y;""", "x[n]++", Message.ARRAY_PARAMETER_WRITE.format("x", "double")),
                // Data arrays are the caller's too; the suggestion names the element type.
                Arguments.of("idx[0] = n;\nreturn y;", "idx[0] = n", Message.ARRAY_PARAMETER_WRITE.format("idx", "int")),
                Arguments.of("xs[1][0] = y;\nreturn y;", "xs[1][0] = y", Message.ARRAY_PARAMETER_WRITE.format("xs[...]", "double")),
                Arguments.of("""
                        double[] a = {y, 2 * y};
                        double[] b = a;
                        return b[0];""", "double[] b = a", Message.ARRAY_INITIALIZER.format("b", "a")),
                Arguments.of("double[] b = x;\nreturn b[0];", "double[] b = x", Message.ARRAY_INITIALIZER.format("b", "x")),
                Arguments.of("""
                        double[] a = new double[2];
                        a[0] = y;
                        a = new double[3];
                        return a[0];""", "a = new double[3]", Message.ARRAY_REASSIGNED.format("a")),
                Arguments.of("""
                        double[] a = new double[2];
                        double[] b = {y, y};
                        if (y > 1) {
                            a = b;
                        }
                        return a[0];""", "a = b;", Message.ARRAY_REASSIGNED.format("a")),
                Arguments.of("""
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            double[] t = new double[2];
                            t[0] = y * i;
                            s += t[0];
                        }
                        return s;""", "double[] t = new double[2]", Message.ARRAY_IN_REGION.format("t")),
                Arguments.of("""
                        double s = 0;
                        int i = 0;
                        while (i < n) {
                            int[] counts = {i, 0};
                            s += y * counts[0];
                            i++;
                        }
                        return s;""", "int[] counts = {i, 0}", Message.ARRAY_IN_REGION.format("counts")),
                Arguments.of("""
                        if (y > 0) {
                            boolean[] seen = new boolean[n];
                            return seen.length * y;
                        }
                        return y;""", "boolean[] seen", Message.ARRAY_IN_REGION.format("seen")),
                Arguments.of("""
                        if (y > 1) return y;
                        double[] v = {y, 2 * y};
                        return v[1];""", "double[] v = {y, 2 * y}", Message.ARRAY_IN_REGION.format("v")),
                Arguments.of("""
                        double[][] g = new double[2][2];
                        g[0][1] = y;
                        return g[0][1];""", "double[][] g", Message.LOCAL_TYPE.format("g", "double[][]")),
                Arguments.of("return x[k] * y;", "return x[k] * y", Message.ARRAY_INDEX.format("a long")),
                Arguments.of("""
                        double[] a = new double[3];
                        a[k] = y;
                        return a[0];""", "a[k] = y", Message.ARRAY_INDEX.format("a long")),
                Arguments.of("""
                        double s = 0;
                        for (long j = 0; j < n; j++) {
                            s += xs[0][j];
                        }
                        return s * y;""", "s += xs[0][j]", Message.ARRAY_INDEX.format("a long")),
                Arguments.of("return x[0] % y;", "x[0] % y", Message.REMAINDER_KIND.format("a double")),
                Arguments.of("""
                        double[] a = {y, 1};
                        a[0] %= 2;
                        return a[0];""", "a[0] %= 2", Message.REMAINDER_KIND.format("a double")));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("rejected")
    void arrayUseOutsideTheLanguageIsOneErrorAtItsLine(String body, String line, String message) {
        JavaFileObject s = source(body);
        Compilation c = compile(s);
        assertThat(c).hadErrorContaining(message).inFile(s).onLineContaining(line);
        assertThat(c).hadErrorCount(1); // no follow-on errors: javac's own checks never run, no half-written companion
    }

    @Test
    void errorPointsAtTheWrite() {
        // Line 9, the second statement of the body; the element written, x[0], at the column of its
        // '[' (javac's position of an array access).
        JavaFileObject s = source("double a = y;\nx[0] = a;\nreturn a;");
        assertThat(compile(s)).hadErrorContaining("writing into 'x'").inFile(s).onLine(9).atColumn(10);
    }

    @Test
    void aCalleeThatWritesIntoItsParameterIsReportedThereAndAtTheCall() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.Callee", """
                package p;
                import dev.tapeless.Differentiable;
                class Callee {
                    @Differentiable
                    static double fill(double[] v, double y) {
                        v[0] = y;
                        return y;
                    }
                    @Differentiable
                    static double caller(double y) {
                        double[] mine = new double[1];
                        return fill(mine, y);
                    }
                }
                """);
        Compilation c = compile(s);
        assertThat(c).hadErrorContaining(Message.ARRAY_PARAMETER_WRITE.format("v", "double")).inFile(s).onLineContaining("v[0] = y");
        assertThat(c).hadErrorContaining("cannot inline 'fill': its body has an error, reported there").inFile(s)
                .onLineContaining("return fill(mine, y)");
        assertThat(c).hadErrorCount(2);
    }

    @Test
    void everyArrayConstructOfTheLanguageCompilesWithoutWarnings() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.Fine", """
                package p;
                import dev.tapeless.Differentiable;
                class Fine {
                    @Differentiable(wrt = "x")
                    static double f(double[] x, double y, int[] idx, long[] w, boolean[] on, double[][] xs) {
                        double[] a = new double[x.length];
                        int[] count = {0, 0};
                        boolean[] seen = new boolean[x.length];
                        long[] total = new long[1];
                        for (int i = 0; i < x.length; i++) {
                            a[i] = x[i] * xs[0][i];
                            a[i] += y;
                            a[i]++;
                            if (on[i] && !seen[idx[i]]) {
                                seen[idx[i]] = true;
                                count[0]++;
                            }
                            total[0] += w[i];
                        }
                        double s = 0;
                        for (double v : a) {
                            if (v < 0) continue;
                            s += v * count[0] + total[0];
                        }
                        return s;
                    }
                }
                """);
        Compilation c = compile(s);
        assertThat(c).succeededWithoutWarnings();
        assertTrue(c.generatedSourceFile("p.FineDerivatives").isPresent());
    }
}
