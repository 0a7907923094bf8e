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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pass of a tensor method as Java loops over rows and columns, for values of rank 2 at most:
 * elementwise arithmetic with NumPy's broadcasting, sums and means over all or some axes and the
 * sums that undo broadcasts, softmax and log-softmax along rows, and Java numbers; matrix products
 * (and their adjoints) go to BLAS through {@code gemm}, transposes passed as flags. It covers what
 * {@link FusedLoops} does not: a layer's {@code x.mmul(w).add(b).relu()} and its adjoint.
 *
 * <p>The generated code first works out every value's shape from the arguments' (a {@code long[]}
 * each, null where the path does not apply); the guard asks that all exist, that the arguments
 * {@code Matrices.fit}, and that each loop's values share its shape. Then it runs, in the order of
 * the pass: one loop per run of elementwise values that read one another (each value one local
 * per element; those read later are stored), with the sums of those values added up in the same
 * loop; one {@code gemm} per product; a row kernel per softmax. Arrays that the call makes and
 * drops come from a {@code Matrices.Frame} the companion keeps per thread, so a call whose shapes
 * repeat allocates none but its results.
 */
final class MatrixLoops extends LoopWriter {
    static final ClassName MATRICES = ClassName.get("dev.tapeless.runtime.support", "Matrices");
    static final ClassName FRAME = MATRICES.nestedClass("Frame");

    /** What a value is on this path. */
    private enum Cls {
        /** A Java number. */
        NUMBER,
        /** A tensor argument. */
        ARGUMENT,
        /** One number per element of its shape, computed in a loop. */
        ELEMENT,
        /** A tensor sum or mean over some axes, or the sum that undoes a broadcast: added up in a loop. */
        REDUCE,
        /** A sum or mean over every element: a number, added up in a loop. */
        TOTAL,
        /** A matrix product or one of its adjoints: {@code gemm}. */
        PRODUCT,
        /** Softmax or log-softmax along rows. */
        ROWS
    }

    /** The pass: prelude (shapes), guard, body and outputs, and what it runs. */
    record Planned(CodeBlock prelude, CodeBlock guard, CodeBlock body, List<CodeBlock> outputs, int loops, int products,
            boolean usesFrame) {}

    /**
     * One loop, computing {@code members} and adding up {@code reductions}, over the broadcast of
     * the members' shapes (a loop that only adds up: over the shape of {@code source}). A member of
     * a smaller shape is computed at each element it broadcasts to, and stored there from each.
     */
    private static final class Loop {
        final List<Node> members = new ArrayList<>();
        final List<Node> reductions = new ArrayList<>();
        Node source;
        CodeBlock shape;
    }

    private final CodeBlock frameField;
    private final Map<Node, Cls> cls = new LinkedHashMap<>();
    private final Map<Node, CodeBlock> shapes = new HashMap<>();
    /** Each tensor value's name: its array's, and the stem of its shape's, elements' and strides'. */
    private final Map<Node, String> valueNames = new HashMap<>();
    /** Arrays: the argument, a frame slot's array, or a result's. */
    private final Map<Node, CodeBlock> arrays = new HashMap<>();
    private final Map<Node, CodeBlock> data = new HashMap<>();
    /** Row and column strides of a value read by its own shape. */
    private final Map<Node, CodeBlock[]> strides = new HashMap<>();
    /**
     * Of a reduction's target as it lines up with the reduced value, or of {@code g} as it lines up
     * with {@code unreduce(g, like)}: the same memory seen with the reduced axes kept (a sum over
     * the columns of {@code [n, k]}, {@code [n]}, is a column here, a row where it is read as itself).
     */
    private final Map<Node, CodeBlock[]> keptStrides = new HashMap<>();
    /** For each sum that undoes a broadcast: the local that says whether it sums (else like has g's shape). */
    private final Map<Node, String> summing = new HashMap<>();
    /** For each tensor sum: the Java array it is added up in. */
    private final Map<Node, String> accumulators = new HashMap<>();
    /** The frame's local, and how many of its sum arrays the loops use. */
    private String frameName;
    private int sumSlots;
    /** The body: arrays first ({@code setup}), then the stride locals the loops read, then the steps ({@code out}). */
    private final CodeBlock.Builder setup = CodeBlock.builder();
    private final CodeBlock.Builder stridesCode = CodeBlock.builder();
    private int slots;

