package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.fuzz.Ast.Program;
import dev.tapeless.processor.fuzz.BatchCompiler.Outcome;
import dev.tapeless.processor.fuzz.Finding.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the differential fuzzer: generates programs {@code from .. from+count-1} of a run seed,
 * compiles them in batches with the processor, and checks each companion against its source; then
 * compiles mutants of those programs and checks that the processor answers each with a companion
 * that compiles or with diagnostics (and, when a mutant compiles, that its values still match).
 */
final class Fuzzer {
    static final boolean VERBOSE = Boolean.getBoolean("tapeless.fuzz.verbose");

    /** Options of one run; see README "Fuzzing". */
    record Options(long seed, int from, int count, int mutants, boolean mutantsOnly, int batch) {
        static Options fromSystemProperties() {
            return new Options(Long.getLong("tapeless.fuzz.seed", 1L), Integer.getInteger("tapeless.fuzz.from", 0),
                    Integer.getInteger("tapeless.fuzz.count", 500), Integer.getInteger("tapeless.fuzz.mutants", 100),
                    Boolean.getBoolean("tapeless.fuzz.mutantsOnly"), Integer.getInteger("tapeless.fuzz.batch", 50));
        }
    }

    /** What a run did and found. */
    static final class Report {
        final Options options;
        int programs, methods, methodsChecked, rejectedAsDocumented, knownBugHits;
        /** Programs with loops or branches, and methods checked with them. */
        int withControlFlow, methodsCheckedWithControlFlow;
        /** Programs with arrays, and methods checked with them. */
        int withArrays, methodsCheckedWithArrays;
        /** Entry points (f, fGradient) of checked programs with fused loops, and with matrix loops. */
        int withFusedLoops, withMatrixLoops;
        /** Mutants that write one array construct outside the language, and those rejected with the error expected at its line. */
        int arrayMutants, arrayMutantsRejectedThere;
        int mutants, mutantsCompiled, mutantsWithDiagnostics, mutantsReachedProcessor;
        long millis, compileMillis, processorMillis, checkMillis;
        final List<Finding> findings = new ArrayList<>();

        Report(Options options) {
            this.options = options;
        }

        String summary() {
            return String.format("fuzz seed %d, programs %d..%d: %d programs (%d with branches or loops, %d with arrays; %d methods, %d checked, "
                            + "%d of them with branches or loops, %d with arrays; %d rejected as documented, %d hit a known bug; "
                            + "entry points with fused loops %d, with matrix loops %d), "
                            + "%d mutants (%d compiled, %d with diagnostics; %d array mutants, %d of them rejected at the construct); "
                            + "%d finding(s); %.1f s (%.1f ms per program; compile %.1f s of which processor %.1f s, checks %.1f s)%n"
                            + "known-bug switches: %s",
                    options.seed, options.from, options.from + options.count - 1, programs, withControlFlow, withArrays, methods, methodsChecked,
                    methodsCheckedWithControlFlow, methodsCheckedWithArrays, rejectedAsDocumented, knownBugHits, withFusedLoops,
                    withMatrixLoops, mutants, mutantsCompiled,
                    mutantsWithDiagnostics, arrayMutants, arrayMutantsRejectedThere, findings.size(), millis / 1000.0,
                    programs + mutants == 0 ? 0.0 : (double) millis / (programs + mutants), compileMillis / 1000.0,
                    processorMillis / 1000.0, checkMillis / 1000.0, KnownBugs.describe());
        }

        /** One line per distinct kind of failure, then the reproducers (the shortest source of each kind first). */
        String failures(int maxReproducers) {
            Map<String, List<Finding>> byKind = new LinkedHashMap<>();
            for (Finding f : findings) byKind.computeIfAbsent(f.kind() + ": " + signature(f), k -> new ArrayList<>()).add(f);
            StringBuilder sb = new StringBuilder();
            sb.append(findings.size()).append(" finding(s), ").append(byKind.size()).append(" distinct:\n");
            for (Map.Entry<String, List<Finding>> e : byKind.entrySet()) {
                sb.append("  ").append(e.getValue().size()).append(" x ").append(e.getKey()).append('\n');
            }
            int shown = 0;
            for (List<Finding> group : byKind.values()) {
                if (shown++ >= maxReproducers) break;
                Finding smallest = group.stream().min((a, b) -> Integer.compare(a.program().render().length(),
                        b.program().render().length())).orElseThrow();
                sb.append('\n').append(smallest.reproducer());
            }
            return sb.toString();
        }

