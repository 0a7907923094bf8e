package dev.tapeless.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.tapeless.processor.codegen.CompanionWriter;
import dev.tapeless.processor.codegen.MethodPlan;
import dev.tapeless.processor.diagnostics.CompileError;
import dev.tapeless.processor.diagnostics.Message;
import dev.tapeless.processor.diagnostics.Reporter;
import dev.tapeless.processor.frontend.Frontend;
import dev.tapeless.processor.frontend.HiddenMethods;
import dev.tapeless.processor.ir.Dot;
import dev.tapeless.processor.ir.Printer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Finds the {@code @Differentiable} methods of each class, runs each through the pipeline
 * (frontend, reverse mode, optimizer, code generator) and writes one companion per class. An error
 * in a method is reported where it is and stops that class's companion only; nothing ever throws
 * out of {@link #process}.
 */
@AutoService(Processor.class)
public final class TapelessProcessor extends AbstractProcessor {
    static final String ANNOTATION = "dev.tapeless.Differentiable";
    /** {@code -Atapeless.printIr}: print each method's IR (as read, and its optimized gradient) as a note. */
    static final String PRINT_IR = "tapeless.printIr";
    /** {@code -Atapeless.graph=DIR}: write each method's gradient as a Graphviz graph, {@code DIR/Class.method.dot}. */
    static final String GRAPH = "tapeless.graph";

    private Trees trees;
    private String treesProblem;
    /** Compilation units already searched for {@link HiddenMethods}. */
    private final Set<CompilationUnitTree> scanned = new HashSet<>();
    /** The class each companion written so far belongs to, by the companion's name. */
    private final Map<String, TypeElement> companions = new HashMap<>();

    /**
     * Every annotation, not only {@code @Differentiable}: javac does not count annotations of
     * methods in local and anonymous classes, and would not run the processor for a compilation
     * whose only {@code @Differentiable} methods are there, which must be errors. The processor
     * claims nothing ({@link #process} returns false), so other processors see every annotation.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*");
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(PRINT_IR, GRAPH);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        try {
            trees = Trees.instance(unwrap(env));
        } catch (RuntimeException | LinkageError e) {
            trees = null;
            treesProblem = e.toString();
        }
    }

    /**
     * javac's own environment, under the wrappers that Gradle and IntelliJ put around it (they keep
     * it in a field); {@code Trees.instance} rejects the wrappers. Only trees come from it: files
     * are still written through the wrapper's Filer, so incremental builds see them.
     */
    static ProcessingEnvironment unwrap(ProcessingEnvironment env) {
        ProcessingEnvironment current = env;
        for (int depth = 0; depth < 5; depth++) {
            if (current.getClass().getName().startsWith("com.sun.tools.javac.")) return current;
            ProcessingEnvironment inner = delegateOf(current);
            if (inner == null) return current;
            current = inner;
        }
        return current;
    }

    private static ProcessingEnvironment delegateOf(ProcessingEnvironment env) {
        for (Class<?> c = env.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (!ProcessingEnvironment.class.isAssignableFrom(f.getType())) continue;
                try {
                    f.setAccessible(true);
                    Object v = f.get(env);
                    if (v instanceof ProcessingEnvironment p && p != env) return p;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null; // not accessible: Trees.instance will say so
                }
            }
        }
        return null;
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
            if (annotation == null) return false;
            Reporter reporter = new Reporter(processingEnv.getMessager(), trees);
            if (trees != null) reportHiddenMethods(round, reporter);
            reportOrphanDerivatives(round, reporter);
            Set<? extends Element> marked = round.getElementsAnnotatedWith(annotation);
            if (marked.isEmpty()) return false;
            if (trees == null) {
                for (Element e : marked) reporter.error(e, Message.NO_TREES, treesProblem);
                return false;
            }
            for (Map.Entry<TypeElement, List<ExecutableElement>> c : byClass(marked).entrySet()) {
                processClass(c.getKey(), c.getValue(), reporter);
            }
        } catch (Throwable t) { // the processor must never take javac down
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    Message.INTERNAL.format("this round", stackTrace(t)));
        }
        return false;
    }

    /** Errors for the {@code @Derivative} methods whose {@code of} names no {@code @Differentiable} method of their class. */
    private void reportOrphanDerivatives(RoundEnvironment round, Reporter reporter) {
        TypeElement derivative = processingEnv.getElementUtils().getTypeElement("dev.tapeless.Derivative");
        if (derivative == null) return;
        for (Element e : round.getElementsAnnotatedWith(derivative)) {
            String of = e.getAnnotation(dev.tapeless.Derivative.class).of();
            boolean found = e.getEnclosingElement().getEnclosedElements().stream()
                    .anyMatch(m -> m.getKind() == ElementKind.METHOD && m.getSimpleName().contentEquals(of)
                            && m.getAnnotation(dev.tapeless.Differentiable.class) != null);
            if (!found) reporter.error(e, Message.DERIVATIVE_OF_UNKNOWN, of, e.getEnclosingElement().getSimpleName());
        }
    }

    /** Errors for the {@code @Differentiable} methods that the round does not list ({@link HiddenMethods}). */
    private void reportHiddenMethods(RoundEnvironment round, Reporter reporter) {
        for (Element root : round.getRootElements()) {
            TreePath path = trees.getPath(root);
            if (path == null || !scanned.add(path.getCompilationUnit())) continue;
            for (CompileError e : HiddenMethods.in(path.getCompilationUnit())) reporter.error(e, root);
        }
    }

    private static Map<TypeElement, List<ExecutableElement>> byClass(Set<? extends Element> marked) {
        Map<TypeElement, List<ExecutableElement>> out = new LinkedHashMap<>();
        for (Element e : marked) {
            if (e.getKind() != ElementKind.METHOD) continue; // javac enforces @Target
            out.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>()).add((ExecutableElement) e);
        }
        return out;
    }

    private void processClass(TypeElement type, List<ExecutableElement> methods, Reporter reporter) {
        int errorsBefore = reporter.errorCount();
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            // Not listed by javac today (HiddenMethods finds them), but should a compiler list them:
            for (ExecutableElement m : methods) {
                reporter.error(m, Message.UNREACHABLE_CLASS, m.getSimpleName(),
                        type.getNestingKind() == NestingKind.LOCAL ? "a local class" : "an anonymous class");
            }
            return;
        }
        if (!type.getTypeParameters().isEmpty()) {
            for (ExecutableElement m : methods) reporter.error(m, Message.GENERIC_CLASS, m.getSimpleName(), type.getSimpleName());
            return;
        }
        ClassName source = ClassName.get(type);
        if (!companionNameIsFree(type, CompanionWriter.companionOf(source), reporter)) return;
        Map<String, Integer> names = new HashMap<>();
        for (ExecutableElement m : methods) names.merge(m.getSimpleName().toString(), 1, Integer::sum);
        Frontend frontend = new Frontend(trees, processingEnv.getElementUtils());
        List<MethodPlan> plans = new ArrayList<>();
        Map<String, Claim> members = new HashMap<>();
        for (ExecutableElement m : methods) {
            if (names.get(m.getSimpleName().toString()) > 1) {
                reporter.error(m, Message.OVERLOADED, m.getSimpleName());
                continue;
            }
            if (!membersAreFree(m, members, reporter)) continue;
            try {
                MethodPlan plan = Pipeline.plan(frontend.read(m), processingEnv.getOptions().containsKey(PRINT_IR));
                plans.add(plan);
                String graphs = processingEnv.getOptions().get(GRAPH);
                if (graphs != null) writeGraph(graphs, type, m, plan, reporter);
                if (processingEnv.getOptions().containsKey(PRINT_IR)) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "Tapeless IR of " + m.getSimpleName()
                            + ":\n" + plan.ir() + "gradient, optimized:\n" + Printer.print(plan.gradient().nodes(),
                            plan.gradient().roots()), m);
                }
            } catch (CompileError e) {
                reporter.error(e, m);
            } catch (RuntimeException | StackOverflowError e) {
                reporter.error(m, Message.INTERNAL, m.getSimpleName(), stackTrace(e));
            }
        }
        if (reporter.errorCount() > errorsBefore) return; // no half-written companion
        JavaFile file;
        try {
            file = CompanionWriter.write(source, plans, TapelessProcessor.class.getName(), type,
                    processingEnv.getElementUtils());
        } catch (CompanionWriter.TooLarge e) {
            reporter.error(methodNamed(methods, e.method()), e.message(), e.args());
            return;
        } catch (CompanionWriter.MethodFailure e) {
            reporter.error(methodNamed(methods, e.method()), Message.INTERNAL, e.method(), stackTrace(e.getCause()));
            return;
        } catch (RuntimeException e) {
            reporter.error(type, Message.INTERNAL, type.getSimpleName(), stackTrace(e));
            return;
        }
        try {
            file.writeTo(processingEnv.getFiler());
        } catch (IOException | RuntimeException e) {
            reporter.error(type, Message.WRITE_FAILED, CompanionWriter.companionOf(source), e.getMessage());
        }
    }

    /** {@code DIR/p.C.f.dot}: the gradient of {@code f} as a Graphviz graph ({@link Dot}). */
    private void writeGraph(String dir, TypeElement type, ExecutableElement m, MethodPlan plan, Reporter reporter) {
        String title = type.getSimpleName() + "." + m.getSimpleName();
        java.nio.file.Path file = java.nio.file.Path.of(dir, type.getQualifiedName() + "." + m.getSimpleName() + ".dot");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, Dot.of(title, plan.gradient().nodes(), plan.gradient().roots()));
        } catch (IOException | RuntimeException e) {
            reporter.error(m, Message.GRAPH_WRITE_FAILED, file, e.getMessage());
        }
    }

    /** A companion member, and the method it is generated for. */
    private record Claim(CompanionWriter.Member member, ExecutableElement method) {}

    /**
     * Whether the members that {@code m} needs in the companion are free, and if so claims them;
     * if not, reports which one clashes with which other method's. Nested classes compare without
     * case: their class files would clash on macOS's and Windows' file systems.
     */
    private boolean membersAreFree(ExecutableElement m, Map<String, Claim> members, Reporter reporter) {
        List<CompanionWriter.Member> needed = CompanionWriter.members(m.getSimpleName().toString(), usesArrays(m));
        for (CompanionWriter.Member n : needed) {
            Claim other = members.get(n.key());
            if (other == null) continue;
            String sameCase = other.member().name().equals(n.name()) ? ""
                    : " as '" + other.member().name() + "' (class files whose names differ only in case clash on"
                            + " case-insensitive file systems)";
            reporter.error(m, Message.MEMBER_CLASH, m.getSimpleName(), n.kind(), n.name(),
                    other.method().getSimpleName(), sameCase);
            return false;
        }
        for (CompanionWriter.Member n : needed) members.put(n.key(), new Claim(n, m));
        return true;
    }

    private static boolean usesArrays(ExecutableElement m) {
        List<javax.lang.model.type.TypeMirror> types = new ArrayList<>();
        types.add(m.getReturnType());
        for (javax.lang.model.element.VariableElement p : m.getParameters()) types.add(p.asType());
        for (javax.lang.model.type.TypeMirror t : types) {
            String name = t.toString();
            if (name.equals("dev.tapeless.runtime.Variable") || name.equals("org.nd4j.linalg.api.ndarray.INDArray")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code companion} can be written for {@code type}: not the companion of another class
     * already, and not the name of a class of the sources (one Tapeless wrote itself, left over
     * from an earlier build, is the filer's business).
     */
    private boolean companionNameIsFree(TypeElement type, ClassName companion, Reporter reporter) {
        TypeElement earlier = companions.get(companion.canonicalName());
        if (earlier != null && !earlier.equals(type)) {
            reporter.error(type, Message.COMPANION_CLASH, type.getQualifiedName(), companion.canonicalName(),
                    earlier.getQualifiedName());
            return false;
        }
        TypeElement existing = processingEnv.getElementUtils().getTypeElement(companion.canonicalName());
        if (earlier == null && existing != null && trees.getPath(existing) != null && !writtenByTapeless(existing)) {
            reporter.error(type, Message.COMPANION_EXISTS, companion.canonicalName(), type.getQualifiedName());
            return false;
        }
        companions.put(companion.canonicalName(), type);
        return true;
    }

    private static boolean writtenByTapeless(TypeElement t) {
        return t.getAnnotationMirrors().stream().anyMatch(a -> a.getAnnotationType().toString()
                .equals("javax.annotation.processing.Generated") && a.toString().contains(TapelessProcessor.class.getName()));
    }

    private static ExecutableElement methodNamed(List<ExecutableElement> methods, String name) {
        return methods.stream().filter(m -> m.getSimpleName().contentEquals(name)).findFirst().orElse(methods.get(0));
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
