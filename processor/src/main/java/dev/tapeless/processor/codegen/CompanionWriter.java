package dev.tapeless.processor.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tapeless.processor.codegen.MethodPlan.Param;
import dev.tapeless.processor.diagnostics.Message;
import dev.tapeless.processor.ir.CompanionNames;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.opt.Gates;
import dev.tapeless.processor.opt.Optimizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Writes the companion class {@code CDerivatives}: for each method {@code f}, the forward pass
 * {@code f}, {@code fGradient} with its record {@code FGradient}, {@code fVjp} with its class
 * {@code FVjp}, and the op counts of each, as straight-line Java; in {@code fGradient} and
 * {@code pullback}, the adjoint of an operand of {@code ?:}, {@code min} or {@code max} not taken is
 * skipped with an {@code if} ({@link Gates}).
 */
public final class CompanionWriter {
    static final ClassName OP_COUNTS = ClassName.get("dev.tapeless.runtime.support", "OpCounts");
    static final ClassName OP_COUNT = ClassName.get("dev.tapeless.runtime.support", "OpCount");
    static final ClassName LAYOUT = ClassName.get("dev.tapeless.runtime.support", "Layout");
    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    private static final String UPSTREAM = "upstream";

    /** The java.lang classes generated code names: a same-package class of the same name would hide them. */
    private static final List<ClassName> JAVA_LANG = List.of(Emitter.MATH, Emitter.STRICT_MATH, Emitter.DOUBLE,
            ClassName.get(String.class), ClassName.get(ThreadLocal.class), ClassName.get(Object.class));

    private final ClassName source;
    private final ClassName companion;
    private final Function<String, ClassName> classNamed;
    /** Simple names that no generated parameter, local or field may take ({@link #reservedNames}). */
    private final Set<String> reserved;
    /** The per-thread buffer fields ({@link #buffersField}) that generated matrix loops read. */
    private final Set<String> framesUsed = new HashSet<>();

    private CompanionWriter(ClassName source, ClassName companion, Function<String, ClassName> classNamed,
            Set<String> reserved) {
        this.source = source;
        this.companion = companion;
        this.classNamed = classNamed;
        this.reserved = reserved;
    }