        /** The first line of the detail with numbers and names blurred, to group similar findings. */
        static String signature(Finding f) {
            List<String> lines = f.detail().lines().toList();
            String first = lines.isEmpty() ? "" : lines.get(0);
            // an internal error: the exception and where it was thrown, not the method's name
            first = first.replaceAll("Tapeless failed on '[^']*' \\(a bug in Tapeless; please report it with this method\\): ", "internal: ");
            first = first.replaceAll("because .*", "");
            for (String l : lines) {
                if (l.strip().startsWith("at ")) {
                    first += " " + l.strip();
                    break;
                }
            }
            if (first.length() > 240) first = first.substring(0, 240);
            return first.replaceAll("^\\S+\\.java:[0-9]+: ", "").replaceAll("fuzz\\.p[0-9]+\\.\\w+", "C")
                    .replaceAll("-?[0-9][0-9.eE+-]*", "#").replaceAll("'[^']*'", "'_'");
        }
    }

    static Report run(Options o) {
        Report report = new Report(o);
        long start = System.nanoTime();
        long processorStart = BatchCompiler.processorNanos;
        List<Program> programs = new ArrayList<>();
        for (int i = o.from(); i < o.from() + o.count(); i++) programs.add(Generator.program(o.seed(), i));
        if (Boolean.getBoolean("tapeless.fuzz.print")) programs.forEach(p -> System.out.println(p.render()));
        if (!o.mutantsOnly()) {
            for (int b = 0; b < programs.size(); b += o.batch()) {
                checkBatch(programs.subList(b, Math.min(programs.size(), b + o.batch())), report, -1);
            }
        }
        List<Program> mutants = new ArrayList<>();
        List<Integer> rounds = new ArrayList<>();
        for (int j = 0; j < o.mutants() && !programs.isEmpty(); j++) {
            int k = j % programs.size(), round = j / programs.size();
            Program p = programs.get(k);
            mutants.add(Mutator.mutate(p, Generator.mix(o.seed() ^ 0x5DEECE66DL, (long) p.index * 1000 + round)));
            rounds.add(round);
        }
        if (Boolean.getBoolean("tapeless.fuzz.print")) mutants.forEach(m -> System.out.println(m.render()));
        for (int b = 0; b < mutants.size(); b += o.batch()) {
            // a batch holds mutants of distinct programs (distinct packages) of one round
            int end = Math.min(mutants.size(), b + o.batch());
            int round = rounds.get(b);
            int stop = b;
            while (stop < end && rounds.get(stop) == round) stop++;
            checkBatch(mutants.subList(b, stop), report, round);
            if (stop < end) checkBatch(mutants.subList(stop, end), report, rounds.get(stop));
        }
        report.millis = (System.nanoTime() - start) / 1_000_000;
        report.processorMillis = (BatchCompiler.processorNanos - processorStart) / 1_000_000;
        return report;
    }

