package dev.tapeless.processor.codegen;

import static dev.tapeless.processor.ir.Kind.SCALAR;
import static dev.tapeless.processor.ir.Kind.TENSOR;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.tapeless.processor.ir.Callee;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * One emission per op: the only place that knows ND4J's method names and Java's operators.
 * Tensor results call ND4J (directly where no shape can go wrong, through the support class
 * {@code Kernels} where broadcasting or rank must be checked or undone); Java-number results are
 * plain Java arithmetic and {@code java.lang.Math}.
 */
final class Emitter {
    static final ClassName KERNELS = ClassName.get("dev.tapeless.runtime.support", "Kernels");
    static final ClassName TRANSFORMS = ClassName.get("org.nd4j.linalg.ops.transforms", "Transforms");
    static final ClassName INDARRAY = ClassName.get("org.nd4j.linalg.api.ndarray", "INDArray");
    // java.lang's classes go through $T too: the companion qualifies them when its package has a
    // class of the same name (which would otherwise be what a simple name means there).
    static final ClassName MATH = ClassName.get("java.lang", "Math");
    static final ClassName STRICT_MATH = ClassName.get("java.lang", "StrictMath");
    static final ClassName DOUBLE = ClassName.get("java.lang", "Double");

    static final ClassName CUSTOM = ClassName.get("dev.tapeless.runtime.support", "Custom");

    private final Function<Node, CodeBlock> ref;
    private final ToIntFunction<Node> precedence;
    private final Function<String, ClassName> classNamed;

    /**
     * @param ref        how to refer to an earlier node: its local name, a literal, a field, or the
     *                   expression itself when it is written into its one use
     * @param precedence the precedence of what {@code ref} gives ({@link Emission#PRIMARY} for a name)
     */
    Emitter(Function<Node, CodeBlock> ref, ToIntFunction<Node> precedence) {
        this(ref, precedence, ClassName::bestGuess);
    }

    /** @param classNamed the class of a canonical name (the owner or companion of a function called) */
    Emitter(Function<Node, CodeBlock> ref, ToIntFunction<Node> precedence, Function<String, ClassName> classNamed) {
        this.ref = ref;
        this.precedence = precedence;
        this.classNamed = classNamed;
    }

    Emission emit(Node n) {
        switch (n.op()) {
            case LOAD: return Emission.java("$L[$L]", o(n.in(0), Emission.PRIMARY), r(n.in(1)));
            case LENGTH: return Emission.java("$L.length", o(n.in(0), Emission.PRIMARY));
            case NEW_ARRAY: return Emission.java("new $T[$L]", BodyWriter.javaType(n.kind().element()), r(n.in(0)));
            case ZEROS_LIKE:
                if (n.kind() == Kind.DOUBLE_ARRAY) return Emission.java("new double[$L.length]", o(n.in(0), Emission.PRIMARY));
                break;
            case CALL: return call(n);
            case CALL_ADJOINT: return callAdjoint(n);
            case CALL_GRADIENT: {
                Callee c = n.attrs().callee();
                return Emission.call(counted(c, "vjp", "pullback"), "$T.$N($L).pullback($L)", classNamed.apply(c.companion()),
                        c.method() + "Vjp", arguments(n, n.inputs().size() - 1), r(n.in(n.inputs().size() - 1)));
            }
            case CALL_VJP: {
                Callee c = n.attrs().callee();
                return Emission.call(counted(c, "vjp"), "$T.$N($L)", classNamed.apply(c.companion()), c.method() + "Vjp",
                        arguments(n, n.inputs().size()));
            }
            case CALL_VALUE: return Emission.java("$L.value()", o(n.in(0), Emission.PRIMARY));
            case CALL_PULLBACK: return Emission.call(counted(n.attrs().callee(), "pullback"), "$L.pullback($L)",
                    o(n.in(0), Emission.PRIMARY), r(n.in(1)));
            case CALL_COMPONENT:
                return Emission.java("$L.$N()", o(n.in(0), Emission.PRIMARY),
                        n.attrs().callee().params().get((int) n.attrs().integer()).derivative());
            default:
                break;
        }
        return n.kind() == TENSOR ? tensor(n) : javaNumber(n);
    }

