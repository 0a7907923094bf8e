package dev.tapeless.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import dev.tapeless.processor.diagnostics.CompileError;
import dev.tapeless.processor.diagnostics.Message;
import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/**
 * Reads one method body, statement by statement, into the graph: locals are names bound to SSA
 * values (reassignment rebinds), expressions become nodes, calls to other {@code @Differentiable}
 * methods are inlined.
 */
final class BodyReader {
    private final Frontend frontend;
    private final Graph graph;
    private final ExecutableElement method;
    private final MethodTree tree;
    private final CompilationUnitTree unit;
    private final Symbols symbols;
    private final Set<ExecutableElement> inlining;
    private final String companionPackage;
    private final Map<String, Local> scope = new java.util.LinkedHashMap<>();
    private final String fileName;
    private final CharSequence source;
    /** The kind of the value this method returns. */
    private final Kind resultKind;

    /**
     * A local or parameter: its declared kind and its current value (null before assignment);
     * {@code data} for an {@code INDArray} (a Variable is the same kind, but not data).
     */
    private static final class Local {
        final Kind kind;
        final boolean data;
        Node value;
        /** An array local made by this method ({@code new}): its elements may be written. */
        boolean writable;

        Local(Kind kind, Node value) {
            this(kind, value, false);
        }

        Local(Kind kind, Node value, boolean data) {
            this.kind = kind;
            this.value = value;
            this.data = data;
        }
    }

    /**
     * @param companionPackage the package of the companion that will contain this body's code
     *                         (the caller's, when this is an inlined callee): what it can access
     */
    BodyReader(Frontend frontend, Graph graph, ExecutableElement method, MethodTree tree, CompilationUnitTree unit,
            Map<String, Node> parameters, Set<ExecutableElement> inlining, String companionPackage) {
        this.frontend = frontend;
        this.graph = graph;
        this.method = method;
        this.tree = tree;
        this.unit = unit;
        this.symbols = frontend.symbols(unit, (TypeElement) method.getEnclosingElement());
        this.inlining = inlining;
        this.companionPackage = companionPackage;
        this.scope.putAll(wrap(parameters));
        for (VariableElement p : method.getParameters()) {
            if (Frontend.qualifiedName(p.asType()).equals(Vocabulary.INDARRAY)) markData(p.getSimpleName().toString());
        }
        String path = unit.getSourceFile().getName();
        this.fileName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        CharSequence text;
        try {
            text = unit.getSourceFile().getCharContent(true);
        } catch (IOException e) {
            text = null;
        }
        this.source = text;
        this.resultKind = method.getReturnType().getKind() == TypeKind.DOUBLE ? Kind.SCALAR : Kind.TENSOR;
    }

    private static Map<String, Local> wrap(Map<String, Node> parameters) {
        Map<String, Local> m = new java.util.LinkedHashMap<>();
        parameters.forEach((k, v) -> m.put(k, new Local(v.kind(), v)));
        return m;
    }

    private CompileError error(Tree at, Message message, Object... args) {
        return new CompileError(at, unit, message, args);
    }

    // ---- statements ---------------------------------------------------------------------------

    /** Reads the body; returns the value it returns. */
    Node read() {
        Flow f = block(tree.getBody().getStatements());
        Local value = scope.get(VAL);
        if (f != Flow.JUMPS || value == null || value.value == null) {
            throw error(tree, Message.MISSING_RETURN, method.getSimpleName());
        }
        return value.value;
    }

    void bind(String name, Node value) {
        Local old = scope.get(name);
        scope.put(name, new Local(value.kind(), value, old != null && old.data));
    }

    private void markData(String name) {
        Local l = scope.get(name);
        scope.put(name, new Local(l == null ? Kind.TENSOR : l.kind, l == null ? null : l.value, true));
    }

    // ---- control flow -------------------------------------------------------------------------
    //
    // Locals are SSA values; a branch or a loop becomes an IF or LOOP node whose results are the
    // locals it assigns. break, continue and return inside them set flags (pseudo-locals, whose
    // names start with $, carried and merged like any local) and the statements after them run
    // under "nothing jumped"; where one branch of an if always jumps, the statements that follow
    // are read into the other branch instead, which is the common case (if (x < 0) return 0;).

    /** How control leaves statements: always falls through, never does (every path jumps), or may. */
    enum Flow {
        NORMAL, JUMPS, MAYBE;

        /** The flow of two alternatives. */
        Flow or(Flow other) {
            return this == other ? this : MAYBE;
        }
    }

    private static final String RET = "#ret";
    private static final String VAL = "#val";
    private static final String GO = "#go";
    /** The depth of the innermost loop being read (0: none); its break and continue flags carry it. */
    private int loopDepth;

    private String brk() {
        return "#brk" + loopDepth;
    }

    private String cont() {
        return "#cont" + loopDepth;
    }

    private static boolean isFlag(String name) {
        return name.startsWith("#") && !name.equals(VAL) && !name.startsWith("#each");
    }

    private Flow block(List<? extends StatementTree> statements) {
        List<StatementTree> list = new java.util.ArrayList<>(statements); // javac's lists are linked
        for (int i = 0; i < list.size(); i++) {
            StatementTree s = list.get(i);
            graph.at(origin(s));
            List<StatementTree> rest = list.subList(i + 1, list.size());
            Flow f;
            if (s instanceof IfTree t) {
                boolean thenJumps = alwaysJumps(t.getThenStatement());
                boolean elseJumps = t.getElseStatement() != null && alwaysJumps(t.getElseStatement());
                if (!rest.isEmpty() && thenJumps != elseJumps) return ifStatement(t, rest);
                f = ifStatement(t, List.of());
            } else {
                f = statement(s);
            }
            if (f == Flow.NORMAL || rest.isEmpty()) {
                if (rest.isEmpty()) return f;
                continue;
            }
            if (f == Flow.JUMPS) throw error(rest.get(0), Message.UNREACHABLE);
            return guarded(rest);
        }
        return Flow.NORMAL;
    }

    /** {@code rest}, run only where nothing has jumped (no break, continue or return so far). */
    private Flow guarded(List<StatementTree> rest) {
        Node go = graph.apply(Op.NOT, jumped(true));
        return branches(go, () -> block(rest), () -> Flow.JUMPS);
    }

    /** Whether a break, return (or, with {@code withContinue}, a continue) has happened on this path. */
    private Node jumped(boolean withContinue) {
        Node j = null;
        List<String> flags = new java.util.ArrayList<>(List.of(RET));
        if (loopDepth > 0) {
            flags.add(brk());
            if (withContinue) flags.add(cont());
        }
        for (String f : flags) {
            Local l = scope.get(f);
            if (l == null || l.value == null) continue;
            j = j == null ? l.value : graph.apply(Op.SELECT, j, graph.integer(1, Kind.BOOL), l.value);
        }
        return j == null ? graph.integer(0, Kind.BOOL) : j;
    }

    /** Whether every path through {@code s} jumps (return, break, continue), as the source shows it. */
    private static boolean alwaysJumps(StatementTree s) {
        return switch (s.getKind()) {
            case RETURN, BREAK, CONTINUE -> true;
            case BLOCK -> {
                List<? extends StatementTree> b = ((BlockTree) s).getStatements();
                yield !b.isEmpty() && alwaysJumps(b.get(b.size() - 1));
            }
            case IF -> ((IfTree) s).getElseStatement() != null && alwaysJumps(((IfTree) s).getThenStatement())
                    && alwaysJumps(((IfTree) s).getElseStatement());
            default -> false;
        };
    }

    /** {@code if}: both branches as regions; {@code rest} (statements after it) read into the one that falls through. */
    private Flow ifStatement(IfTree t, List<StatementTree> rest) {
        Node c = condition(t.getCondition(), "the condition of an if statement");
        StatementTree thenS = t.getThenStatement();
        StatementTree elseS = t.getElseStatement();
        return branches(c, () -> then(thenS, rest), () -> elseS == null ? then(null, rest) : then(elseS, rest));
    }

