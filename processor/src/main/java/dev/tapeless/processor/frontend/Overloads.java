package dev.tapeless.processor.frontend;

import dev.tapeless.processor.ir.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Chooses the method a call invokes among overloads, as javac does (JLS 15.12.2): the methods
 * applicable by strict invocation (identity and primitive widening), else by loose invocation
 * (boxing too); among those, the most specific. Arguments are known by their kind, which is all a
 * well-typed call of the supported language needs (a {@code Variable} or {@code INDArray}
 * argument is a tensor).
 */
final class Overloads {
    private Overloads() {}

    /** The outcome: the method chosen, or null with the applicable ones (none, or several equally specific). */
    record Choice(ExecutableElement method, List<ExecutableElement> applicable) {}

    private static final Set<String> BOXES_OF_NUMBERS = Set.of(
            "java.lang.Number", "java.lang.Object", "java.io.Serializable", "java.lang.Comparable",
            "java.lang.constant.Constable", "java.lang.constant.ConstantDesc");

    static Choice choose(List<ExecutableElement> candidates, List<Kind> args) {
        for (boolean loose : new boolean[] {false, true}) {
            List<ExecutableElement> applicable = new ArrayList<>();
            for (ExecutableElement m : candidates) {
                if (isApplicable(m, args, loose)) applicable.add(m);
            }
            if (applicable.isEmpty()) continue;
            List<ExecutableElement> best = new ArrayList<>();
            for (ExecutableElement m : applicable) {
                boolean maximal = true;
                for (ExecutableElement other : applicable) {
                    if (other != m && isMoreSpecific(other, m) && !isMoreSpecific(m, other)) maximal = false;
                }
                if (maximal) best.add(m);
            }
            return new Choice(best.size() == 1 ? best.get(0) : null, best);
        }
        return new Choice(null, List.of());
    }

    private static boolean isApplicable(ExecutableElement m, List<Kind> args, boolean loose) {
        if (m.getParameters().size() != args.size()) return false;
        for (int i = 0; i < args.size(); i++) {
            TypeMirror p = m.getParameters().get(i).asType();
            if (!accepts(p, args.get(i), loose)) return false;
        }
        return true;
    }

    /** Whether a parameter of type {@code p} accepts an argument of kind {@code k}. */
    private static boolean accepts(TypeMirror p, Kind k, boolean loose) {
        TypeKind t = p.getKind();
        switch (k) {
            case BOOL:
                return t == TypeKind.BOOLEAN || loose && isDeclared(p, "java.lang.Boolean", "java.lang.Object",
                        "java.io.Serializable", "java.lang.Comparable", "java.lang.constant.Constable");
            case INT:
                if (t == TypeKind.INT || t == TypeKind.LONG || t == TypeKind.FLOAT || t == TypeKind.DOUBLE) return true;
                return loose && (isDeclared(p, "java.lang.Integer") || isBoxSupertype(p));
            case LONG:
                if (t == TypeKind.LONG || t == TypeKind.FLOAT || t == TypeKind.DOUBLE) return true;
                return loose && (isDeclared(p, "java.lang.Long") || isBoxSupertype(p));
            case SCALAR:
                if (t == TypeKind.DOUBLE) return true;
                return loose && (isDeclared(p, "java.lang.Double") || isBoxSupertype(p));
            case TENSOR:
                return isDeclared(p, Vocabulary.VARIABLE, Vocabulary.INDARRAY, "java.lang.Object");
            case DOUBLE_ARRAY, INT_ARRAY, LONG_ARRAY, BOOL_ARRAY, DOUBLE_MATRIX:
                return Frontend.arrayKind(p) == k || isDeclared(p, "java.lang.Object");
            default:
                return false;
        }
    }

    private static boolean isBoxSupertype(TypeMirror p) {
        return p.getKind() == TypeKind.DECLARED && BOXES_OF_NUMBERS.contains(Frontend.qualifiedName(p));
    }

    private static boolean isDeclared(TypeMirror p, String... names) {
        if (p.getKind() != TypeKind.DECLARED) return false;
        String n = Frontend.qualifiedName(p);
        for (String x : names) if (x.equals(n)) return true;
        return false;
    }

    /** Whether every parameter type of {@code a} is a subtype of {@code b}'s (JLS 15.12.2.5). */
    private static boolean isMoreSpecific(ExecutableElement a, ExecutableElement b) {
        for (int i = 0; i < a.getParameters().size(); i++) {
            if (!isSubtype(a.getParameters().get(i).asType(), b.getParameters().get(i).asType())) return false;
        }
        return true;
    }

    private static boolean isSubtype(TypeMirror a, TypeMirror b) {
        if (a.getKind().isPrimitive() && b.getKind().isPrimitive()) {
            return a.getKind() == b.getKind() || rank(a.getKind()) >= 0 && rank(a.getKind()) < rank(b.getKind())
                    && !(a.getKind() == TypeKind.CHAR && rank(b.getKind()) < rank(TypeKind.INT));
        }
        if (a.getKind() == TypeKind.ARRAY) return a.toString().equals(b.toString()) || isDeclared(b, "java.lang.Object");
        if (a.getKind() == TypeKind.DECLARED && b.getKind() == TypeKind.DECLARED) {
            String sub = Frontend.qualifiedName(a);
            String sup = Frontend.qualifiedName(b);
            return sub.equals(sup) || sup.equals("java.lang.Object") || sup.equals("java.lang.Number") && sub.startsWith("java.lang.");
        }
        return false;
    }

    /** The order of primitive widening (JLS 5.1.2): byte < short < int < long < float < double; char < int. */
    private static int rank(TypeKind k) {
        return switch (k) {
            case BYTE -> 0;
            case SHORT, CHAR -> 1;
            case INT -> 2;
            case LONG -> 3;
            case FLOAT -> 4;
            case DOUBLE -> 5;
            default -> -1;
        };
    }
}