    private CodeBlock r(Node n) {
        return ref.apply(n);
    }

    /** The arguments of a call: its first {@code count} operands. */
    private CodeBlock arguments(Node n, int count) {
        return CodeBlock.join(n.inputs().subList(0, count).stream().map(this::r).toList(), ", ");
    }

    /** The op count of entry point {@code part} ("forward", "vjp", "pullback") of a companion's method. */
    private List<CodeBlock> counted(Callee c, String... parts) {
        if (!c.usesArrays()) return List.of(); // plain Java: no ND4J op
        if (c.way() != Callee.Way.COMPANION || !c.counted()) return List.of(Emission.UNCOUNTED);
        List<CodeBlock> out = new java.util.ArrayList<>();
        for (String part : parts) {
            out.add(CodeBlock.of("$T.$N.$N()", classNamed.apply(c.companion()), CompanionWriter.opsName(c.method()), part));
        }
        return out;
    }

    /**
     * {@code f(args)} of a function not inlined: its companion's forward pass; a function with a
     * custom derivative itself (one over Variables run off the tape, by {@code Custom.value}).
     */
    private Emission call(Node n) {
        Callee c = n.attrs().callee();
        CodeBlock args = arguments(n, n.inputs().size());
        if (c.way() == Callee.Way.COMPANION) {
            return Emission.call(counted(c, "forward"), "$T.$N($L)", classNamed.apply(c.companion()), c.method(), args);
        }
        if (c.result() == TENSOR) {
            return Emission.call(counted(c), "$T.value($T.class, $S$L)", CUSTOM, classNamed.apply(c.owner()), c.method(),
                    n.inputs().isEmpty() ? CodeBlock.of("") : CodeBlock.of(", $L", args));
        }
        return Emission.call(counted(c), "$T.$N($L)", classNamed.apply(c.owner()), c.method(), args);
    }

    /**
     * The adjoint of a parameter of a function with custom derivatives: its derivative method (an
     * array result checked for shape and copied, never an alias of what it was given).
     */
    private Emission callAdjoint(Node n) {
        Callee c = n.attrs().callee();
        int k = (int) n.attrs().integer();
        int count = n.inputs().size() - 1;
        CodeBlock args = arguments(n, count);
        Node g = n.in(count);
        Callee.Param p = c.params().get(k);
        CodeBlock derivative = CodeBlock.of("$T.$N($L$L)", classNamed.apply(c.owner()), p.derivative(), args,
                count == 0 ? CodeBlock.of("$L", r(g)) : CodeBlock.of(", $L", r(g)));
        if (p.kind() == TENSOR) {
            return Emission.call(counted(c), "$T.adjoint($L, $S, $L, $L)", CUSTOM, derivative,
                    c.shortName().replace("." + c.method(), "." + p.derivative()), r(n.in(k)), r(g));
        }
        return Emission.call(counted(c), "$L", derivative);
    }

    /** Operand {@code n} where the grammar needs at least {@code needed}: parenthesized if it binds less. */
    private CodeBlock o(Node n, int needed) {
        CodeBlock c = ref.apply(n);
        return precedence.applyAsInt(n) >= needed ? c : CodeBlock.of("($L)", c);
    }

    /**
     * A Java number operand of an array op, as the source's {@code Variable} method receives it: a
     * {@code double}. ND4J converts a boxed {@code Long} to float in one rounding, where the source
     * rounds a long to double first; ints and doubles convert the same either way.
     */
    private CodeBlock number(Node x) {
        return x.kind() == Kind.LONG ? CodeBlock.of("(double) $L", o(x, Emission.PRIMARY)) : r(x);
    }

