package dev.tapeless.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pass of a tensor method as Java loops over the arrays' elements, when every value in it is
 * elementwise arithmetic on the tensor parameters, a full reduction ({@code sum}, {@code mean}), or a
 * Java number. Under the run-time guard {@code Dense.fits(parameters...)} (one shape, one data type,
 * row-major and contiguous, host memory), every tensor value has the parameters' shape or is
 * rank 0, so the broadcasts and the sums that undo them ({@code expandLike}, {@code sumTo}) are the
 * identity or a full sum, and the whole pass is loops of arithmetic on doubles: one loop for all
 * that reads no reduction, one more after each reduction that later values read (those loops
 * compute again the elementwise values they need rather than keep them). Everything else keeps the
 * ND4J path, which the companion writes after the fused one.
 */
final class FusedLoops extends LoopWriter {
    static final ClassName DENSE = ClassName.get("dev.tapeless.runtime.support", "Dense");
    static final ClassName ELEMENTS = DENSE.nestedClass("Elements");
    /** A larger pass keeps the ND4J path only: its fused copy could push the method past the JVM's 64 KB. */
    static final int MAX_NODES = 400;

    /**
     * The fused pass: {@code guard} (a boolean expression), then {@code body}, after which
     * {@code outputs} are the roots' values (fresh arrays for tensors).
     */
    record Fused(CodeBlock guard, CodeBlock body, List<CodeBlock> outputs, int loops) {}

    /** Whether a value has the parameters' shape (one per element), or is one number. */
    private final Map<Node, Boolean> elementwise = new HashMap<>();
    /** For a value with the parameters' shape: the loop that computes it; for a number: the first loop after which it is known. */
    private final Map<Node, Integer> at = new HashMap<>();
    private final Set<Node> written = new HashSet<>();
    private CodeBlock length;

    private FusedLoops(List<Node> nodes, Map<Node, CodeBlock> parameters, Names names) {
        super(nodes, parameters, names, "fused loops");
    }

    /**
     * The fused form of the pass {@code nodes} computing {@code roots}, or null when it has none.
     *
     * @param mustBeElementwise for each root, whether it must have the parameters' shape (the
     *     gradient of a tensor parameter) or must be one number (a value checked to be a scalar)
     *     or may be either (null)
     */
    static Fused write(List<Node> nodes, List<Node> roots, List<Boolean> mustBeElementwise, Map<Node, CodeBlock> parameters,
            Names names) {
        return write(nodes, roots, mustBeElementwise, parameters, names, null);
    }

    /**
     * As above, writing each tensor root into the array {@code into} gives for it (a rank-0 one
     * for a number) instead of a new array; null entries, or a null list, get new arrays.
     */
    static Fused write(List<Node> nodes, List<Node> roots, List<Boolean> mustBeElementwise, Map<Node, CodeBlock> parameters,
            Names names, List<CodeBlock> into) {
        if (nodes.size() > MAX_NODES) return null;
        for (Node n : nodes) if (n.op().hasRegions()) return null;
        return new FusedLoops(nodes, parameters, names).write(roots, mustBeElementwise, into);
    }

    private Fused write(List<Node> roots, List<Boolean> mustBeElementwise, List<CodeBlock> into) {
        Set<Node> needed = new HashSet<>(roots);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (!needed.contains(n)) continue;
            needed.addAll(n.inputs()); // values, and the values whose shape is taken: classified too
        }
        List<Node> tensorParameters = new ArrayList<>();
        for (Node n : nodes) {
            if (!needed.contains(n)) continue;
            Boolean e = classify(n);
            if (e == null) return null;
            elementwise.put(n, e);
            if (n.op() == Op.PARAM && e) tensorParameters.add(n);
        }
        for (Node r : roots) if (!elementwise.containsKey(r)) return null;
        if (tensorParameters.isEmpty()) return null;
        for (int i = 0; i < roots.size(); i++) {
            Boolean must = mustBeElementwise.get(i);
            if (must != null && must != elementwise.get(roots.get(i))) return null;
        }
        for (Node n : nodes) if (elementwise.containsKey(n)) at.put(n, timing(n));

        // The loops: each ends with the reductions of its values and writes the roots made in it.
        int loops = 0;
        for (Node n : nodes) {
            if (!elementwise.containsKey(n)) continue;
            if (isReduction(n)) loops = Math.max(loops, at.get(n));
        }
        for (Node r : roots) if (elementwise.get(r)) loops = Math.max(loops, at.get(r) + 1);
        if (loops == 0) return null;

