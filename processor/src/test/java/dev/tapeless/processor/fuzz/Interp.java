package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.fuzz.Ast.Method;
import dev.tapeless.processor.fuzz.Ast.Param;
import dev.tapeless.processor.fuzz.Ast.Stmt;
import dev.tapeless.processor.fuzz.Ast.Type;
import dev.tapeless.processor.fuzz.Ast.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the double/int/long/boolean part of the model with Java's semantics: expressions,
 * statements, branches and loops. The generator uses it to know each subexpression's value at
 * the point it will be checked at (to keep arguments inside functions' domains and away from
 * kinks), and, with a {@link Guard}, to check a generated statement on every path it takes there
 * (every iteration of a loop). Tensor expressions are not evaluated (their value is null), only
 * their scalar parts. The checker compares its value with the compiled source at the checked point,
 * so that the interpreter stays honest; the reference in the checks is always the compiled source.
 */
final class Interp {
    /** More iterations than any one run of a generated loop can take: more means a generator bug. */
    static final int MAX_TRIPS = 64;

    /**
     * Thrown for Java's run-time errors (int division by zero, an index out of bounds), with the
     * class of the exception Java throws there, and by a {@link Guard} that rejects a value (no class).
     */
    static final class Fault extends RuntimeException {
        final Class<? extends RuntimeException> java;

        Fault(String m) {
            this(m, null);
        }

        Fault(String m, Class<? extends RuntimeException> java) {
            super(m, null, false, false);
            this.java = java;
        }
    }

    /** Looks at every value computed; throws {@link Fault} to reject the program's path. */
    interface Guard {
        /** {@code e} evaluated to {@code value} from its kids' values {@code kids}. */
        void node(Expr e, Object[] kids, Object value);

        /** {@code s} (an ASSIGN) changed {@code old} to {@code value} with the right-hand side {@code rhs}. */
        void assign(Stmt s, Object old, Object rhs, Object value);
    }

    /** How a statement ended. */
    enum Signal { NORMAL, BREAK, CONTINUE, RETURN }

    private final Map<String, Object> fields;
    private final Guard guard;
    /** The value of the last return, and the result type of the method running. */
    private Object returned;
    private Type result = Type.DOUBLE;

    Interp(Map<String, Object> fields, Guard guard) {
        this.fields = fields;
        this.guard = guard;
    }

    /** Evaluates {@code e} without a guard (the generator's value of an expression it has just built). */
    static Object eval(Expr e, Map<String, Object> env, Map<String, Object> fields) {
        return new Interp(fields, null).eval(e, env);
    }

    /** Runs {@code m} on {@code args} without a guard. */
    static Object call(Method m, Object[] args, Map<String, Object> fields) {
        return new Interp(fields, null).invoke(m, args);
    }

    private static final Object[] NONE = {};