    private MatrixLoops(List<Node> nodes, Map<Node, CodeBlock> parameters, Names names, CodeBlock frameField) {
        super(nodes, parameters, names, "matrix loops");
        this.frameField = frameField;
    }

    /**
     * The matrix-loop form of the pass {@code nodes} computing {@code roots}, or null when it has none.
     *
     * @param mustBeTensor for each root, whether it must be an array of the shape the pass gives it
     *     (the gradient of a tensor parameter) or must be one number, or may be either (null)
     * @param frameField the companion's {@code ThreadLocal<Matrices.Frame>} for this entry point
     * @param into for each root, the array to write it into if it has the root's shape (null: a
     *     new one), or null for new arrays throughout
     */
    static Planned write(List<Node> nodes, List<Node> roots, List<Boolean> mustBeTensor, Map<Node, CodeBlock> parameters,
            Names names, CodeBlock frameField, List<CodeBlock> into) {
        if (nodes.size() > FusedLoops.MAX_NODES) return null;
        for (Node n : nodes) if (n.op().hasRegions()) return null;
        if (new HashSet<>(roots).size() != roots.size()) return null;
        return new MatrixLoops(nodes, parameters, names, frameField).write(roots, mustBeTensor, into);
    }

    private Planned write(List<Node> roots, List<Boolean> mustBeTensor, List<CodeBlock> into) {
        Set<Node> needed = new HashSet<>(roots);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (needed.contains(n)) needed.addAll(n.inputs());
        }
        List<Node> arguments = new ArrayList<>();
        for (Node n : nodes) {
            if (!needed.contains(n)) continue;
            Cls c = classify(n);
            if (c == null) return null;
            cls.put(n, c);
            if (c == Cls.ARGUMENT) arguments.add(n);
        }
        if (arguments.isEmpty()) return null;
        for (int i = 0; i < roots.size(); i++) {
            Cls c = cls.get(roots.get(i));
            if (c == null || c == Cls.ARGUMENT) return null;
            Boolean must = mustBeTensor.get(i);
            if (must != null && must != tensor(roots.get(i))) return null;
        }

        // The steps, in order: a node on its own, or a loop (at the point where it must close).
        List<Object> steps = new ArrayList<>();
        Map<Node, Loop> loopOf = new HashMap<>();
        Loop open = null;
        Set<Node> afterOpen = new HashSet<>(); // values known only once the open loop has run
        for (Node n : cls.keySet()) {
            Cls c = cls.get(n);
            if (c == Cls.ARGUMENT) continue;
            boolean readsOpen = false;
            boolean readsAfter = false;
            for (int k = 0; k < n.inputs().size(); k++) {
                Node in = n.in(k);
                if (open != null && open.members.contains(in)) readsOpen = true;
                if (afterOpen.contains(in)) readsAfter = true;
            }
            // unreduce(g, like) reads g lined up with like's shape, its reduced axes of size 1: not as
            // g's own local in a loop over their broadcast ([n] is a row there, a column here).
            boolean unreducesOpen = n.op() == Op.UNREDUCE && open != null && open.members.contains(n.in(0));
            if (c == Cls.ELEMENT && readsOpen && !readsAfter && !unreducesOpen) {
                open.members.add(n);
                loopOf.put(n, open);
                continue;
            }
            if ((c == Cls.REDUCE || c == Cls.TOTAL) && open != null && open.members.contains(n.in(0)) && !readsAfter) {
                open.reductions.add(n);
                loopOf.put(n, open);
                afterOpen.add(n);
                continue;
            }
            if (open != null && (readsOpen || readsAfter || c == Cls.ELEMENT)) { // n reads the open loop's values, or starts its own
                steps.add(open);
                open = null;
                afterOpen.clear();
            }
            if (c == Cls.ELEMENT) {
                open = new Loop();
                open.members.add(n);
                loopOf.put(n, open);
            } else if (c == Cls.REDUCE || c == Cls.TOTAL) {
                Loop alone = new Loop(); // a sum of an argument or a stored value
                alone.source = n.in(0);
                alone.reductions.add(n);
                loopOf.put(n, alone);
                steps.add(alone);
            } else {
                steps.add(n);
                if (c == Cls.NUMBER && open != null) {
                    for (Node in : n.inputs()) if (afterOpen.contains(in)) afterOpen.add(n);
                }
            }
        }
        if (open != null) steps.add(open);

