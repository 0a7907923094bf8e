package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.tapeless.runtime.check.DifferentiatedMethod;
import dev.tapeless.runtime.check.GradientCheck;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adversarial checks of the DifferentiatedMethod constants each companion gets: every parameter
 * kind, hostile parameter and class names, private and nested methods, zero parameters, custom
 * derivatives and calls into other companions; each constant runs through GradientCheck.check.
 */
class DescribedMethodAdversarialTest {

    static Loaded ok(JavaFileObject... files) {
        Compilation c = Sources.compile(files);
        if (c.status() != Compilation.Status.SUCCESS) {
            StringBuilder s = new StringBuilder();
            for (Diagnostic<?> d : c.errors()) s.append(d).append('\n');
            fail(s.toString());
        }
        return new Loaded(c);
    }

    static DifferentiatedMethod constant(Loaded l, String companion, String name) throws Exception {
        return (DifferentiatedMethod) l.loadClass(companion).getField(name).get(null);
    }

    static JavaFileObject src(String name, String text) {
        return JavaFileObjects.forSourceString(name, text);
    }

    @Test
    void p01_everyParameterKindInADoubleMethod() throws Exception {
        Loaded l = ok(Sources.classT("""
                @Differentiable
                static double f(double a, double[] xs, int n, long m, boolean b, int[] idx, double[][] rows, long[] ls, boolean[] bs) {
                    double s = a * n + m;
                    for (int i = 0; i < xs.length; i++) s += xs[idx[i]] * rows[i][0] * ls[i] * Math.sin(a);
                    if (b && bs[0]) s = s * 2;
                    return s;
                }
                """));
        DifferentiatedMethod f = constant(l, "test.TDerivatives", "F");
        double[] xs = {1, 2};
        int[] idx = {1, 0};
        double[][] rows = {{3}, {4}};
        GradientCheck.check(f, 0.7, xs, 3, 5L, true, idx, rows, new long[] {2, 3}, new boolean[] {true}).assertWithin(1e-6);
        assertEquals(1.0, xs[0]);
        assertEquals(2.0, xs[1]);
    }

    @Test
    void p02_everyParameterKindInATensorMethod() throws Exception {
        Loaded l = ok(Sources.classT("""
                @Differentiable
                static Variable f(Variable w, INDArray data, double s, int n, boolean b, double[] xs) {
                    Variable y = w.mul(Variable.constant(data)).mul(s * n);
                    if (b) y = y.add(w);
                    return y.mul(xs[0]);
                }
                """));
        DifferentiatedMethod f = constant(l, "test.TDerivatives", "F");
        var w = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        var data = Nd4j.createFromArray(new double[][] {{0.5, 1.5}, {2.5, 3.5}});
        GradientCheck.check(f, w, data, 1.5, 2, true, new double[] {3}).assertWithin(1e-6);
    }

    @Test
    void p03_parametersNamedLikeTheGeneratedCodesNames() throws Exception {
        Loaded l = ok(Sources.classT("""
                @Differentiable
                static double f(double args, double upstream, double List, double Variable, double DifferentiatedMethod, double Kind,
                        double Parameter, double Math, double INDArray) {
                    return args * upstream + List * Variable + DifferentiatedMethod * Kind + Parameter * Math * INDArray;
                }
                @Differentiable
                static Variable g(Variable args, Variable upstream, Variable List, double DifferentiatedMethod) {
                    return args.mul(upstream).add(List).mul(DifferentiatedMethod);
                }
                """));
        GradientCheck.check(constant(l, "test.TDerivatives", "F"), 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0).assertWithin(1e-6);
        var a = Nd4j.createFromArray(1.0, 2.0);
        GradientCheck.check(constant(l, "test.TDerivatives", "G"), a, a.mul(3), a.add(1), 0.5).assertWithin(1e-6);
    }

    @Test
    void p05_theSourceClassNamedVariableOrList() throws Exception {
        Loaded l = ok(src("test.List", """
                package test;
                import dev.tapeless.Differentiable;
                public class List {
                    @Differentiable
                    static dev.tapeless.runtime.Variable list(dev.tapeless.runtime.Variable x) { return x.mul(x).sum(); }
                    @Differentiable
                    static double f(double x) { return x * x; }
                }
                """), src("test.Variable", """
                package test;
                import dev.tapeless.Differentiable;
                public class Variable {
                    @Differentiable
                    static dev.tapeless.runtime.Variable g(dev.tapeless.runtime.Variable x) { return x.mul(x).sum(); }
                }
                """), src("test.DifferentiatedMethod", """
                package test;
                import dev.tapeless.Differentiable;
                public class DifferentiatedMethod {
                    @Differentiable
                    static double h(double x) { return x * x; }
                }
                """));
        GradientCheck.check(constant(l, "test.ListDerivatives", "LIST"), Nd4j.createFromArray(1.0, 2.0)).assertWithin(1e-6);
        GradientCheck.check(constant(l, "test.VariableDerivatives", "G"), Nd4j.createFromArray(1.0, 2.0)).assertWithin(1e-6);
        GradientCheck.check(constant(l, "test.DifferentiatedMethodDerivatives", "H"), 3.0).assertWithin(1e-6);
    }

    @Test
    void p06_zeroParameters() throws Exception {
        Loaded l = ok(Sources.classT("""
                @Differentiable
                static double f() { return Math.exp(1.5); }
                """));
        DifferentiatedMethod f = constant(l, "test.TDerivatives", "F");
        GradientCheck.Report r = GradientCheck.check(f);
        assertEquals(0.0, r.valueDifference());
        assertTrue(r.rows().isEmpty());
    }

