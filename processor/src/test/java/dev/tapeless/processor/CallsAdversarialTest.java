package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adversarial cases of calls between {@code @Differentiable} methods that are not inlined: calls
 * into a library compiled earlier (through its companion) in loops, branches, with repeated
 * arguments, data parameters, tensors, nested classes and other packages; custom derivatives;
 * the size policy that calls large callees of one compilation. Generated gradients are compared
 * with central finite differences of the source method (double methods) or with the tape and
 * finite differences (tensor methods, {@link GradientCheck}).
 */
class CallsAdversarialTest {

    /** A library: scalar, tensor, data-parameter and custom-derivative functions, a nested class. */
    private static final String LIB = """
            package lib;

            import dev.tapeless.Derivative;
            import dev.tapeless.Differentiable;
            import dev.tapeless.runtime.Variable;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.ops.transforms.Transforms;

            public final class Lib {
                @Differentiable
                public static double poly(double x, double y) { return x * x * y + Math.sin(y); }

                @Differentiable
                public static double two(double a, double b) { return a * Math.exp(0.3 * b) - a * b; }

                @Differentiable
                public static double sq(double x) { return x * x + Math.cos(x); }

                /** Data parameters mixed with differentiable ones. */
                @Differentiable(wrt = {"x", "y"})
                public static double mixed(double x, int n, boolean flip, double[] w, double y) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += w[i] * Math.sin(x * (i + 1)) * y;
                    }
                    if (flip) s = -s + x * y;
                    return s;
                }

                @Differentiable
                public static Variable act(Variable x) { return x.tanh().mul(x); }

                /** Its pullback reads its value. */
                @Differentiable
                public static Variable ex(Variable x) { return x.exp().mul(0.5); }

                @Differentiable
                public static Variable sig(Variable x) { return x.sigmoid(); }

                /** A rank-0 sum. */
                @Differentiable
                public static Variable dot(Variable x, Variable y) { return x.mul(y).sum(); }

                /** Data INDArray and int parameters. */
                @Differentiable
                public static Variable affine(Variable w, INDArray x, int power) {
                    return Variable.constant(x).mmul(w).pow(power);
                }

                @Differentiable
                public static double smooth(double x) { return Math.log(1 + Math.exp(x)) + 0 * Math.floor(x); }

                @Derivative(of = "smooth")
                public static double smoothDerivative(double x, double upstream) { return upstream / (1 + Math.exp(-x)); }

                @Differentiable
                public static Variable softplus(Variable x) {
                    INDArray v = x.value();
                    return Variable.custom(Transforms.log(Transforms.exp(v, true).addi(1.0), false), x);
                }

                @Derivative(of = "softplus")
                public static INDArray softplusDerivative(INDArray x, INDArray upstream) {
                    return Transforms.sigmoid(x, true).muli(upstream);
                }

                public static final class Inner {
                    @Differentiable
                    public static double g(double x, double y) { return Math.exp(x) * y * y; }

                    @Differentiable
                    public static Variable h(Variable x) { return x.exp().mul(x); }
                }
            }
            """;

    /** A second library package. */
    private static final String OTHER = """
            package lib.other;

            import dev.tapeless.Differentiable;

            public final class Other {
                @Differentiable
                public static double k(double x) { return Math.sqrt(1 + x * x) * x; }
            }
            """;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ helpers