        Node first = tensorParameters.get(0);
        CodeBlock guard = CodeBlock.of("$T.fits($L)", DENSE,
                CodeBlock.join(tensorParameters.stream().map(parameters::get).toList(), ", "));
        length = CodeBlock.of("$N", names.fresh("length"));
        out.addStatement("long $L = $L.length()", length, parameters.get(first));
        Map<Node, CodeBlock> data = new HashMap<>();
        for (Node p : tensorParameters) {
            CodeBlock d = CodeBlock.of("$N", names.fresh(p.attrs().text() + "Data"));
            out.addStatement("$T $L = $T.of($L)", ELEMENTS, d, DENSE, parameters.get(p));
            data.put(p, d);
        }
        List<CodeBlock> outputs = new ArrayList<>();
        List<CodeBlock> outputData = new ArrayList<>();
        for (Node r : roots) {
            if (!elementwise.get(r)) {
                outputs.add(null);
                outputData.add(null);
                continue;
            }
            String base = !r.name().startsWith("$") ? r.name() : outputs.isEmpty() ? "value" : "out";
            CodeBlock array = CodeBlock.of("$N", names.fresh(base));
            CodeBlock d = CodeBlock.of("$N", names.fresh(base + "Data"));
            CodeBlock target = into == null ? null : into.get(outputs.size());
            out.addStatement("$T $L = $L", Emitter.INDARRAY, array, target != null ? target
                    : CodeBlock.of("$T.like($L)", DENSE, parameters.get(first)));
            out.addStatement("$T $L = $T.of($L)", ELEMENTS, d, DENSE, array);
            outputs.add(array);
            outputData.add(d);
        }
        for (Node p : tensorParameters) refs.put(p, CodeBlock.of("$N", names.fresh(p.attrs().text() + "_i")));

