package dev.tapeless.processor.frontend;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.tapeless.Differentiable;
import dev.tapeless.processor.diagnostics.CompileError;
import dev.tapeless.processor.diagnostics.Message;
import com.sun.source.tree.MethodInvocationTree;
import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Callee;
import dev.tapeless.processor.ir.Function;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Reads a {@code @Differentiable} method into IR: checks its signature and {@code wrt}, then its
 * body, inlining calls to other {@code @Differentiable} methods. The only stage that knows javac;
 * every construct it cannot read is a {@link CompileError} at that construct's position.
 */
public final class Frontend {
    private final Trees trees;
    private final Elements elements;
    /** Method trees by element: javac finds one by scanning its compilation unit, so each is looked up once. */
    private final Map<ExecutableElement, TreePath> paths = new HashMap<>();
    /**
     * The calls inlined into the method being read, by callee and argument values. Calls are pure,
     * so a second call with the same arguments is the first one's result: nested calls such as
     * {@code f(x) + f(x)} inside {@code f}'s callers are read once per level, not once per path.
     */
    private Map<InlinedCall, Node> inlined = new HashMap<>();

    private record InlinedCall(ExecutableElement callee, List<Node> args, List<Guard> guards, int list) {}

    /** The sizes of callees, shared by this compilation's frontends, for the policy of {@link Callees}. */
    private final Callees.Sizes sizes;
    /** Where each call of a function not inlined is, for errors the reverse pass finds. */
    private Map<Node, CallSite> callSites = new HashMap<>();

    public Frontend(Trees trees, Elements elements) {
        this(trees, elements, new Callees.Sizes());
    }

    private Frontend(Trees trees, Elements elements, Callees.Sizes sizes) {
        this.trees = trees;
        this.elements = elements;
        this.sizes = sizes;
    }

    /** A frontend of the same compilation with a state of its own (to read a callee in the middle of a caller). */
    Frontend fresh() {
        return new Frontend(trees, elements, sizes);
    }

    /** A call of a function not inlined: the call's tree, for errors at its arguments. */
    public record CallSite(MethodInvocationTree call, CompilationUnitTree unit) {}

    /** A parameter of the method as the rest of the pipeline sees it. */
    public record Parameter(String name, Kind kind, boolean differentiable, boolean inWrt) {}

    /** The method read: its IR and its parameters. */
    /**
     * The method read: its IR and its parameters; where its calls of functions not inlined are; and,
     * for a method with custom derivatives, its call.
     */
    public record Reading(Function function, List<Parameter> parameters, Kind resultKind, Map<Node, CallSite> callSites,
            Callee custom, boolean callable) {}

    /** Whether generated code in the method's package can call it: neither it nor a class around it is private. */
    private static boolean callable(ExecutableElement method) {
        return privateAround(method) == null;
    }