    /** A branch of an if, then {@code rest} where it falls through. */
    private Flow then(StatementTree s, List<StatementTree> rest) {
        Flow f = s == null ? Flow.NORMAL : scoped(s);
        if (rest.isEmpty() || f == Flow.JUMPS) return f;
        return f == Flow.NORMAL ? block(rest) : guarded(rest);
    }

    /** A statement whose locals go out of scope after it. */
    private Flow scoped(StatementTree s) {
        Set<String> outer = new HashSet<>(scope.keySet());
        Flow f = s instanceof BlockTree b ? block(b.getStatements()) : statementAt(s);
        scope.keySet().removeIf(k -> !outer.contains(k) && !k.startsWith("#"));
        return f;
    }

    private Flow statementAt(StatementTree s) {
        graph.at(origin(s));
        if (s instanceof IfTree t) return ifStatement(t, List.of());
        return statement(s);
    }

    /** The values of every local in scope (null where unassigned). */
    private Map<String, Node> values() {
        Map<String, Node> out = new java.util.LinkedHashMap<>();
        scope.forEach((k, l) -> out.put(k, l.value));
        return out;
    }

    private void restore(Map<String, Node> before) {
        scope.keySet().retainAll(before.keySet());
        before.forEach((k, v) -> {
            // Gone only where the source declares a name twice (javac rejects it): nothing to restore.
            if (scope.containsKey(k)) scope.get(k).value = v;
        });
    }

    private Kind kindOfLocal(String name, Map<String, Node> a, Map<String, Node> b) {
        if (name.startsWith("#each")) return Kind.INT;
        if (isFlag(name)) return Kind.BOOL;
        if (name.equals(VAL)) return resultKind;
        return scope.get(name).kind;
    }

    /** What a local holds on a path that did not assign it: false for a flag, else nothing to read. */
    private Node absent(String name, Kind kind) {
        return isFlag(name) ? graph.integer(0, Kind.BOOL) : graph.undef(kind);
    }

    /**
     * Reads two alternatives, each into a region, and merges what they assign: an IF on {@code c}
     * whose results are the locals (and flags) that differ between them.
     */
    private Flow branches(Node c, java.util.function.Supplier<Flow> first, java.util.function.Supplier<Flow> second) {
        Origin here = graph.origin();
        Map<String, Node> before = values();
        graph.beginRegion();
        Flow f1 = first.get();
        Map<String, Node> v1 = values();
        List<Node> n1 = graph.popRegion();
        restore(before);
        graph.at(here);
        graph.beginRegion();
        Flow f2 = second.get();
        Map<String, Node> v2 = values();
        List<Node> n2 = graph.popRegion();
        restore(before);
        graph.at(here);
        merge(c, n1, v1, n2, v2, List.of(), List.of());
        return f1.or(f2);
    }

    /**
     * Makes the IF of two alternatives read into node lists, with the values of the locals after
     * each; {@code extra1} and {@code extra2} are further values it yields (a condition's value),
     * whose results it returns.
     */
    private List<Node> merge(Node c, List<Node> n1, Map<String, Node> v1, List<Node> n2, Map<String, Node> v2,
            List<Node> extra1, List<Node> extra2) {
        Map<String, Node> before = values();
        Set<String> names = new java.util.LinkedHashSet<>(before.keySet());
        for (String k : v1.keySet()) if (k.startsWith("#")) names.add(k);
        for (String k : v2.keySet()) if (k.startsWith("#")) names.add(k);
        List<String> merged = new java.util.ArrayList<>();
        List<Node> y1 = new java.util.ArrayList<>(extra1);
        List<Node> y2 = new java.util.ArrayList<>(extra2);
        Map<String, Node> same = new HashMap<>();
        for (String k : names) {
            Node a = v1.get(k);
            Node b = v2.get(k);
            if (a == null && b == null) continue;
            if (a == b) {
                same.put(k, a);
                continue;
            }
            Kind kind = kindOfLocal(k, v1, v2);
            if (a == null) a = absent(k, kind);
            if (b == null) b = absent(k, kind);
            merged.add(k);
            y1.add(a);
            y2.add(b);
        }
        Node ifNode = graph.control(Op.IF, List.of(c), List.of(graph.region(List.of(), n1, y1), graph.region(List.of(), n2, y2)));
        List<Node> extras = new java.util.ArrayList<>();
        for (int k = 0; k < extra1.size(); k++) extras.add(graph.result(ifNode, k, extra1.get(k).kind(), "$cond"));
        for (int i = 0; i < merged.size(); i++) {
            String k = merged.get(i);
            Node r = graph.result(ifNode, extra1.size() + i, y1.get(extra1.size() + i).kind(), resultName(k));
            setLocal(k, r);
        }
        same.forEach(this::setLocal);
        return extras;
    }

    /** A name hint for the value of local {@code k}: its own, or for a flag what it means. */
    private static String resultName(String k) {
        if (k.equals(VAL)) return "$result";
        if (k.equals(RET)) return "$returned";
        if (k.startsWith(GO)) return "$go";
        if (k.startsWith("#brk")) return "$broke";
        if (k.startsWith("#cont")) return "$continued";
        if (k.startsWith("#each")) return "$i";
        return k;
    }

    private void setLocal(String name, Node value) {
        Local l = scope.get(name);
        if (l == null) {
            scope.put(name, new Local(value.kind(), value));
        } else {
            l.value = value;
        }
    }

    /** A boolean condition. */
    private Node condition(ExpressionTree e, String what) {
        Node c = expression(e);
        if (c.kind() != Kind.BOOL) throw error(e, Message.CONDITION_KIND, what, describe(c.kind()));
        return c;
    }

    /**
     * {@code left && right} or {@code left || right}: right is evaluated only where it decides. If
     * it cannot throw and assigns nothing, both are computed and combined ({@code left ? right :
     * false}); otherwise it runs in a branch.
     */
    private Node shortCircuit(Node left, boolean and, ExpressionTree rightTree) {
        Origin here = graph.origin();
        Map<String, Node> before = values();
        graph.beginRegion();
        Node right = condition(rightTree, "an operand of " + (and ? "&&" : "||"));
        Map<String, Node> after = values();
        List<Node> nodes = graph.popRegion();
        graph.at(here);
        boolean pure = after.equals(before) && nodes.stream().noneMatch(n -> n.mayThrow() || n.op().hasRegions());
        if (pure) {
            graph.splice(nodes);
            Node constant = graph.integer(and ? 0 : 1, Kind.BOOL);
            return and ? graph.apply(Op.SELECT, left, right, constant) : graph.apply(Op.SELECT, left, constant, right);
        }
        restore(before);
        Node constant = graph.integer(and ? 0 : 1, Kind.BOOL);
        List<Node> r = and
                ? merge(left, nodes, after, List.of(), before, List.of(right), List.of(constant))
                : merge(left, List.of(), before, nodes, after, List.of(constant), List.of(right));
        return r.get(0);
    }

    /**
     * The parts of a loop: its condition (null: none, it runs until a break or return), whether
     * evaluating it assigns locals, what runs after each run of the body (the update of a for
     * loop), what runs before it (an enhanced for's element), and locals of its own it carries.
     */
    private record LoopParts(java.util.function.Supplier<Node> cond, boolean condAssigns, Runnable update,
            Runnable prelude, List<String> hidden) {}

    /** A loop of the source: {@code init} before it; {@code update} after each run of the body. */
    private Flow loop(StatementTree loop, List<? extends StatementTree> init, ExpressionTree cond,
            List<? extends ExpressionStatementTree> update, StatementTree body, boolean testFirst) {
        Set<String> outer = new HashSet<>(scope.keySet());
        for (StatementTree s : init) {
            graph.at(origin(s));
            statement(s);
        }
        ExpressionTree bare = cond;
        while (bare instanceof ParenthesizedTree p) bare = p.getExpression(); // while (true) holds (true)
        boolean forever = bare == null || bare.getKind() == Tree.Kind.BOOLEAN_LITERAL
                && Boolean.TRUE.equals(((LiteralTree) bare).getValue());
        Runnable after = update.isEmpty() ? null : () -> {
            for (ExpressionStatementTree u : update) {
                graph.at(origin(u));
                statement(u);
            }
        };
        Flow f = loop(loop, new LoopParts(forever ? null : () -> condition(cond, "the condition of a loop"),
                Assigned.hasEffects(cond), after, null, List.of()), body, testFirst);
        scope.keySet().removeIf(k -> !outer.contains(k) && !k.startsWith("#"));
        return f;
    }

