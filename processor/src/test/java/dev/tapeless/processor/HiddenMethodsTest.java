package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code @Differentiable} methods of classes that have no name (local, anonymous, enum-constant
 * bodies), which javac does not list among the annotated elements: each is an error on the method,
 * even when nothing else in the compilation is annotated.
 */
class HiddenMethodsTest {

    @Test
    void methodsOfLocalAnonymousAndEnumConstantClassesAreErrorsOnTheMethod() {
        JavaFileObject source = JavaFileObjects.forSourceString("test.Hidden", """
                package test;

                import dev.tapeless.Differentiable;

                class Hidden {
                    Object anonymous = new Object() {
                        @Differentiable static double inAnonymous(double x) { return x * x; }
                    };

                    enum E {
                        A {
                            @Differentiable static double inConstant(double x) { return x * x; }
                        };
                    }

                    static void m() {
                        class Local {
                            @dev.tapeless.Differentiable static double inLocal(double x) { return x * x; }
                        }
                    }
                }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(3);
        assertThat(c).hadErrorContaining("@Differentiable method 'inAnonymous' is in an anonymous class, which generated code"
                + " cannot name; move the method to a top-level class or a static nested class")
                .inFile(source).onLineContaining("inAnonymous(double x)");
        assertThat(c).hadErrorContaining("@Differentiable method 'inConstant' is in the body of enum constant A")
                .inFile(source).onLineContaining("inConstant(double x)");
        assertThat(c).hadErrorContaining("@Differentiable method 'inLocal' is in a local class")
                .inFile(source).onLineContaining("inLocal(double x)");
    }

    @Test
    void aClassInsideALocalClassIsHiddenToo() {
        JavaFileObject source = Sources.classT("""
                static void m() {
                    class Local {
                        static class Member {
                            @Differentiable static double deep(double x) { return x; }
                        }
                    }
                }

                @Differentiable
                static double visible(double x) { return x; }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("'deep' is in a local class").inFile(source).onLineContaining("deep(double x)");
    }

    @Test
    void anotherAnnotationNamedDifferentiableIsNotOurs() {
        JavaFileObject other = JavaFileObjects.forSourceString("other.Differentiable", """
                package other;
                public @interface Differentiable {}
                """);
        JavaFileObject source = JavaFileObjects.forSourceString("test.Mine", """
                package test;
                import other.Differentiable;
                class Mine {
                    Object o = new Object() {
                        @Differentiable static double f(double x) { return x; }
                    };
                }
                """);
        assertThat(Sources.compile(other, source)).succeededWithoutWarnings();
    }
}
