package dev.tapeless.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import dev.tapeless.Derivative;
import dev.tapeless.processor.diagnostics.CompileError;
import dev.tapeless.processor.diagnostics.Message;
import dev.tapeless.processor.ir.Callee;
import dev.tapeless.processor.ir.CompanionNames;
import dev.tapeless.processor.ir.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Functions called rather than inlined, and how: a method with derivatives given by hand
 * ({@code @Derivative}), checked against it; a {@code @Differentiable} method of a library (a class
 * compiled earlier), through the companion its build generated, checked against what this version
 * of Tapeless writes; a large method of this compilation, through the companion written with it.
 */
final class Callees {
    private Callees() {}

    /**
     * The policy: a callee in this compilation is inlined unless its IR, with its own callees
     * inlined by the same rule, has more values than this. Inlined callees are optimized with their
     * caller (fused loops, shared subexpressions); called ones are read once, so compile time grows
     * with the number of methods, not with the number of paths through a call tree.
     */
    static final int INLINE_LIMIT = 400;

    // ---- custom derivatives ---------------------------------------------------------------------

    /** The {@code @Derivative} methods of {@code f}'s class that name {@code f}. */
    static List<ExecutableElement> derivativesOf(ExecutableElement f) {
        List<ExecutableElement> out = new ArrayList<>();
        for (Element e : f.getEnclosingElement().getEnclosedElements()) {
            if (e.getKind() != ElementKind.METHOD) continue;
            Derivative d = e.getAnnotation(Derivative.class);
            if (d != null && d.of().contentEquals(f.getSimpleName())) out.add((ExecutableElement) e);
        }
        return out;
    }

    /**
     * The call of {@code f}, a method of this compilation with custom derivatives, checked: each
     * differentiated parameter has exactly one derivative, of the right parameters and result.
     */
    static Callee custom(Frontend frontend, ExecutableElement f, List<ExecutableElement> derivatives) {
        TreePath path = frontend.trees().getPath(f);
        MethodTree tree = (MethodTree) path.getLeaf();
        CompilationUnitTree unit = path.getCompilationUnit();
        String name = f.getSimpleName().toString();
        Element hidden = Frontend.privateAround(f);
        if (hidden != null) {
            throw new CompileError(tree, unit, Message.CUSTOM_PRIVATE, name,
                    hidden == f ? "it" : "its class " + hidden.getSimpleName());
        }
        Kind result = Frontend.resultKind(f.getReturnType());
        if (result == null) {
            throw new CompileError(tree.getReturnType(), unit, Message.RESULT_TYPE, name, f.getReturnType());
        }
        List<Frontend.ParamType> types = new ArrayList<>();
        for (int i = 0; i < f.getParameters().size(); i++) {
            Frontend.ParamType p = Frontend.paramType(f.getParameters().get(i));
            if (p == null) {
                throw new CompileError(tree.getParameters().get(i), unit, Message.PARAMETER_TYPE,
                        f.getParameters().get(i).getSimpleName(), f.getParameters().get(i).asType());
            }
            types.add(p);
        }
        Set<String> named = Frontend.wrt(f, tree, unit, types);
        List<String> wrt = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Frontend.ParamType p = types.get(i);
            if (!p.differentiable() || !named.isEmpty() && !named.contains(p.name())) continue;
            String why = p.kind() == Kind.DOUBLE_ARRAY ? "take its elements as double parameters, or leave it out of wrt"
                    : p.kind() == Kind.TENSOR && result == Kind.SCALAR
                            ? "a double function with a custom derivative takes no Variable; return a Variable, or leave it out of wrt"
                            : null;
            if (why != null) {
                throw new CompileError(tree.getParameters().get(i), unit, Message.CUSTOM_PARAMETER, name,
                        Message.a(Frontend.simpleTypeName(f.getParameters().get(i).asType())), p.name(), why);
            }
            wrt.add(p.name());
        }