    /** {@code for (T v : a)}: a loop over the indices of {@code a}, reading {@code v = a[i]} first in each run. */
    private Flow enhancedFor(com.sun.source.tree.EnhancedForLoopTree t) {
        Node array = expression(t.getExpression());
        if (!array.kind().isArray()) {
            throw error(t.getExpression(), Message.UNSUPPORTED_EXPRESSION, "a for-each loop over " + describe(array.kind()));
        }
        String arrayName = t.getExpression() instanceof IdentifierTree id ? id.getName().toString() : null;
        Node length = graph.apply(Op.LENGTH, array);
        String counter = "#each" + (loopDepth + 1);
        setLocal(counter, graph.integer(0, Kind.INT));
        VariableTree v = t.getVariable();
        Kind element = array.kind().element();
        // for (double[] row : xs): each row of a double[][] (data), read as it is.
        Kind declared = v.getType() instanceof com.sun.source.tree.ArrayTypeTree && element.isArray() ? element : localKind(v);
        Flow f = loop(t, new LoopParts(() -> graph.apply(Op.GT, length, scope.get(counter).value), false,
                () -> setLocal(counter, graph.apply(Op.ADD, scope.get(counter).value, graph.integer(1, Kind.INT))),
                () -> {
                    Local a = arrayName == null ? null : scope.get(arrayName);
                    Node current = a != null && a.value != null && a.kind == array.kind() ? a.value : array;
                    Node x = graph.apply(Op.LOAD, current, scope.get(counter).value);
                    Kind kind = declared == null ? element : declared;
                    x = convert(x, kind, v);
                    graph.name(x, v.getName().toString());
                    scope.put(v.getName().toString(), new Local(kind, x));
                }, List.of(counter)), t.getStatement(), true);
        scope.remove(counter);
        scope.remove(v.getName().toString());
        return f;
    }

    private Flow loop(StatementTree loop, LoopParts parts, StatementTree body, boolean testFirst) {
        graph.at(origin(loop));
        Origin here = graph.origin();
        boolean breaks = Assigned.jumps(body, false);
        boolean returns = Assigned.returns(body);
        boolean rotate = !testFirst || parts.condAssigns();
        boolean forever = parts.cond() == null;
        String go = GO + (loopDepth + 1); // this loop's: a loop inside it has its own
        if (rotate && !forever && testFirst) setLocal(go, parts.cond().get());
        if (rotate && !testFirst) setLocal(go, graph.integer(1, Kind.BOOL));
        loopDepth++;
        List<String> carried = new java.util.ArrayList<>();
        Set<String> assigned = Assigned.names(loop);
        for (String k : scope.keySet()) {
            if (!k.startsWith("#") && assigned.contains(k)) carried.add(k);
        }
        carried.addAll(parts.hidden());
        if (returns) {
            carried.add(RET);
            carried.add(VAL);
        }
        if (breaks) carried.add(brk());
        if (rotate) carried.add(go);
        List<Node> inits = new java.util.ArrayList<>();
        List<Node> args = new java.util.ArrayList<>();
        for (String k : carried) {
            Local l = scope.get(k);
            Kind kind = kindOfLocal(k, null, null);
            inits.add(l == null || l.value == null ? absent(k, kind) : l.value);
            Node a = graph.arg(kind, resultName(k));
            args.add(a);
            setLocal(k, a);
        }

        graph.beginRegion();
        Node test = rotate ? scope.get(go).value : forever ? graph.integer(1, Kind.BOOL) : parts.cond().get();
        if (breaks || returns) {
            Node notJumped = graph.apply(Op.NOT, jumped(false));
            test = test.isConst(1) ? notJumped : graph.apply(Op.SELECT, notJumped, test, graph.integer(0, Kind.BOOL));
        }
        List<Node> condNodes = graph.popRegion();
        graph.at(here);

        graph.beginRegion();
        Map<String, Node> atStart = values();
        if (parts.prelude() != null) parts.prelude().run();
        Flow f = scoped(body);
        Runnable after = () -> {
            if (parts.update() != null) parts.update().run();
            if (rotate && !forever) {
                graph.at(here);
                setLocal(go, parts.cond().get());
            }
        };
        scope.remove(cont());
        if (parts.update() != null || rotate && !forever) {
            if (f == Flow.NORMAL || !breaks && !returns) {
                after.run();
            } else {
                graph.at(here);
                Node stillGoing = graph.apply(Op.NOT, jumped(false));
                branches(stillGoing, () -> {
                    after.run();
                    return Flow.NORMAL;
                }, () -> Flow.NORMAL);
            }
        }
        List<Node> yields = new java.util.ArrayList<>();
        for (String k : carried) yields.add(scope.get(k).value);
        List<Node> bodyNodes = graph.popRegion();
        loopDepth--;
        graph.at(here);
        restore(atStart);

        Node node = graph.control(Op.LOOP, inits,
                List.of(graph.region(args, condNodes, List.of(test)), graph.region(args, bodyNodes, yields)));
        for (int j = 0; j < carried.size(); j++) {
            setLocal(carried.get(j), graph.result(node, j, args.get(j).kind(), resultName(carried.get(j))));
        }
        graph.result(node, carried.size(), Kind.INT, "$trips");
        scope.remove(go);
        scope.remove("#brk" + (loopDepth + 1));
        if (!returns) return Flow.NORMAL;
        // A do loop whose body always returns (no break, no continue) runs it once and never completes.
        if (!testFirst && f == Flow.JUMPS && !breaks && !Assigned.jumps(body, true)) return Flow.JUMPS;
        return forever && !breaks ? Flow.JUMPS : Flow.MAYBE;
    }

    private Flow statement(StatementTree s) {
        switch (s.getKind()) {
            case VARIABLE -> declaration((VariableTree) s);
            case EXPRESSION_STATEMENT -> expressionStatement(((ExpressionStatementTree) s).getExpression());
            case BLOCK -> {
                return scoped(s);
            }
            case EMPTY_STATEMENT -> { }
            case IF -> {
                return ifStatement((IfTree) s, List.of());
            }
            case RETURN -> {
                ReturnTree r = (ReturnTree) s;
                if (r.getExpression() == null) throw error(r, Message.MISSING_RETURN, method.getSimpleName());
                Node value = convert(expression(r.getExpression()), resultKind, r.getExpression());
                setLocal(VAL, value);
                if (graph.inRegion()) setLocal(RET, graph.integer(1, Kind.BOOL));
                return Flow.JUMPS;
            }
            case BREAK, CONTINUE -> {
                boolean isBreak = s.getKind() == Tree.Kind.BREAK;
                Object label = isBreak ? ((BreakTree) s).getLabel() : ((ContinueTree) s).getLabel();
                if (label != null) throw error(s, Message.LABEL, label);
                if (loopDepth == 0) throw error(s, Message.CONTROL_FLOW, TreeText.describe(s));
                setLocal(isBreak ? brk() : cont(), graph.integer(1, Kind.BOOL));
                return Flow.JUMPS;
            }
            case WHILE_LOOP -> {
                WhileLoopTree w = (WhileLoopTree) s;
                return loop(w, List.of(), w.getCondition(), List.of(), w.getStatement(), true);
            }
            case DO_WHILE_LOOP -> {
                DoWhileLoopTree d = (DoWhileLoopTree) s;
                return loop(d, List.of(), d.getCondition(), List.of(), d.getStatement(), false);
            }
            case FOR_LOOP -> {
                ForLoopTree f = (ForLoopTree) s;
                return loop(f, f.getInitializer(), f.getCondition(), f.getUpdate(), f.getStatement(), true);
            }
            case LABELED_STATEMENT -> throw error(s, Message.LABEL, ((com.sun.source.tree.LabeledStatementTree) s).getLabel());
            case ENHANCED_FOR_LOOP -> {
                Set<String> outer = new HashSet<>(scope.keySet());
                Flow f = enhancedFor((com.sun.source.tree.EnhancedForLoopTree) s);
                scope.keySet().removeIf(k -> !outer.contains(k) && !k.startsWith("#"));
                return f;
            }
            case SWITCH, TRY, THROW, SYNCHRONIZED ->
                    throw error(s, Message.CONTROL_FLOW, TreeText.describe(s));
            default -> throw error(s, Message.UNSUPPORTED_STATEMENT, TreeText.describe(s));
        }
        return Flow.NORMAL;
    }