        // Stored: values read where they are not computed (elsewhere than in their own loop), and results.
        Set<Node> stored = new LinkedHashSet<>();
        for (Node n : cls.keySet()) {
            for (int k = 0; k < n.inputs().size(); k++) {
                Node in = n.in(k);
                if (!readsElements(n, k) || cls.get(in) == Cls.NUMBER || cls.get(in) == Cls.ARGUMENT
                        || cls.get(in) == Cls.TOTAL) {
                    continue;
                }
                Loop home = loopOf.get(in);
                boolean sameLoop = home != null && home == loopOf.get(n) && cls.get(in) == Cls.ELEMENT;
                if (!sameLoop) stored.add(in);
            }
        }
        for (Node r : roots) if (cls.get(r) != Cls.NUMBER && cls.get(r) != Cls.TOTAL) stored.add(r);
        for (Node n : cls.keySet()) {
            Cls c = cls.get(n);
            if (c == Cls.REDUCE || c == Cls.PRODUCT || c == Cls.ROWS) stored.add(n);
        }

        // Prelude: every tensor value's shape; the guard.
        CodeBlock.Builder prelude = CodeBlock.builder();
        List<CodeBlock> checks = new ArrayList<>();
        checks.add(CodeBlock.of("$T.fit($L)", MATRICES, CodeBlock.join(arguments.stream().map(parameters::get).toList(), ", ")));
        List<CodeBlock> all = new ArrayList<>();
        for (Node n : cls.keySet()) {
            if (cls.get(n) == Cls.NUMBER || cls.get(n) == Cls.TOTAL) continue;
            valueNames.put(n, cls.get(n) == Cls.ARGUMENT ? baseName(n) : names.fresh(baseName(n)));
            CodeBlock s = CodeBlock.of("$N", names.fresh(valueNames.get(n) + "Shape"));
            prelude.addStatement("long[] $L = $L", s, shapeOf(n, checks));
            shapes.put(n, s);
            if (cls.get(n) != Cls.ARGUMENT) all.add(s);
        }
        for (Object step : steps) {
            if (!(step instanceof Loop loop)) continue;
            if (loop.source != null) {
                loop.shape = shapes.get(loop.source);
            } else if (loop.members.size() == 1) {
                loop.shape = shapes.get(loop.members.get(0));
            } else {
                loop.shape = CodeBlock.of("$N", names.fresh("loopShape"));
                prelude.addStatement("long[] $L = $T.broadcastAll($L)", loop.shape, MATRICES,
                        CodeBlock.join(loop.members.stream().map(shapes::get).distinct().toList(), ", "));
                all.add(loop.shape);
            }
            // What is added up must have the loop's shape: each element counts once.
            for (Node r : loop.reductions) {
                if (loop.source == null && shapes.get(r.in(0)) != loop.shape) {
                    checks.add(CodeBlock.of("$T.same($L, $L)", MATRICES, shapes.get(r.in(0)), loop.shape));
                }
            }
        }
        if (!all.isEmpty()) checks.add(1, CodeBlock.of("$T.all($L)", MATRICES, CodeBlock.join(all, ", ")));

