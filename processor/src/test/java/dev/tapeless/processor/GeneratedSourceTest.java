package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the processor writes: it compiles, and for the seed's loss it is exactly the golden text. */
class GeneratedSourceTest {

    static final JavaFileObject SEED = JavaFileObjects.forSourceString("test.Seed", """
            package test;

            import dev.tapeless.Differentiable;
            import dev.tapeless.runtime.Tape;
            import dev.tapeless.runtime.Variable;

            public final class Seed {
                @Differentiable
                public static Variable simple(Variable a, Variable b) {
                    Variable t = a.add(b);
                    return t.mul(b);
                }

                @Differentiable
                public static Variable loss(Variable a, Variable b) {
                    Tape.reset();
                    return simple(a, b).sum();
                }
            }
            """);

    @Test
    void theSeedsCompanionIsTheGoldenText() throws IOException {
        Compilation c = Sources.compile(SEED);
        assertThat(c).succeededWithoutWarnings();
        String generated = c.generatedSourceFile("test.SeedDerivatives").orElseThrow()
                .getCharContent(true).toString();
        String expected = golden("SeedDerivatives.java.txt");
        if (!expected.equals(generated)) {
            Path actual = Path.of("target", "golden-actual", "SeedDerivatives.java.txt");
            Files.createDirectories(actual.getParent());
            Files.writeString(actual, generated);
            assertEquals(expected, generated, "generated source changed; if deliberate, copy "
                    + actual.toAbsolutePath() + " to src/test/resources/golden/");
        }
    }

    @Test
    void everyEntryPointAndRecordIsGenerated() {
        Compilation c = Sources.compile(Sources.classT("""
                @Differentiable(wrt = "w")
                static Variable model(Variable x, Variable w, INDArray data, double s, int n, long m, boolean flag) {
                    Variable y = x.mmul(w).mul(s).add(n).sub(m);
                    return y.mul(Variable.constant(data)).sum();
                }
                """));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.TDerivatives").contentsAsUtf8String()
                .contains("public static ModelGradient modelGradient(INDArray x, INDArray w, INDArray data, double s");
        assertThat(c).generatedSourceFile("test.TDerivatives").contentsAsUtf8String()
                .contains("public static record ModelGradient(INDArray value, INDArray w)");
        assertThat(c).generatedSourceFile("test.TDerivatives").contentsAsUtf8String()
                .contains("public ModelGradient pullback(INDArray upstream)");
        assertThat(c).generatedSourceFile("test.TDerivatives").contentsAsUtf8String()
                .contains("public static final OpCounts MODEL_OPS");
    }

    @Test
    void aNestedClassGetsATopLevelCompanion() {
        Compilation c = Sources.compile(Sources.classT("""
                public static final class Inner {
                    @Differentiable
                    static Variable f(Variable x) {
                        return x.exp().sum();
                    }
                }
                """));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.T_InnerDerivatives").isNotNull();
    }

    @Test
    void callsAcrossClassesAreInlined() {
        JavaFileObject lib = JavaFileObjects.forSourceString("test.Lib", Sources.IMPORTS + """
                public class Lib {
                    @Differentiable
                    public static Variable square(Variable x) {
                        return x.mul(x);
                    }
                }
                """);
        Compilation c = Sources.compile(lib, Sources.classT("""
                @Differentiable
                static Variable f(Variable x) {
                    return Lib.square(x).sum();
                }
                """));
        assertThat(c).succeededWithoutWarnings();
        long line = Sources.lineOf(lib, "return x.mul(x);");
        assertThat(c).generatedSourceFile("test.TDerivatives").contentsAsUtf8String()
                .contains("// Lib.java:" + line + ": return x.mul(x);");
    }

    static String golden(String name) throws IOException {
        try (InputStream in = GeneratedSourceTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new AssertionError("missing golden file " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