    private void declaration(VariableTree v) {
        String name = v.getName().toString();
        if (v.getType() instanceof com.sun.source.tree.ArrayTypeTree
                || v.getInitializer() instanceof com.sun.source.tree.NewArrayTree) {
            arrayDeclaration(v);
            return;
        }
        Kind declared = localKind(v);
        boolean data = declared == Kind.TENSOR && isIndArrayType(v.getType())
                || declared == null && v.getInitializer() != null && dataName(v.getInitializer()) != null;
        if (v.getInitializer() == null) {
            if (declared == null) throw error(v, Message.LOCAL_TYPE, name, "var");
            scope.put(name, new Local(declared, null, data));
            return;
        }
        Node value = expression(v.getInitializer());
        Kind kind = declared == null ? value.kind() : declared;
        value = convert(value, kind, v.getInitializer());
        graph.name(value, name);
        scope.put(name, new Local(kind, value, data));
    }

    /**
     * {@code double[] y = new double[n]} or {@code = {a, b}}: an array of the method's own, made at
     * its top level (its adjoint, in the reverse pass, is made once for all iterations).
     */
    private void arrayDeclaration(VariableTree v) {
        String name = v.getName().toString();
        ExpressionTree init = v.getInitializer();
        Kind kind = v.getType() instanceof com.sun.source.tree.ArrayTypeTree t ? arrayKind(t, v) : null;
        if (init == null) throw error(v, Message.ARRAY_UNINITIALIZED, name);
        if (!(init instanceof com.sun.source.tree.NewArrayTree na)) {
            throw error(init, Message.ARRAY_INITIALIZER, name, init.toString());
        }
        if (kind == null) {
            Kind element = na.getType() instanceof PrimitiveTypeTree p ? primitiveKind(p) : null;
            kind = element == null ? null : element.arrayOf();
            if (kind == null || na.getDimensions().size() > 1) throw error(v, Message.LOCAL_TYPE, name, "var");
        }
        if (kind == Kind.DOUBLE_MATRIX || na.getDimensions().size() > 1) throw error(v, Message.LOCAL_TYPE, name, v.getType());
        if (graph.inRegion()) throw error(v, Message.ARRAY_IN_REGION, name);
        Node array;
        if (na.getInitializers() != null) {
            List<? extends ExpressionTree> elements = na.getInitializers();
            List<Node> values = new java.util.ArrayList<>();
            for (ExpressionTree e : elements) values.add(convert(expression(e), kind.element(), e));
            array = graph.newArray(kind, graph.integer(elements.size(), Kind.INT));
            graph.name(array, name);
            for (int i = 0; i < values.size(); i++) {
                array = graph.apply(Op.STORE, array, graph.integer(i, Kind.INT), values.get(i));
            }
        } else {
            Node length = expression(na.getDimensions().get(0));
            if (length.kind() != Kind.INT) throw error(na.getDimensions().get(0), Message.ARRAY_INDEX, describe(length.kind()));
            array = graph.newArray(kind, length);
            graph.name(array, name);
        }
        Local l = new Local(kind, array);
        l.writable = true;
        scope.put(name, l);
    }

    private Kind arrayKind(com.sun.source.tree.ArrayTypeTree t, VariableTree v) {
        Tree element = t.getType();
        if (element instanceof PrimitiveTypeTree p && primitiveKind(p) != null && primitiveKind(p).arrayOf() != null) {
            return primitiveKind(p).arrayOf();
        }
        throw error(t, Message.LOCAL_TYPE, v.getName(), t);
    }

    private static Kind primitiveKind(PrimitiveTypeTree p) {
        return switch (p.getPrimitiveTypeKind()) {
            case DOUBLE -> Kind.SCALAR;
            case INT -> Kind.INT;
            case LONG -> Kind.LONG;
            case BOOLEAN -> Kind.BOOL;
            default -> null;
        };
    }

    /** {@code a[i]}: an element of an array, or a row of a {@code double[][]}. */
    private Node arrayAccess(com.sun.source.tree.ArrayAccessTree a) {
        Node array = expression(a.getExpression());
        if (!array.kind().isArray()) {
            throw error(a, Message.UNSUPPORTED_EXPRESSION, "indexing " + describe(array.kind()));
        }
        Node i = index(a.getIndex());
        // x[i] * x[i] reads one element: one value, so its adjoint is accumulated once.
        return loads.computeIfAbsent(List.of(array, i, graph.currentList()), k -> graph.apply(Op.LOAD, array, i));
    }

    /** Elements read so far, by array version, index and the list they were read in. */
    private final Map<List<Object>, Node> loads = new HashMap<>();

    private Node index(ExpressionTree e) {
        Node i = expression(e);
        if (i.kind() != Kind.INT) throw error(e, Message.ARRAY_INDEX, describe(i.kind()));
        return i;
    }

    /** The local array that {@code a[i] = ...} writes: one of the method's own, never a parameter's. */
    private Local arrayTarget(com.sun.source.tree.ArrayAccessTree a) {
        if (a.getExpression() instanceof IdentifierTree id) {
            Local l = scope.get(id.getName().toString());
            if (l != null && l.kind.isArray()) {
                if (!l.writable) throw error(a, Message.ARRAY_PARAMETER_WRITE, id.getName(), l.kind.element().javaName());
                return l;
            }
        }
        if (a.getExpression() instanceof com.sun.source.tree.ArrayAccessTree inner
                && inner.getExpression() instanceof IdentifierTree id && scope.containsKey(id.getName().toString())) {
            throw error(a, Message.ARRAY_PARAMETER_WRITE, id.getName() + "[...]", "double");
        }
        throw error(a, Message.ASSIGN_TARGET, a);
    }

    /** {@code a[i] = v}, {@code a[i] += v}, {@code a[i]++}: the value stored; {@code old} gets the value before. */
    private Node storeElement(com.sun.source.tree.ArrayAccessTree target, java.util.function.UnaryOperator<Node> update,
            Node[] old) {
        Local l = arrayTarget(target);
        Node i = index(target.getIndex());
        Node before = update == null ? null : graph.apply(Op.LOAD, l.value, i);
        if (old != null) old[0] = before;
        Node v = update.apply(before);
        l.value = graph.apply(Op.STORE, l.value, i, v);
        graph.name(l.value, target.getExpression().toString());
        return v;
    }

    /** The kind of a local's declared type; null for {@code var}. */
    private Kind localKind(VariableTree v) {
        Tree type = v.getType();
        if (type == null || type.toString().equals("var")) return null;
        if (type instanceof PrimitiveTypeTree p) {
            return switch (p.getPrimitiveTypeKind()) {
                case DOUBLE -> Kind.SCALAR;
                case INT -> Kind.INT;
                case LONG -> Kind.LONG;
                case BOOLEAN -> Kind.BOOL;
                default -> throw error(type, Message.LOCAL_TYPE, v.getName(), type);
            };
        }
        TypeElement t = symbols.type(type);
        if (t != null) {
            String q = t.getQualifiedName().toString();
            if (q.equals(Vocabulary.VARIABLE) || q.equals(Vocabulary.INDARRAY)) return Kind.TENSOR;
        }
        throw error(type, Message.LOCAL_TYPE, v.getName(), type);
    }