    private Emission tensor(Node n) {
        List<Node> in = n.inputs();
        Node a = in.isEmpty() ? null : in.get(0);
        Node b = in.size() > 1 ? in.get(1) : null;
        String site = n.origin().site();
        switch (n.op()) {
            case ADD, SUB, MUL, DIV -> {
                String m = n.op().name().toLowerCase(Locale.ROOT);
                if (a.kind() == TENSOR && b.kind() == TENSOR) {
                    return Emission.op("$T.$L($L, $L, $S)", KERNELS, m, r(a), r(b), site);
                }
                if (a.kind() == TENSOR) return Emission.op("$L.$L($L)", r(a), m, number(b));
                String reversed = switch (n.op()) { case SUB -> "rsub"; case DIV -> "rdiv"; default -> m; };
                return Emission.op("$L.$L($L)", r(b), reversed, number(a));
            }
            case POW -> {
                return Emission.op("$T.pow($L, $L)", TRANSFORMS, r(a), number(b));
            }
            case NEG -> {
                return Emission.op("$L.neg()", r(a));
            }
            case EXP, LOG, SQRT, ABS, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH, SIGMOID, RELU,
                    SIGN, STEP -> {
                return Emission.op("$T.$L($L)", TRANSFORMS, n.op().displayName(), r(a));
            }
            case SUM, MEAN -> {
                if (n.attrs().ints().isEmpty() && !n.attrs().keepDims()) {
                    return Emission.op("$L.$L()", r(a), n.op().displayName());
                }
                return Emission.op("$T.$L($L, $L$L)", KERNELS, n.op().displayName(), r(a),
                        n.attrs().keepDims(), ints(n.attrs().ints()));
            }
            case MMUL -> {
                return Emission.op("$T.mmul($L, $L, $S)", KERNELS, r(a), r(b), site);
            }
            case TRANSPOSE -> {
                return Emission.java("$T.transpose($L)", KERNELS, r(a));
            }
            case RESHAPE -> {
                return Emission.guarded(0, 1, "$T.reshape($L, $S$L)", KERNELS, r(a), site, longs(n.attrs().longs()));
            }
            case EXPAND -> {
                return Emission.guarded(0, 1, "$T.expand($L, $S$L)", KERNELS, r(a), site, longs(n.attrs().longs()));
            }
            case SLICE -> {
                return Emission.op("$T.slice($L, $L, $S)", KERNELS, r(a), r(b), site);
            }
            case UNSLICE -> {
                return Emission.op("$T.unslice($L, $L, $L)", KERNELS, r(a), r(b), r(in.get(2)));
            }
            case SOFTMAX -> {
                return Emission.guarded(3, 3, "$T.softmax($L, $L)", KERNELS, r(a), n.attrs().ints().get(0));
            }
            case LOG_SOFTMAX -> {
                return Emission.guarded(4, 4, "$T.logSoftmax($L, $L)", KERNELS, r(a), n.attrs().ints().get(0));
            }
            case SUM_TO -> {
                if (a.kind() != TENSOR) return Emission.op("$T.filled($L, $L)", KERNELS, r(a), r(b));
                return Emission.guarded(0, 1, "$T.sumTo($L, $L)", KERNELS, r(a), r(b));
            }
            case EXPAND_LIKE -> {
                if (a.kind() != TENSOR) return Emission.op("$T.filled($L, $L)", KERNELS, r(a), r(b));
                return Emission.guarded(0, 1, "$T.expandLike($L, $L)", KERNELS, r(a), r(b));
            }
            case UNREDUCE -> {
                return Emission.guarded(0, 1, "$T.unreduce($L, $L, $L$L)", KERNELS, r(a), r(b),
                        n.attrs().keepDims(), ints(n.attrs().ints()));
            }
            case RESHAPE_LIKE -> {
                return Emission.guarded(0, 1, "$T.reshapeLike($L, $L)", KERNELS, r(a), r(b));
            }
            case MMUL_GRAD_LEFT, MMUL_GRAD_RIGHT -> {
                String m = n.op() == dev.tapeless.processor.ir.Op.MMUL_GRAD_LEFT ? "mmulGradLeft" : "mmulGradRight";
                return Emission.op("$T.$L($L, $L, $L)", KERNELS, m, r(a), r(b), r(in.get(2)));
            }
            case ZEROS_LIKE -> { // Nd4j.zeros allocates zeroed memory: no op runs
                return Emission.java("$T.zerosLike($L)", KERNELS, r(a));
            }
            case AS_ARRAY_LIKE -> {
                return Emission.op("$T.filled($L, $L)", KERNELS, r(a), r(b));
            }
            default -> throw new IllegalStateException("no tensor emission for " + n.op());
        }
    }

