package dev.tapeless.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An immutable array value whose ops are recorded on the current thread's {@link Tape}, so that
 * {@link Tape#grad} can differentiate them (reverse mode, operator overloading).
 *
 * <p>Every op returns a new {@code Variable} holding a fresh array and appends one entry to the
 * tape; nothing is ever written into an operand. Op names mirror ND4J's {@code INDArray}.
 * Data types are kept: a FLOAT variable gives FLOAT results and FLOAT gradients, a
 * {@code double} operand is applied in the array's data type, and mixing FLOAT and DOUBLE
 * variables is an error rather than a silent conversion.
 *
 * <p>Binary ops between two variables broadcast NumPy-style ({@code [3,4] + [4]},
 * {@code [3,1] * [1,4]}, rank 0 with anything, ...); in the backward pass each operand's
 * adjoint is summed back to its own shape.
 *
 * <p>Bad arguments (null operands, shapes that do not broadcast or do not match, dims out of
 * range, mixed data types) throw {@link IllegalArgumentException} with a message that names the
 * op and the shapes involved.
 *
 * <pre>{@code
 * Variable a = Variable.constant(Nd4j.create(new double[] {1, 2, 3}), "a");
 * Variable b = Variable.constant(Nd4j.create(new double[] {4, 5, 6}), "b");
 * Variable loss = a.add(b).mul(b).sum();      // rank-0 scalar
 * List<Variable> g = Tape.grad(loss, a, b);   // [b, a + 2b]
 * }</pre>
 */
public final class Variable {

    private final INDArray value;
    private final String name;
    /** The op that produced this variable, or null for a constant; shown by toString. */
    private final String op;

    private Variable(INDArray value, String name, String op) {
        this.value = value;
        this.name = name;
        this.op = op;
    }

    // ------------------------------------------------------------------ creation and accessors

    /**
     * A leaf variable holding a copy of {@code value} (later writes to {@code value} do not
     * affect it). Nothing is recorded on the tape.
     *
     * @param value a floating-point array (FLOAT, DOUBLE, HALF, ...) of any shape, rank 0 included
     * @throws IllegalArgumentException if {@code value} is null or not of a floating-point type
     */
    public static Variable constant(INDArray value) {
        return constant(value, null);
    }

    /**
     * A named leaf variable holding a copy of {@code value}; the name only shows in
     * {@link #toString()} and {@link #name()}. Nothing is recorded on the tape.
     *
     * @param value a floating-point array of any shape, rank 0 included
     * @param name  any name, or null
     * @throws IllegalArgumentException if {@code value} is null or not of a floating-point type
     */
    public static Variable constant(INDArray value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("constant: value is null");
        }
        if (!value.dataType().isFPType()) {
            throw new IllegalArgumentException("constant: data type " + value.dataType()
                    + " is not a floating-point type; use castTo(DataType.DOUBLE) or FLOAT");
        }
        return new Variable(value.dup('c'), name, null);
    }

    /**
     * The array this variable holds. It is not copied: read it, never write into it (the tape
     * reuses it in the backward pass).
     */
    public INDArray value() {
        return value;
    }

    /** The name given to {@link #constant(INDArray, String)}, or null (op results have none). */
    public String name() {
        return name;
    }

    /** The shape of the value (a new array); {@code []} for a rank-0 scalar. */
    public long[] shape() {
        return value.shape().clone();
    }

    /** The data type of the value. */
    public DataType dataType() {
        return value.dataType();
    }

    /** For example {@code Variable[name=a, shape=[3, 4], dtype=DOUBLE]} or {@code Variable[op=add, ...]}. */
    @Override
    public String toString() {
        String label = name != null ? "name=" + name : op != null ? "op=" + op : "constant";
        return "Variable[" + label + ", shape=" + Shapes.str(value.shape()) + ", dtype="
                + value.dataType() + "]";
    }

    // ------------------------------------------------------------------ binary ops, two variables

    /** {@code this + other}, broadcasting NumPy-style. */
    public Variable add(Variable other) {
        return binary("add", other, INDArray::add, (g, x, y) -> new INDArray[] {g, g});
    }

    /** {@code this - other}, broadcasting NumPy-style. */
    public Variable sub(Variable other) {
        return binary("sub", other, INDArray::sub, (g, x, y) -> new INDArray[] {g, g.neg()});
    }

    /** {@code this * other} elementwise, broadcasting NumPy-style. */
    public Variable mul(Variable other) {
        return binary("mul", other, INDArray::mul, (g, x, y) -> new INDArray[] {g.mul(y), g.mul(x)});
    }

    /** {@code this / other} elementwise, broadcasting NumPy-style. */
    public Variable div(Variable other) {
        return binary("div", other, INDArray::div,
                (g, x, y) -> new INDArray[] {g.div(y), g.neg().mul(x).div(y.mul(y))});
    }

    /** {@code other - this} (reversed subtraction), broadcasting NumPy-style. */
    public Variable rsub(Variable other) {
        return binary("rsub", other, INDArray::rsub, (g, x, y) -> new INDArray[] {g.neg(), g});
    }

    /** {@code other / this} (reversed division), broadcasting NumPy-style. */
    public Variable rdiv(Variable other) {
        return binary("rdiv", other, INDArray::rdiv,
                (g, x, y) -> new INDArray[] {g.neg().mul(y).div(x.mul(x)), g.div(x)});
    }

    // ------------------------------------------------------------------ binary ops, one double

    /** {@code this + c}; {@code c} is applied in this array's data type. */
    public Variable add(double c) {
        return record("add", value.add(c), this, g -> g);
    }

    /** {@code this - c}; {@code c} is applied in this array's data type. */
    public Variable sub(double c) {
        return record("sub", value.sub(c), this, g -> g);
    }

    /**
     * {@code this * c}; {@code c} is applied in this array's data type. {@code mul(1.0)}
     * returns {@code this} itself and records nothing.
     */
    public Variable mul(double c) {
        if (c == 1.0) {
            return this;
        }
        return record("mul", value.mul(c), this, g -> g.mul(c));
    }

    /** {@code this / c}; {@code c} is applied in this array's data type. */
    public Variable div(double c) {
        return record("div", value.div(c), this, g -> g.div(c));
    }

    /** {@code c - this}; {@code c} is applied in this array's data type. */
    public Variable rsub(double c) {
        return record("rsub", value.rsub(c), this, INDArray::neg);
    }

    /** {@code c / this}; {@code c} is applied in this array's data type. */
    public Variable rdiv(double c) {
        INDArray x = value;
        return record("rdiv", value.rdiv(c), this, g -> g.mul(-c).div(x.mul(x)));
    }

    // ------------------------------------------------------------------ unary ops

    /** {@code -this}. */
    public Variable neg() {
        return record("neg", value.neg(), this, INDArray::neg);
    }

    /** {@code e^this}, elementwise. */
    public Variable exp() {
        INDArray y = Transforms.exp(value, true);
        return record("exp", y, this, g -> g.mul(y));
    }

    /**
     * Natural logarithm, elementwise. Outside the domain the value follows ND4J: {@code log(0)}
     * is {@code -inf}, negative inputs give NaN; the derivative {@code 1/x} is computed as is.
     */
    public Variable log() {
        INDArray x = value;
        return record("log", Transforms.log(value, true), this, g -> g.div(x));
    }

    /**
     * Square root, elementwise. Its derivative {@code 1/(2 sqrt(x))} is {@code +inf} at 0, as the
     * math says (NaN where the incoming adjoint is also 0); negative inputs give NaN.
     */
    public Variable sqrt() {
        INDArray y = Transforms.sqrt(value, true);
        return record("sqrt", y, this, g -> g.div(y.mul(2.0)));
    }

    /**
     * {@code this^p}, elementwise, for a constant exponent. The derivative is
     * {@code p * x^(p-1)}; for {@code p == 0} it is 0 everywhere, for {@code p == 1} it is 1.
     * A negative base with a non-integer {@code p} gives NaN; at 0 with {@code p < 1} the
     * derivative is infinite, as the math says.
     */
    public Variable pow(double p) {
        INDArray x = value;
        INDArray y = Transforms.pow(value, p, true);
        return record("pow", y, this, g -> {
            if (p == 0.0) {
                return Nd4j.zeros(x.dataType(), x.shape());
            }
            if (p == 1.0) {
                return g;
            }
            return g.mul(Transforms.pow(x, p - 1.0, true).mul(p));
        });
    }

    /** Absolute value, elementwise. Its derivative is {@code sign(x)}, so 0 at {@code x == 0}. */
    public Variable abs() {
        INDArray x = value;
        return record("abs", Transforms.abs(value, true), this, g -> g.mul(Transforms.sign(x, true)));
    }

    /** Sine, elementwise (radians). */
    public Variable sin() {
        INDArray x = value;
        return record("sin", Transforms.sin(value, true), this, g -> g.mul(Transforms.cos(x, true)));
    }

    /** Cosine, elementwise (radians). */
    public Variable cos() {
        INDArray x = value;
        return record("cos", Transforms.cos(value, true), this,
                g -> g.mul(Transforms.sin(x, true)).neg());
    }

    /** Hyperbolic tangent, elementwise; derivative {@code 1 - tanh^2}. */
    public Variable tanh() {
        INDArray y = Transforms.tanh(value, true);
        return record("tanh", y, this, g -> g.mul(y.mul(y).rsub(1.0)));
    }

    /** Logistic sigmoid {@code 1 / (1 + e^-x)}, elementwise; derivative {@code s (1 - s)}. */
    public Variable sigmoid() {
        INDArray y = Transforms.sigmoid(value, true);
        return record("sigmoid", y, this, g -> g.mul(y).mul(y.rsub(1.0)));
    }

    /** {@code max(x, 0)}, elementwise. Its derivative is 1 where {@code x > 0}, else 0 (so 0 at 0). */
    public Variable relu() {
        INDArray x = value;
        return record("relu", Transforms.relu(value, true), this,
                g -> g.mul(x.gt(0.0).castTo(x.dataType())));
    }

    // ------------------------------------------------------------------ reductions

    /**
     * The sum over {@code dims} (negative dims count from the end, {@code -1} is the last),
     * dropping them; with no dims, the sum of every element as a rank-0 scalar.
     */
    public Variable sum(int... dims) {
        return sum(false, dims);
    }

    /**
     * The sum over {@code dims}; with {@code keepDims} the reduced axes stay, with size 1
     * ({@code [3,4].sum(true, 1)} is {@code [3,1]}). No dims means every axis.
     *
     * @throws IllegalArgumentException for a dim out of range or repeated
     */
    public Variable sum(boolean keepDims, int... dims) {
        long[] in = value.shape();
        int[] axes = Shapes.axes("sum", in, dims);
        long[] kept = Shapes.reduced(in, axes, true);
        long[] out = Shapes.reduced(in, axes, keepDims);
        INDArray y = axes.length == 0 ? value.dup('c') : value.sum(true, axes).reshape('c', out);
        return record("sum", y, this, g -> Shapes.expandTo(g.reshape('c', kept), in));
    }

    /**
     * The mean over {@code dims} (negative dims count from the end), dropping them; with no dims,
     * the mean of every element as a rank-0 scalar.
     */
    public Variable mean(int... dims) {
        return mean(false, dims);
    }

    /**
     * The mean over {@code dims}; with {@code keepDims} the reduced axes stay, with size 1.
     * No dims means every axis.
     *
     * @throws IllegalArgumentException for a dim out of range or repeated
     */
    public Variable mean(boolean keepDims, int... dims) {
        long[] in = value.shape();
        int[] axes = Shapes.axes("mean", in, dims);
        long[] kept = Shapes.reduced(in, axes, true);
        long[] out = Shapes.reduced(in, axes, keepDims);
        double count = Shapes.count(in, axes);
        INDArray y = axes.length == 0 ? value.dup('c') : value.mean(true, axes).reshape('c', out);
        return record("mean", y, this, g -> Shapes.expandTo(g.reshape('c', kept), in).div(count));
    }

    // ------------------------------------------------------------------ shape ops

    /**
     * Matrix product with NumPy {@code matmul} semantics for ranks 1 and 2:
     * {@code [m,k] x [k,n] -> [m,n]}, {@code [m,k] x [k] -> [m]}, {@code [k] x [k,n] -> [n]},
     * {@code [k] x [k] -> []} (the dot product, rank 0).
     *
     * @throws IllegalArgumentException if {@code other} is null, an operand has rank 0 or more
     *                                  than 2, the inner sizes differ, or the data types differ
     */
    public Variable mmul(Variable other) {
        requireOperand("mmul", other);
        requireSameDataType("mmul", other);
        long[] as = value.shape();
        long[] bs = other.value.shape();
        if (as.length < 1 || as.length > 2 || bs.length < 1 || bs.length > 2) {
            throw new IllegalArgumentException("mmul: operands must have rank 1 or 2, got shapes "
                    + Shapes.str(as) + " and " + Shapes.str(bs));
        }
        long k = as[as.length - 1];
        if (k != bs[0]) {
            throw new IllegalArgumentException("mmul: shapes " + Shapes.str(as) + " and "
                    + Shapes.str(bs) + " do not match: inner sizes " + k + " and " + bs[0] + " differ");
        }
        // Work on matrices: a vector on the left is a row [1,k], on the right a column [k,1].
        INDArray a2 = as.length == 1 ? value.reshape('c', 1, k) : value;
        INDArray b2 = bs.length == 1 ? other.value.reshape('c', k, 1) : other.value;
        long m = a2.size(0);
        long n = b2.size(1);
        List<Long> outList = new ArrayList<>();
        if (as.length == 2) {
            outList.add(m);
        }
        if (bs.length == 2) {
            outList.add(n);
        }
        long[] out = outList.stream().mapToLong(Long::longValue).toArray();
        INDArray y = a2.mmul(b2).reshape('c', out);
        return record("mmul", y, this, other, g -> {
            INDArray g2 = g.reshape('c', m, n);
            INDArray da = g2.mmul(b2.transpose()).reshape('c', as);
            INDArray db = a2.transpose().mmul(g2).reshape('c', bs);
            return new INDArray[] {da, db};
        });
    }

    /**
     * Reverses the axes (NumPy {@code transpose}): {@code [3,4] -> [4,3]},
     * {@code [2,3,4] -> [4,3,2]}. For rank 0 and 1 there is nothing to reverse: returns
     * {@code this} and records nothing.
     */
    public Variable transpose() {
        int rank = value.rank();
        if (rank < 2) {
            return this;
        }
        int[] reversed = new int[rank];
        for (int i = 0; i < rank; i++) {
            reversed[i] = rank - 1 - i;
        }
        INDArray y = value.permute(reversed).dup('c');
        // Reversing the axes is its own inverse.
        return record("transpose", y, this, g -> g.permute(reversed).dup('c'));
    }

    /**
     * The {@code index}-th sub-array along the first axis, rank one lower, as ND4J's
     * {@code INDArray.slice}: row {@code index} of a matrix, element {@code index} of a vector (as a
     * rank-0 value). The gradient is the upstream written into zeros at that index.
     *
     * @throws IllegalArgumentException for a rank-0 value or an index outside {@code [0, size(0))}
     */
    public Variable slice(int index) {
        long[] in = value.shape();
        if (in.length == 0) {
            throw new IllegalArgumentException("slice: a rank-0 value has no first axis to slice");
        }
        if (index < 0 || index >= in[0]) {
            throw new IllegalArgumentException("slice: index " + index + " is out of range for shape " + Arrays.toString(in));
        }
        long[] out = Arrays.copyOfRange(in, 1, in.length);
        long rest = 1;
        for (long d : out) rest *= d;
        // Shapes as arrays: reshape('c', n, m) would be read as reshape(long...) with 'c' = 99.
        INDArray rows = value.dup('c').reshape('c', new long[] {in[0], rest});
        INDArray y = rows.getRow(index).dup('c').reshape('c', out);
        long size = rest;
        return record("slice", y, this, g -> {
            INDArray z = Nd4j.zeros(value.dataType(), new long[] {in[0], size});
            z.getRow(index).assign(g.dup('c').reshape('c', new long[] {size}));
            return z.reshape('c', in);
        });
    }

    /**
     * The same elements (read in row-major order) in a new shape; one size may be {@code -1}, to
     * be inferred. {@code reshape()} with no sizes gives a rank-0 scalar from a one-element array.
     *
     * @throws IllegalArgumentException if the element counts differ or the shape is malformed
     */
    public Variable reshape(long... shape) {
        if (shape == null) {
            throw new IllegalArgumentException("reshape: shape is null");
        }
        long[] in = value.shape();
        long[] out = resolveReshape(in, shape);
        INDArray y = value.reshape('c', out).dup('c');
        return record("reshape", y, this, g -> g.reshape('c', in));
    }

    /**
     * Broadcasts to {@code shape} by NumPy rules: sizes align from the right, and a size-1 or
     * missing axis is repeated ({@code [] -> [2,3]}, {@code [4] -> [3,4]},
     * {@code [3,1] -> [3,4]}, {@code [1,4] -> [2,3,4]}). The gradient sums over the repeats.
     *
     * @throws IllegalArgumentException if this shape does not broadcast to {@code shape}
     */
    public Variable expand(long... shape) {
        if (shape == null) {
            throw new IllegalArgumentException("expand: shape is null");
        }
        long[] in = value.shape();
        long[] target = shape.clone();
        boolean ok = target.length >= in.length && Arrays.stream(target).allMatch(s -> s >= 0);
        if (ok) {
            try {
                ok = Arrays.equals(Shapes.broadcast("expand", in, target), target);
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(in)
                    + " to " + Shapes.str(target));
        }
        INDArray y = Shapes.expandTo(value, target);
        return record("expand", y, this, g -> Shapes.sumTo(g, in));
    }

    // ------------------------------------------------------------------ softmax

    /**
     * Softmax along {@code dim} (negative counts from the end): {@code exp(x) / sum(exp(x))},
     * computed stably by subtracting the maximum along {@code dim} first.
     *
     * @throws IllegalArgumentException if {@code dim} is out of range (any dim is, for rank 0)
     */
    public Variable softmax(int dim) {
        long[] in = value.shape();
        int axis = Shapes.axis("softmax", in, dim);
        long[] kept = Shapes.reduced(in, new int[] {axis}, true);
        INDArray shifted = value.sub(value.max(true, axis).reshape('c', kept));
        INDArray e = Transforms.exp(shifted, true);
        INDArray y = e.div(e.sum(true, axis).reshape('c', kept));
        return record("softmax", y, this, g -> {
            INDArray dot = g.mul(y).sum(true, axis).reshape('c', kept);
            return y.mul(g.sub(dot));
        });
    }

    /**
     * Log-softmax along {@code dim} (negative counts from the end):
     * {@code x - max - log(sum(exp(x - max)))}, stable for large inputs. (ND4J's own
     * {@code logSoftmax(x, dim)} ignores {@code dim}; this one does not.)
     *
     * @throws IllegalArgumentException if {@code dim} is out of range (any dim is, for rank 0)
     */
    public Variable logSoftmax(int dim) {
        long[] in = value.shape();
        int axis = Shapes.axis("logSoftmax", in, dim);
        long[] kept = Shapes.reduced(in, new int[] {axis}, true);
        INDArray shifted = value.sub(value.max(true, axis).reshape('c', kept));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, axis), true).reshape('c', kept);
        INDArray y = shifted.sub(logSum);
        return record("logSoftmax", y, this, g -> {
            INDArray softmax = Transforms.exp(y, true);
            return g.sub(softmax.mul(g.sum(true, axis).reshape('c', kept)));
        });
    }

    // ------------------------------------------------------------------ recording

    /** A backward rule of a two-input op: the adjoints of both inputs, before un-broadcasting. */
    @FunctionalInterface
    private interface BinaryRule {
        INDArray[] adjoints(INDArray g, INDArray x, INDArray y);
    }

    /** Checks and runs a broadcasting elementwise op {@code forward(this, other)}. */
    private Variable binary(String op, Variable other, BinaryOperator<INDArray> forward, BinaryRule rule) {
        requireOperand(op, other);
        requireSameDataType(op, other);
        long[] xs = value.shape();
        long[] ys = other.value.shape();
        long[] out = Shapes.broadcast(op, xs, ys);
        INDArray x = value;
        INDArray y = other.value;
        // ND4J fails on some broadcasts between ranks ([3,1] + [4]); equal ranks always work.
        INDArray result = forward.apply(Shapes.withRank(x, out.length), Shapes.withRank(y, out.length));
        if (!Arrays.equals(result.shape(), out)) {
            throw new IllegalStateException("internal error: " + op + " of " + Shapes.str(xs) + " and "
                    + Shapes.str(ys) + " gave " + Shapes.str(result.shape()) + ", not " + Shapes.str(out));
        }
        return record(op, result, this, other, g -> {
            INDArray[] d = rule.adjoints(g, x, y);
            return new INDArray[] {Shapes.sumTo(d[0], xs), Shapes.sumTo(d[1], ys)};
        });
    }

    /** Records a one-input op whose rule maps the output's adjoint to the input's. */
    // ------------------------------------------------------------------ custom derivatives

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * The result of a function with a custom derivative: {@code value}, recorded as one entry whose
     * backward rule calls the {@code @Derivative} methods of the calling function. Call it as the
     * function's {@code return}, with the function's parameters in order:
     *
     * <pre>{@code
     * @Differentiable
     * static Variable roundThrough(Variable x) {
     *     return Variable.custom(Transforms.round(x.value(), true), x);
     * }
     *
     * @Derivative(of = "roundThrough")
     * static INDArray roundThroughDerivative(INDArray x, INDArray upstream) {
     *     return upstream;   // straight through
     * }
     * }</pre>
     *
     * The derivatives are found through the function's companion (its class compiled with the
     * Tapeless processor), which names them by parameter. Inside {@link Tape#withoutRecording} the
     * value is returned as a leaf and nothing is looked up.
     *
     * @param value     the function's value, computed by any means (a copy is not made)
     * @param arguments the calling function's parameters, in order ({@code Variable}s and data)
     * @throws IllegalArgumentException if {@code value} is null, or {@code arguments} are not the
     *                                  function's parameters
     * @throws IllegalStateException    if the function has no companion or no such derivatives
     */
    public static Variable custom(INDArray value, Object... arguments) {
        if (value == null) throw new IllegalArgumentException("Variable.custom: value is null");
        StackWalker.StackFrame caller = WALKER.walk(s -> s.skip(1).findFirst()).orElseThrow();
        String function = caller.getMethodName();
        if (!Tape.isRecording()) return new Variable(value, null, function);
        java.lang.reflect.Method[] derivatives = CustomDerivatives.of(caller.getDeclaringClass(), function, arguments);
        List<Variable> inputs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i] instanceof Variable v) {
                inputs.add(v);
                positions.add(i);
            }
        }
        Variable out = new Variable(value, null, function);
        Object[] frozen = arguments.clone();
        Tape.record(new TapeEntry(function, inputs, List.of(out), adjoints -> {
            Object[] call = new Object[frozen.length + 1];
            for (int j = 0; j < frozen.length; j++) call[j] = frozen[j] instanceof Variable v ? v.value() : frozen[j];
            call[frozen.length] = adjoints.get(0);
            List<INDArray> contributions = new ArrayList<>();
            for (int k = 0; k < inputs.size(); k++) {
                java.lang.reflect.Method d = derivatives[positions.get(k)];
                contributions.add(d == null ? null : CustomDerivatives.call(d, call, inputs.get(k).value(), adjoints.get(0)));
            }
            return contributions;
        }));
        return out;
    }

    private static Variable record(String op, INDArray result, Variable x, UnaryOperator<INDArray> rule) {
        Variable out = new Variable(result, null, op);
        Tape.record(new TapeEntry(op, List.of(x), List.of(out),
                adjoints -> List.of(rule.apply(adjoints.get(0)))));
        return out;
    }

    /** Records a two-input op whose rule maps the output's adjoint to both inputs' adjoints. */
    private static Variable record(String op, INDArray result, Variable x, Variable y,
            Function<INDArray, INDArray[]> rule) {
        Variable out = new Variable(result, null, op);
        Tape.record(new TapeEntry(op, List.of(x, y), List.of(out),
                adjoints -> Arrays.asList(rule.apply(adjoints.get(0)))));
        return out;
    }

    private static void requireOperand(String op, Variable other) {
        if (other == null) {
            throw new IllegalArgumentException(op + ": operand is null");
        }
    }

    private void requireSameDataType(String op, Variable other) {
        if (value.dataType() != other.value.dataType()) {
            throw new IllegalArgumentException(op + ": data types " + value.dataType() + " and "
                    + other.value.dataType() + " differ; cast one operand first (INDArray.castTo)");
        }
    }

    /** Resolves one {@code -1} in a reshape target, checking the element count. */
    private static long[] resolveReshape(long[] in, long[] shape) {
        long length = 1;
        for (long s : in) {
            length *= s;
        }
        long[] out = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(in) + " to "
                        + Shapes.str(shape) + ": only one size may be -1 and none may be negative");
            } else {
                known *= out[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || length % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(in) + " ("
                        + length + " elements) to " + Shapes.str(shape));
            }
            out[inferred] = length / known;
        } else if (known != length) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(in) + " ("
                    + length + " elements) to " + Shapes.str(shape) + " (" + known + " elements)");
        }
        return out;
    }
}