    Object eval(Expr e, Map<String, Object> env) {
        Object[] kv = NONE;
        Object v;
        switch (e.form) {
            case CONDITIONAL -> {
                // Java evaluates only the branch taken.
                boolean c = (Boolean) eval(e.kids[0], env);
                v = convert(eval(e.kids[c ? 1 : 2], env), e.type);
            }
            case NAME -> {
                String n = e.text.substring(e.text.lastIndexOf('.') + 1);
                if (e.type != null && e.type.array()) {
                    v = env.get(n); // (the array itself: element writes go into it)
                    if (v == null) throw new IllegalStateException("unbound " + e.text);
                } else if (e.type == Type.TENSOR || e.type == Type.DATA) {
                    v = null; // (arrays are not evaluated)
                } else {
                    v = env.containsKey(n) && e.text.indexOf('.') < 0 ? env.get(n) : fields.get(n);
                    if (v == null) throw new IllegalStateException("unbound " + e.text);
                }
            }
            case INCDEC -> {
                if (e.kids[0].form == Ast.Form.INDEX) {
                    // y[i]++: the array, then the index, then the element read and written
                    Object array = eval(e.kids[0].kids[0], env);
                    int at = (Integer) eval(e.kids[0].kids[1], env);
                    Object old = element(array, at);
                    Object now = narrow(arith(e.text.substring(0, 1), Type.promote(typeOfValue(old), Type.INT), old, 1), typeOfValue(old));
                    store(array, at, now);
                    v = "post".equals(e.raw) ? old : now;
                    break;
                }
                String n = e.kids[0].text;
                Object old = env.get(n);
                Object now = arith(e.text.substring(0, 1), typeOfValue(old), old, 1);
                env.put(n, now);
                v = "post".equals(e.raw) ? old : now;
            }
            default -> {
                if (e.form == Ast.Form.BINARY && (e.text.equals("&&") || e.text.equals("||"))) {
                    // the right operand only where it decides
                    boolean a = (Boolean) eval(e.kids[0], env);
                    v = e.text.equals("&&") != a ? a : (Boolean) eval(e.kids[1], env);
                    break;
                }
                kv = new Object[e.kids.length];
                for (int i = 0; i < kv.length; i++) kv[i] = eval(e.kids[i], env);
                if (e.type == Type.TENSOR || e.type == Type.DATA) v = null;
                else if (e.form == Ast.Form.CALL && e.callee != null) v = invoke(e.callee, kv);
                else v = apply(e, kv);
            }
        }
        if (guard != null) guard.node(e, kv, v);
        return v;
    }

