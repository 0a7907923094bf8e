package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Calls of {@code @Differentiable} methods compiled earlier (a library's jar), through the companion
 * the library's build wrote; custom derivatives and their checks; the policy that calls large
 * callees of one compilation instead of inlining them. Errors by file, line and message.
 */
class LibraryCallsTest {

    private static final String LIBRARY = """
            package lib;

            import dev.tapeless.Derivative;
            import dev.tapeless.Differentiable;

            public final class Lib {
                @Differentiable
                public static double cube(double x, double y) { return x * x * x * y; }

                @Differentiable(wrt = "x")
                public static double scale(double x, double y) { return Math.sin(x) * y; }

                @Differentiable
                public static double erfLike(double x) { return Math.tanh(x) + 0 * Math.floor(1.0); }

                @Derivative(of = "erfLike")
                public static double erfLikeDerivative(double x, double upstream) {
                    double t = Math.tanh(x);
                    return upstream * (1 - t * t);
                }
            }
            """;

    @TempDir
    Path dir;

    /** Compiles the library into {@code dir}, with the processor or without; returns the class path of a consumer. */
    private List<File> library(boolean withTapeless) throws IOException {
        Path src = dir.resolve("Lib.java");
        Files.writeString(src, LIBRARY);
        Path out = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-g", "-d", out.toString(), "-s", out.toString(),
                "-cp", System.getProperty("java.class.path")));
        if (withTapeless) {
            args.addAll(List.of("-processor", TapelessProcessor.class.getName(), "-processorpath",
                    System.getProperty("java.class.path")));
        } else {
            args.add("-proc:none");
        }
        args.add(src.toString());
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the library compiles");
        List<File> cp = new ArrayList<>();
        cp.add(out.toFile());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) cp.add(new File(e));
        return cp;
    }

    private static String source(Compilation c, String name) {
        try {
            return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JavaFileObject consumer(String members) {
        return JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import lib.Lib;

                public class Use {
                """ + members + "\n}\n");
    }

    private static Compilation compile(List<File> classpath, JavaFileObject file) {
        return Compiler.javac().withProcessors(new TapelessProcessor()).withClasspath(classpath).compile(file);
    }

    @Test
    void aCallIntoALibraryGoesThroughItsCompanion() throws IOException {
        checkLibraryCall();
    }

    /** The rule of CALL broken on purpose: the same check must fail. */
    @Test
    void breakingTheRuleOfCallsIsCaught() throws Exception {
        try (AutoCloseable broken = dev.tapeless.processor.ad.Rules.breakForTesting(dev.tapeless.processor.ir.Op.CALL, 0, 1.25)) {
            AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> checkLibraryCall());
            assertTrue(e.getMessage().contains("expected"), e.getMessage());
        }
    }

    private void checkLibraryCall() throws IOException {
        JavaFileObject use = consumer("""
                    @Differentiable
                    static double f(double a, double b) {
                        return Lib.cube(a, b) + Lib.scale(a, 2.0) + Lib.erfLike(a * b);
                    }
                """);
        Compilation c = compile(library(true), use);
        assertThat(c).succeeded();
        String companion = source(c, "use.UseDerivatives");
        // One forward pass of each callee (its Vjp, whose value is the call's), one pullback for both of cube's adjoints.
        assertTrue(companion.contains("LibDerivatives.CubeVjp cubeVjp = LibDerivatives.cubeVjp(a, b);"), companion);
        assertTrue(companion.contains("LibDerivatives.CubeGradient cubeGradient = cubeVjp.pullback(1.0);"), companion);
        assertTrue(companion.contains("cubeGradient.x()") && companion.contains("cubeGradient.y()"), companion);
        assertTrue(companion.contains("LibDerivatives.erfLikeVjp("), companion);
        assertEquals(1, companion.split("cubeVjp\\.pullback\\(1\\.0\\)", -1).length - 1, companion);
        // The forward pass alone calls the forward passes.
        assertTrue(companion.contains("double cube = LibDerivatives.cube(a, b);"), companion);

        double a = 0.7, b = -1.3;
        Object g = withLibrary(c).call("use.UseDerivatives", "fGradient", a, b);
        double t = Math.tanh(a * b);
        double da = 3 * a * a * b + Math.cos(a) * 2.0 + (1 - t * t) * b;
        double db = a * a * a + (1 - t * t) * a;
        assertEquals(a * a * a * b + Math.sin(a) * 2.0 + t, (double) Sources.component(g, "value"), 1e-15);
        assertEquals(da, (double) Sources.component(g, "a"), 1e-14);
        assertEquals(db, (double) Sources.component(g, "b"), 1e-14);
    }

    /** The classes of {@code c}, loaded with the library's before them. */
    private Loaded withLibrary(Compilation c) throws IOException {
        return new Loaded(c, new java.net.URLClassLoader(new java.net.URL[] {dir.resolve("classes").toUri().toURL()},
                LibraryCallsTest.class.getClassLoader()));
    }

    /** In a loop, each iteration runs the callee's Vjp and pullback once for both of its adjoints. */
    @Test
    void aCallInALoopPullsBackOncePerIterationForAllItsParameters() throws IOException {
        JavaFileObject use = consumer("""
                    @Differentiable
                    static double f(double a, double b, int n) {
                        double acc = 0;
                        for (int i = 0; i < n; i++) {
                            acc = acc + Lib.cube(a + i, b);
                        }
                        return acc;
                    }
                """);
        Compilation c = compile(library(true), use);
        assertThat(c).succeeded();
        String companion = source(c, "use.UseDerivatives");
        String gradient = companion.substring(companion.indexOf("public static FGradient fGradient"));
        gradient = gradient.substring(0, gradient.indexOf("\n    }\n"));
        assertEquals(1, gradient.split("cubeVjp\\(", -1).length - 1, gradient);
        assertTrue(gradient.contains("cubeGradient.x()") && gradient.contains("cubeGradient.y()"), gradient);
        double a = 0.4, b = 1.3;
        Object g = withLibrary(c).call("use.UseDerivatives", "fGradient", a, b, 3);
        double da = 0, db = 0;
        for (int i = 0; i < 3; i++) {
            da += 3 * (a + i) * (a + i) * b;
            db += (a + i) * (a + i) * (a + i);
        }
        assertEquals(da, (double) Sources.component(g, "a"), 1e-13);
        assertEquals(db, (double) Sources.component(g, "b"), 1e-13);
    }

    @Test
    void aLibraryBuiltWithoutTapelessIsAnErrorAtTheCall() throws IOException {
        JavaFileObject use = consumer("""
                    @Differentiable
                    static double f(double a) {
                        double s = a * 2;
                        return Lib.cube(s, a);
                    }
                """);
        Compilation c = compile(library(false), use);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("call to Lib.cube, which is @Differentiable but compiled without Tapeless: "
                + "its companion lib.LibDerivatives is not on the class path; build its library with the Tapeless processor")
                .inFile(use).onLine(Sources.lineOf(use, "Lib.cube(s, a)"));
        assertThat(c).hadErrorCount(1);
    }

    /** A companion written by something else (or another version): what it lacks is named at the call. */
    @Test
    void aCompanionThatDoesNotMatchIsAnErrorAtTheCall() throws IOException {
        Path src = dir.resolve("LibDerivatives.java");
        Files.writeString(src, """
                package lib;

                public final class LibDerivatives {
                    public static double cube(double x, double y) { return Lib.cube(x, y); }
                    public static Object cubeVjp(double x) { return null; }
                }
                """);
        List<File> cp = library(false);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-proc:none", "-d",
                dir.resolve("classes").toString(), "-cp", dir.resolve("classes") + File.pathSeparator
                        + System.getProperty("java.class.path"), src.toString()));
        JavaFileObject use = consumer("""
                    @Differentiable
                    static double f(double a) {
                        return Lib.cube(a, 2.0);
                    }
                """);
        Compilation c = compile(cp, use);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("call to Lib.cube: its companion lib.LibDerivatives does not match it (no public static "
                + "cubeVjp(double, double)); rebuild the library with this version of the Tapeless processor")
                .inFile(use).onLine(Sources.lineOf(use, "Lib.cube(a, 2.0)"));
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void anArgumentOutsideTheCalleesWrtIsAnErrorAtTheArgument() throws IOException {
        JavaFileObject use = consumer("""
                    @Differentiable
                    static double f(double a) {
                        double fixed = 3.0;
                        return Lib.scale(fixed,
                                         a * a);
                    }

                    @Differentiable
                    static double fine(double a) {
                        return Lib.scale(a, 4.0);
                    }
                """);
        Compilation c = compile(library(true), use);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("the argument for parameter 'y' of Lib.scale depends on what this method is "
                + "differentiated with respect to, but Lib.scale is differentiated only with respect to 'x'")
                .inFile(use).onLine(Sources.lineOf(use, "a * a);"));
        assertThat(c).hadErrorCount(1);
    }

    /** Custom derivatives that do not fit their function: source, line fragment, message fragment. */
    static Stream<Arguments> badDerivatives() {
        return Stream.of(
                Arguments.of("""
                        @Differentiable static double f(double x) { return Math.floor(x) * 0 + x; }
                        @Derivative(of = "f")
                        static double fPrime(double x) { return 1; }
                        """, "static double fPrime", "derivative 'fPrime' must take (double, double): the parameters of 'f'"),
                Arguments.of("""
                        @Differentiable static Variable f(Variable x) { return Variable.custom(x.value(), x); }
                        @Derivative(of = "f")
                        static double fPrime(INDArray x, INDArray upstream) { return 1; }
                        """, "static double fPrime", "derivative 'fPrime' returns double, but the adjoint of 'x' is INDArray"),
                Arguments.of("""
                        @Differentiable static double f(double x,
                                                        double y) { return x * y; }
                        @Derivative(of = "f", wrt = "x")
                        static double fX(double x, double y, double upstream) { return upstream * y; }
                        """, "@Differentiable static double f", "'f' has a custom derivative, but none with respect to 'y'"),
                Arguments.of("""
                        @Differentiable static double f(double x, double y) { return x * y; }
                        @Derivative(of = "f")
                        static double fX(double x, double y, double upstream) { return upstream * y; }
                        """, "static double fX", "@Derivative of 'f' must name its parameter, because 'f' is differentiated with respect to 'x', 'y'"),
                Arguments.of("""
                        @Differentiable static double f(double x) { return x; }
                        @Derivative(of = "f", wrt = "z")
                        static double fX(double x, double upstream) { return upstream; }
                        """, "static double fX", "@Derivative(wrt = \"z\"): 'f' is not differentiated with respect to a parameter 'z'"),
                Arguments.of("""
                        @Differentiable static double f(double x) { return x; }
                        @Derivative(of = "f")
                        static double one(double x, double upstream) { return upstream; }
                        @Derivative(of = "f")
                        static double two(double x, double upstream) { return upstream; }
                        """, "static double two", "a second @Derivative of 'f' with respect to 'x' (the first is 'one')"),
                Arguments.of("""
                        @Derivative(of = "g")
                        static double orphan(double x, double upstream) { return upstream; }
                        """, "static double orphan", "@Derivative(of = \"g\"): T has no @Differentiable method named 'g'"),
                Arguments.of("""
                        @Differentiable static Variable f(Variable x) { return Variable.constant(x.value()); }
                        @Derivative(of = "f")
                        static INDArray fPrime(INDArray x, INDArray upstream) { return upstream; }
                        """, "@Differentiable static Variable f", "'f' has a custom derivative and works on Variables, so it must return Variable.custom(value, x)"),
                Arguments.of("""
                        @Differentiable static double f(double x) { return x; }
                        @Derivative(of = "f")
                        double fPrime(double x, double upstream) { return upstream; }
                        """, "double fPrime", "derivative 'fPrime' must be a static method that is not private"));
    }

    @ParameterizedTest
    @MethodSource("badDerivatives")
    void aCustomDerivativeThatDoesNotFitIsAnError(String members, String line, String message) {
        JavaFileObject file = JavaFileObjects.forSourceString("test.T", Sources.IMPORTS
                + "import dev.tapeless.Derivative;\npublic class T {\n" + members + "\n}\n");
        Compilation c = Sources.compile(file);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining(message).inFile(file).onLine(Sources.lineOf(file, line));
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void aCallOfAFunctionWhoseCustomDerivativeIsWrongSaysSoAtTheCall() {
        JavaFileObject file = JavaFileObjects.forSourceString("test.T", Sources.IMPORTS
                + "import dev.tapeless.Derivative;\npublic class T {\n" + """
                @Differentiable static double f(double x) { return Math.floor(x) * 0 + x; }
                @Derivative(of = "f")
                static double fPrime(double x) { return 1; }
                @Differentiable static double g(double y) {
                    return f(y * 2) + y;
                }
                """ + "}\n");
        Compilation c = Sources.compile(file);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("derivative 'fPrime' must take (double, double)").inFile(file)
                .onLine(Sources.lineOf(file, "static double fPrime"));
        assertThat(c).hadErrorContaining("cannot call 'f': its custom derivative has an error, reported there").inFile(file)
                .onLine(Sources.lineOf(file, "return f(y * 2)"));
        assertThat(c).hadErrorCount(2);
    }

    /** m_k calls m_(k-1) twice: inlined, its IR would double with each level. */
    private static JavaFileObject deep(int depth) {
        StringBuilder s = new StringBuilder("@Differentiable public static double m0(double x) { return Math.sin(x) * x; }\n");
        for (int k = 1; k <= depth; k++) {
            s.append("@Differentiable public static double m").append(k).append("(double x) { return m").append(k - 1)
                    .append("(x) * 0.5 + m").append(k - 1).append("(x + 1.0) * 0.25; }\n");
        }
        return Sources.classT(s.toString());
    }

    /** m_k's value and derivative, by the same recursion. */
    private static double[] reference(int k, double x) {
        if (k == 0) return new double[] {Math.sin(x) * x, Math.cos(x) * x + Math.sin(x)};
        double[] a = reference(k - 1, x);
        double[] b = reference(k - 1, x + 1.0);
        return new double[] {a[0] * 0.5 + b[0] * 0.25, a[1] * 0.5 + b[1] * 0.25};
    }

    @Test
    void largeCalleesOfOneCompilationAreCalledNotInlined() {
        int depth = 16;
        Compilation c = Sources.compile(deep(depth));
        assertThat(c).succeeded();
        String companion = source(c, "test.TDerivatives");
        assertTrue(companion.length() < 1_000_000, "companion of " + companion.length() + " characters");
        assertTrue(java.util.regex.Pattern.compile("TDerivatives\\.m\\d+Vjp\\(x\\);").matcher(companion).find(),
                "large callees are called through their companion");
        for (int k = 0; k <= 3; k++) assertFalse(companion.contains("TDerivatives.m" + k + "Vjp("), "m" + k + " is small: inlined");
        Class<?> t = Sources.load(c, "test.TDerivatives");
        for (double x : new double[] {-2.5, 0.3, 11.0}) {
            double[] expected = reference(depth, x);
            Object g = Sources.call(t, "m" + depth + "Gradient", x);
            assertEquals(expected[0], (double) Sources.component(g, "value"), 1e-12 * Math.abs(expected[0]) + 1e-300);
            assertEquals(expected[1], (double) Sources.component(g, "x"), 1e-11 * Math.max(1, Math.abs(expected[1])));
        }
    }
}
