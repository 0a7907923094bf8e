package dev.tapeless.processor.opt;

import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which reverse-pass values are exactly zero unless some conditions hold, so that generated code
 * can skip them there. The rules of {@code c ? a : b}, {@code min} and {@code max} give the
 * operand not taken the adjoint {@code c ? 0 : g}; everything the reverse pass then computes from
 * it alone (products with forward values, quotients of it, negations, sums of such values) is
 * zero too, yet straight-line code would compute it all, and a forward value that is infinite there
 * would make it NaN ({@code 0 * inf}). A hand-written adjoint skips that work with an {@code if}.
 *
 * <p>A {@link Gate} is a conjunction of conditions, each with the value under which the value may
 * be nonzero. A selection {@code c ? g : 0} is zero unless c holds and g's gate is on ({@code
 * c ? 0 : g}: unless c does not hold); it is computed under g's gate alone (it costs no more than an
 * {@code if} would). Gates then pass to Java-number nodes of the reverse pass that are linear in
 * gated operands: {@code x * y} and {@code x / y} with x gated and y not, or both with one gate
 * ({@code x * y} only); {@code -x}; {@code x + y}, {@code x - y} and {@code c2 ? x : y} with both
 * gated (the conditions both gates share) or one a constant zero. A sum of a gated value and an
 * ungated one is ungated.
 *
 * <p>Code generation computes a gated value only when its gate is on, and takes it as exactly
 * {@code 0.0} otherwise. That is the value in exact arithmetic; it differs from what straight-line
 * code would compute only in the sign of a zero, or where that code would give NaN from an infinite
 * forward value in the operand not taken.
 */
public final class Gates {

    /** {@code condition} having the value {@code on}. */
    public record Literal(Node condition, boolean on) {}

    /** Conditions that must all hold for a value to be nonzero; compared as a set, written in order. */
    public record Gate(Set<Literal> literals) {
        static Gate of(Literal l) {
            return new Gate(Set.of(l));
        }

        Gate and(Literal l) {
            Set<Literal> s = new LinkedHashSet<>(literals);
            s.add(l);
            return new Gate(Collections.unmodifiableSet(s));
        }

        /** The conditions both gates share, or null when none. */
        Gate common(Gate other) {
            Set<Literal> s = new LinkedHashSet<>(literals);
            s.retainAll(other.literals);
            return s.isEmpty() ? null : new Gate(Collections.unmodifiableSet(s));
        }
    }

    /** The gate each node is computed under. */
    private final Map<Node, Gate> computed = new HashMap<>();
    /** The gate outside which each node is zero (wider than {@link #computed} for a selection). */
    private final Map<Node, Gate> zeroOutside = new HashMap<>();

    private Gates() {}

    /** Gates the nodes of {@code nodes} (in topological order, as an optimized graph lists them). */
    public static Gates of(List<Node> nodes) {
        Gates g = new Gates();
        for (Node n : nodes) {
            if (n.kind() != Kind.SCALAR || !n.origin().adjoint() || n.op().isLeaf()) continue;
            g.gate(n);
        }
        return g;
    }

    /** No node is gated: straight-line code. */
    public static Gates none() {
        return new Gates();
    }

    /** The gate under which {@code n} is computed, or null when it is computed unconditionally. */
    public Gate of(Node n) {
        return computed.get(n);
    }

    private void gate(Node n) {
        if (n.op() == Op.SELECT && (isZero(n.in(1)) != isZero(n.in(2)))) {
            boolean on = isZero(n.in(2));
            Node g = n.in(on ? 1 : 2);
            Gate inner = zeroOutside.get(g);
            Literal l = new Literal(n.in(0), on);
            if (inner != null) computed.put(n, inner);
            zeroOutside.put(n, inner == null ? Gate.of(l) : inner.and(l));
            return;
        }
        Gate gate = switch (n.op()) {
            case MUL -> {
                Gate a = zeroOutside.get(n.in(0));
                Gate b = zeroOutside.get(n.in(1));
                yield a == null ? b : b == null || a.equals(b) ? a : null;
            }
            case DIV -> zeroOutside.get(n.in(1)) == null ? zeroOutside.get(n.in(0)) : null; // x / 0 is no zero
            case NEG -> zeroOutside.get(n.in(0));
            case ADD, SUB -> common(n.in(0), n.in(1));
            case SELECT -> common(n.in(1), n.in(2));
            default -> null;
        };
        if (gate != null) {
            computed.put(n, gate);
            zeroOutside.put(n, gate);
        }
    }

    /** The gate both values share, one of them possibly a constant zero; null if there is none. */
    private Gate common(Node x, Node y) {
        Gate a = zeroOutside.get(x);
        Gate b = zeroOutside.get(y);
        if (a != null && b != null) return a.common(b);
        if (a != null && isZero(y)) return a;
        if (b != null && isZero(x)) return b;
        return null;
    }

    private static boolean isZero(Node n) {
        return n.op() == Op.CONST && n.attrs().number() == 0;
    }
}
