package dev.tapeless.processor.diagnostics;

/**
 * Every message the processor prints, in one place. Each names the construct at fault and says
 * what to do about it.
 */
public enum Message {
    // The method and its annotation.
    NOT_STATIC("@Differentiable method ''{0}'' is not static; make it static (the companion calls it without an object)"),
    ABSTRACT("@Differentiable method ''{0}'' has no body to differentiate; give it one, or remove @Differentiable"),
    OVERLOADED("@Differentiable method ''{0}'' is overloaded; give each overload its own name (the companion names its entry points after the method)"),
    MEMBER_CLASH("@Differentiable method ''{0}'' needs the {1} ''{2}'' in the companion, which method ''{3}'' needs too{4}; rename one of the two methods"),
    RESULT_TYPE("@Differentiable method ''{0}'' returns {1}; return Variable or double"),
    PARAMETER_TYPE("parameter ''{0}'' has type {1}, which Tapeless cannot read; use Variable, double or double[] (differentiable) or INDArray, int, long, boolean, their arrays or double[][] (data)"),
    PARAMETER_NAME_CLASH("parameter ''{0}'' clashes with the component value() of the generated record {1}, which holds the method''s value; rename the parameter"),
    PARAMETER_NAME_RESERVED("parameter ''{0}'' would name a component of the generated record {1}, and Java forbids a record component named ''{0}'' (its accessor would clash with Object.{0}()); rename the parameter"),
    WRT_UNKNOWN("wrt names ''{0}'', which is not a parameter of ''{1}''; parameters: {2}"),
    WRT_NOT_DIFFERENTIABLE("wrt names ''{0}'', {1} parameter, which is data; only Variable, double and double[] parameters can be differentiated"),
    WRT_DUPLICATE("wrt names ''{0}'' twice; name each parameter once"),
    GENERIC_CLASS("@Differentiable method ''{0}'' is in the generic class {1}; move it to a class without type parameters"),
    UNREACHABLE_CLASS("@Differentiable method ''{0}'' is in {1}, which generated code cannot name; move the method to a top-level class or a static nested class"),
    COMPANION_EXISTS("class {0} already exists, and Tapeless writes the companion of {1} under that name; rename one of the two classes"),
    COMPANION_CLASH("the companion of {0} would be {1}, which is already the companion of {2}; rename one of the two classes"),

    // Statements.
    UNSUPPORTED_STATEMENT("{0} is not supported in a @Differentiable method; use local declarations, assignments, if/else, for, while, do, break, continue and return"),
    CONTROL_FLOW("{0} is not supported in a @Differentiable method; write it with if/else, for, while, do, break, continue and return"),
    LABEL("the label ''{0}'' is not supported: Tapeless does not follow labeled break and continue; use a boolean local and test it in the loop''s condition"),
    MISSING_RETURN("@Differentiable method ''{0}'' must return a value on every path; end it with a return statement"),
    UNREACHABLE("this statement can never run: the statement before it always returns, breaks or continues; remove it"),
    LOCAL_TYPE("local ''{0}'' has type {1}; locals can be Variable, double, int, long, boolean, INDArray (or var), or double[], int[], long[], boolean[] arrays"),
    ARRAY_INITIALIZER("array local ''{0}'' must be a new array of its own (new double[n], or '{' a, b, ... '}'); Tapeless does not follow two names for one array: read ''{1}'' directly, or copy it element by element"),
    ARRAY_REASSIGNED("array local ''{0}'' is assigned a whole new value; write its elements instead ({0}[i] = ...), or use another local"),
    ARRAY_PARAMETER_WRITE("writing into ''{0}'' would change the caller''s array, a side effect the generated code does not repeat; copy what you change into a local array (new {1}[n]) and write that"),
    ARRAY_UNINITIALIZED("array local ''{0}'' must be created where it is declared: double[] {0} = new double[n] (or int[], long[], boolean[])"),
    ARRAY_IN_REGION("array local ''{0}'' is created inside a branch or loop, after a statement that may return, or in a method called from one of those places; create it at the top level of the method, before any return, and reuse it"),
    ARRAY_INDEX("an array index must be an int, but this is {0}"),
    UNINITIALIZED("local ''{0}'' is read before it is assigned; assign it first"),
    ASSIGN_TARGET("''{0}'' is not a local variable, and only locals can be assigned in a @Differentiable method; assign a local and return the result"),
    COMPOUND_ON_TENSOR("''{0}'' on a Variable is not Java; write {1}"),
    TAPE_CALL("Tape.{0}() cannot be used inside a @Differentiable method, whose generated code records no tape; only Tape.reset() is allowed, as a statement (the generated code drops it)"),