        // Arrays: arguments; results (new, or the caller's); the rest from the frame.
        String frame = names.fresh("buffers");
        frameName = frame;
        boolean sums = cls.values().stream().anyMatch(c -> c == Cls.REDUCE);
        if (sums || stored.stream().anyMatch(n -> !roots.contains(n))) setup.addStatement("$T $N = $L.get()", FRAME, frame, frameField);
        for (Node a : arguments) {
            arrays.put(a, parameters.get(a));
        }
        List<CodeBlock> outputs = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) outputs.add(null);
        int products = 0;
        for (Node n : stored) {
            CodeBlock array = CodeBlock.of("$N", valueNames.get(n));
            int root = roots.indexOf(n);
            if (root >= 0) {
                CodeBlock target = into == null ? null : into.get(root);
                setup.addStatement("$T $L = $L", Emitter.INDARRAY, array, target != null
                        ? CodeBlock.of("$T.into($L, $L, $L)", MATRICES, target, shapes.get(n), parameters.get(arguments.get(0)))
                        : CodeBlock.of("$T.create($L, $L)", MATRICES, shapes.get(n), parameters.get(arguments.get(0))));
                outputs.set(root, array);
                arrays.put(n, array);
                CodeBlock d = CodeBlock.of("$N", names.fresh(valueNames.get(n) + "Data"));
                setup.addStatement("$T $L = $T.of($L)", FusedLoops.ELEMENTS, d, FusedLoops.DENSE, array);
                data.put(n, d);
            } else {
                int slot = slots++;
                setup.addStatement("$T $L = $N.array($L, $L, $L)", Emitter.INDARRAY, array, frame, slot, shapes.get(n),
                        parameters.get(arguments.get(0)));
                arrays.put(n, array);
                CodeBlock d = CodeBlock.of("$N", names.fresh(valueNames.get(n) + "Data"));
                setup.addStatement("$T $L = $N.elements($L)", FusedLoops.ELEMENTS, d, frame, slot);
                data.put(n, d);
            }
        }
        for (Node a : arguments) {
            CodeBlock d = CodeBlock.of("$N", names.fresh(valueNames.get(a) + "Data"));
            setup.addStatement("$T $L = $T.of($L)", FusedLoops.ELEMENTS, d, FusedLoops.DENSE, parameters.get(a));
            data.put(a, d);
        }

        int loops = 0;
        for (Object step : steps) {
            if (step instanceof Loop loop) {
                loop(loop, stored);
                loops++;
            } else {
                Node n = (Node) step;
                switch (cls.get(n)) {
                    case NUMBER -> numberStatement(n);
                    case PRODUCT -> {
                        product(n);
                        products++;
                    }
                    case ROWS -> rows(n);
                    default -> throw new IllegalStateException("matrix loops: step " + n.op());
                }
            }
        }
        for (int j = 0; j < roots.size(); j++) {
            if (outputs.get(j) != null) continue;
            Node r = roots.get(j);
            CodeBlock target = into == null ? null : into.get(j);
            if (r.kind() == Kind.TENSOR && target != null) {
                out.addStatement("$T.of($L).set(0, $L)", FusedLoops.DENSE, target, ref(r));
                outputs.set(j, target);
            } else {
                outputs.set(j, r.kind() == Kind.TENSOR
                        ? CodeBlock.of("$T.scalar($L, $L)", FusedLoops.DENSE, parameters.get(arguments.get(0)), ref(r)) : ref(r));
            }
        }
        CodeBlock body = CodeBlock.builder().add(setup.build()).add(stridesCode.build()).add(out.build()).build();
        return new Planned(prelude.build(), CodeBlock.join(new ArrayList<>(new LinkedHashSet<>(checks)), "\n        && "), body,
                outputs, loops, products, slots > 0 || sumSlots > 0);
    }

    /** Whether {@code n} reads the elements of its input {@code k} (not only its shape). */
    private static boolean readsElements(Node n, int k) {
        if (n.op().readsOnlyShapeOf(k)) return false;
        if (n.op() == Op.MMUL_GRAD_LEFT) return k != 1;
        if (n.op() == Op.MMUL_GRAD_RIGHT) return k != 2;
        return true;
    }

    private boolean tensor(Node n) {
        Cls c = cls.get(n);
        return c != Cls.NUMBER && c != Cls.TOTAL;
    }

    private Cls classify(Node n) {
        switch (n.op()) {
            case PARAM -> {
                if (n.kind() == Kind.TENSOR) return Cls.ARGUMENT;
                return n.kind().isArray() ? null : Cls.NUMBER;
            }
            case CONST -> {
                return Cls.NUMBER;
            }
            default -> { }
        }
        if (n.op().isLeaf()) return null;
        if (n.kind() != Kind.TENSOR) {
            return switch (n.op()) {
                case SUM_TO -> tensor(n.in(0)) ? Cls.TOTAL : Cls.NUMBER;
                case ELEMENT -> tensor(n.in(0)) ? null : Cls.NUMBER;
                case COUNT -> Cls.NUMBER;
                default -> {
                    if (!JAVA.contains(n.op())) yield null;
                    for (Node in : n.inputs()) if (tensor(in)) yield null;
                    yield Cls.NUMBER;
                }
            };
        }
        if (ELEMENTWISE.contains(n.op())) {
            for (Node in : n.inputs()) if (tensor(in)) return Cls.ELEMENT;
            return Cls.NUMBER;
        }
        return switch (n.op()) {
            case SUM, MEAN -> {
                if (!tensor(n.in(0))) yield n.attrs().ints().isEmpty() ? Cls.NUMBER : null;
                yield n.attrs().ints().isEmpty() && !n.attrs().keepDims() ? Cls.TOTAL : Cls.REDUCE;
            }
            case EXPAND_LIKE, AS_ARRAY_LIKE, UNREDUCE, ZEROS_LIKE -> {
                Node like = n.op() == Op.ZEROS_LIKE ? n.in(0) : n.in(1);
                if (tensor(like)) yield Cls.ELEMENT;
                yield n.op() != Op.ZEROS_LIKE && tensor(n.in(0)) ? null : Cls.NUMBER;
            }
            case SUM_TO -> {
                if (!tensor(n.in(1))) yield tensor(n.in(0)) ? Cls.TOTAL : Cls.NUMBER;
                yield tensor(n.in(0)) ? Cls.REDUCE : Cls.ELEMENT;
            }
            case RESHAPE_LIKE -> tensor(n.in(0)) == tensor(n.in(1)) ? (tensor(n.in(0)) ? Cls.ELEMENT : Cls.NUMBER) : null;
            case MMUL -> tensor(n.in(0)) && tensor(n.in(1)) ? Cls.PRODUCT : null;
            case MMUL_GRAD_LEFT, MMUL_GRAD_RIGHT -> tensor(n.in(0)) && tensor(n.in(1)) && tensor(n.in(2)) ? Cls.PRODUCT : null;
            case SOFTMAX, LOG_SOFTMAX -> tensor(n.in(0)) ? Cls.ROWS : null;
            default -> null;
        };
    }

    /** The expression of a value's shape (null where this path does not apply); {@code checks} gains what else it needs. */
    private CodeBlock shapeOf(Node n, List<CodeBlock> checks) {
        if (cls.get(n) == Cls.ARGUMENT) return CodeBlock.of("$L.shape()", parameters.get(n));
        switch (n.op()) {
            case SUM, MEAN -> {
                return CodeBlock.of("$T.reduced($L, $L$L)", MATRICES, shapes.get(n.in(0)), n.attrs().keepDims(), ints(n));
            }
            case SUM_TO -> {
                if (tensor(n.in(0))) { // the like operand broadcasts to g: its axes of size 1 are summed
                    checks.add(CodeBlock.of("$T.same($T.broadcast($L, $L), $L)", MATRICES, MATRICES, shapes.get(n.in(1)),
                            shapes.get(n.in(0)), shapes.get(n.in(0))));
                }
                return shapes.get(n.in(1));
            }
            case EXPAND_LIKE -> {
                return tensor(n.in(0)) ? CodeBlock.of("$T.broadcast($L, $L)", MATRICES, shapes.get(n.in(0)), shapes.get(n.in(1)))
                        : shapes.get(n.in(1));
            }
            case AS_ARRAY_LIKE -> {
                return shapes.get(n.in(1));
            }
            case ZEROS_LIKE -> {
                return shapes.get(n.in(0));
            }
            case UNREDUCE -> {
                if (tensor(n.in(0))) {
                    checks.add(CodeBlock.of("$T.same($L, $T.reduced($L, $L$L))", MATRICES, shapes.get(n.in(0)), MATRICES,
                            shapes.get(n.in(1)), n.attrs().keepDims(), ints(n)));
                }
                return shapes.get(n.in(1));
            }
            case RESHAPE_LIKE -> {
                checks.add(CodeBlock.of("$T.same($L, $L)", MATRICES, shapes.get(n.in(0)), shapes.get(n.in(1))));
                return shapes.get(n.in(1));
            }
            case MMUL -> {
                return CodeBlock.of("$T.product($L, $L)", MATRICES, shapes.get(n.in(0)), shapes.get(n.in(1)));
            }
            case MMUL_GRAD_LEFT, MMUL_GRAD_RIGHT -> { // g · bᵀ shaped like a; aᵀ · g shaped like b
                checks.add(CodeBlock.of("$T.same($T.product($L, $L), $L)", MATRICES, MATRICES, shapes.get(n.in(1)),
                        shapes.get(n.in(2)), shapes.get(n.in(0))));
                return shapes.get(n.op() == Op.MMUL_GRAD_LEFT ? n.in(1) : n.in(2));
            }
            case SOFTMAX, LOG_SOFTMAX -> {
                return CodeBlock.of("$T.alongRows($L, $L)", MATRICES, shapes.get(n.in(0)), n.attrs().ints().get(0));
            }
            default -> { // elementwise: the broadcast of its tensor operands
                CodeBlock s = null;
                for (Node in : n.inputs()) {
                    if (!tensor(in)) continue;
                    s = s == null ? shapes.get(in) : CodeBlock.of("$T.broadcast($L, $L)", MATRICES, s, shapes.get(in));
                }
                return s;
            }
        }
    }

    private static CodeBlock ints(Node n) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (int i : n.attrs().ints()) b.add(", $L", i);
        return b.build();
    }

    private static String baseName(Node n) {
        if (n.op() == Op.PARAM) return n.attrs().text();
        return n.name().startsWith("$") ? n.name().substring(1) : n.name();
    }

    // ---- statements ---------------------------------------------------------------------------

    /** One loop over the rows and columns of {@code loop.shape}. */
    private void loop(Loop loop, Set<Node> stored) {
        CodeBlock shape = loop.shape;
        String rows = names.fresh("rows");
        String columns = names.fresh("columns");
        out.addStatement("long $N = $T.rows($L)", rows, MATRICES, shape);
        out.addStatement("long $N = $T.columns($L)", columns, MATRICES, shape);
        for (Node r : loop.reductions) {
            comment(r);
            if (cls.get(r) == Cls.TOTAL) {
                CodeBlock name = CodeBlock.of("$N", names.fresh(baseName(r)));
                out.addStatement("double $L = 0.0", name);
                refs.put(r, name);
            } else {
                // Added up in a Java array (an indexer's read and write per element cost several
                // times more), stored after the loop. A sum that undoes a broadcast where like has
                // g's shape adds nothing up: each element is written once, straight into the array.
                String acc = names.fresh(valueNames.get(r) + "Sums");
                CodeBlock sums = CodeBlock.of("$N.sums($L, $T.length($L))", frameName, sumSlots++, MATRICES, shapes.get(r));
                if (r.op() == Op.SUM_TO) {
                    String adds = names.fresh(valueNames.get(r) + "Adds");
                    stridesCode.addStatement("boolean $N = !$T.same($L, $L)", adds, MATRICES, shapes.get(r), shapes.get(r.in(0)));
                    summing.put(r, adds);
                    out.addStatement("double[] $N = $N ? $L : null", acc, adds, sums);
                } else {
                    out.addStatement("double[] $N = $L", acc, sums);
                }
                accumulators.put(r, acc);
            }
        }
        String i = names.fresh("i");
        String j = names.fresh("j");
        out.beginControlFlow("for (long $N = 0; $N < $N; $N++)", i, i, rows, i);
        out.beginControlFlow("for (long $N = 0; $N < $N; $N++)", j, j, columns, j);
        lastOrigin = Origin.NONE;
        Map<Node, CodeBlock> before = new HashMap<>(refs);
        Set<Node> loaded = new HashSet<>();
        List<Node> inLoop = new ArrayList<>(loop.members);
        if (loop.members.isEmpty()) inLoop.add(loop.source); // a sum of a stored value or an argument: read it
        for (Node n : inLoop) {
            if (!loop.members.contains(n)) {
                load(n, n, i, j, loaded);
                continue;
            }
            for (int k = 0; k < n.inputs().size(); k++) {
                Node in = n.in(k);
                if (!readsElements(n, k) || !tensor(in) || loop.members.contains(in)) continue;
                if (n.op() == Op.UNREDUCE) {
                    loadUnreduced(n, in, i, j); // read as it lines up with like's shape
                } else {
                    load(in, in, i, j, loaded);
                }
            }
            boolean unreduced = n.op() == Op.UNREDUCE && tensor(n.in(0)); // g is never in its loop: see the steps
            if (!unreduced) elementStatement(n);
            if (stored.contains(n)) {
                CodeBlock[] at = strides(n);
                out.addStatement("$L.set($N * $L + $N * $L, $L)", data.get(n), i, at[0], j, at[1], ref(n));
            }
        }
        for (Node r : loop.reductions) {
            CodeBlock v = ref(r.in(0));
            if (cls.get(r) == Cls.TOTAL) {
                out.addStatement("$L += $L", refs.get(r), v);
            } else {
                CodeBlock[] s = r.op() == Op.SUM_TO ? strides(r.in(1)) : targetStrides(r);
                String acc = accumulators.get(r);
                if (r.op() == Op.SUM_TO) {
                    out.beginControlFlow("if ($N)", summing.get(r));
                }
                out.addStatement("$N[(int) ($N * $L + $N * $L)] += $L", acc, i, s[0], j, s[1], v);
                if (r.op() == Op.SUM_TO) {
                    out.nextControlFlow("else")
                            .addStatement("$L.set($N * $L + $N * $L, $L)", data.get(r), i, s[0], j, s[1], v)
                            .endControlFlow();
                }
            }
        }
        out.endControlFlow();
        out.endControlFlow();
        lastOrigin = Origin.NONE;
        refs.keySet().retainAll(before.keySet()); // elements are the loop's own
        refs.putAll(before);
        for (Node r : loop.reductions) {
            String acc = accumulators.get(r);
            if (acc == null) continue;
            CodeBlock store = CodeBlock.of("$T.store($N, $L, $T.length($L))", MATRICES, acc, data.get(r), MATRICES, shapes.get(r));
            if (r.op() == Op.SUM_TO) {
                out.beginControlFlow("if ($N)", summing.get(r)).addStatement(store).endControlFlow();
            } else {
                out.addStatement(store);
            }
        }
        for (Node r : loop.reductions) {
            if (r.op() != Op.MEAN) continue;
            if (cls.get(r) == Cls.TOTAL) {
                out.addStatement("$L = $L / $T.length($L)", refs.get(r), refs.get(r), MATRICES, loop.shape);
            } else {
                String k = names.fresh("k");
                String count = names.fresh("count");
                out.addStatement("double $N = $T.count($L$L)", count, MATRICES, shapes.get(r.in(0)), ints(r));
                out.beginControlFlow("for (long $N = 0; $N < $T.length($L); $N++)", k, k, MATRICES, shapes.get(r), k)
                        .addStatement("$L.set($N, $L.get($N) / $N)", data.get(r), k, data.get(r), k, count)
                        .endControlFlow();
            }
        }
    }

    /** Reads element (i, j) of a stored value or argument, broadcast to the loop's shape, into a local. */
    private void load(Node value, Node as, String i, String j, Set<Node> loaded) {
        if (!loaded.add(value)) return;
        CodeBlock[] s = strides(value);
        CodeBlock name = CodeBlock.of("$N", names.fresh(baseName(value)));
        out.addStatement("double $L = $L.get($N * $L + $N * $L)", name, data.get(value), i, s[0], j, s[1]);
        refs.put(as, name);
    }

    /** {@code g} of {@code unreduce(g, like)} at (i, j) of like's shape: g lines up with like's shape with the reduced axes of size 1. */
    private void loadUnreduced(Node n, Node g, String i, String j) {
        CodeBlock[] s = keptStrides.computeIfAbsent(n, k -> stridesOf(CodeBlock.of("$T.kept($L$L)", MATRICES, shapes.get(n.in(1)), ints(n)), baseName(n)));
        comment(n);
        CodeBlock name = CodeBlock.of("$N", names.fresh(baseName(n)));
        out.addStatement("double $L = $L.get($N * $L + $N * $L)", name, data.get(g), i, s[0], j, s[1]);
        refs.put(n, name);
    }

    /** Where a reduction's target lines up with its input's shape: its axes of size 1. */
    private CodeBlock[] targetStrides(Node r) {
        return keptStrides.computeIfAbsent(r, k -> stridesOf(CodeBlock.of("$T.kept($L$L)", MATRICES, shapes.get(r.in(0)), ints(r)), baseName(r) + "Kept"));
    }

    /** The row and column strides of a value read in a loop over a shape it broadcasts to. */
    private CodeBlock[] strides(Node value) {
        return strides.computeIfAbsent(value, k -> stridesOf(shapes.get(value), valueNames.get(value)));
    }

    /** Stride locals, declared before the loops (in the body's first statements). */
    private CodeBlock[] stridesOf(CodeBlock shape, String base) {
        String rs = names.fresh(base + "RowStride");
        String cs = names.fresh(base + "ColumnStride");
        stridesCode.addStatement("long $N = $T.rowStride($L)", rs, MATRICES, shape);
        stridesCode.addStatement("long $N = $T.columnStride($L)", cs, MATRICES, shape);
        return new CodeBlock[] {CodeBlock.of("$N", rs), CodeBlock.of("$N", cs)};
    }

    /** A matrix product or one of its adjoints, by rank, by BLAS into its array. */
    private void product(Node n) {
        comment(n);
        String method = switch (n.op()) {
            case MMUL -> "product";
            case MMUL_GRAD_LEFT -> "productLeft";
            case MMUL_GRAD_RIGHT -> "productRight";
            default -> throw new IllegalStateException("matrix loops: product " + n.op());
        };
        List<CodeBlock> operands = new ArrayList<>();
        for (int k = 0; k < n.inputs().size(); k++) { // an operand whose shape alone is read: its shape
            operands.add(readsElements(n, k) ? arrays.get(n.in(k)) : shapes.get(n.in(k)));
        }
        out.addStatement("$T.$L($L, $L)", MATRICES, method, CodeBlock.join(operands, ", "), arrays.get(n));
    }

    private void rows(Node n) {
        comment(n);
        CodeBlock shape = shapes.get(n);
        out.addStatement("$T.$L($L, $L, $T.rows($L), $T.columns($L))", MATRICES,
                n.op() == Op.SOFTMAX ? "softmaxRows" : "logSoftmaxRows", data.get(n.in(0)), data.get(n),
                MATRICES, shape, MATRICES, shape);
    }

    @Override
    CodeBlock count(Node n) {
        Node like = n.in(0);
        return tensor(like) ? CodeBlock.of("(double) $T.count($L$L)", MATRICES, shapes.get(like), ints(n)) : null;
    }
}
