package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.fuzz.Ast.Expr;
import dev.tapeless.processor.fuzz.Ast.Field;
import dev.tapeless.processor.fuzz.Ast.Form;
import dev.tapeless.processor.fuzz.Ast.Method;
import dev.tapeless.processor.fuzz.Ast.Param;
import dev.tapeless.processor.fuzz.Ast.Program;
import dev.tapeless.processor.fuzz.Ast.Stmt;
import dev.tapeless.processor.fuzz.Ast.StmtForm;
import dev.tapeless.processor.fuzz.Ast.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded generator of well-typed {@code @Differentiable} programs over the language Tapeless
 * supports today: straight-line double methods (arithmetic, every supported Math/StrictMath
 * function, int/long/boolean data, casts, {@code ?:}, compound assignments, static fields, calls)
 * and tensor methods (Variable ops on shapes that fit). It knows each double subexpression's value
 * at the checked point ({@link Interp}) and keeps function arguments inside their domains and
 * comparisons away from ties, so that finite differences are meaningful there.
 *
 * <p>To grow with the language (loops, branches): add a {@link StmtForm} with its rendering in
 * {@link Ast}, its semantics in {@link Interp#run}, and a case in {@link #statement}.
 */
final class Generator {

    /** Names a user may well pick that the generated code also uses, or that name Java's own types. */
    static final List<String> TYPE_NAMES = List.of("Math", "Double", "String", "Kernels", "Transforms", "INDArray",
            "Integer", "Long", "Nd4j", "Object", "System", "OpCounts", "OpCount", "Generated", "DataType", "Arrays",
            "List", "Override", "Layout", "Shapes", "Tape", "Variable", "StrictMath");
    static final List<String> GENERATED_NAMES = List.of("value", "upstream", "previous", "pullback", "grad",
            "fGradient", "fVjp", "gGradient", "d_x", "d_y", "d_a", "d_value", "d_upstream", "add", "sub", "mul",
            "div", "neg", "exp", "log", "sum", "add_2", "mul_1", "x_2", "result", "ops", "tmp", "self", "out",
            "$x", "x$1", "OPS", "F_OPS");
    static final List<String> PLAIN_NAMES = List.of("x", "y", "z", "a", "b", "c", "t", "u", "v", "w", "p", "q",
            "r", "s", "k", "alpha", "beta", "gamma", "acc", "lhs", "rhs", "xs", "theta", "mu", "sigma", "h");
    /** Names that are components of every record (rejected with a clear error, which is fine). */
    static final List<String> RECORD_NAMES = List.of("hashCode", "toString", "wait", "getClass", "equals", "notify");

    static final List<String> UNARY_MATH = List.of("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
            "tanh", "exp", "expm1", "log", "log10", "log1p", "sqrt", "cbrt", "abs");
    static final List<String> BINARY_MATH = List.of("atan2", "pow", "hypot", "min", "max");
    static final List<String> TENSOR_UNARY = List.of("neg", "exp", "sin", "cos", "tanh", "sigmoid", "relu", "abs");
    static final List<String> TENSOR_BINARY = List.of("add", "sub", "mul", "div", "rsub", "rdiv");

    private final SplittableRandom r;
    private final Program program;
    private final Map<String, Object> fieldValues = new HashMap<>();

    // The method being generated: what is in scope, and its values at the checked point.
    private Method method;
    private final Map<String, Type> vars = new LinkedHashMap<>();
    private final Map<String, Object> env = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    private final Set<String> positive = new HashSet<>();
    private final Set<String> taken = new HashSet<>();

    private Generator(long seed, int index) {
        this.r = new SplittableRandom(seed);
        String cls = pick(List.of("P", "Prog", "Model", "Calc", "Net", "Kernels", "Transforms", "Nd4j", "OpCounts", "Fn"));
        this.program = new Program(seed, index, "fuzz.p" + index, cls);
    }

    /** The program for {@code index} of the run with {@code runSeed}: the same every time. */
    static Program program(long runSeed, int index) {
        return new Generator(mix(runSeed, index), index).generate();
    }

    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Program generate() {
        fields();
        int n = 1 + r.nextInt(4);
        boolean tensorProgram = r.nextInt(10) < 4;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name;
            do {
                name = methodName(names);
            } while (names.contains(name) || fieldValues.containsKey(name) || clashes(name, names) && r.nextInt(10) > 0);
            names.add(name);
            boolean tensor = tensorProgram ? r.nextInt(5) > 0 : r.nextInt(10) == 0;
            program.methods.add(tensor ? tensorMethod(name) : doubleMethod(name));
        }
        return program;
    }

    /**
     * Whether two methods' companion members would clash (an error on the source, by design): the
     * generator makes such pairs rarely, so that most programs are checked for values.
     */
    private static boolean clashes(String name, List<String> before) {
        for (String b : before) {
            String x = name.toLowerCase().replace("_", ""), y = b.toLowerCase().replace("_", "");
            for (String suffix : List.of("", "gradient", "vjp", "ops")) {
                if (x.equals(y + suffix) || y.equals(x + suffix)) return true;
            }
        }
        return false;
    }

    private String methodName(List<String> before) {
        if (!before.isEmpty() && r.nextInt(4) == 0) {
            String prev = before.get(r.nextInt(before.size()));
            // names that a companion's generated names could clash with
            String cap = Character.toUpperCase(prev.charAt(0)) + prev.substring(1);
            return pick(List.of(prev + "Gradient", prev + "Vjp", cap, prev + "_", prev + "Ops"));
        }
        return pick(List.of("f", "g", "h", "loss", "model", "fooBar", "foo_bar", "value", "pullback", "apply",
                "compute", "Math", "sin", "kernel", "step"));
    }

    // ---------------------------------------------------------------------------------- fields

    private void fields() {
        int n = r.nextInt(5);
        List<String> pool = new ArrayList<>(List.of("K", "N", "L", "FLAG", "SCALE", "HALF", "RATE", "OFFSET", "BIG",
                "count", "weight", "LIMIT"));
        for (int i = 0; i < n; i++) {
            String name = pool.remove(r.nextInt(pool.size()));
            int kind = r.nextInt(6);
            Field f;
            switch (kind) {
                case 0 -> {
                    String lit = doubleLiteral();
                    f = new Field(name, Type.DOUBLE, true, lit, Double.parseDouble(lit));
                }
                case 1 -> {
                    int v = constantInt();
                    f = new Field(name, Type.INT, true, intText(v), v);
                }
                case 2 -> {
                    long v = constantLong();
                    f = new Field(name, Type.LONG, true, v + "L", v);
                }
                case 3 -> {
                    boolean v = r.nextBoolean();
                    f = new Field(name, Type.BOOL, true, Boolean.toString(v), v);
                }
                default -> {
                    String lit = doubleLiteral();
                    f = new Field(name, Type.DOUBLE, false, lit, Double.parseDouble(lit));
                }
            }
            program.fields.add(f);
            fieldValues.put(name, f.value);
        }
    }

    private static String intText(int v) {
        return v == Integer.MIN_VALUE ? "(-2147483647 - 1)" : Integer.toString(v);
    }

    // ------------------------------------------------------------------------------ double methods

    private void begin(Method m) {
        method = m;
        vars.clear();
        env.clear();
        shapes.clear();
        positive.clear();
        taken.clear();
        taken.addAll(fieldValues.keySet());
    }

    private String freshName() {
        for (int tries = 0; ; tries++) {
            int k = r.nextInt(100);
            String name;
            if (k < 55 || tries > 20) name = pick(PLAIN_NAMES);
            else if (k < 75) name = pick(GENERATED_NAMES);
            else if (k < 82) name = program.cls;
            else if (k < 85) name = pick(RECORD_NAMES);
            else if (k < 90) name = "d_" + pick(PLAIN_NAMES);
            else name = pick(TYPE_NAMES);
            if (tries > 40) name = name + tries;
            if (KnownBugs.TYPE_NAMES_AS_VARIABLES && (TYPE_NAMES.contains(name) || name.equals(program.cls))) continue;
            if (KnownBugs.RECORD_COMPONENT_NAMES && RECORD_NAMES.contains(name)) continue;
            // Names a record component cannot take are errors by design (when differentiated): rarely.
            if ((RECORD_NAMES.contains(name) || name.equals("value")) && r.nextInt(4) > 0) continue;
            if (!taken.contains(name)) {
                taken.add(name);
                return name;
            }
        }
    }

    private Method doubleMethod(String name) {
        Method m = new Method();
        m.name = name;
        m.result = Type.DOUBLE;
        begin(m);
        int doubles = 1 + r.nextInt(4);
        int ints = r.nextInt(3);
        int longs = r.nextInt(2);
        int bools = r.nextInt(4) == 0 ? 1 : 0;
        List<Type> types = new ArrayList<>();
        for (int i = 0; i < doubles; i++) types.add(Type.DOUBLE);
        for (int i = 0; i < ints; i++) types.add(Type.INT);
        for (int i = 0; i < longs; i++) types.add(Type.LONG);
        for (int i = 0; i < bools; i++) types.add(Type.BOOL);
        shuffle(types);
        for (Type t : types) {
            Object v = switch (t) {
                case DOUBLE -> interestingDouble();
                case INT -> interestingInt();
                case LONG -> interestingLong();
                default -> r.nextBoolean();
            };
            Param p = new Param(freshName(), t, null, v);
            m.params.add(p);
            vars.put(p.name, t);
            env.put(p.name, v);
        }
        chooseWrt(m);
        int statements = r.nextInt(7);
        for (int i = 0; i < statements; i++) statement(m);
        Expr ret = doubleExpr(3);
        // keep the body live: most returns combine a local (or a parameter that was assigned) with the rest
        List<String> assigned = new ArrayList<>();
        for (Stmt st : m.body) if (st.name != null && vars.get(st.name) == Type.DOUBLE) assigned.add(st.name);
        if (!assigned.isEmpty() && r.nextInt(10) < 7) {
            Expr local = name(pick(assigned));
            Expr combined = node(Form.BINARY, pick(List.of("+", "-", "*")), Type.DOUBLE, local, ret);
            if (usable((Double) combined.value)) ret = combined;
        }
        m.body.add(new Stmt(StmtForm.RETURN, null, null, null, ret));
        return m;
    }

    private void chooseWrt(Method m) {
        List<Param> diff = new ArrayList<>();
        for (Param p : m.params) if (p.differentiable()) diff.add(p);
        if (diff.isEmpty() || r.nextInt(5) > 0) return;
        List<String> wrt = new ArrayList<>();
        for (Param p : diff) if (r.nextBoolean()) wrt.add(p.name);
        if (wrt.isEmpty()) wrt.add(diff.get(0).name);
        m.wrt = wrt;
    }

    private void statement(Method m) {
        int k = r.nextInt(10);
        List<String> assignable = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) if (e.getValue().numeric()) assignable.add(e.getKey());
        if (k < 6 || assignable.isEmpty()) {
            // a declaration
            int t = r.nextInt(10);
            Type type = t < 6 ? Type.DOUBLE : t < 8 ? Type.INT : t < 9 ? Type.LONG : Type.BOOL;
            // Java: a local's scope includes its own initializer, so name it first.
            String name = freshName();
            Expr e = switch (type) {
                case DOUBLE -> doubleExpr(3);
                case INT -> intExpr(2);
                case LONG -> longExpr(2);
                default -> comparison(2);
            };
            if (type == Type.LONG && e.type == Type.INT && KnownBugs.INT_TO_LONG_WIDENING) e = longExpr(0);
            String declared = r.nextInt(8) == 0 ? "var" : type.java;
            if (declared.equals("var")) type = e.type;
            Object v = Interp.convert(e.value, type);
            m.body.add(new Stmt(StmtForm.DECLARE, declared, name, null, e));
            vars.put(name, type);
            env.put(name, v);
            return;
        }
        String name = pick(assignable);
        Type type = vars.get(name);
        Object old = env.get(name);
        String op = pick(List.of("=", "+=", "-=", "*=", "/="));
        for (int tries = 0; tries < 10; tries++) {
            Expr e = switch (type) {
                case DOUBLE -> doubleExpr(2);
                // A compound assignment of a double to an int narrows it: an error by design when the
                // double depends on a parameter, so mostly int right-hand sides.
                case INT -> op.equals("=") || KnownBugs.COMPOUND_NARROWING || r.nextInt(4) > 0 ? intExpr(2) : numberExpr(2);
                default -> op.equals("=") ? longExpr(2) : r.nextBoolean() ? longExpr(2) : intExpr(2);
            };
            if (type == Type.LONG && KnownBugs.INT_TO_LONG_WIDENING && (e.type == Type.INT || !op.equals("="))) continue;
            Object v;
            try {
                v = Interp.assign(old, op, e.value);
            } catch (Interp.Fault f) {
                continue;
            }
            if (type == Type.DOUBLE && !usable((Double) v)) continue;
            if (op.equals("/=") && type == Type.DOUBLE && Math.abs(((Number) e.value).doubleValue()) < 1e-200) continue;
            m.body.add(new Stmt(StmtForm.ASSIGN, null, name, op, e));
            env.put(name, v);
            return;
        }
    }

    private Expr numberExpr(int depth) {
        int k = r.nextInt(3);
        return k == 0 ? doubleExpr(depth) : k == 1 ? intExpr(depth) : longExpr(depth);
    }

    /**
     * Values at the checked point stay finite: an overflow to infinity there makes the textbook
     * adjoint itself 0 * inf (so no verdict is possible). Overflow is still exercised at the
     * other points the checker tries (forward values only).
     */
    private static boolean usable(double v) {
        return Double.isFinite(v);
    }

    /** A double-valued (or, sometimes, int/long-valued and widened) expression with a known, non-NaN value. */
    private Expr doubleExpr(int depth) {
        for (int tries = 0; tries < 12; tries++) {
            Expr e = tryDouble(depth);
            if (e != null && e.value != null && (e.type != Type.DOUBLE || usable((Double) e.value)) && finiteKids(e)) return e;
        }
        return doubleLeaf();
    }

    private Expr tryDouble(int depth) {
        if (depth <= 0 || r.nextInt(10) < 2) return r.nextInt(6) == 0 ? numberLeaf() : doubleLeaf();
        int k = r.nextInt(100);
        try {
            if (k < 32) {
                String op = pick(List.of("+", "-", "*", "/"));
                Expr a = r.nextInt(5) == 0 ? numberExpr(depth - 1) : doubleExpr(depth - 1);
                Expr b = r.nextInt(5) == 0 ? numberExpr(depth - 1) : doubleExpr(depth - 1);
                if (r.nextBoolean()) {
                    Expr t = a;
                    a = b;
                    b = t;
                }
                if (op.equals("/") && b.type == Type.DOUBLE && ((Double) b.value) == 0) return null;
                return node(Form.BINARY, op, Type.promote(a.type, b.type), a, b);
            } else if (k < 55) {
                return mathUnary(depth);
            } else if (k < 64) {
                return mathBinary(depth);
            } else if (k < 72) {
                Expr c = comparison(depth - 1);
                Expr a = numberExpr(depth - 1);
                Expr b = doubleExpr(depth - 1);
                if (r.nextBoolean()) {
                    Expr t = a;
                    a = b;
                    b = t;
                }
                if (KnownBugs.FOLDED_CONDITIONAL_PROMOTION && a.type != b.type) {
                    if (a.type != Type.DOUBLE) a = node(Form.CAST, "double", Type.DOUBLE, a);
                    if (b.type != Type.DOUBLE) b = node(Form.CAST, "double", Type.DOUBLE, b);
                }
                Expr e = node(Form.CONDITIONAL, null, Type.promote(a.type, b.type), c, a, b);
                e.value = Interp.convert((Boolean) c.value ? a.value : b.value, e.type);
                return e;
            } else if (k < 77) {
                return node(Form.UNARY, r.nextInt(4) == 0 ? "+" : "-", Type.DOUBLE, doubleExpr(depth - 1));
            } else if (k < 82) {
                Expr i = r.nextBoolean() ? intExpr(depth - 1) : longExpr(depth - 1);
                return node(Form.CAST, "double", Type.DOUBLE, i);
            } else if (k < 92) {
                Expr call = calleeCall(depth);
                return call != null ? call : doubleLeaf();
            } else {
                return node(Form.PAREN, null, Type.DOUBLE, doubleExpr(depth - 1));
            }
        } catch (Interp.Fault f) {
            return null;
        }
    }

    private Expr mathUnary(int depth) {
        String f = pick(UNARY_MATH);
        Expr a = doubleExpr(depth - 1);
        double x = ((Number) a.value).doubleValue();
        boolean ok = switch (f) {
            // finite differences cannot follow sin(1e46): their step is longer than the period
            case "tan" -> Math.abs(Math.cos(x)) > 0.05 && Math.abs(x) < 1e6;
            case "sin", "cos" -> Math.abs(x) < 1e6;
            case "asin", "acos" -> Math.abs(x) < 0.95;
            case "sinh", "cosh", "exp", "expm1" -> x < 700;
            case "log", "log10", "sqrt" -> x > 1e-300;
            case "log1p" -> x > -0.95;
            case "cbrt", "abs" -> x != 0;
            default -> true;
        };
        if (!ok) return null;
        return node(Form.CALL, mathQualifier() + "." + f, Type.DOUBLE, a);
    }

    private Expr mathBinary(int depth) {
        String f = pick(BINARY_MATH);
        Expr a = doubleExpr(depth - 1);
        Expr b;
        if (f.equals("pow")) {
            String lit = pick(List.of("2", "3", "2.0", "0.5", "-1", "1.5", "-2.0", "0.25"));
            b = literal(lit, lit.contains(".") ? Type.DOUBLE : Type.INT);
            double base = ((Number) a.value).doubleValue();
            double p = ((Number) b.value).doubleValue();
            if (p != Math.rint(p) && !(base > 1e-300)) return null;
            if (p < 0 && base == 0) return null;
        } else {
            b = r.nextInt(4) == 0 ? numberExpr(depth - 1) : doubleExpr(depth - 1);
        }
        double x = ((Number) a.value).doubleValue(), y = ((Number) b.value).doubleValue();
        if ((f.equals("min") || f.equals("max")) && !apart(x, y)) return null;
        if (f.equals("atan2") && x == 0 && y == 0) return null;
        if (f.equals("atan2") && KnownBugs.ATAN2_ADJOINT_SCALE && !(moderate(x) && moderate(y))) return null;
        if (f.equals("atan2") && KnownBugs.ATAN2_INT_ARGUMENT && (a.type != Type.DOUBLE || b.type != Type.DOUBLE)) return null;
        if (f.equals("hypot") && x == 0 && y == 0) return null;
        return node(Form.CALL, mathQualifier() + "." + f, Type.DOUBLE, a, b);
    }

    private static boolean finiteKids(Expr e) {
        for (Expr k : e.kids) if (k.value instanceof Double d && !Double.isFinite(d)) return false;
        return true;
    }

    /** Neither huge nor tiny: the magnitudes where the textbook atan2 adjoint u / (u^2 + v^2) stays finite. */
    private static boolean moderate(double v) {
        return Math.abs(v) < 1e100 && Math.abs(v) > 1e-100;
    }

    /** Far enough apart that a small step of finite differences does not reach the tie. */
    private static boolean apart(double x, double y) {
        return Math.abs(x - y) > 1e-3 * Math.max(1e-300, Math.max(Math.abs(x), Math.abs(y)));
    }

    private String mathQualifier() {
        List<String> options = new ArrayList<>();
        if (!taken.contains("Math")) options.add("Math");
        if (!taken.contains("StrictMath")) options.add("StrictMath");
        if (options.isEmpty() || r.nextInt(8) == 0) options.add("java.lang." + (r.nextBoolean() ? "Math" : "StrictMath"));
        return options.get(r.nextInt(options.size()));
    }

    private Expr comparison(int depth) {
        if (r.nextInt(6) == 0) {
            List<String> bools = namesOf(Type.BOOL, true);
            if (!bools.isEmpty()) return name(pick(bools));
        }
        for (int tries = 0; tries < 8; tries++) {
            Expr a = numberExpr(depth), b = numberExpr(depth);
            if (a.type == Type.DOUBLE || b.type == Type.DOUBLE) {
                if (!apart(((Number) a.value).doubleValue(), ((Number) b.value).doubleValue())) continue;
            }
            String op = pick(List.of("<", "<=", ">", ">="));
            return node(Form.BINARY, op, Type.BOOL, a, b);
        }
        Expr a = doubleLeaf();
        return node(Form.BINARY, "<", Type.BOOL, a, literal(Double.toString(((Double) a.value) + 1.5), Type.DOUBLE));
    }

    private Expr intExpr(int depth) {
        for (int tries = 0; tries < 8; tries++) {
            try {
                Expr e = tryInt(depth);
                if (e != null) return e;
            } catch (Interp.Fault f) {
                // division by zero: try again
            }
        }
        return literal(Integer.toString(r.nextInt(10)), Type.INT);
    }

    private Expr tryInt(int depth) {
        if (depth <= 0 || r.nextInt(3) == 0) return intLeaf();
        int k = r.nextInt(10);
        if (k < 6) {
            return node(Form.BINARY, pick(List.of("+", "-", "*", "/")), Type.INT, intExpr(depth - 1), intExpr(depth - 1));
        } else if (k < 7) {
            return node(Form.UNARY, "-", Type.INT, intExpr(depth - 1));
        } else if (k < 8) {
            Expr c = comparison(depth - 1);
            Expr a = intExpr(depth - 1), b = intExpr(depth - 1);
            Expr e = node(Form.CONDITIONAL, null, Type.INT, c, a, b);
            e.value = (Boolean) c.value ? a.value : b.value;
            return e;
        } else {
            return node(Form.PAREN, null, Type.INT, intExpr(depth - 1));
        }
    }

    private Expr longExpr(int depth) {
        for (int tries = 0; tries < 8; tries++) {
            try {
                Expr e = tryLong(depth);
                if (e != null && e.type == Type.LONG) return e;
            } catch (Interp.Fault f) {
                // division by zero: try again
            }
        }
        return literal(r.nextInt(10) + "L", Type.LONG);
    }

    private Expr tryLong(int depth) {
        if (depth <= 0 || r.nextInt(3) == 0) return longLeaf();
        int k = r.nextInt(10);
        if (k < 6) {
            Expr a = longExpr(depth - 1);
            Expr b = r.nextBoolean() ? longExpr(depth - 1) : intExpr(depth - 1);
            if (r.nextBoolean()) {
                Expr t = a;
                a = b;
                b = t;
            }
            return node(Form.BINARY, pick(List.of("+", "-", "*", "/")), Type.LONG, a, b);
        } else if (k < 7) {
            return node(Form.UNARY, "-", Type.LONG, longExpr(depth - 1));
        } else {
            return node(Form.PAREN, null, Type.LONG, longExpr(depth - 1));
        }
    }

    private Expr doubleLeaf() {
        int k = r.nextInt(10);
        List<String> names = namesOf(Type.DOUBLE, k < 8);
        if (k < 7 && !names.isEmpty()) return name(pick(names));
        if (k < 8) {
            List<String> fs = namesOf(Type.DOUBLE, false);
            fs.removeAll(vars.keySet());
            if (!fs.isEmpty()) return name(pick(fs));
        }
        return literal(doubleLiteral(), Type.DOUBLE);
    }

    private Expr numberLeaf() {
        return r.nextBoolean() ? intLeaf() : longLeaf();
    }

    private Expr intLeaf() {
        List<String> names = namesOf(Type.INT, true);
        if (!names.isEmpty() && r.nextInt(3) > 0) return name(pick(names));
        int v = r.nextInt(4) == 0 ? constantInt() : r.nextInt(12);
        if (v < 0) return node(Form.UNARY, "-", Type.INT, literal(v == Integer.MIN_VALUE ? "2147483647" : Integer.toString(-v), Type.INT));
        return literal(Integer.toString(v), Type.INT);
    }

    private Expr longLeaf() {
        List<String> names = namesOf(Type.LONG, true);
        if (!names.isEmpty() && r.nextInt(3) > 0) return name(pick(names));
        long v = r.nextInt(3) == 0 ? constantLong() : r.nextInt(12);
        if (v < 0) return node(Form.UNARY, "-", Type.LONG, literal((v == Long.MIN_VALUE ? Long.MAX_VALUE : -v) + "L", Type.LONG));
        return literal(v + "L", Type.LONG);
    }

    /** Names of {@code type} readable here: parameters and locals, and (if {@code withFields}) static fields. */
    private List<String> namesOf(Type type, boolean withFields) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) if (e.getValue() == type) out.add(e.getKey());
        if (withFields) {
            for (Field f : program.fields) if (f.type == type) out.add(f.name);
        }
        return out;
    }

    private Expr name(String n) {
        Type t = vars.get(n);
        Object v = env.get(n);
        String text = n;
        if (t == null) {
            for (Field f : program.fields) {
                if (f.name.equals(n)) {
                    t = f.type;
                    v = f.value;
                    if (!taken.contains(program.cls) && r.nextInt(4) == 0) text = program.cls + "." + n;
                }
            }
        }
        Expr e = new Expr(Form.NAME, text, t);
        e.value = v;
        if (t == Type.TENSOR || t == Type.DATA) e.shape = shapes.get(n);
        if (positive.contains(n)) e.positive = true;
        return e;
    }

    private Expr literal(String text, Type t) {
        Expr e = new Expr(Form.LITERAL, text, t);
        e.value = Interp.literal(text, t);
        return e;
    }

    private Expr node(Form form, String text, Type type, Expr... kids) {
        Expr e = new Expr(form, text, type, kids);
        if (form == Form.PAREN || form == Form.UNARY) e.type = type = kids[0].type;
        if (type != Type.TENSOR && form != Form.CONDITIONAL) {
            Object[] kv = new Object[kids.length];
            for (int i = 0; i < kids.length; i++) kv[i] = kids[i].value;
            e.value = Interp.apply(e, kv);
        }
        return e;
    }

    /** A call to an earlier double method of this class, or null if there is none. */
    private Expr calleeCall(int depth) {
        List<Method> callees = new ArrayList<>();
        for (Method m : program.methods) if (m.result == Type.DOUBLE) callees.add(m);
        if (callees.isEmpty()) return null;
        Method callee = pick(callees);
        Expr[] args = new Expr[callee.params.size()];
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Param p = callee.params.get(i);
            args[i] = switch (p.type) {
                case DOUBLE -> r.nextInt(5) == 0 ? numberExpr(depth - 1) : doubleExpr(depth - 1);
                case INT -> intExpr(depth - 1);
                case LONG -> KnownBugs.INT_TO_LONG_WIDENING || r.nextBoolean() ? longExpr(depth - 1) : intExpr(depth - 1);
                case BOOL -> comparison(depth - 1);
                default -> throw new IllegalStateException();
            };
            values[i] = args[i].value;
        }
        String qualifier = !taken.contains(program.cls) && r.nextInt(4) == 0 ? program.cls + "." : "";
        Expr e = new Expr(Form.CALL, qualifier + callee.name, Type.DOUBLE, args);
        e.callee = callee;
        e.value = Interp.call(callee, values, fieldValues);
        return e;
    }

    // ------------------------------------------------------------------------------ tensor methods

    private Method tensorMethod(String name) {
        Method m = new Method();
        m.name = name;
        m.result = Type.TENSOR;
        begin(m);
        long[] world = new long[3];
        for (int i = 0; i < 3; i++) world[i] = 1 + r.nextInt(4);
        int variables = 1 + r.nextInt(3);
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < variables; i++) {
            long[] shape = subShape(world);
            boolean pos = r.nextInt(4) == 0;
            params.add(new Param(freshName(), Type.TENSOR, shape, tensorData(shape, pos)));
            if (pos) positive.add(params.get(params.size() - 1).name);
        }
        if (r.nextInt(3) == 0) params.add(new Param(freshName(), Type.DOUBLE, null, 0.25 + 2 * r.nextDouble()));
        if (r.nextInt(4) == 0) {
            long[] shape = subShape(world);
            params.add(new Param(freshName(), Type.DATA, shape, tensorData(shape, false)));
        }
        if (r.nextInt(5) == 0) params.add(new Param(freshName(), Type.INT, null, 1 + r.nextInt(5)));
        shuffle(params);
        for (Param p : params) {
            m.params.add(p);
            vars.put(p.name, p.type);
            env.put(p.name, p.value);
            if (p.shape != null) shapes.put(p.name, p.shape);
        }
        chooseWrt(m);
        int statements = r.nextInt(4);
        for (int i = 0; i < statements; i++) {
            if (r.nextInt(5) == 0) {
                String n = freshName();
                Expr e = scalarOperand(true);
                m.body.add(new Stmt(StmtForm.DECLARE, "double", n, null, e));
                vars.put(n, Type.DOUBLE);
                env.put(n, Interp.convert(e.value, Type.DOUBLE));
                continue;
            }
            long[] shape = subShape(world);
            List<String> same = tensorsOfShape(shape);
            if (!same.isEmpty() && r.nextInt(4) == 0) {
                String n = pick(same);
                if (vars.get(n) == Type.TENSOR) {
                    Expr e = tensor(shape, 2);
                    m.body.add(new Stmt(StmtForm.ASSIGN, null, n, "=", e));
                    if (e.positive) positive.add(n); else positive.remove(n);
                    continue;
                }
            }
            String n = freshName();
            Expr e = tensor(shape, 3);
            m.body.add(new Stmt(StmtForm.DECLARE, r.nextInt(6) == 0 ? "var" : "Variable", n, null, e));
            vars.put(n, Type.TENSOR);
            shapes.put(n, shape);
            if (e.positive) positive.add(n);
        }
        long[] result = r.nextBoolean() ? new long[0] : subShape(world);
        m.resultShape = result;
        m.body.add(new Stmt(StmtForm.RETURN, null, null, null, tensor(result, 3)));
        return m;
    }

    private double[] tensorData(long[] shape, boolean positive) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double v = positive ? 0.2 + 2.3 * r.nextDouble() : -2 + 4 * r.nextDouble();
            d[i] = Math.abs(v) < 0.02 ? 0.5 : v;
        }
        return d;
    }

    /** A shape that broadcasts to {@code world}: a suffix of it with some sizes set to 1. */
    private long[] subShape(long[] world) {
        int rank = r.nextInt(10) < 2 ? 0 : 1 + r.nextInt(world.length);
        long[] s = Arrays.copyOfRange(world, world.length - rank, world.length);
        for (int i = 0; i < s.length; i++) if (r.nextInt(5) == 0) s[i] = 1;
        return s;
    }

    private List<String> tensorsOfShape(long[] shape) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) {
            if (e.getValue() == Type.TENSOR && Arrays.equals(shapes.get(e.getKey()), shape)) out.add(e.getKey());
        }
        return out;
    }

    private Expr tensor(long[] shape, int depth) {
        Expr e = tryTensor(shape, depth);
        if (!Arrays.equals(e.shape, shape)) throw new IllegalStateException("shape " + Arrays.toString(e.shape) + " for " + Arrays.toString(shape) + ": " + e);
        return e;
    }

    private Expr tnode(String op, long[] shape, Expr receiver, Expr... args) {
        Expr[] kids = new Expr[args.length + 1];
        kids[0] = receiver;
        System.arraycopy(args, 0, kids, 1, args.length);
        Expr e = new Expr(Form.METHOD, op, Type.TENSOR, kids);
        e.shape = shape;
        return e;
    }

    private Expr tryTensor(long[] shape, int depth) {
        if (depth <= 0 || r.nextInt(10) < 2) return tensorLeaf(shape);
        int k = r.nextInt(100);
        if (k < 14) {
            String op = pick(TENSOR_UNARY);
            Expr e = tnode(op, shape, tensor(shape, depth - 1));
            e.positive = op.equals("exp") || op.equals("sigmoid");
            return e;
        } else if (k < 20) {
            return tnode(r.nextBoolean() ? "log" : "sqrt", shape, positiveTensor(shape, depth - 1));
        } else if (k < 24) {
            String p = pick(List.of("2", "3", "2.0", "0.5", "-1.0", "1.5"));
            boolean fractional = p.contains(".5") || p.startsWith("-");
            Expr base = fractional ? positiveTensor(shape, depth - 1) : tensor(shape, depth - 1);
            Expr e = tnode("pow", shape, base, literal(p, p.contains(".") ? Type.DOUBLE : Type.INT));
            e.positive = fractional || p.equals("2") || p.equals("2.0");
            return e;
        } else if (k < 42) {
            String op = pick(TENSOR_BINARY);
            long[] other = r.nextInt(3) == 0 ? shape : broadcastPart(shape);
            boolean otherFirst = r.nextBoolean() && Arrays.equals(other, shape);
            Expr a = tensor(shape, depth - 1);
            Expr b = op.equals("div") ? positiveTensor(other, depth - 1) : tensor(other, depth - 1);
            if (op.equals("rdiv")) a = positiveTensor(shape, depth - 1);
            if (otherFirst && !op.equals("div") && !op.equals("rdiv")) {
                Expr t = a;
                a = b;
                b = t;
            }
            Expr e = tnode(op, shape, a, b);
            e.positive = (op.equals("add") || op.equals("mul") || op.equals("div")) && a.positive && b.positive;
            return e;
        } else if (k < 54) {
            String op = pick(TENSOR_BINARY);
            Expr s = op.equals("div") ? nonZeroScalar() : scalarOperand(false);
            Expr a = op.equals("rdiv") ? positiveTensor(shape, depth - 1) : tensor(shape, depth - 1);
            Expr e = tnode(op, shape, a, s);
            double sv = ((Number) s.value).doubleValue();
            e.positive = a.positive && sv > 0 && (op.equals("add") || op.equals("mul") || op.equals("div") || op.equals("rdiv"));
            return e;
        } else if (k < 64) {
            return reduction(shape, depth);
        } else if (k < 70) {
            return mmul(shape, depth);
        } else if (k < 74) {
            long[] in = shape.clone();
            for (int i = 0; i < in.length; i++) in[i] = shape[shape.length - 1 - i];
            Expr e = tnode("transpose", shape, tensor(in, depth - 1));
            return e;
        } else if (k < 79) {
            long count = 1;
            for (long s : shape) count *= s;
            long[] in = factor(count);
            Expr e = tnode("reshape", shape, tensor(in, depth - 1));
            e.raw = dims(shape, true);
            return e;
        } else if (k < 84 && shape.length > 0) {
            long[] in = broadcastPart(shape);
            Expr e = tnode("expand", shape, tensor(in, depth - 1));
            e.raw = dims(shape, false);
            e.positive = e.kids[0].positive;
            return e;
        } else if (k < 90 && shape.length > 0) {
            boolean soft = r.nextBoolean();
            Expr in = tensor(shape, depth - 1);
            if (!KnownBugs.LARGE_LOGITS && r.nextInt(4) == 0) {
                // logits in the hundreds or thousands: only a max-shifted (log)softmax stays finite
                in = tnode("mul", shape, in, literal(pick(List.of("800.0", "1e4", "-1e3")), Type.DOUBLE));
            }
            Expr e = tnode(soft ? "softmax" : "logSoftmax", shape, in);
            e.raw = Integer.toString(r.nextInt(2 * shape.length) - shape.length);
            e.positive = soft;
            return e;
        } else if (k < 95) {
            Expr c = tensorCall(shape, depth);
            if (c != null) return c;
        }
        return tensorLeaf(shape);
    }

    private Expr positiveTensor(long[] shape, int depth) {
        List<String> pos = new ArrayList<>();
        for (String n : tensorsOfShape(shape)) if (positive.contains(n)) pos.add(n);
        if (!pos.isEmpty() && r.nextInt(3) == 0) return name(pick(pos));
        Expr inner = tensor(shape, depth);
        if (inner.positive) return inner;
        Expr e;
        switch (r.nextInt(4)) {
            case 0 -> e = tnode("sigmoid", shape, inner);
            case 1 -> e = tnode("exp", shape, inner);
            case 2 -> e = tnode("add", shape, tnode("abs", shape, inner), literal("0.5", Type.DOUBLE));
            default -> {
                e = tnode("add", shape, tnode("mul", shape, inner, inner.copy()), literal("0.25", Type.DOUBLE));
            }
        }
        e.positive = true;
        return e;
    }

    /** A shape that broadcasts with {@code shape} to {@code shape}: a suffix with some sizes set to 1. */
    private long[] broadcastPart(long[] shape) {
        int rank = r.nextInt(shape.length + 1);
        long[] s = Arrays.copyOfRange(shape, shape.length - rank, shape.length);
        for (int i = 0; i < s.length; i++) if (r.nextInt(3) == 0) s[i] = 1;
        return s;
    }

    private long[] factor(long count) {
        List<Long> out = new ArrayList<>();
        long left = count;
        int rank = r.nextInt(4);
        for (int i = 0; i < rank - 1 && left > 1; i++) {
            List<Long> divisors = new ArrayList<>();
            for (long d = 1; d <= left; d++) if (left % d == 0) divisors.add(d);
            long d = divisors.get(r.nextInt(divisors.size()));
            out.add(d);
            left /= d;
        }
        if (left > 1 || rank > 0) out.add(left);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Sizes as reshape/expand arguments; for reshape, maybe one -1. */
    private String dims(long[] shape, boolean inferOne) {
        int minus = inferOne && shape.length > 0 && r.nextInt(3) == 0 ? r.nextInt(shape.length) : -1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(i == minus ? -1 : shape[i]);
        return sb.toString();
    }

    private Expr reduction(long[] shape, int depth) {
        String op = r.nextBoolean() ? "sum" : "mean";
        if (shape.length == 0 && r.nextBoolean()) {
            long[] in = new long[1 + r.nextInt(3)];
            for (int i = 0; i < in.length; i++) in[i] = 1 + r.nextInt(4);
            return tnode(op, shape, tensor(in, depth - 1));
        }
        boolean keep = shape.length > 0 && r.nextInt(3) == 0;
        List<Integer> axes = new ArrayList<>();
        long[] in;
        if (keep) {
            // reduce some of the size-1 axes of shape from a larger size
            List<Long> s = new ArrayList<>();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] == 1 && r.nextBoolean()) {
                    axes.add(i);
                    s.add(1L + r.nextInt(4));
                } else {
                    s.add(shape[i]);
                }
            }
            if (axes.isEmpty()) keep = false;
            in = s.stream().mapToLong(Long::longValue).toArray();
        } else {
            in = null;
        }
        if (!keep) {
            axes.clear();
            List<Long> s = new ArrayList<>();
            for (long d : shape) s.add(d);
            int add = 1 + r.nextInt(Math.max(1, Math.min(2, 3 - shape.length)));
            if (shape.length >= 3) add = 1;
            for (int i = 0; i < add; i++) {
                int at = r.nextInt(s.size() + 1);
                s.add(at, 1L + r.nextInt(4));
                for (int j = 0; j < axes.size(); j++) if (axes.get(j) >= at) axes.set(j, axes.get(j) + 1);
                axes.add(at);
            }
            in = s.stream().mapToLong(Long::longValue).toArray();
        }
        StringBuilder raw = new StringBuilder(keep ? "true" : "");
        if (!keep && r.nextInt(5) == 0) raw.append("false");
        for (int a : axes) {
            int shown = r.nextInt(4) == 0 ? a - in.length : a;
            raw.append(raw.length() > 0 ? ", " : "").append(shown);
        }
        Expr inner = tensor(in, depth - 1);
        if (KnownBugs.SOFTMAX_THEN_SUM && inner.form == Form.METHOD && inner.text.equals("softmax")) inner = inner.kids[0];
        Expr e = tnode(op, shape, inner);
        e.raw = raw.toString();
        return e;
    }

    private Expr mmul(long[] shape, int depth) {
        long k = 1 + r.nextInt(4);
        long[] a, b;
        switch (shape.length) {
            case 0 -> {
                a = new long[] {k};
                b = new long[] {k};
            }
            case 1 -> {
                if (r.nextBoolean()) {
                    a = new long[] {shape[0], k};
                    b = new long[] {k};
                } else {
                    a = new long[] {k};
                    b = new long[] {k, shape[0]};
                }
            }
            case 2 -> {
                a = new long[] {shape[0], k};
                b = new long[] {k, shape[1]};
            }
            default -> {
                return tensorLeaf(shape);
            }
        }
        return tnode("mmul", shape, tensor(a, depth - 1), tensor(b, depth - 1));
    }

    private Expr tensorCall(long[] shape, int depth) {
        List<Method> callees = new ArrayList<>();
        for (Method m : program.methods) if (m.tensor() && Arrays.equals(m.resultShape, shape)) callees.add(m);
        if (callees.isEmpty()) return null;
        Method callee = pick(callees);
        Expr[] args = new Expr[callee.params.size()];
        for (int i = 0; i < args.length; i++) {
            Param p = callee.params.get(i);
            switch (p.type) {
                case TENSOR -> args[i] = tensor(p.shape, depth - 1);
                case DOUBLE -> args[i] = scalarOperand(false);
                case INT -> args[i] = literal(Integer.toString(1 + r.nextInt(4)), Type.INT);
                case DATA -> {
                    List<String> data = new ArrayList<>();
                    for (Map.Entry<String, Type> e : vars.entrySet()) {
                        if (e.getValue() == Type.DATA && Arrays.equals(shapes.get(e.getKey()), p.shape)) data.add(e.getKey());
                    }
                    if (data.isEmpty()) return null;
                    args[i] = name(pick(data));
                }
                default -> throw new IllegalStateException();
            }
        }
        String qualifier = !taken.contains(program.cls) && r.nextInt(4) == 0 ? program.cls + "." : "";
        Expr e = new Expr(Form.CALL, qualifier + callee.name, Type.TENSOR, args);
        e.callee = callee;
        e.shape = shape;
        return e;
    }

    private Expr tensorLeaf(long[] shape) {
        List<String> same = tensorsOfShape(shape);
        if (!same.isEmpty() && r.nextInt(5) > 0) return name(pick(same));
        if (!taken.contains("Variable")) {
            for (Map.Entry<String, Type> e : vars.entrySet()) {
                if (e.getValue() == Type.DATA && Arrays.equals(shapes.get(e.getKey()), shape)) {
                    Expr c = new Expr(Form.CALL, "Variable.constant", Type.TENSOR, name(e.getKey()));
                    c.shape = shape;
                    return c;
                }
            }
        }
        // From any tensor in scope: reduce it to a scalar, or expand it if it broadcasts.
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) if (e.getValue() == Type.TENSOR) all.add(e.getKey());
        String n = pick(all);
        long[] s = shapes.get(n);
        if (Arrays.equals(s, shape)) return name(n);
        if (shape.length == 0) {
            Expr e = tnode(r.nextBoolean() ? "sum" : "mean", shape, name(n));
            return e;
        }
        Expr base = name(n);
        if (!broadcasts(s, shape)) base = tnode("sum", new long[0], base);
        Expr e = tnode("expand", shape, base);
        e.raw = dims(shape, false);
        return e;
    }

    private static boolean broadcasts(long[] from, long[] to) {
        if (from.length > to.length) return false;
        for (int i = 1; i <= from.length; i++) {
            long f = from[from.length - i], t = to[to.length - i];
            if (f != 1 && f != t) return false;
        }
        return true;
    }

    /** A double operand of a tensor op: a literal, a double parameter, local or field, or a small expression. */
    private Expr scalarOperand(boolean allowExpressions) {
        int k = r.nextInt(10);
        List<String> names = namesOf(Type.DOUBLE, true);
        if (k < 4 || (names.isEmpty() && k < 8)) {
            return literal(pick(List.of("2.0", "0.5", "3", "1.5", "-1.0", "0.1", "10")), Type.DOUBLE);
        }
        if (k < 8 || !allowExpressions) {
            if (names.isEmpty()) return literal("2.0", Type.DOUBLE);
            return name(pick(names));
        }
        if (k == 8) {
            List<String> ints = namesOf(Type.INT, true);
            if (!ints.isEmpty()) return name(pick(ints));
        }
        return doubleExpr(2);
    }

    private Expr nonZeroScalar() {
        for (int i = 0; i < 5; i++) {
            Expr e = scalarOperand(false);
            if (Math.abs(((Number) e.value).doubleValue()) > 0.05) return e;
        }
        return literal("2.0", Type.DOUBLE);
    }

    // ---------------------------------------------------------------------------------- values

    private double interestingDouble() {
        int k = r.nextInt(100);
        double sign = r.nextBoolean() ? 1 : -1;
        if (k < 60) {
            double v = -3 + 6 * r.nextDouble();
            return Math.abs(v) < 0.05 ? 0.75 : v;
        }
        if (k < 72) return pick(List.of(0.5, 2.0, -1.25, 1.0, 3.0, -0.5, 10.0, 0.1));
        if (k < 84) return sign * Math.pow(10, 3 + r.nextInt(150)) * (1 + r.nextDouble());
        if (k < 95) return sign * Math.pow(10, -3 - r.nextInt(290)) * (1 + r.nextDouble());
        return sign * pick(List.of(1e300, 1.7e308, 1e-310, 4.9e-324 * 3, 1e154, 1e-154));
    }

    private int interestingInt() {
        int k = r.nextInt(10);
        if (k < 6) return r.nextInt(21) - 10;
        if (k < 8) return r.nextInt(200001) - 100000;
        return pick(List.of(Integer.MAX_VALUE, Integer.MIN_VALUE, 46341, 65536, 100000, -100000, 1 << 30));
    }

    /**
     * An int for a literal or a static final field. While {@link KnownBugs#INTEGER_CONSTANTS_AS_DOUBLES}
     * is open, small enough that a product of three cannot overflow (the processor folds int and
     * long constants as doubles); parameters still get every value.
     */
    private int constantInt() {
        int v = interestingInt();
        return KnownBugs.INTEGER_CONSTANTS_AS_DOUBLES ? Math.floorMod(v, 2581) - 1290 : v;
    }

    private long constantLong() {
        long v = interestingLong();
        return KnownBugs.INTEGER_CONSTANTS_AS_DOUBLES ? Math.floorMod(v, 262145L) - 131072 : v;
    }

    private long interestingLong() {
        int k = r.nextInt(10);
        if (k < 6) return r.nextInt(21) - 10;
        if (k < 8) return r.nextLong(-10_000_000_000L, 10_000_000_000L);
        return pick(List.of(Long.MAX_VALUE, Long.MIN_VALUE + 1, 9007199254740993L, 4294967296L, 100000L, 3037000500L));
    }

    private String doubleLiteral() {
        if (r.nextInt(8) == 0) return pick(List.of("1e10", "1e-10", "1e300", "1e-300", "1e-3", "1.5e2"));
        return pick(List.of("0.5", "2.0", "3.0", "0.1", "1.0", "2.5", "7.0", "0.25", "3.141592653589793", "100.0", "2.",
                ".5", "1.25", "0.75", "4.0"));
    }

    private <T> T pick(List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