    /**
     * The companion of {@code source}. {@code elements} tells which classes exist: the owners of
     * static fields read, and classes of the companion's package that would hide {@code java.lang}'s.
     */
    public static JavaFile write(ClassName source, List<MethodPlan> methods, String processorName,
            javax.lang.model.element.Element originatingElement, Elements elements) {
        ClassName companion = companionOf(source);
        Function<String, ClassName> classNamed = canonical -> {
            TypeElement t = elements.getTypeElement(canonical);
            return t != null ? ClassName.get(t) : ClassName.bestGuess(canonical);
        };
        CompanionWriter w = new CompanionWriter(source, companion, classNamed,
                reservedNames(source, companion, methods, classNamed));
        TypeSpec.Builder type = TypeSpec.classBuilder(companion)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addAnnotation(AnnotationSpec.builder(GENERATED)
                        .addMember("value", "$S", processorName)
                        .addMember("comments", "$S", "from " + source.topLevelClassName().simpleName() + ".java")
                        .build())
                .addJavadoc("Derivatives of the {@code @Differentiable} methods of {@link $T}, written at compile\n"
                        + "time by Tapeless: straight-line forward and reverse passes, no tape.\n", source)
                .addOriginatingElement(originatingElement)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (ClassName c : JAVA_LANG) {
            String samePackage = companion.packageName().isEmpty() ? c.simpleName()
                    : companion.packageName() + "." + c.simpleName();
            if (elements.getTypeElement(samePackage) != null) type.alwaysQualify(c.simpleName());
        }
        for (MethodPlan m : methods) {
            try {
                w.add(type, m);
            } catch (TooLarge e) {
                throw e;
            } catch (RuntimeException e) {
                throw new MethodFailure(m.name(), e);
            }
        }
        return JavaFile.builder(companion.packageName(), type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /** A failure while writing one method's entry points, so that it can be reported on that method. */
    public static final class MethodFailure extends RuntimeException {
        private final String method;

        MethodFailure(String method, RuntimeException cause) {
            super(cause);
            this.method = method;
        }

        public String method() {
            return method;
        }
    }

    /** A method whose entry points Java cannot express, whatever the split: an error on that method. */
    public static final class TooLarge extends RuntimeException {
        private final String method;
        private final transient Message message;
        private final transient Object[] args;

        TooLarge(String method, Message message, Object... args) {
            super(message.format(args), null, false, false);
            this.method = method;
            this.message = message;
            this.args = args;
        }

        public String method() {
            return method;
        }

        public Message message() {
            return message;
        }

        public Object[] args() {
            return args.clone();
        }
    }

    /** {@code CDerivatives} for {@code C}; {@code Outer_InnerDerivatives} for a nested class. */
    public static ClassName companionOf(ClassName source) {
        return ClassName.get(source.packageName(), CompanionNames.companion(source.simpleNames()));
    }

    /** A member of the companion: its kind ("method", "nested class", "constant") and name. */
    public record Member(String kind, String name) {
        /** Equal for members that cannot coexist: same kind and name, nested classes without case. */
        public String key() {
            return kind + ":" + (kind.equals("nested class") ? name.toLowerCase(Locale.ROOT) : name);
        }
    }

    /** The members the companion gets for method {@code method} (the constant only if it uses arrays). */
    /**
     * The name of the constant that describes {@code method} ({@code LOSS}), or, when that is the
     * simple name of a class the companion names (method {@code t} of class {@code T}, or a static
     * field of class {@code K} read by method {@code k}), which the constant would hide, that name
     * and {@code _METHOD}. A method claims both names ({@link #members}), so that no two constants
     * can ever share one.
     */
    public static String descriptorName(String method, Set<String> classNames) {
        String name = upperSnake(method);
        return classNames.contains(name) ? name + "_METHOD" : name;
    }

    public static List<Member> members(String method, boolean usesArrays) {
        List<Member> out = new ArrayList<>(List.of(new Member("method", method),
                new Member("method", method + "Gradient"), new Member("method", method + "Vjp"),
                new Member("nested class", nestedName(method, "Gradient")),
                new Member("nested class", nestedName(method, "Vjp"))));
        out.add(new Member("constant", upperSnake(method)));
        out.add(new Member("constant", upperSnake(method) + "_METHOD"));
        out.add(new Member("constant", upperSnake(method) + "_DERIVATIVES"));
        if (usesArrays) {
            out.add(new Member("constant", opsName(method)));
            out.add(new Member("constant", buffersField(method)));
            out.add(new Member("constant", buffersField(method + "Gradient")));
        }
        return out;
    }

    private static String nestedName(String method, String suffix) {
        return CompanionNames.nested(method, suffix);
    }

    static String opsName(String method) {
        return CompanionNames.ops(method);
    }

    private void add(TypeSpec.Builder type, MethodPlan m) {
        String cap = nestedName(m.name(), "");
        ClassName gradientType = companion.nestedClass(nestedName(m.name(), "Gradient"));
        ClassName vjpType = companion.nestedClass(nestedName(m.name(), "Vjp"));
        checkRecordFits(m, gradientType);

        List<BodyWriter> bodies = new ArrayList<>();
        Counted forward;
        Counted gradient;
        VjpParts vjp;
        try {
            forward = forwardMethod(m, bodies, cap);
            gradient = gradientMethod(m, gradientType, bodies, cap);
            vjp = vjpMethods(m, gradientType, vjpType, bodies, cap);
        } catch (BodyWriter.PartsTooLarge e) {
            throw new TooLarge(m.name(), Message.PARTS_PARAMETERS, m.name());
        }

        // Plain Java runs no ND4J op; in a loop, how many run depends on how many times it runs.
        // Nor is a count known for code it calls that counts none (a custom derivative, a loop).
        boolean counted = List.of(forward.called, gradient.called, vjp.factory.called, vjp.pullbackCalled).stream()
                .noneMatch(c -> c.contains(Emission.UNCOUNTED));
        if (usesArrays(m) && !hasLoops(m) && counted) type.addField(opCounts(m, forward, gradient, vjp));
        if (m.customDerivatives() != null) type.addField(customDerivatives(m));
        type.addField(described(m));
        for (String buffers : List.of(buffersField(m.name()), buffersField(m.name() + "Gradient"))) {
            if (!framesUsed.contains(buffers)) continue;
            TypeName t = ParameterizedTypeName.get(ClassName.get(ThreadLocal.class), MatrixLoops.FRAME);
            type.addField(FieldSpec.builder(t, buffers, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.withInitial($T::new)", ThreadLocal.class, MatrixLoops.FRAME)
                    .build());
        }
        type.addMethod(forward.method);
        type.addType(gradientRecord(m, gradientType));
        type.addMethod(gradient.method);
        if (usesArrays(m) && !hasLoops(m) && m.resultKind() == Kind.TENSOR) type.addMethod(reusingGradientMethod(m, gradientType));
        type.addMethod(vjp.factory.method);
        type.addType(vjp.type);
        for (BodyWriter body : bodies) { // the parts of entry points too long for one method
            type.addMethods(body.partMethods());
            if (body.frameType() != null) type.addType(body.frameType());
        }
    }

    /** The gradient record's constructor takes the value and every component: it must fit the JVM's limit. */
    private static void checkRecordFits(MethodPlan m, ClassName gradientType) {
        int slots = 1 + Parts.slots(BodyWriter.javaType(m.resultKind()));
        for (Param p : m.differentiated()) slots += Parts.slots(BodyWriter.javaType(p.kind()));
        if (slots > Parts.MAX_PARAMETER_SLOTS) {
            throw new TooLarge(m.name(), Message.GRADIENT_RECORD_TOO_LARGE, m.name(), m.differentiated().size(),
                    gradientType.simpleName(), slots);
        }
    }

    private static boolean hasLoops(MethodPlan m) {
        for (Node n : dev.tapeless.processor.ir.Region.flatten(m.gradient().nodes())) if (n.op() == Op.LOOP) return true;
        return false;
    }

    private static boolean usesArrays(MethodPlan m) {
        return m.resultKind() == Kind.TENSOR || m.params().stream().anyMatch(p -> p.kind() == Kind.TENSOR);
    }

    // ---- f ------------------------------------------------------------------------------------

    private Counted forwardMethod(MethodPlan m, List<BodyWriter> bodies, String cap) {
        BodyWriter body = newBody(m, m.forward(), m.name(), cap + "Frame", bodies);
        Node result = m.forward().roots().get(0);
        Fast loops = fused(m, body, m.forward(), Collections.singletonList(null), out -> CodeBlock.of("return $L", out.get(0)),
                buffersField(m.name()));
        body.saving(savingOf(m.forward().nodes()));
        body.plan(m.forward().nodes(), List.of(result));
        for (Node n : m.forward().nodes()) body.emit(n);
        CodeBlock value = results(body, List.of(result), externals(m.forward().nodes())).get(0);
        body.statement("return $L", value);
        MethodSpec method = signature(m, m.name(), BodyWriter.javaType(m.resultKind()))
                .addJavadoc("The forward pass of {@link $T#$L}: its value, with nothing kept for a derivative.\n",
                        source, m.javadocLink())
                .addCode(body.code())
                .build();
        return new Counted(method, body.fewest(), body.most(), loops, body.called());
    }

    // ---- fGradient ----------------------------------------------------------------------------

    private Counted gradientMethod(MethodPlan m, ClassName gradientType, List<BodyWriter> bodies, String cap) {
        Optimizer.Optimized g = m.gradient();
        BodyWriter body = newBody(m, g, m.name() + "Gradient", cap + "GradientFrame", bodies);
        Node value = g.roots().get(0);
        Fast loops = fused(m, body, g, gradientShapes(m), out -> CodeBlock.of("return new $T($L)", gradientType, CodeBlock.join(out, ", ")),
                buffersField(m.name() + "Gradient"));
        body.saving(savingOf(g.nodes()));
        body.plan(g.nodes(), g.roots(), Gates.of(g.nodes()));
        checkScalarAfter(body, value, g.nodes(), m);
        List<CodeBlock> args = results(body, g.roots(), externals(g.nodes()));
        body.statement("return new $T($L)", gradientType, CodeBlock.join(args, ", "));
        MethodSpec.Builder method = signature(m, m.name() + "Gradient", gradientType)
                .addJavadoc("The value of {@link $T#$L} and its gradient with respect to $L.\n",
                        source, m.javadocLink(), wrtList(m));
        if (m.resultKind() == Kind.TENSOR) {
            method.addJavadoc("\n@throws IllegalArgumentException if the value is not a scalar: use {@link #$LVjp} then\n",
                            m.name())
                    .addJavadoc("$L", "    {@code pullback(upstream)} for a vector-Jacobian product\n");
        }
        return new Counted(method.addCode(body.code()).build(), body.fewest(), body.most(), loops, body.called());
    }

    /**
     * For a straight-line tensor method: first in {@code body}, guarded, its fused loops
     * ({@link FusedLoops}: every value elementwise on one shape, or a full sum) and its matrix
     * loops ({@link MatrixLoops}: rank 2 at most, broadcasting, products by BLAS), each ending with
     * the statement {@code exit} makes of the outputs. The ND4J path follows.
     */
    private Fast fused(MethodPlan m, BodyWriter body, Optimizer.Optimized graph, List<Boolean> shapes,
            java.util.function.Function<List<CodeBlock>, CodeBlock> exit, String buffers) {
        if (!usesArrays(m) || hasLoops(m)) return Fast.NONE;
        Map<String, String> parameters = parameterNames(m);
        FusedLoops.Fused f = FusedLoops.write(graph.nodes(), graph.roots(), shapes, parameterRefs(graph, parameters),
                localNames(parameters));
        if (f != null) {
            body.block(CodeBlock.builder()
                    .add("// One shape, row-major: every value is a number per element, or a sum of them.\n")
                    .beginControlFlow("if ($L)", f.guard())
                    .add(f.body())
                    .addStatement(exit.apply(f.outputs()))
                    .endControlFlow()
                    .build());
        }
        MatrixLoops.Planned p = f != null && graph.nodes().size() > FusedLoops.MAX_NODES / 2 ? null
                : MatrixLoops.write(graph.nodes(), graph.roots(), shapes, parameterRefs(graph, parameters),
                        localNames(parameters), CodeBlock.of("$N", buffers), null);
        if (p != null) {
            if (p.usesFrame()) framesUsed.add(buffers);
            body.block(matrixBlock(p, p.guard(), exit.apply(p.outputs())));
        }
        return new Fast(f == null ? 0 : f.loops(), p == null ? 0 : p.loops(), p == null ? 0 : p.products());
    }

    /** Matrix loops in a block of their own: shapes, then the guarded loops that return. */
    private static CodeBlock matrixBlock(MatrixLoops.Planned p, CodeBlock guard, CodeBlock exit) {
        return CodeBlock.builder()
                .add("// Rank 2 at most, row-major: loops over rows and columns, matrix products by BLAS.\n")
                .add("{\n").indent()
                .add(p.prelude())
                .beginControlFlow("if ($L)", guard)
                .add(p.body())
                .addStatement(exit)
                .endControlFlow()
                .unindent().add("}\n")
                .build();
    }

    /** The companion's per-thread buffers of an entry point's matrix loops: {@code LOSS_GRADIENT_BUFFERS}. */
    private static String buffersField(String entryPoint) {
        return upperSnake(entryPoint) + "_BUFFERS";
    }

    /**
     * {@code fGradient(args..., previous)}: the gradient written into the arrays of an earlier
     * result where they fit (by the fused loops, directly; on the ND4J path, copied), else new ones.
     */
    private MethodSpec reusingGradientMethod(MethodPlan m, ClassName gradientType) {
        Map<String, String> parameters = parameterNames(m);
        Names names = localNames(parameters);
        String previous = names.fresh("previous");
        String method = m.name() + "Gradient";
        List<CodeBlock> args = m.params().stream().map(p -> CodeBlock.of("$N", parameters.get(p.name()))).toList();
        CodeBlock call = CodeBlock.of("$N($L)", method, CodeBlock.join(args, ", "));
        // The record's array components, with their names; null for a double component.
        List<CodeBlock> components = new ArrayList<>();
        List<String> componentNames = new ArrayList<>();
        components.add(CodeBlock.of("$N.value()", previous));
        componentNames.add("value");
        for (Param p : m.differentiated()) {
            components.add(p.kind() == Kind.TENSOR ? CodeBlock.of("$N.$N()", previous, p.name()) : null);
            componentNames.add(p.name());
        }
        List<CodeBlock> arrays = components.stream().filter(java.util.Objects::nonNull).toList();
        List<String> arrayNames = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) if (components.get(i) != null) arrayNames.add(componentNames.get(i));
        List<Param> tensorParams = m.params().stream().filter(p -> p.kind() == Kind.TENSOR).toList();

        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("if ($N == null)", previous).addStatement("return $L", call).endControlFlow();
        for (Param p : tensorParams) {
            code.addStatement("$T.requireArgument($N, $S)", Emitter.KERNELS, parameters.get(p.name()), p.name());
        }
        code.addStatement("$T.requireOwn($S, new $T[] {$L}, new $T[] {$L}, new $T[] {$L}, new $T[] {$L})",
                FusedLoops.DENSE, method, Emitter.INDARRAY, CodeBlock.join(arrays, ", "), String.class,
                String.join(", ", arrayNames.stream().map(n -> "\"" + n + "\"").toList()), Emitter.INDARRAY,
                CodeBlock.join(tensorParams.stream().map(p -> CodeBlock.of("$N", parameters.get(p.name()))).toList(), ", "),
                String.class, String.join(", ", tensorParams.stream().map(p -> "\"" + p.name() + "\"").toList()));

        // Where the earlier arrays fit the fused or matrix loops: written there, element by element.
        List<CodeBlock> fit = new ArrayList<>();
        fit.add(CodeBlock.of("$T.fitsScalar($L, $N)", FusedLoops.DENSE, components.get(0), parameters.get(tensorParams.get(0).name())));
        int k = 1;
        for (Param p : m.differentiated()) {
            if (p.kind() == Kind.TENSOR) {
                fit.add(CodeBlock.of("$T.fitsLike($L, $N)", FusedLoops.DENSE, components.get(k), parameters.get(p.name())));
            }
            k++;
        }
        fit.add(CodeBlock.of("$T.distinct($L)", FusedLoops.DENSE, CodeBlock.join(arrays, ", ")));
        Optimizer.Optimized g = m.gradient();
        FusedLoops.Fused f = FusedLoops.write(g.nodes(), g.roots(), gradientShapes(m), parameterRefs(g, parameters),
                names.copy(), components);
        if (f != null) {
            List<CodeBlock> checks = new ArrayList<>();
            checks.add(f.guard());
            checks.addAll(fit);
            code.beginControlFlow("if ($L)", CodeBlock.join(checks, "\n        && "))
                    .add(f.body())
                    .addStatement("return new $T($L)", gradientType, CodeBlock.join(f.outputs(), ", "))
                    .endControlFlow();
        }
        String buffers = buffersField(method);
        MatrixLoops.Planned planned = f != null && g.nodes().size() > FusedLoops.MAX_NODES / 2 ? null
                : MatrixLoops.write(g.nodes(), g.roots(), gradientShapes(m), parameterRefs(g, parameters), names.copy(),
                        CodeBlock.of("$N", buffers), components);
        if (planned != null) {
            if (planned.usesFrame()) framesUsed.add(buffers);
            List<CodeBlock> checks = new ArrayList<>();
            checks.add(planned.guard());
            checks.addAll(fit);
            code.add(matrixBlock(planned, CodeBlock.join(checks, "\n        && "),
                    CodeBlock.of("return new $T($L)", gradientType, CodeBlock.join(planned.outputs(), ", "))));
        }
        // Otherwise: a new result, copied into the earlier arrays where they have its shapes.
        String fresh = names.fresh("fresh");
        code.addStatement("$T $N = $L", gradientType, fresh, call);
        List<CodeBlock> same = new ArrayList<>();
        List<CodeBlock> out = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            CodeBlock accessor = CodeBlock.of("$N.$N()", fresh, componentNames.get(i));
            if (components.get(i) == null) {
                out.add(accessor);
                continue;
            }
            same.add(CodeBlock.of("$T.sameLayout($L, $L)", FusedLoops.DENSE, components.get(i), accessor));
            out.add(components.get(i));
        }
        same.add(CodeBlock.of("$T.distinct($L)", FusedLoops.DENSE, CodeBlock.join(arrays, ", ")));
        code.beginControlFlow("if ($L)", CodeBlock.join(same, "\n        && "));
        for (int i = 0; i < components.size(); i++) {
            if (components.get(i) != null) {
                code.addStatement("$L.assign($N.$N())", components.get(i), fresh, componentNames.get(i));
            }
        }
        code.addStatement("return new $T($L)", gradientType, CodeBlock.join(out, ", "));
        code.endControlFlow();
        code.addStatement("return $N", fresh);
        return signature(m, method, gradientType)
                .addParameter(gradientType, previous)
                .addJavadoc("The value of {@link $T#$L} and its gradient, as {@link #$L}, written into the arrays of\n"
                        + "{@code $L}, an earlier result of this method, where they have the right shapes and data\n"
                        + "type (and are not arguments of this call): a training loop that passes its last result\n"
                        + "allocates no new arrays. Elsewhere, or for a null {@code $L}, new arrays.\n"
                        + "\n@throws IllegalArgumentException if an array of {@code $L} is an argument of this call\n",
                        source, m.javadocLink(), method, previous, previous, previous)
                .addCode(code.build())
                .build();
    }

    /** Names for an entry point's locals: none may be a parameter's, the upstream's or a reserved one. */
    private Names localNames(Map<String, String> parameters) {
        List<String> taken = new ArrayList<>(parameters.values());
        taken.add(UPSTREAM);
        taken.addAll(reserved);
        return new Names(taken);
    }

    /** Each parameter of {@code graph}, by the name the entry point gives it. */
    private static Map<Node, CodeBlock> parameterRefs(Optimizer.Optimized graph, Map<String, String> parameters) {
        Map<Node, CodeBlock> refs = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (n.op() == Op.PARAM) refs.put(n, CodeBlock.of("$N", parameters.get(n.attrs().text())));
        }
        return refs;
    }