    private boolean isIndArrayType(Tree type) {
        TypeElement t = type instanceof PrimitiveTypeTree ? null : symbols.type(type);
        return t != null && t.getQualifiedName().contentEquals(Vocabulary.INDARRAY);
    }

    /**
     * The name of an {@code INDArray}, data in a method, that {@code e} denotes: a parameter or
     * local declared {@code INDArray}, or a static field of that type; null for anything else.
     */
    private String dataName(ExpressionTree e) {
        if (e instanceof ParenthesizedTree p) return dataName(p.getExpression());
        if (e instanceof IdentifierTree id) {
            String name = id.getName().toString();
            Local l = scope.get(name);
            if (l != null) return l.data ? name : null;
            VariableElement f = symbols.staticField(name);
            return f != null && Frontend.qualifiedName(f.asType()).equals(Vocabulary.INDARRAY) ? name : null;
        }
        if (e instanceof MemberSelectTree sel && !isExpressionName(sel.getExpression())) {
            TypeElement owner = symbols.type(sel.getExpression());
            VariableElement f = owner == null ? null : symbols.staticField(owner, sel.getIdentifier().toString());
            return f != null && Frontend.qualifiedName(f.asType()).equals(Vocabulary.INDARRAY) ? sel.toString() : null;
        }
        return null;
    }

    private static boolean isThisOrSuper(ExpressionTree e) {
        return e instanceof IdentifierTree id && (id.getName().contentEquals("this") || id.getName().contentEquals("super"));
    }

    /**
     * An assignment ({@code x = v}, {@code x += v}, {@code a[i] = v}, {@code a[i] += v}): its
     * value, the value assigned, as Java's assignment expressions have; null for anything else.
     */
    private Node assignment(ExpressionTree e) {
        if (e instanceof AssignmentTree a && a.getVariable() instanceof com.sun.source.tree.ArrayAccessTree t) {
            Local l = arrayTarget(t);
            Node i = index(t.getIndex());
            Node v = convert(expression(a.getExpression()), l.kind.element(), a.getExpression());
            l.value = graph.apply(Op.STORE, l.value, i, v);
            graph.name(l.value, t.getExpression().toString());
            return v;
        }
        if (e instanceof CompoundAssignmentTree c && c.getVariable() instanceof com.sun.source.tree.ArrayAccessTree t) {
            Op op = compoundOp(c);
            Local l = arrayTarget(t);
            Node i = index(t.getIndex());
            Node before = graph.apply(Op.LOAD, l.value, i);
            Node rhs = expression(c.getExpression());
            requireNumber(rhs, c.getExpression(), TreeText.operatorText(c.getKind()));
            requireNumber(before, c.getVariable(), TreeText.operatorText(c.getKind()));
            requireIntegerRemainder(op, before, rhs, c);
            Kind promoted = Kind.promote(before.kind(), rhs.kind());
            if ((op == Op.DIV || op == Op.REM) && (promoted == Kind.INT || promoted == Kind.LONG)) rhs = guardedDivisor(rhs, promoted);
            Node v = castTo(graph.apply(op, before, rhs), l.kind.element(), c);
            l.value = graph.apply(Op.STORE, l.value, i, v);
            graph.name(l.value, t.getExpression().toString());
            return v;
        }
        if (e instanceof AssignmentTree a) {
            Local local = assignable(a.getVariable());
            if (local.kind.isArray()) throw error(a, Message.ARRAY_REASSIGNED, a.getVariable());
            Node value = convert(expression(a.getExpression()), local.kind, a.getExpression());
            graph.name(value, a.getVariable().toString());
            local.value = value;
            return value;
        }
        if (e instanceof CompoundAssignmentTree c) {
            Local local = assignable(c.getVariable());
            Op op = compoundOp(c);
            if (local.kind == Kind.TENSOR) {
                throw error(c, Message.COMPOUND_ON_TENSOR, TreeText.operatorText(c.getKind()),
                        c.getVariable() + " = " + c.getVariable() + "." + op.displayName() + "(...)");
            }
            if (local.value == null) throw error(c.getVariable(), Message.UNINITIALIZED, c.getVariable());
            Node rhs = expression(c.getExpression());
            requireNumber(rhs, c.getExpression(), TreeText.operatorText(c.getKind()));
            requireNumber(local.value, c.getVariable(), TreeText.operatorText(c.getKind()));
            requireIntegerRemainder(op, local.value, rhs, c);
            Kind promoted = Kind.promote(local.value.kind(), rhs.kind());
            if ((op == Op.DIV || op == Op.REM) && (promoted == Kind.INT || promoted == Kind.LONG)) rhs = guardedDivisor(rhs, promoted);
            // Java's compound assignment casts back to the variable's type (JLS 15.26.2).
            Node value = castTo(graph.apply(op, local.value, rhs), local.kind, c);
            graph.name(value, c.getVariable().toString());
            local.value = value;
            return value;
        }
        return null;
    }

    private void expressionStatement(ExpressionTree e) {
        if (assignment(e) != null) return;
        if (e instanceof UnaryTree u && (u.getKind() == Tree.Kind.POSTFIX_INCREMENT
                || u.getKind() == Tree.Kind.PREFIX_INCREMENT || u.getKind() == Tree.Kind.POSTFIX_DECREMENT
                || u.getKind() == Tree.Kind.PREFIX_DECREMENT)) {
            increment(u);
            return;
        }
        if (e instanceof MethodInvocationTree call && isTapeCall(call)) {
            String name = methodName(call);
            if (name.equals("reset") && call.getArguments().isEmpty()) return; // the tape is not used here
            throw error(call, Message.TAPE_CALL, name);
        }
        throw error(e, Message.UNSUPPORTED_STATEMENT, "the expression statement '" + e + "'");
    }

    /** {@code %} and {@code %=} take ints and longs: a double remainder has no derivative Tapeless gives. */
    private void requireIntegerRemainder(Op op, Node a, Node b, Tree at) {
        if (op != Op.REM) return;
        for (Node n : List.of(a, b)) {
            if (n.kind() != Kind.INT && n.kind() != Kind.LONG) throw error(at, Message.REMAINDER_KIND, describe(n.kind()));
        }
    }

    private Op compoundOp(CompoundAssignmentTree c) {
        return switch (c.getKind()) {
            case PLUS_ASSIGNMENT -> Op.ADD;
            case MINUS_ASSIGNMENT -> Op.SUB;
            case MULTIPLY_ASSIGNMENT -> Op.MUL;
            case DIVIDE_ASSIGNMENT -> Op.DIV;
            case REMAINDER_ASSIGNMENT -> Op.REM;
            default -> throw error(c, Message.OPERATOR, TreeText.operatorText(c.getKind()));
        };
    }

    private Local assignable(ExpressionTree target) {
        if (target instanceof IdentifierTree id) {
            Local l = scope.get(id.getName().toString());
            if (l != null) return l;
        }
        throw error(target, Message.ASSIGN_TARGET, target);
    }

    // ---- expressions --------------------------------------------------------------------------

