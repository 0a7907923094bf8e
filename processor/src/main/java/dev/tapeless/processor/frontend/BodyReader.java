package dev.tapeless.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
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
    private final Map<String, Local> scope = new HashMap<>();
    private final String fileName;
    private final CharSequence source;

    /**
     * A local or parameter: its declared kind and its current value (null before assignment);
     * {@code data} for an {@code INDArray} (a Variable is the same kind, but not data).
     */
    private static final class Local {
        final Kind kind;
        final boolean data;
        Node value;

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
    }

    private static Map<String, Local> wrap(Map<String, Node> parameters) {
        Map<String, Local> m = new HashMap<>();
        parameters.forEach((k, v) -> m.put(k, new Local(v.kind(), v)));
        return m;
    }

    private CompileError error(Tree at, Message message, Object... args) {
        return new CompileError(at, unit, message, args);
    }

    // ---- statements ---------------------------------------------------------------------------

    /** Reads the body; returns the value of its return statement. */
    Node read() {
        List<? extends StatementTree> statements = tree.getBody().getStatements();
        Node result = block(statements, true);
        if (result == null) throw error(tree, Message.MISSING_RETURN, method.getSimpleName());
        return result;
    }

    void bind(String name, Node value) {
        Local old = scope.get(name);
        scope.put(name, new Local(value.kind(), value, old != null && old.data));
    }

    private void markData(String name) {
        Local l = scope.get(name);
        scope.put(name, new Local(l == null ? Kind.TENSOR : l.kind, l == null ? null : l.value, true));
    }

    private Node block(List<? extends StatementTree> statements, boolean outermost) {
        int i = 0; // javac's lists are linked: walked in order, never indexed
        for (StatementTree s : statements) {
            boolean last = ++i == statements.size();
            graph.at(origin(s));
            if (s instanceof ReturnTree r) {
                if (!last || !outermost) throw error(r, Message.RETURN_NOT_LAST);
                if (r.getExpression() == null) throw error(r, Message.MISSING_RETURN, method.getSimpleName());
                return expression(r.getExpression());
            }
            statement(s);
        }
        return null;
    }

    private void statement(StatementTree s) {
        switch (s.getKind()) {
            case VARIABLE -> declaration((VariableTree) s);
            case EXPRESSION_STATEMENT -> expressionStatement(((ExpressionStatementTree) s).getExpression());
            case BLOCK -> {
                Map<String, Local> saved = new HashMap<>(scope);
                block(((BlockTree) s).getStatements(), false);
                // Locals declared inside go out of scope; assignments to outer locals stay.
                scope.keySet().retainAll(saved.keySet());
            }
            case EMPTY_STATEMENT -> { }
            case IF, FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP, SWITCH, BREAK, CONTINUE, TRY, THROW ->
                    throw error(s, Message.CONTROL_FLOW, TreeText.describe(s));
            default -> throw error(s, Message.UNSUPPORTED_STATEMENT, TreeText.describe(s));
        }
    }

    private void declaration(VariableTree v) {
        String name = v.getName().toString();
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

    private void expressionStatement(ExpressionTree e) {
        if (e instanceof AssignmentTree a) {
            Local local = assignable(a.getVariable());
            Node value = convert(expression(a.getExpression()), local.kind, a.getExpression());
            graph.name(value, a.getVariable().toString());
            local.value = value;
            return;
        }
        if (e instanceof CompoundAssignmentTree c) {
            Local local = assignable(c.getVariable());
            Op op = switch (c.getKind()) {
                case PLUS_ASSIGNMENT -> Op.ADD;
                case MINUS_ASSIGNMENT -> Op.SUB;
                case MULTIPLY_ASSIGNMENT -> Op.MUL;
                case DIVIDE_ASSIGNMENT -> Op.DIV;
                default -> throw error(c, Message.OPERATOR, TreeText.operatorText(c.getKind()));
            };
            if (local.kind == Kind.TENSOR) {
                throw error(c, Message.COMPOUND_ON_TENSOR, TreeText.operatorText(c.getKind()),
                        c.getVariable() + " = " + c.getVariable() + "." + op.displayName() + "(...)");
            }
            if (local.value == null) throw error(c.getVariable(), Message.UNINITIALIZED, c.getVariable());
            Node rhs = expression(c.getExpression());
            requireNumber(rhs, c.getExpression(), TreeText.operatorText(c.getKind()));
            requireNumber(local.value, c.getVariable(), TreeText.operatorText(c.getKind()));
            // Java's compound assignment casts back to the variable's type (JLS 15.26.2).
            Node value = castTo(graph.apply(op, local.value, rhs), local.kind, c);
            graph.name(value, c.getVariable().toString());
            local.value = value;
            return;
        }
        if (e instanceof UnaryTree u && (u.getKind() == Tree.Kind.POSTFIX_INCREMENT
                || u.getKind() == Tree.Kind.PREFIX_INCREMENT || u.getKind() == Tree.Kind.POSTFIX_DECREMENT
                || u.getKind() == Tree.Kind.PREFIX_DECREMENT)) {
            throw increment(u);
        }
        if (e instanceof MethodInvocationTree call && isTapeCall(call)) {
            String name = methodName(call);
            if (name.equals("reset") && call.getArguments().isEmpty()) return; // the tape is not used here
            throw error(call, Message.TAPE_CALL, name);
        }
        throw error(e, Message.UNSUPPORTED_STATEMENT, "the expression statement '" + e + "'");
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
            case CONDITIONAL_AND:
            case CONDITIONAL_OR:
            case LOGICAL_COMPLEMENT:
                throw error(e, Message.CONDITION_OPERATOR, TreeText.operatorText(e.getKind()));
            case POSTFIX_INCREMENT:
            case PREFIX_INCREMENT:
            case POSTFIX_DECREMENT:
            case PREFIX_DECREMENT:
                throw increment((UnaryTree) e);
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
            throw error(c.getCondition(), Message.CONDITION_KIND, describe(condition.kind()));
        }
        Node a = operand(c.getTrueExpression(), new Frontend.Guard(condition, true));
        Node b = operand(c.getFalseExpression(), new Frontend.Guard(condition, false));
        comparable(a, c.getTrueExpression(), "?:");
        comparable(b, c.getFalseExpression(), "?:");
        return graph.apply(Op.SELECT, condition, a, b);
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

    private CompileError increment(UnaryTree u) {
        boolean up = u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_INCREMENT;
        return error(u, Message.INCREMENT, TreeText.operatorText(u.getKind()), u.getExpression() + (up ? " += 1" : " -= 1"));
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
        String text = source != null && start >= 0 && end > start && end <= source.length()
                ? source.subSequence((int) start, (int) end).toString()
                : s.toString();
        return new Origin(fileName, line, text);
    }
}