    /** For the gradient's roots: the value is one number, a tensor parameter's component has its shape. */
    private static List<Boolean> gradientShapes(MethodPlan m) {
        List<Boolean> shapes = new ArrayList<>();
        shapes.add(false);
        for (Param p : m.differentiated()) shapes.add(p.kind() == Kind.TENSOR);
        return shapes;
    }

    private void checkScalarAfter(BodyWriter body, Node value, List<Node> nodes, MethodPlan m) {
        boolean checked = false;
        if (value.kind() != Kind.TENSOR) checked = true;
        if (!checked && body.isDefined(value)) {
            body.statement("$T.requireScalar($L, $S)", Emitter.KERNELS, body.ref(value), m.name() + "Vjp");
            checked = true;
        }
        for (Node n : nodes) {
            body.emit(n);
            if (!checked && n == value) {
                body.statement("$T.requireScalar($L, $S)", Emitter.KERNELS, body.ref(value), m.name() + "Vjp");
                checked = true;
            }
        }
    }

    private TypeSpec gradientRecord(MethodPlan m, ClassName gradientType) {
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
        ctor.addParameter(BodyWriter.javaType(m.resultKind()), "value");
        for (Param p : m.differentiated()) ctor.addParameter(BodyWriter.javaType(p.kind()), p.name());
        return TypeSpec.recordBuilder(gradientType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .recordConstructor(ctor.build())
                .addJavadoc(m.params().stream().anyMatch(p -> p.kind() == Kind.TENSOR)
                        ? "The value of {@link $T#$L} and one gradient component per differentiated\n"
                                + "parameter, named after it and shaped like it. Components never share a buffer with\n"
                                + "each other or with an argument.\n"
                        : "The value of {@link $T#$L} and one partial derivative per differentiated\n"
                                + "parameter, named after it.\n", source, m.javadocLink())
                .build();
    }

    // ---- fVjp ---------------------------------------------------------------------------------

    private record VjpParts(Counted factory, TypeSpec type, int pullbackFewest, int pullbackMost, List<CodeBlock> pullbackCalled) {}

    private VjpParts vjpMethods(MethodPlan m, ClassName gradientType, ClassName vjpType, List<BodyWriter> bodies,
            String cap) {
        Optimizer.Optimized v = m.vjp();
        Node value = v.roots().get(0);
        Set<Node> backward = dependsOnSeed(v.nodes());
        List<Node> backwardNodes = v.nodes().stream().filter(backward::contains).toList();
        Saving saving = savingOf(v.nodes());

        // What the pullback reads from the forward pass: kept as fields, nothing more.
        Set<Node> kept = new LinkedHashSet<>();
        kept.add(value);
        for (Node n : dev.tapeless.processor.ir.Region.flatten(backwardNodes)) {
            for (Node in : n.inputs()) {
                if (!backward.contains(in) && needsStorage(in) && isForwardValue(in, backward, saving)) kept.add(in);
            }
            for (dev.tapeless.processor.ir.Region r : n.regions()) {
                for (Node y : r.yields()) {
                    if (!backward.contains(y) && needsStorage(y) && isForwardValue(y, backward, saving)) kept.add(y);
                }
            }
        }
        for (Node r : saving.recomputed) { // computed again in the pullback, from what it reads
            for (Node in : Saving.readsOf(r)) {
                if (!backward.contains(in) && needsStorage(in) && isForwardValue(in, backward, saving)) kept.add(in);
            }
        }
        // The stacks of values saved in loops that the pullback reads back.
        List<Node> stacked = new ArrayList<>(saving.stacked);
        for (Node r : v.roots()) if (!backward.contains(r) && needsStorage(r)) kept.add(r);
        Set<Node> layoutOnly = readOnlyForShape(kept, backwardNodes, v.roots());
        List<Node> forwardRoots = new ArrayList<>(kept);
        forwardRoots.addAll(saving.stacked);
        List<Node> forwardNodes = Optimizer.prune(
                v.nodes().stream().filter(n -> !backward.contains(n)).toList(), forwardRoots);

        BodyWriter fwd = newBody(m, v, m.name() + "Vjp", cap + "VjpFrame", bodies);
        fwd.saving(saving);
        fwd.plan(forwardNodes, kept);
        for (Node n : forwardNodes) fwd.emit(n);
        // The JVM allows 255 parameter slots (a double takes two): past that, the fields are
        // assigned one by one instead of through the constructor.
        int constructorSlots = 1 + stacked.size();
        for (Node k : kept) constructorSlots += layoutOnly.contains(k) ? 1 : Parts.slots(BodyWriter.javaType(k, classNamed));
        boolean assignFields = constructorSlots > Parts.MAX_PARAMETER_SLOTS;
        List<CodeBlock> fieldValues = new ArrayList<>();
        TypeSpec.Builder type = TypeSpec.classBuilder(vjpType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The forward pass of {@link $T#$L}, keeping exactly what its pullback reads.\n",
                        source, m.javadocLink());
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE);
        List<String> takenFields = new ArrayList<>(reserved);
        takenFields.add(UPSTREAM);
        Names fieldNames = new Names(takenFields);
        BodyWriter pull = new BodyWriter(fieldNames, classNamed);
        List<String> fieldOrder = new ArrayList<>();
        for (Node k : kept) {
            boolean layout = layoutOnly.contains(k);
            String hint = k == value ? "value" : layout ? k.name() + "Layout" : k.name();
            String field = fieldNames.fresh(hint);
            TypeName t = layout ? LAYOUT : BodyWriter.javaType(k, classNamed);
            if (assignFields) {
                type.addField(FieldSpec.builder(t, field, Modifier.PRIVATE).build());
            } else {
                type.addField(FieldSpec.builder(t, field, Modifier.PRIVATE, Modifier.FINAL).build());
                ctor.addParameter(t, field).addStatement("this.$N = $N", field, field);
            }
            fieldValues.add(layout ? CodeBlock.of("$T.of($L)", LAYOUT, fwd.ref(k)) : fwd.ref(k));
            pull.define(k, field);
            fieldOrder.add(field);
        }
        for (Node k : stacked) {
            String field = fieldNames.fresh(k.name().replace("$", "") + "Saved");
            TypeName t = Saving.stackType(k.kind());
            if (assignFields) {
                type.addField(FieldSpec.builder(t, field, Modifier.PRIVATE).build());
            } else {
                type.addField(FieldSpec.builder(t, field, Modifier.PRIVATE, Modifier.FINAL).build());
                ctor.addParameter(t, field).addStatement("this.$N = $N", field, field);
            }
            fieldValues.add(fwd.stackOf(k));
            pull.defineStack(k, field);
            fieldOrder.add(field);
        }
        CodeBlock valueRef = results(fwd, List.of(value), externals(v.nodes())).get(0);
        fieldValues.set(0, valueRef);
        if (assignFields) {
            String vjp = fwd.fresh("vjp");
            fwd.statement("$T $N = new $T()", vjpType, vjp, vjpType);
            List<CodeBlock> computed = new ArrayList<>(); // values of the body's own: in methods of their own if many
            int i = 0;
            for (Node k : kept) {
                CodeBlock assign = CodeBlock.of("$N.$N = $L", vjp, fieldOrder.get(i), fieldValues.get(i));
                if (i > 0 && fwd.computes(k)) computed.add(assign); else fwd.statement("$L", assign);
                i++;
            }
            for (; i < fieldOrder.size(); i++) fwd.statement("$N.$N = $L", vjp, fieldOrder.get(i), fieldValues.get(i));
            fwd.statementsAfter(computed, ParameterSpec.builder(vjpType, vjp).build(), "Keep");
            fwd.statement("return $N", vjp);
        } else {
            fwd.statement("return new $T($L)", vjpType, CodeBlock.join(fieldValues, ", "));
        }
        type.addMethod(ctor.build());
        type.addMethod(MethodSpec.methodBuilder("value")
                .addModifiers(Modifier.PUBLIC)
                .returns(BodyWriter.javaType(m.resultKind()))
                .addJavadoc("The value of {@link $T#$L}.\n", source, m.javadocLink())
                .addStatement("return $N", fieldOrder.get(0))
                .build());

        // The pullback: upstream adjoint in, gradient out.
        Node seed = null;
        for (Node n : v.nodes()) if (n.op() == Op.SEED) seed = n;
        if (seed != null) pull.defineParameter(seed, UPSTREAM);
        pull.splitInto(new Parts.Target("pullback", vjpType.nestedClass("PullbackFrame"), false));
        if (m.resultKind() == Kind.TENSOR) {
            pull.statement("$T.requireSameShape($N, $N, $S)", Emitter.KERNELS, UPSTREAM, fieldOrder.get(0), "upstream");
        }
        Set<Node> pullExternal = new LinkedHashSet<>(kept);
        pullExternal.removeAll(layoutOnly); // shapes, not arrays: nothing to alias
        if (seed != null) pullExternal.add(seed);
        pull.saving(saving);
        pull.plan(backwardNodes, v.roots(), Gates.of(backwardNodes));
        for (Node n : backwardNodes) if (n.op() != Op.SEED) pull.emit(n);
        // The value is the kept field itself; the gradient components must not share its buffer either.
        List<CodeBlock> args = new ArrayList<>();
        args.add(CodeBlock.of("$N", fieldOrder.get(0)));
        args.addAll(results(pull, v.roots().subList(1, v.roots().size()), pullExternal));
        pull.statement("return new $T($L)", gradientType, CodeBlock.join(args, ", "));
        type.addMethod(MethodSpec.methodBuilder("pullback")
                .addModifiers(Modifier.PUBLIC)
                .returns(gradientType)
                .addParameter(BodyWriter.javaType(m.resultKind()), UPSTREAM)
                .addJavadoc("The vector-Jacobian product: the gradient of {@code <upstream, value>} with respect\n"
                        + "to $L. Can be called any number of times.\n", wrtList(m))
                .addCode(pull.code())
                .build());
        type.addMethods(pull.partMethods());
        if (pull.frameType() != null) type.addType(pull.frameType());

        MethodSpec factory = signature(m, m.name() + "Vjp", vjpType)
                .addJavadoc("Runs the forward pass of {@link $T#$L} and keeps what {@code pullback} needs.\n",
                        source, m.javadocLink())
                .addCode(fwd.code())
                .build();
        return new VjpParts(new Counted(factory, fwd.fewest(), fwd.most(), Fast.NONE, fwd.called()), type.build(), pull.fewest(), pull.most(),
                pull.called());
    }

    /**
     * Kept arrays whose pullback reads only their shape: the Vjp keeps their {@link #LAYOUT}, and
     * the arrays themselves can be collected after the forward pass.
     */
    private static Set<Node> readOnlyForShape(Set<Node> kept, List<Node> backwardNodes, List<Node> roots) {
        Set<Node> elementsRead = new HashSet<>(roots);
        for (Node n : dev.tapeless.processor.ir.Region.flatten(backwardNodes)) {
            for (int i = 0; i < n.inputs().size(); i++) {
                if (!n.op().readsOnlyShapeOf(i)) elementsRead.add(n.in(i));
            }
            for (dev.tapeless.processor.ir.Region r : n.regions()) elementsRead.addAll(r.yields());
        }
        Set<Node> out = new LinkedHashSet<>();
        for (Node k : kept) {
            if (k.kind() == Kind.TENSOR && !elementsRead.contains(k)) out.add(k);
        }
        return out;
    }

    /**
     * Whether the pullback must read {@code n} from what the forward pass kept: everything but
     * constants and its own upstream. A static field is kept too, as the forward pass read it: the
     * program may assign it between {@code fVjp} and {@code pullback}.
     */
    private static boolean needsStorage(Node n) {
        return n.op() != Op.CONST && n.op() != Op.SEED;
    }

    /** The top-level nodes that depend on the upstream adjoint (a branch or loop: if anything in it does). */
    private static Set<Node> dependsOnSeed(List<Node> nodes) {
        Set<Node> s = new HashSet<>();
        dependsOnSeed(nodes, s);
        return s;
    }

    private static boolean dependsOnSeed(List<Node> nodes, Set<Node> s) {
        boolean any = false;
        for (Node n : nodes) {
            // An adjoint array is written by the pullback: each call makes its own.
            boolean d = n.op() == Op.SEED || n.op() == Op.ZEROS_LIKE && n.kind() == Kind.DOUBLE_ARRAY;
            for (dev.tapeless.processor.ir.Region r : n.regions()) {
                d |= dependsOnSeed(r.nodes(), s);
                for (Node y : r.yields()) d |= s.contains(y);
            }
            for (Node in : n.inputs()) d |= s.contains(in);
            if (d) {
                s.add(n);
                for (dev.tapeless.processor.ir.Region r : n.regions()) s.addAll(r.args());
                any = true;
            }
        }
        return any;
    }

    /**
     * Whether the pullback reads {@code n} as a value the forward pass kept in a field: a value of
     * the forward pass's top level, or one declared there before its branch; not one saved on a stack.
     */
    private static boolean isForwardValue(Node n, Set<Node> backward, Saving saving) {
        if (backward.contains(n) || saving.stacked.contains(n)) return false;
        return n.region() == null || saving.hoisted.contains(n);
    }

    /** What a body with branches and loops saves for its reverse pass; nothing for straight-line code. */
    private static Saving savingOf(List<Node> nodes) {
        for (Node n : nodes) if (n.op().hasRegions()) return Saving.of(nodes);
        return Saving.none();
    }

    // ---- shared pieces ------------------------------------------------------------------------

    /** An entry point and what a call runs: ND4J ops on its ND4J path, or its fused loops. */
    private record Counted(MethodSpec method, int fewest, int most, Fast loops, List<CodeBlock> called) {}

    /** What an entry point runs where its arguments fit: fused loops; or matrix loops and matrix products. */
    private record Fast(int fused, int matrixLoops, int products) {
        static final Fast NONE = new Fast(0, 0, 0);
    }

    /**
     * The simple names through which generated code reaches classes and packages: the top-level
     * class and the first package name of every class it names. A parameter, local or field of
     * that name would obscure them ({@code double Math} makes {@code Math.sin(x)} a field access on
     * a double, JLS 6.4.2), so generated code never declares one, and renames such parameters.
     */
    private static Set<String> reservedNames(ClassName source, ClassName companion, List<MethodPlan> methods,
            Function<String, ClassName> classNamed) {
        List<ClassName> used = new ArrayList<>(List.of(DIFFERENTIATED_METHOD, VARIABLE, ClassName.get(List.class),
                Emitter.KERNELS, Emitter.TRANSFORMS, Emitter.INDARRAY,
                OP_COUNTS, OP_COUNT, LAYOUT, GENERATED, source, companion, Saving.DOUBLE_STACK, Saving.INT_STACK,
                Saving.LONG_STACK, Saving.BOOLEAN_STACK, Saving.ARRAY_STACK));
        used.addAll(JAVA_LANG);
        for (MethodPlan m : methods) {
            for (Optimizer.Optimized g : List.of(m.forward(), m.gradient(), m.vjp())) {
                for (Node n : dev.tapeless.processor.ir.Region.flatten(g.nodes())) {
                    if (n.attrs().callee() != null) {
                        used.add(classNamed.apply(n.attrs().callee().owner()));
                        used.add(classNamed.apply(n.attrs().callee().companion()));
                        used.add(Emitter.CUSTOM);
                    }
                    if (n.op() != Op.FIELD) continue;
                    String q = n.attrs().text();
                    used.add(classNamed.apply(q.substring(0, q.lastIndexOf('.'))));
                }
            }
        }
        Set<String> out = new HashSet<>();
        for (ClassName c : used) {
            out.add(c.topLevelClassName().simpleName());
            if (!c.packageName().isEmpty()) out.add(c.packageName().split("\\.")[0]);
        }
        return out;
    }

    /**
     * The name of each parameter in the generated methods: the source's, unless it is
     * {@link #reserved}, then a fresh one ({@code Math_2}). Parameter names of generated methods are
     * not part of the contract; the record components keep the source's names.
     */
    private Map<String, String> parameterNames(MethodPlan m) {
        Set<String> taken = new HashSet<>(reserved);
        for (Param p : m.params()) taken.add(p.name());
        Names names = new Names(taken);
        Map<String, String> out = new HashMap<>();
        for (Param p : m.params()) out.put(p.name(), reserved.contains(p.name()) ? names.fresh(p.name()) : p.name());
        return out;
    }

    /**
     * A body for the entry point {@code name}, its parameters defined; if it is too long for one
     * method, it is written in parts that share values through a {@code frameType}.
     */
    private BodyWriter newBody(MethodPlan m, Optimizer.Optimized graph, String name, String frameType,
            List<BodyWriter> bodies) {
        Map<String, String> parameters = parameterNames(m);
        BodyWriter body = new BodyWriter(localNames(parameters), classNamed);
        body.splitInto(new Parts.Target(name, companion.nestedClass(frameType), true));
        bodies.add(body);
        for (Node n : graph.nodes()) {
            if (n.op() == Op.PARAM) body.defineParameter(n, parameters.get(n.attrs().text()));
        }
        for (Param p : m.params()) {
            if (p.kind() == Kind.TENSOR) {
                body.statement("$T.requireArgument($N, $S)", Emitter.KERNELS, parameters.get(p.name()), p.name());
            }
        }
        return body;
    }

    private MethodSpec.Builder signature(MethodPlan m, String name, TypeName returns) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(returns);
        Map<String, String> parameters = parameterNames(m);
        for (Param p : m.params()) {
            b.addParameter(ParameterSpec.builder(BodyWriter.javaType(p.kind()), parameters.get(p.name())).build());
        }
        return b;
    }