    /**
     * The Java arithmetic of an op on numbers, whatever the kind of its node: one element of an
     * elementwise tensor op in a fused loop ({@link FusedLoops}), whose operands are its elements.
     */
    Emission asNumbers(Node n) {
        return javaNumber(n);
    }

    private Emission javaNumber(Node n) {
        List<Node> in = n.inputs();
        Node a = in.isEmpty() ? null : in.get(0);
        Node b = in.size() > 1 ? in.get(1) : null;
        // Left operands of a left-associative operator may bind as tightly as it does, right ones
        // must bind tighter: (a - b) - c is a - b - c, a - (b - c) is not (nor, in floating point,
        // is a + (b + c) the same as a + b + c).
        final int add = Emission.ADDITIVE;
        final int mul = Emission.MULTIPLICATIVE;
        switch (n.op()) {
            case ADD: return Emission.java(add, "$L + $L", o(a, add), o(b, mul));
            case SUB: return Emission.java(add, "$L - $L", o(a, add), o(b, mul));
            case MUL: return Emission.java(mul, "$L * $L", o(a, mul), o(b, Emission.UNARY));
            case DIV: return Emission.java(mul, "$L / $L", o(a, mul), o(b, Emission.UNARY));
            case NEG: return Emission.java(Emission.UNARY, "-$L", o(a, Emission.PRIMARY));
            case TO_DOUBLE: return Emission.java(Emission.UNARY, "(double) $L", o(a, Emission.PRIMARY));
            case TO_LONG: return Emission.java(Emission.UNARY, "(long) $L", o(a, Emission.PRIMARY));
            case TO_INT: return Emission.java(Emission.UNARY, "(int) $L", o(a, Emission.PRIMARY));
            case ELEMENT: return Emission.java(Emission.PRIMARY, "$L.getDouble(0)", o(a, Emission.PRIMARY));
            case GE, GT:
                // a > b is b < a, NaN included: a counter reads better on the left (i < n).
                String symbol = n.op() == dev.tapeless.processor.ir.Op.GT ? ">" : ">=";
                if (b.op() == dev.tapeless.processor.ir.Op.ARG && a.op() != dev.tapeless.processor.ir.Op.ARG) {
                    return Emission.java(Emission.RELATIONAL, "$L $L $L", o(b, add), symbol.replace('>', '<'), o(a, add));
                }
                return Emission.java(Emission.RELATIONAL, "$L $L $L", o(a, add), symbol, o(b, add));
            case SELECT:
                if (n.kind() == Kind.BOOL) {
                    Node c = in.get(2);
                    // Booleans combined: a ? true : b is a || b, a ? b : false is a && b.
                    if (b.isConst(1)) return Emission.java(Emission.OR, "$L || $L", o(a, Emission.OR), o(c, Emission.AND));
                    if (c.isConst(0)) return Emission.java(Emission.AND, "$L && $L", o(a, Emission.AND), o(b, Emission.EQUALITY));
                    if (b.isConst(0)) return Emission.java(Emission.AND, "!$L && $L", o(a, Emission.PRIMARY), o(c, Emission.EQUALITY));
                    if (c.isConst(1)) return Emission.java(Emission.OR, "!$L || $L", o(a, Emission.PRIMARY), o(b, Emission.AND));
                }
                return Emission.java(Emission.CONDITIONAL, "$L ? $L : $L",
                        o(a, Emission.RELATIONAL), o(b, add), o(in.get(2), add));
            case NOT: return Emission.java(Emission.UNARY, "!$L", o(a, Emission.PRIMARY));
            case EQ: return Emission.java(Emission.EQUALITY, "$L == $L", o(a, Emission.RELATIONAL), o(b, Emission.RELATIONAL));
            case REM: return Emission.java(mul, "$L % $L", o(a, mul), o(b, Emission.UNARY));
            case STEP: return Emission.java(Emission.CONDITIONAL, "$L > 0 ? 1.0 : 0.0", o(a, add));
            case SIGN: return Emission.java("$T.signum($L)", MATH, r(a));
            case SIGMOID: return Emission.java(mul, "1.0 / (1.0 + $T.exp(-$L))", MATH, o(a, Emission.PRIMARY));
            case RELU: return Emission.java("$T.max($L, 0.0)", MATH, r(a));
            case POW, ATAN2, HYPOT, MIN, MAX:
                return Emission.java("$T.$L($L, $L)", mathClass(n), n.op().displayName(), r(a), r(b));
            case EXP, LOG, SQRT, ABS, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH, EXPM1, LOG10, LOG1P, CBRT:
                return Emission.java("$T.$L($L)", mathClass(n), n.op().displayName(), r(a));
            case SUM_TO:
                if (n.kind() == SCALAR && a.kind() == TENSOR) {
                    return Emission.guarded(0, 1, "$T.sumToScalar($L)", KERNELS, r(a));
                }
                break;
            case COUNT:
                return Emission.java("$T.count($L$L)", KERNELS, r(a), ints(n.attrs().ints()));
            default:
                break;
        }
        throw new IllegalStateException("no " + n.kind() + " emission for " + n.op());
    }

