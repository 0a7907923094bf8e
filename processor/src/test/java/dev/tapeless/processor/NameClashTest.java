package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names the companion cannot take: record components Java forbids, members two methods would
 * both need, a companion class name already taken. Each is one error on the user's source that
 * names the clash and what to rename; never a companion that does not compile.
 */
class NameClashTest {

    @ParameterizedTest
    @ValueSource(strings = {"hashCode", "toString", "wait", "getClass", "notify", "notifyAll", "clone", "finalize"})
    void aDifferentiatedParameterNamedLikeAnObjectMethodIsAnErrorOnTheParameter(String name) {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static double f(double x,
                                double %s) { return x * %s; }
                """.formatted(name, name));
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("parameter '" + name + "' would name a component of the generated record FGradient,"
                + " and Java forbids a record component named '" + name + "'").inFile(source).onLineContaining("double " + name + ")");
    }

    @Test
    void aParameterNamedLikeAnObjectMethodButNotDifferentiatedIsFine() {
        Compilation c = Sources.compile(Sources.classT("""
                @Differentiable(wrt = "x")
                static double f(double x, double hashCode, double toString) { return x * hashCode + toString; }
                """));
        Class<?> d = Sources.load(c, "test.TDerivatives");
        Object g = Sources.call(d, "fGradient", 2.0, 3.0, 4.0);
        assertEquals(10.0, (double) Sources.component(g, "value"));
        assertEquals(3.0, (double) Sources.component(g, "x"));
    }

    @Test
    void aDifferentiatedParameterNamedValueIsAnErrorButDataNamedValueIsFine() {
        JavaFileObject bad = Sources.classT("""
                @Differentiable
                static double f(double value) { return value; }
                """);
        assertThat(Sources.compile(bad)).hadErrorContaining(
                "parameter 'value' clashes with the component value() of the generated record FGradient")
                .inFile(bad).onLineContaining("double value");
        Compilation ok = Sources.compile(Sources.classT("""
                @Differentiable(wrt = "x")
                static double f(double x, double value) { return x * value; }
                """));
        assertEquals(6.0, (double) Sources.component(Sources.call(Sources.load(ok, "test.TDerivatives"), "fGradient", 2.0, 3.0),
                "value"));
    }

    @Test
    void aMethodNamedLikeAnotherMethodsGradientIsAnErrorOnTheSecond() {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static double f(double x) { return x * x; }

                @Differentiable
                static double fGradient(double x) { return x; }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("@Differentiable method 'fGradient' needs the method 'fGradient' in the companion,"
                + " which method 'f' needs too; rename one of the two methods").inFile(source)
                .onLineContaining("static double fGradient(");
    }

    @Test
    void methodsWhoseNamesDifferInTheFirstLettersCaseClashOnTheirRecords() {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static double f(double x) { return x * x; }

                @Differentiable
                static double F(double x) { return x; }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("method 'F' needs the nested class 'FGradient' in the companion, which method 'f' needs too")
                .inFile(source).onLineContaining("static double F(");
    }

    @Test
    void nestedClassesThatDifferOnlyInCaseClash() {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static double foo(double x) { return x * x; }

                @Differentiable
                static double fOo(double x) { return x; }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("method 'fOo' needs the nested class 'FOoGradient' in the companion, which method 'foo'"
                + " needs too as 'FooGradient' (class files whose names differ only in case clash").inFile(source)
                .onLineContaining("static double fOo(");
    }

    @Test
    void tensorMethodsWhoseOpCountConstantsWouldClashAreAnError() {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static Variable fooBar(Variable x) { return x.sum(); }

                @Differentiable
                static Variable foo_bar(Variable x) { return x.exp().sum(); }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("method 'foo_bar' needs the constant 'FOO_BAR' in the companion, which method 'fooBar'"
                + " needs too").inFile(source).onLineContaining("foo_bar(Variable x)");
    }

    /** Method t of class T: its constant would hide the class T in the companion, so it is T_METHOD. */
    @Test
    void aDescriptorNamedLikeTheSourceClassTakesASuffix() throws Exception {
        Compilation c = Sources.compile(Sources.classT("""
                @Differentiable
                static double t(double x) { return x * x; }
                """));
        Class<?> d = Sources.load(c, "test.TDerivatives");
        Object described = d.getField("T_METHOD").get(null);
        assertEquals("T.t(x) with respect to x", described.toString());
        assertEquals(0.0, dev.tapeless.runtime.check.GradientCheck.check(
                (dev.tapeless.runtime.check.DifferentiatedMethod) described, 1.5).assertWithin(1e-8).valueDifference());
    }

    /** A static field of class K read by method k: the constant K would hide K, so it is K_METHOD. */
    @Test
    void aDescriptorNamedLikeAClassTheCompanionReadsTakesASuffix() throws Exception {
        Compilation c = Sources.compile(JavaFileObjects.forSourceString("test.K", "package test; public class K { static double s = 2; }"),
                Sources.classT("""
                        @Differentiable
                        static double k(double x) { return K.s * x; }
                        """));
        Class<?> d = Sources.load(c, "test.TDerivatives");
        assertEquals(0.0, dev.tapeless.runtime.check.GradientCheck.check(
                (dev.tapeless.runtime.check.DifferentiatedMethod) d.getField("K_METHOD").get(null), 1.5)
                .assertWithin(1e-8).valueDifference());
    }

    /** Classes of the user's package named like java.lang's that companions use: the companion qualifies those. */
    @Test
    void classesNamedStringThreadLocalAndObjectInTheUsersPackage() {
        Compilation c = Sources.compile(JavaFileObjects.forSourceString("test.String", "package test; public class String {}"),
                JavaFileObjects.forSourceString("test.ThreadLocal", "package test; public class ThreadLocal {}"),
                JavaFileObjects.forSourceString("test.Object", "package test; public class Object {}"),
                Sources.classT("""
                        @Differentiable
                        static Variable g(Variable x, Variable w) { return x.mmul(w).sum(); }

                        @Differentiable
                        static Variable c(Variable x) { return Variable.custom(x.value().mul(2), x); }

                        @dev.tapeless.Derivative(of = "c")
                        static INDArray cPrime(INDArray x, INDArray upstream) { return upstream.mul(2); }
                        """));
        assertThat(c).succeeded();
    }

    /** Every method has a constant describing it ({@code FOO_BAR}), so these clash over doubles too. */
    @Test
    void doubleMethodsWhoseDescriptorConstantsWouldClashAreAnError() {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static double fooBar(double x) { return x * x; }

                @Differentiable
                static double foo_bar(double x) { return x * 3; }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("method 'foo_bar' needs the constant 'FOO_BAR' in the companion, which method 'fooBar'"
                + " needs too").inFile(source).onLineContaining("foo_bar(double x)");
    }

    @Test
    void aClassAlreadyNamedLikeTheCompanionIsAnErrorOnTheSourceClass() {
        JavaFileObject taken = JavaFileObjects.forSourceString("test.TDerivatives", """
                package test;
                public class TDerivatives {}
                """);
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static double f(double x) { return x * x; }
                """);
        Compilation c = Sources.compile(taken, source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("class test.TDerivatives already exists, and Tapeless writes the companion of test.T"
                + " under that name; rename one of the two classes").inFile(source).onLineContaining("public class T");
    }

    @Test
    void twoClassesWhoseCompanionsWouldShareANameAreAnErrorOnTheSecond() {
        JavaFileObject nested = JavaFileObjects.forSourceString("test.A", Sources.IMPORTS + """
                public class A {
                    public static class B {
                        @Differentiable
                        static double f(double x) { return x; }
                    }
                }
                """);
        JavaFileObject flat = JavaFileObjects.forSourceString("test.A_B", Sources.IMPORTS + """
                public class A_B {
                    @Differentiable
                    static double g(double x) { return x; }
                }
                """);
        Compilation c = Sources.compile(nested, flat);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("would be test.A_BDerivatives, which is already the companion of");
    }
}