    private static void checkBatch(List<Program> batch, Report report, int mutantRound) {
        boolean mutant = mutantRound >= 0;
        long t0 = System.nanoTime();
        Map<Program, Outcome> outcomes = BatchCompiler.compile(batch);
        report.compileMillis += (System.nanoTime() - t0) / 1_000_000;
        if (VERBOSE) System.err.printf("batch of %d from %s: compiled in %d ms%n", batch.size(), batch.get(0).pkg, (System.nanoTime() - t0) / 1_000_000);
        for (Outcome o : outcomes.values()) {
            Program p = o.program;
            if (mutant) report.mutants++;
            else {
                report.programs++;
                report.methods += p.methods.size();
                if (p.methods.stream().anyMatch(Fuzzer::hasControlFlow)) report.withControlFlow++;
                if (p.methods.stream().anyMatch(Fuzzer::hasArrays)) report.withArrays++;
            }
            List<Finding> f = report.findings;
            if (o.exception != null) {
                f.add(new Finding(Kind.PROCESSOR_EXCEPTION, p, null, null, o.exception, report.options.seed(), mutantRound));
                continue;
            }
            if (!o.internalErrors.isEmpty() && o.internalErrors.stream().allMatch(Fuzzer::knownInternalError)) {
                report.knownBugHits++;
                continue;
            }
            // A condition that folds to a constant through a qualified static final (P.RATE) slips
            // past the generator's check: the same open bug.
            if (!o.internalErrors.isEmpty() && (KnownBugs.CONSTANT_IF_CONDITION || KnownBugs.CONSTANT_IF_AFTER_LOOP)
                    && o.internalErrors.stream().allMatch(e -> e.contains("node used before it is defined"))) {
                report.knownBugHits++;
                continue;
            }
            if (!o.internalErrors.isEmpty()) {
                f.add(new Finding(Kind.INTERNAL_ERROR, p, null, null, String.join("\n", o.internalErrors), report.options.seed(), mutantRound));
                continue;
            }
            boolean userErrors = !o.processorErrors.isEmpty() || !o.javacErrors.isEmpty();
            if (!o.companionErrors.isEmpty() && !userErrors && o.companionErrors.stream().allMatch(Fuzzer::knownCompanionError)) {
                report.knownBugHits++;
                if (VERBOSE) System.err.println("known bug in the companion of " + p + ":\n" + p.render());
                continue;
            }
            if (!o.companionErrors.isEmpty() && !userErrors) {
                f.add(new Finding(Kind.COMPANION_DOES_NOT_COMPILE, p, null, null,
                        String.join("\n", o.companionErrors), report.options.seed(), mutantRound));
                continue;
            }
            if (mutant && p.expectedError != null) {
                report.arrayMutants++;
                String line = p.cls + ".java:" + p.expectedLine() + ": ";
                String words = fixedPart(p.expectedError);
                if (o.processorErrors.stream().anyMatch(e -> e.startsWith(line) && made(p.expectedError, e))) {
                    report.arrayMutantsRejectedThere++;
                } else if (!o.javacErrors.isEmpty() || o.processorErrors.stream().anyMatch(Fuzzer::documentedRejection)) {
                    // no verdict where javac rejects the mutant, or the method already has an error by design
                    if (VERBOSE) System.err.println("array mutant without verdict: " + o.javacErrors + o.processorErrors + "\n" + p.render());
                } else {
                    f.add(new Finding(Kind.NOT_REJECTED, p, null, null, "expected the error '" + words + "...' at " + line
                            + (userErrors || !o.companionErrors.isEmpty() ? "got:\n" + String.join("\n", o.processorErrors)
                                    + String.join("\n", o.companionErrors) : "got none: the mutant compiled"),
                            report.options.seed(), mutantRound));
                    continue;
                }
            }
            if (mutant) {
                if (userErrors || !o.companionErrors.isEmpty()) {
                    report.mutantsWithDiagnostics++;
                    continue;
                }
            } else {
                if (!o.javacErrors.isEmpty()) {
                    f.add(new Finding(Kind.GENERATOR_WROTE_INVALID_JAVA, p, null, null, String.join("\n", o.javacErrors),
                            report.options.seed(), mutantRound));
                    continue;
                }
                if (!o.processorErrors.isEmpty()) {
                    if (o.processorErrors.stream().allMatch(Fuzzer::documentedRejection)) {
                        report.rejectedAsDocumented++;
                        if (VERBOSE) System.err.println("rejected as documented: " + o.processorErrors);
                    } else {
                        f.add(new Finding(Kind.VALID_PROGRAM_REJECTED, p, null, null, String.join("\n", o.processorErrors),
                                report.options.seed(), mutantRound));
                    }
                    continue;
                }
            }
            if (!o.companionWritten || o.loader == null) {
                f.add(new Finding(Kind.NO_COMPANION, p, null, null, "javac succeeded, the processor reported nothing, and no companion "
                        + p.companionName() + " was written", report.options.seed(), mutantRound));
                continue;
            }
            if (mutant) report.mutantsCompiled++;
            long t1 = System.nanoTime();
            Checker checker = new Checker(p, o.loader, report.options.seed(), mutantRound, f);
            int checked = checker.run();
            report.knownBugHits += checker.knownBugHits;
            if (VERBOSE) System.err.printf("  %s checked in %d ms%n", p, (System.nanoTime() - t1) / 1_000_000);
            if (!mutant) {
                report.methodsChecked += checked;
                // (an estimate: methods of a program are checked unless one fails)
                countLoops(o.loader, p, report);
                if (checked == p.methods.size()) {
                    report.methodsCheckedWithControlFlow += (int) p.methods.stream().filter(Fuzzer::hasControlFlow).count();
                    report.methodsCheckedWithArrays += (int) p.methods.stream().filter(Fuzzer::hasArrays).count();
                }
            }
            report.checkMillis += (System.nanoTime() - t1) / 1_000_000;
        }
    }

