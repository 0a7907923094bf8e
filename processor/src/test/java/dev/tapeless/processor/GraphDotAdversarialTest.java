package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * -Atapeless.graph on methods of every shape (loops, branches, local arrays, matrices, tensors,
 * nested classes, custom derivatives, inlined calls, Unicode and $ names, comments with quotes and
 * backslashes, zero parameters, a long method): one file each, and Graphviz parses every one.
 */
class GraphDotAdversarialTest {

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @Test
    void d01_manyShapesOfMethods() throws Exception {
        StringBuilder big = new StringBuilder("@Differentiable static double big(double x, double y) {\n double s = x;\n");
        for (int i = 0; i < 40; i++) big.append(" s = s * Math.sin(y + ").append(i).append(") + Math.exp(-s * x) / (1 + y * y);\n");
        big.append(" return s;\n}\n");
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor()).withOptions("-Atapeless.graph=" + dir).compile(
                Sources.classT("""
                @Differentiable static double loops(double x, double[] ws, int n) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        if (i % 2 == 0) { s += ws[i] * x; continue; }
                        else if (s > 3) break;
                        s = s * x - ws[i];
                    }
                    int k = 0;
                    while (k < 3) { s = Math.sin(s) + x; k++; }
                    do { s = s / 2; k--; } while (k > 0);
                    for (double w : ws) s += w * w;
                    double[] local = new double[3];
                    local[0] = s; local[1] += x * s; local[2]++;
                    return local[0] + local[1] * local[2] + (x > 0 && s < 1 ? x : -x);
                }
                @Differentiable static double rows(double[][] m, double x) {
                    double s = 0;
                    for (double[] r : m) for (double v : r) s += v * x;
                    return s;
                }
                @Differentiable static Variable tensor(Variable x, Variable w, double lr) {
                    Variable h = x.mmul(w).tanh();
                    if (lr > 0) h = h.mul(lr);
                    for (int i = 0; i < 2; i++) h = h.add(x.slice(i).sum());
                    return h.sum();
                }
                @Differentiable static double $dollar$(double $a, double _b) { double __c$ = $a * _b; return __c$; }
                @Differentiable static double ünïcödé(double ξ, double 变量) { double π2 = ξ * 变量; return π2 * π2; }
                @Differentiable static double consts(double x) { return x * 1e-300 + Double.NaN * 0 + Double.MAX_VALUE - Double.POSITIVE_INFINITY * 0 + 3L; }
                @Differentiable static double calls(double x) { return $dollar$(x, x) + consts(x); }
                static class Nested {
                    @Differentiable static double inner(double x) { return x * x; }
                }
                @Differentiable static Variable custom(Variable x) { return Variable.custom(x.value().mul(2), x); }
                @dev.tapeless.Derivative(of = "custom")
                static INDArray customPrime(INDArray x, INDArray upstream) { return upstream.mul(2); }
                @Differentiable static double zero() { return 1; }
                @Differentiable static double strings(double x) {
                    double a = x; // a "quoted" comment with a \\ backslash
                    /* "another \\" */ return a * /* "\\ */ x;
                }
                """ + big));
        assertThat(c).succeeded();
        java.util.List<Path> dots;
        try (var files = java.nio.file.Files.list(dir)) {
            dots = files.sorted().toList();
        }
        assertEquals(java.util.List.of("test.T.$dollar$.dot", "test.T.Nested.inner.dot", "test.T.big.dot", "test.T.calls.dot",
                "test.T.consts.dot", "test.T.custom.dot", "test.T.loops.dot", "test.T.rows.dot", "test.T.strings.dot",
                "test.T.tensor.dot", "test.T.zero.dot", "test.T.ünïcödé.dot"),
                dots.stream().map(p -> p.getFileName().toString()).toList());
        String unicode = java.nio.file.Files.readString(dir.resolve("test.T.ünïcödé.dot"));
        assertTrue(unicode.contains("π2 = mul") && unicode.contains("label=\"ξ\""), unicode);
        Path dot = Path.of("/usr/bin/gc"); // parses only: dot would lay the graph out
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(dot), "Graphviz (gc) is not installed");
        for (Path f : dots) {
            // gc exits 0 even on a syntax error: what it prints says
            Process p = new ProcessBuilder(dot.toString(), "-n", f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            assertTrue(!out.contains("rror") && !out.contains("arning") && out.contains("(" + f + ")"),
                    f.getFileName() + ": " + out);
        }
    }
}