    /** {@code StrictMath} where the source called it (the frontend marks those nodes), else {@code Math}. */
    private static ClassName mathClass(Node n) {
        return n.attrs().text().equals("StrictMath") ? STRICT_MATH : MATH;
    }

    private static String ints(List<Integer> values) {
        return values.stream().map(v -> ", " + v).collect(Collectors.joining());
    }

    private static String longs(List<Long> values) {
        return values.stream().map(v -> ", " + v + "L").collect(Collectors.joining());
    }

    /** The Java literal of a constant node, exactly its value; negative numbers in parentheses. */
    static CodeBlock literal(Node constant) {
        long integer = constant.attrs().integer();
        return switch (constant.kind()) {
            case INT, LONG -> {
                String s = integer + (constant.kind() == Kind.LONG ? "L" : "");
                yield CodeBlock.of("$L", integer < 0 ? "(" + s + ")" : s);
            }
            case BOOL -> CodeBlock.of("$L", integer != 0);
            default -> literal(constant.attrs().number());
        };
    }

    /** The zero of a kind, as a Java literal. */
    static CodeBlock zero(Kind kind) {
        return switch (kind) {
            case OBJECT -> CodeBlock.of("null");
            case INT -> CodeBlock.of("0");
            case LONG -> CodeBlock.of("0L");
            case BOOL -> CodeBlock.of("false");
            default -> CodeBlock.of("0.0");
        };
    }

    /** A double literal, as Java source. */
    static CodeBlock literal(double value) {
        if (Double.isNaN(value)) return CodeBlock.of("$T.NaN", DOUBLE);
        if (value == Double.POSITIVE_INFINITY) return CodeBlock.of("$T.POSITIVE_INFINITY", DOUBLE);
        if (value == Double.NEGATIVE_INFINITY) return CodeBlock.of("$T.NEGATIVE_INFINITY", DOUBLE);
        if (value == Math.PI) return CodeBlock.of("$T.PI", MATH);
        if (value == Math.E) return CodeBlock.of("$T.E", MATH);
        String s = Double.toString(value);
        // Negative values, -0.0 included, in parentheses: "- -0.0" and "(double) -1.0" read badly, "--0.0" is not Java.
        return CodeBlock.of("$L", Double.doubleToRawLongBits(value) < 0 ? "(" + s + ")" : s);
    }
}