    // Expressions.
    UNSUPPORTED_EXPRESSION("{0} is not supported in a @Differentiable method; compute it outside the method and pass the result in as a parameter"),
    UNKNOWN_NAME("cannot resolve ''{0}'': use a parameter, a local, or a static field"),
    NO_THIS("''{0}'' does not exist in a @Differentiable method, which is static; use its parameters, locals and static fields"),
    DATA_METHOD("''{0}'' is an INDArray, which is data in a @Differentiable method, so Tapeless does not call its methods; compute {1} outside the method and pass the result in, or wrap the array with Variable.constant({0}) to use Variable''s ops"),
    FIELD_INACCESSIBLE("static field ''{0}'' {1}, so the generated companion, in package {2}, cannot read it at run time; {3}, or make the field a compile-time constant (static final with a constant value), or pass its value in as a parameter"),
    FIELD_TYPE("static field ''{0}'' has type {1}; only double, int, long, boolean and INDArray fields can be read: pass its value in as a parameter instead"),
    OPERATOR_ON_TENSOR("operator ''{0}'' does not apply to a Variable; call {1} instead"),
    OPERATOR("operator ''{0}'' is not supported in a @Differentiable method; use + - * / and unary -, or compute the value outside the method and pass it in"),
    CAST("cast to {0} is not supported in a @Differentiable method; cast numbers to double, long or int, or compute the value outside the method and pass it in"),
    NARROWING_NOT_DIFFERENTIABLE("this conversion of a double to {0} depends on a differentiable parameter, and its derivative is zero almost everywhere, so Tapeless rejects it rather than silently dropping the gradient; compute the {0} outside the @Differentiable method and pass it in as data"),
    REMAINDER_KIND("operator ''%'' takes ints or longs here, but an operand is {0}; a remainder of doubles is not differentiable everywhere: compute it outside the method and pass it in"),
    CONDITIONAL_ON_TENSOR("''{0}'' applies to double values, not to a Variable; choosing between arrays is not supported yet: pass the chosen array in as an argument"),
    LITERAL("{0} literals are not supported; use a double literal"),
    VARIABLE_METHOD("Variable.{0} is not an op Tapeless can differentiate; ops: {1}"),
    VARIABLE_METHOD_ARGS("Variable.{0} takes {1}"),
    CONSTANT_ARGUMENT("the {0} of {1} must be a compile-time constant (a literal or a static final field)"),
    REPEATED_DIMENSION("Variable.{0} names dimension {1} twice; name each axis once"),
    VARIABLE_CONSTANT_ARG("Variable.constant takes an INDArray parameter, local or static field; create other arrays outside the method and pass them in"),
    TENSOR_ARG_EXPECTED("{0} takes a Variable here, but the argument is {1}"),
    NUMBER_ARG_EXPECTED("{0} takes a number here, but the argument is {1}"),
    MATH_FUNCTION("{0} is not supported; use one of {1}, or compute the value outside the method and pass it in"),
    MATH_NOT_DIFFERENTIABLE("{0} has no useful derivative (zero or undefined almost everywhere), so Tapeless rejects it rather than silently dropping the gradient; compute it outside the @Differentiable method and pass the result in as data"),
    MATH_ARITY("{0} takes {1,choice,1#one argument|1<{1} arguments}"),
    MATH_ON_TENSOR("{0} takes double values, not a Variable; use the Variable method instead"),
    CALL_NOT_DIFFERENTIABLE("call to ''{0}'', which is not @Differentiable; annotate it with @Differentiable (it is in this compilation), or write its computation in this method"),
    CALL_LIBRARY("call to {0}, whose source is not in this compilation, so Tapeless cannot differentiate through it; {1}"),
    CALL_NO_COMPANION("call to {0}, which is @Differentiable but compiled without Tapeless: its companion {1} is not on the class path; build its library with the Tapeless processor (annotationProcessorPaths), or wrap the call in a @Differentiable method of your own and give that a @Derivative"),
    CALL_COMPANION_MISMATCH("call to {0}: its companion {1} does not match it ({2}); rebuild the library with this version of the Tapeless processor"),
    CALL_PARAMETER_NAMES("call to {0}: its class file keeps no parameter names, so Tapeless cannot tell which parameters its companion differentiates; build its library with debug information (javac -g, Maven''s default) or -parameters"),
    CALL_WRT("the argument for parameter ''{0}'' of {1} depends on what this method is differentiated with respect to, but {1} is differentiated only with respect to {2}; add ''{0}'' to its @Differentiable(wrt = ...), or pass a value that does not depend on a differentiated parameter"),
    CALL_ARRAY_DERIVATIVE("the argument for parameter ''{0}'' of {1} is a double[] that depends on what this method is differentiated with respect to; Tapeless takes the derivative of a double[] through a call only when it inlines the callee (its source in this compilation); pass the elements as doubles, or compute the array outside"),
    CALL_RECURSIVE("recursive call to ''{0}''; @Differentiable methods cannot recurse: write the computation without recursion"),
    CALL_CUSTOM_ERROR("cannot call ''{0}'': its custom derivative has an error, reported there ({1}); fix that error first"),
    DERIVATIVE_OF_UNKNOWN("@Derivative(of = \"{0}\"): {1} has no @Differentiable method named ''{0}''; name a @Differentiable static method of this class"),
    DERIVATIVE_SIGNATURE("derivative ''{0}'' must be a static method that is not private (the companion calls it)"),
    DERIVATIVE_WRT_NEEDED("@Derivative of ''{0}'' must name its parameter, because ''{0}'' is differentiated with respect to {1}: write @Derivative(of = \"{0}\", wrt = \"...\")"),
    DERIVATIVE_WRT_UNKNOWN("@Derivative(wrt = \"{0}\"): ''{1}'' is not differentiated with respect to a parameter ''{0}''; it is with respect to {2}"),
    DERIVATIVE_DUPLICATE("a second @Derivative of ''{0}'' with respect to ''{1}'' (the first is ''{2}''); keep one"),
    DERIVATIVE_PARAMETERS("derivative ''{0}'' must take ({1}): the parameters of ''{2}'' in order (INDArray for a Variable), then the upstream adjoint of its result"),
    DERIVATIVE_RESULT("derivative ''{0}'' returns {1}, but the adjoint of ''{2}'' is {3}; return {3}"),
    DERIVATIVE_MISSING("''{0}'' has a custom derivative, but none with respect to ''{1}''; add a method with @Derivative(of = \"{0}\", wrt = \"{1}\"), or leave ''{1}'' out of its @Differentiable(wrt = ...)"),
    CUSTOM_PARAMETER("''{0}'' has a custom derivative, which Tapeless cannot take with respect to {1} parameter ''{2}''; {3}"),
    CUSTOM_PRIVATE("''{0}'' has a custom derivative, so generated code calls it; make {1} not private"),
    CUSTOM_BODY("''{0}'' has a custom derivative and works on Variables, so it must return Variable.custom(value, {1}): the runtime tape then uses the same derivative"),
    CALL_ARGUMENTS("call to ''{0}'' with {1,choice,0#no arguments|1#one argument|1<{1} arguments}; it takes {2}"),
    CALL_INTO_ERROR("cannot inline ''{0}'': its body has an error, reported there ({1}); fix that error first"),
    CALL_NO_OVERLOAD("Tapeless cannot tell which method ''{0}'' a call with arguments ({1}) means among {2}; give the @Differentiable method its own name"),
    CALL_UNRESOLVED("cannot resolve the method ''{0}''; call a @Differentiable method, a Math function or a Variable op"),
    KIND_MISMATCH("this is {1}, but {0} is needed here (the type of the local, parameter or result it goes to); change that type, or compute {0}"),
    CONDITION_KIND("{0} is {1}, but it must be a boolean; write a comparison such as x > y, a boolean local, or conditions joined with && || !"),