        for (int k = 0; k < loops; k++) {
            numbersKnownBefore(k);
            List<Node> reductions = new ArrayList<>();
            for (Node n : nodes) {
                if (elementwise.containsKey(n) && isReduction(n) && at.get(n) == k + 1) reductions.add(n);
            }
            for (Node r : reductions) {
                CodeBlock name = CodeBlock.of("$N", names.fresh(r.name()));
                out.addStatement("double $L = 0.0", name);
                refs.put(r, name);
            }
            // The elementwise values this loop reads.
            Set<Node> sinks = new LinkedHashSet<>();
            for (Node r : reductions) sinks.add(r.in(0));
            for (int i = 0; i < roots.size(); i++) if (outputData.get(i) != null && at.get(roots.get(i)) == k) sinks.add(roots.get(i));
            Set<Node> inLoop = elementsFor(sinks);
            String i = names.fresh("i");
            out.beginControlFlow("for (long $N = 0; $N < $L; $N++)", i, i, length, i);
            lastOrigin = Origin.NONE;
            Map<Node, CodeBlock> kept = new HashMap<>(refs);
            for (Node n : inLoop) {
                if (n.op() == Op.PARAM) {
                    out.addStatement("double $L = $L.get($N)", refs.get(n), data.get(n), i);
                } else {
                    elementStatement(n);
                }
            }
            for (Node r : reductions) {
                comment(r);
                out.addStatement("$L += $L", refs.get(r), ref(r.in(0)));
            }
            for (int j = 0; j < roots.size(); j++) {
                if (outputData.get(j) != null && at.get(roots.get(j)) == k) {
                    out.addStatement("$L.set($N, $L)", outputData.get(j), i, ref(roots.get(j)));
                }
            }
            out.endControlFlow();
            lastOrigin = Origin.NONE;
            // Elementwise values are the loop's own: a later loop computes them again.
            refs.keySet().retainAll(kept.keySet());
            refs.putAll(kept);
            for (Node r : reductions) {
                if (r.op() == Op.MEAN) out.addStatement("$L = $L / $L", refs.get(r), refs.get(r), length);
                written.add(r);
            }
        }
        numbersKnownBefore(Integer.MAX_VALUE);
        for (int j = 0; j < roots.size(); j++) {
            Node r = roots.get(j);
            if (outputs.get(j) != null) continue;
            CodeBlock target = into == null ? null : into.get(j);
            if (r.kind() == Kind.TENSOR && target != null) {
                out.addStatement("$T.of($L).set(0, $L)", DENSE, target, ref(r));
                outputs.set(j, target);
            } else {
                outputs.set(j, r.kind() == Kind.TENSOR ? CodeBlock.of("$T.scalar($L, $L)", DENSE, parameters.get(first), ref(r)) : ref(r));
            }
        }
        return new Fused(guard, out.build(), outputs, loops);
    }

    /** Whether the value has the parameters' shape (true), is one number (false), or cannot be fused (null). */
    private Boolean classify(Node n) {
        switch (n.op()) {
            case PARAM -> {
                if (n.kind() == Kind.TENSOR) return true;
                return n.kind().isArray() ? null : false;
            }
            case CONST -> {
                return false;
            }
            default -> { }
        }
        if (n.op().isLeaf()) return null; // a static field, an upstream adjoint: not here
        if (n.kind() != Kind.TENSOR) {
            switch (n.op()) {
                case SUM_TO, ELEMENT -> {
                    if (n.op() == Op.ELEMENT && elementwise.get(n.in(0))) return null; // one element of many
                    return false;
                }
                case COUNT -> {
                    return n.attrs().ints().isEmpty() ? false : null;
                }
                default -> {
                    if (!JAVA.contains(n.op())) return null;
                    for (Node in : n.inputs()) if (elementwise.get(in)) return null;
                    return false;
                }
            }
        }
        if (ELEMENTWISE.contains(n.op())) {
            boolean any = false;
            for (Node in : n.inputs()) any |= elementwise.get(in);
            return any;
        }
        return switch (n.op()) {
            case SUM, MEAN -> n.attrs().ints().isEmpty() && !n.attrs().keepDims() ? false : null;
            case EXPAND_LIKE, AS_ARRAY_LIKE, UNREDUCE -> {
                if (n.op() == Op.UNREDUCE && !n.attrs().ints().isEmpty()) yield null;
                boolean like = elementwise.get(n.in(1));
                yield !like && elementwise.get(n.in(0)) ? null : like;
            }
            case SUM_TO -> {
                boolean like = elementwise.get(n.in(1));
                yield like && !elementwise.get(n.in(0)) ? null : like;
            }
            case RESHAPE_LIKE -> elementwise.get(n.in(0)).equals(elementwise.get(n.in(1))) ? elementwise.get(n.in(1)) : null;
            case ZEROS_LIKE -> elementwise.get(n.in(0));
            default -> null;
        };
    }

    /** A number made from the elements of a value with the parameters' shape: their sum, or their mean. */
    private boolean isReduction(Node n) {
        boolean reduces = n.op() == Op.SUM || n.op() == Op.MEAN || n.op() == Op.SUM_TO;
        return reduces && !elementwise.get(n) && elementwise.get(n.in(0));
    }

    private int timing(Node n) {
        if (isReduction(n)) return at.get(n.in(0)) + 1;
        int t = 0;
        for (int k = 0; k < n.inputs().size(); k++) {
            if (n.op().readsOnlyShapeOf(k) || n.op() == Op.COUNT) continue;
            Node in = n.in(k);
            if (at.containsKey(in)) t = Math.max(t, at.get(in));
        }
        return t;
    }

    /** The elementwise values {@code sinks} read, themselves included, in the order of the pass. */
    private Set<Node> elementsFor(Set<Node> sinks) {
        Set<Node> need = new HashSet<>(sinks);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (!need.contains(n) || !elementwise.get(n)) continue;
            for (int k = 0; k < n.inputs().size(); k++) {
                Node in = n.in(k);
                if (!n.op().readsOnlyShapeOf(k) && elementwise.get(in) && !(n.op() == Op.UNREDUCE && k == 1)) need.add(in);
            }
        }
        Set<Node> ordered = new LinkedHashSet<>();
        for (Node n : nodes) if (need.contains(n) && elementwise.get(n)) ordered.add(n);
        return ordered;
    }

    /** The numbers known before loop {@code k} (all of them for MAX_VALUE), each once, in order. */
    private void numbersKnownBefore(int k) {
        for (Node n : nodes) {
            if (!elementwise.containsKey(n) || elementwise.get(n) || written.contains(n) || isReduction(n)) continue;
            if (at.get(n) > k) continue;
            numberStatement(n);
            written.add(n);
        }
    }

    @Override
    CodeBlock count(Node n) {
        return elementwise.get(n.in(0)) ? CodeBlock.of("(double) $L", length) : null;
    }
}
