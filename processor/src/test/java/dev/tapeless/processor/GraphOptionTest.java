package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -Atapeless.graph=DIR}: each method's gradient as a Graphviz graph, DIR/p.C.f.dot. */
class GraphOptionTest {
    @TempDir
    Path dir;

    private static final JavaFileObject SEED = Sources.classT("""
            @Differentiable
            static Variable loss(Variable a, Variable b) {
                Variable t = a.add(b);
                return t.mul(b).sum();
            }

            @Differentiable
            static double twice(double x) { return 2 * x; }
            """);

    private Compilation compile(String directory) {
        return Compiler.javac().withProcessors(new TapelessProcessor()).withOptions("-Atapeless.graph=" + directory).compile(SEED);
    }

    /** The DOT attributes of node {@code label}'s line. */
    private static String nodeLine(String dot, String label) {
        Matcher m = Pattern.compile("(?m)^ *n\\d+ \\[label=\"" + Pattern.quote(label) + "[^\\n]*$").matcher(dot);
        assertTrue(m.find(), "no node " + label + " in\n" + dot);
        return m.group();
    }

    @Test
    void eachMethodsGradientIsAGraphOfItsForwardAndReversePasses() throws IOException {
        assertThat(compile(dir.toString())).succeeded();
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("test.T.loss.dot", "test.T.twice.dot"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        String dot = Files.readString(dir.resolve("test.T.loss.dot"));
        assertTrue(dot.startsWith("digraph \"T.loss\" {"), dot);
        int forward = dot.indexOf("subgraph cluster_forward");
        int reverse = dot.indexOf("subgraph cluster_reverse");
        assertTrue(forward > 0 && reverse > forward, dot);
        // t is read by the reverse pass (d_b = t + b): kept, in the forward cluster.
        String t = nodeLine(dot, "t = add\\nT.java:");
        assertTrue(t.contains("peripheries=2") && dot.indexOf(t) < reverse, t);
        // the value, the sum, is not read by the reverse pass; the adjoints are red, in the reverse cluster
        assertTrue(!nodeLine(dot, "sum[dims=[]]").contains("peripheries"), dot);
        String da = nodeLine(dot, "d_a");
        assertTrue(da.contains("color=\"#c0392b\"") && dot.indexOf(da) > reverse, da);
        assertTrue(dot.contains("color=\"#c0392b\", style=dashed]"), "an edge from a kept value into the reverse pass");
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsAnErrorOnTheMethod() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "");
        Compilation c = compile(file.toString());
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("could not write the graph " + file.resolve("test.T.loss.dot"));
        assertThat(c).hadErrorContaining("check that -Atapeless.graph names a directory Tapeless can write to");
    }
}