    Node expression(ExpressionTree e) {
        switch (e.getKind()) {
            case PARENTHESIZED:
                return expression(((ParenthesizedTree) e).getExpression());
            case INT_LITERAL:
                return graph.integer(((Number) ((LiteralTree) e).getValue()).intValue(), Kind.INT);
            case LONG_LITERAL:
                return graph.integer(((Number) ((LiteralTree) e).getValue()).longValue(), Kind.LONG);
            case DOUBLE_LITERAL:
                return graph.scalar(((Number) ((LiteralTree) e).getValue()).doubleValue());
            case BOOLEAN_LITERAL:
                return graph.integer(Boolean.TRUE.equals(((LiteralTree) e).getValue()) ? 1 : 0, Kind.BOOL);
            case FLOAT_LITERAL:
                throw error(e, Message.LITERAL, "float");
            case IDENTIFIER:
                return identifier((IdentifierTree) e);
            case MEMBER_SELECT:
                return memberSelect((MemberSelectTree) e);
            case UNARY_MINUS: {
                Node x = expression(((UnaryTree) e).getExpression());
                if (x.kind() == Kind.TENSOR) throw error(e, Message.OPERATOR_ON_TENSOR, "-", "neg()");
                requireNumber(x, e, "-");
                // A negative literal stays a constant, so it can be a dimension; an int wraps as in Java.
                if (x.op() == Op.CONST) {
                    return x.kind() == Kind.SCALAR ? graph.scalar(-x.attrs().number())
                            : graph.integer(-x.attrs().integer(), x.kind());
                }
                return graph.apply(Op.NEG, x);
            }
            case UNARY_PLUS: {
                Node x = expression(((UnaryTree) e).getExpression());
                requireNumber(x, e, "+");
                return x;
            }
            case PLUS:
            case MINUS:
            case MULTIPLY:
            case DIVIDE:
                return binary((BinaryTree) e);
            case TYPE_CAST:
                return cast((TypeCastTree) e);
            case METHOD_INVOCATION:
                return call((MethodInvocationTree) e);
            case LESS_THAN:
            case LESS_THAN_EQUAL:
            case GREATER_THAN:
            case GREATER_THAN_EQUAL:
                return comparison((BinaryTree) e);
            case CONDITIONAL_EXPRESSION:
                return conditional((ConditionalExpressionTree) e);
            case EQUAL_TO:
            case NOT_EQUAL_TO:
                return equality((BinaryTree) e);
            case CONDITIONAL_AND:
            case CONDITIONAL_OR: {
                BinaryTree b = (BinaryTree) e;
                String op = TreeText.operatorText(e.getKind());
                Node left = condition(b.getLeftOperand(), "an operand of " + op);
                return shortCircuit(left, e.getKind() == Tree.Kind.CONDITIONAL_AND, b.getRightOperand());
            }
            case LOGICAL_COMPLEMENT:
                return graph.apply(Op.NOT, condition(((UnaryTree) e).getExpression(), "the operand of !"));
            case REMAINDER:
                return remainder((BinaryTree) e);
            case ARRAY_ACCESS:
                return arrayAccess((com.sun.source.tree.ArrayAccessTree) e);
            case ASSIGNMENT:
            case PLUS_ASSIGNMENT:
            case MINUS_ASSIGNMENT:
            case MULTIPLY_ASSIGNMENT:
            case DIVIDE_ASSIGNMENT:
            case REMAINDER_ASSIGNMENT:
                return assignment(e);
            case POSTFIX_INCREMENT:
            case PREFIX_INCREMENT:
            case POSTFIX_DECREMENT:
            case PREFIX_DECREMENT:
                return increment((UnaryTree) e);
            default:
                if (e instanceof BinaryTree b) throw error(e, Message.OPERATOR, TreeText.operatorText(b.getKind()));
                if (e instanceof UnaryTree) throw error(e, Message.OPERATOR, TreeText.operatorText(e.getKind()));
                throw error(e, Message.UNSUPPORTED_EXPRESSION, TreeText.describe(e));
        }
    }

    private Node identifier(IdentifierTree id) {
        String name = id.getName().toString();
        if (isThisOrSuper(id)) throw error(id, Message.NO_THIS, name);
        Local l = scope.get(name);
        if (l != null) {
            if (l.value == null) throw error(id, Message.UNINITIALIZED, name);
            return l.value;
        }
        VariableElement field = symbols.staticField(name);
        if (field != null) return field(field, id);
        throw error(id, Message.UNKNOWN_NAME, name);
    }

    private Node memberSelect(MemberSelectTree sel) {
        if (isThisOrSuper(sel.getExpression())) throw error(sel, Message.NO_THIS, sel.getExpression());
        if (sel.getIdentifier().contentEquals("length") && (isExpressionName(sel.getExpression())
                || sel.getExpression() instanceof com.sun.source.tree.ArrayAccessTree)) {
            Node array = expression(sel.getExpression());
            if (array.kind().isArray()) return graph.apply(Op.LENGTH, array); // every version is the same object
        }
        TypeElement owner = isExpressionName(sel.getExpression()) ? null : symbols.type(sel.getExpression());
        if (owner != null) {
            String member = sel.getIdentifier().toString();
            if (Vocabulary.MATH.contains(owner.getQualifiedName().toString())
                    && Vocabulary.MATH_CONSTANTS.containsKey(member)) {
                return graph.scalar(Vocabulary.MATH_CONSTANTS.get(member));
            }
            VariableElement field = symbols.staticField(owner, member);
            if (field != null) return field(field, sel);
        }
        throw error(sel, Message.UNKNOWN_NAME, sel);
    }

    /** Whether a name is a local or parameter (which shadows a class of the same name). */
    private boolean isExpressionName(ExpressionTree e) {
        return e instanceof IdentifierTree id && scope.containsKey(id.getName().toString());
    }

    private Node field(VariableElement f, Tree at) {
        Kind kind = switch (f.asType().getKind()) {
            case DOUBLE -> Kind.SCALAR;
            case INT -> Kind.INT;
            case LONG -> Kind.LONG;
            case BOOLEAN -> Kind.BOOL;
            case DECLARED -> Frontend.qualifiedName(f.asType()).equals(Vocabulary.INDARRAY) ? Kind.TENSOR : null;
            default -> null;
        };
        if (kind == null) throw error(at, Message.FIELD_TYPE, f.getSimpleName(), f.asType());
        Object constant = f.getConstantValue();
        if (constant instanceof Double d && kind == Kind.SCALAR) return graph.scalar(d);
        if ((constant instanceof Integer || constant instanceof Long) && (kind == Kind.INT || kind == Kind.LONG)) {
            return graph.integer(((Number) constant).longValue(), kind);
        }
        if (constant instanceof Boolean b) return graph.integer(b ? 1 : 0, Kind.BOOL);
        TypeElement owner = (TypeElement) f.getEnclosingElement();
        String[] denied = inaccessible(f);
        if (denied != null) {
            throw error(at, Message.FIELD_INACCESSIBLE, f.getSimpleName(), denied[0],
                    companionPackage.isEmpty() ? "(the unnamed package)" : companionPackage, denied[1]);
        }
        return graph.field(owner.getQualifiedName() + "." + f.getSimpleName(), kind);
    }

    /**
     * Why the companion, a class of {@link #companionPackage}, cannot read field {@code f} (a
     * phrase for {@link Message#FIELD_INACCESSIBLE}, and what to make the field or class), or null
     * if it can: the field and every class around it must be public, or not private and in the
     * companion's package (protected members of other packages are for subclasses only).
     */
    private String[] inaccessible(VariableElement f) {
        for (javax.lang.model.element.Element e = f; e instanceof VariableElement || e instanceof TypeElement;
                e = e.getEnclosingElement()) {
            Set<Modifier> mods = e.getModifiers();
            if (mods.contains(Modifier.PUBLIC)) continue;
            String pkg = symbols.packageOf(e);
            boolean samePackage = pkg.equals(companionPackage);
            if (samePackage && !mods.contains(Modifier.PRIVATE)) continue;
            String access = mods.contains(Modifier.PRIVATE) ? "private"
                    : mods.contains(Modifier.PROTECTED) ? "protected" : "package-private";
            String where = samePackage ? "" : " in package " + (pkg.isEmpty() ? "(the unnamed package)" : pkg);
            String what = e == f ? "is " + access + where
                    : "is in the " + access + " class " + ((TypeElement) e).getQualifiedName()
                            + (samePackage ? "" : " (package " + pkg + ")");
            String fix = "make " + (e == f ? "it " : "class " + e.getSimpleName() + " ") + (samePackage ? "package-private" : "public");
            return new String[] {what, fix};
        }
        return null;
    }