        Map<String, ExecutableElement> byParameter = new LinkedHashMap<>();
        for (ExecutableElement d : derivatives) {
            TreePath dp = frontend.trees().getPath(d);
            Tree at = dp == null ? tree : dp.getLeaf();
            CompilationUnitTree du = dp == null ? unit : dp.getCompilationUnit();
            String dn = d.getSimpleName().toString();
            if (!d.getModifiers().contains(Modifier.STATIC) || d.getModifiers().contains(Modifier.PRIVATE)) {
                throw new CompileError(at, du, Message.DERIVATIVE_SIGNATURE, dn);
            }
            String of = d.getAnnotation(Derivative.class).wrt();
            if (of.isEmpty()) {
                if (wrt.size() != 1) throw new CompileError(at, du, Message.DERIVATIVE_WRT_NEEDED, name, quoted(wrt));
                of = wrt.get(0);
            } else if (!wrt.contains(of)) {
                throw new CompileError(at, du, Message.DERIVATIVE_WRT_UNKNOWN, of, name, quoted(wrt));
            }
            ExecutableElement first = byParameter.putIfAbsent(of, d);
            if (first != null) throw new CompileError(at, du, Message.DERIVATIVE_DUPLICATE, name, of, first.getSimpleName());

            List<String> expected = new ArrayList<>();
            for (VariableElement p : f.getParameters()) {
                String t = p.asType().toString();
                expected.add(t.equals(Vocabulary.VARIABLE) ? Vocabulary.INDARRAY : t);
            }
            expected.add(result == Kind.SCALAR ? "double" : Vocabulary.INDARRAY);
            List<String> actual = d.getParameters().stream().map(p -> p.asType().toString()).toList();
            if (!actual.equals(expected)) {
                throw new CompileError(at, du, Message.DERIVATIVE_PARAMETERS, dn,
                        String.join(", ", expected.stream().map(Callees::simple).toList()), name);
            }
            String wrtName = of;
            String parameterType = f.getParameters().stream().filter(p -> p.getSimpleName().contentEquals(wrtName))
                    .findFirst().orElseThrow().asType().toString();
            String adjointType = parameterType.equals(Vocabulary.VARIABLE) ? Vocabulary.INDARRAY : parameterType;
            if (!d.getReturnType().toString().equals(adjointType)) {
                Tree rt = dp == null ? tree : ((MethodTree) dp.getLeaf()).getReturnType();
                throw new CompileError(rt, du, Message.DERIVATIVE_RESULT, dn, simple(d.getReturnType().toString()),
                        of, simple(adjointType));
            }
        }
        for (String p : wrt) {
            if (!byParameter.containsKey(p)) throw new CompileError(tree, unit, Message.DERIVATIVE_MISSING, name, p);
        }
        if (result == Kind.TENSOR) requireCustomReturn(tree, unit, name, types);