    /** Counts the entry points of the program's companion that have fused or matrix loops (their ND4J path is checked too). */
    private static void countLoops(ClassLoader loader, Program p, Report report) {
        try {
            for (java.lang.reflect.Field field : loader.loadClass(p.companionName()).getFields()) {
                if (!(field.get(null) instanceof dev.tapeless.runtime.support.OpCounts counts)) continue;
                for (var c : List.of(counts.forward(), counts.gradient())) {
                    if (c.fusedLoops() > 0) report.withFusedLoops++;
                    if (c.hasMatrixLoops()) report.withMatrixLoops++;
                }
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new AssertionError("companion " + p.companionName() + " of a checked program: " + e, e);
        }
    }

    /** Whether an internal error is a known bug whose switch counts it as such. */
    static boolean knownInternalError(String e) {
        return KnownBugs.OPTIMIZER_COPY_CRASH && e.contains("at dev.tapeless.processor.opt.Optimizer.copy(")
                || KnownBugs.REDECLARED_FOREACH_VARIABLE && e.contains("Cannot assign field \"value\"") && e.contains("BodyReader.lambda$restore")
                || (KnownBugs.CONSTANT_IF_CONDITION || KnownBugs.CONSTANT_IF_AFTER_LOOP) && e.contains("node used before it is defined");
    }

    /** Whether an error in a companion is a known bug whose switch counts it as such. */
    static boolean knownCompanionError(String e) {
        return KnownBugs.UNREACHED_ARRAY_PARAMETER && e.contains("double cannot be converted to double[]");
    }

    /** Whether {@code m} has an if or a loop. */
    static boolean hasControlFlow(dev.tapeless.processor.fuzz.Ast.Method m) {
        List<dev.tapeless.processor.fuzz.Ast.Stmt> all = new ArrayList<>();
        for (var s : m.body) s.statements(all);
        return all.stream().anyMatch(s -> s.form != dev.tapeless.processor.fuzz.Ast.StmtForm.DECLARE
                && s.form != dev.tapeless.processor.fuzz.Ast.StmtForm.ASSIGN && s.form != dev.tapeless.processor.fuzz.Ast.StmtForm.RETURN
                && s.form != dev.tapeless.processor.fuzz.Ast.StmtForm.EXPR);
    }

    /** Whether {@code m} has an array parameter or reads or makes an array. */
    static boolean hasArrays(dev.tapeless.processor.fuzz.Ast.Method m) {
        if (m.params.stream().anyMatch(p -> p.type.array())) return true;
        List<dev.tapeless.processor.fuzz.Ast.Stmt> all = new ArrayList<>();
        for (var s : m.body) s.statements(all);
        for (var s : all) {
            List<dev.tapeless.processor.fuzz.Ast.Expr> nodes = new ArrayList<>();
            for (var e : s.expressions()) e.collect(nodes);
            for (var e : nodes) if (e.type != null && e.type.array()) return true;
        }
        return false;
    }

    /** Whether an error on a valid program is one the contract allows ({@link #DOCUMENTED_REJECTIONS}). */
    static boolean documentedRejection(String message) {
        return DOCUMENTED_REJECTIONS.stream().anyMatch(m -> made(m, message));
    }

    /**
     * Whether {@code text} is an error made with {@code m}: its words between the arguments all
     * appear, in order (a message's first words alone may be another's: "@Differentiable method
     * '...' needs ..." and "@Differentiable method '...' must return ...").
     */
    static boolean made(dev.tapeless.processor.diagnostics.Message m, String text) {
        String words = m.format("\u0000", "\u0000", "\u0000", "\u0000", "\u0000", "\u0000");
        int from = 0;
        for (String part : words.split("\u0000")) {
            if (part.isEmpty()) continue;
            int at = text.indexOf(part, from);
            if (at < 0) return false;
            from = at + part.length();
        }
        return true;
    }

    /**
     * Programs javac accepts that Tapeless rejects on purpose, with an error at the construct: names
     * the companion's record or members cannot take (README, "Names"), and a narrowing conversion of
     * a value that depends on a differentiable parameter (its derivative is zero almost everywhere).
     * An error in an inlined callee for one of these reasons is one too.
     */
    private static final java.util.List<dev.tapeless.processor.diagnostics.Message> DOCUMENTED_REJECTIONS = java.util.List.of(
            dev.tapeless.processor.diagnostics.Message.PARAMETER_NAME_CLASH,
            dev.tapeless.processor.diagnostics.Message.PARAMETER_NAME_RESERVED,
            dev.tapeless.processor.diagnostics.Message.MEMBER_CLASH,
            dev.tapeless.processor.diagnostics.Message.NARROWING_NOT_DIFFERENTIABLE);

    /** The words of a message up to its first argument, as they appear in every error it makes. */
    private static String fixedPart(dev.tapeless.processor.diagnostics.Message m) {
        String words = m.format("\u0000", "\u0000", "\u0000", "\u0000", "\u0000", "\u0000");
        int arg = words.indexOf('\u0000');
        String prefix = arg < 0 ? words : words.substring(0, arg);
        if (prefix.length() >= 12) return prefix;
        // A message that starts with an argument: the words after it.
        String rest = words.substring(arg + 1);
        int next = rest.indexOf('\u0000');
        return next < 0 ? rest : rest.substring(0, next);
    }

    /** Runs with system properties (as the test does) from a plain main. */
    public static void main(String[] args) {
        KnownBugs.configure(System.getProperty("tapeless.fuzz.bugs"));
        Report r = run(Options.fromSystemProperties());
        System.out.println(r.summary());
        if (!r.findings.isEmpty()) {
            System.out.println(r.failures(Integer.MAX_VALUE));
            System.exit(1);
        }
    }
}
