package dev.tapeless.processor.ir;

/**
 * The primitive operations of the IR. Elementwise ops work on tensors and on Java numbers alike
 * (the kind of the operands decides); the rest are tensor-only or introduced by the reverse pass.
 */
public enum Op {
    // Leaves.
    /** A parameter of the method; {@code attrs.text()} is its name. */
    PARAM(0),
    /**
     * A numeric literal or compile-time constant: {@code attrs.number()} is a double's value,
     * {@code attrs.integer()} an int's, long's or boolean's (exactly).
     */
    CONST(0),
    /** A static field read at run time; {@code attrs.text()} is {@code pkg.Class.FIELD}. */
    FIELD(0),
    /** The upstream adjoint handed to a pullback. */
    SEED(0),
    /** A value a loop carries from one iteration to the next (a block argument of its regions). */
    ARG(0),
    /** A value never read: what a local holds on a path that does not assign it (Java would not compile a read). */
    UNDEF(0),

    // Structured control flow: nodes that hold regions (Region), of kind VOID; their values are RESULTs.
    /**
     * {@code if (c) then else}: input the condition; regions then and else, which yield one value
     * per result.
     */
    IF(-1),
    /**
     * {@code while (cond) body}: inputs the initial values of the carried values; regions cond
     * (yields the condition) and body (yields the next carried values), both reading the carried
     * values as their ARGs. Results: the carried values on exit, then the number of iterations.
     */
    LOOP(-1),
    /** Result {@code attrs.integer()} of the IF or LOOP that is its input. */
    RESULT(1),

    // Java arrays. An array's values are versions of one array object, which generated code writes in
    // place: a STORE makes the next version, and no value reads a version after the next one is made.
    /** {@code new T[n]}, zeros; {@code attrs.text()} is the array's kind, {@code attrs.integer()} makes each one distinct. */
    NEW_ARRAY(1),
    /** {@code a[i]}. */
    LOAD(2),
    /** {@code a[i] = v}: the next version of {@code a}. */
    STORE(3),
    /** {@code a[i] += v}, in a reverse pass: the next version of the adjoint array {@code a}. */
    ACCUM(3),
    /** {@code a.length}. */
    LENGTH(1),

    // Elementwise, binary. Operands broadcast (tensors) or promote (Java numbers).
    ADD(2), SUB(2), MUL(2), DIV(2),
    /** {@code x^p}: tensor to a scalar power, or {@code Math.pow}. */
    POW(2),
    ATAN2(2), HYPOT(2), MIN(2), MAX(2),

    // Elementwise, unary.
    NEG(1), EXP(1), LOG(1), SQRT(1), ABS(1), SIN(1), COS(1), TAN(1), ASIN(1), ACOS(1), ATAN(1),
    SINH(1), COSH(1), TANH(1), SIGMOID(1), RELU(1), EXPM1(1), LOG10(1), LOG1P(1), CBRT(1),
    /** -1, 0 or 1 by the sign of the operand (the derivative of {@code abs}). */
    SIGN(1),
    /** 1 where the operand is positive, else 0 (the derivative of {@code relu}). */
    STEP(1),
    /** A Java int or long widened to double. */
    TO_DOUBLE(1),
    /** Java's {@code (long)}: an int widened, or a double narrowed (toward zero, saturating, NaN to 0). */
    TO_LONG(1),
    /** Java's {@code (int)}: a long narrowed (low 32 bits), or a double narrowed (toward zero, saturating, NaN to 0). */
    TO_INT(1),
    /** The one element of a one-element array, as a double. */
    ELEMENT(1),

    // Comparison and selection on Java numbers (the conditional operator; derivatives of min and max).
    /** {@code a >= b}. */
    GE(2),
    /** {@code a > b}. ({@code a < b} is {@code b > a}: with NaN both are false, as in Java.) */
    GT(2),
    /** {@code c ? a : b}: both operands are computed, one is chosen. */
    SELECT(3),
    /** {@code a == b} on numbers or booleans. */
    EQ(2),
    /** {@code !b}. */
    NOT(1),
    /** Java's {@code %} on ints and longs (a double's remainder is not differentiable here). */
    REM(2),

    // Tensor structure. Attributes give the dimensions.
    SUM(1), MEAN(1), MMUL(2), TRANSPOSE(1), RESHAPE(1), EXPAND(1), SOFTMAX(1), LOG_SOFTMAX(1),
    /** {@code x.slice(i)}: the i-th sub-array along the first axis (operand 1, an int). */
    SLICE(2),