    private Node binary(BinaryTree b) {
        Node l = expression(b.getLeftOperand());
        Node r = expression(b.getRightOperand());
        Op op = switch (b.getKind()) {
            case PLUS -> Op.ADD;
            case MINUS -> Op.SUB;
            case MULTIPLY -> Op.MUL;
            default -> Op.DIV;
        };
        if (l.kind() == Kind.TENSOR || r.kind() == Kind.TENSOR) {
            throw error(b, Message.OPERATOR_ON_TENSOR, TreeText.operatorText(b.getKind()), op.displayName() + "(...)");
        }
        requireNumber(l, b.getLeftOperand(), TreeText.operatorText(b.getKind()));
        requireNumber(r, b.getRightOperand(), TreeText.operatorText(b.getKind()));
        Kind kind = Kind.promote(l.kind(), r.kind());
        if (op == Op.DIV && (kind == Kind.INT || kind == Kind.LONG)) r = guardedDivisor(r, kind);
        return graph.apply(op, l, r);
    }

    /**
     * An int or long divisor in an operand of {@code ?:}: Java divides only in the operand taken,
     * where a zero divisor throws; the generated code computes both operands, so where the operand
     * is not taken the divisor is 1 ({@code c ? n : 1}), whose quotient nothing reads.
     */
    private Node guardedDivisor(Node divisor, Kind kind) {
        if (divisor.op() == Op.CONST && divisor.attrs().integer() != 0) return divisor;
        Node d = divisor;
        for (Frontend.Guard g : frontend.guards()) { // innermost first
            Node one = graph.integer(1, d.kind());
            d = g.taken() ? graph.apply(Op.SELECT, g.condition(), d, one) : graph.apply(Op.SELECT, g.condition(), one, d);
        }
        return d;
    }

    /** {@code a < b} is read as {@code b > a} and {@code a <= b} as {@code b >= a}: the same in Java, NaN included. */
    private Node comparison(BinaryTree b) {
        Node l = expression(b.getLeftOperand());
        Node r = expression(b.getRightOperand());
        String operator = TreeText.operatorText(b.getKind());
        comparable(l, b.getLeftOperand(), operator);
        comparable(r, b.getRightOperand(), operator);
        return switch (b.getKind()) {
            case GREATER_THAN -> graph.apply(Op.GT, l, r);
            case GREATER_THAN_EQUAL -> graph.apply(Op.GE, l, r);
            case LESS_THAN -> graph.apply(Op.GT, r, l);
            default -> graph.apply(Op.GE, r, l);
        };
    }

    /** {@code c ? a : b} on numbers: both operands are computed; the adjoint goes to the one taken. */
    private Node conditional(ConditionalExpressionTree c) {
        Node condition = expression(c.getCondition());
        if (condition.kind() != Kind.BOOL) {
            throw error(c.getCondition(), Message.CONDITION_KIND, "the condition of ?:", describe(condition.kind()));
        }
        // Each operand is read on its own; both are computed (and one chosen) unless one of them
        // assigns a local or reads an array (which may throw): then only the one taken runs.
        Origin here = graph.origin();
        Map<String, Node> before = values();
        graph.beginRegion();
        Node a = operand(c.getTrueExpression(), new Frontend.Guard(condition, true));
        Map<String, Node> afterA = values();
        List<Node> nodesA = graph.popRegion();
        restore(before);
        graph.at(here);
        graph.beginRegion();
        Node b = operand(c.getFalseExpression(), new Frontend.Guard(condition, false));
        Map<String, Node> afterB = values();
        List<Node> nodesB = graph.popRegion();
        restore(before);
        graph.at(here);
        boolean booleans = a.kind() == Kind.BOOL && b.kind() == Kind.BOOL;
        if (!booleans) {
            comparable(a, c.getTrueExpression(), "?:");
            comparable(b, c.getFalseExpression(), "?:");
        }
        boolean pure = afterA.equals(before) && afterB.equals(before)
                && java.util.stream.Stream.concat(nodesA.stream(), nodesB.stream()).noneMatch(BodyReader::runsOnlyWhereTaken);
        if (pure) {
            graph.splice(nodesA);
            graph.splice(nodesB);
            return graph.apply(Op.SELECT, condition, a, b);
        }
        Kind kind = booleans ? Kind.BOOL : Kind.promote(a.kind(), b.kind());
        graph.beginRegion();
        Node ca = convert(a, kind, c.getTrueExpression());
        nodesA.addAll(graph.popRegion());
        graph.beginRegion();
        Node cb = convert(b, kind, c.getFalseExpression());
        nodesB.addAll(graph.popRegion());
        return merge(condition, nodesA, afterA, nodesB, afterB, List.of(ca), List.of(cb)).get(0);
    }

    /** Nodes that Java runs only in the operand of ?: taken: array accesses, branches, loops. */
    private static boolean runsOnlyWhereTaken(Node n) {
        return n.op() == Op.LOAD || n.op() == Op.STORE || n.op() == Op.NEW_ARRAY || n.op().hasRegions();
    }

    /** An operand of {@code ?:}, read under its guard (for the integer divisions in it). */
    private Node operand(ExpressionTree e, Frontend.Guard guard) {
        Deque<Frontend.Guard> guards = frontend.guards();
        guards.push(guard);
        try {
            return expression(e);
        } finally {
            guards.pop();
        }
    }

    private void comparable(Node n, Tree at, String operator) {
        if (n.kind() == Kind.TENSOR) throw error(at, Message.CONDITIONAL_ON_TENSOR, operator);
        requireNumber(n, at, operator);
    }

    /**
     * {@code x++}, {@code ++x}, {@code x--}, {@code --x} on a numeric local: assigns {@code x + 1}
     * (cast back to x's type, as Java does) and is the value before (postfix) or after (prefix).
     */
    private Node increment(UnaryTree u) {
        boolean prefix = u.getKind() == Tree.Kind.PREFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_DECREMENT;
        boolean up = u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_INCREMENT;
        if (u.getExpression() instanceof com.sun.source.tree.ArrayAccessTree t) {
            Node[] old = new Node[1];
            Local l = arrayTarget(t);
            Node updated = storeElement(t, before -> {
                requireNumber(before, t, TreeText.operatorText(u.getKind()));
                Node one = l.kind.element() == Kind.SCALAR ? graph.scalar(1) : graph.integer(1, l.kind.element());
                return graph.apply(up ? Op.ADD : Op.SUB, before, one);
            }, old);
            return prefix ? updated : old[0];
        }
        Local local = assignable(u.getExpression());
        String operator = TreeText.operatorText(u.getKind());
        if (local.kind == Kind.TENSOR) throw error(u, Message.OPERATOR_ON_TENSOR, operator, "add(1.0) or sub(1.0)");
        if (local.value == null) throw error(u.getExpression(), Message.UNINITIALIZED, u.getExpression());
        requireNumber(local.value, u.getExpression(), operator);
        Node old = local.value;
        Node one = local.kind == Kind.SCALAR ? graph.scalar(1) : graph.integer(1, local.kind);
        Node updated = graph.apply(up ? Op.ADD : Op.SUB, old, one);
        graph.name(updated, u.getExpression().toString());
        local.value = updated;
        return prefix ? updated : old;
    }

    /** {@code a == b} and {@code a != b} on two numbers (promoted as Java does) or two booleans. */
    private Node equality(BinaryTree b) {
        Node l = expression(b.getLeftOperand());
        Node r = expression(b.getRightOperand());
        String operator = TreeText.operatorText(b.getKind());
        if (l.kind() == Kind.TENSOR || r.kind() == Kind.TENSOR) throw error(b, Message.CONDITIONAL_ON_TENSOR, operator);
        if ((l.kind() == Kind.BOOL) != (r.kind() == Kind.BOOL)) {
            throw error(b, Message.KIND_MISMATCH, describe(l.kind()), describe(r.kind()));
        }
        Node eq = graph.apply(Op.EQ, l, r);
        return b.getKind() == Tree.Kind.EQUAL_TO ? eq : graph.apply(Op.NOT, eq);
    }

    /** {@code a % b} on ints and longs (Java's remainder, which throws for a zero divisor). */
    private Node remainder(BinaryTree b) {
        Node l = expression(b.getLeftOperand());
        Node r = expression(b.getRightOperand());
        for (Node n : List.of(l, r)) {
            if (n.kind() != Kind.INT && n.kind() != Kind.LONG) throw error(b, Message.REMAINDER_KIND, describe(n.kind()));
        }
        Kind kind = Kind.promote(l.kind(), r.kind());
        return graph.apply(Op.REM, l, guardedDivisor(r, kind));
    }