    @Test
    void p07_privateMethodsAndPrivateClasses() throws Exception {
        Loaded l = ok(Sources.classT("""
                @Differentiable
                private static double f(double x) { return x * x; }
                private static class Hidden {
                    @Differentiable
                    static double g(double x) { return x * x; }
                }
                static class Open {
                    @Differentiable
                    static double h(double x) { return x * x; }
                    static class Deeper {
                        @Differentiable
                        static Variable k(Variable x) { return x.exp().sum(); }
                    }
                }
                """));
        DifferentiatedMethod f = constant(l, "test.TDerivatives", "F");
        assertTrue(!f.hasSource());
        assertEquals(4.0, (double) f.forward(2.0));
        DifferentiatedMethod g = constant(l, "test.T_HiddenDerivatives", "G");
        assertTrue(!g.hasSource());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> GradientCheck.check(f, 2.0));
        assertTrue(e.getMessage().startsWith("T.f is private"), e.getMessage());
        DifferentiatedMethod h = constant(l, "test.T_OpenDerivatives", "H");
        assertEquals("Open.h", h.name());
        GradientCheck.check(h, 2.0).assertWithin(1e-6);
        DifferentiatedMethod k = constant(l, "test.T_Open_DeeperDerivatives", "K");
        GradientCheck.check(k, Nd4j.createFromArray(0.1, 0.2)).assertWithin(1e-6);
    }

    @Test
    void p08_aMethodWithACustomDerivativeBesideAMethodNamedFDerivativesIsAClash() {
        // Over arrays, f's F_DERIVATIVES (for the tape) and fDerivatives's descriptor would be one field:
        // every method claims its _DERIVATIVES name, over doubles too.
        JavaFileObject source = Sources.classT("""
                @Differentiable static double f(double x) { return Math.floor(x) * 0 + x; }
                @dev.tapeless.Derivative(of = "f")
                static double fPrime(double x, double upstream) { return upstream; }
                @Differentiable static double fDerivatives(double x) { return x * 3; }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorContaining("needs the constant 'F_DERIVATIVES' in the companion");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void p10_aClassNamedStringInTheUsersPackageWithACustomDerivative() throws Exception {
        Loaded l = ok(src("test.String", "package test; public class String {}"),
                Sources.classT("""
                @Differentiable static double f(double x) { return Math.floor(x) * 0 + x; }
                @dev.tapeless.Derivative(of = "f")
                static double fPrime(double x, double upstream) { return upstream; }
                """));
        GradientCheck.check(constant(l, "test.TDerivatives", "F"), 3.5).assertWithin(1e-6);
    }

    @Test
    void p09b_controlWithAnotherMethodName() throws Exception {
        Loaded l = ok(src("test.K", "package test; public class K { static double s = 2; }"),
                Sources.classT("""
                @Differentiable
                static double kk(double x) { return K.s * x; }
                """));
        GradientCheck.check(constant(l, "test.TDerivatives", "KK"), 3.0).assertWithin(1e-6);
    }

    @Test
    void p12_methodsCallingOtherClassesCompanionsAndCustomDerivatives() throws Exception {
        Loaded l = ok(src("q.Lib", """
                package q;
                import dev.tapeless.Differentiable;
                import dev.tapeless.Derivative;
                import dev.tapeless.runtime.Variable;
                import org.nd4j.linalg.api.ndarray.INDArray;
                public class Lib {
                    @Differentiable public static double sq(double x) { return x * x; }
                    @Differentiable public static Variable act(Variable x) { return Variable.custom(x.value().mul(3), x); }
                    @Derivative(of = "act")
                    public static INDArray actPrime(INDArray x, INDArray upstream) { return upstream.mul(3); }
                    @Differentiable public static Variable soft(Variable x) { return x.exp().div(x.exp().sum()); }
                }
                """), Sources.classT("""
                @Differentiable static double f(double x, double y) { return q.Lib.sq(x) * y + q.Lib.sq(y); }
                @Differentiable static Variable g(Variable x, Variable w) { return q.Lib.act(x.mmul(w)).mul(q.Lib.soft(x.mmul(w))); }
                """));
        GradientCheck.check(constant(l, "test.TDerivatives", "F"), 1.3, -0.4).assertWithin(1e-6);
        var x = Nd4j.createFromArray(new double[][] {{0.1, 0.2}, {0.3, -0.4}});
        var w = Nd4j.createFromArray(new double[][] {{0.5, -0.1, 0.2}, {0.3, 0.7, -0.6}});
        GradientCheck.Report r = GradientCheck.check(constant(l, "test.TDerivatives", "G"), x, w);
        r.assertWithin(1e-6);
        GradientCheck.check(constant(l, "q.LibDerivatives", "ACT"), x).assertWithin(1e-6);
    }

    @Test
    void p13_overVariablesOnlyVariableParametersAreReported() throws Exception {
        Loaded l = ok(Sources.classT("""
                @Differentiable
                static Variable f(Variable w, double s, double[] xs) { return w.mul(s * xs[0]).sum(); }
                @Differentiable(wrt = "w")
                static Variable g(Variable w, Variable v) { return w.mul(v).sum(); }
                """));
        DifferentiatedMethod f = constant(l, "test.TDerivatives", "F");
        GradientCheck.Report r = GradientCheck.check(f, Nd4j.createFromArray(1.0, 2.0), 1.5, new double[] {3});
        // Over Variables only Variable parameters are checked (documented); s and xs are differentiated but get no row.
        assertEquals(java.util.List.of("w", "s", "xs"), f.wrt());
        assertEquals(java.util.List.of("w"), r.rows().stream().map(GradientCheck.Row::parameter).toList());
        r.assertWithin(1e-6);
        GradientCheck.check(constant(l, "test.TDerivatives", "G"), Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(3.0, 4.0))
                .assertWithin(1e-8);
    }
}