        List<Callee.Param> params = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            Frontend.ParamType p = types.get(i);
            ExecutableElement d = byParameter.get(p.name());
            params.add(new Callee.Param(p.name(), p.kind(), p.kind() == Kind.TENSOR && p.differentiable(),
                    d == null ? null : d.getSimpleName().toString()));
        }
        TypeElement owner = (TypeElement) f.getEnclosingElement();
        return new Callee(Callee.Way.CUSTOM, owner.getQualifiedName().toString(), name, companionOf(owner), result, params, false);
    }

    /** A function over Variables with a custom derivative returns {@code Variable.custom(value, its parameters)}. */
    private static void requireCustomReturn(MethodTree tree, CompilationUnitTree unit, String name,
            List<Frontend.ParamType> types) {
        List<String> parameters = types.stream().map(Frontend.ParamType::name).toList();
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                List<? extends ExpressionTree> args = call.getArguments();
                if (BodyReader.methodName(call).equals("custom") && args.size() == parameters.size() + 1) {
                    boolean same = true;
                    for (int i = 0; i < parameters.size(); i++) {
                        same &= args.get(i + 1) instanceof IdentifierTree id && id.getName().contentEquals(parameters.get(i));
                    }
                    found[0] |= same;
                }
                return super.visitMethodInvocation(call, unused);
            }
        }.scan(tree.getBody(), null);
        if (!found[0]) {
            throw new CompileError(tree.getBody() == null ? tree : tree.getBody(), unit, Message.CUSTOM_BODY, name,
                    String.join(", ", parameters));
        }
    }

    // ---- companions -----------------------------------------------------------------------------

    /** The companion of {@code owner}, qualified: {@code p.Outer_InnerDerivatives} for {@code p.Outer.Inner}. */
    static String companionOf(TypeElement owner) {
        List<String> names = new ArrayList<>();
        Element e = owner;
        while (e instanceof TypeElement t) {
            names.add(0, t.getSimpleName().toString());
            e = t.getEnclosingElement();
        }
        String pkg = e instanceof PackageElement p ? p.getQualifiedName().toString() : "";
        return (pkg.isEmpty() ? "" : pkg + ".") + CompanionNames.companion(names);
    }

    /**
     * The call of {@code callee}, a {@code @Differentiable} method of this compilation, through the
     * companion this compilation writes for it: differentiated with respect to the parameters its
     * {@code wrt} names.
     */
    static Callee fromSource(ExecutableElement callee) {
        TypeElement owner = (TypeElement) callee.getEnclosingElement();
        List<Callee.Param> params = new ArrayList<>();
        Set<String> wrt = Set.of(callee.getAnnotation(dev.tapeless.Differentiable.class).wrt());
        for (VariableElement v : callee.getParameters()) {
            Frontend.ParamType p = Frontend.paramType(v);
            if (p == null) return null;
            boolean in = p.differentiable() && p.kind() != Kind.DOUBLE_ARRAY && (wrt.isEmpty() || wrt.contains(p.name()));
            params.add(new Callee.Param(p.name(), p.kind(), p.kind() == Kind.TENSOR && p.differentiable(), in ? p.name() : null));
        }
        Kind result = Frontend.resultKind(callee.getReturnType());
        if (result == null) return null;
        return new Callee(Callee.Way.COMPANION, owner.getQualifiedName().toString(), callee.getSimpleName().toString(),
                companionOf(owner), result, params, false);
    }

    /**
     * The call of {@code callee}, a {@code @Differentiable} method compiled earlier, through the
     * companion its build wrote, checked: the forward pass, the Vjp and its gradient record are
     * there with the parameters this version of Tapeless gives them.
     */
    static Callee fromLibrary(BodyReader r, MethodInvocationTree call, ExecutableElement callee, Elements elements) {
        TypeElement owner = (TypeElement) callee.getEnclosingElement();
        String shown = owner.getSimpleName() + "." + callee.getSimpleName();
        String companionName = companionOf(owner);
        TypeElement companion = elements.getTypeElement(companionName);
        if (companion == null) throw r.errorAt(call, Message.CALL_NO_COMPANION, shown, companionName);
        String name = callee.getSimpleName().toString();
        String gradientName = CompanionNames.nested(name, "Gradient");
        Kind result = Frontend.resultKind(callee.getReturnType());
        List<Frontend.ParamType> types = new ArrayList<>();
        List<String> generated = new ArrayList<>();
        for (VariableElement v : callee.getParameters()) {
            Frontend.ParamType p = Frontend.paramType(v);
            if (p == null || result == null) {
                throw r.errorAt(call, Message.CALL_COMPANION_MISMATCH, shown, companionName, "no entry point for it");
            }
            types.add(p);
            String t = v.asType().toString();
            generated.add(t.equals(Vocabulary.VARIABLE) ? Vocabulary.INDARRAY : t);
        }
        requireMethod(r, call, shown, companion, name, generated);
        requireMethod(r, call, shown, companion, name + "Vjp", generated);
        TypeElement gradient = nested(companion, gradientName);
        if (gradient == null || gradient.getKind() != ElementKind.RECORD) {
            throw r.errorAt(call, Message.CALL_COMPANION_MISMATCH, shown, companionName, "no record " + gradientName);
        }
        List<String> components = new ArrayList<>();
        for (RecordComponentElement c : gradient.getRecordComponents()) components.add(c.getSimpleName().toString());
        if (components.isEmpty() || !components.get(0).equals("value")) {
            throw r.errorAt(call, Message.CALL_COMPANION_MISMATCH, shown, companionName, "no record " + gradientName + "(value, ...)");
        }
        components = components.subList(1, components.size());
        // Which parameters the components are: by name, which class files keep when compiled with -g or
        // -parameters; without names, only when every differentiable parameter has one.
        List<Frontend.ParamType> differentiable = types.stream().filter(Frontend.ParamType::differentiable).toList();
        boolean named = types.stream().map(Frontend.ParamType::name).anyMatch(components::contains);
        if (!named && components.size() != differentiable.size()) {
            throw r.errorAt(call, Message.CALL_PARAMETER_NAMES, shown);
        }
        if (named) { // a companion older than its class (rebuilt without the processor) differentiates other parameters
            Set<String> wrt = Set.of(callee.getAnnotation(dev.tapeless.Differentiable.class).wrt());
            List<String> expected = types.stream().filter(p -> p.differentiable() && (wrt.isEmpty() || wrt.contains(p.name())))
                    .map(Frontend.ParamType::name).toList();
            if (!expected.equals(components)) {
                throw r.errorAt(call, Message.CALL_COMPANION_MISMATCH, shown, companionName,
                        "its " + gradientName + " differentiates " + quoted(components) + ", the class asks for "
                                + quoted(expected) + ": the companion is older than the class");
            }
        }
        List<Callee.Param> params = new ArrayList<>();
        int unnamed = 0;
        for (Frontend.ParamType p : types) {
            String component = null;
            if (named && components.contains(p.name())) component = p.name();
            if (!named && p.differentiable()) component = components.get(unnamed++);
            if (p.kind() == Kind.DOUBLE_ARRAY) component = null; // its adjoint is not taken through a call
            params.add(new Callee.Param(p.name(), p.kind(), p.kind() == Kind.TENSOR && p.differentiable(), component));
        }
        String ops = CompanionNames.ops(name);
        boolean counted = companion.getEnclosedElements().stream()
                .anyMatch(e -> e.getKind() == ElementKind.FIELD && e.getSimpleName().contentEquals(ops));
        return new Callee(Callee.Way.COMPANION, owner.getQualifiedName().toString(), name, companionName, result, params,
                counted);
    }

    private static void requireMethod(BodyReader r, MethodInvocationTree call, String shown, TypeElement companion,
            String name, List<String> parameterTypes) {
        for (Element e : companion.getEnclosedElements()) {
            if (e.getKind() != ElementKind.METHOD || !e.getSimpleName().contentEquals(name)) continue;
            ExecutableElement m = (ExecutableElement) e;
            List<String> actual = m.getParameters().stream().map(p -> p.asType().toString()).toList();
            if (actual.equals(parameterTypes) && m.getModifiers().contains(Modifier.STATIC)
                    && m.getModifiers().contains(Modifier.PUBLIC)) {
                return;
            }
        }
        throw r.errorAt(call, Message.CALL_COMPANION_MISMATCH, shown, companion.getQualifiedName(),
                "no public static " + name + "(" + String.join(", ", parameterTypes.stream().map(Callees::simple).toList()) + ")");
    }

    private static TypeElement nested(TypeElement type, String name) {
        for (Element e : type.getEnclosedElements()) {
            if (e instanceof TypeElement t && t.getSimpleName().contentEquals(name)) return t;
        }
        return null;
    }

    private static String simple(String qualified) {
        return qualified.replace(Vocabulary.INDARRAY, "INDArray").replace(Vocabulary.VARIABLE, "Variable");
    }

    private static String quoted(List<String> names) {
        return names.isEmpty() ? "nothing" : String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }

    // ---- sizes, for the policy --------------------------------------------------------------------

    /** What the frontends of one compilation share: the size of each callee's IR, read once. */
    static final class Sizes {
        private final Map<ExecutableElement, Integer> sizes = new HashMap<>();
        /** Callees whose companion has an {@code F_OPS} constant: on arrays, with no branch or loop. */
        private final Set<ExecutableElement> counted = new java.util.HashSet<>();

        boolean counted(ExecutableElement callee) {
            return counted.contains(callee);
        }

        /**
         * The number of values of {@code callee}'s IR read on its own (its callees inlined or called
         * by the policy), or -1 when it cannot be read or is being read (a recursion, which inlining
         * then reports).
         */
        int of(ExecutableElement callee, Frontend like) {
            Integer known = sizes.get(callee);
            if (known != null) return known;
            sizes.put(callee, -1);
            int size;
            try {
                Frontend.Reading reading = like.fresh().read(callee);
                List<dev.tapeless.processor.ir.Node> nodes =
                        dev.tapeless.processor.ir.Region.flatten(reading.function().graph().nodes());
                size = nodes.size();
                boolean arrays = reading.resultKind() == Kind.TENSOR
                        || reading.parameters().stream().anyMatch(p -> p.kind() == Kind.TENSOR);
                if (arrays && nodes.stream().noneMatch(n -> n.op().hasRegions())) counted.add(callee);
            } catch (RuntimeException e) { // a CompileError among them
                size = -1;
            }
            sizes.put(callee, size);
            return size;
        }
    }
}