    // Calls of functions that are not inlined (attrs.callee() says which, and how generated code calls them).
    /** {@code f(args...)}: the value of a function called through its companion or with a custom derivative. */
    CALL(-1),
    /**
     * The adjoint of parameter {@code attrs.integer()} of a function with custom derivatives: its
     * derivative method, from the call's arguments, then the adjoint of its value (reverse pass).
     */
    CALL_ADJOINT(-1),
    /**
     * The gradient record of a function called through its companion: {@code companion.fVjp(args)
     * .pullback(g)}, of kind OBJECT, from the call's arguments, then the adjoint of its value
     * (reverse pass). Its components are the adjoints of the parameters ({@link #CALL_COMPONENT}).
     */
    CALL_GRADIENT(-1),
    /**
     * A call's forward pass that keeps what its pullback needs: {@code companion.fVjp(args)}, of kind
     * OBJECT. In straight-line code a call and its gradients share it ({@code CallSharing}).
     */
    CALL_VJP(-1),
    /** The value of a {@link #CALL_VJP}: {@code vjp.value()}. */
    CALL_VALUE(1),
    /** {@code vjp.pullback(g)}: the callee's gradient record, of kind OBJECT. */
    CALL_PULLBACK(2),
    /**
     * The adjoint of the callee's parameter {@code attrs.integer()}: a component of its gradient
     * record ({@link #CALL_GRADIENT}, {@link #CALL_PULLBACK}).
     */
    CALL_COMPONENT(1),

    // Introduced by the reverse pass; each names a shape computation done at run time.
    /** Sums {@code g} over the axes along which it was broadcast from the shape of {@code like}. */
    SUM_TO(2),
    /** Broadcasts {@code x} to the broadcast shape of {@code x} and {@code like}. */
    EXPAND_LIKE(2),
    /** Undoes a reduction: {@code g} reshaped to keep the reduced axes, broadcast to {@code like}. */
    UNREDUCE(2),
    /** Number of elements a reduction over {@code attrs.ints()} of {@code like} combines. */
    COUNT(1),
    /** {@code g} reshaped to the shape of {@code like}. */
    RESHAPE_LIKE(2),
    /** Adjoint of the left operand of {@code mmul(a, b)}: {@code g · bᵀ}, by rank. */
    MMUL_GRAD_LEFT(3),
    /** Adjoint of the right operand of {@code mmul(a, b)}: {@code aᵀ · g}, by rank. */
    MMUL_GRAD_RIGHT(3),
    /** The adjoint of a slice: {@code g} written into zeros shaped like {@code like} at index {@code i}. */
    UNSLICE(3),
    /** Zeros of the shape and data type of {@code like}. */
    ZEROS_LIKE(1),
    /** {@code x} as an array with the shape and data type of {@code like} (a double fills it). */
    AS_ARRAY_LIKE(2);

    private final int arity;

    Op(int arity) {
        this.arity = arity;
    }

    public int arity() {
        return arity;
    }

    public boolean isLeaf() {
        return arity == 0;
    }

    /** Whether nodes of this op hold regions (IF, LOOP). */
    public boolean hasRegions() {
        return this == IF || this == LOOP;
    }

    /** Ops that make or write an array object: each node is its own (never shared by CSE). */
    public boolean makesArrayVersion() {
        return this == NEW_ARRAY || this == STORE || this == ACCUM;
    }

    /** Ops whose result may share its buffer with an operand when shapes already agree. */
    public boolean mayAliasFirstOperand() {
        return switch (this) {
            case TRANSPOSE, RESHAPE, RESHAPE_LIKE, SUM_TO, EXPAND_LIKE, EXPAND, UNREDUCE, AS_ARRAY_LIKE -> true;
            default -> false;
        };
    }

    /**
     * Whether this op reads only the shape and data type of its operand {@code i}, never its
     * elements (the {@code like} operand of the reverse pass's shape computations).
     */
    public boolean readsOnlyShapeOf(int i) {
        return switch (this) {
            case SUM_TO, EXPAND_LIKE, UNREDUCE, RESHAPE_LIKE, AS_ARRAY_LIKE, UNSLICE -> i == 1;
            case ZEROS_LIKE, COUNT -> i == 0;
            default -> false;
        };
    }

    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
