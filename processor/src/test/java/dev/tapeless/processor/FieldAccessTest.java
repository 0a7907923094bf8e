package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A static field read at run time is read by the companion, a class of the package of the class
 * being processed (the caller's, for an inlined callee): one it cannot access is an error at the
 * read that says why and what to do, never a companion that does not compile.
 */
class FieldAccessTest {

    private static final JavaFileObject LIB = JavaFileObjects.forSourceString("q.Lib", """
            package q;
            import dev.tapeless.Differentiable;
            public class Lib {
                static double hidden = 2;
                protected static double guarded = 3;
                public static double open = 5;
                static class Inner { public static double nested = 7; }

                @Differentiable
                public static double usesHidden(double x) {
                    return hidden * x;
                }

                @Differentiable
                public static double usesGuarded(double x) {
                    return guarded * x;
                }

                @Differentiable
                public static double usesNested(double x) {
                    return Inner.nested * x;
                }

                @Differentiable
                public static double usesOpen(double x) {
                    return open * x;
                }
            }
            """);

    private static JavaFileObject caller(String callee) {
        return JavaFileObjects.forSourceString("p.Caller", """
                package p;
                import dev.tapeless.Differentiable;
                class Caller {
                    @Differentiable
                    static double f(double x) {
                        return q.Lib.%s(x) + x;
                    }
                }
                """.formatted(callee));
    }

    @Test
    void aPrivateNestedClassesFieldIsAnErrorAtTheRead() {
        JavaFileObject source = Sources.classT("""
                private static class Hidden { static double k = 2; }

                @Differentiable
                static double f(double x) {
                    return Hidden.k * x;
                }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("static field 'k' is in the private class test.T.Hidden, so the generated companion,"
                + " in package test, cannot read it at run time; make class Hidden package-private, or make the field a compile-time constant")
                .inFile(source).onLineContaining("return Hidden.k * x;");
    }

    @Test
    void aPackagePrivateFieldReadThroughACalleeFromAnotherPackageIsAnErrorAtTheRead() {
        JavaFileObject caller = caller("usesHidden");
        Compilation c = Sources.compile(LIB, caller);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("static field 'hidden' is package-private in package q, so the generated companion,"
                + " in package p, cannot read it at run time; make it public").inFile(LIB).onLineContaining("return hidden * x;");
    }

    @Test
    void aProtectedFieldReadThroughACalleeFromAnotherPackageIsAnError() {
        Compilation c = Sources.compile(LIB, caller("usesGuarded"));
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("static field 'guarded' is protected in package q").inFile(LIB)
                .onLineContaining("return guarded * x;");
    }

    @Test
    void aFieldOfAPackagePrivateClassOfAnotherPackageIsAnError() {
        Compilation c = Sources.compile(LIB, caller("usesNested"));
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("static field 'nested' is in the package-private class q.Lib.Inner (package q),"
                + " so the generated companion, in package p, cannot read it at run time; make class Inner public")
                .inFile(LIB).onLineContaining("return Inner.nested * x;");
    }

    @Test
    void aPublicFieldReadThroughACalleeFromAnotherPackageIsRead() {
        Compilation c = Sources.compile(LIB, caller("usesOpen"));
        Class<?> d = Sources.load(c, "p.CallerDerivatives");
        assertEquals(5 * 2.0 + 2.0, (double) Sources.call(d, "f", 2.0));
        assertEquals(6.0, (double) Sources.component(Sources.call(d, "fGradient", 2.0), "x"));
        // The callee's own companion, in the callee's package, reads all of them.
        Class<?> lib = Sources.load(c, "q.LibDerivatives");
        assertEquals(2 * 3.0, (double) Sources.call(lib, "usesHidden", 3.0));
        assertEquals(7.0, (double) Sources.component(Sources.call(lib, "usesNestedGradient", 3.0), "x"));
    }
}