    // Limits of the JVM that generated code cannot get around.
    GRADIENT_RECORD_TOO_LARGE("@Differentiable method ''{0}'' has {1} differentiated parameters, too many for the constructor of its gradient record {2}: it would take {3} parameter slots, and the JVM allows 255 (a double takes two); name fewer of them in @Differentiable(wrt = ...), or pass them in one Variable"),
    PARTS_PARAMETERS("@Differentiable method ''{0}'' is too long for one Java method, and its parameters fill so many of the JVM''s 255 parameter slots that it cannot be split into parts; pass some of them in one Variable"),

    // Internal failures, reported instead of thrown.
    INTERNAL("Tapeless failed on ''{0}'' (a bug in Tapeless; please report it with this method): {1}"),
    NO_TREES("Tapeless needs javac''s tree API (com.sun.source) to read method bodies, and this compiler does not provide it ({0}); build with javac"),
    GRAPH_WRITE_FAILED("could not write the graph {0}: {1}; check that -Atapeless.graph names a directory Tapeless can write to"),
    WRITE_FAILED("could not write {0}: {1}; check that the generated-sources directory is writable and that nothing else writes that class");

    private final String pattern;

    Message(String pattern) {
        this.pattern = pattern;
    }

    public String format(Object... args) {
        return new java.text.MessageFormat(pattern, java.util.Locale.ROOT).format(args);
    }

    /** The text with {@code {n}} where arguments go, as the README's list of errors shows it. */
    public String pattern() {
        return pattern;
    }

    /** {@code "an int"}, {@code "a double"}: a noun with its indefinite article, for messages. */
    public static String a(String noun) {
        if (noun.isEmpty()) return noun;
        char c = Character.toLowerCase(noun.charAt(0));
        boolean vowelSound = "aeio".indexOf(c) >= 0
                || (c == 'u' && !noun.toLowerCase(java.util.Locale.ROOT).matches("u(n[aiy]|s[eu]|ti).*"));
        return (vowelSound ? "an " : "a ") + noun;
    }
}
