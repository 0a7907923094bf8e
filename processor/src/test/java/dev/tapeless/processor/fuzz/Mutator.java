package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.fuzz.Ast.Expr;
import dev.tapeless.processor.fuzz.Ast.Form;
import dev.tapeless.processor.fuzz.Ast.Method;
import dev.tapeless.processor.fuzz.Ast.Program;
import dev.tapeless.processor.fuzz.Ast.Stmt;
import dev.tapeless.processor.fuzz.Ast.StmtForm;
import dev.tapeless.processor.diagnostics.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rewrites a valid program into a likely invalid (or differently valid) one, staying
 * syntactically Java: deletes or duplicates statements, swaps operands, replaces operators,
 * functions, ops, names, literals and types, swaps branches and turns break into continue. The
 * processor must answer each with a companion that compiles or with diagnostics, never with an
 * exception.
 *
 * <p>Mutants must still terminate: the mutator leaves alone whatever is {@code fixed} (a loop's
 * header, counter, step and guard) and never writes {@code ++} or {@code --} on a loop counter
 * (see {@link Generator#COUNTER_NAMES}).
 *
 * <p>Two in five mutants of a program with arrays get one array construct outside the language
 * and nothing else ({@link #arrayMutant}): a write into a parameter's array, an array created in a
 * branch or loop, a second name for an array, a whole array assigned. The processor must reject
 * each with its error at that statement (see {@link Program#expectedError}).
 */
final class Mutator {
    private Mutator() {}

    static final List<String> OPERATORS = List.of("+", "-", "*", "/", "<", "<=", ">", ">=", "%", "==", "!=", "&&",
            "||", "&", "|", "^", "<<", ">>", ">>>");
    static final List<String> FUNCTIONS = List.of("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
            "exp", "expm1", "log", "log10", "log1p", "sqrt", "cbrt", "abs", "atan2", "pow", "hypot", "min", "max",
            "floor", "ceil", "round", "rint", "signum", "random", "ulp", "toRadians", "fma", "scalb", "copySign",
            "IEEEremainder", "nextUp", "floorMod", "addExact", "negateExact", "noSuchFunction");
    static final List<String> TENSOR_OPS = List.of("add", "sub", "mul", "div", "rsub", "rdiv", "neg", "exp", "log",
            "sqrt", "pow", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "sum", "mean", "mmul", "transpose", "reshape",
            "expand", "softmax", "logSoftmax", "slice", "dup", "max", "value", "shape", "toString", "norm2", "broadcast");
    static final List<String> LITERALS = List.of("1", "0", "-1", "1L", "2.5", "1.0f", "true", "false", "'c'", "\"s\"",
            "null", "0x10", "1e400", "Double.NaN", "Double.POSITIVE_INFINITY", "Integer.MAX_VALUE", "Math.PI", "Math.E",
            "new double[1]", "this", "super.hashCode()", "x -> x", "(Object) 1");
    static final List<String> TYPES = List.of("double", "int", "long", "float", "boolean", "var", "Variable", "INDArray",
            "Double", "Object", "short", "char", "byte", "String", "double[]");
    static final List<String> COMPOUND = List.of("=", "+=", "-=", "*=", "/=", "%=", "<<=", "&=", "|=", "^=");

    static Program mutate(Program original, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Program p = original.copy();
        if (p.methods.stream().anyMatch(Fuzzer::hasArrays) && r.nextInt(5) < 2 && arrayMutant(p, r)) return p;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) once(p, r);
        return p;
    }

    static <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    /** Every statement of {@code m}, nested ones included. */
    static List<Stmt> statements(Method m) {
        List<Stmt> all = new ArrayList<>();
        for (Stmt s : m.body) s.statements(all);
        return all;
    }

    /** The method's body and every block nested in it. */
    static List<List<Stmt>> blocks(Method m) {
        List<List<Stmt>> out = new ArrayList<>();
        out.add(m.body);
        for (Stmt s : statements(m)) out.addAll(s.blocks());
        return out;
    }

    /**
     * Puts {@code s} at a random place in {@code block}; one that holds a {@code continue}, only
     * after the block's last fixed statement (a while loop's counter step): before it, the
     * {@code continue} could skip the step forever.
     */
    private static void insert(List<Stmt> block, Stmt s, SplittableRandom r) {
        int from = 0;
        List<Stmt> inside = new ArrayList<>();
        s.statements(inside);
        if (inside.stream().anyMatch(t -> t.form == StmtForm.CONTINUE)) {
            for (int i = 0; i < block.size(); i++) if (block.get(i).fixed) from = i + 1;
        }
        block.add(from + r.nextInt(block.size() - from + 1), s);
    }

    /** The statements of {@code block} the mutator may delete, duplicate or copy. */
    private static List<Stmt> movable(List<Stmt> block) {
        return block.stream().filter(s -> !s.fixed).toList();
    }

    private static void once(Program p, SplittableRandom r) {
        Method m = pick(r, p.methods);
        List<Expr> nodes = new ArrayList<>();
        List<Stmt> all = statements(m);
        for (Stmt s : all) for (Expr x : s.expressions()) if (!s.fixed || x == s.expr) x.collectMutable(nodes);
        if (nodes.isEmpty()) {
            m.body.add(new Stmt(StmtForm.RETURN, null, null, null, new Expr(Form.LITERAL, "1.0", Ast.Type.DOUBLE)));
            return;
        }
        Expr e = pick(r, nodes);
        List<Stmt> block = pick(r, blocks(m));
        List<Stmt> movable = movable(block);
        switch (r.nextInt(17)) {
            case 0 -> {
                if (!movable.isEmpty()) block.remove(pick(r, movable));
            }
            case 1 -> {
                if (e.kids.length >= 2) {
                    int i = r.nextInt(e.kids.length), j = r.nextInt(e.kids.length);
                    Expr t = e.kids[i];
                    e.kids[i] = e.kids[j];
                    e.kids[j] = t;
                }
            }
            case 2 -> {
                if (e.form == Form.BINARY) e.text = pick(r, OPERATORS);
                else if (e.form == Form.UNARY) {
                    // (no ++ or -- on a loop counter: the mutant could loop forever)
                    boolean counter = e.kids[0].form == Form.NAME && Generator.COUNTER_NAMES.contains(e.kids[0].text);
                    e.text = pick(r, counter ? List.of("-", "+", "!", "~") : List.of("-", "+", "!", "~", "++", "--"));
                }
            }
            case 3 -> {
                if (e.form == Form.CALL && e.callee == null && e.text.contains(".")) {
                    e.text = e.text.substring(0, e.text.lastIndexOf('.') + 1) + pick(r, FUNCTIONS);
                } else if (e.form == Form.CALL) {
                    // call another method, this one (recursion), or one that does not exist
                    List<String> names = new ArrayList<>();
                    for (Method other : p.methods) names.add(other.name);
                    names.add(m.name);
                    names.add("undefinedMethod");
                    names.add("Math.max");
                    names.add("String.valueOf");
                    names.add("Objects.requireNonNull");
                    e.text = pick(r, names);
                }
            }
            case 4 -> {
                if (e.form == Form.METHOD) e.text = pick(r, TENSOR_OPS);
            }
            case 5 -> {
                // replace a node by a name from the method, or an unknown one
                List<String> names = new ArrayList<>();
                for (var param : m.params) names.add(param.name);
                for (Stmt s : all) if (s.name != null) names.add(s.name);
                for (var f : p.fields) names.add(f.name);
                names.add("undefinedName");
                names.add(p.cls);
                replace(e, new Expr(Form.NAME, pick(r, names), e.type));
            }
            case 6 -> replace(e, new Expr(Form.PAREN, null, e.type, new Expr(Form.LITERAL, pick(r, LITERALS), e.type)));
            case 7 -> {
                List<Stmt> decls = all.stream().filter(s -> s.form == StmtForm.DECLARE && !s.fixed).toList();
                if (!decls.isEmpty()) pick(r, decls).declaredType = pick(r, TYPES);
            }
            case 8 -> {
                List<Stmt> assigns = all.stream().filter(s -> s.form == StmtForm.ASSIGN && !s.fixed).toList();
                if (!assigns.isEmpty()) pick(r, assigns).operator = pick(r, COMPOUND);
            }
            case 9 -> {
                // duplicate a statement (a second declaration, or a return that is not last)
                if (movable.isEmpty()) return;
                Stmt s = pick(r, movable).copy();
                insert(block, s, r);
            }
            case 10 -> replace(e, new Expr(Form.CAST, pick(r, List.of("int", "long", "float", "double", "Object", "short")),
                    e.type, e.copy()));
            case 11 -> {
                if (e.form == Form.METHOD) {
                    e.raw = pick(r, List.of("", "0", "1, 1", "-1", "true", "0, -2", "5", "2, 3", "-4", "true, 0, 0", "x"));
                }
            }
            case 12 -> {
                // copy a statement from another method (its names may not exist here)
                List<Stmt> from = statements(pick(r, p.methods)).stream().filter(s -> !s.fixed).toList();
                if (!from.isEmpty()) insert(block, pick(r, from).copy(), r);
            }
            case 13 -> {
                // swap the branches of an if, or drop its else
                List<Stmt> ifs = all.stream().filter(s -> s.form == StmtForm.IF && !s.fixed).toList();
                if (ifs.isEmpty()) return;
                Stmt s = pick(r, ifs);
                if (s.elseBody != null && r.nextBoolean()) {
                    List<Stmt> t = s.body;
                    s.body = s.elseBody;
                    s.elseBody = t;
                } else {
                    s.elseBody = null;
                }
            }
            case 14 -> {
                // break <-> continue, or negate a condition
                List<Stmt> jumps = all.stream().filter(s -> !s.fixed && (s.form == StmtForm.BREAK || s.form == StmtForm.CONTINUE)).toList();
                if (!jumps.isEmpty() && r.nextBoolean()) {
                    Stmt s = pick(r, jumps);
                    s.form = s.form == StmtForm.BREAK ? StmtForm.CONTINUE : StmtForm.BREAK;
                } else if (e.type == Ast.Type.BOOL) {
                    replace(e, new Expr(Form.UNARY, "!", Ast.Type.BOOL, new Expr(Form.PAREN, null, Ast.Type.BOOL, e.copy())));
                }
            }
            default -> {
                // change the method's result or a parameter's type by swapping it with another method's
                Method other = pick(r, p.methods);
                if (other != m && !other.params.isEmpty() && !m.params.isEmpty()) {
                    int i = r.nextInt(m.params.size());
                    m.params.set(i, other.params.get(r.nextInt(other.params.size())));
                } else {
                    m.result = m.result == Ast.Type.DOUBLE ? Ast.Type.TENSOR : Ast.Type.DOUBLE;
                }
            }
        }
    }

    /** The name of what an array mutant declares (no generated program uses it). */
    static final String MUTANT_ARRAY = "mutantArray";

    /**
     * Writes one array construct outside the language into a method with arrays, marks its
     * statement and sets the error expected there; returns false if the method offers no place
     * for the one chosen.
     */
    static boolean arrayMutant(Program p, SplittableRandom r) {
        List<Method> withArrays = p.methods.stream().filter(Fuzzer::hasArrays).toList();
        Method m = pick(r, withArrays);
        List<Stmt> all = statements(m);
        // arrays at the top level of the body: parameters, and locals with the index of their declaration
        List<String> params = new ArrayList<>();
        for (var param : m.params) if (param.type.array()) params.add(param.name);
        List<Stmt> localDecls = new ArrayList<>();
        for (Stmt s : m.body) if (s.form == StmtForm.DECLARE && s.declaredType != null && (s.declaredType.endsWith("[]") || s.expr != null
                && s.expr.type != null && s.expr.type.array())) localDecls.add(s);
        Stmt inserted;
        List<Stmt> block;
        int from;
        Message expected;
        switch (r.nextInt(4)) {
            case 0 -> {
                // write into a parameter's array
                if (params.isEmpty()) return false;
                String chosen = pick(r, params);
                var param = m.params.stream().filter(q -> q.name.equals(chosen)).findFirst().orElseThrow();
                Expr target = new Expr(Form.INDEX, null, param.type.element(), new Expr(Form.NAME, param.name, param.type), literal("0", Ast.Type.INT));
                if (param.type == Ast.Type.DMAT) target = new Expr(Form.INDEX, null, Ast.Type.DOUBLE, target, literal("0", Ast.Type.INT));
                Ast.Type el = target.type;
                if (el != Ast.Type.BOOL && r.nextInt(3) == 0) {
                    Expr inc = new Expr(Form.INCDEC, "++", el, target);
                    inc.raw = "post";
                    inserted = new Stmt(StmtForm.EXPR, null, null, null, inc);
                } else {
                    String value = switch (el) {
                        case DOUBLE -> "1.5";
                        case INT -> "1";
                        case LONG -> "1L";
                        default -> "true";
                    };
                    inserted = new Stmt(StmtForm.ASSIGN, null, null, el == Ast.Type.BOOL || r.nextBoolean() ? "=" : "+=", literal(value, el));
                    inserted.target = target;
                }
                List<List<Stmt>> blocks = blocks(m);
                block = pick(r, blocks);
                from = 0;
                expected = Message.ARRAY_PARAMETER_WRITE;
            }
            case 1 -> {
                // an array created inside a branch or a loop
                // (the body of a branch or loop: a block alone at the top level is no branch)
                List<List<Stmt>> nested = new ArrayList<>();
                for (Stmt s : all) if (s.form != StmtForm.BLOCK) nested.addAll(s.blocks());
                if (nested.isEmpty()) return false;
                block = pick(r, nested);
                from = 0;
                Expr init = r.nextBoolean() ? new Expr(Form.NEWARRAY, "double", Ast.Type.DARR, literal("2", Ast.Type.INT))
                        : new Expr(Form.ARRAYINIT, null, Ast.Type.IARR, literal("1", Ast.Type.INT), literal("2", Ast.Type.INT));
                inserted = new Stmt(StmtForm.DECLARE, init.type.java, MUTANT_ARRAY, null, init);
                expected = Message.ARRAY_IN_REGION;
            }
            case 2 -> {
                // a second name for an array: double[] mutantArray = x;
                List<String> names = new ArrayList<>(params);
                for (Stmt d : localDecls) names.add(d.name);
                if (names.isEmpty()) return false;
                String a = pick(r, names);
                Ast.Type t = typeOf(m, a, localDecls);
                inserted = new Stmt(StmtForm.DECLARE, t.java, MUTANT_ARRAY, null, new Expr(Form.NAME, a, t));
                block = m.body;
                from = afterDeclaration(m.body, a);
                // (a double[][] local is no local array at all)
                expected = t == Ast.Type.DMAT ? Message.LOCAL_TYPE : Message.ARRAY_INITIALIZER;
            }
            default -> {
                // a whole array assigned to a local array: y = new double[3], or y = z
                if (localDecls.isEmpty()) return false;
                Stmt d = pick(r, localDecls);
                Ast.Type t = typeOf(m, d.name, localDecls);
                List<String> same = new ArrayList<>();
                for (var param : m.params) if (param.type == t) same.add(param.name);
                for (Stmt o : localDecls) if (o != d && typeOf(m, o.name, localDecls) == t) same.add(o.name);
                Expr value = !same.isEmpty() && r.nextBoolean() ? new Expr(Form.NAME, pick(r, same), t)
                        : new Expr(Form.NEWARRAY, t.element().java, t, literal("3", Ast.Type.INT));
                inserted = new Stmt(StmtForm.ASSIGN, null, d.name, "=", value);
                block = m.body;
                from = Math.max(m.body.indexOf(d) + 1, value.form == Form.NAME ? afterDeclaration(m.body, value.text) : 0);
                expected = Message.ARRAY_REASSIGNED;
            }
        }
        // a place that is reached (before any statement that cannot complete normally)
        int to = from;
        while (to < block.size() && block.get(to).completesNormally()) to++;
        if (to < from) return false;
        if (inserted.comment == null) inserted.comment = Program.EXPECT;
        block.add(from + r.nextInt(to - from + 1), inserted);
        p.expectedError = expected;
        return true;
    }

    /** The type of array {@code a} of {@code m}: a parameter, or a local declared at the top level. */
    private static Ast.Type typeOf(Method m, String a, List<Stmt> localDecls) {
        for (var param : m.params) if (param.name.equals(a)) return param.type;
        for (Stmt d : localDecls) if (d.name.equals(a)) return d.expr.type;
        throw new IllegalArgumentException(a);
    }

    /** The index in {@code body} after the declaration of {@code name} (0 for a parameter). */
    private static int afterDeclaration(List<Stmt> body, String name) {
        for (int i = 0; i < body.size(); i++) if (body.get(i).form == StmtForm.DECLARE && name.equals(body.get(i).name)) return i + 1;
        return 0;
    }

    private static Expr literal(String text, Ast.Type t) {
        return new Expr(Form.LITERAL, text, t);
    }

    private static void replace(Expr target, Expr with) {
        target.form = with.form;
        target.text = with.text;
        target.kids = with.kids;
        target.raw = with.raw;
        target.callee = null;
    }
}