    Object invoke(Method m, Object[] args) {
        Map<String, Object> env = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            Param p = m.params.get(i);
            env.put(p.name, p.type.numeric() || p.type == Type.BOOL ? convert(args[i], p.type) : args[i]);
        }
        return run(m, env);
    }

    /** Runs the body of {@code m} with its parameters bound in {@code env}; returns its value. */
    Object run(Method m, Map<String, Object> env) {
        Type outer = result;
        result = m.result;
        try {
            Signal s = block(m.body, env);
            if (s != Signal.RETURN) throw new IllegalStateException("no return in " + m.name);
            return returned;
        } finally {
            result = outer;
        }
    }

    static Object run(Method m, Map<String, Object> env, Map<String, Object> fields) {
        return new Interp(fields, null).run(m, env);
    }

    /** The value the last RETURN returned. */
    Object returned() {
        return returned;
    }

    /** Runs statements in a scope of their own: what they declare is gone afterwards. */
    Signal block(List<Stmt> statements, Map<String, Object> env) {
        List<String> declared = new ArrayList<>();
        try {
            for (Stmt s : statements) {
                Signal sig = exec(s, env, declared);
                if (sig != Signal.NORMAL) return sig;
            }
            return Signal.NORMAL;
        } finally {
            env.keySet().removeAll(declared);
        }
    }

    /** Runs one statement; what it declares into the enclosing scope goes into {@code declared}. */
    Signal exec(Stmt s, Map<String, Object> env, List<String> declared) {
        switch (s.form) {
            case DECLARE -> {
                // (a local declared without a value is assigned before it is read: Java checks that)
                Object v = s.expr == null ? zero(s.declaredType) : eval(s.expr, env);
                if (v != null && !s.declaredType.equals("var")) v = convert(v, typeOf(s.declaredType));
                env.put(s.name, v);
                declared.add(s.name);
                return Signal.NORMAL;
            }
            case ASSIGN -> {
                if (s.target != null) {
                    // a[i] = e: a, i, e, then the store (JLS 15.26.1); a[i] op= e: a, i, the element, then e (15.26.2)
                    Object array = eval(s.target.kids[0], env);
                    int at = (Integer) eval(s.target.kids[1], env);
                    Object old = s.operator.equals("=") ? null : element(array, at);
                    Object rhs = eval(s.expr, env);
                    if (old == null) old = element(array, at);
                    Object v = assign(old, s.operator, rhs);
                    if (guard != null) guard.assign(s, old, rhs, v);
                    store(array, at, v);
                    return Signal.NORMAL;
                }
                Object rhs = eval(s.expr, env);
                Object old = env.get(s.name);
                if (old == null && !env.containsKey(s.name)) old = fields.get(s.name);
                if (rhs == null && old == null) return Signal.NORMAL; // a tensor
                Object v = assign(old, s.operator, rhs);
                if (guard != null) guard.assign(s, old, rhs, v);
                env.put(s.name, v);
                return Signal.NORMAL;
            }
            case EXPR -> {
                eval(s.expr, env);
                return Signal.NORMAL;
            }
            case RETURN -> {
                Object v = eval(s.expr, env);
                returned = v == null ? null : convert(v, result);
                return Signal.RETURN;
            }
            case BREAK -> {
                return Signal.BREAK;
            }
            case CONTINUE -> {
                return Signal.CONTINUE;
            }
            case BLOCK -> {
                return block(s.body, env);
            }
            case IF -> {
                if (s.init != null) exec(s.init, env, declared);
                boolean c = (Boolean) eval(s.expr, env);
                if (c) return block(s.body, env);
                return s.elseBody == null ? Signal.NORMAL : block(s.elseBody, env);
            }
            case FOR -> {
                List<String> header = new ArrayList<>();
                try {
                    if (s.init != null) exec(s.init, env, header);
                    int trips = 0;
                    while (s.expr == null || (Boolean) eval(s.expr, env)) {
                        trip(s, ++trips);
                        Signal sig = block(s.body, env);
                        if (sig == Signal.BREAK) break;
                        if (sig == Signal.RETURN) return sig;
                        if (s.update != null) exec(s.update, env, header);
                    }
                    return Signal.NORMAL;
                } finally {
                    env.keySet().removeAll(header);
                }
            }
            case WHILE -> {
                if (s.init != null) exec(s.init, env, declared);
                int trips = 0;
                while ((Boolean) eval(s.expr, env)) {
                    trip(s, ++trips);
                    Signal sig = block(s.body, env);
                    if (sig == Signal.BREAK) break;
                    if (sig == Signal.RETURN) return sig;
                }
                return Signal.NORMAL;
            }
            case FOREACH -> {
                // T[] #a = expr; for (int #i = 0; #i < #a.length; #i++) { T v = #a[#i]; body } (JLS 14.14.2)
                Object array = eval(s.expr, env);
                int length = java.lang.reflect.Array.getLength(array);
                try {
                    for (int k = 0; k < length; k++) {
                        trip(s, k + 1);
                        Object v = java.lang.reflect.Array.get(array, k);
                        if (!s.declaredType.equals("var")) v = convert(v, typeOf(s.declaredType));
                        env.put(s.name, v);
                        Signal sig = block(s.body, env);
                        if (sig == Signal.BREAK) break;
                        if (sig == Signal.RETURN) return sig;
                    }
                    return Signal.NORMAL;
                } finally {
                    env.remove(s.name);
                }
            }
            case DO -> {
                if (s.init != null) exec(s.init, env, declared);
                int trips = 0;
                do {
                    trip(s, ++trips);
                    Signal sig = block(s.body, env);
                    if (sig == Signal.BREAK) break;
                    if (sig == Signal.RETURN) return sig;
                } while ((Boolean) eval(s.expr, env));
                return Signal.NORMAL;
            }
        }
        throw new IllegalStateException(s.form.toString());
    }

    /** The zero of a declared type, or null for an array. */
    private static Object zero(String declared) {
        return switch (declared) {
            case "double" -> 0.0;
            case "int" -> 0;
            case "long" -> 0L;
            case "boolean" -> false;
            default -> null;
        };
    }

    /** {@code array[at]}, or a fault where Java throws ArrayIndexOutOfBoundsException. */
    static Object element(Object array, int at) {
        int length = java.lang.reflect.Array.getLength(array);
        if (at < 0 || at >= length) {
            throw new Fault("index " + at + " out of bounds for length " + length, ArrayIndexOutOfBoundsException.class);
        }
        return java.lang.reflect.Array.get(array, at);
    }

    /** {@code array[at] = v} ({@code v} already of the element type). */
    static void store(Object array, int at, Object v) {
        element(array, at);
        if (array instanceof double[] a) a[at] = ((Number) v).doubleValue();
        else if (array instanceof int[] a) a[at] = ((Number) v).intValue();
        else if (array instanceof long[] a) a[at] = ((Number) v).longValue();
        else if (array instanceof boolean[] a) a[at] = (Boolean) v;
        else throw new IllegalArgumentException("store into " + array);
    }

    /** A new array of {@code type} (one-dimensional) holding {@code values}, converted to its element type. */
    static Object newArray(Type type, Object[] values) {
        Type el = type.element();
        Object a = java.lang.reflect.Array.newInstance(switch (el) {
            case DOUBLE -> double.class;
            case INT -> int.class;
            case LONG -> long.class;
            case BOOL -> boolean.class;
            default -> throw new IllegalArgumentException(type.toString());
        }, values.length);
        for (int i = 0; i < values.length; i++) store(a, i, convert(values[i], el));
        return a;
    }

    private static void trip(Stmt loop, int trips) {
        if (trips > MAX_TRIPS) throw new IllegalStateException("a generated loop ran more than " + MAX_TRIPS + " times: " + loop.render());
    }

    static Type typeOf(String declared) {
        return switch (declared) {
            case "double" -> Type.DOUBLE;
            case "int" -> Type.INT;
            case "long" -> Type.LONG;
            case "boolean" -> Type.BOOL;
            case "double[]" -> Type.DARR;
            case "int[]" -> Type.IARR;
            case "long[]" -> Type.LARR;
            case "boolean[]" -> Type.BARR;
            case "double[][]" -> Type.DMAT;
            default -> throw new IllegalArgumentException(declared);
        };
    }

    static Type typeOfValue(Object v) {
        if (v instanceof Double) return Type.DOUBLE;
        if (v instanceof Integer) return Type.INT;
        if (v instanceof Long) return Type.LONG;
        if (v instanceof double[]) return Type.DARR;
        if (v instanceof int[]) return Type.IARR;
        if (v instanceof long[]) return Type.LARR;
        if (v instanceof boolean[]) return Type.BARR;
        if (v instanceof double[][]) return Type.DMAT;
        return Type.BOOL;
    }

    /** {@code old op= v}, cast back to old's type (JLS 15.26.2). */
    static Object assign(Object old, String operator, Object v) {
        Type t = typeOfValue(old);
        if (operator.equals("=")) return convert(v, t);
        Type p = Type.promote(t, typeOfValue(v));
        Object r = arith(operator.substring(0, 1), p, old, v);
        return narrow(r, t);
    }

    /** A primitive cast of a number to {@code t} (narrowing included). */
    static Object narrow(Object v, Type t) {
        Number n = (Number) v;
        return switch (t) {
            case DOUBLE -> n.doubleValue();
            case INT -> v instanceof Double d ? (int) (double) d : (int) n.longValue();
            case LONG -> v instanceof Double d ? (long) (double) d : n.longValue();
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** Widening conversion of a value to {@code t}. */
    static Object convert(Object v, Type t) {
        if (t == Type.BOOL || t.array()) return v;
        Number n = (Number) v;
        return switch (t) {
            case DOUBLE -> n.doubleValue();
            case LONG -> n.longValue();
            case INT -> n.intValue();
            default -> v;
        };
    }

    static Object apply(Expr e, Object[] kv) {
        switch (e.form) {
            case LITERAL:
                return literal(e.text, e.type);
            case PAREN:
                return kv[0];
            case CAST:
                return narrow(kv[0], e.type);
            case INCDEC:
                // (the value alone; eval also stores it)
                return "post".equals(e.raw) ? kv[0] : arith(e.text.substring(0, 1), typeOfValue(kv[0]), kv[0], 1);
            case UNARY:
                if (e.text.equals("!")) return !(Boolean) kv[0];
                if (e.text.equals("+")) return convert(kv[0], typeOfValue(kv[0]) == Type.DOUBLE ? Type.DOUBLE : Type.promote(typeOfValue(kv[0]), Type.INT));
                return switch (typeOfValue(kv[0])) {
                    case DOUBLE -> -((Number) kv[0]).doubleValue();
                    case LONG -> -((Number) kv[0]).longValue();
                    default -> -((Number) kv[0]).intValue();
                };
            case BINARY: {
                if (kv[0] instanceof Boolean a) {
                    boolean b = (Boolean) kv[1];
                    return switch (e.text) {
                        case "==" -> a == b;
                        case "!=" -> a != b;
                        case "&&" -> a && b;
                        case "||" -> a || b;
                        default -> throw new IllegalArgumentException(e.text);
                    };
                }
                Type p = Type.promote(typeOfValue(kv[0]), typeOfValue(kv[1]));
                return switch (e.text) {
                    case "<", "<=", ">", ">=", "==", "!=" -> compare(e.text, p, kv[0], kv[1]);
                    default -> arith(e.text, p, kv[0], kv[1]);
                };
            }
            case CALL:
                return math(e.text, kv);
            case INDEX:
                return element(kv[0], (Integer) kv[1]);
            case LENGTH:
                return java.lang.reflect.Array.getLength(kv[0]);
            case NEWARRAY: {
                int n = (Integer) kv[0];
                if (n < 0) throw new Fault("negative array size " + n, NegativeArraySizeException.class);
                Object[] zeros = new Object[n];
                Object zero = switch (e.type.element()) {
                    case DOUBLE -> 0.0;
                    case INT -> 0;
                    case LONG -> 0L;
                    default -> false;
                };
                java.util.Arrays.fill(zeros, zero);
                return newArray(e.type, zeros);
            }
            case ARRAYINIT:
                return newArray(e.type, kv);
            default:
                throw new IllegalArgumentException(e.form.toString());
        }
    }

    static Object literal(String text, Type t) {
        return switch (t) {
            case DOUBLE -> Double.parseDouble(text);
            case INT -> Integer.parseInt(text);
            case LONG -> Long.parseLong(text.substring(0, text.length() - 1));
            case BOOL -> Boolean.parseBoolean(text);
            default -> throw new IllegalArgumentException(text);
        };
    }

    static Object arith(String op, Type p, Object a, Object b) {
        switch (p) {
            case DOUBLE: {
                double x = ((Number) a).doubleValue(), y = ((Number) b).doubleValue();
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    case "%" -> x % y;
                    case "/" -> x / y;
                    default -> throw new IllegalArgumentException(op);
                };
            }
            case LONG: {
                long x = ((Number) a).longValue(), y = ((Number) b).longValue();
                if ((op.equals("/") || op.equals("%")) && y == 0) throw new Fault("/ by zero", ArithmeticException.class);
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    case "%" -> x % y;
                    case "/" -> x / y;
                    default -> throw new IllegalArgumentException(op);
                };
            }
            default: {
                int x = ((Number) a).intValue(), y = ((Number) b).intValue();
                if ((op.equals("/") || op.equals("%")) && y == 0) throw new Fault("/ by zero", ArithmeticException.class);
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    case "%" -> x % y;
                    case "/" -> x / y;
                    default -> throw new IllegalArgumentException(op);
                };
            }
        }
    }

    static boolean compare(String op, Type p, Object a, Object b) {
        int c;
        if (p == Type.DOUBLE) {
            double x = ((Number) a).doubleValue(), y = ((Number) b).doubleValue();
            return switch (op) {
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                case ">=" -> x >= y;
                case "==" -> x == y;
                case "!=" -> x != y;
                default -> throw new IllegalArgumentException(op);
            };
        }
        long x = ((Number) a).longValue(), y = ((Number) b).longValue();
        c = Long.compare(x, y);
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "==" -> c == 0;
            case "!=" -> c != 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /**
     * A Math or StrictMath function as Java resolves it: abs, min and max of ints (or longs) are
     * the int (long) overloads; everything else takes doubles.
     */
    static Object math(String qualified, Object[] kv) {
        boolean strict = qualified.startsWith("StrictMath") || qualified.startsWith("java.lang.StrictMath");
        String f = qualified.substring(qualified.lastIndexOf('.') + 1);
        Type integral = mathIntegralType(f, kv);
        if (integral == Type.INT) {
            int a = (Integer) kv[0];
            return switch (f) {
                case "abs" -> Math.abs(a);
                case "min" -> Math.min(a, (Integer) kv[1]);
                default -> Math.max(a, (Integer) kv[1]);
            };
        }
        if (integral == Type.LONG) {
            long a = ((Number) kv[0]).longValue();
            return switch (f) {
                case "abs" -> Math.abs(a);
                case "min" -> Math.min(a, ((Number) kv[1]).longValue());
                default -> Math.max(a, ((Number) kv[1]).longValue());
            };
        }
        double a = ((Number) kv[0]).doubleValue();
        double b = kv.length > 1 ? ((Number) kv[1]).doubleValue() : 0;
        return strict ? strictMath(f, a, b) : plainMath(f, a, b);
    }

    /** INT or LONG where Java picks the integral overload of {@code f} for these arguments, else DOUBLE. */
    static Type mathIntegralType(String f, Object[] kv) {
        if (!f.equals("abs") && !f.equals("min") && !f.equals("max")) return Type.DOUBLE;
        Type t = Type.INT;
        for (Object v : kv) t = Type.promote(t, typeOfValue(v));
        return t;
    }

    static double plainMath(String f, double a, double b) {
        return switch (f) {
            case "sin" -> Math.sin(a);
            case "cos" -> Math.cos(a);
            case "tan" -> Math.tan(a);
            case "asin" -> Math.asin(a);
            case "acos" -> Math.acos(a);
            case "atan" -> Math.atan(a);
            case "sinh" -> Math.sinh(a);
            case "cosh" -> Math.cosh(a);
            case "tanh" -> Math.tanh(a);
            case "exp" -> Math.exp(a);
            case "expm1" -> Math.expm1(a);
            case "log" -> Math.log(a);
            case "log10" -> Math.log10(a);
            case "log1p" -> Math.log1p(a);
            case "sqrt" -> Math.sqrt(a);
            case "cbrt" -> Math.cbrt(a);
            case "abs" -> Math.abs(a);
            case "atan2" -> Math.atan2(a, b);
            case "pow" -> Math.pow(a, b);
            case "hypot" -> Math.hypot(a, b);
            case "min" -> Math.min(a, b);
            case "max" -> Math.max(a, b);
            default -> throw new IllegalArgumentException(f);
        };
    }

    static double strictMath(String f, double a, double b) {
        return switch (f) {
            case "sin" -> StrictMath.sin(a);
            case "cos" -> StrictMath.cos(a);
            case "tan" -> StrictMath.tan(a);
            case "asin" -> StrictMath.asin(a);
            case "acos" -> StrictMath.acos(a);
            case "atan" -> StrictMath.atan(a);
            case "sinh" -> StrictMath.sinh(a);
            case "cosh" -> StrictMath.cosh(a);
            case "tanh" -> StrictMath.tanh(a);
            case "exp" -> StrictMath.exp(a);
            case "expm1" -> StrictMath.expm1(a);
            case "log" -> StrictMath.log(a);
            case "log10" -> StrictMath.log10(a);
            case "log1p" -> StrictMath.log1p(a);
            case "sqrt" -> StrictMath.sqrt(a);
            case "cbrt" -> StrictMath.cbrt(a);
            case "abs" -> StrictMath.abs(a);
            case "atan2" -> StrictMath.atan2(a, b);
            case "pow" -> StrictMath.pow(a, b);
            case "hypot" -> StrictMath.hypot(a, b);
            case "min" -> StrictMath.min(a, b);
            case "max" -> StrictMath.max(a, b);
            default -> throw new IllegalArgumentException(f);
        };
    }
}
