package dev.tapeless.processor.frontend;

import dev.tapeless.processor.ir.Op;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The names the frontend understands: {@code Variable}'s ops and {@code java.lang.Math}'s functions. */
final class Vocabulary {
    private Vocabulary() {}

    static final String VARIABLE = "dev.tapeless.runtime.Variable";
    static final String TAPE = "dev.tapeless.runtime.Tape";
    static final String INDARRAY = "org.nd4j.linalg.api.ndarray.INDArray";
    static final String STRICT_MATH = "java.lang.StrictMath";
    static final Set<String> MATH = Set.of("java.lang.Math", STRICT_MATH);

    /** {@code x.op()}: elementwise and structural ops without arguments. */
    static final Map<String, Op> TENSOR_UNARY = Map.ofEntries(
            Map.entry("neg", Op.NEG), Map.entry("exp", Op.EXP), Map.entry("log", Op.LOG),
            Map.entry("sqrt", Op.SQRT), Map.entry("abs", Op.ABS), Map.entry("sin", Op.SIN),
            Map.entry("cos", Op.COS), Map.entry("tanh", Op.TANH), Map.entry("sigmoid", Op.SIGMOID),
            Map.entry("relu", Op.RELU), Map.entry("transpose", Op.TRANSPOSE));

    /** {@code x.op(y)} with a Variable or a number {@code y}. */
    static final Map<String, Op> TENSOR_BINARY = Map.of(
            "add", Op.ADD, "sub", Op.SUB, "mul", Op.MUL, "div", Op.DIV, "rsub", Op.SUB, "rdiv", Op.DIV);

    /** The other Variable ops, whose arguments are read specially. */
    static final Set<String> TENSOR_SPECIAL = Set.of(
            "pow", "sum", "mean", "mmul", "reshape", "expand", "softmax", "logSoftmax", "slice");

    static final Map<String, Op> MATH_UNARY = Map.ofEntries(
            Map.entry("sin", Op.SIN), Map.entry("cos", Op.COS), Map.entry("tan", Op.TAN),
            Map.entry("asin", Op.ASIN), Map.entry("acos", Op.ACOS), Map.entry("atan", Op.ATAN),
            Map.entry("sinh", Op.SINH), Map.entry("cosh", Op.COSH), Map.entry("tanh", Op.TANH),
            Map.entry("exp", Op.EXP), Map.entry("expm1", Op.EXPM1), Map.entry("log", Op.LOG),
            Map.entry("log10", Op.LOG10), Map.entry("log1p", Op.LOG1P), Map.entry("sqrt", Op.SQRT),
            Map.entry("cbrt", Op.CBRT), Map.entry("abs", Op.ABS));

    static final Map<String, Op> MATH_BINARY = Map.of(
            "atan2", Op.ATAN2, "pow", Op.POW, "hypot", Op.HYPOT, "min", Op.MIN, "max", Op.MAX);

    /** Functions whose derivative is zero or undefined almost everywhere: rejected, never zeroed. */
    static final Set<String> MATH_NOT_DIFFERENTIABLE = Set.of(
            "random", "floor", "ceil", "round", "rint", "signum", "floorDiv", "floorMod", "ceilDiv",
            "ulp", "nextUp", "nextDown", "nextAfter", "getExponent", "IEEEremainder", "copySign", "toIntExact");

    static final Map<String, Double> MATH_CONSTANTS = Map.of("PI", Math.PI, "E", Math.E);

    static String variableOps() {
        Set<String> all = new TreeSet<>(TENSOR_UNARY.keySet());
        all.addAll(TENSOR_BINARY.keySet());
        all.addAll(TENSOR_SPECIAL);
        return String.join(" ", all);
    }

    static String mathFunctions() {
        Set<String> all = new TreeSet<>(MATH_UNARY.keySet());
        all.addAll(MATH_BINARY.keySet());
        return String.join(" ", all);
    }
}
