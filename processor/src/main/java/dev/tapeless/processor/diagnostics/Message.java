package dev.tapeless.processor.diagnostics;

/**
 * Every message the processor prints, in one place. Each names the construct at fault and says
 * what to do about it.
 */
public enum Message {
    // The method and its annotation.
    NOT_STATIC("@Differentiable applies to static methods; make ''{0}'' static"),
    ABSTRACT("@Differentiable method ''{0}'' has no body to differentiate"),
    OVERLOADED("@Differentiable method ''{0}'' is overloaded; give each overload its own name (the companion names its entry points after the method)"),
    RESULT_TYPE("@Differentiable method ''{0}'' returns {1}; return Variable or double"),
    PARAMETER_TYPE("parameter ''{0}'' has type {1}, which Tapeless cannot read; use Variable or double (differentiable) or INDArray, int, long, boolean (data)"),
    PARAMETER_NAME_CLASH("parameter ''{0}'' clashes with the component {1}() of the generated record; rename the parameter"),
    WRT_UNKNOWN("wrt names ''{0}'', which is not a parameter of ''{1}''; parameters: {2}"),
    WRT_NOT_DIFFERENTIABLE("wrt names ''{0}'', a {1} parameter, which is data; only Variable and double parameters can be differentiated"),
    WRT_DUPLICATE("wrt names ''{0}'' twice"),
    NESTED_IN_GENERIC("@Differentiable method ''{0}'' is in a generic or local class; move it to a top-level or static nested class"),

    // Statements.
    UNSUPPORTED_STATEMENT("{0} is not supported in a @Differentiable method; write straight-line code: local declarations, assignments and one return"),
    CONTROL_FLOW("{0} is not supported yet in a @Differentiable method; write the computation without it (straight-line code)"),
    MISSING_RETURN("@Differentiable method ''{0}'' must end with a return statement"),
    RETURN_NOT_LAST("return must be the last statement of a @Differentiable method"),
    LOCAL_TYPE("local ''{0}'' has type {1}; locals can be Variable, double, int, long, boolean or INDArray (or var)"),
    UNINITIALIZED("local ''{0}'' is read before it is assigned"),
    ASSIGN_TARGET("only local variables can be assigned in a @Differentiable method; ''{0}'' is not one"),
    COMPOUND_ON_TENSOR("''{0}'' on a Variable is not Java; write {1}"),
    TAPE_CALL("Tape.{0}() cannot be used inside a @Differentiable method; only Tape.reset() as a statement, which the generated code drops"),

    // Expressions.
    UNSUPPORTED_EXPRESSION("{0} is not supported in a @Differentiable method"),
    UNKNOWN_NAME("cannot resolve ''{0}'': use a parameter, a local, or a static field"),
    FIELD_PRIVATE("static field ''{0}'' is private to {1}, and the generated companion reads it at run time; make it package-private, or a compile-time constant"),
    FIELD_TYPE("static field ''{0}'' has type {1}; only double, int, long, boolean and INDArray fields can be read"),
    OPERATOR_ON_TENSOR("operator ''{0}'' does not apply to a Variable; call {1} instead"),
    OPERATOR("operator ''{0}'' is not differentiable or not supported; use + - * / on double values"),
    CAST("cast to {0} is not supported; only (double) casts of int or long values"),
    INCREMENT("''{0}'' is not supported in a @Differentiable method; write {1}"),
    CONDITION_OPERATOR("operator ''{0}'' is not supported in a @Differentiable method; a condition is one comparison of two numbers with < <= > >=, used as c ? a : b"),
    CONDITIONAL_ON_TENSOR("''{0}'' applies to double values, not to a Variable; choosing between arrays is not supported yet: pass the chosen array in as an argument"),
    LITERAL("{0} literals are not supported; use a double literal"),
    VARIABLE_METHOD("Variable.{0} is not an op Tapeless can differentiate; ops: {1}"),
    VARIABLE_METHOD_ARGS("Variable.{0} takes {1}"),
    CONSTANT_ARGUMENT("the {0} of {1} must be a compile-time constant (a literal or a static final field)"),
    VARIABLE_CONSTANT_ARG("Variable.constant takes an INDArray parameter, local or static field; create other arrays outside the method and pass them in"),
    TENSOR_ARG_EXPECTED("{0} takes a Variable here, but the argument is a {1}"),
    NUMBER_ARG_EXPECTED("{0} takes a number here, but the argument is a {1}"),
    MATH_FUNCTION("Math.{0} is not supported; supported: {1}"),
    MATH_NOT_DIFFERENTIABLE("Math.{0} has no useful derivative (zero or undefined almost everywhere), so Tapeless rejects it rather than silently dropping the gradient; compute it outside the @Differentiable method and pass the result in as data"),
    MATH_ARITY("Math.{0} takes {1} argument(s)"),
    MATH_ON_TENSOR("Math.{0} takes double values, not a Variable; use the Variable method instead"),
    CALL_NOT_DIFFERENTIABLE("call to ''{0}'', which is not @Differentiable; annotate it with @Differentiable (its source must be in this compilation) or inline it"),
    CALL_NO_SOURCE("call to @Differentiable method ''{0}'' whose source is not in this compilation; Tapeless inlines callees and needs their source"),
    CALL_RECURSIVE("recursive call to ''{0}''; @Differentiable methods are inlined and cannot recurse"),
    CALL_ARGUMENTS("call to ''{0}'' with {1} argument(s); it takes {2}"),
    CALL_INTO_ERROR("cannot inline ''{0}'': its body has an error, reported there ({1})"),
    CALL_UNRESOLVED("cannot resolve the method ''{0}''"),
    KIND_MISMATCH("{0} needs a {1}, but this is a {2}"),

    // Limits of the JVM that generated code cannot get around.
    GRADIENT_RECORD_TOO_LARGE("@Differentiable method ''{0}'' has {1} differentiated parameters, too many for the constructor of its gradient record {2}: it would take {3} parameter slots, and the JVM allows 255 (a double takes two); name fewer of them in @Differentiable(wrt = ...), or pass them in one Variable"),
    PARTS_PARAMETERS("@Differentiable method ''{0}'' is too long for one Java method, and its parameters fill so many of the JVM''s 255 parameter slots that it cannot be split into parts; pass some of them in one Variable"),

    // Internal failures, reported instead of thrown.
    INTERNAL("Tapeless failed on ''{0}'' (a bug in Tapeless; please report it with this method): {1}"),
    NO_TREES("Tapeless needs javac''s tree API (com.sun.source) to read method bodies, and this compiler does not provide it ({0}); build with javac"),
    WRITE_FAILED("could not write {0}: {1}");

    private final String pattern;

    Message(String pattern) {
        this.pattern = pattern;
    }

    public String format(Object... args) {
        return new java.text.MessageFormat(pattern, java.util.Locale.ROOT).format(args);
    }
}