    private Node cast(TypeCastTree c) {
        Node x = expression(c.getExpression());
        Tree type = c.getType();
        if (type instanceof PrimitiveTypeTree p && x.kind().isNumber()) {
            Kind target = switch (p.getPrimitiveTypeKind()) {
                case DOUBLE -> Kind.SCALAR;
                case LONG -> Kind.LONG;
                case INT -> Kind.INT;
                default -> null;
            };
            if (target != null) return castTo(x, target, c);
        }
        throw error(c, Message.CAST, type);
    }

    // ---- calls --------------------------------------------------------------------------------

    private Node call(MethodInvocationTree call) {
        ExpressionTree select = call.getMethodSelect();
        String name = methodName(call);
        if (select instanceof MemberSelectTree sel) {
            ExpressionTree receiver = sel.getExpression();
            TypeElement type = isExpressionName(receiver) ? null : symbols.type(receiver);
            if (type != null) {
                String q = type.getQualifiedName().toString();
                if (Vocabulary.MATH.contains(q)) return Calls.math(this, call, name, q.equals(Vocabulary.STRICT_MATH));
                if (q.equals(Vocabulary.VARIABLE)) return Calls.variableConstant(this, call, name);
                if (q.equals(Vocabulary.TAPE)) throw error(call, Message.TAPE_CALL, name);
                return Calls.inline(this, call, name, symbols.staticMethods(type, name));
            }
            if (isThisOrSuper(receiver)) throw error(receiver, Message.NO_THIS, receiver);
            String data = dataName(receiver);
            if (data != null) throw error(call, Message.DATA_METHOD, data, call);
            Node self = expression(receiver);
            if (self.kind() != Kind.TENSOR) {
                throw error(call, Message.UNSUPPORTED_EXPRESSION, "a method call on " + describe(self.kind()));
            }
            return TensorOps.read(this, call, name, self);
        }
        return Calls.inline(this, call, name, symbols.staticMethods(name));
    }


    // ---- helpers shared with TensorOps and Calls ----------------------------------------------

    Frontend frontend() {
        return frontend;
    }

    String companionPackage() {
        return companionPackage;
    }

    CompilationUnitTree unit() {
        return unit;
    }

    /** A kind as messages name it, with its article: "an int", "an array". */
    static String describe(Kind kind) {
        return kind == Kind.TENSOR ? "an array (a Variable or INDArray)" : Message.a(kind.javaName());
    }

    Set<ExecutableElement> inlining() {
        return inlining;
    }

    Graph graph() {
        return graph;
    }

    CompileError errorAt(Tree at, Message message, Object... args) {
        return error(at, message, args);
    }

    void requireNumber(Node n, Tree at, String what) {
        if (!n.kind().isNumber()) throw error(at, Message.NUMBER_ARG_EXPECTED, what, describe(n.kind()));
    }

    /** {@code value} as a {@code kind}, by Java's widening; anything else is an error at {@code at}. */
    Node convert(Node value, Kind kind, Tree at) {
        if (value.kind() == kind) return value;
        if (kind == Kind.SCALAR && (value.kind() == Kind.INT || value.kind() == Kind.LONG)) {
            return graph.apply(Op.TO_DOUBLE, value);
        }
        if (kind == Kind.LONG && value.kind() == Kind.INT) return graph.apply(Op.TO_LONG, value);
        throw error(at, Message.KIND_MISMATCH, describe(kind), describe(value.kind()));
    }

    /**
     * {@code value} cast to a number {@code kind} as Java's {@code (kind)} does: widening, or
     * narrowing (a double or long to int, a double to long). Narrowing a double that depends on a
     * differentiable parameter is an error, as {@code Math.floor} is: its derivative is zero.
     */
    private Node castTo(Node value, Kind kind, Tree at) {
        if (value.kind() == kind) return value;
        if (!value.kind().isNumber()) throw error(at, Message.CAST, kind.javaName());
        if (kind == Kind.SCALAR || kind == Kind.LONG && value.kind() == Kind.INT) return convert(value, kind, at);
        if (value.kind() == Kind.SCALAR && dependsOnDoubleParameter(value)) {
            throw error(at, Message.NARROWING_NOT_DIFFERENTIABLE, kind.javaName());
        }
        return graph.apply(kind == Kind.INT ? Op.TO_INT : Op.TO_LONG, value);
    }

    /** Whether {@code n} is computed from a {@code double} parameter through {@code double} values. */
    private static boolean dependsOnDoubleParameter(Node n) {
        ArrayDeque<Node> work = new ArrayDeque<>(List.of(n));
        Set<Node> seen = new HashSet<>();
        while (!work.isEmpty()) {
            Node x = work.pop();
            if (x.kind() != Kind.SCALAR || !seen.add(x)) continue;
            if (x.op() == Op.PARAM) return true;
            work.addAll(x.inputs());
        }
        return false;
    }

    /** A compile-time constant argument: a literal, a negated literal, a static final field. */
    Number constantArgument(ExpressionTree e, String what, String op) {
        Node n = expression(e);
        if (n.op() == Op.CONST) return n.kind() == Kind.SCALAR ? (Number) n.attrs().number() : (Number) n.attrs().integer();
        throw error(e, Message.CONSTANT_ARGUMENT, what, op);
    }

    Attrs dims(List<Integer> dims, boolean keep) {
        return Attrs.dims(dims, keep);
    }

    private boolean isTapeCall(MethodInvocationTree call) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree sel)) return false;
        TypeElement t = symbols.type(sel.getExpression());
        return t != null && t.getQualifiedName().contentEquals(Vocabulary.TAPE);
    }

    static String methodName(MethodInvocationTree call) {
        ExpressionTree s = call.getMethodSelect();
        if (s instanceof MemberSelectTree sel) return sel.getIdentifier().toString();
        return ((IdentifierTree) s).getName().toString();
    }

    /**
     * The line of a source position. javac keeps a line map only when it writes line numbers
     * ({@code -g:none} and Maven's {@code <debug>false</debug>} turn it off): then the source text says.
     */
    private long lineOf(long position) {
        if (unit.getLineMap() != null) return unit.getLineMap().getLineNumber(position);
        if (source == null) return 0;
        if (newlines == null) {
            newlines = java.util.stream.IntStream.range(0, source.length()).filter(i -> source.charAt(i) == '\n').toArray();
        }
        int before = java.util.Arrays.binarySearch(newlines, (int) position);
        return 1 + (before >= 0 ? before : -before - 1); // newlines before the position, plus one
    }

    /** Positions of the source's line breaks, for {@link #lineOf} when javac keeps no line map. */
    private int[] newlines;

    private Origin origin(StatementTree s) {
        SourcePositions pos = frontend.trees().getSourcePositions();
        long start = pos.getStartPosition(unit, s);
        long end = pos.getEndPosition(unit, s);
        long line = start < 0 ? 0 : lineOf(start);
        // A branch or loop is named by its header: the source up to its body.
        Tree inner = s instanceof IfTree t ? t.getThenStatement()
                : s instanceof WhileLoopTree w ? w.getStatement()
                : s instanceof ForLoopTree f ? f.getStatement()
                : s instanceof DoWhileLoopTree ? null : null;
        if (s instanceof DoWhileLoopTree d && source != null) {
            long condStart = pos.getStartPosition(unit, d.getCondition());
            if (start >= 0 && condStart > start) {
                return new Origin(fileName, line, "do ... while " + source.subSequence((int) condStart, (int) end).toString().trim());
            }
        }
        if (inner != null) {
            long innerStart = pos.getStartPosition(unit, inner);
            if (innerStart > start) end = innerStart;
        }
        String text = source != null && start >= 0 && end > start && end <= source.length()
                ? source.subSequence((int) start, (int) end).toString()
                : s.toString();
        return new Origin(fileName, line, text);
    }
}
