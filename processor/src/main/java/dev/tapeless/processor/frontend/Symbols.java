package dev.tapeless.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Resolves the names a method body uses, without attributing it (javac has not yet): types by
 * the compilation unit's imports, its package and {@code java.lang}; static fields and methods by
 * the enclosing classes, their superclasses and static imports.
 */
final class Symbols {
    private final Elements elements;
    private final CompilationUnitTree unit;
    private final TypeElement owner;

    Symbols(Elements elements, CompilationUnitTree unit, TypeElement owner) {
        this.elements = elements;
        this.unit = unit;
        this.owner = owner;
    }

    TypeElement owner() {
        return owner;
    }

    /** The type a name or qualified name denotes, or null. */
    TypeElement type(Tree name) {
        if (name instanceof IdentifierTree id) return simpleType(id.getName().toString());
        if (name instanceof MemberSelectTree sel) {
            TypeElement qualified = elements.getTypeElement(sel.toString());
            if (qualified != null) return qualified;
            TypeElement outer = type(sel.getExpression());
            if (outer != null) return memberType(outer, sel.getIdentifier().toString());
        }
        return null;
    }

    private TypeElement simpleType(String name) {
        for (TypeElement t = owner; t != null; t = enclosingType(t)) {
            if (t.getSimpleName().contentEquals(name)) return t;
            TypeElement member = memberType(t, name);
            if (member != null) return member;
        }
        for (ImportTree imp : unit.getImports()) {
            if (imp.isStatic()) continue;
            String q = imp.getQualifiedIdentifier().toString();
            if (q.endsWith("." + name)) {
                TypeElement t = elements.getTypeElement(q);
                if (t != null) return t;
            }
        }
        String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
        TypeElement samePackage = elements.getTypeElement(pkg.isEmpty() ? name : pkg + "." + name);
        if (samePackage != null) return samePackage;
        for (ImportTree imp : unit.getImports()) {
            String q = imp.getQualifiedIdentifier().toString();
            if (imp.isStatic() || !q.endsWith(".*")) continue;
            TypeElement t = elements.getTypeElement(q.substring(0, q.length() - 2) + "." + name);
            if (t != null) return t;
        }
        return elements.getTypeElement("java.lang." + name);
    }

    /** A member type of {@code t}: its own, or one it inherits from a superclass or superinterface. */
    private static TypeElement memberType(TypeElement t, String name) {
        for (Element e : t.getEnclosedElements()) {
            if (e instanceof TypeElement m && m.getSimpleName().contentEquals(name)) return m;
        }
        List<TypeMirror> supers = new ArrayList<>(t.getInterfaces());
        supers.add(0, t.getSuperclass());
        for (TypeMirror s : supers) {
            if (s instanceof DeclaredType d && d.asElement() instanceof TypeElement st) {
                TypeElement inherited = memberType(st, name);
                if (inherited != null) return inherited;
            }
        }
        return null;
    }

    private static TypeElement enclosingType(TypeElement t) {
        Element e = t.getEnclosingElement();
        return e instanceof TypeElement te ? te : null;
    }

    /** A static field visible by its simple name: in the enclosing classes, or statically imported. */
    VariableElement staticField(String name) {
        for (TypeElement t = owner; t != null; t = enclosingType(t)) {
            VariableElement f = staticField(t, name);
            if (f != null) return f;
        }
        for (boolean onDemand : new boolean[] {false, true}) { // single-static imports first (JLS 6.4.1)
            for (TypeElement t : staticImportsOf(name, onDemand)) {
                VariableElement f = staticField(t, name);
                if (f != null) return f;
            }
        }
        return null;
    }

    /** A static field of {@code type}, its superclasses or its superinterfaces (whose fields are constants). */
    VariableElement staticField(TypeElement type, String name) {
        if (type == null) return null;
        for (Element e : type.getEnclosedElements()) {
            if (e.getKind() == ElementKind.FIELD && e.getSimpleName().contentEquals(name)
                    && e.getModifiers().contains(Modifier.STATIC)) {
                return (VariableElement) e;
            }
        }
        VariableElement inherited = staticField(superclass(type), name);
        if (inherited != null) return inherited;
        for (TypeMirror i : type.getInterfaces()) {
            if (i instanceof DeclaredType d && d.asElement() instanceof TypeElement it) {
                VariableElement f = staticField(it, name);
                if (f != null) return f;
            }
        }
        return null;
    }

    /**
     * The methods a simple name can call (JLS 15.12.1): those of the innermost enclosing class that
     * has a method of that name, else the statically imported ones.
     */
    List<ExecutableElement> staticMethods(String name) {
        for (TypeElement t = owner; t != null; t = enclosingType(t)) {
            List<ExecutableElement> found = staticMethods(t, name);
            if (!found.isEmpty()) return found;
        }
        // Single-static imports shadow on-demand ones (JLS 6.4.1); the members of each group are
        // overloads of one another, whichever type they come from (JLS 15.12.1).
        for (boolean onDemand : new boolean[] {false, true}) {
            List<ExecutableElement> found = new ArrayList<>();
            for (TypeElement t : staticImportsOf(name, onDemand)) found.addAll(staticMethods(t, name));
            if (!found.isEmpty()) return found;
        }
        return List.of();
    }

    /**
     * The methods named {@code name} that are members of {@code type}: its own and those it
     * inherits from its superclasses, a subclass's method hiding one of the same parameter types.
     * (Static methods of interfaces are not inherited.)
     */
    List<ExecutableElement> staticMethods(TypeElement type, String name) {
        List<ExecutableElement> out = new ArrayList<>();
        for (TypeElement t = type; t != null; t = superclass(t)) {
            for (Element e : t.getEnclosedElements()) {
                if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(name)
                        && out.stream().noneMatch(m -> sameParameterTypes(m, (ExecutableElement) e))) {
                    out.add((ExecutableElement) e);
                }
            }
        }
        return out;
    }

    private static boolean sameParameterTypes(ExecutableElement a, ExecutableElement b) {
        if (a.getParameters().size() != b.getParameters().size()) return false;
        for (int i = 0; i < a.getParameters().size(); i++) {
            if (!a.getParameters().get(i).asType().toString().equals(b.getParameters().get(i).asType().toString())) {
                return false;
            }
        }
        return true;
    }

    /** The types statically imported for {@code name}: by single-static imports of it, or on demand. */
    private List<TypeElement> staticImportsOf(String name, boolean onDemand) {
        List<TypeElement> out = new ArrayList<>();
        for (ImportTree imp : unit.getImports()) {
            if (!imp.isStatic()) continue;
            String q = imp.getQualifiedIdentifier().toString();
            int dot = q.lastIndexOf('.');
            String member = q.substring(dot + 1);
            if (onDemand ? member.equals("*") : member.equals(name)) {
                TypeElement t = elements.getTypeElement(q.substring(0, dot));
                if (t != null) out.add(t);
            }
        }
        return out;
    }

    private TypeElement superclass(TypeElement t) {
        TypeMirror s = t.getSuperclass();
        if (s.getKind() != TypeKind.DECLARED) return null;
        Element e = ((DeclaredType) s).asElement();
        return e instanceof TypeElement te && !te.getQualifiedName().contentEquals("java.lang.Object") ? te : null;
    }

    String packageOf(Element t) {
        PackageElement p = elements.getPackageOf(t);
        return p.getQualifiedName().toString();
    }

    Object constantValue(VariableElement field) {
        return field.getConstantValue();
    }
}
