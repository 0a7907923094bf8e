package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.fuzz.Ast.Program;

/**
 * One failure: what kind, where, and everything needed to reproduce it without the fuzzer (the
 * program's full source, the inputs, the expected and actual values, and the command that
 * regenerates exactly this program).
 */
record Finding(Kind kind, Program program, String method, String inputs, String detail, long runSeed, int mutantRound) {

    enum Kind {
        /** The processor threw out of javac (an exception, not a diagnostic). */
        PROCESSOR_EXCEPTION,
        /** The processor reported an internal error ("a bug in Tapeless"). */
        INTERNAL_ERROR,
        /** The companion class does not compile, and the processor reported nothing on the source. */
        COMPANION_DOES_NOT_COMPILE,
        /** Neither a companion nor an error on the source. */
        NO_COMPANION,
        /** The processor rejected a program of the supported language. */
        VALID_PROGRAM_REJECTED,
        /** javac rejected a generated program: a bug in the generator, not in Tapeless. */
        GENERATOR_WROTE_INVALID_JAVA,
        /** The fuzzer's interpreter disagrees with the compiled source: a bug in the fuzzer, not in Tapeless. */
        INTERPRETER_DISAGREES,
        /** A double method's value differs from the source's, bit for bit. */
        FORWARD_VALUE,
        /** A tensor value differs from the tape's. */
        TENSOR_VALUE,
        /** A gradient differs from the tape's gradient. */
        GRADIENT_VS_TAPE,
        /** A gradient differs from central finite differences. */
        GRADIENT_VS_FINITE_DIFFERENCES,
        /** A gradient is not finite where finite differences are. */
        GRADIENT_OVERFLOW,
        /** pullback is not linear in its upstream, or differs from the gradient. */
        PULLBACK,
        /** A Vjp's pullback depends on state changed after the forward pass (a mutable static field). */
        VJP_STATE,
        /** An input (or the upstream) was written to. */
        INPUT_WRITTEN,
        /** A result shares memory with an input or another result. */
        ALIASING,
        /** The companion throws where the source does not, or the other way round. */
        EXCEPTION_MISMATCH,
        /** The companion's shape of API (methods, record components) differs from the contract. */
        API,
        /**
         * A mutant with one array construct outside the language (a write into a parameter's array,
         * an array made in a branch or loop, an alias, a whole array assigned) did not get its error
         * at that construct.
         */
        NOT_REJECTED,
    }

    String rerunCommand() {
        return "mvn -B -q -pl processor -am test -Dtest=FuzzTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dtapeless.fuzz.seed=" + runSeed + " -Dtapeless.fuzz.from=" + program.index
                + " -Dtapeless.fuzz.count=1"
                + (mutantRound >= 0 ? " -Dtapeless.fuzz.mutants=" + (mutantRound + 1) + " -Dtapeless.fuzz.mutantsOnly=true" : "");
    }

    /** The standalone reproducer: heading, mismatch, inputs, command, then the whole source. */
    String reproducer() {
        StringBuilder sb = new StringBuilder();
        sb.append("=== FUZZ FAILURE ").append(kind).append(" in ").append(program.qualifiedName());
        if (method != null) sb.append('.').append(method);
        sb.append(mutantRound >= 0 ? " (mutant)" : "").append(" ===\n");
        sb.append(detail.strip()).append('\n');
        if (inputs != null) sb.append("inputs: ").append(inputs).append('\n');
        sb.append("rerun: ").append(rerunCommand()).append('\n');
        sb.append("--- ").append(program.pkg.replace('.', '/')).append('/').append(program.cls).append(".java ---\n");
        sb.append(program.render());
        for (String[] extra : program.extraClasses) {
            sb.append("--- ").append(program.pkg.replace('.', '/')).append('/').append(extra[0]).append(".java ---\n");
            sb.append(extra[1]);
        }
        return sb.toString();
    }
}
