package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generated code means what the source meant whatever names the user chose: parameters and
 * locals named after the classes and packages the companion uses, classes of the user's package
 * named like {@code java.lang}'s, lowercase and nested field owners. Each companion compiles, and
 * computes the source's value and derivatives.
 */
class HostileNamesTest {

    private static JavaFileObject source(String name, String text) {
        return JavaFileObjects.forSourceString(name, text);
    }

    @Test
    void aClassNamedMathInThePackageDoesNotCaptureJavaLangMath() {
        JavaFileObject math = source("p.Math", """
                package p;
                public class Math {
                    public static double sin(double x) { return 42; }
                    public static double cos(double x) { return 42; }
                    public static double max(double a, double b) { return 42; }
                    public static final double PI = 42;
                }
                """);
        JavaFileObject strict = source("p.StrictMath", """
                package p;
                public class StrictMath {
                    public static double exp(double x) { return 42; }
                }
                """);
        JavaFileObject dbl = source("p.Double", """
                package p;
                public class Double {
                    public static final double POSITIVE_INFINITY = 42;
                }
                """);
        JavaFileObject t = source("p.T", """
                package p;
                import dev.tapeless.Differentiable;
                class T {
                    static final double BIG = java.lang.Double.POSITIVE_INFINITY;
                    @Differentiable
                    static double f(double x, double y) {
                        double s = java.lang.Math.sin(x) * java.lang.Math.PI;
                        return x < BIG ? s + java.lang.StrictMath.exp(y) + java.lang.Math.max(x, y) : y;
                    }
                }
                """);
        Compilation c = Sources.compile(math, strict, dbl, t);
        assertThat(c).succeededWithoutWarnings();
        Class<?> companion = Sources.load(c, "p.TDerivatives");
        double x = 0.5;
        double y = 0.25;
        double expected = java.lang.Math.sin(x) * java.lang.Math.PI + java.lang.StrictMath.exp(y) + java.lang.Math.max(x, y);
        assertEquals(expected, (double) Sources.call(companion, "f", x, y));
        Object g = Sources.call(companion, "fGradient", x, y);
        assertEquals(expected, (double) Sources.component(g, "value"));
        assertEquals(java.lang.Math.cos(x) * java.lang.Math.PI + 1, (double) Sources.component(g, "x"), 1e-15);
        assertEquals(java.lang.StrictMath.exp(y), (double) Sources.component(g, "y"), 1e-15);
    }

    @Test
    void parametersAndLocalsNamedLikeTheClassesGeneratedCodeUsesAreRenamed() {
        JavaFileObject t = source("p.T", """
                package p;
                import dev.tapeless.Differentiable;
                class T {
                    static double K = 3;
                    static final double BIG = Double.POSITIVE_INFINITY;

                    @Differentiable
                    static double sines(double Math, double x) {
                        return StrictMath.sin(x) * Math + K * x;
                    }

                    @Differentiable
                    static double fieldAndStrict(double StrictMath, double T, double x) {
                        return java.lang.Math.sin(x) * StrictMath + K * T;
                    }

                    @Differentiable
                    static double packages(double Double, double java, double p, double x) {
                        double Kernels = x * x;
                        double Transforms = Kernels < BIG ? Kernels * Double : java;
                        return Transforms + p * K;
                    }

                    @Differentiable
                    static double locals(double x) {
                        double Math = x * x;
                        double INDArray = Math + 1;
                        double Layout = INDArray * x;
                        double OpCounts = Layout - x;
                        double OpCount = OpCounts * 2;
                        double upstream = OpCount * OpCount;
                        return java.lang.Math.exp(upstream / 100) + java.lang.Math.max(Layout, x);
                    }
                }
                """);
        Compilation c = Sources.compile(t);
        assertThat(c).succeededWithoutWarnings();
        Class<?> d = Sources.load(c, "p.TDerivatives");

        double m = 1.5;
        double x = 0.5;
        assertEquals(StrictMath.sin(x) * m + 3 * x, (double) Sources.call(d, "sines", m, x));
        Object g = Sources.call(d, "sinesGradient", m, x);
        assertEquals(StrictMath.sin(x), (double) Sources.component(g, "Math"));
        assertEquals(StrictMath.cos(x) * m + 3, (double) Sources.component(g, "x"), 1e-15);

        assertEquals(Math.sin(x) * m + 3 * 2.0, (double) Sources.call(d, "fieldAndStrict", m, 2.0, x));
        g = Sources.call(d, "fieldAndStrictGradient", m, 2.0, x);
        assertEquals(Math.sin(x), (double) Sources.component(g, "StrictMath"));
        assertEquals(3.0, (double) Sources.component(g, "T"));

        assertEquals(x * x * 2.0 + 4.0 * 3, (double) Sources.call(d, "packages", 2.0, 7.0, 4.0, x));
        g = Sources.call(d, "packagesGradient", 2.0, 7.0, 4.0, x);
        assertEquals(x * x, (double) Sources.component(g, "Double"));
        assertEquals(0.0, (double) Sources.component(g, "java"));
        assertEquals(3.0, (double) Sources.component(g, "p"));
        assertEquals(2 * x * 2.0, (double) Sources.component(g, "x"));

        double sq = x * x;
        double layout = (sq + 1) * x;
        double opCount = (layout - x) * 2;
        double up = opCount * opCount;
        assertEquals(Math.exp(up / 100) + Math.max(layout, x), (double) Sources.call(d, "locals", x));
    }

