package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.GradientCheck;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Methods past the JVM's limits (64 KB of bytecode per method, 255 parameter slots) compile: long
 * entry points are written in parts, a Vjp that keeps many values assigns its fields. What no
 * split can fix is a clear error on the method. Each companion here is compiled, loaded and run.
 */
class LargeMethodsTest {

    private static Compilation compiled(JavaFileObject source) {
        TimedProcessor processor = new TimedProcessor();
        Compilation c = com.google.testing.compile.Compiler.javac().withProcessors(processor).compile(source);
        assertThat(c).succeededWithoutWarnings();
        System.out.printf("processor time: %.2f s CPU (%.2f s elapsed)%n", processor.cpuNanos() / 1e9, processor.nanos() / 1e9);
        return c;
    }

    private static String companion(Compilation c) throws IOException {
        return c.generatedSourceFile("test.TDerivatives").orElseThrow().getCharContent(true).toString();
    }

    @Test
    void aDoubleMethodOf2000StatementsIsExactForwardAndRightInItsGradient() throws IOException {
        Compilation c = compiled(Sources.classT(LargePrograms.doubleMethod("big", 2000, 11)));
        String source = companion(c);
        assertTrue(source.contains("bigGradientPart1(") && source.contains("PullbackFrame"), "written in parts");
        assertTrue(source.contains("BigVjp vjp = new BigVjp();"), "the Vjp keeps more than 255 slots");
        Loaded l = new Loaded(c);
        for (double[] at : new double[][] {{0.3, -0.7}, {1.1, 0.4}, {-0.2, 2.5}}) {
            double x = at[0];
            double y = at[1];
            double expected = (double) l.call("test.T", "big", x, y);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits((double) l.call("test.TDerivatives", "big", x, y)),
                    "forward pass bit for bit");
            Object g = l.call("test.TDerivatives", "bigGradient", x, y);
            assertEquals(expected, (double) Loaded.invoke(g, "value"));
            double h = 1e-6;
            double dx = ((double) l.call("test.T", "big", x + h, y) - (double) l.call("test.T", "big", x - h, y)) / (2 * h);
            double dy = ((double) l.call("test.T", "big", x, y + h) - (double) l.call("test.T", "big", x, y - h)) / (2 * h);
            assertClose(dx, (double) Loaded.invoke(g, "x"), 1e-5, "d/dx at " + x + ", " + y);
            assertClose(dy, (double) Loaded.invoke(g, "y"), 1e-5, "d/dy at " + x + ", " + y);
            Object vjp = l.call("test.TDerivatives", "bigVjp", x, y);
            assertEquals(expected, (double) Loaded.invoke(vjp, "value"));
            Object pulled = Loaded.invoke(vjp, "pullback", 2.0);
            assertClose(2 * (double) Loaded.invoke(g, "x"), (double) Loaded.invoke(pulled, "x"), 1e-12, "pullback x");
            assertClose(2 * (double) Loaded.invoke(g, "y"), (double) Loaded.invoke(pulled, "y"), 1e-12, "pullback y");
        }
    }

    @Test
    void aTensorMethodOf2000StatementsAgreesWithTheTapeAndFiniteDifferences() throws IOException {
        Compilation c = compiled(Sources.classT(LargePrograms.tensorMethod("big", 2000, 13)));
        String source = companion(c);
        assertTrue(source.contains("bigGradientPart1(") && source.contains("PullbackFrame"), "written in parts");
        Loaded l = new Loaded(c);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3).subi(0.5);
        GradientCheck.of(
                v -> (Variable) l.call("test.T", "big", v.get(0), v.get(1)),
                a -> {
                    Object g = l.call("test.TDerivatives", "bigGradient", a.get(0), a.get(1));
                    return List.of((INDArray) Loaded.invoke(g, "value"), (INDArray) Loaded.invoke(g, "x"),
                            (INDArray) Loaded.invoke(g, "y"));
                },
                List.of("x", "y"), List.of(x, y), 1e-6, 2).assertWithin(1e-6);
        INDArray forward = (INDArray) l.call("test.TDerivatives", "big", x, y);
        Object vjp = l.call("test.TDerivatives", "bigVjp", x, y);
        assertEquals(forward.getDouble(0), ((INDArray) Loaded.invoke(vjp, "value")).getDouble(0));
        Object g = l.call("test.TDerivatives", "bigGradient", x, y);
        Object pulled = Loaded.invoke(vjp, "pullback", Nd4j.scalar(DataType.DOUBLE, 1.0));
        assertEquals(0, ((INDArray) Loaded.invoke(g, "x")).distance1((INDArray) Loaded.invoke(pulled, "x")), 1e-9);
        assertEquals(0, ((INDArray) Loaded.invoke(g, "y")).distance1((INDArray) Loaded.invoke(pulled, "y")), 1e-9);
    }

    /** {@code p = p * sin(x + c)} 70 times: short enough for one method, but the Vjp keeps about 200 doubles. */
    @Test
    void aVjpThatKeepsMoreThan255SlotsOfValuesWorks() throws IOException {
        String body = IntStream.range(0, 70).mapToObj(i -> "        p = p * Math.sin(x + " + (0.01 * i + 0.1) + ");\n")
                .collect(Collectors.joining());
        Compilation c = compiled(Sources.classT("""
                @Differentiable
                public static double product(double x) {
                    double p = 1.0;
                %s        return p;
                }
                """.formatted(body)));
        String source = companion(c);
        assertTrue(source.contains("ProductVjp vjp = new ProductVjp();"), source);
        assertTrue(!source.contains("productVjpPart1("), "the factory is one method: short enough");
        Loaded l = new Loaded(c);
        double x = 0.9;
        double h = 1e-6;
        double fd = ((double) l.call("test.T", "product", x + h) - (double) l.call("test.T", "product", x - h)) / (2 * h);
        Object vjp = l.call("test.TDerivatives", "productVjp", x);
        assertEquals((double) l.call("test.T", "product", x), (double) Loaded.invoke(vjp, "value"));
        Object g = Loaded.invoke(vjp, "pullback", 1.0);
        assertClose(fd, (double) Loaded.invoke(g, "x"), 1e-5, "d/dx");
        assertEquals((double) Loaded.invoke(g, "x"), (double) Loaded.invoke(l.call("test.TDerivatives", "productGradient", x), "x"));
    }

    private static String doubleParameters(int n) {
        return IntStream.range(0, n).mapToObj(i -> "double a" + i).collect(Collectors.joining(", "));
    }

    private static String sumOf(int n) {
        return IntStream.range(0, n).mapToObj(i -> "a" + i + " * a" + i).collect(Collectors.joining(" + "));
    }

    /** value + 126 doubles: 1 + 2 + 252 = 255 slots, the most a record constructor can take. */
    @Test
    void aGradientRecordOf126DoublesCompiles() {
        Compilation c = compiled(Sources.classT("""
                @Differentiable
                public static double wide(%s) {
                    return %s;
                }
                """.formatted(doubleParameters(126), sumOf(126))));
        Loaded l = new Loaded(c);
        Object[] args = IntStream.range(0, 126).mapToObj(i -> (Object) (double) i).toArray();
        Object g = l.call("test.TDerivatives", "wideGradient", args);
        assertEquals(250.0, (double) Loaded.invoke(g, "a125"));
    }

    @Test
    void aGradientRecordPastTheJvmLimitIsAnErrorOnTheMethod() {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                public static double wide(%s) {
                    return %s;
                }
                """.formatted(doubleParameters(127), sumOf(127)));
        Compilation c = Sources.compile(source);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'wide' has 127 differentiated parameters, too many for the constructor of its gradient record WideGradient")
                .inFile(source).onLineContaining("public static double wide(");
        assertThat(c).hadErrorCount(1);
    }

    /**
     * 127 doubles and an int fill the 255 slots a static method may take; the part that reads them
     * all would need one more for its frame. No split can help: a clear error on the method.
     */
    @Test
    void aLongMethodWhoseParametersFillEverySlotIsAnErrorOnTheMethod() {
        String terms = IntStream.range(0, 127).mapToObj(i -> "a" + i).collect(Collectors.joining(" + "));
        String body = IntStream.range(0, 400).mapToObj(i -> "        s = Math.sin(s) * a0;\n").collect(Collectors.joining());
        JavaFileObject source = Sources.classT("""
                @Differentiable(wrt = "a0")
                public static double full(%s, int n) {
                    double s = %s + n;
                %s        return s;
                }
                """.formatted(doubleParameters(127), terms, body));
        Compilation c = Sources.compile(source);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'full' is too long for one Java method, and its parameters fill so many")
                .inFile(source).onLineContaining("public static double full(");
        assertThat(c).hadErrorCount(1);
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        double scale = Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= relative * scale, what + ": expected " + expected + ", got " + actual);
    }
}