    /** Compiles {@code sources} (file name to text) with the processor into {@code dir/name}; returns its classes. */
    private Path library(String name, Map<String, String> sources, String... options) throws IOException {
        Path src = Files.createDirectories(dir.resolve(name).resolve("src"));
        Path out = Files.createDirectories(dir.resolve(name).resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-s", out.toString(),
                "-cp", System.getProperty("java.class.path"), "-processor", TapelessProcessor.class.getName(),
                "-processorpath", System.getProperty("java.class.path")));
        args.addAll(List.of(options));
        if (Arrays.stream(options).noneMatch(o -> o.startsWith("-g"))) args.add("-g");
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, err, err, args.toArray(String[]::new));
        assertEquals(0, rc, "the library compiles:\n" + err);
        return out;
    }

    private Path standardLibrary() throws IOException {
        return library("lib", Map.of("Lib.java", LIB, "Other.java", OTHER));
    }

    private static List<File> classpath(Path... libraries) {
        List<File> cp = new ArrayList<>();
        for (Path p : libraries) cp.add(p.toFile());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) cp.add(new File(e));
        return cp;
    }

    private static Compilation compile(List<File> classpath, JavaFileObject... files) {
        return Compiler.javac().withProcessors(new TapelessProcessor()).withClasspath(classpath).compile(files);
    }

    /** A consumer {@code use.Use} importing the library. */
    private static JavaFileObject use(String members) {
        return JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                import lib.Lib;
                import lib.other.Other;
                import org.nd4j.linalg.api.ndarray.INDArray;

                public class Use {
                """ + members + "\n}\n");
    }

    private static Loaded load(Compilation c, Path... libraries) throws IOException {
        assertThat(c).succeeded();
        URL[] urls = new URL[libraries.length];
        for (int i = 0; i < libraries.length; i++) urls[i] = libraries[i].toUri().toURL();
        return new Loaded(c, new URLClassLoader(urls, CallsAdversarialTest.class.getClassLoader()));
    }

    private static String source(Compilation c, String name) {
        try {
            return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The static method {@code name} of {@code type} whose parameters are all double. */
    private static double callDouble(Loaded l, String type, String name, double... x) {
        Object[] boxed = Arrays.stream(x).boxed().toArray();
        return (double) l.call(type, name, boxed);
    }

    /**
     * Checks {@code type.method}'s generated gradient at {@code x}: the value bit for bit against the
     * source, each component against central differences of the source.
     */
    private static void checkDouble(Loaded l, String type, String method, List<String> names, double... x) {
        Object[] boxed = Arrays.stream(x).boxed().toArray();
        Object g = l.call(type + "Derivatives", method + "Gradient", boxed);
        double source = callDouble(l, type, method, x);
        assertEquals(0, Double.compare(source, (double) Sources.component(g, "value")),
                "value " + Sources.component(g, "value") + " against the source's " + source);
        for (int i = 0; i < names.size(); i++) {
            double fd = centralDifference(l, type, method, x, i);
            double got = (double) Sources.component(g, names.get(i));
            assertEquals(fd, got, 1e-6 * Math.max(1, Math.abs(fd)), "d/d" + names.get(i) + " at " + Arrays.toString(x));
        }
    }

    private static double centralDifference(Loaded l, String type, String method, double[] x, int i) {
        double h = 1e-6 * Math.max(1, Math.abs(x[i]));
        double[] p = x.clone();
        double[] m = x.clone();
        p[i] += h;
        m[i] -= h;
        return (callDouble(l, type, method, p) - callDouble(l, type, method, m)) / (2 * h);
    }

    private static INDArray uniform(Random r, DataType type, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) a.putScalar(i, 2 * r.nextDouble() - 1);
        return a.castTo(type);
    }

    /** A static method of {@code type} by name (the only one with that name and parameter count). */
    private static Method method(Loaded l, String type, String name, int parameters) {
        try {
            for (Method m : l.loadClass(type).getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == parameters) {
                    m.setAccessible(true);
                    return m;
                }
            }
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no " + type + "." + name);
    }

    private static Variable onTape(Loaded l, String type, String name, Object... args) {
        try {
            return (Variable) method(l, type, name, args.length).invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * GradientCheck of a tensor method whose Variable parameters come first ({@code names}), followed
     * by {@code data}: the value and gradient from {@code nameGradient}.
     */
    private static GradientCheck.Report checkTensor(Loaded l, String type, String name, List<String> names,
            List<INDArray> inputs, Object... data) {
        return GradientCheck.of(v -> {
            Object[] args = new Object[v.size() + data.length];
            for (int i = 0; i < v.size(); i++) args[i] = v.get(i);
            System.arraycopy(data, 0, args, v.size(), data.length);
            return onTape(l, type, name, args);
        }, in -> {
            Object[] args = new Object[in.size() + data.length];
            for (int i = 0; i < in.size(); i++) args[i] = in.get(i);
            System.arraycopy(data, 0, args, in.size(), data.length);
            Object g = l.call(type + "Derivatives", name + "Gradient", args);
            List<INDArray> out = new ArrayList<>();
            out.add((INDArray) Sources.component(g, "value"));
            for (String n : names) out.add((INDArray) Sources.component(g, n));
            return out;
        }, names, inputs);
    }

    // ------------------------------------------------------------------ 1. loops and branches

    @Test
    void libraryCallsInLoopsAndBranchesOfADoubleMethod() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static double f(double a, double b) {
                    double s = 0;
                    for (int i = 0; i < 3; i++) {
                        s += Lib.poly(a + i, b) * 0.5;
                        if (s > 2) s = s - Lib.sq(a * s);
                    }
                    if (a > 0) {
                        s *= Lib.two(a, b);
                    } else {
                        s -= Lib.two(b, a) + Lib.smooth(s);
                    }
                    return s;
                }
                """));
        Loaded l = load(c, lib);
        for (double[] x : new double[][] {{0.4, 0.9}, {-0.7, 1.2}, {1.3, -0.4}, {-1.1, -0.6}}) {
            checkDouble(l, "use.Use", "f", List.of("a", "b"), x);
        }
    }

    @Test
    void libraryCallsInALoopOfATensorMethod() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static Variable f(Variable x, Variable y, int n) {
                    Variable s = x;
                    for (int i = 0; i < n; i++) {
                        s = Lib.act(s).add(y).mul(0.7);
                        if (i % 2 == 1) s = Lib.softplus(s);
                    }
                    return Lib.dot(s, y);
                }
                """));
        Loaded l = load(c, lib);
        Random r = new Random(1);
        checkTensor(l, "use.Use", "f", List.of("x", "y"),
                List.of(uniform(r, DataType.DOUBLE, 3, 4), uniform(r, DataType.DOUBLE, 3, 4)), 3).assertWithin(1e-6);
    }

    // ------------------------------------------------------------------ 2. repeated arguments and results

    @Test
    void sameArgumentTwiceAResultUsedTwiceAndTwoIdenticalCalls() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static double same(double x) { return Lib.two(x, x); }

                @Differentiable
                public static double twice(double x, double z) {
                    double y = Lib.poly(x, z);
                    return y * y + Math.sin(y) * x;
                }

                @Differentiable
                public static double identical(double x) { return Lib.sq(x) * Lib.sq(x) + Lib.two(x, 2.0) / Lib.two(x, 2.0); }

                @Differentiable
                public static double nested(double x, double y) { return Lib.two(Lib.two(x, y), Lib.sq(Lib.two(y, x))); }
                """));
        Loaded l = load(c, lib);
        for (double x : new double[] {-1.3, 0.2, 0.9}) {
            checkDouble(l, "use.Use", "same", List.of("x"), x);
            checkDouble(l, "use.Use", "twice", List.of("x", "z"), x, 0.6 - x);
            checkDouble(l, "use.Use", "identical", List.of("x"), x);
            checkDouble(l, "use.Use", "nested", List.of("x", "y"), x, 0.3 * x + 0.1);
        }
    }

    @Test
    void tensorCallWithTheSameArgumentTwiceAndItsResultUsedTwice() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static Variable f(Variable x) {
                    Variable a = Lib.act(x);
                    return Lib.dot(a, a).add(Lib.dot(x, x)).add(a.mul(a).sum()).add(Lib.act(x).sum());
                }
                """));
        Loaded l = load(c, lib);
        checkTensor(l, "use.Use", "f", List.of("x"), List.of(uniform(new Random(2), DataType.DOUBLE, 2, 5))).assertWithin(1e-6);
    }

    // ------------------------------------------------------------------ 3. data parameters

    @Test
    void calleeWithDataParametersMixedWithDifferentiableOnes() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static double f(double a, double b) {
                    double[] w = {0.5, -1.5, 2.0};
                    int n = 3;
                    return Lib.mixed(a, n, a > 0, w, b * a) + Lib.mixed(b, 2, false, w, a);
                }
                """));
        Loaded l = load(c, lib);
        for (double[] x : new double[][] {{0.4, 0.9}, {-0.7, 1.2}, {1.3, -0.4}}) {
            checkDouble(l, "use.Use", "f", List.of("a", "b"), x);
        }
    }

    @Test
    void tensorCalleeWithDataArrayAndIntParameters() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static Variable f(Variable w, INDArray x) {
                    return Lib.affine(w, x, 2).add(Lib.affine(w.mul(0.5), x, 3)).mean();
                }
                """));
        Loaded l = load(c, lib);
        Random r = new Random(3);
        INDArray x = uniform(r, DataType.DOUBLE, 4, 3);
        INDArray xCopy = x.dup();
        checkTensor(l, "use.Use", "f", List.of("w"), List.of(uniform(r, DataType.DOUBLE, 3, 2)), x).assertWithin(1e-6);
        assertEquals(xCopy, x, "the data argument is not written");
    }

    // ------------------------------------------------------------------ 4. reductions and broadcasting

    @Test
    void rankZeroCalleeResultsReductionsAndBroadcastingAgainstTheCaller() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static Variable rows(Variable x, Variable b) {
                    return Lib.act(x).sum(1).mul(Lib.dot(x, x)).add(Lib.act(x).add(b).mean(0).sum()).sum();
                }

                @Differentiable
                public static Variable scalarTimesMatrix(Variable x, Variable b) {
                    return Lib.act(b).mul(Lib.dot(x, x)).sum().add(Lib.act(x).mul(b).mean());
                }

                @Differentiable
                public static Variable column(Variable x, Variable c) {
                    return Lib.softplus(x.add(c)).mul(Lib.act(c)).sum();
                }
                """));
        Loaded l = load(c, lib);
        Random r = new Random(4);
        INDArray x = uniform(r, DataType.DOUBLE, 3, 4);
        checkTensor(l, "use.Use", "rows", List.of("x", "b"), List.of(x, uniform(r, DataType.DOUBLE, 1, 4))).assertWithin(1e-6);
        checkTensor(l, "use.Use", "rows", List.of("x", "b"), List.of(x, uniform(r, DataType.DOUBLE, 4))).assertWithin(1e-6);
        checkTensor(l, "use.Use", "scalarTimesMatrix", List.of("x", "b"), List.of(x, uniform(r, DataType.DOUBLE, 3, 4))).assertWithin(1e-6);
        checkTensor(l, "use.Use", "column", List.of("x", "c"), List.of(x, uniform(r, DataType.DOUBLE, 3, 1))).assertWithin(1e-6);
    }

    // ------------------------------------------------------------------ 5. pullbacks and ownership

    private static final String NON_SCALAR = """
            @Differentiable
            public static Variable f(Variable x, Variable y) {
                return Lib.act(x).mul(y).add(Lib.softplus(x.mul(y))).sum(1);
            }

            @Differentiable
            public static Variable same(Variable x) { return Lib.act(x); }

            @Differentiable
            public static Variable through(Variable x) { return Lib.softplus(x); }
            """;

    @Test
    void pullbacksOfACallerAreLinearAndRepeatable() throws IOException {
        Path lib = standardLibrary();
        Loaded l = load(compile(classpath(lib), use(NON_SCALAR)), lib);
        Random r = new Random(5);
        INDArray x = uniform(r, DataType.DOUBLE, 3, 4);
        INDArray y = uniform(r, DataType.DOUBLE, 3, 4);
        INDArray u1 = uniform(r, DataType.DOUBLE, 3);
        INDArray u2 = uniform(r, DataType.DOUBLE, 3);
        Object vjp = l.call("use.UseDerivatives", "fVjp", x, y);
        INDArray value = ((INDArray) Loaded.invoke(vjp, "value")).dup();
        Object p1 = Loaded.invoke(vjp, "pullback", u1);
        INDArray x1 = ((INDArray) Sources.component(p1, "x")).dup();
        INDArray y1 = ((INDArray) Sources.component(p1, "y")).dup();
        Object p2 = Loaded.invoke(vjp, "pullback", u2);
        Object p12 = Loaded.invoke(vjp, "pullback", u1.add(u2));
        Object again = Loaded.invoke(vjp, "pullback", u1);
        assertClose(x1.add((INDArray) Sources.component(p2, "x")), (INDArray) Sources.component(p12, "x"));
        assertClose(y1.add((INDArray) Sources.component(p2, "y")), (INDArray) Sources.component(p12, "y"));
        assertEquals(x1, Sources.component(again, "x"), "the same upstream gives the same adjoint");
        assertEquals(y1, Sources.component(p1, "y"), "a later pullback does not write into an earlier result");
        assertEquals(value, Loaded.invoke(vjp, "value"), "pullbacks do not write into the value");
        // Against the tape: the vector-Jacobian product of the rows.
        Tape.reset();
        Variable vx = Variable.constant(x.dup(), "x");
        Variable vy = Variable.constant(y.dup(), "y");
        Variable out = onTape(l, "use.Use", "f", vx, vy).mul(Variable.constant(u1)).sum();
        List<Variable> tape = Tape.grad(out, vx, vy);
        Tape.reset();
        assertClose(tape.get(0).value(), x1);
        assertClose(tape.get(1).value(), y1);
    }

    @Test
    void resultsNeverAliasArgumentsOrUpstreams() throws IOException {
        Path lib = standardLibrary();
        Loaded l = load(compile(classpath(lib), use(NON_SCALAR)), lib);
        Random r = new Random(6);
        for (String name : List.of("same", "through")) {
            INDArray x = uniform(r, DataType.DOUBLE, 2, 3);
            INDArray u = uniform(r, DataType.DOUBLE, 2, 3);
            INDArray value = Tape.withoutRecording(() -> onTape(l, "use.Use", name, Variable.constant(x.dup())).value());
            Object vjp = l.call("use.UseDerivatives", name + "Vjp", x);
            INDArray vjpValue = ((INDArray) Loaded.invoke(vjp, "value")).dup();
            INDArray dx = (INDArray) Sources.component(Loaded.invoke(vjp, "pullback", u), "x");
            INDArray dxCopy = dx.dup();
            INDArray forward = (INDArray) l.call("use.UseDerivatives", name, x);
            INDArray forwardCopy = forward.dup();
            assertEquals(value, forward);
            assertEquals(value, vjpValue);
            u.addi(100);
            x.addi(100);
            assertEquals(dxCopy, dx, name + ": the adjoint is not the upstream's or the argument's buffer");
            assertEquals(forwardCopy, forward, name + ": the value is not the argument's buffer");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertTrue(Arrays.equals(expected.shape(), actual.shape()), Arrays.toString(actual.shape()));
        double worst = expected.sub(actual).norm1Number().doubleValue() / Math.max(1, expected.norm1Number().doubleValue());
        assertTrue(worst < 1e-12, "expected " + expected + " got " + actual);
    }

    // ------------------------------------------------------------------ 6. reuse overload

    @Test
    void theReuseOverloadOfACallerOfTheLibrary() throws IOException {
        Path lib = standardLibrary();
        Loaded l = load(compile(classpath(lib), use("""
                @Differentiable
                public static Variable f(Variable w, Variable b, INDArray x) {
                    return Lib.act(Lib.affine(w, x, 1).add(b)).mul(Lib.softplus(b)).sum().add(Lib.dot(w, w));
                }
                """)), lib);
        Random r = new Random(7);
        INDArray x = uniform(r, DataType.DOUBLE, 5, 3);
        Object previous = null;
        for (int step = 0; step < 3; step++) {
            INDArray w = uniform(r, DataType.DOUBLE, 3, 2);
            INDArray b = uniform(r, DataType.DOUBLE, 1, 2);
            Object fresh = l.call("use.UseDerivatives", "fGradient", w, b, x);
            Object reused = previous == null ? l.call("use.UseDerivatives", "fGradient", w, b, x)
                    : l.call("use.UseDerivatives", "fGradient", w, b, x, previous);
            for (String component : List.of("value", "w", "b")) {
                assertEquals(Sources.component(fresh, component), Sources.component(reused, component), component + " at step " + step);
            }
            INDArray dw = (INDArray) Sources.component(reused, "w");
            assertNotSame(dw, Sources.component(reused, "b"));
            previous = reused;
        }
        checkTensor(l, "use.Use", "f", List.of("w", "b"), List.of(uniform(r, DataType.DOUBLE, 3, 2),
                uniform(r, DataType.DOUBLE, 1, 2)), x).assertWithin(1e-6);
    }

    // ------------------------------------------------------------------ 7. nested classes, packages

    @Test
    void nestedLibraryClassesAndCalleesInOtherPackages() throws IOException {
        Path lib = standardLibrary();
        Compilation c = compile(classpath(lib), use("""
                @Differentiable
                public static double f(double a, double b) {
                    return Lib.Inner.g(a, b) + Other.k(a * b) + lib.other.Other.k(b);
                }

                @Differentiable
                public static Variable t(Variable x) { return Lib.Inner.h(x).sum(); }

                public static final class Nested {
                    @Differentiable
                    public static double n(double a) { return Lib.Inner.g(a, a) * Other.k(a); }
                }
                """));
        String companion = source(c, "use.UseDerivatives");
        assertTrue(companion.contains("Lib_InnerDerivatives.gVjp("), companion);
        assertTrue(companion.contains("OtherDerivatives.kVjp("), companion);
        Loaded l = load(c, lib);
        checkDouble(l, "use.Use", "f", List.of("a", "b"), 0.3, -0.8);
        Object g = l.call("use.Use_NestedDerivatives", "nGradient", 0.4);
        double h = 1e-6;
        double fd = ((double) l.call("use.Use$Nested", "n", 0.4 + h) - (double) l.call("use.Use$Nested", "n", 0.4 - h)) / (2 * h);
        assertEquals(fd, (double) Sources.component(g, "a"), 1e-7);
        checkTensor(l, "use.Use", "t", List.of("x"), List.of(uniform(new Random(8), DataType.DOUBLE, 2, 2))).assertWithin(1e-6);
    }

    // ------------------------------------------------------------------ 10. FLOAT

    @Test
    void floatArraysThroughLibraryCalls() throws IOException {
        Path lib = standardLibrary();
        Loaded l = load(compile(classpath(lib), use("""
                @Differentiable
                public static Variable f(Variable x, Variable y) {
                    return Lib.dot(Lib.act(x), Lib.softplus(y)).add(Lib.act(x.add(1.0)).mean());
                }
                """)), lib);
        Random r = new Random(9);
        INDArray x = uniform(r, DataType.FLOAT, 3, 2);
        INDArray y = uniform(r, DataType.FLOAT, 3, 2);
        Object g = l.call("use.UseDerivatives", "fGradient", x, y);
        for (String component : List.of("value", "x", "y")) {
            assertEquals(DataType.FLOAT, ((INDArray) Sources.component(g, component)).dataType(), component);
        }
        Object d = l.call("use.UseDerivatives", "fGradient", x.castTo(DataType.DOUBLE), y.castTo(DataType.DOUBLE));
        for (String component : List.of("value", "x", "y")) {
            INDArray f = ((INDArray) Sources.component(g, component)).castTo(DataType.DOUBLE);
            INDArray e = (INDArray) Sources.component(d, component);
            assertTrue(f.sub(e).amaxNumber().doubleValue() < 1e-5, component + ": " + f + " against " + e);
        }
    }

    // ------------------------------------------------------------------ 8. custom derivatives of this compilation

    static final String CUSTOM_A = """
            package p.a;

            import dev.tapeless.Derivative;
            import dev.tapeless.Differentiable;
            import dev.tapeless.runtime.Variable;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.ops.transforms.Transforms;

            public final class A {
                @Differentiable
                public static double c(double x, double y) { return Math.atan(x) * y; }

                @Derivative(of = "c", wrt = "x")
                static double cX(double x, double y, double upstream) { return upstream * y / (1 + x * x); }

                @Derivative(of = "c", wrt = "y")
                static double cY(double x, double y, double upstream) { return upstream * Math.atan(x); }

                @Differentiable
                public static Variable ct(Variable x) { return Variable.custom(Transforms.sin(x.value(), true), x); }

                @Derivative(of = "ct")
                static INDArray ctDerivative(INDArray x, INDArray upstream) { return Transforms.cos(x, true).muli(upstream); }
            }
            """;

    static final String CUSTOM_B = """
            package p.b;

            import dev.tapeless.Differentiable;
            import dev.tapeless.runtime.Variable;
            import p.a.A;

            public final class B {
                @Differentiable
                public static double f(double x, double y) {
                    double s = A.c(x, y);
                    for (int i = 0; i < 3; i++) {
                        s = s + A.c(s * 0.5, x + i);
                    }
                    return s;
                }

                @Differentiable
                public static Variable t(Variable x) {
                    Variable s = x;
                    for (int i = 0; i < 2; i++) s = A.ct(s).add(x);
                    return A.ct(s.mul(x)).sum();
                }
            }
            """;

    /**
     * B in A's package calls A's custom functions and derivatives directly, straight-line and in
     * loops. (From another package, p.b.B, the companion call names the gradient's components after
     * the derivative methods: see the report of review4; that case is not committed.)
     */
    @Test
    void customDerivativesOfThisCompilationCalledFromAnotherClassAndFromLoops() throws IOException {
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor()).compile(
                JavaFileObjects.forSourceString("p.a.A", CUSTOM_A),
                JavaFileObjects.forSourceString("p.a.B", CUSTOM_B.replace("package p.b;", "package p.a;").replace("import p.a.A;", "")));
        assertThat(c).succeeded();
        Loaded l = load(c);
        for (double[] x : new double[][] {{0.4, 0.9}, {-1.7, 1.2}, {2.3, -0.4}}) {
            checkDouble(l, "p.a.B", "f", List.of("x", "y"), x);
        }
        checkTensor(l, "p.a.B", "t", List.of("x"), List.of(uniform(new Random(10), DataType.DOUBLE, 3, 2))).assertWithin(1e-6);
    }

    // ------------------------------------------------------------------ 9. a derivative of the wrong shape

    @Test
    void aCustomDerivativeOfTheWrongShapeIsAClearErrorAtRunTime() throws IOException {
        Path lib = library("bad", Map.of("Bad.java", """
                package lib;

                import dev.tapeless.Derivative;
                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                import org.nd4j.linalg.api.ndarray.INDArray;

                public final class Bad {
                    @Differentiable
                    public static Variable wrong(Variable x) { return Variable.custom(x.value().mul(2), x); }

                    @Derivative(of = "wrong")
                    public static INDArray wrongDerivative(INDArray x, INDArray upstream) { return upstream.sum(0); }
                }
                """));
        Loaded l = load(compile(classpath(lib), JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                import lib.Bad;

                public class Use {
                    @Differentiable
                    public static Variable f(Variable x) { return Bad.wrong(x.mul(3.0)).sum(); }
                }
                """)), lib);
        INDArray x = uniform(new Random(11), DataType.DOUBLE, 3, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.call("use.UseDerivatives", "fGradient", x));
        assertTrue(e.getMessage().contains("wrongDerivative") && e.getMessage().contains("[2]")
                && e.getMessage().contains("[3, 2]"), e.getMessage());
        Tape.reset();
        Variable v = Variable.constant(x.dup(), "x");
        Variable out = onTape(l, "use.Use", "f", v);
        IllegalStateException onTape = assertThrows(IllegalStateException.class, () -> Tape.grad(out, v));
        Tape.reset();
        assertTrue(onTape.getMessage().contains("wrongDerivative") && onTape.getMessage().contains("[3, 2]"), onTape.getMessage());
    }

    // ------------------------------------------------------------------ 11. recursion through the size policy

    /** {@code count} statements of a chain over x and y: an IR of several values per statement. */
    private static String chain(String x, String y, int count) {
        StringBuilder s = new StringBuilder("double s = " + x + ";\n");
        for (int i = 0; i < count; i++) {
            s.append("s = Math.sin(s) * ").append(y).append(" + s * ").append(0.5 + i % 7 * 0.01).append(";\n");
        }
        return s.toString();
    }

    @Test
    void recursionThroughLargeCalleesIsACompileError() {
        JavaFileObject file = Sources.classT("""
                @Differentiable public static double a(double x, double y) {
                """ + chain("x", "y", 150) + """
                    return b(s, y) + s;
                }
                @Differentiable public static double b(double x, double y) {
                """ + chain("x", "y", 150) + """
                    if (s > 100) return s;
                    return a(s, y * 0.5);
                }
                """);
        Compilation c = Sources.compile(file);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("recursive call to");
    }

    // ------------------------------------------------------------------ 12. large callees and wrt

    @Test
    void aLargeCalleeWithAWrtSubsetIsInlinedAndOneWithoutIsCalled() {
        JavaFileObject file = Sources.classT("""
                @Differentiable(wrt = "x") public static double some(double x, double y) {
                """ + chain("x", "y", 150) + """
                    return s;
                }
                @Differentiable public static double all(double x, double y) {
                """ + chain("x", "y", 150) + """
                    return s;
                }
                @Differentiable public static double callsSome(double a, double b) { return some(a, b * a); }
                @Differentiable public static double callsAll(double a, double b) { return all(a, b * a) + all(b, 0.3); }
                """);
        Compilation c = Sources.compile(file);
        assertThat(c).succeeded();
        String companion = source(c, "test.TDerivatives");
        int callsSome = companion.indexOf("Gradient callsSomeGradient(");
        int callsAll = companion.indexOf("Gradient callsAllGradient(");
        String some = companion.substring(callsSome, companion.indexOf("\n    }", callsSome));
        String all = companion.substring(callsAll, companion.indexOf("\n    }", callsAll));
        assertFalse(some.contains("someVjp("), some);
        assertTrue(all.contains("allVjp("), all);
        Loaded l = new Loaded(c);
        for (double[] x : new double[][] {{0.4, 0.9}, {-0.7, 1.1}}) {
            checkDouble(l, "test.T", "callsSome", List.of("a", "b"), x);
            checkDouble(l, "test.T", "callsAll", List.of("a", "b"), x);
        }
    }

    // ------------------------------------------------------------------ 14. -g:none

    private static final String NO_NAMES = """
            package lib;

            import dev.tapeless.Differentiable;

            public final class NoNames {
                @Differentiable
                public static double all(double x, double y) { return x * Math.exp(y); }

                @Differentiable(wrt = "x")
                public static double some(double x, double y) { return x * Math.exp(y); }
            }
            """;

    @Test
    void aLibraryWithoutParameterNames() throws IOException {
        Path lib = library("nonames", Map.of("NoNames.java", NO_NAMES), "-g:none");
        JavaFileObject ok = JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import lib.NoNames;

                public class Use {
                    @Differentiable
                    public static double f(double a, double b) { return NoNames.all(a, b * a); }
                }
                """);
        Loaded l = load(compile(classpath(lib), ok), lib);
        checkDouble(l, "use.Use", "f", List.of("a", "b"), 0.3, -0.6);

        JavaFileObject bad = JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import lib.NoNames;

                public class Use {
                    @Differentiable
                    public static double f(double a) { return NoNames.some(a, 2.0); }
                }
                """);
        Compilation c = compile(classpath(lib), bad);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("its class file keeps no parameter names").inFile(bad)
                .onLine(Sources.lineOf(bad, "NoNames.some(a, 2.0)"));
    }

    // ------------------------------------------------------------------ 15. names that could clash in generated code

    @Test
    void aCallerClassWithTheSameSimpleNameAsTheLibrarysClass() throws IOException {
        Path lib = standardLibrary();
        JavaFileObject file = JavaFileObjects.forSourceString("use.Lib", """
                package use;

                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;

                public class Lib {
                    @Differentiable
                    public static double f(double x) { return lib.Lib.two(x, 0.5) * lib.Lib.Inner.g(x, x); }

                    @Differentiable
                    public static Variable t(Variable x) { return lib.Lib.act(x).sum(); }
                }
                """);
        Loaded l = load(compile(classpath(lib), file), lib);
        checkDouble(l, "use.Lib", "f", List.of("x"), 0.7);
        checkTensor(l, "use.Lib", "t", List.of("x"), List.of(uniform(new Random(12), DataType.DOUBLE, 2, 2))).assertWithin(1e-6);
    }

    @Test
    void parametersAndLocalsNamedLikeTheGeneratedOnes() throws IOException {
        Path lib = standardLibrary();
        Loaded l = load(compile(classpath(lib), use("""
                @Differentiable
                public static double f(double LibDerivatives, double twoVjp, double lib) {
                    double twoGradient = Lib.two(LibDerivatives, twoVjp);
                    double d_two_a = Lib.poly(twoGradient, lib) + Lib.Inner.g(lib, twoVjp);
                    double polyVjp = d_two_a * Lib.two(twoGradient, lib);
                    return polyVjp + Other.k(polyVjp);
                }
                """)), lib);
        checkDouble(l, "use.Use", "f", List.of("LibDerivatives", "twoVjp", "lib"), 0.3, -0.4, 0.5);
    }

    @Test
    void argumentsThatWidenToTheCalleesParameters() throws IOException {
        Path lib = standardLibrary();
        Loaded l = load(compile(classpath(lib), use("""
                @Differentiable
                public static double f(double x, int n) {
                    long m = n;
                    return Lib.two(x, 2) + Lib.two(n, x) + Lib.poly(x, m) + Lib.sq(n) * x;
                }
                """)), lib);
        for (int n : new int[] {-2, 3}) {
            Object g = l.call("use.UseDerivatives", "fGradient", 0.4, n);
            assertEquals(0, Double.compare((double) l.call("use.Use", "f", 0.4, n), (double) Sources.component(g, "value")));
            double h = 1e-6;
            double fd = ((double) l.call("use.Use", "f", 0.4 + h, n) - (double) l.call("use.Use", "f", 0.4 - h, n)) / (2 * h);
            assertEquals(fd, (double) Sources.component(g, "x"), 1e-6 * Math.max(1, Math.abs(fd)));
        }
    }

    // ------------------------------------------------------------------ identity-like callees

    private static final String IDENTITY = """
            package lib;

            import dev.tapeless.Derivative;
            import dev.tapeless.Differentiable;
            import dev.tapeless.runtime.Variable;
            import org.nd4j.linalg.api.ndarray.INDArray;

            public final class Id {
                @Differentiable
                public static Variable id(Variable x) { return x; }

                @Differentiable
                public static Variable through(Variable x) { return Variable.custom(x.value(), x); }

                @Derivative(of = "through")
                public static INDArray throughDerivative(INDArray x, INDArray upstream) { return upstream; }
            }
            """;

    @Test
    void callersOfIdentityCalleesNeverAliasTheirArguments() throws IOException {
        Path lib = library("id", Map.of("Id.java", IDENTITY));
        Loaded l = load(compile(classpath(lib), JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                import lib.Id;

                public class Use {
                    @Differentiable
                    public static Variable f(Variable x) { return Id.id(x); }

                    @Differentiable
                    public static Variable g(Variable x, Variable y) { return Id.through(Id.id(x)).add(Id.through(y)); }
                }
                """)), lib);
        Random r = new Random(13);
        INDArray x = uniform(r, DataType.DOUBLE, 2, 3);
        INDArray y = uniform(r, DataType.DOUBLE, 2, 3);
        INDArray u = uniform(r, DataType.DOUBLE, 2, 3);
        INDArray x0 = x.dup();
        INDArray u0 = u.dup();

        INDArray value = (INDArray) l.call("use.UseDerivatives", "f", x);
        Object vjp = l.call("use.UseDerivatives", "fVjp", x);
        INDArray dx = (INDArray) Sources.component(Loaded.invoke(vjp, "pullback", u), "x");
        Object gv = l.call("use.UseDerivatives", "gVjp", x, y);
        Object gp = Loaded.invoke(gv, "pullback", u);
        INDArray gx = (INDArray) Sources.component(gp, "x");
        INDArray gy = (INDArray) Sources.component(gp, "y");
        INDArray gValue = (INDArray) l.call("use.UseDerivatives", "g", x, y);
        assertNotSame(gx, gy);
        x.addi(10);
        y.addi(10);
        u.addi(10);
        assertEquals(x0, value, "f's value is not x's buffer");
        assertEquals(u0, dx, "f's adjoint is not the upstream's buffer");
        assertEquals(u0, gx);
        assertEquals(u0, gy);
        gx.addi(1);
        assertEquals(u0, gy, "two components never share a buffer");
        assertEquals(x0.add(y.sub(10)), gValue);
    }

    // ------------------------------------------------------------------ buffers a callee's Vjp keeps

    /**
     * The caller's temporaries passed to a callee, and the callee's value, are read again by the
     * callee's pullback: the caller must not free them or compute into them in place, on either
     * path (fused loops, ND4J ops), in fGradient, in a Vjp pulled back twice, and with reuse.
     */
    @Test
    void buffersACalleesVjpKeepsAreNotOverwrittenByTheCaller() throws IOException {
        Path lib = standardLibrary();
        Loaded l = load(compile(classpath(lib), use("""
                @Differentiable
                public static Variable f(Variable x, Variable y) {
                    Variable t = x.mul(2.0);
                    Variable a = Lib.ex(t);
                    Variable b = Lib.sig(a.add(y));
                    Variable c = t.exp().mul(3.0).add(a.exp()).mul(b.sigmoid());
                    Variable d = Lib.ex(c.mul(0.1)).sub(b.mul(b)).tanh();
                    return d.mul(a).add(b.neg().exp()).sum();
                }

                @Differentiable
                public static Variable rows(Variable x, Variable y) {
                    Variable t = x.mul(y);
                    Variable a = Lib.ex(t);
                    Variable c = t.neg().exp().add(a.mul(a)).sigmoid();
                    return Lib.ex(c).mul(a).sum(1);
                }

                @Differentiable
                public static Variable looped(Variable x, Variable y, int n) {
                    Variable s = x;
                    for (int i = 0; i < n; i++) {
                        Variable a = Lib.ex(s.mul(0.3));
                        s = a.exp().mul(0.2).add(Lib.sig(a.add(y)));
                    }
                    return s.sum(1);
                }
                """)), lib);
        Random r = new Random(14);
        INDArray x = uniform(r, DataType.DOUBLE, 3, 4);
        INDArray y = uniform(r, DataType.DOUBLE, 3, 4);
        checkTensor(l, "use.Use", "f", List.of("x", "y"), List.of(x, y)).assertWithin(1e-6);
        Object first = l.call("use.UseDerivatives", "fGradient", x, y);
        INDArray dx = ((INDArray) Sources.component(first, "x")).dup();
        Object again = l.call("use.UseDerivatives", "fGradient", x.add(0.1), y, first);
        Object fresh = l.call("use.UseDerivatives", "fGradient", x.add(0.1), y);
        assertEquals(Sources.component(fresh, "x"), Sources.component(again, "x"));
        assertEquals(Sources.component(fresh, "y"), Sources.component(again, "y"));
        assertEquals(dx, Sources.component(l.call("use.UseDerivatives", "fGradient", x, y), "x"));

        INDArray u1 = uniform(r, DataType.DOUBLE, 3);
        INDArray u2 = uniform(r, DataType.DOUBLE, 3);
        for (String name : List.of("rows", "looped")) {
            Object[] args = name.equals("rows") ? new Object[] {x, y} : new Object[] {x, y, 3};
            Object vjp = l.call("use.UseDerivatives", name + "Vjp", args);
            INDArray x1 = ((INDArray) Sources.component(Loaded.invoke(vjp, "pullback", u1), "x")).dup();
            INDArray x2 = ((INDArray) Sources.component(Loaded.invoke(vjp, "pullback", u2), "x")).dup();
            INDArray x12 = (INDArray) Sources.component(Loaded.invoke(vjp, "pullback", u1.add(u2)), "x");
            INDArray x1Again = (INDArray) Sources.component(Loaded.invoke(vjp, "pullback", u1), "x");
            assertClose(x1.add(x2), x12);
            assertEquals(x1, x1Again, name);
            Tape.reset();
            Variable vx = Variable.constant(x.dup(), "x");
            Variable vy = Variable.constant(y.dup(), "y");
            Object[] onTapeArgs = name.equals("rows") ? new Object[] {vx, vy} : new Object[] {vx, vy, 3};
            Variable out = onTape(l, "use.Use", name, onTapeArgs).mul(Variable.constant(u1)).sum();
            INDArray tape = Tape.grad(out, vx).get(0).value();
            Tape.reset();
            assertClose(tape, x1);
        }
    }

    // ------------------------------------------------------------------ custom functions with data parameters

    private static final String CUSTOM_DATA = """
            package lib;

            import dev.tapeless.Derivative;
            import dev.tapeless.Differentiable;
            import dev.tapeless.runtime.Variable;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.ops.transforms.Transforms;

            public final class Cd {
                /** x^n scaled by a data array, by ND4J. */
                @Differentiable
                public static Variable powScaled(Variable x, INDArray scale, int n, boolean negate) {
                    INDArray v = Transforms.pow(x.value(), n, true).muli(scale);
                    return Variable.custom(negate ? v.negi() : v, x, scale, n, negate);
                }

                @Derivative(of = "powScaled")
                public static INDArray powScaledDerivative(INDArray x, INDArray scale, int n, boolean negate, INDArray upstream) {
                    INDArray d = Transforms.pow(x, n - 1, true).muli(scale).muli(n).muli(upstream);
                    return negate ? d.negi() : d;
                }

                @Differentiable(wrt = "x")
                public static double powi(double x, int n, double c) { return Math.pow(x, n) * c + 0 * Math.floor(c); }

                @Derivative(of = "powi", wrt = "x")
                public static double powiX(double x, int n, double c, double upstream) { return upstream * n * Math.pow(x, n - 1) * c; }
            }
            """;

    @Test
    void customFunctionsWithDataParameters() throws IOException {
        Path lib = library("cd", Map.of("Cd.java", CUSTOM_DATA));
        Loaded l = load(compile(classpath(lib), JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                import lib.Cd;
                import org.nd4j.linalg.api.ndarray.INDArray;

                public class Use {
                    @Differentiable
                    public static Variable t(Variable x, INDArray scale) {
                        Variable s = x;
                        for (int i = 1; i <= 2; i++) s = Cd.powScaled(s.mul(0.8), scale, i + 1, i == 2).add(x);
                        return Cd.powScaled(s, scale, 2, false).sum();
                    }

                    @Differentiable
                    public static double d(double x, double y) {
                        double s = 0;
                        for (int k = 1; k <= 3; k++) s += Cd.powi(x * y, k, 0.5 * k);
                        return s + Cd.powi(y, 2, 3.0);
                    }
                }
                """)), lib);
        Random r = new Random(15);
        INDArray scale = uniform(r, DataType.DOUBLE, 1, 3);
        checkTensor(l, "use.Use", "t", List.of("x"), List.of(uniform(r, DataType.DOUBLE, 2, 3)), scale).assertWithin(1e-6);
        checkDouble(l, "use.Use", "d", List.of("x", "y"), 0.7, -1.2);
    }

    // ------------------------------------------------------------------ a stale companion

    /**
     * The library's class recompiled without the processor after a change of {@code wrt}, its old
     * companion left in place: the consumer's build must not compile a call that needs the new one.
     */
    @Test
    void aCompanionOlderThanItsClassIsAnErrorAtTheCall() throws IOException {
        String v1 = """
                package lib;

                import dev.tapeless.Differentiable;

                public final class Stale {
                    @Differentiable(wrt = "x")
                    public static double f(double x, double y) { return x * Math.exp(y); }
                }
                """;
        Path lib = library("stale", Map.of("Stale.java", v1));
        // v2 differentiates y too; compiled without the processor into the same classes.
        Path src = dir.resolve("stale2");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Stale.java"), v1.replace("@Differentiable(wrt = \"x\")", "@Differentiable"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-g", "-proc:none", "-d", lib.toString(),
                "-cp", System.getProperty("java.class.path"), src.resolve("Stale.java").toString()));
        JavaFileObject use = JavaFileObjects.forSourceString("use.Use", """
                package use;

                import dev.tapeless.Differentiable;
                import lib.Stale;

                public class Use {
                    @Differentiable
                    public static double g(double a) { return Stale.f(a, a * a); }
                }
                """);
        Compilation c = compile(classpath(lib), use);
        assertThat(c).failed();
        // The class differentiates x and y, its companion x only: the companion is stale, and the error says to rebuild.
        assertThat(c).hadErrorContaining("call to Stale.f: its companion lib.StaleDerivatives does not match it (its FGradient"
                + " differentiates 'x', the class asks for 'x', 'y': the companion is older than the class); rebuild the library")
                .inFile(use).onLine(Sources.lineOf(use, "Stale.f(a, a * a)"));
        assertThat(c).hadErrorCount(1);
    }

    // ------------------------------------------------------------------ a large tensor callee of this compilation

    @Test
    void aLargeTensorCalleeIsCalledThroughItsCompanionInLoopsAndWithReuse() {
        StringBuilder big = new StringBuilder("@Differentiable public static Variable big(Variable x, Variable y) {\n Variable s = x;\n");
        for (int i = 0; i < 110; i++) big.append("s = s.mul(y).tanh().add(s.mul(").append(0.5 + i % 5 * 0.01).append("));\n");
        big.append("return s;\n}\n");
        Compilation c = Sources.compile(Sources.classT(big + """
                @Differentiable public static Variable straight(Variable x, Variable y) {
                    Variable a = big(x, y);
                    return big(a.mul(0.5), y).mul(a).sum();
                }
                @Differentiable public static Variable looped(Variable x, Variable y, int n) {
                    Variable s = x;
                    for (int i = 0; i < n; i++) s = big(s, y).add(x);
                    return s.sum();
                }
                """));
        assertThat(c).succeeded();
        String companion = source(c, "test.TDerivatives");
        assertTrue(companion.contains("TDerivatives.bigVjp("), "big is called, not inlined");
        Loaded l = new Loaded(c);
        Random r = new Random(16);
        INDArray x = uniform(r, DataType.DOUBLE, 2, 3);
        INDArray y = uniform(r, DataType.DOUBLE, 2, 3);
        checkTensor(l, "test.T", "straight", List.of("x", "y"), List.of(x, y)).assertWithin(1e-6);
        checkTensor(l, "test.T", "looped", List.of("x", "y"), List.of(x, y), 3).assertWithin(1e-6);
        Object first = l.call("test.TDerivatives", "straightGradient", x, y);
        Object reused = l.call("test.TDerivatives", "straightGradient", y, x, first);
        Object fresh = l.call("test.TDerivatives", "straightGradient", y, x);
        for (String component : List.of("value", "x", "y")) {
            assertEquals(Sources.component(fresh, component), Sources.component(reused, component), component);
        }
    }
}
