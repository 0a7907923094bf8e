package dev.tapeless.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link FusedLoops} and {@link MatrixLoops} share: a pass written as Java statements on
 * doubles, one per primitive, named after the source and commented with its line. A value's
 * {@code ref} is the Java expression that holds it (a local, a literal, a parameter); numbers are
 * computed once, elements once per iteration of the loop that needs them.
 */
abstract class LoopWriter {
    /** Tensor ops that act on each element alone. */
    static final Set<Op> ELEMENTWISE = EnumSet.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.ATAN2,
            Op.HYPOT, Op.MIN, Op.MAX, Op.NEG, Op.EXP, Op.LOG, Op.SQRT, Op.ABS, Op.SIN, Op.COS, Op.TAN, Op.ASIN,
            Op.ACOS, Op.ATAN, Op.SINH, Op.COSH, Op.TANH, Op.SIGMOID, Op.RELU, Op.EXPM1, Op.LOG10, Op.LOG1P, Op.CBRT,
            Op.SIGN, Op.STEP);
    /** Ops on Java numbers that {@link Emitter#asNumbers} writes as Java. */
    static final Set<Op> JAVA = EnumSet.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.ATAN2, Op.HYPOT,
            Op.MIN, Op.MAX, Op.NEG, Op.EXP, Op.LOG, Op.SQRT, Op.ABS, Op.SIN, Op.COS, Op.TAN, Op.ASIN, Op.ACOS,
            Op.ATAN, Op.SINH, Op.COSH, Op.TANH, Op.SIGMOID, Op.RELU, Op.EXPM1, Op.LOG10, Op.LOG1P, Op.CBRT, Op.SIGN,
            Op.STEP, Op.TO_DOUBLE, Op.TO_LONG, Op.TO_INT, Op.GE, Op.GT, Op.EQ, Op.NOT, Op.SELECT, Op.REM);

    final List<Node> nodes;
    final Map<Node, CodeBlock> parameters;
    final Names names;
    final Map<Node, CodeBlock> refs = new HashMap<>();
    /** Refs that are not a name or a literal: {@code (double) length}. */
    final Set<Node> casts = new HashSet<>();
    final CodeBlock.Builder out = CodeBlock.builder();
    Origin lastOrigin = Origin.NONE;
    private final String what;

    LoopWriter(List<Node> nodes, Map<Node, CodeBlock> parameters, Names names, String what) {
        this.nodes = nodes;
        this.parameters = parameters;
        this.names = names;
        this.what = what;
    }

    /** The number of elements a {@code COUNT} node counts, as a double expression, or null when its operand is a number (1). */
    abstract CodeBlock count(Node n);

    /** A value that is one Java number, computed once. */
    final void numberStatement(Node n) {
        switch (n.op()) {
            case PARAM -> refs.put(n, parameters.get(n));
            case CONST -> refs.put(n, Emitter.literal(n));
            case COUNT -> {
                CodeBlock c = count(n);
                refs.put(n, c != null ? c : CodeBlock.of("1.0"));
                if (c != null) casts.add(n);
            }
            case ELEMENT, SUM, MEAN, SUM_TO, EXPAND_LIKE, AS_ARRAY_LIKE, UNREDUCE, RESHAPE_LIKE -> sameAs(n, n.in(0));
            case ZEROS_LIKE -> refs.put(n, CodeBlock.of("0.0"));
            default -> {
                comment(n);
                CodeBlock name = CodeBlock.of("$N", names.fresh(n.name()));
                Emission e = emitter().asNumbers(n);
                out.addStatement("$T $L = $L", n.kind() == Kind.TENSOR ? TypeName.DOUBLE : BodyWriter.javaType(n.kind()),
                        name, e.expression());
                refs.put(n, name);
            }
        }
    }

    /** One element of an elementwise value, in a loop. */
    final void elementStatement(Node n) {
        switch (n.op()) {
            case EXPAND_LIKE, AS_ARRAY_LIKE, UNREDUCE, SUM_TO, RESHAPE_LIKE -> sameAs(n, n.in(0));
            case ZEROS_LIKE -> refs.put(n, CodeBlock.of("0.0"));
            case SIGN -> { // as ND4J's sign: 0 for either zero (and NaN), where Math.signum keeps -0.0
                comment(n);
                CodeBlock name = CodeBlock.of("$N", names.fresh(n.name()));
                CodeBlock x = ref(n.in(0));
                out.addStatement("double $L = $L > 0 ? 1.0 : $L < 0 ? -1.0 : 0.0", name, x, x);
                refs.put(n, name);
            }
            default -> {
                comment(n);
                CodeBlock name = CodeBlock.of("$N", names.fresh(n.name()));
                out.addStatement("double $L = $L", name, emitter().asNumbers(n).expression());
                refs.put(n, name);
            }
        }
    }

    /** The source statement a value comes from, before its first statement. */
    final void comment(Node n) {
        Origin o = n.origin();
        if (!o.equals(lastOrigin) && o.line() > 0) {
            out.add("// $L$L: $L\n", o.adjoint() ? "adjoint of " : "", o.site(), BodyWriter.oneLine(o.statement()));
        }
        lastOrigin = o;
    }

    /** A value that is another as it is: a broadcast of a number, an identity. */
    final void sameAs(Node n, Node value) {
        refs.put(n, ref(value));
        if (casts.contains(value)) casts.add(n);
    }

    final CodeBlock ref(Node n) {
        CodeBlock r = refs.get(n);
        if (r == null) throw new IllegalStateException(what + ": no value for " + n + " (" + n.op() + ")");
        return r;
    }

    final Emitter emitter() {
        return new Emitter(this::ref, n -> casts.contains(n) ? Emission.UNARY : Emission.PRIMARY);
    }
}