    /** The method itself or the innermost class around it that is private, or null when none is. */
    static javax.lang.model.element.Element privateAround(ExecutableElement method) {
        for (javax.lang.model.element.Element e = method; e instanceof ExecutableElement || e instanceof TypeElement;
                e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) return e;
        }
        return null;
    }

    /** An enclosing operand of {@code c ? a : b} being read: {@code a} when {@code taken}, else {@code b}. */
    record Guard(Node condition, boolean taken) {}

    private final Deque<Guard> guards = new ArrayDeque<>();

    /** The operands of {@code ?:} being read, innermost first (callees inlined there included). */
    Deque<Guard> guards() {
        return guards;
    }

    public Reading read(ExecutableElement method) {
        guards.clear(); // an error may have left the reading of the last method midway
        inlined = new HashMap<>();
        callSites = new HashMap<>();
        TreePath path = pathOf(method);
        MethodTree tree = (MethodTree) path.getLeaf();
        CompilationUnitTree unit = path.getCompilationUnit();
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            throw new CompileError(tree, unit, Message.NOT_STATIC, method.getSimpleName());
        }
        if (tree.getBody() == null) {
            throw new CompileError(tree, unit, Message.ABSTRACT, method.getSimpleName());
        }
        Kind resultKind = resultKind(method.getReturnType());
        if (resultKind == null) {
            throw new CompileError(tree.getReturnType(), unit, Message.RESULT_TYPE, method.getSimpleName(),
                    method.getReturnType());
        }

        List<ParamType> types = parameterTypes(method, tree, unit);
        Set<String> wrt = wrt(method, tree, unit, types);
        List<Parameter> parameters = new ArrayList<>();
        Graph graph = new Graph();
        Map<String, Node> bound = new LinkedHashMap<>();
        List<Node> params = new ArrayList<>();
        List<Node> wrtNodes = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            ParamType p = types.get(i);
            boolean in = p.differentiable && (wrt.isEmpty() || wrt.contains(p.name));
            if (in) checkComponentName(method, tree.getParameters().get(i), unit, p.name);
            parameters.add(new Parameter(p.name, p.kind, p.differentiable, in));
            Node n = graph.param(p.name, p.kind);
            bound.put(p.name, n);
            params.add(n);
            if (in) wrtNodes.add(n);
        }
        List<ExecutableElement> derivatives = Callees.derivativesOf(method);
        if (!derivatives.isEmpty()) {
            Callee custom = Callees.custom(this, method, derivatives);
            long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, tree));
            String file = unit.getSourceFile().getName();
            graph.at(new Origin(file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1), line,
                    method.getSimpleName() + "(" + String.join(", ", types.stream().map(ParamType::name).toList())
                            + "), by its @Derivative methods"));
            Node result = graph.apply(Op.CALL, Attrs.call(custom, 0), params.toArray(Node[]::new));
            graph.name(result, method.getSimpleName().toString());
            Function f = new Function(method.getSimpleName().toString(), params, graph, result, wrtNodes);
            return new Reading(f, parameters, resultKind, Map.of(), custom, callable(method));
        }
        Set<ExecutableElement> inlining = new HashSet<>();
        inlining.add(method);
        BodyReader body = new BodyReader(this, graph, method, tree, unit, bound, inlining, packageOf(method));
        Node result = body.read();
        if (result.kind() != resultKind) {
            result = body.convert(result, resultKind, tree);
        }
        Function f = new Function(method.getSimpleName().toString(), params, graph, result, wrtNodes);
        return new Reading(f, parameters, resultKind, Map.copyOf(callSites), null, callable(method));
    }

    /**
     * Names that {@code Object} gives a no-argument method to: a record component cannot take them
     * (JLS 8.10.3), and the companion's {@code FGradient} has one component per differentiated parameter.
     */
    private static final Set<String> OBJECT_METHODS = Set.of(
            "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

    private static void checkComponentName(ExecutableElement method, Tree at, CompilationUnitTree unit, String name) {
        String m = method.getSimpleName().toString();
        String record = dev.tapeless.processor.ir.CompanionNames.nested(m, "Gradient");
        if (name.equals("value")) throw new CompileError(at, unit, Message.PARAMETER_NAME_CLASH, name, record);
        if (OBJECT_METHODS.contains(name)) throw new CompileError(at, unit, Message.PARAMETER_NAME_RESERVED, name, record);
    }

    /** The package of the companion that reads {@code method}: its class's. */
    private String packageOf(ExecutableElement method) {
        return elements.getPackageOf(method).getQualifiedName().toString();
    }

    /**
     * Reads a callee's body with its parameters bound to the caller's arguments, for the companion
     * of a class of {@code companionPackage}, or gives the value an identical earlier call in this
     * method computed (calls are pure; one inside an operand of {@code ?:} is identical only to one
     * under the same conditions, whose integer divisions it guards alike).
     */
    Node inline(ExecutableElement callee, List<Node> args, Graph graph, Set<ExecutableElement> inlining,
            String companionPackage) {
        // A value made inside a branch or loop is not visible outside it: calls are shared within one list.
        InlinedCall call = new InlinedCall(callee, List.copyOf(args), List.copyOf(guards), graph.currentList());
        Node earlier = inlined.get(call);
        if (earlier != null) return earlier;
        Node result = readInlined(callee, args, graph, inlining, companionPackage);
        inlined.put(call, result);
        return result;
    }

    private Node readInlined(ExecutableElement callee, List<Node> args, Graph graph, Set<ExecutableElement> inlining,
            String companionPackage) {
        TreePath path = pathOf(callee);
        MethodTree tree = (MethodTree) path.getLeaf();
        CompilationUnitTree unit = path.getCompilationUnit();
        List<ParamType> types = parameterTypes(callee, tree, unit);
        Map<String, Node> bound = new LinkedHashMap<>();
        Set<ExecutableElement> nested = new HashSet<>(inlining);
        nested.add(callee);
        BodyReader body = new BodyReader(this, graph, callee, tree, unit, bound, nested, companionPackage);
        for (int i = 0; i < types.size(); i++) {
            body.bind(types.get(i).name, body.convert(args.get(i), types.get(i).kind, tree.getParameters().get(i)));
        }
        Kind resultKind = resultKind(callee.getReturnType());
        if (resultKind == null) {
            throw new CompileError(tree.getReturnType(), unit, Message.RESULT_TYPE, callee.getSimpleName(),
                    callee.getReturnType());
        }
        Node result = body.read();
        return result.kind() == resultKind ? result : body.convert(result, resultKind, tree);
    }

    /**
     * A call of {@code callee} that is not inlined, or null when it is to be inlined: a function
     * with custom derivatives; a method of a library; a method of this compilation whose IR is
     * larger than {@link Callees#INLINE_LIMIT} and that is differentiated with respect to all its
     * differentiable parameters (so that any caller's derivative can be had through it).
     */
    Callee calleeOf(BodyReader r, MethodInvocationTree call, ExecutableElement callee) {
        if (!hasSource(callee)) return Callees.fromLibrary(r, call, callee, elements);
        List<ExecutableElement> derivatives = Callees.derivativesOf(callee);
        if (!derivatives.isEmpty()) {
            Callee custom;
            try {
                custom = Callees.custom(fresh(), callee, derivatives);
            } catch (CompileError e) { // reported where it is, when the callee's own class is processed
                throw r.errorAt(call, Message.CALL_CUSTOM_ERROR, callee.getSimpleName(), e.getMessage());
            }
            // Generated code calls the function and its derivatives directly from the caller's package;
            // from another package, through the callee's companion, whose members are public.
            boolean samePackage = elements.getPackageOf(callee).getQualifiedName().contentEquals(r.companionPackage());
            return samePackage ? custom : custom.throughCompanion(false);
        }
        Callee companion = Callees.fromSource(callee);
        if (companion == null) return null;
        for (int i = 0; i < companion.params().size(); i++) {
            if (companion.params().get(i).kind().isDifferentiable() && !companion.differentiates(i)) return null;
        }
        int size = sizes.of(callee, this);
        return size > Callees.INLINE_LIMIT ? companion.throughCompanion(sizes.counted(callee)) : null;
    }

    /** Remembers where a call not inlined is. */
    void callAt(Node call, MethodInvocationTree tree, CompilationUnitTree unit) {
        callSites.putIfAbsent(call, new CallSite(tree, unit));
    }

    boolean hasSource(ExecutableElement m) {
        return pathOf(m) != null;
    }

    /** The path to a method's tree, or null when its source is not in this compilation. */
    private TreePath pathOf(ExecutableElement m) {
        if (paths.containsKey(m)) return paths.get(m);
        TreePath path = trees.getTree(m) == null ? null : trees.getPath(m);
        paths.put(m, path);
        return path;
    }

    Trees trees() {
        return trees;
    }

    Symbols symbols(CompilationUnitTree unit, TypeElement owner) {
        return new Symbols(elements, unit, owner);
    }

    // ---- signature ----------------------------------------------------------------------------

    record ParamType(String name, Kind kind, boolean differentiable) {}

    private static List<ParamType> parameterTypes(ExecutableElement method, MethodTree tree, CompilationUnitTree unit) {
        List<ParamType> out = new ArrayList<>();
        List<? extends VariableElement> ps = method.getParameters();
        for (int i = 0; i < ps.size(); i++) {
            ParamType pt = paramType(ps.get(i));
            if (pt == null) {
                throw new CompileError(tree.getParameters().get(i), unit, Message.PARAMETER_TYPE,
                        ps.get(i).getSimpleName(), ps.get(i).asType());
            }
            out.add(pt);
        }
        return out;
    }

    /** How the pipeline sees a parameter, or null for a type Tapeless cannot read. */
    static ParamType paramType(VariableElement p) {
        TypeMirror t = p.asType();
        String name = p.getSimpleName().toString();
        return switch (t.getKind()) {
            case DOUBLE -> new ParamType(name, Kind.SCALAR, true);
            case INT -> new ParamType(name, Kind.INT, false);
            case LONG -> new ParamType(name, Kind.LONG, false);
            case BOOLEAN -> new ParamType(name, Kind.BOOL, false);
            case DECLARED -> switch (qualifiedName(t)) {
                case Vocabulary.VARIABLE -> new ParamType(name, Kind.TENSOR, true);
                case Vocabulary.INDARRAY -> new ParamType(name, Kind.TENSOR, false);
                default -> null;
            };
            case ARRAY -> {
                Kind k = arrayKind(t);
                yield k == null ? null : new ParamType(name, k, k == Kind.DOUBLE_ARRAY);
            }
            default -> null;
        };
    }

    /** The kind of an array type: double[], int[], long[], boolean[] or double[][]; null for any other. */
    static Kind arrayKind(TypeMirror t) {
        if (!(t instanceof javax.lang.model.type.ArrayType a)) return null;
        TypeMirror c = a.getComponentType();
        return switch (c.getKind()) {
            case DOUBLE -> Kind.DOUBLE_ARRAY;
            case INT -> Kind.INT_ARRAY;
            case LONG -> Kind.LONG_ARRAY;
            case BOOLEAN -> Kind.BOOL_ARRAY;
            case ARRAY -> ((javax.lang.model.type.ArrayType) c).getComponentType().getKind() == TypeKind.DOUBLE
                    ? Kind.DOUBLE_MATRIX : null;
            default -> null;
        };
    }

    static Kind resultKind(TypeMirror t) {
        if (t.getKind() == TypeKind.DOUBLE) return Kind.SCALAR;
        if (t.getKind() == TypeKind.DECLARED && qualifiedName(t).equals(Vocabulary.VARIABLE)) return Kind.TENSOR;
        return null;
    }

    /** {@code INDArray} for {@code org.nd4j.linalg.api.ndarray.INDArray}; primitives and arrays as written. */
    static String simpleTypeName(TypeMirror t) {
        if (t instanceof DeclaredType d && d.asElement() instanceof TypeElement te) return te.getSimpleName().toString();
        return t.toString();
    }

    static String qualifiedName(TypeMirror t) {
        if (t instanceof DeclaredType d && d.asElement() instanceof TypeElement te) {
            return te.getQualifiedName().toString();
        }
        return t.toString();
    }

    static Set<String> wrt(ExecutableElement method, MethodTree tree, CompilationUnitTree unit,
            List<ParamType> params) {
        Differentiable a = method.getAnnotation(Differentiable.class);
        String[] names = a == null ? new String[0] : a.wrt();
        Set<String> out = new HashSet<>();
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            Tree at = wrtElementTree(tree, i);
            ParamType p = params.stream().filter(q -> q.name.equals(n)).findFirst().orElse(null);
            if (p == null) {
                throw new CompileError(at, unit, Message.WRT_UNKNOWN, n, method.getSimpleName(),
                        params.stream().map(ParamType::name).toList());
            }
            if (!p.differentiable) {
                throw new CompileError(at, unit, Message.WRT_NOT_DIFFERENTIABLE, n,
                        Message.a(method.getParameters().stream().filter(q -> q.getSimpleName().contentEquals(n))
                                .findFirst().map(q -> simpleTypeName(q.asType())).orElse("data")));
            }
            if (!out.add(n)) throw new CompileError(at, unit, Message.WRT_DUPLICATE, n);
        }
        return out;
    }

    /** The tree of the i-th name in {@code wrt = {...}}, or the annotation itself. */
    private static Tree wrtElementTree(MethodTree tree, int index) {
        for (AnnotationTree ann : tree.getModifiers().getAnnotations()) {
            if (!ann.getAnnotationType().toString().endsWith("Differentiable")) continue;
            for (ExpressionTree arg : ann.getArguments()) {
                if (arg instanceof AssignmentTree as && as.getVariable().toString().equals("wrt")) {
                    ExpressionTree v = as.getExpression();
                    if (v instanceof NewArrayTree arr && arr.getInitializers() != null
                            && index < arr.getInitializers().size()) {
                        return arr.getInitializers().get(index);
                    }
                    return v;
                }
            }
            return ann;
        }
        return tree;
    }

    static boolean isDifferentiable(ExecutableElement m) {
        return m.getAnnotation(Differentiable.class) != null;
    }

}
