package dev.tapeless.processor.frontend;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import dev.tapeless.processor.diagnostics.CompileError;
import dev.tapeless.processor.diagnostics.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code @Differentiable} methods of local classes, anonymous classes and enum constants'
 * bodies, by syntax: javac does not list them among a round's annotated elements, so without this
 * they would get neither a companion nor an error. The companion could not name them anyway.
 */
public final class HiddenMethods extends TreePathScanner<Void, Void> {
    private static final String ANNOTATION = "dev.tapeless.Differentiable";

    private final CompilationUnitTree unit;
    private final boolean simpleNameMeansOurs;
    private final List<CompileError> found = new ArrayList<>();

    private HiddenMethods(CompilationUnitTree unit) {
        this.unit = unit;
        this.simpleNameMeansOurs = importsAnnotation(unit);
    }

    /** One error per {@code @Differentiable} method of {@code unit} that no companion can call. */
    public static List<CompileError> in(CompilationUnitTree unit) {
        HiddenMethods scan = new HiddenMethods(unit);
        scan.scan(unit, null);
        return scan.found;
    }

    private static boolean importsAnnotation(CompilationUnitTree unit) {
        String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
        if (pkg.equals("dev.tapeless")) return true;
        for (ImportTree imp : unit.getImports()) {
            String q = imp.getQualifiedIdentifier().toString();
            if (!imp.isStatic() && (q.equals(ANNOTATION) || q.equals("dev.tapeless.*"))) return true;
        }
        return false;
    }

    @Override
    public Void visitMethod(MethodTree method, Void unused) {
        if (isAnnotated(method)) {
            String where = hiddenClass(getCurrentPath());
            if (where != null) found.add(new CompileError(method, unit, Message.UNREACHABLE_CLASS, method.getName(), where));
        }
        return super.visitMethod(method, unused);
    }

    private boolean isAnnotated(MethodTree method) {
        for (AnnotationTree a : method.getModifiers().getAnnotations()) {
            String name = a.getAnnotationType().toString();
            if (name.equals(ANNOTATION) || (simpleNameMeansOurs && name.equals("Differentiable"))) return true;
        }
        return false;
    }

    /**
     * "a local class", "an anonymous class" or "the body of enum constant A": the innermost class
     * around the method that has no canonical name; null if every class around it has one.
     */
    private static String hiddenClass(TreePath method) {
        for (TreePath p = method.getParentPath(); p != null; p = p.getParentPath()) {
            if (!(p.getLeaf() instanceof ClassTree)) continue;
            TreePath parent = p.getParentPath();
            if (parent == null) return null;
            Tree up = parent.getLeaf();
            if (up instanceof NewClassTree) {
                TreePath grand = parent.getParentPath();
                if (grand != null && grand.getLeaf() instanceof VariableTree v && v.getInitializer() == up
                        && grand.getParentPath() != null && grand.getParentPath().getLeaf().getKind() == Tree.Kind.ENUM) {
                    return "the body of enum constant " + v.getName();
                }
                return "an anonymous class";
            }
            if (!(up instanceof ClassTree) && !(up instanceof CompilationUnitTree)) return "a local class";
        }
        return null;
    }
}