    /**
     * The value and gradient components, each owned: never sharing a buffer with an external
     * (an argument, a kept field, the upstream adjoint) or with an earlier result. A result that
     * may share one (by the ops that may return an operand, see {@link Op#mayAliasFirstOperand})
     * goes through {@code Kernels.distinct}, which copies only when it actually does.
     */
    private List<CodeBlock> results(BodyWriter body, List<Node> roots, Set<Node> external) {
        List<CodeBlock> out = new ArrayList<>();
        Set<Node> taken = new LinkedHashSet<>();
        for (Node e : external) if (e.kind() == Kind.TENSOR) taken.addAll(Aliasing.sourcesOf(e));
        List<CodeBlock> others = new ArrayList<>();
        for (Node e : external) if (e.kind() == Kind.TENSOR) others.add(body.ref(e));
        for (Node r : roots) {
            CodeBlock ref = body.ref(r);
            if (r.kind() != Kind.TENSOR) {
                out.add(ref);
                continue;
            }
            Set<Node> sources = Aliasing.sourcesOf(r);
            if (sources.stream().anyMatch(x -> x.op() == Op.RESULT)) {
                // A branch's or loop's result may be an argument or an earlier result: copied if it is one.
                body.count(0, 1);
                out.add(others.isEmpty() ? ref : CodeBlock.of("$T.distinct($L)", Emitter.KERNELS,
                        CodeBlock.join(prepend(ref, others), ", ")));
                taken.addAll(sources);
                others.add(ref);
                continue;
            }
            if (taken.contains(r)) { // it is an argument or an earlier result: always a copy
                body.count(1, 1);
                out.add(CodeBlock.of("$L.dup()", ref));
            } else if (sources.stream().anyMatch(taken::contains)) {
                body.count(0, 1);
                out.add(CodeBlock.of("$T.distinct($L)", Emitter.KERNELS, CodeBlock.join(prepend(ref, others), ", ")));
            } else {
                out.add(ref);
            }
            taken.addAll(sources);
            others.add(ref);
        }
        return out;
    }

