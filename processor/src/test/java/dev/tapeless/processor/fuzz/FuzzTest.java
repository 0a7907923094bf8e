package dev.tapeless.processor.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer in CI: 500 generated programs and 100 mutants with a fixed seed. Any
 * finding fails the build with standalone reproducers (also written to
 * {@code target/fuzz-failures.txt}). Run more with, for example,
 * {@code -Dtapeless.fuzz.count=20000 -Dtapeless.fuzz.seed=7} (see README "Fuzzing").
 */
class FuzzTest {

    @Test
    void generatedProgramsAndTheirMutantsAgreeWithTheirSource() throws IOException {
        KnownBugs.configure(System.getProperty("tapeless.fuzz.bugs"));
        Fuzzer.Report r = Fuzzer.run(Fuzzer.Options.fromSystemProperties());
        System.out.println(r.summary());
        if (!r.findings.isEmpty()) {
            StringBuilder all = new StringBuilder(r.summary()).append("\n\n");
            for (Finding f : r.findings) all.append(f.reproducer()).append('\n');
            Path file = Path.of("target", "fuzz-failures.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, all);
            fail(r.summary() + "\n" + r.failures(5) + "\n(all " + r.findings.size() + " reproducers: " + file.toAbsolutePath() + ")");
        }
        // the run must exercise branches and loops (a known-bug switch, or a generator change,
        // could otherwise turn them off silently)
        if (r.programs >= 100 && r.withControlFlow < r.programs / 3) {
            fail("only " + r.withControlFlow + " of " + r.programs + " programs have branches or loops\n" + r.summary());
        }
        // and arrays, and mutants that break the array language
        if (r.programs >= 100 && Generator.ARRAY_PERCENT > 0 && r.withArrays < r.programs / 6) {
            fail("only " + r.withArrays + " of " + r.programs + " programs have arrays\n" + r.summary());
        }
        // and the Java-loop paths of tensor methods, each checked beside its ND4J path
        if (r.programs >= 100 && (r.withFusedLoops < r.programs / 20 || r.withMatrixLoops < r.programs / 20)) {
            fail("only " + r.withFusedLoops + " entry points with fused loops and " + r.withMatrixLoops + " with matrix loops in "
                    + r.programs + " programs\n" + r.summary());
        }
        if (r.mutants >= 100 && Generator.ARRAY_PERCENT > 0 && r.arrayMutants == 0) {
            fail("no mutant breaks the array language\n" + r.summary());
        }
    }
}