    @Test
    void tensorParametersNamedLikeTheCompanionsClassesAreRenamed() throws ReflectiveOperationException {
        JavaFileObject t = source("p.T", """
                package p;
                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                class T {
                    @Differentiable
                    static Variable f(Variable Kernels, Variable Transforms, org.nd4j.linalg.api.ndarray.INDArray INDArray,
                            Variable Layout, Variable org, double dev) {
                        Variable Math = Kernels.add(Transforms).exp();
                        Variable OpCounts = Math.mul(Variable.constant(INDArray)).add(org.sum());
                        return OpCounts.mul(Layout.sum()).mul(dev).sum();
                    }
                }
                """);
        Compilation c = Sources.compile(t);
        assertThat(c).succeededWithoutWarnings();
        Class<?> d = Sources.load(c, "p.TDerivatives");
        INDArray k = Nd4j.createFromArray(0.1, 0.2, 0.3);
        INDArray tr = Nd4j.createFromArray(0.3, -0.2, 0.5);
        INDArray data = Nd4j.createFromArray(2.0, 3.0, 4.0);
        INDArray layout = Nd4j.createFromArray(1.0, 2.0);
        INDArray org = Nd4j.createFromArray(0.5, 0.25);
        Method gradient = d.getDeclaredMethod("fGradient", INDArray.class, INDArray.class, INDArray.class,
                INDArray.class, INDArray.class, double.class);
        gradient.setAccessible(true);
        Object g = gradient.invoke(null, k, tr, data, layout, org, 2.0);
        // value = sum((exp(k + t) * data + sum(org)) * sum(layout) * dev)
        double value = 0;
        double[] dk = new double[3];
        for (int i = 0; i < 3; i++) {
            double e = Math.exp(k.getDouble(i) + tr.getDouble(i));
            value += (e * data.getDouble(i) + 0.75) * 3.0 * 2.0;
            dk[i] = e * data.getDouble(i) * 3.0 * 2.0;
        }
        assertEquals(value, ((INDArray) Sources.component(g, "value")).getDouble(0), 1e-12);
        INDArray gk = (INDArray) Sources.component(g, "Kernels");
        for (int i = 0; i < 3; i++) assertEquals(dk[i], gk.getDouble(i), 1e-12);
        INDArray gOrg = (INDArray) Sources.component(g, "org");
        assertEquals(3 * 3.0 * 2.0, gOrg.getDouble(0), 1e-12);
    }

    @Test
    void staticFieldsOfLowercaseAndNestedClassesAreRead() {
        JavaFileObject lower = source("p.lower", """
                package p;
                public class lower {
                    public static double k = 2;
                    static class inner { static double j = 5; }
                }
                """);
        JavaFileObject t = source("p.T", """
                package p;
                import dev.tapeless.Differentiable;
                class T {
                    static class Nested { static double n = 7; }
                    @Differentiable
                    static double f(double x) {
                        return lower.k * x + lower.inner.j * x * x + Nested.n;
                    }
                }
                """);
        Compilation c = Sources.compile(lower, t);
        assertThat(c).succeededWithoutWarnings();
        Class<?> d = Sources.load(c, "p.TDerivatives");
        assertEquals(2 * 3.0 + 5 * 9.0 + 7, (double) Sources.call(d, "f", 3.0));
        assertEquals(2 + 5 * 6.0, (double) Sources.component(Sources.call(d, "fGradient", 3.0), "x"));
    }

    @Test
    void sourceClassesNamedLikeTheCompanionsClassesReadTheirOwnFields() throws ReflectiveOperationException {
        JavaFileObject kernels = source("p.Kernels", """
                package p;
                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                public class Kernels {
                    static double scale = 3;
                    @Differentiable
                    static Variable f(Variable x) {
                        return x.exp().mul(scale).sum();
                    }
                }
                """);
        JavaFileObject math = source("p.Math", """
                package p;
                import dev.tapeless.Differentiable;
                public class Math {
                    static double scale = 3;
                    @Differentiable
                    static double g(double x) {
                        return java.lang.Math.sin(x) * scale;
                    }
                }
                """);
        Compilation c = Sources.compile(kernels, math);
        assertThat(c).succeededWithoutWarnings();
        Class<?> d = Sources.load(c, "p.KernelsDerivatives");
        Method gradient = d.getDeclaredMethod("fGradient", INDArray.class);
        gradient.setAccessible(true);
        INDArray x = Nd4j.createFromArray(0.5, -1.0);
        INDArray dx = (INDArray) Sources.component(gradient.invoke(null, x), "x");
        assertEquals(3 * java.lang.Math.exp(-1.0), dx.getDouble(1), 1e-12);
        Class<?> m = Sources.load(c, "p.MathDerivatives");
        assertEquals(3 * java.lang.Math.cos(0.5), (double) Sources.component(Sources.call(m, "gGradient", 0.5), "x"));
    }
}