    private static List<CodeBlock> prepend(CodeBlock first, List<CodeBlock> rest) {
        List<CodeBlock> all = new ArrayList<>();
        all.add(first);
        for (CodeBlock c : rest) if (!c.equals(first)) all.add(c);
        return all;
    }

    /** Arrays the generated code did not make: arguments, and static fields (which the program may still write). */
    private static Set<Node> externals(List<Node> nodes) {
        Set<Node> s = new LinkedHashSet<>();
        for (Node n : nodes) if (n.op() == Op.PARAM || n.op() == Op.FIELD) s.add(n);
        return s;
    }

    private FieldSpec opCounts(MethodPlan m, Counted f, Counted g, VjpParts v) {
        String constant = opsName(m.name());
        return FieldSpec.builder(OP_COUNTS, constant, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("ND4J ops per call of each entry point for {@link $T#$L}: the fewest (shapes agree,\n"
                        + "no broadcasting to undo) and the most (every shape guard takes its slow path); and the\n"
                        + "loops it runs instead, with no ND4J op, where its arguments fit fused loops.\n",
                        source, m.javadocLink())
                .initializer("new $T($L, $L, $L, $L)", OP_COUNTS, opCount(f.fewest, f.most, f.loops, f.called),
                        opCount(g.fewest, g.most, g.loops, g.called),
                        opCount(v.factory.fewest, v.factory.most, Fast.NONE, v.factory.called),
                        opCount(v.pullbackFewest, v.pullbackMost, Fast.NONE, v.pullbackCalled))
                .build();
    }

    /** An entry point's op count, plus those of the companions it calls ({@code OpCount.plus}), in call order. */
    private static CodeBlock opCount(int fewest, int most, Fast fast, List<CodeBlock> called) {
        CodeBlock.Builder b = CodeBlock.builder().add(opCount(fewest, most, fast));
        for (CodeBlock c : called) b.add("\n.plus($L)", c);
        return b.build();
    }

    static final ClassName DIFFERENTIATED_METHOD = ClassName.get("dev.tapeless.runtime.check", "DifferentiatedMethod");
    static final ClassName VARIABLE = ClassName.get("dev.tapeless.runtime", "Variable");

    /**
     * The method and its generated entry points, for checks in a user's tests:
     * {@code GradientCheck.check(SeedDerivatives.LOSS, a, b)}.
     */
    private FieldSpec described(MethodPlan m) {
        List<CodeBlock> params = new ArrayList<>();
        List<CodeBlock> sourceArgs = new ArrayList<>();
        List<CodeBlock> generatedArgs = new ArrayList<>();
        for (int i = 0; i < m.params().size(); i++) {
            Param p = m.params().get(i);
            String kind = p.kind() == Kind.TENSOR && p.differentiable() ? "VARIABLE"
                    : p.kind() == Kind.SCALAR ? "DOUBLE" : p.kind() == Kind.DOUBLE_ARRAY ? "DOUBLE_ARRAY" : "DATA";
            params.add(CodeBlock.of("new $T.Parameter($S, $T.Kind.$L, $L)", DIFFERENTIATED_METHOD, p.name(),
                    DIFFERENTIATED_METHOD, kind, p.differentiated()));
            TypeName generated = BodyWriter.javaType(p.kind());
            sourceArgs.add(CodeBlock.of("($T) args[$L]", kind.equals("VARIABLE") ? VARIABLE : generated, i));
            generatedArgs.add(CodeBlock.of("($T) args[$L]", generated, i));
        }
        CodeBlock sArgs = CodeBlock.join(sourceArgs, ", ");
        CodeBlock gArgs = CodeBlock.join(generatedArgs, ", ");
        CodeBlock sourceCall = m.callable() ? CodeBlock.of("args -> $T.$N($L)", source, m.name(), sArgs) : CodeBlock.of("null");
        String constant = descriptorName(m.name(), reserved);
        return FieldSpec.builder(DIFFERENTIATED_METHOD, constant, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@link $T#$L} and its generated entry points, for checks: {@code GradientCheck.check($L, ...)}.\n",
                        source, m.javadocLink(), constant)
                .initializer(CodeBlock.builder()
                        .add("new $T($S,\n", DIFFERENTIATED_METHOD, source.simpleName() + "." + m.name())
                        .indent().indent()
                        .add("$T.of($L),\n", List.class, CodeBlock.join(params, ",\n"))
                        .add("$L,\n", m.resultKind() == Kind.TENSOR)
                        .add("$L,\n", sourceCall)
                        .add("args -> $N($L),\n", m.name(), gArgs)
                        .add("args -> $NGradient($L),\n", m.name(), gArgs)
                        .add("(args, upstream) -> $NVjp($L).pullback(($T) upstream))", m.name(), gArgs,
                                BodyWriter.javaType(m.resultKind()))
                        .unindent().unindent()
                        .build())
                .build();
    }

    /** For {@code Variable.custom}: the derivative method of each parameter, which a class file cannot say by name. */
    private FieldSpec customDerivatives(MethodPlan m) {
        CodeBlock names = CodeBlock.join(m.customDerivatives().stream()
                .map(d -> d == null ? CodeBlock.of("null") : CodeBlock.of("$S", d)).toList(), ", ");
        return FieldSpec.builder(String[].class, upperSnake(m.name()) + "_DERIVATIVES", Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("The {@code @Derivative} method of each parameter of {@link $T#$L}, in order (null where\n"
                        + "there is none), for the runtime tape ({@code Variable.custom}).\n", source, m.javadocLink())
                .initializer("{$L}", names)
                .build();
    }

    private static CodeBlock opCount(int fewest, int most, Fast fast) {
        if (fast.matrixLoops() + fast.products() > 0) {
            return CodeBlock.of("new $T($L, $L, $L, $L, $L)", OP_COUNT, fewest, most, fast.fused(), fast.matrixLoops(), fast.products());
        }
        return fast.fused() == 0 ? CodeBlock.of("new $T($L, $L)", OP_COUNT, fewest, most)
                : CodeBlock.of("new $T($L, $L, $L)", OP_COUNT, fewest, most, fast.fused());
    }

    private static String wrtList(MethodPlan m) {
        List<String> names = m.differentiated().stream().map(p -> "{@code " + p.name() + "}").toList();
        return names.isEmpty() ? "nothing" : String.join(", ", names);
    }

    static String upperSnake(String camel) {
        return CompanionNames.upperSnake(camel);
    }
}
