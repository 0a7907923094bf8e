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
 * supports today: double methods (arithmetic, every supported Math/StrictMath function,
 * int/long/boolean data and locals, casts, {@code ?:}, compound assignments, {@code ++}/{@code --},
 * {@code % == != && || !}, static fields, calls) and tensor methods (Variable ops on shapes that
 * fit, {@code slice} by loop counters), both with control flow: if / else if / else, nested
 * branches, early returns in branches and loops, {@code for} (counting up or down, by 1 or more,
 * 0, 1 or many trips), {@code while} and {@code do} with counters in the condition or the body
 * and data-dependent conditions, {@code while (true)} with a break, break and continue (on the
 * first or last trip, or on data), nested loops and blocks; and, in some double methods, arrays
 * (see "arrays" below: parameters of every array type, local arrays, element reads and writes,
 * loops over arrays).
 *
 * <p>It knows each value at the checked point ({@link Interp}) and keeps function arguments inside
 * their domains and comparisons away from ties there, on every path a statement takes (see
 * "control flow" below), so that finite differences are meaningful there. Every loop terminates
 * whatever the inputs, in generated programs and in their mutants alike, and takes at most about
 * 20 trips (fewer when nested).
 *
 * <p>To grow with the language: add a {@link StmtForm} (or {@link Form}) with its rendering in
 * {@link Ast}, its semantics in {@link Interp#exec} (or {@link Interp#eval}), and a case in
 * {@link #compound} or {@link #simpleStatement}; the checker compares the interpreter with the
 * compiled source at the checked point, so a semantic slip there shows up as a finding.
 */
final class Generator {

    /** Names a user may well pick that the generated code also uses, or that name Java's own types. */
    static final List<String> TYPE_NAMES = List.of("Math", "Double", "String", "Kernels", "Transforms", "INDArray",
            "Integer", "Long", "Nd4j", "Object", "System", "OpCounts", "OpCount", "Generated", "DataType", "Arrays",
            "List", "Override", "Layout", "Shapes", "Tape", "Variable", "StrictMath", "DoubleStack", "IntStack",
            "BooleanStack", "ArrayStack");
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
        locked.clear();
        loops.clear();
        constant.clear();
        constantOnEntry.clear();
        rotated = 0;
        lazy = 0;
        regions = false;
        // while GATED_ADJOINT_AFTER_REGION is open: one method in four without branches and loops, with ?:, max and min
        regionsOk = !KnownBugs.GATED_ADJOINT_AFTER_REGION || r.nextInt(4) > 0;
        gatedOk = !KnownBugs.GATED_ADJOINT_AFTER_REGION || !regionsOk;
        ranges.clear();
        counterRanges.clear();
        nesting = 0;
        arrayMode = false;
        arrays.clear();
        boundBy.clear();
        localArrays = 0;
        activeArrays.clear();
        reading = 0;
        dead = 0;
        focus = null;
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
            if (KnownBugs.DOLLAR_NAMES_IN_LOOPS && name.startsWith("$")) continue;
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
        arrayMode = r.nextInt(100) < ARRAY_PERCENT;
        int doubles = arrayMode ? r.nextInt(3) : 1 + r.nextInt(4);
        int ints = r.nextInt(3);
        int longs = r.nextInt(2);
        int bools = r.nextInt(4) == 0 ? 1 : 0;
        List<Type> types = new ArrayList<>();
        for (int i = 0; i < doubles; i++) types.add(Type.DOUBLE);
        for (int i = 0; i < ints; i++) types.add(Type.INT);
        for (int i = 0; i < longs; i++) types.add(Type.LONG);
        for (int i = 0; i < bools; i++) types.add(Type.BOOL);
        shuffle(types);
        List<Param> params = new ArrayList<>();
        for (Type t : types) {
            Object v = switch (t) {
                case DOUBLE -> interestingDouble();
                case INT -> interestingInt();
                case LONG -> interestingLong();
                default -> r.nextBoolean();
            };
            params.add(new Param(freshName(), t, null, v));
        }
        if (arrayMode) {
            arrayParams(params);
            shuffle(params);
        }
        for (Param p : params) {
            m.params.add(p);
            vars.put(p.name, p.type);
            env.put(p.name, p.value);
            if (p.type.array()) arrays.put(p.name, parameterArray(p));
        }
        chooseWrt(m);
        budget = 10;
        block(m.body, arrayMode ? 1 + r.nextInt(6) : r.nextInt(7));
        if (!Stmt.completesNormally(m.body)) {
            unreadArraysOutOfWrt(m);
            return m;
        }
        if (regionsOk && r.nextInt(12) == 0) {
            // the method ends in an if whose branches both return
            Stmt last = finalIf();
            if (last != null) {
                m.body.add(last);
                unreadArraysOutOfWrt(m);
                return m;
            }
        }
        m.body.add(new Stmt(StmtForm.RETURN, null, null, null, liveReturn(m.body)));
        unreadArraysOutOfWrt(m);
        return m;
    }

    /**
     * A double to return that keeps the body live: most returns combine a local (or a parameter
     * that was assigned) in scope with the rest.
     */
    private Expr liveReturn(List<Stmt> body) {
        Expr ret = doubleExpr(3);
        List<String> assigned = new ArrayList<>();
        List<Stmt> all = new ArrayList<>();
        for (Stmt st : body) st.statements(all);
        for (Stmt st : all) {
            if (st.name != null && vars.get(st.name) == Type.DOUBLE && !assigned.contains(st.name)) assigned.add(st.name);
        }
        if (!assigned.isEmpty() && r.nextInt(10) < 7) {
            Expr local = name(pick(assigned));
            Expr combined = node(Form.BINARY, pick(List.of("+", "-", "*")), Type.DOUBLE, local, ret);
            if (usable((Double) combined.value)) ret = combined;
        }
        // and an element of a local double array (whose writes would be dead otherwise)
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, ArrayInfo> a : arrays.entrySet()) {
            if (a.getValue().local() && vars.get(a.getKey()) == Type.DARR && a.getValue().length() > 0) written.add(a.getKey());
        }
        if (!written.isEmpty() && r.nextInt(10) < 7) {
            String a = pick(written);
            Expr read = node(Form.INDEX, null, Type.DOUBLE, name(a), index(name(a), arrays.get(a).length()));
            Expr combined = node(Form.BINARY, pick(List.of("+", "-", "*")), Type.DOUBLE, read, ret);
            if (usable((Double) combined.value)) ret = combined;
        }
        if (KnownBugs.UNREACHED_ARRAY_PARAMETER) {
            // every differentiated double[] the result may not depend on otherwise (a known bug)
            List<Expr> nodes = new ArrayList<>();
            ret.collect(nodes);
            for (Param p : method.differentiated()) {
                if (p.type != Type.DARR || arrays.get(p.name).length() == 0) continue;
                if (nodes.stream().anyMatch(x -> x.form == Form.INDEX && x.kids[0].form == Form.NAME && x.kids[0].text.equals(p.name))) continue;
                Expr read = node(Form.INDEX, null, Type.DOUBLE, name(p.name), index(name(p.name), arrays.get(p.name).length()));
                Expr combined = node(Form.BINARY, pick(List.of("+", "-", "*")), Type.DOUBLE, ret, read);
                if (usable((Double) combined.value)) ret = combined;
            }
        }
        return ret;
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

    // ------------------------------------------------------------------------------ control flow
    //
    // A compound statement (if, a loop, a block) is generated with the values at its entry (a loop
    // body with those of its first iteration, each branch as if it were taken), then run by the
    // interpreter from the values at its entry under a guard: on every path it takes at the
    // checked point (every iteration), every function argument must be inside its domain, every
    // comparison involving a double away from a tie, every double finite. Otherwise it is
    // generated again (a few times, then a simple statement takes its place). The interpreter's
    // values after it are the values generation goes on with.
    //
    // Loops terminate whatever the inputs (the checker's other points, and mutants): every loop has
    // a counter of its own, named from COUNTER_NAMES (no other local, parameter or field takes
    // these names, so no generated or mutated statement can assign one), changed only by its
    // loop's header or by a step the mutator leaves alone (fixed), and bounded by a constant or a
    // remainder (n % 7 + 2) in a part of the condition the mutator leaves alone too.

    static final List<String> COUNTER_NAMES = List.of("i", "j", "n", "m", "iter", "idx", "trip", "left", "cnt", "steps",
            "frame", "trips", "go");

    /** Statements the method may still get: keeps programs, and so compile times, about as large as before. */
    private int budget;
    /** Compound statements around the statement being generated. */
    private int nesting;
    /** Loop counters in scope: read anywhere, changed only by their own loop. */
    private final Set<String> locked = new HashSet<>();
    /** The loops around the statement being generated, innermost last. */
    private final List<Loop> loops = new ArrayList<>();
    /** Double locals whose value depends on no double parameter (so far, in generation order). */
    private final Set<String> constant = new HashSet<>();
    /**
     * For each loop around the statement being generated, the doubles that were {@link #constant}
     * on entry to it and to every loop around it (see {@link KnownBugs#UNCHANGED_LOOP_ADJOINT}).
     */
    private final List<Set<String>> constantOnEntry = new ArrayList<>();

    /**
     * Loops around the statement being generated whose condition is tested after the body or has
     * a side effect (do, {@code while (k++ < n)}: the frontend "rotates" those).
     */
    private int rotated;

    /** Branches of ?: and right operands of && and || around the expression being generated. */
    private int lazy;
    /** Whether the method has an if or a loop before (or around) the statement being generated. */
    private boolean regions;
    /** Whether the method may have ifs and loops, and whether it may have {@code ?:}, max and min (see the switch). */
    private boolean regionsOk, gatedOk;

    /** For each counter in scope, the least and greatest value it can take, whatever the inputs. */
    private final Map<String, int[]> ranges = new HashMap<>();

    /**
     * A loop being generated: its counter, and makers of conditions true on its first and on its
     * last iteration (null where the loop's form has none).
     */
    private record Loop(String counter, java.util.function.Supplier<Expr> first, java.util.function.Supplier<Expr> last) {}

    /** Up to {@code n} statements into {@code out}, ending early after one that cannot complete normally. */
    private void block(List<Stmt> out, int n) {
        for (int i = 0; i < n && budget > 0; i++) {
            Stmt s = anyStatement();
            out.add(s);
            if (!s.completesNormally()) return;
        }
    }

    private Stmt anyStatement() {
        budget--;
        if (arrayMode && nesting == 0 && loops.isEmpty() && localArrays < 3 && r.nextInt(100) < (localArrays == 0 ? 45 : 15)
                && !(KnownBugs.ARRAY_AFTER_RETURN && returns(method.body))) {
            return arrayDeclaration();
        }
        int share = method.tensor() ? (nesting == 0 ? 30 : 10) : nesting == 0 ? (arrayMode ? 55 : 45) : nesting == 1 ? 25 : 8;
        if (regionsOk && nesting < 3 && r.nextInt(100) < share) {
            Stmt s = compound();
            if (s != null) return s;
        }
        return method.tensor() ? tensorStatement() : simpleStatement(loops.isEmpty() ? 6 : 3);
    }

    /**
     * The generation state a compound statement rolls back once generated (the interpreter then
     * gives the values after it), or when an attempt fails. The budget spent stays spent.
     */
    private record Snapshot(Map<String, Type> vars, Map<String, Object> env, Set<String> taken, Set<String> locked,
            Set<String> positive, Map<String, long[]> shapes, Map<String, int[]> ranges, Set<String> constant,
            Map<String, ArrayInfo> arrays, Map<String, String> boundBy) {}

    /** A copy of {@code values} with arrays of their own (element writes while generating change the copy only). */
    private static Map<String, Object> copy(Map<String, Object> values) {
        Map<String, Object> c = new HashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) c.put(e.getKey(), Ast.deepCopy(e.getValue()));
        return c;
    }

    private Snapshot snapshot() {
        return new Snapshot(new LinkedHashMap<>(vars), copy(env), new HashSet<>(taken), new HashSet<>(locked),
                new HashSet<>(positive), new HashMap<>(shapes), new HashMap<>(ranges), new HashSet<>(constant),
                new HashMap<>(arrays), new HashMap<>(boundBy));
    }

    private void restore(Snapshot s) {
        vars.clear();
        vars.putAll(s.vars);
        env.clear();
        env.putAll(copy(s.env));
        taken.clear();
        taken.addAll(s.taken);
        locked.clear();
        locked.addAll(s.locked);
        positive.clear();
        positive.addAll(s.positive);
        shapes.clear();
        shapes.putAll(s.shapes);
        ranges.clear();
        ranges.putAll(s.ranges);
        constant.clear();
        constant.addAll(s.constant);
        arrays.clear();
        arrays.putAll(s.arrays);
        boundBy.clear();
        boundBy.putAll(s.boundBy);
    }

    /** An if, a loop or a block that runs cleanly at the checked point from the values here, or null. */
    private Stmt compound() {
        Snapshot before = snapshot();
        for (int tries = 0; tries < 4; tries++) {
            int k = r.nextInt(100);
            // (no loop in a rotated loop while that is a known bug)
            if (KnownBugs.LOOP_IN_BRANCH_OF_ROTATED_LOOP && rotated > 0) k = k < 50 ? 0 : 99;
            Stmt s;
            nesting++;
            try {
                s = arrayMode && r.nextInt(100) < 60 ? arrayLoop()
                        : k < 36 ? ifStatement() : k < 42 ? assignedByIf() : k < 67 ? forLoop() : k < 82 ? whileLoop()
                        : k < 95 ? doLoop() : blockStatement();
            } finally {
                nesting--;
            }
            restore(before);
            if (s != null && runs(s)) {
                regions = true;
                return s;
            }
        }
        return null;
    }

    /**
     * Runs {@code s} under the guard from the values here; on success, takes the values after it
     * (and a loop counter it declares into this scope) and returns true.
     */
    private boolean runs(Stmt s) {
        Map<String, Object> after = copy(env);
        List<String> declared = new ArrayList<>();
        try {
            new Interp(fieldValues, guard).exec(s, after, declared);
        } catch (Interp.Fault f) {
            if (dead > 0) {
                // code in a loop over an empty array never runs: the values it was made with are made up
                declared.clear();
                if (s.init != null && s.form != StmtForm.FOR) declared.add(s.init.name);
                after = env;
            } else if (f.java != null && f.java != ArithmeticException.class) {
                // indices are in range by construction, whatever the inputs: one out of range is the generator's bug
                throw new IllegalStateException("generated " + f.getMessage() + " at the checked point (a generator bug):\n" + s.render());
            } else {
                return false;
            }
        }
        for (String d : declared) {
            // a counter written just before its while or do loop (in scope from here on, and locked),
            // or a local declared without a value before an if that assigns it on every path
            vars.put(d, Interp.typeOf(s.init.declaredType));
            if (!after.containsKey(d)) env.put(d, zero(vars.get(d))); // (in code that never runs)
            taken.add(d);
            if (s.init.fixed) {
                locked.add(d);
                ranges.put(d, counterRanges.get(s.init));
            }
        }
        for (String n : vars.keySet()) if (after.containsKey(n)) env.put(n, after.get(n));
        // what it assigns may now depend on a parameter
        List<Stmt> all = new ArrayList<>();
        s.statements(all);
        for (Stmt t : all) if (t.form == StmtForm.ASSIGN) constant.remove(t.name);
        return true;
    }

    /** Whether {@code e} reads no double but {@link #constant} ones (nor calls with such arguments). */
    private boolean constantValued(Expr e) {
        List<Expr> all = new ArrayList<>();
        e.collect(all);
        for (Expr x : all) {
            if (x.form == Form.NAME && x.type == Type.DOUBLE && vars.containsKey(x.text) && !constant.contains(x.text)) return false;
        }
        return true;
    }

    /** Whether a local may be assigned a bare name here (see the switches). */
    private boolean copyOk() {
        return !(KnownBugs.LOOP_LOST_COPY && !loops.isEmpty() || KnownBugs.COPY_ONLY_BRANCH && nesting > 0);
    }

    /** Whether {@code e} is a name, maybe in parentheses or after a unary plus. */
    private static boolean bareName(Expr e) {
        while (e.form == Form.PAREN || e.form == Form.UNARY && e.text.equals("+")) e = e.kids[0];
        return e.form == Form.NAME;
    }

    /** Whether {@code e} is {@code v}, or {@code v} plus or minus terms that do not read it. */
    private static boolean additiveIn(Expr e, String v) {
        if (e.form == Form.PAREN || e.form == Form.UNARY && e.text.equals("+")) return additiveIn(e.kids[0], v);
        if (e.form == Form.NAME) return e.text.equals(v);
        if (e.form != Form.BINARY) return false;
        if (e.text.equals("+")) return additiveIn(e.kids[0], v) && !reads(e.kids[1], v) || additiveIn(e.kids[1], v) && !reads(e.kids[0], v);
        return e.text.equals("-") && additiveIn(e.kids[0], v) && !reads(e.kids[1], v);
    }

    private static boolean reads(Expr e, String v) {
        List<Expr> all = new ArrayList<>();
        e.collect(all);
        return all.stream().anyMatch(x -> x.form == Form.NAME && x.text.equals(v));
    }

    /**
     * Whether an assignment {@code v op e} may be written here: while {@link
     * KnownBugs#UNCHANGED_LOOP_ADJOINT} is open, not one that only adds to a double in a loop
     * whose value on entry depends on a parameter.
     */
    private boolean additionAllowed(String v, String op, Expr e) {
        if (!KnownBugs.UNCHANGED_LOOP_ADJOINT || constantOnEntry.isEmpty() || vars.get(v) != Type.DOUBLE) return true;
        boolean additive = op.equals("+=") || op.equals("-=") || op.equals("=") && additiveIn(e, v);
        return !additive || constantOnEntry.get(constantOnEntry.size() - 1).contains(v);
    }

    /** The range of the counter each while or do loop declares before it. */
    private final Map<Stmt, int[]> counterRanges = new java.util.IdentityHashMap<>();

    /** Rejects what the checked point should not meet (see the comment above). */
    private final Interp.Guard guard = new Interp.Guard() {
        @Override
        public void node(Expr e, Object[] kids, Object value) {
            if (value instanceof Double d && !usable(d)) throw new Interp.Fault("not finite");
            switch (e.form) {
                case CALL -> {
                    if (e.callee != null || e.type == Type.TENSOR) return;
                    String f = e.text.substring(e.text.lastIndexOf('.') + 1);
                    boolean ok = kids.length == 1 ? unaryOk(f, ((Number) kids[0]).doubleValue())
                            : binaryOk(f, e.kids[0], e.kids[1], kids[0], kids[1]);
                    if (!ok) throw new Interp.Fault("outside the domain of " + f);
                }
                case BINARY -> {
                    if (kids.length == 2 && (kids[0] instanceof Double || kids[1] instanceof Double)
                            && List.of("<", "<=", ">", ">=", "==", "!=").contains(e.text)
                            && !apart(((Number) kids[0]).doubleValue(), ((Number) kids[1]).doubleValue())) {
                        throw new Interp.Fault("a tie");
                    }
                }
                case METHOD -> {
                    if (e.text.equals("div") && kids.length > 1 && kids[1] instanceof Number d && Math.abs(d.doubleValue()) < 0.05) {
                        throw new Interp.Fault("division by about zero");
                    }
                    if (e.text.equals("slice")) {
                        int at = (Integer) kids[1];
                        if (at < 0 || at >= e.kids[0].shape[0]) throw new Interp.Fault("slice " + at);
                    }
                }
                default -> { }
            }
        }

        @Override
        public void assign(Stmt s, Object old, Object rhs, Object value) {
            if (value instanceof Double d && !usable(d)) throw new Interp.Fault("not finite");
            if (s.operator.equals("/=") && value instanceof Double && Math.abs(((Number) rhs).doubleValue()) < 1e-200) {
                throw new Interp.Fault("division by zero");
            }
        }
    };

    /** Runs {@code body} in a scope of its own: what it declares is gone afterwards (and its names free again). */
    private void scope(Runnable body) {
        Set<String> outer = new HashSet<>(vars.keySet());
        body.run();
        for (String n : new ArrayList<>(vars.keySet())) {
            if (outer.contains(n)) continue;
            vars.remove(n);
            env.remove(n);
            taken.remove(n);
            locked.remove(n);
            ranges.remove(n);
            shapes.remove(n);
            positive.remove(n);
            arrays.remove(n);
            boundBy.remove(n);
        }
    }

    /** The statements of a branch or a loop body: one to three, maybe ending in a jump. */
    private List<Stmt> branch(int jumpPercent) {
        List<Stmt> b = new ArrayList<>();
        scope(() -> {
            block(b, 1 + r.nextInt(3));
            if (Stmt.completesNormally(b) && r.nextInt(100) < jumpPercent) {
                Stmt jump = jump();
                if (jump != null) b.add(jump);
            }
        });
        return b;
    }

    /** return, or inside a loop also break or continue. */
    private Stmt jump() {
        int k = r.nextInt(10);
        boolean noReturn = method.tensor() && KnownBugs.NESTED_RETURN_IN_TENSOR_METHOD && (nesting > 1 || !loops.isEmpty());
        if (!loops.isEmpty() && (k < 3 || noReturn && k < 6)) return new Stmt(StmtForm.BREAK, null, null, null, null);
        if (!loops.isEmpty() && (k < 5 || noReturn)) return new Stmt(StmtForm.CONTINUE, null, null, null, null);
        if (noReturn) return null;
        return new Stmt(StmtForm.RETURN, null, null, null, returnValue());
    }

    private Expr returnValue() {
        return method.tensor() ? tensor(method.resultShape, 2) : doubleExpr(2);
    }

    private Stmt ifStatement() {
        Expr c = ifCondition();
        Map<String, Object> entry = copy(env);
        Stmt s = Stmt.control(StmtForm.IF, c, branch(20));
        env.putAll(copy(entry));
        int k = r.nextInt(10);
        if (k < 3 && nesting < 3) {
            // else if
            nesting++;
            Stmt next = ifStatement();
            nesting--;
            s.elseBody = new ArrayList<>(List.of(next));
        } else if (k < 7) {
            s.elseBody = branch(20);
        }
        s.braces = r.nextInt(3) > 0;
        return s;
    }

    /**
     * {@code double y; if (c) { ...; y = a; } else { ...; y = b; }}: a local declared without a
     * value, assigned on every path through the if (a branch may return instead, in double methods).
     */
    private Stmt assignedByIf() {
        if (method.tensor()) return ifStatement();
        String y = freshName();
        Type t = r.nextInt(4) == 0 ? Type.INT : Type.DOUBLE;
        Stmt init = new Stmt(StmtForm.DECLARE, t.java, y, null, null);
        Stmt s = Stmt.control(StmtForm.IF, ifCondition(), assigning(y, t));
        s.elseBody = assigning(y, t);
        s.init = init;
        return s;
    }

    /** A branch that assigns {@code y} last (unless it jumps). */
    private List<Stmt> assigning(String y, Type t) {
        Map<String, Object> entry = copy(env);
        List<Stmt> b = new ArrayList<>();
        // (in the branch's scope: the value may read its locals, and must see the names they hide)
        scope(() -> {
            block(b, r.nextInt(3));
            if (Stmt.completesNormally(b) && r.nextInt(10) == 0) {
                Stmt jump = jump();
                if (jump != null) b.add(jump);
            }
            if (Stmt.completesNormally(b)) {
                Expr e = t == Type.DOUBLE ? doubleExpr(2) : intExpr(2);
                for (int tries = 0; tries < 8 && bareName(e) && !copyOk(); tries++) e = t == Type.DOUBLE ? doubleExpr(2) : intExpr(2);
                if (bareName(e) && !copyOk()) e = node(Form.BINARY, "*", e.type, e, literal("2", Type.INT));
                b.add(new Stmt(StmtForm.ASSIGN, null, y, "=", e));
            }
        });
        env.putAll(copy(entry));
        return b;
    }

    /**
     * The condition of an if: while {@link KnownBugs#CONSTANT_IF_CONDITION} or {@link
     * KnownBugs#CONSTANT_IF_AFTER_LOOP} is open, not a constant.
     */
    private Expr ifCondition() {
        boolean avoid = KnownBugs.CONSTANT_IF_CONDITION || KnownBugs.CONSTANT_IF_AFTER_LOOP;
        Expr c = condition(2);
        for (int tries = 0; tries < 8 && avoid && foldsToConstant(c); tries++) c = condition(2);
        if (!avoid || !foldsToConstant(c)) return c;
        // a comparison of a local or parameter with a bound it is far from
        List<String> numbers = new ArrayList<>(namesOf(Type.DOUBLE, false));
        numbers.addAll(namesOf(Type.INT, false));
        numbers.removeIf(n -> !(env.get(n) instanceof Number v) || Math.abs(v.doubleValue()) > (v instanceof Integer ? 1e9 : 1e300));
        if (numbers.isEmpty()) return c;
        String n = pick(numbers);
        double v = ((Number) env.get(n)).doubleValue();
        Expr bound = vars.get(n) == Type.INT ? intConstant((int) v + 1) : literal(Double.toString(v + Math.max(1, Math.abs(v))), Type.DOUBLE);
        return node(Form.BINARY, r.nextBoolean() ? "<" : ">=", Type.BOOL, name(n), bound);
    }

    /**
     * Whether some boolean part of {@code c} reads only constants, or compares a value with itself
     * ({@code (w) < w}), so that folding may decide it.
     */
    private boolean foldsToConstant(Expr c) {
        List<Expr> all = new ArrayList<>();
        c.collect(all);
        for (Expr e : all) if (e.type == Type.BOOL && readsOnlyConstants(e)) return true;
        for (Expr e : all) {
            if (e.form == Form.BINARY && List.of("<", "<=", ">", ">=", "==", "!=").contains(e.text)
                    && e.kids[0].render().replaceAll("[()]", "").equals(e.kids[1].render().replaceAll("[()]", ""))) return true;
        }
        return false;
    }

    /** Whether {@code e} reads nothing but literals and static final fields. */
    private boolean readsOnlyConstants(Expr e) {
        List<Expr> all = new ArrayList<>();
        e.collect(all);
        for (Expr x : all) {
            if (x.form != Form.NAME) continue;
            String n = x.text.substring(x.text.lastIndexOf('.') + 1);
            boolean finalField = (x.text.indexOf('.') >= 0 || !vars.containsKey(n))
                    && program.fields.stream().anyMatch(f -> f.name.equals(n) && f.isFinal);
            if (!finalField) return false;
        }
        return true;
    }

    /** The method's last statement: an if (else if) else whose branches all return. */
    private Stmt finalIf() {
        Snapshot before = snapshot();
        for (int tries = 0; tries < 4; tries++) {
            nesting++;
            Stmt s = Stmt.control(StmtForm.IF, ifCondition(), returning());
            Stmt last = s;
            while (r.nextInt(3) == 0) {
                Stmt next = Stmt.control(StmtForm.IF, ifCondition(), returning());
                last.elseBody = new ArrayList<>(List.of(next));
                last = next;
            }
            last.elseBody = returning();
            s.braces = r.nextBoolean();
            nesting--;
            restore(before);
            if (runs(s)) return s;
        }
        return null;
    }

    /** A branch that ends in a return. */
    private List<Stmt> returning() {
        List<Stmt> b = new ArrayList<>();
        scope(() -> {
            if (r.nextInt(3) == 0) block(b, 1);
            if (Stmt.completesNormally(b)) b.add(new Stmt(StmtForm.RETURN, null, null, null, returnValue()));
        });
        return b;
    }

    private Stmt blockStatement() {
        List<Stmt> b = new ArrayList<>();
        scope(() -> block(b, 1 + r.nextInt(3)));
        Stmt s = Stmt.control(StmtForm.BLOCK, null, b);
        return s;
    }

    // ---- loops

    /** The most trips a loop here may take: fewer inside other loops, so that a method stays cheap to run. */
    private int maxTrips() {
        return switch (loops.size()) {
            case 0 -> 16;
            case 1 -> 6;
            default -> 3;
        };
    }

    private String counterName() {
        List<String> free = new ArrayList<>();
        for (String n : COUNTER_NAMES) if (!taken.contains(n)) free.add(n);
        if (free.isEmpty()) return null;
        String n = free.size() > 3 && r.nextInt(3) > 0 ? free.get(0) : pick(free);
        taken.add(n);
        return n;
    }

    /**
     * A fixed int expression whose value lies in [lo, hi] whatever the inputs; or, with some
     * {@code slack}, the counter of an enclosing loop whose range lies in [lo - 2, hi + slack]
     * (a triangular loop).
     */
    private Expr bounded(int lo, int hi, int slack) {
        int k = r.nextInt(10);
        if (k < 4 || hi - lo < 2) return intConstant(lo + r.nextInt(hi - lo + 1));
        // a counter of an enclosing loop whose range fits (a triangular loop)
        if (k < 6) {
            List<String> fit = new ArrayList<>();
            for (Map.Entry<String, int[]> e : ranges.entrySet()) {
                if (vars.get(e.getKey()) == Type.INT && e.getValue()[0] >= lo - (slack > 0 ? 2 : 0) && e.getValue()[1] <= hi + slack) {
                    fit.add(e.getKey());
                }
            }
            if (!fit.isEmpty()) return name(pick(fit)).fix();
        }
        // n % m + c: within c - (m - 1) .. c + (m - 1)
        List<String> sources = new ArrayList<>(namesOf(Type.INT, true));
        sources.removeAll(locked);
        if (sources.isEmpty()) return intConstant(lo + r.nextInt(hi - lo + 1));
        int m = 2 + r.nextInt(Math.max(1, (hi - lo) / 2));
        int c = lo + m - 1 + r.nextInt(Math.max(1, hi - lo - 2 * (m - 1) + 1));
        Expr rem = node(Form.BINARY, "%", Type.INT, name(pick(sources)), intConstant(m));
        if (k == 9) rem = math(mathQualifier() + ".abs", rem);
        Expr e = c == 0 ? rem : node(Form.BINARY, c > 0 ? "+" : "-", Type.INT, rem, intConstant(Math.abs(c)));
        return e.fix();
    }

    private Expr intConstant(int v) {
        return v < 0 ? node(Form.UNARY, "-", Type.INT, literal(Integer.toString(-v), Type.INT)) : literal(Integer.toString(v), Type.INT);
    }

    /** {@code ++k}, {@code k--} ... on a local in scope, with its value from the values here. */
    private Expr incdec(String k, String op, boolean post) {
        // (its name fixed: the mutator must not turn it into an increment of a loop counter)
        Expr e = new Expr(Form.INCDEC, op, vars.get(k), name(k).fix());
        e.raw = post ? "post" : "pre";
        e.value = Interp.apply(e, new Object[] {env.get(k)});
        return e;
    }

    /** {@code for (int i = start; i < bound; i += step)}, or counting down; maybe with a data condition too. */
    private Stmt forLoop() {
        String i = counterName();
        if (i == null) return null;
        int trips = maxTrips();
        boolean up = r.nextInt(3) > 0;
        int step = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
        boolean inclusive = r.nextInt(3) == 0;
        // the low end in [-2, 2], the high end within trips of it
        int sLo = -2, sHi = 2;
        Expr low = bounded(sLo, sHi, 0);
        Expr high = bounded(sLo, sHi + trips - 1 - (inclusive ? 1 : 0), 14);
        List<Long> firsts = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) {
            if (e.getValue() == Type.TENSOR && shapes.get(e.getKey()).length > 0) firsts.add(shapes.get(e.getKey())[0]);
        }
        if (method.tensor() && !firsts.isEmpty() && r.nextBoolean()) {
            // for (int i = 0; i < 3; i++), 3 the first size of a tensor here (to slice it)
            up = true;
            inclusive = false;
            step = 1;
            low = intConstant(0);
            high = intConstant((int) (long) pick(firsts)).fix();
        }
        Expr start = up ? low : high, end = up ? high : low;
        Stmt init = new Stmt(StmtForm.DECLARE, r.nextInt(8) == 0 ? "var" : "int", i, null, start);
        init.fixed = true;
        vars.put(i, Type.INT);
        env.put(i, Interp.convert(Interp.eval(start, env, fieldValues), Type.INT));
        locked.add(i);
        int[] exact = null;
        if (constant(start) && constant(end)) {
            int a = ((Number) Interp.eval(start, env, fieldValues)).intValue(), b = ((Number) Interp.eval(end, env, fieldValues)).intValue();
            exact = up ? new int[] {a, Math.max(a, inclusive ? b : b - 1)} : new int[] {Math.min(a, inclusive ? b : b + 1), a};
        }
        ranges.put(i, exact != null ? exact : new int[] {sLo, sHi + trips + 14});
        Expr counter = name(i).fix();
        Expr guardExpr;
        if (up) {
            guardExpr = r.nextInt(4) == 0
                    ? node(Form.BINARY, inclusive ? ">=" : ">", Type.BOOL, end, counter)
                    : node(Form.BINARY, inclusive ? "<=" : "<", Type.BOOL, counter, end);
        } else {
            guardExpr = node(Form.BINARY, inclusive ? ">=" : ">", Type.BOOL, counter, end);
        }
        guardExpr.fix();
        Stmt update;
        if (step == 1 && r.nextInt(4) > 0) {
            update = new Stmt(StmtForm.EXPR, null, null, null, incdec(i, up ? "++" : "--", r.nextBoolean()).fix());
        } else if (r.nextBoolean()) {
            update = new Stmt(StmtForm.ASSIGN, null, i, up ? "+=" : "-=", intConstant(step).fix());
        } else {
            update = new Stmt(StmtForm.ASSIGN, null, i, "=", node(Form.BINARY, up ? "+" : "-", Type.INT, name(i), intConstant(step)).fix());
        }
        update.fixed = true;
        String last = up ? (inclusive ? ">" : ">=") : (inclusive ? "<" : "<=");
        String toward = up ? "+" : "-";
        int by = step;
        Loop loop = new Loop(i, () -> node(Form.BINARY, "==", Type.BOOL, name(i), unqualified(start.copy())),
                () -> node(Form.BINARY, last, Type.BOOL, node(Form.BINARY, toward, Type.INT, name(i), intConstant(by)), unqualified(end.copy())));
        Stmt s = new Stmt(StmtForm.FOR, null, null, null, withData(guardExpr));
        s.init = init;
        s.update = update;
        s.fixed = true;
        s.body = loopBody(loop, false);
        s.braces = r.nextInt(4) > 0;
        vars.remove(i);
        env.remove(i);
        locked.remove(i);
        ranges.remove(i);
        taken.remove(i);
        return s;
    }

    /**
     * {@code e} with fields read by their simple names where a local now hides the class ({@code
     * P.K} written in a loop's header, copied into its body after {@code double P = ...}).
     */
    private Expr unqualified(Expr e) {
        if (!taken.contains(program.cls)) return e;
        List<Expr> all = new ArrayList<>();
        e.collect(all);
        for (Expr x : all) if (x.form == Form.NAME && x.text.startsWith(program.cls + ".")) x.text = x.text.substring(program.cls.length() + 1);
        return e;
    }

    /** Whether {@code e} reads no name: its value is the same everywhere. */
    private static boolean constant(Expr e) {
        List<Expr> all = new ArrayList<>();
        e.collect(all);
        return all.stream().noneMatch(x -> x.form == Form.NAME || x.form == Form.CALL);
    }

    /**
     * Sometimes joins a data-dependent condition to a loop's guard (which alone bounds its trips).
     * A condition read before the guard also runs when the guard ends the loop: no counter's range
     * (which holds in the body) is assumed there, so it indexes no array by a counter.
     */
    private Expr withData(Expr guardExpr) {
        if (r.nextInt(3) > 0) return guardExpr;
        boolean after = r.nextBoolean();
        Map<String, int[]> saved = new HashMap<>(ranges);
        Map<String, String> savedBounds = new HashMap<>(boundBy);
        if (!after) {
            ranges.clear();
            boundBy.clear();
        }
        Expr data;
        try {
            data = condition(1);
        } finally {
            ranges.putAll(saved);
            boundBy.putAll(savedBounds);
        }
        Expr both = after ? node(Form.BINARY, "&&", Type.BOOL, guardExpr, data) : node(Form.BINARY, "&&", Type.BOOL, data, guardExpr);
        both.fixed = true;
        return both;
    }

    /** A loop body: statements, maybe an {@code if (...) break;} or {@code continue} among them. */
    private List<Stmt> loopBody(Loop loop, boolean rotates) {
        loops.add(loop);
        constantOnEntry.add(constantOnEntry());
        if (rotates) rotated++;
        List<Stmt> b = new ArrayList<>();
        try {
            // (all in the body's scope: a condition must see the names its locals hide)
            scope(() -> {
                int jumpIf = r.nextInt(6); // 0: first in the body, 1: last
                if (jumpIf == 0) b.add(jumpIf(loop));
                Stmt first = elementFirst ? elementStatement() : null;
                elementFirst = false;
                if (first != null) b.add(first);
                block(b, first != null ? r.nextInt(3) : 1 + r.nextInt(3));
                if (jumpIf == 1 && Stmt.completesNormally(b)) b.add(jumpIf(loop));
                if (Stmt.completesNormally(b) && r.nextInt(100) < 8) {
                    Stmt jump = jump();
                    if (jump != null && jump.form == StmtForm.BREAK && rotates && KnownBugs.BREAK_ENDS_ROTATED_LOOP) jump.form = StmtForm.CONTINUE;
                    if (jump != null) b.add(jump);
                }
            });
        } finally {
            loops.remove(loops.size() - 1);
            constantOnEntry.remove(constantOnEntry.size() - 1);
            if (rotates) rotated--;
        }
        return b;
    }

    /** {@code if (c) break;} or {@code continue}, c true on the loop's first or last trip, or on data. */
    private Stmt jumpIf(Loop loop) {
        Expr c;
        int k = r.nextInt(4);
        if (k == 0 && loop.first != null) c = loop.first.get();
        else if (k == 1 && loop.last != null) c = loop.last.get();
        else if (k == 2 && loop.counter != null) c = node(Form.BINARY, "==", Type.BOOL,
                node(Form.BINARY, "%", Type.INT, name(loop.counter), intConstant(2 + r.nextInt(2))), intConstant(r.nextInt(2)));
        else c = condition(1);
        Stmt jump = new Stmt(r.nextBoolean() ? StmtForm.BREAK : StmtForm.CONTINUE, null, null, null, null);
        Stmt cond = Stmt.control(StmtForm.IF, c, new ArrayList<>(List.of(jump)));
        cond.braces = r.nextInt(4) == 0;
        return cond;
    }

    /** The doubles constant here and on entry to every loop around. */
    private Set<String> constantOnEntry() {
        Set<String> c = new HashSet<>(constant);
        if (!constantOnEntry.isEmpty()) c.retainAll(constantOnEntry.get(constantOnEntry.size() - 1));
        return c;
    }

    /**
     * A counter declared just before a while or do loop, in the scope around it and so in scope
     * here from now on (generation's view, until {@link #runs} takes over); its range in
     * [lo, hi] whatever the inputs.
     */
    private Stmt counterInit(String k, Expr value, int lo, int hi) {
        Stmt init = new Stmt(StmtForm.DECLARE, r.nextInt(10) == 0 ? "long" : "int", k, null, value.fix());
        init.fixed = true;
        counterRanges.put(init, new int[] {lo, hi});
        Type t = Interp.typeOf(init.declaredType);
        vars.put(k, t);
        env.put(k, Interp.convert(Interp.eval(init.expr, env, fieldValues), t));
        locked.add(k);
        return init;
    }

    /** Sets the value of {@code k} that generation goes on with (in a loop body: on its first trip). */
    private void assume(String k, int v) {
        env.put(k, Interp.convert(v, vars.get(k)));
    }

    private Stmt whileLoop() {
        String k = counterName();
        if (k == null) return null;
        int trips = maxTrips();
        Stmt s;
        int form = r.nextInt(4);
        if (form == 0) {
            // int k = n % 5 + 2; while (k-- > 0) { ... }
            Stmt init = counterInit(k, bounded(-1, trips, 0), -2, trips);
            boolean post = r.nextBoolean();
            Expr test = node(Form.BINARY, post ? ">" : ">=", Type.BOOL, incdec(k, "--", post), intConstant(0)).fix();
            s = Stmt.control(StmtForm.WHILE, withData(test), null);
            s.init = init;
            assume(k, ((Number) env.get(k)).intValue() - 1);
            s.body = loopBody(new Loop(k, null, () -> node(Form.BINARY, "==", Type.BOOL, name(k), intConstant(0))), true);
        } else {
            // int k = 0; while (k < 12 && data) { k++; ... }, or the step in the condition, or while (true) with a break
            Stmt init = counterInit(k, intConstant(0), 0, trips);
            Expr bound = bounded(0, trips, 0);
            List<Stmt> steps = new ArrayList<>();
            Expr test;
            if (form == 1) {
                test = node(Form.BINARY, "<", Type.BOOL, name(k), bound).fix();
                steps.add(step(k));
            } else if (form == 2) {
                test = node(Form.BINARY, "<", Type.BOOL, incdec(k, "++", true), bound).fix();
            } else {
                test = literal("true", Type.BOOL).fix();
                Stmt brk = Stmt.control(StmtForm.IF, node(Form.BINARY, ">", Type.BOOL, incdec(k, "++", false), bound).fix(),
                        new ArrayList<>(List.of(new Stmt(StmtForm.BREAK, null, null, null, null))));
                brk.fixed = true;
                brk.body.get(0).fixed = true;
                brk.braces = r.nextBoolean();
                steps.add(brk);
            }
            s = Stmt.control(StmtForm.WHILE, form == 3 ? test : convergent(test, steps), null);
            s.init = init;
            assume(k, 1);
            List<Stmt> body = loopBody(new Loop(k, () -> node(Form.BINARY, "==", Type.BOOL, name(k), intConstant(1)), null), form == 2);
            // the steps first: a continue in the body must not skip them
            body.addAll(0, steps);
            s.body = body;
        }
        s.fixed = true;
        s.braces = r.nextInt(4) > 0;
        return s;
    }

    /**
     * Sometimes a condition on data the loop changes, so that the trip count depends on the
     * inputs: {@code v < L} with a step {@code v += d} (or {@code v *= f}) added to the loop's
     * steps, L chosen so that it ends the loop after a few trips at the checked point.
     */
    private Expr convergent(Expr guardExpr, List<Stmt> steps) {
        List<String> doubles = namesOf(Type.DOUBLE, false);
        // (not in tensor methods: their doubles keep their values, on which positivity rests)
        if (doubles.isEmpty() || r.nextInt(5) < 2 || method.tensor()) return withData(guardExpr);
        String v = pick(doubles);
        double v0 = (Double) env.get(v);
        int t = 1 + r.nextInt(4);
        // v += d would leave v's adjoint unchanged through the loop: v *= f instead, while that is open
        boolean scale = r.nextInt(3) == 0 || KnownBugs.UNCHANGED_LOOP_ADJOINT && !constantOnEntry().contains(v);
        boolean up;
        double limit;
        Stmt step;
        if (scale) {
            if (v0 == 0 || Math.abs(v0) > 1e100 || Math.abs(v0) < 1e-100) return withData(guardExpr);
            String f = pick(List.of("1.5", "2.0", "1.25", "3.0"));
            double factor = Double.parseDouble(f);
            up = v0 > 0;
            limit = v0 * Math.pow(factor, t) * Math.sqrt(factor);
            step = new Stmt(StmtForm.ASSIGN, null, v, "*=", literal(f, Type.DOUBLE));
        } else {
            double d = pick(List.of(0.5, 1.0, 0.25, 2.0, 3.0)) * Math.max(1, Math.abs(v0)) / 4;
            up = r.nextBoolean();
            limit = up ? v0 + d * t + d / 2 : v0 - d * t - d / 2;
            if (!Double.isFinite(d)) return withData(guardExpr);
            step = new Stmt(StmtForm.ASSIGN, null, v, up ? "+=" : "-=", literal(Double.toString(d), Type.DOUBLE));
        }
        if (!Double.isFinite(limit) || !apart(limit, v0)) return withData(guardExpr);
        Expr data = node(Form.BINARY, up ? "<" : ">", Type.BOOL, name(v), literal(Double.toString(limit), Type.DOUBLE));
        // the step is mutable: the guard alone bounds the trips
        steps.add(step);
        Expr both = r.nextBoolean() ? node(Form.BINARY, "&&", Type.BOOL, guardExpr, data) : node(Form.BINARY, "&&", Type.BOOL, data, guardExpr);
        both.fixed = true;
        return both;
    }

    /** {@code k++;} (or {@code ++k;}, {@code k += 1;}): a loop's step, which the mutator leaves alone. */
    private Stmt step(String k) {
        Stmt st;
        if (r.nextInt(4) == 0) st = new Stmt(StmtForm.ASSIGN, null, k, "+=", intConstant(1).fix());
        else st = new Stmt(StmtForm.EXPR, null, null, null, incdec(k, "++", r.nextBoolean()).fix());
        st.fixed = true;
        return st;
    }

    private Stmt doLoop() {
        String k = counterName();
        if (k == null) return null;
        int trips = maxTrips();
        int form = r.nextInt(3);
        Stmt init;
        Expr test;
        List<Stmt> steps = new ArrayList<>();
        Loop loop;
        if (form == 0) {
            // int k = 0; do { k++; ... } while (k < 12 && data);
            init = counterInit(k, intConstant(0), 0, trips);
            steps.add(step(k));
            test = convergent(node(Form.BINARY, "<", Type.BOOL, name(k), bounded(1, trips, 0)).fix(), steps);
            loop = new Loop(k, () -> node(Form.BINARY, "==", Type.BOOL, name(k), intConstant(1)), null);
            assume(k, 1);
        } else if (form == 1) {
            // int k = 0; do { ... } while (++k < n % 4 + 3);
            init = counterInit(k, intConstant(0), 0, trips);
            test = withData(node(Form.BINARY, "<", Type.BOOL, incdec(k, "++", false), bounded(0, trips, 0)).fix());
            loop = new Loop(k, () -> node(Form.BINARY, "==", Type.BOOL, name(k), intConstant(0)), null);
        } else {
            // int k = 5; do { ... } while (--k > 0);
            init = counterInit(k, bounded(0, trips, 0), -1, trips);
            test = withData(node(Form.BINARY, ">", Type.BOOL, incdec(k, "--", false), intConstant(0)).fix());
            loop = new Loop(k, null, () -> node(Form.BINARY, "<=", Type.BOOL, name(k), intConstant(1)));
        }
        Stmt s = Stmt.control(StmtForm.DO, test, null);
        s.init = init;
        s.fixed = true;
        List<Stmt> body = loopBody(loop, true);
        body.addAll(0, steps);
        s.body = body;
        // (a do loop whose body always returns: a known bug)
        if (KnownBugs.DO_ALWAYS_RETURNS && !s.completesNormally()) return null;
        return s;
    }

    // ---- simple statements

    /** A declaration (about {@code declTenths} in ten) or an assignment, increment or decrement. */
    private Stmt simpleStatement(int declTenths) {
        if (arrayMode && r.nextInt(100) < (loops.isEmpty() ? 30 : 45)) {
            Stmt w = elementWrite();
            if (w != null) return w;
        }
        int k = r.nextInt(10);
        List<String> assignable = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) {
            if (e.getValue().numeric() && !locked.contains(e.getKey())) assignable.add(e.getKey());
        }
        if (k >= declTenths && !assignable.isEmpty()) {
            Stmt s = assignment(assignable);
            if (s != null) return s;
        }
        if (r.nextInt(12) == 0) {
            // a boolean local changed: b = !b, b = b || x < y
            List<String> bools = namesOf(Type.BOOL, false);
            if (!bools.isEmpty()) {
                String b = pick(bools);
                Expr e = r.nextBoolean() ? node(Form.UNARY, "!", Type.BOOL, name(b))
                        : node(Form.BINARY, pick(List.of("&&", "||", "==", "!=")), Type.BOOL, name(b), comparison(1));
                env.put(b, e.value);
                return new Stmt(StmtForm.ASSIGN, null, b, "=", e);
            }
        }
        // a declaration
        int t = r.nextInt(10);
        Type type = t < 6 ? Type.DOUBLE : t < 8 ? Type.INT : t < 9 ? Type.LONG : Type.BOOL;
        // Java: a local's scope includes its own initializer, so name it first.
        String name = freshName();
        Expr e = switch (type) {
            case DOUBLE -> doubleExpr(3);
            case INT -> intExpr(2);
            case LONG -> longExpr(2);
            default -> condition(2);
        };
        if (type == Type.LONG && e.type == Type.INT && KnownBugs.INT_TO_LONG_WIDENING) e = longExpr(0);
        String declared = r.nextInt(8) == 0 ? "var" : type.java;
        if (declared.equals("var")) type = e.type;
        Object v = Interp.convert(e.value, type);
        vars.put(name, type);
        env.put(name, v);
        if (type == Type.DOUBLE && constantValued(e)) constant.add(name);
        return new Stmt(StmtForm.DECLARE, declared, name, null, e);
    }

    private Stmt assignment(List<String> assignable) {
        String name = pick(assignable);
        Type type = vars.get(name);
        Object old = env.get(name);
        if (type != Type.DOUBLE && r.nextInt(4) == 0) {
            // n++; --n;
            Expr inc = incdec(name, r.nextBoolean() ? "++" : "--", r.nextBoolean());
            env.put(name, Interp.arith(inc.text.substring(0, 1), type, old, 1));
            return new Stmt(StmtForm.EXPR, null, null, null, inc);
        }
        List<String> ops = type == Type.DOUBLE || KnownBugs.REMAINDER_ASSIGNMENT ? List.of("=", "+=", "-=", "*=", "/=")
                : List.of("=", "+=", "-=", "*=", "/=", "%=");
        String op = pick(ops);
        for (int tries = 0; tries < 10; tries++) {
            Expr e = switch (type) {
                case DOUBLE -> doubleExpr(2);
                // A compound assignment of a double to an int narrows it: an error by design when the
                // double depends on a parameter, so mostly int right-hand sides.
                case INT -> op.equals("=") || op.equals("%=") || KnownBugs.COMPOUND_NARROWING || r.nextInt(4) > 0 ? intExpr(2) : numberExpr(2);
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
            if (!additionAllowed(name, op, e)) {
                op = pick(List.of("=", "*=", "/="));
                continue;
            }
            if (op.equals("=") && bareName(e) && !copyOk()) continue;
            env.put(name, v);
            if (type == Type.DOUBLE) {
                if ((op.equals("=") || constant.contains(name)) && constantValued(e)) constant.add(name);
                else constant.remove(name);
            }
            return new Stmt(StmtForm.ASSIGN, null, name, op, e);
        }
        return null;
    }

    /**
     * A boolean: a comparison, or comparisons and boolean locals joined with {@code && || !}, or
     * an equality of ints or booleans ({@code i % 2 == 0}, {@code b != x < y}).
     */
    private Expr condition(int depth) {
        int k = r.nextInt(100);
        if (depth <= 0 || k < 50) return comparison(depth);
        if (k < 62) return node(Form.UNARY, "!", Type.BOOL, condition(depth - 1));
        if (k < 82) {
            Expr a = condition(depth - 1);
            lazy++;
            try {
                return node(Form.BINARY, r.nextBoolean() ? "&&" : "||", Type.BOOL, a, condition(depth - 1));
            } finally {
                lazy--;
            }
        }
        if (k < 94) {
            Expr a = r.nextBoolean() ? intExpr(depth - 1) : node(Form.BINARY, "%", Type.INT, intLeaf(), intConstant(2 + r.nextInt(3)));
            return node(Form.BINARY, r.nextBoolean() ? "==" : "!=", Type.BOOL, a, r.nextBoolean() ? intConstant(r.nextInt(3)) : intExpr(depth - 1));
        }
        return node(Form.BINARY, r.nextBoolean() ? "==" : "!=", Type.BOOL, comparison(depth - 1), comparison(depth - 1));
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
                if (!gatedOk) return mathUnary(depth);
                Expr c = condition(depth - 1);
                lazy++;
                Expr a, b;
                try {
                    a = numberExpr(depth - 1);
                    b = doubleExpr(depth - 1);
                } finally {
                    lazy--;
                }
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
        if (!unaryOk(f, ((Number) a.value).doubleValue())) return null;
        return math(mathQualifier() + "." + f, a);
    }

    /** A Math call, typed as Java types it (abs, min and max of ints are ints). */
    private Expr math(String qualified, Expr... args) {
        Expr e = node(Form.CALL, qualified, Type.DOUBLE, args);
        e.type = Interp.typeOfValue(e.value);
        return e;
    }

    /** Whether {@code f(x)} is a good place to check a derivative: inside the domain, away from kinks. */
    static boolean unaryOk(String f, double x) {
        return switch (f) {
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
    }

    private Expr mathBinary(int depth) {
        String f = pick(BINARY_MATH);
        // (max and min have gated adjoints: see the switch)
        while (!gatedOk && (f.equals("max") || f.equals("min"))) f = pick(BINARY_MATH);
        Expr a = doubleExpr(depth - 1);
        Expr b;
        if (f.equals("pow")) {
            String lit = pick(List.of("2", "3", "2.0", "0.5", "-1", "1.5", "-2.0", "0.25"));
            b = literal(lit, lit.contains(".") ? Type.DOUBLE : Type.INT);
        } else {
            b = r.nextInt(4) == 0 ? numberExpr(depth - 1) : doubleExpr(depth - 1);
        }
        if (!binaryOk(f, a, b, a.value, b.value)) return null;
        return math(mathQualifier() + "." + f, a, b);
    }

    /** Whether {@code f(x, y)} of arguments {@code a} and {@code b} is a good place to check a derivative. */
    static boolean binaryOk(String f, Expr a, Expr b, Object av, Object bv) {
        double x = ((Number) av).doubleValue(), y = ((Number) bv).doubleValue();
        return switch (f) {
            case "pow" -> !(y != Math.rint(y) && !(x > 1e-300)) && !(y < 0 && x == 0);
            case "min", "max" -> apart(x, y);
            case "atan2" -> !(x == 0 && y == 0) && !(KnownBugs.ATAN2_ADJOINT_SCALE && !(moderate(x) && moderate(y)))
                    && !(KnownBugs.ATAN2_INT_ARGUMENT && (a.type != Type.DOUBLE || b.type != Type.DOUBLE));
            case "hypot" -> !(x == 0 && y == 0);
            default -> true;
        };
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
        if (arrayMode && reading < 2 && r.nextInt(100) < 12) {
            Expr e = arrayRead(Type.BOOL);
            if (e != null) return r.nextInt(3) == 0 ? node(Form.UNARY, "!", Type.BOOL, e) : e;
        }
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
            return node(Form.BINARY, pick(List.of("+", "-", "*", "/", "%")), Type.INT, intExpr(depth - 1), intExpr(depth - 1));
        } else if (k < 7) {
            return node(Form.UNARY, "-", Type.INT, intExpr(depth - 1));
        } else if (k < 8) {
            Expr c = condition(depth - 1);
            lazy++;
            Expr a, b;
            try {
                a = intExpr(depth - 1);
                b = intExpr(depth - 1);
            } finally {
                lazy--;
            }
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
            return node(Form.BINARY, pick(List.of("+", "-", "*", "/", "%")), Type.LONG, a, b);
        } else if (k < 7) {
            return node(Form.UNARY, "-", Type.LONG, longExpr(depth - 1));
        } else {
            return node(Form.PAREN, null, Type.LONG, longExpr(depth - 1));
        }
    }

    private Expr doubleLeaf() {
        if (focus != null && r.nextInt(100) < 35) return focus.get();
        if (arrayMode && reading < 2 && r.nextInt(100) < 40) {
            Expr e = arrayRead(Type.DOUBLE);
            if (e != null) return e;
        }
        int k = r.nextInt(10);
        List<String> names = namesOf(Type.DOUBLE, k < 8);
        if (k < 7 && !names.isEmpty()) return name(pick(names));
        if (k < 8) {
            List<String> fs = namesOf(Type.DOUBLE, true);
            fs.removeAll(vars.keySet());
            if (!fs.isEmpty()) return name(pick(fs));
        }
        return literal(doubleLiteral(), Type.DOUBLE);
    }

    private Expr numberLeaf() {
        return r.nextBoolean() ? intLeaf() : longLeaf();
    }

    private Expr intLeaf() {
        if (arrayMode && reading < 2 && r.nextInt(100) < 20) {
            Expr e = r.nextBoolean() ? arrayRead(Type.INT) : arrayLength();
            if (e != null) return e;
        }
        List<String> names = namesOf(Type.INT, true);
        if (!names.isEmpty() && r.nextInt(3) > 0) return name(pick(names));
        int v = r.nextInt(4) == 0 ? constantInt() : r.nextInt(12);
        if (v < 0) return node(Form.UNARY, "-", Type.INT, literal(v == Integer.MIN_VALUE ? "2147483647" : Integer.toString(-v), Type.INT));
        return literal(Integer.toString(v), Type.INT);
    }

    private Expr longLeaf() {
        if (arrayMode && reading < 2 && r.nextInt(100) < 20) {
            Expr e = arrayRead(Type.LONG);
            if (e != null) return e;
        }
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
            for (Field f : program.fields) if (f.type == type && (f.isFinal || mutableFieldsOk())) out.add(f.name);
        }
        return out;
    }

    /** Whether a mutable static field may be read here (see {@link KnownBugs#MUTABLE_FIELD_IN_BRANCH}). */
    private boolean mutableFieldsOk() {
        return !KnownBugs.MUTABLE_FIELD_IN_BRANCH || nesting == 0 && !regions;
    }

    /** Whether {@code m} (or a method it calls) reads a mutable static field. */
    private boolean readsMutableField(Method m) {
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : m.body) s.statements(all);
        for (Stmt s : all) {
            List<Expr> nodes = new ArrayList<>();
            for (Expr e : s.expressions()) e.collect(nodes);
            for (Expr e : nodes) {
                if (e.callee != null && readsMutableField(e.callee)) return true;
                if (e.form != Form.NAME) continue;
                String n = e.text.substring(e.text.lastIndexOf('.') + 1);
                boolean local = e.text.indexOf('.') < 0 && (m.params.stream().anyMatch(p -> p.name.equals(n))
                        || all.stream().anyMatch(t -> n.equals(t.name) && t.form == StmtForm.DECLARE || t.init != null && n.equals(t.init.name)));
                if (!local && program.fields.stream().anyMatch(f -> f.name.equals(n) && !f.isFinal)) return true;
            }
        }
        return false;
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
            try {
                e.value = Interp.apply(e, kv);
            } catch (Interp.Fault f) {
                // an element out of range here is in code that does not run at the checked point (a loop
                // over an empty array): any value of its type will do
                if (form != Form.INDEX) throw f;
                e.value = zero(type);
            }
        }
        return e;
    }

    /** A call to an earlier double method of this class, or null if there is none. */
    private Expr calleeCall(int depth) {
        List<Method> callees = new ArrayList<>();
        for (Method m : program.methods) if (m.result == Type.DOUBLE) callees.add(m);
        if (callees.isEmpty()) return null;
        Method callee = pick(callees);
        if (KnownBugs.EAGER_CALLEE_IN_CONDITIONAL && lazy > 0 && dividesIntegers(callee)) return null;
        if (!mutableFieldsOk() && readsMutableField(callee)) return null;
        if (!gatedOk && gated(callee) || !regionsOk && hasRegions(callee)) return null;
        if (KnownBugs.CALLEE_ARRAY_IN_REGION && makesArrays(callee) && !(nesting == 0 && loops.isEmpty() && lazy == 0 && !returns(method.body))) {
            return null;
        }
        Expr[] args = new Expr[callee.params.size()];
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Param p = callee.params.get(i);
            args[i] = switch (p.type) {
                case DOUBLE -> r.nextInt(5) == 0 ? numberExpr(depth - 1) : doubleExpr(depth - 1);
                case INT -> intExpr(depth - 1);
                case LONG -> KnownBugs.INT_TO_LONG_WIDENING || r.nextBoolean() ? longExpr(depth - 1) : intExpr(depth - 1);
                case BOOL -> comparison(depth - 1);
                case DARR, IARR, LARR, BARR, DMAT -> sameArray(p);
                default -> throw new IllegalStateException();
            };
            if (args[i] == null) return null;
            values[i] = args[i].value;
        }
        String qualifier = !taken.contains(program.cls) && r.nextInt(4) == 0 ? program.cls + "." : "";
        Expr e = new Expr(Form.CALL, qualifier + callee.name, Type.DOUBLE, args);
        e.callee = callee;
        e.value = Interp.call(callee, values, fieldValues);
        return e;
    }

    /**
     * An array in scope that can stand for the callee's array parameter {@code p}: of its type and
     * length (the callee's indices rely on its lengths), for a double[][] with rows of the same
     * lengths, for an int[] an unwritten one with the same elements (they may be indices there).
     */
    private Expr sameArray(Param p) {
        List<String> fit = new ArrayList<>();
        for (Map.Entry<String, ArrayInfo> a : arrays.entrySet()) {
            String n = a.getKey();
            ArrayInfo info = a.getValue();
            if (vars.get(n) != p.type || info.length() != java.lang.reflect.Array.getLength(p.value)) continue;
            if (p.type == Type.DMAT && !Arrays.equals(info.rows(), parameterArray(p).rows())) continue;
            if (p.type == Type.IARR && (info.local() || !Arrays.equals((int[]) env.get(n), (int[]) p.value))) continue;
            fit.add(n);
        }
        return fit.isEmpty() ? null : name(pick(fit));
    }

    /** Whether {@code m} (or a method it calls) has an if or a loop. */
    private static boolean hasRegions(Method m) {
        if (Fuzzer.hasControlFlow(m)) return true;
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : m.body) s.statements(all);
        for (Stmt s : all) {
            List<Expr> nodes = new ArrayList<>();
            for (Expr e : s.expressions()) e.collect(nodes);
            for (Expr e : nodes) if (e.callee != null && hasRegions(e.callee)) return true;
        }
        return false;
    }

    /** Whether {@code m} (or a method it calls) creates a local array. */
    private static boolean makesArrays(Method m) {
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : m.body) s.statements(all);
        for (Stmt s : all) {
            List<Expr> nodes = new ArrayList<>();
            for (Expr e : s.expressions()) e.collect(nodes);
            for (Expr e : nodes) {
                if (e.form == Form.NEWARRAY || e.form == Form.ARRAYINIT) return true;
                if (e.callee != null && makesArrays(e.callee)) return true;
            }
        }
        return false;
    }

    /** Whether {@code m} (or a method it calls) has a {@code ?:}, max or min. */
    private static boolean gated(Method m) {
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : m.body) s.statements(all);
        for (Stmt s : all) {
            List<Expr> nodes = new ArrayList<>();
            for (Expr e : s.expressions()) e.collect(nodes);
            for (Expr e : nodes) {
                if (e.form == Form.CONDITIONAL) return true;
                if (e.form == Form.CALL && e.callee == null && (e.text.endsWith(".max") || e.text.endsWith(".min"))) return true;
                if (e.callee != null && gated(e.callee)) return true;
            }
        }
        return false;
    }

    /** Whether {@code m} (or a method it calls) divides integers ({@code /}, {@code %}, {@code /=}, {@code %=}). */
    private static boolean dividesIntegers(Method m) {
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : m.body) s.statements(all);
        for (Stmt s : all) {
            if ("/=".equals(s.operator) || "%=".equals(s.operator)) return true;
            List<Expr> nodes = new ArrayList<>();
            for (Expr e : s.expressions()) e.collect(nodes);
            if (s.update != null && s.update.expr != null) s.update.expr.collect(nodes);
            for (Expr e : nodes) {
                if (e.form == Form.BINARY && (e.text.equals("/") || e.text.equals("%")) && (e.type == Type.INT || e.type == Type.LONG)) return true;
                if (e.callee != null && dividesIntegers(e.callee)) return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------ arrays
    //
    // A double method in array mode has double[] parameters (differentiated unless wrt leaves them
    // out), maybe int[], long[], boolean[] and double[][] ones (data), local arrays created at the
    // top level of its body (new T[n] or {a, b, c}), and reads, writes, compound writes and ++ of
    // elements, in loops over the arrays (counted by .length, up or down, enhanced for, while and
    // do with the step in the condition) and anywhere else. Lengths never change at the checker's
    // other points (only doubles do), so an index is in range whatever the inputs when it is: a
    // counter whose range lies inside the array (maybe shifted by a constant, or counted from the
    // end), a constant below the length, a remainder (k % n + n) % n, or an element of an int[]
    // parameter whose elements are all below the length. An array that may be empty is looped
    // over (zero trips) but not indexed outside such loops.

    /** Whether a statement of {@code block}, or one nested in it, returns. */
    private static boolean returns(List<Stmt> block) {
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : block) s.statements(all);
        return all.stream().anyMatch(s -> s.form == StmtForm.RETURN);
    }

    /**
     * While {@link KnownBugs#UNREACHED_ARRAY_PARAMETER} is open: leaves out of {@code wrt} the
     * double[] parameters whose elements {@code m} never reads (nor passes to a callee), when
     * another parameter is left to differentiate.
     */
    private static void unreadArraysOutOfWrt(Method m) {
        if (!KnownBugs.UNREACHED_ARRAY_PARAMETER) return;
        Set<String> read = new HashSet<>();
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : m.body) s.statements(all);
        for (Stmt s : all) {
            List<Expr> nodes = new ArrayList<>();
            for (Expr e : s.expressions()) e.collect(nodes);
            if (s.form == StmtForm.FOREACH && s.expr.form == Form.NAME) read.add(s.expr.text);
            for (Expr e : nodes) {
                if (e.form == Form.INDEX && e.kids[0].form == Form.NAME) read.add(e.kids[0].text);
                if (e.form == Form.CALL) for (Expr k : e.kids) if (k.form == Form.NAME) read.add(k.text);
            }
        }
        List<String> keep = new ArrayList<>();
        boolean dropped = false;
        for (Param p : m.differentiated()) {
            if (p.type == Type.DARR && !read.contains(p.name)) dropped = true;
            else keep.add(p.name);
        }
        if (dropped && !keep.isEmpty()) m.wrt = keep;
    }

    /**
     * Double methods in array mode, in percent ({@code -Dtapeless.fuzz.arrays=100} for arrays in
     * every double method).
     */
    static final int ARRAY_PERCENT = Integer.getInteger("tapeless.fuzz.arrays", 22);

    /** Whether the double method being generated works on arrays. */
    private boolean arrayMode;
    /** The arrays in scope (parameters, locals, rows of enhanced for loops). */
    private final Map<String, ArrayInfo> arrays = new HashMap<>();
    /**
     * Counters bounded by the length of an array whose length differs between runs of the code
     * (a row of a ragged double[][]), each with that array as written ({@code xs[i]}, {@code row}).
     */
    private final Map<String, String> boundBy = new HashMap<>();
    /** Loops around the statement being generated that run zero times whatever the inputs (over an empty array). */
    private int dead;
    /** Local arrays declared so far in the method. */
    private int localArrays;
    /**
     * Local double arrays surely holding a value that depends on a differentiated parameter: made
     * or written at the top level with one (see {@link KnownBugs#INACTIVE_ARRAY_IN_BRANCH}).
     */
    private final Set<String> activeArrays = new HashSet<>();
    /** Array reads around the expression being generated (an index that reads an array). */
    private int reading;
    /**
     * The element the innermost loop over a double array visits ({@code x[i]}, {@code v} of {@code
     * for (double v : x)}), which double expressions in its body read often; or null.
     */
    private java.util.function.Supplier<Expr> focus;

    /**
     * An array in scope: its length (-1 where it differs between runs of the code: a row of a
     * ragged double[][]), for a double[][] parameter the lengths of its rows, for an int[]
     * parameter the bound its elements lie below when they index arrays (-1: they do not), and
     * whether it is a local (which may be written).
     */
    private record ArrayInfo(int length, int[] rows, int indexBound, boolean local) {}

    /** Whether the next loop body starts with an {@link #elementStatement} (set for loops over arrays). */
    private boolean elementFirst;

    /**
     * Generates a loop's body with {@code element} as the {@link #focus}, most often starting with a
     * statement that uses it.
     */
    private List<Stmt> focused(java.util.function.Supplier<Expr> element, java.util.function.Supplier<List<Stmt>> body) {
        java.util.function.Supplier<Expr> outer = focus;
        focus = element;
        elementFirst = element != null && r.nextInt(10) < 7;
        try {
            return body.get();
        } finally {
            focus = outer;
            elementFirst = false;
        }
    }

    /**
     * A statement that uses the element a loop visits: a write into a local array, or {@code acc
     * op= f(element)} on a double in scope; or null.
     */
    private Stmt elementStatement() {
        if (r.nextBoolean()) {
            Stmt w = elementWrite();
            if (w != null) {
                budget--;
                return w;
            }
        }
        List<String> doubles = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) if (e.getValue() == Type.DOUBLE && !locked.contains(e.getKey())) doubles.add(e.getKey());
        if (doubles.isEmpty() || focus == null) return null;
        String acc = pick(doubles);
        Object old = env.get(acc);
        for (int tries = 0; tries < 6; tries++) {
            Expr x = focus.get();
            Expr e = switch (r.nextInt(4)) {
                case 0 -> x;
                case 1 -> unaryOk("exp", ((Number) x.value).doubleValue()) && r.nextBoolean() ? math(mathQualifier() + ".exp", x)
                        : math(mathQualifier() + "." + pick(List.of("sin", "cos", "tanh", "atan")), x);
                default -> node(Form.BINARY, pick(List.of("+", "-", "*")), Type.DOUBLE, x, doubleExpr(1));
            };
            String op = pick(List.of("+=", "+=", "-=", "*=", "="));
            if (op.equals("=")) e = node(Form.BINARY, pick(List.of("+", "*")), Type.DOUBLE,
                    node(Form.BINARY, "*", Type.DOUBLE, name(acc), literal(pick(List.of("0.5", "0.9", "2.0")), Type.DOUBLE)), e);
            Object v = Interp.assign(old, op, e.value);
            if (!usable((Double) v)) continue;
            env.put(acc, v);
            constant.remove(acc);
            budget--;
            return new Stmt(StmtForm.ASSIGN, null, acc, op, e);
        }
        return null;
    }

    /** The element {@code array[at]} as a focus, if the array holds doubles. */
    private java.util.function.Supplier<Expr> elementOf(Expr array, String at) {
        if (array.type != Type.DARR) return focus;
        return () -> node(Form.INDEX, null, Type.DOUBLE, array.copy(), name(at));
    }

    /** Array parameters: one or two double[], maybe an int[], long[], boolean[] and double[][]. */
    private void arrayParams(List<Param> params) {
        int doubles = r.nextInt(3) == 0 ? 2 : 1;
        int shortest = Integer.MAX_VALUE;
        for (int i = 0; i < doubles; i++) {
            int n = drawLength();
            if (n > 0) shortest = Math.min(shortest, n);
            params.add(new Param(freshName(), Type.DARR, null, doubles(n, false)));
        }
        if (r.nextInt(100) < 35) {
            int n = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(5);
            int[] v = new int[n];
            boolean indices = shortest != Integer.MAX_VALUE && r.nextInt(10) < 7;
            for (int i = 0; i < n; i++) v[i] = indices ? r.nextInt(shortest) : r.nextInt(4) == 0 ? interestingInt() : r.nextInt(16) - 5;
            Param p = new Param(freshName(), Type.IARR, null, v);
            if (indices) p.indexBound = shortest;
            params.add(p);
        }
        if (r.nextInt(100) < 15) {
            int n = drawLength();
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = r.nextInt(4) == 0 ? interestingLong() : r.nextInt(21) - 10;
            params.add(new Param(freshName(), Type.LARR, null, v));
        }
        if (r.nextInt(100) < 20) {
            int n = drawLength();
            boolean[] v = new boolean[n];
            for (int i = 0; i < n; i++) v[i] = r.nextBoolean();
            params.add(new Param(freshName(), Type.BARR, null, v));
        }
        if (r.nextInt(100) < 25) {
            int rows = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(4);
            boolean ragged = r.nextInt(4) == 0;
            int cols = r.nextInt(12) == 0 ? 0 : 1 + r.nextInt(4);
            double[][] v = new double[rows][];
            for (int i = 0; i < rows; i++) v[i] = doubles(ragged ? r.nextInt(5) : cols, true);
            params.add(new Param(freshName(), Type.DMAT, null, v));
        }
    }

    /** The length of an array parameter: 0 sometimes, mostly 1 to 6. */
    private int drawLength() {
        int k = r.nextInt(100);
        return k < 8 ? 0 : k < 20 ? 1 : 2 + r.nextInt(5);
    }

    /**
     * {@code n} doubles: mostly all of ordinary size, else each of varied magnitude (huge, tiny,
     * as for double parameters). Data ({@code plain}) is always ordinary.
     */
    private double[] doubles(int n, boolean plain) {
        boolean varied = !plain && r.nextInt(10) < 3;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            if (varied) {
                v[i] = interestingDouble();
            } else {
                double d = -3 + 6 * r.nextDouble();
                v[i] = Math.abs(d) < 0.05 ? 0.75 : d;
            }
        }
        return v;
    }

    private static ArrayInfo parameterArray(Param p) {
        if (p.value instanceof double[][] m) {
            int[] rows = new int[m.length];
            for (int i = 0; i < m.length; i++) rows[i] = m[i].length;
            return new ArrayInfo(m.length, rows, -1, false);
        }
        return new ArrayInfo(java.lang.reflect.Array.getLength(p.value), null, p.indexBound, false);
    }

    /** The zero of a type ({@code new double[0]} for a row): the value of code that does not run. */
    private static Object zero(Type t) {
        return switch (t) {
            case DOUBLE -> 0.0;
            case INT -> 0;
            case LONG -> 0L;
            case BOOL -> false;
            case DARR -> new double[0];
            default -> null;
        };
    }

    /** {@code double[] y = new double[x.length];}, {@code int[] c = new int[3];}, {@code double[] v = {a, b * a};} ... */
    private Stmt arrayDeclaration() {
        int t = r.nextInt(100);
        Type type = t < 60 ? Type.DARR : t < 80 ? Type.IARR : t < 92 ? Type.BARR : Type.LARR;
        String name = freshName();
        Expr init;
        String declared = type.java;
        if (r.nextInt(10) < 3) {
            Expr[] kids = new Expr[1 + r.nextInt(4)];
            for (int i = 0; i < kids.length; i++) {
                kids[i] = switch (type) {
                    case DARR -> r.nextInt(5) == 0 ? numberExpr(1) : doubleExpr(2);
                    case IARR -> intExpr(1);
                    case LARR -> r.nextBoolean() ? longExpr(1) : intExpr(1);
                    default -> condition(1);
                };
            }
            init = node(Form.ARRAYINIT, null, type, kids);
        } else {
            init = node(Form.NEWARRAY, type.element().java, type, lengthExpr());
            if (r.nextInt(8) == 0) declared = "var";
        }
        vars.put(name, type);
        env.put(name, init.value);
        arrays.put(name, new ArrayInfo(java.lang.reflect.Array.getLength(init.value), null, -1, true));
        localArrays++;
        if (type == Type.DARR && readsDifferentiated(init)) activeArrays.add(name);
        return new Stmt(StmtForm.DECLARE, declared, name, null, init);
    }

    /** The length of a new local array: an array's length (maybe plus one or two), or a small constant. */
    private Expr lengthExpr() {
        int k = r.nextInt(100);
        if (k < 60) {
            Expr length = arrayLength();
            if (length != null) {
                if (k < 15) length = node(Form.BINARY, "+", Type.INT, length, intConstant(1 + r.nextInt(2)));
                return length;
            }
        }
        return intConstant(r.nextInt(20) == 0 ? 0 : 1 + r.nextInt(5));
    }

    /** {@code a.length}, {@code xs.length} or {@code xs[k].length} of an array in scope, or null. */
    private Expr arrayLength() {
        List<String> all = new ArrayList<>(arrays.keySet());
        if (all.isEmpty()) return null;
        String a = pick(all);
        ArrayInfo info = arrays.get(a);
        if (vars.get(a) == Type.DMAT && info.length() > 0 && r.nextBoolean()) {
            Expr row = node(Form.INDEX, null, Type.DARR, name(a), index(name(a), info.length()));
            return node(Form.LENGTH, null, Type.INT, row);
        }
        return node(Form.LENGTH, null, Type.INT, name(a));
    }

    /** Whether {@code e} reads a differentiated parameter (by name, or an element of it). */
    private boolean readsDifferentiated(Expr e) {
        List<Expr> all = new ArrayList<>();
        e.collect(all);
        for (Param p : method.differentiated()) for (Expr x : all) if (x.form == Form.NAME && x.text.equals(p.name)) return true;
        return false;
    }

    /** {@code y[i] = e}, {@code y[i] += e}, {@code y[i] *= e}, {@code y[i]++} ... on a local array, or null. */
    private Stmt elementWrite() {
        List<String> locals = new ArrayList<>();
        for (Map.Entry<String, ArrayInfo> a : arrays.entrySet()) {
            if (!a.getValue().local()) continue;
            // (a double array written in a branch outside loops, while it may not depend on a parameter yet: a known bug)
            if (KnownBugs.INACTIVE_ARRAY_IN_BRANCH && vars.get(a.getKey()) == Type.DARR && nesting > 0 && loops.isEmpty()
                    && !activeArrays.contains(a.getKey())) continue;
            locals.add(a.getKey());
        }
        if (locals.isEmpty()) return null;
        String a = pick(locals);
        Type type = vars.get(a);
        Type el = type.element();
        Expr at = index(name(a), arrays.get(a).length());
        if (at == null) return null;
        Expr target = node(Form.INDEX, null, el, name(a), at);
        // (the mutator may change the index, not replace the element by a name: that could be a loop's counter)
        target.fixed = true;
        Object old = target.value;
        int k = r.nextInt(100);
        if (el != Type.BOOL && k < 12) {
            Expr inc = new Expr(Form.INCDEC, r.nextInt(3) > 0 ? "++" : "--", el, target);
            inc.raw = r.nextBoolean() ? "post" : "pre";
            Object now = Interp.narrow(Interp.arith(inc.text.substring(0, 1), Type.promote(el, Type.INT), old, 1), el);
            if (el == Type.DOUBLE && !usable((Double) now)) return null;
            write(a, at, now);
            return new Stmt(StmtForm.EXPR, null, null, null, inc);
        }
        List<String> ops = switch (el) {
            case DOUBLE -> List.of("=", "=", "+=", "-=", "*=", "/=");
            case INT -> List.of("=", "+=", "-=", "*=");
            case LONG -> List.of("=", "+=", "*=");
            default -> List.of("=");
        };
        String op = pick(ops);
        for (int tries = 0; tries < 8; tries++) {
            Expr e = switch (el) {
                case DOUBLE -> op.equals("=") && r.nextInt(3) == 0
                        // a new value from the old one (the reverse pass needs the value overwritten)
                        ? node(Form.BINARY, pick(List.of("+", "-", "*")), Type.DOUBLE, oldValue(target), doubleExpr(1))
                        : doubleExpr(2);
                case INT -> intExpr(1);
                case LONG -> r.nextBoolean() ? longExpr(1) : intExpr(1);
                default -> condition(1);
            };
            Object v;
            try {
                v = Interp.assign(old, op, e.value);
            } catch (Interp.Fault f) {
                continue;
            }
            if (el == Type.DOUBLE && !usable((Double) v)) continue;
            if (op.equals("/=") && Math.abs(((Number) e.value).doubleValue()) < 1e-200) continue;
            write(a, at, v);
            if (el == Type.DOUBLE && nesting == 0 && loops.isEmpty() && readsDifferentiated(e)) activeArrays.add(a);
            Stmt s = new Stmt(StmtForm.ASSIGN, null, null, op, e);
            s.target = target;
            return s;
        }
        return null;
    }

    /** A read of the element {@code target} writes (which the mutator may change, unlike the target). */
    private static Expr oldValue(Expr target) {
        Expr e = target.copy();
        e.fixed = false;
        return e;
    }

    /** Writes the generation's value of an element (when the element is there: the code may not run). */
    private void write(String array, Expr at, Object v) {
        Object a = env.get(array);
        int i = (Integer) at.value;
        if (i >= 0 && i < java.lang.reflect.Array.getLength(a)) Interp.store(a, i, Interp.convert(v, vars.get(array).element()));
    }

    /** An element of type {@code el} of an array in scope, at an index in range whatever the inputs, or null. */
    private Expr arrayRead(Type el) {
        List<String> from = new ArrayList<>();
        for (String a : arrays.keySet()) {
            Type t = vars.get(a);
            if (t == Type.arrayOf(el) || el == Type.DOUBLE && t == Type.DMAT) from.add(a);
        }
        reading++;
        try {
            for (int tries = 0; tries < 3 && !from.isEmpty(); tries++) {
                String a = pick(from);
                ArrayInfo info = arrays.get(a);
                Expr at = index(name(a), info.length());
                if (at == null) continue;
                if (vars.get(a) == Type.DMAT) {
                    Expr row = node(Form.INDEX, null, Type.DARR, name(a), at);
                    Expr col = index(row, rowLength(info, at));
                    if (col == null) continue;
                    return node(Form.INDEX, null, Type.DOUBLE, row, col);
                }
                return node(Form.INDEX, null, el, name(a), at);
            }
            return null;
        } finally {
            reading--;
        }
    }

    /**
     * The length every row of a double[][] that {@code at} may pick has (the shortest of them), or
     * -1 where that is not known (then only a counter bounded by the row's own length indexes it).
     */
    private int rowLength(ArrayInfo matrix, Expr at) {
        int lo = 0, hi = matrix.rows().length - 1;
        if (at.form == Form.LITERAL) {
            lo = hi = (Integer) at.value;
        } else if (at.form == Form.NAME && ranges.containsKey(at.text)) {
            lo = Math.max(lo, ranges.get(at.text)[0]);
            hi = Math.min(hi, ranges.get(at.text)[1]);
        }
        int least = Integer.MAX_VALUE;
        for (int i = lo; i <= hi; i++) least = Math.min(least, matrix.rows()[i]);
        return least == Integer.MAX_VALUE ? -1 : least;
    }

    /**
     * An int index into {@code array} (of length {@code length}, -1 if not known) that is in range
     * whatever the inputs wherever it runs, or null if there is none.
     */
    private Expr index(Expr array, int length) {
        String text = array.render();
        List<String> exact = new ArrayList<>(), nonNegative = new ArrayList<>();
        List<Expr> shifted = new ArrayList<>();
        for (Map.Entry<String, int[]> e : ranges.entrySet()) {
            String c = e.getKey();
            if (vars.get(c) != Type.INT) continue;
            int lo = e.getValue()[0], hi = e.getValue()[1];
            if (text.equals(boundBy.get(c)) || length >= 0 && lo >= 0 && hi <= length - 1) exact.add(c);
            else if (length > 0 && lo >= 0) nonNegative.add(c);
            if (length > 0 && lo <= hi && !boundBy.containsKey(c)) {
                for (int d = -2; d <= 2; d++) {
                    if (d != 0 && (long) lo + d >= 0 && (long) hi + d <= length - 1) {
                        shifted.add(node(Form.BINARY, d > 0 ? "+" : "-", Type.INT, name(c), intConstant(Math.abs(d))));
                    }
                }
            }
        }
        int k = r.nextInt(100);
        if (!exact.isEmpty() && (k < 60 || length <= 0)) {
            String c = pick(exact);
            if (length >= 0 && !text.equals(boundBy.get(c)) && r.nextInt(5) == 0) {
                // from the end: a.length - 1 - i
                Expr last = node(Form.BINARY, "-", Type.INT, node(Form.LENGTH, null, Type.INT, array.copy()), intConstant(1));
                return node(Form.BINARY, "-", Type.INT, last, name(c));
            }
            return name(c);
        }
        if (!shifted.isEmpty() && k < 75) return pick(shifted);
        if (length <= 0) return null;
        int j = r.nextInt(100);
        if (j < 45) return intConstant(r.nextInt(length));
        if (j < 65) {
            List<String> indices = new ArrayList<>();
            for (Map.Entry<String, ArrayInfo> a : arrays.entrySet()) {
                ArrayInfo i = a.getValue();
                if (i.indexBound() > 0 && i.indexBound() <= length && i.length() > 0 && vars.get(a.getKey()) == Type.IARR) indices.add(a.getKey());
            }
            if (!indices.isEmpty() && reading < 2) {
                String idx = pick(indices);
                reading++;
                try {
                    return node(Form.INDEX, null, Type.INT, name(idx), index(name(idx), arrays.get(idx).length()));
                } finally {
                    reading--;
                }
            }
        }
        Expr n = r.nextBoolean() || array.form != Form.NAME ? intConstant(length) : node(Form.LENGTH, null, Type.INT, array.copy());
        if (j < 80 && !nonNegative.isEmpty()) return node(Form.BINARY, "%", Type.INT, name(pick(nonNegative)), n);
        // (k % n + n) % n: in [0, n) for any int k
        reading++;
        try {
            Expr any = intExpr(1);
            if (constant(any)) return intConstant(Math.floorMod((Integer) any.value, length));
            Expr sum = node(Form.BINARY, "+", Type.INT, node(Form.BINARY, "%", Type.INT, any, n), n.copy());
            return node(Form.BINARY, "%", Type.INT, sum, n.copy());
        } finally {
            reading--;
        }
    }

    /** A loop over an array in scope: counted by its length, enhanced for, while or do; or another loop. */
    private Stmt arrayLoop() {
        List<String> all = new ArrayList<>(arrays.keySet());
        if (all.isEmpty()) return forLoop();
        String a = pick(all);
        ArrayInfo info = arrays.get(a);
        Expr array = name(a);
        int length = info.length();
        if (vars.get(a) == Type.DMAT && info.length() > 0 && r.nextInt(3) == 0) {
            // a row: xs[i], i a counter of an enclosing loop over xs, often, or a constant (an index
            // that nothing in the loop can change: the row is read again in the body)
            List<String> fit = new ArrayList<>();
            for (Map.Entry<String, int[]> e : ranges.entrySet()) {
                if (vars.get(e.getKey()) == Type.INT && e.getValue()[0] >= 0 && e.getValue()[1] < info.length()) fit.add(e.getKey());
            }
            Expr at = !fit.isEmpty() && r.nextInt(3) > 0 ? name(pick(fit)) : intConstant(r.nextInt(info.length()));
            array = node(Form.INDEX, null, Type.DARR, array, at);
            length = rowLength(info, at);
        }
        int k = r.nextInt(100);
        if (k < 40) return countedOver(array, length);
        if (k < 75) return forEach(array);
        if (k < 88 && length >= 0) return whileOver(array, length);
        if (length > 0) return doOver(array, length);
        return countedOver(array, length);
    }

    /**
     * {@code for (int i = 0; i < a.length; i++)} (or from 1, or {@code a.length > i}), or {@code for
     * (int i = a.length - 1; i >= 0; i--)}: its counter ranges over the array (or the array
     * bounds it, when its length is not known).
     */
    private Stmt countedOver(Expr array, int length) {
        String i = counterName();
        if (i == null) return null;
        boolean up = r.nextInt(3) > 0;
        int start = r.nextInt(4) == 0 ? 1 : 0;
        Expr len = node(Form.LENGTH, null, Type.INT, array.copy());
        Expr first = up ? intConstant(start) : node(Form.BINARY, "-", Type.INT, len.copy(), intConstant(1));
        Stmt init = new Stmt(StmtForm.DECLARE, r.nextInt(10) == 0 ? "var" : "int", i, null, first.fix());
        init.fixed = true;
        vars.put(i, Type.INT);
        env.put(i, first.value);
        locked.add(i);
        int longest = length;
        if (length < 0) {
            // (a row of unknown length: the longest row bounds the counter for other arrays)
            longest = 0;
            for (ArrayInfo a : arrays.values()) if (a.rows() != null) for (int n : a.rows()) longest = Math.max(longest, n);
            boundBy.put(i, array.render());
        }
        ranges.put(i, new int[] {start, longest - 1});
        Expr counter = name(i).fix();
        Expr guardExpr;
        if (up) {
            guardExpr = r.nextInt(4) == 0 ? node(Form.BINARY, ">", Type.BOOL, len.copy(), counter)
                    : node(Form.BINARY, "<", Type.BOOL, counter, len.copy());
        } else if (start == 0) {
            guardExpr = node(Form.BINARY, ">=", Type.BOOL, counter, intConstant(0));
        } else {
            guardExpr = r.nextBoolean() ? node(Form.BINARY, ">", Type.BOOL, counter, intConstant(0))
                    : node(Form.BINARY, ">=", Type.BOOL, counter, intConstant(1));
        }
        guardExpr.fix();
        Stmt update;
        if (r.nextInt(4) > 0) {
            update = new Stmt(StmtForm.EXPR, null, null, null, incdec(i, up ? "++" : "--", r.nextBoolean()).fix());
        } else {
            update = new Stmt(StmtForm.ASSIGN, null, i, up ? "+=" : "-=", intConstant(1).fix());
        }
        update.fixed = true;
        Expr end = node(Form.BINARY, "-", Type.INT, node(Form.LENGTH, null, Type.INT, array.copy()), intConstant(1));
        Expr lastValue = up ? end : intConstant(start);
        Expr startValue = up ? intConstant(start) : end;
        Loop loop = new Loop(i, () -> node(Form.BINARY, "==", Type.BOOL, name(i), startValue.copy()),
                () -> node(Form.BINARY, "==", Type.BOOL, name(i), lastValue.copy()));
        Stmt s = new Stmt(StmtForm.FOR, null, null, null, withData(guardExpr));
        s.init = init;
        s.update = update;
        s.fixed = true;
        boolean none = ranges.get(i)[0] > ranges.get(i)[1];
        if (none) dead++;
        s.body = focused(elementOf(array, i), () -> loopBody(loop, false));
        if (none) dead--;
        s.braces = r.nextInt(4) > 0;
        vars.remove(i);
        env.remove(i);
        locked.remove(i);
        ranges.remove(i);
        boundBy.remove(i);
        taken.remove(i);
        return s;
    }

    /** {@code for (double v : x)}, {@code for (int p : idx)}, {@code for (double[] row : xs)} ... */
    private Stmt forEach(Expr array) {
        Type t = array.type;
        Type el = t.element();
        String v = freshName();
        Object values = array.value;
        int n = java.lang.reflect.Array.getLength(values);
        String declared = r.nextInt(8) == 0 ? "var" : el.java;
        Stmt s = new Stmt(StmtForm.FOREACH, declared, v, null, array);
        Map<String, ArrayInfo> before = new HashMap<>(arrays);
        vars.put(v, el);
        env.put(v, n > 0 ? Ast.deepCopy(java.lang.reflect.Array.get(values, 0)) : zero(el));
        // (the element changes only with the loop: nothing assigns it, so an int one can index)
        locked.add(v);
        if (el == Type.DARR) {
            ArrayInfo m = arrays.get(array.text);
            int length = -1;
            if (m != null && m.rows() != null && m.rows().length > 0) {
                length = m.rows()[0];
                for (int rowLength : m.rows()) if (rowLength != length) length = -1;
            }
            arrays.put(v, new ArrayInfo(length, null, -1, false));
        }
        ArrayInfo source = array.form == Form.NAME ? arrays.get(array.text) : null;
        if (el == Type.INT && source != null && !source.local() && n > 0) {
            // the elements of an int[] parameter are known: so is the range of v
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            for (int x : (int[]) values) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            ranges.put(v, new int[] {lo, hi});
        }
        if (n == 0) dead++;
        s.body = focused(el == Type.DOUBLE ? () -> name(v) : focus, () -> loopBody(new Loop(null, null, null), false));
        if (n == 0) dead--;
        s.braces = r.nextInt(4) > 0;
        vars.remove(v);
        env.remove(v);
        locked.remove(v);
        ranges.remove(v);
        taken.remove(v);
        arrays.clear();
        arrays.putAll(before);
        return s;
    }

    /** {@code int k = -1; while (++k < a.length && data) { ... a[k] ... }}. */
    private Stmt whileOver(Expr array, int length) {
        String k = counterName();
        if (k == null) return null;
        Stmt init = indexCounter(k, -1, 0, length);
        Expr test = node(Form.BINARY, "<", Type.BOOL, incdec(k, "++", false), node(Form.LENGTH, null, Type.INT, array.copy())).fix();
        assume(k, 0);
        ranges.put(k, new int[] {0, length - 1});
        Expr cond = test;
        if (r.nextBoolean()) {
            cond = node(Form.BINARY, "&&", Type.BOOL, test, condition(1));
            cond.fixed = true;
        }
        Stmt s = Stmt.control(StmtForm.WHILE, cond, null);
        s.init = init;
        if (length == 0) dead++;
        s.body = focused(elementOf(array, k), () -> loopBody(new Loop(k, () -> node(Form.BINARY, "==", Type.BOOL, name(k), intConstant(0)),
                () -> node(Form.BINARY, "==", Type.BOOL, name(k), node(Form.BINARY, "-", Type.INT,
                        node(Form.LENGTH, null, Type.INT, array.copy()), intConstant(1)))), true));
        if (length == 0) dead--;
        ranges.remove(k);
        s.fixed = true;
        s.braces = r.nextInt(4) > 0;
        return s;
    }

    /** {@code int k = 0; do { ... a[k] ... } while (++k < a.length && data);} over a non-empty array. */
    private Stmt doOver(Expr array, int length) {
        String k = counterName();
        if (k == null) return null;
        Stmt init = indexCounter(k, 0, 0, length);
        ranges.put(k, new int[] {0, length - 1});
        Expr test = node(Form.BINARY, "<", Type.BOOL, incdec(k, "++", false), node(Form.LENGTH, null, Type.INT, array.copy())).fix();
        Expr cond = test;
        if (r.nextBoolean()) {
            cond = node(Form.BINARY, "&&", Type.BOOL, test, condition(1));
            cond.fixed = true;
        }
        assume(k, 0);
        Stmt s = Stmt.control(StmtForm.DO, cond, null);
        s.init = init;
        s.fixed = true;
        s.body = focused(elementOf(array, k), () -> loopBody(new Loop(k, () -> node(Form.BINARY, "==", Type.BOOL, name(k), intConstant(0)), null), true));
        ranges.remove(k);
        // (a do loop whose body always returns: a known bug)
        if (KnownBugs.DO_ALWAYS_RETURNS && !s.completesNormally()) return null;
        return s;
    }

    /** An int counter declared just before its while or do loop (see {@link #counterInit}), in [lo, hi] after it. */
    private Stmt indexCounter(String k, int start, int lo, int hi) {
        Stmt init = new Stmt(StmtForm.DECLARE, "int", k, null, intConstant(start).fix());
        init.fixed = true;
        counterRanges.put(init, new int[] {lo, hi});
        vars.put(k, Type.INT);
        env.put(k, start);
        locked.add(k);
        return init;
    }

    // ------------------------------------------------------------------------------ tensor methods

    private Method tensorMethod(String name) {
        Method m = new Method();
        m.name = name;
        m.result = Type.TENSOR;
        begin(m);
        long[] world = new long[3];
        for (int i = 0; i < 3; i++) world[i] = 1 + r.nextInt(4);
        // Square matrices and columns, often: where a [n] reduced from rows broadcasts again, along
        // the other axis (the matrix loops' hardest case).
        int trailing = r.nextInt(6);
        if (trailing < 2) world[2] = world[1];
        else if (trailing == 2) world[2] = 1;
        // Half the methods live in two dimensions: every value can then take the matrix loops.
        if (r.nextBoolean()) world = new long[] {world[1], world[2]};
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
        this.world = world;
        long[] result = r.nextBoolean() ? new long[0] : subShape(world);
        m.resultShape = result;
        budget = 6;
        block(m.body, r.nextInt(4));
        if (Stmt.completesNormally(m.body)) m.body.add(new Stmt(StmtForm.RETURN, null, null, null, tensor(result, 3)));
        return m;
    }

    /** The sizes the shapes of the tensor method being generated are drawn from. */
    private long[] world;

    /** A double local, a tensor local, or an assignment to a tensor of the same shape. */
    private Stmt tensorStatement() {
        if (r.nextInt(5) == 0) {
            String n = freshName();
            Expr e = scalarOperand(true);
            vars.put(n, Type.DOUBLE);
            env.put(n, Interp.convert(e.value, Type.DOUBLE));
            return new Stmt(StmtForm.DECLARE, "double", n, null, e);
        }
        long[] shape = subShape(world);
        List<String> tensors = namesOf(Type.TENSOR, false);
        // inside branches and loops mostly assignments to tensors from before: code that only declares does nothing
        if (nesting > 0 && !tensors.isEmpty() && r.nextInt(4) > 0) shape = shapes.get(pick(tensors));
        List<String> same = tensorsOfShape(shape);
        if (!same.isEmpty() && r.nextInt(4) < (loops.isEmpty() ? 1 : 3)) {
            String n = pick(same);
            Expr e = tensor(shape, 2);
            // Inside a branch or loop a positive tensor stays positive (what follows relies on it,
            // on every path and every trip): after the statement, positivity is what it was before.
            if (nesting > 0 && positive.contains(n) && !e.positive) e = positiveTensor(shape, 1);
            // (h = h in a loop leaves h's adjoint unchanged through it, h = w loses a copy: known bugs)
            if (bareName(e) && (!copyOk() || KnownBugs.UNCHANGED_LOOP_ADJOINT && !loops.isEmpty())) {
                boolean pos = e.positive;
                e = tnode("mul", shape, e, literal("2.0", Type.DOUBLE));
                e.positive = pos;
            }
            if (e.positive) positive.add(n);
            else positive.remove(n);
            return new Stmt(StmtForm.ASSIGN, null, n, "=", e);
        }
        String n = freshName();
        Expr e = tensor(shape, 3);
        vars.put(n, Type.TENSOR);
        shapes.put(n, shape);
        if (e.positive) positive.add(n);
        return new Stmt(StmtForm.DECLARE, r.nextInt(6) == 0 ? "var" : "Variable", n, null, e);
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
        if (depth > 0 && shape.length < 3 && r.nextInt(loops.isEmpty() ? 30 : 5) == 0) return slice(shape, depth);
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

    /** {@code x.slice(k)} of a tensor one axis larger, k in range whatever the inputs (a loop counter, often). */
    private Expr slice(long[] shape, int depth) {
        List<Long> firsts = new ArrayList<>();
        for (Map.Entry<String, Type> e : vars.entrySet()) {
            long[] s = shapes.get(e.getKey());
            if (e.getValue() == Type.TENSOR && s.length == shape.length + 1 && Arrays.equals(Arrays.copyOfRange(s, 1, s.length), shape)) {
                firsts.add(s[0]);
            }
        }
        long s0 = !firsts.isEmpty() && r.nextInt(3) > 0 ? pick(firsts) : 1 + r.nextInt(4);
        long[] in = new long[shape.length + 1];
        in[0] = s0;
        System.arraycopy(shape, 0, in, 1, shape.length);
        Expr x = tensor(in, depth - 1);
        Expr e = tnode("slice", shape, x, sliceIndex((int) s0));
        e.positive = x.positive;
        return e;
    }

    /** An index in [0, size): a counter whose range is that, or a counter shifted into it, or a constant. */
    private Expr sliceIndex(int size) {
        List<String> exact = new ArrayList<>(), shifted = new ArrayList<>();
        for (Map.Entry<String, int[]> e : ranges.entrySet()) {
            if (!vars.containsKey(e.getKey()) || vars.get(e.getKey()) != Type.INT) continue;
            if (e.getValue()[0] >= 0 && e.getValue()[1] < size) exact.add(e.getKey());
            else if (e.getValue()[0] >= -2) shifted.add(e.getKey());
        }
        if (!exact.isEmpty() && r.nextInt(4) > 0) return name(pick(exact));
        if (!shifted.isEmpty() && r.nextInt(3) > 0) {
            return node(Form.BINARY, "%", Type.INT, node(Form.BINARY, "+", Type.INT, name(pick(shifted)), intConstant(2)), intConstant(size));
        }
        return intConstant(r.nextInt(size));
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
                // often the size of a neighbouring axis: square inputs, whose reduced [n] broadcasts
                // back along the other axis (what the matrix loops' unreduce must line up)
                boolean square = !s.isEmpty() && r.nextBoolean();
                s.add(at, square ? s.get(Math.min(at, s.size() - 1)) : 1L + r.nextInt(4));
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
        if (!mutableFieldsOk() && readsMutableField(callee)) return null;
        if (!gatedOk && gated(callee) || !regionsOk && hasRegions(callee)) return null;
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
