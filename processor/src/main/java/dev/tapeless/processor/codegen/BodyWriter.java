package dev.tapeless.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;
import dev.tapeless.processor.opt.Gates;
import dev.tapeless.processor.opt.Gates.Gate;
import dev.tapeless.processor.opt.Gates.Literal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes IR nodes as Java statements, one per primitive, each group under a comment with the
 * source statement it comes from, and counts the ND4J ops they run.
 *
 * <p>A Java-number temporary used once, by a Java-number operation from the same source statement,
 * is written into that use rather than as a local of its own: {@code double across = x1 - x0 * x0;}
 * reads like the source, and keeps methods small enough for the JIT to inline them (HotSpot
 * inlines a hot callee of up to 325 bytes of bytecode, and every local costs a store and a load).
 * Values the source names stay locals; so does every adjoint used more than once.
 *
 * <p>In a reverse pass, values that are exactly zero unless conditions hold ({@link Gates}) are
 * computed inside {@code if (c && !d) { ... }}, one block per run of consecutive nodes with the same gate,
 * in the order of the nodes. A value read after its block is declared {@code 0.0} before it and
 * assigned inside; the others are locals of the block. No expression is written into a use on the
 * other side of a block's boundary.
 *
 * <p>A body too long for one Java method is written in {@link Parts}: consecutive runs of nodes,
 * each a private method, with the values that cross from one to a later one in a frame object. No
 * {@code if} block and no expression written into its use crosses a part's boundary.
 */
final class BodyWriter {
    private final Names names;
    private final Function<String, ClassName> classNamed;
    private final Map<Node, CodeBlock> refs = new HashMap<>();
    private final Map<Node, Integer> precedences = new HashMap<>();
    private Set<Node> writtenIntoUse = Set.of();
    private final Map<Node, Block> blockOf = new HashMap<>();
    private final Set<Node> readAfterBlock = new HashSet<>();
    private final Map<Node, CodeBlock> declared = new HashMap<>();
    private final Map<Node, List<Node>> releaseAfter = new HashMap<>();
    private final Emitter emitter;
    /** The statements before the nodes' (all of them when the body is one method). */
    private final CodeBlock.Builder code = CodeBlock.builder();
    /** Where statements go now: {@link #code}, a part, or {@link #tail} after the last node. */
    private CodeBlock.Builder out = code;
    private final CodeBlock.Builder tail = CodeBlock.builder();
    private final Map<Node, Parts.Parameter> parameters = new LinkedHashMap<>();
    private Parts.Target partsTarget;
    private Parts parts;
    private Map<Node, Integer> partOf = Map.of();
    private final Set<Node> shared = new HashSet<>();
    private int currentPart = -1;
    private Node lastNode;
    private Origin lastOrigin = Origin.NONE;
    private int fewest;
    private int most;
    /** The op counts of the companions this body calls, added to its own at run time. */
    private final List<CodeBlock> called = new ArrayList<>();
    // Branches and loops (a body with regions is written "structured": no parts, no early release).
    private boolean structured;
    private Saving saving = Saving.none();
    /** The stack each saved value is pushed on: a local of this body, or a field (a Vjp's). */
    private final Map<Node, CodeBlock> stacks = new HashMap<>();
    /** The read position in each stack, for the reverse pass. */
    private final Map<Node, String> cursors = new HashMap<>();
    /** The RESULT nodes of each IF and LOOP this body writes. */
    private final Map<Node, List<Node>> resultsOf = new HashMap<>();
    /** A value yielded by a region written straight into the variable of the result or carried value it becomes. */
    private final Map<Node, Node> coalesced = new HashMap<>();
    /** How many nodes and yields read each node (structured bodies). */
    private Map<Node, Integer> useCount = Map.of();
    /** The condition of a loop written into its while header. */
    private final Set<Node> headers = new HashSet<>();
    /** The steps of counters written into their for header ({@code i++}). */
    private final Set<Node> inHeader = new HashSet<>();

    /**
     * @param names      the identifiers this body may declare
     * @param classNamed the class of a canonical name (the owner of a static field read)
     */
    BodyWriter(Names names, Function<String, ClassName> classNamed) {
        this.names = names;
        this.classNamed = classNamed;
        this.emitter = new Emitter(this::ref, this::precedence, classNamed);
    }

    /** Makes {@code n} available under an existing name (a field, or a parameter of a body never split). */
    void define(Node n, String name) {
        refs.put(n, CodeBlock.of("$N", name));
    }

    /** Makes {@code n} available as a parameter of the entry point, passed on to the parts that read it. */
    void defineParameter(Node n, String name) {
        define(n, name);
        parameters.put(n, new Parts.Parameter(name, javaType(n.kind())));
    }

    /** Lets {@link #plan} split a long body into parts, members of the class that holds the entry point. */
    void splitInto(Parts.Target target) {
        this.partsTarget = target;
    }

    /**
     * Statements after the nodes' that read computed values and {@code other}, a local of the
     * entry point: in the entry point, or when the body is in parts, in methods of their own.
     */
    void statementsAfter(List<CodeBlock> statements, ParameterSpec other, String what) {
        if (parts == null) {
            for (CodeBlock c : statements) statement("$L", c);
        } else {
            out.add(parts.after(statements, other, what));
        }
    }

    /** Whether {@code n} is computed by this body (not a parameter, a field or a constant). */
    boolean computes(Node n) {
        return !n.op().isLeaf();
    }

    /** A fresh local name for the statements after the nodes'. */
    String fresh(String hint) {
        return names.fresh(hint);
    }

    /**
     * Plans the writing of {@code nodes} (the ones this body will emit, in order): which are
     * written into their one use, which arrays are freed where, and for a long body its parts.
     * {@code pinned} are read by name afterwards (results, values kept for a pullback).
     */
    void plan(List<Node> nodes, Collection<Node> pinned) {
        plan(nodes, pinned, Gates.none());
    }

    /** As above, with the gated nodes of a reverse pass computed in {@code if} blocks. */
    void plan(List<Node> nodes, Collection<Node> pinned, Gates gates) {
        for (Node n : nodes) structured |= n.op().hasRegions();
        if (structured) {
            planStructured(nodes, pinned, gates);
            return;
        }
        planBlocks(nodes, pinned, gates);
        if (partsTarget != null) {
            partOf = Parts.assign(nodes, n -> blockOf.containsKey(n) && blockOf.get(n).members.get(0) != n);
        }
        planTemporaries(nodes, pinned);
        planReleases(nodes, pinned);
        if (!partOf.isEmpty()) planParts(nodes, pinned);
    }

    /** What to save for the reverse pass ({@link Saving}); this body declares what it computes. */
    void saving(Saving plan) {
        this.saving = plan;
    }

    /** Makes the stack of saved value {@code v} available under a name (a Vjp's field). */
    void defineStack(Node v, String name) {
        stacks.put(v, CodeBlock.of("$N", name));
    }

    /** How this body refers to the stack of saved value {@code v}. */
    CodeBlock stackOf(Node v) {
        return stacks.get(v);
    }

    /**
     * Plans a body with branches and loops: which values are written into their one use (in the
     * same region only), which yields are written straight into the variable they become.
     */
    private void planStructured(List<Node> nodes, Collection<Node> pinned, Gates gates) {
        planBlocks(nodes, pinned, gates);
        List<Node> all = dev.tapeless.processor.ir.Region.flatten(nodes);
        // Gated adjoints in the regions of a reverse pass too, each region's runs on their own.
        for (Node owner : all) {
            for (dev.tapeless.processor.ir.Region r : owner.regions()) {
                if (!r.isLoopCondition()) planRuns(r.nodes(), Gates.of(r.nodes()));
            }
        }
        for (Node n : all) {
            for (Node in : n.inputs()) {
                if (blockOf.containsKey(in) && blockOf.get(in) != blockOf.get(n)) readAfterBlock.add(in);
            }
            for (dev.tapeless.processor.ir.Region r : n.regions()) {
                for (Node y : r.yields()) if (blockOf.containsKey(y)) readAfterBlock.add(y);
            }
        }
        Set<Node> kept = new HashSet<>(pinned);
        kept.addAll(saving.stacked);
        kept.addAll(saving.hoisted);
        kept.addAll(readsOfWrittenArrays(all));
        Set<Node> conditions = new HashSet<>();
        for (Block b : blockOf.values()) for (Literal l : b.gate.literals()) conditions.add(l.condition());
        Map<Node, Integer> uses = new HashMap<>();
        Map<Node, Node> user = new HashMap<>();
        Map<Node, Integer> position = new HashMap<>();
        for (Node n : all) {
            position.put(n, position.size());
            if (n.op() == Op.RESULT) resultsOf.computeIfAbsent(n.in(0), k -> new ArrayList<>()).add(n);
            for (Node in : n.inputs()) {
                uses.merge(in, 1, Integer::sum);
                user.put(in, n);
            }
            for (dev.tapeless.processor.ir.Region r : n.regions()) {
                for (Node y : r.yields()) uses.merge(y, 1, Integer::sum);
                if (r.isLoopCondition()) {
                    Node test = r.yields().get(0);
                    if (uses.get(test) == 1 && !test.op().isLeaf() && test.region() == r) headers.add(test);
                }
            }
        }
        Set<Node> chosen = new HashSet<>();
        for (Node n : all) {
            if (n.op().isLeaf() || n.op() == Op.RESULT || n.op().hasRegions() || n.kind() == Kind.TENSOR) continue;
            if (n.kind().isArray() || kept.contains(n) || conditions.contains(n)) continue;
            if (headers.contains(n)) {
                chosen.add(n);
                continue;
            }
            boolean sourceLocal = !n.name().startsWith("$") && !n.origin().adjoint();
            if (sourceLocal || uses.getOrDefault(n, 0) != 1) continue;
            Node u = user.get(n);
            if (u == null || u.kind() == Kind.TENSOR || !u.origin().equals(n.origin()) || u.region() != n.region()) continue;
            if (blockOf.get(u) != blockOf.get(n)) continue;
            if (u.op() == Op.LOOP) continue; // an initial value: a declaration of its own reads better
            chosen.add(n);
        }
        // A condition's temporaries go into the header only if all of them do.
        for (Node n : all) {
            if (n.region() != null && n.region().isLoopCondition() && !n.op().isLeaf() && !chosen.contains(n)) {
                headers.remove(n.region().yields().get(0));
                chosen.remove(n.region().yields().get(0));
            }
        }
        writtenIntoUse = chosen;
        useCount = uses;
        // Yields written straight into their variable: x = x + 1 rather than x_2 = x + 1; x = x_2.
        for (Node owner : all) {
            if (!owner.op().hasRegions()) continue;
            for (int ri = 0; ri < owner.regions().size(); ri++) {
                dev.tapeless.processor.ir.Region r = owner.regions().get(ri);
                if (r.isLoopCondition()) continue;
                Map<Node, Integer> times = new HashMap<>();
                for (Node y : r.yields()) times.merge(y, 1, Integer::sum);
                for (int k = 0; k < r.yields().size(); k++) {
                    Node y = r.yields().get(k);
                    if (y.kind().isArray() || y.region() != r || times.get(y) != 1 || uses.getOrDefault(y, 0) != 1 || y.op().isLeaf()
                            || y.op() == Op.RESULT || y.op().hasRegions() || chosen.contains(y)
                            || kept.contains(y) || conditions.contains(y) || blockOf.containsKey(y)) {
                        continue;
                    }
                    if (owner.op() == Op.LOOP) {
                        Node arg = r.args().get(k);
                        // Another carried value becoming this one's old value reads it at the end: a swap.
                        if (r.yields().contains(arg) || !readsSettled(arg, y, all, position, user)) continue;
                        coalesced.put(y, arg);
                    } else {
                        Node result = null;
                        for (Node res : resultsOf.getOrDefault(owner, List.of())) {
                            if (res.attrs().integer() == k) result = res;
                        }
                        if (result != null) coalesced.put(y, result);
                    }
                }
            }
        }
    }

    /**
     * Whether every read of carried value {@code arg} in its loop happens by the statement of
     * {@code y}, which assigns the carried variable: reads written into a later use included.
     */
    private boolean readsSettled(Node arg, Node y, List<Node> all, Map<Node, Integer> position, Map<Node, Node> user) {
        int at = position.get(y);
        for (Node r : all) {
            if (!r.inputs().contains(arg)) continue;
            if (!Saving.visible(arg, r.region())) continue; // the reverse pass reads what was saved, not the variable
            Node n = r;
            while (writtenIntoUse.contains(n) && user.get(n) != null) n = user.get(n); // a loop's header has none
            if (position.getOrDefault(n, Integer.MAX_VALUE) > at) return false;
        }
        return true;
    }

    /**
     * Reads of arrays that the body also writes (local arrays, adjoint accumulators): such a read is
     * a statement of its own, never written into a later use, which a write in between would change.
     */
    private static Set<Node> readsOfWrittenArrays(List<Node> all) {
        Set<Node> written = new HashSet<>();
        for (Node n : all) if (n.op() == Op.STORE || n.op() == Op.ACCUM) written.add(dev.tapeless.processor.ir.Graph.arrayRoot(n));
        Set<Node> out = new HashSet<>();
        for (Node n : all) {
            if (n.op() == Op.LOAD && written.contains(dev.tapeless.processor.ir.Graph.arrayRoot(n.in(0)))) out.add(n);
        }
        return out;
    }

    /** Decides which of {@code nodes} are written into their one use. */
    private void planTemporaries(List<Node> nodes, Collection<Node> pinned) {
        Set<Node> volatileReads = readsOfWrittenArrays(nodes);
        Set<Node> conditions = new HashSet<>();
        for (Block b : blockOf.values()) for (Literal l : b.gate.literals()) conditions.add(l.condition());
        Map<Node, Integer> uses = new HashMap<>();
        Map<Node, Node> user = new HashMap<>();
        for (Node n : nodes) {
            for (Node in : n.inputs()) {
                uses.merge(in, 1, Integer::sum);
                user.put(in, n);
            }
        }
        Set<Node> chosen = new HashSet<>();
        for (Node n : nodes) {
            if (n.op().isLeaf() || n.kind() == Kind.TENSOR || pinned.contains(n) || conditions.contains(n)) continue;
            if (n.kind().isArray() || volatileReads.contains(n)) continue;
            boolean sourceLocal = !n.name().startsWith("$") && !n.origin().adjoint();
            if (sourceLocal) continue;
            if (uses.getOrDefault(n, 0) != 1) continue;
            Node u = user.get(n);
            if (u.kind() == Kind.TENSOR || !u.origin().equals(n.origin())) continue;
            if (blockOf.get(u) != blockOf.get(n) || partOf.get(u) != partOf.get(n)) continue;
            chosen.add(n);
        }
        writtenIntoUse = chosen;
    }

    /**
     * Frees each array the body allocates as soon as nothing can read it any more: after the
     * statement of the last reader of the array or of anything that may alias it. Arrays that
     * {@code pinned} values (results, values kept for a pullback) may alias are never freed.
     * ND4J returns off-heap memory only when the garbage collector finds the Java wrapper; freeing
     * temporaries at once lets the next allocation reuse their memory, which on large arrays is
     * several times faster.
     */
    private void planReleases(List<Node> nodes, Collection<Node> pinned) {
        Map<Node, Integer> index = new HashMap<>();
        Map<Node, Node> user = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            index.put(n, i);
            for (Node in : n.inputs()) if (writtenIntoUse.contains(in)) user.put(in, n);
        }
        Set<Node> held = new HashSet<>();
        for (Node p : pinned) if (p.kind() == Kind.TENSOR) held.addAll(Aliasing.sourcesOf(p));
        // A called companion's Vjp keeps its arguments for its pullback, which may run later.
        for (Node n : nodes) {
            if (n.op() != Op.CALL_VJP) continue;
            for (Node in : n.inputs()) if (in.kind() == Kind.TENSOR) held.addAll(Aliasing.sourcesOf(in));
        }
        // The fresh arrays each value may be (itself, or what it is a view or reshape of).
        Map<Node, List<Node>> freshSources = new HashMap<>();
        for (Node m : nodes) {
            if (m.kind() != Kind.TENSOR || m.op().isLeaf()) continue;
            for (Node s : Aliasing.sourcesOf(m)) {
                if (Aliasing.isFresh(s) && index.containsKey(s)) freshSources.computeIfAbsent(m, k -> new ArrayList<>()).add(s);
            }
        }
        // The last statement that reads each fresh array or one of its aliases.
        Map<Node, Node> lastReader = new HashMap<>();
        for (Node r : nodes) {
            Node at = null;
            for (Node in : r.inputs()) {
                for (Node f : freshSources.getOrDefault(in, List.of())) {
                    if (at == null) at = statementOf(r, user);
                    Node last = lastReader.get(f);
                    if (last == null || index.get(at) > index.get(last)) lastReader.put(f, at);
                }
            }
        }
        for (Node f : nodes) {
            if (!Aliasing.isFresh(f) || held.contains(f)) continue;
            Node last = lastReader.get(f);
            if (last != null) releaseAfter.computeIfAbsent(last, k -> new ArrayList<>()).add(f);
        }
    }

    /**
     * The values a later part reads (an operand, a block's condition, an array freed there) or
     * the entry point does (pinned values), which live in the frame.
     */
    private void planParts(List<Node> nodes, Collection<Node> pinned) {
        for (Node r : nodes) {
            for (Node in : r.inputs()) share(in, partOf.get(r));
            // Every version of an array written in place is its first one's variable: a write or a
            // read in another part than the one that declares it makes that variable the frame's.
            if (isArrayVersion(r)) share(dev.tapeless.processor.ir.Graph.arrayRoot(r), partOf.get(r));
        }
        for (Block b : new HashSet<>(blockOf.values())) {
            for (Literal l : b.gate.literals()) share(l.condition(), partOf.get(b.members.get(0)));
        }
        releaseAfter.forEach((at, freed) -> freed.forEach(f -> share(f, partOf.get(at))));
        for (Node p : pinned) share(p, null);
        parts = new Parts(partsTarget, names.fresh("frame"), List.copyOf(parameters.values()));
        for (Node n : nodes) if (!n.op().isLeaf()) lastNode = n;
    }

    /** Shares {@code n} if it is computed in a part other than {@code readInPart} (null: the entry point). */
    private void share(Node n, Integer readInPart) {
        Integer part = partOf.get(n); // null for values the body does not compute
        if (part != null && !part.equals(readInPart)) shared.add(n);
        if (isArrayVersion(n)) {
            Node root = dev.tapeless.processor.ir.Graph.arrayRoot(n);
            Integer declared = partOf.get(root);
            if (declared != null && !declared.equals(readInPart)) shared.add(root);
        }
    }

    /** A write of an array element in place: the next version of the array, in its first version's variable. */
    private static boolean isArrayVersion(Node n) {
        return (n.op() == Op.STORE || n.op() == Op.ACCUM) && n.kind().isArray();
    }

    /** The node whose statement runs {@code r}'s code: its use if it is written into it, the end of its block. */
    private Node statementOf(Node r, Map<Node, Node> user) {
        Node n = r;
        while (writtenIntoUse.contains(n)) n = user.get(n);
        Block b = blockOf.get(n);
        return b == null ? n : b.members.get(b.members.size() - 1);
    }

    /** A run of consecutive nodes with one gate, written as one {@code if} block. */
    private static final class Block {
        final Gate gate;
        final List<Node> members = new ArrayList<>();

        Block(Gate gate) {
            this.gate = gate;
        }
    }

    private void planBlocks(List<Node> nodes, Collection<Node> pinned, Gates gates) {
        planRuns(nodes, gates);
        for (Node n : nodes) {
            for (Node in : n.inputs()) {
                if (blockOf.containsKey(in) && blockOf.get(in) != blockOf.get(n)) readAfterBlock.add(in);
            }
        }
        for (Node p : pinned) if (blockOf.containsKey(p)) readAfterBlock.add(p);
    }

    /** The runs of consecutive nodes of one list with one gate. */
    private void planRuns(List<Node> nodes, Gates gates) {
        Block current = null;
        for (Node n : nodes) {
            if (n.op().isLeaf()) continue; // writes no statement: ends no run
            Gate g = gates.of(n);
            if (g == null) {
                current = null;
                continue;
            }
            if (current == null || !current.gate.equals(g)) current = new Block(g);
            current.members.add(n);
            blockOf.put(n, current);
        }
    }

    int precedence(Node n) {
        return precedences.getOrDefault(n, Emission.PRIMARY);
    }

    boolean isDefined(Node n) {
        return refs.containsKey(n) || n.op() == Op.CONST || n.op() == Op.FIELD || n.op() == Op.UNDEF;
    }

    CodeBlock ref(Node n) {
        CodeBlock r = refs.get(n);
        if (r != null) {
            Parts.Parameter p = parameters.get(n);
            if (p != null && currentPart >= 0 && out != tail) parts.reads(p);
            return r;
        }
        if (n.op() == Op.CONST) return Emitter.literal(n);
        if (n.op() == Op.UNDEF) {
            return n.kind() == Kind.TENSOR || n.kind().isArray() ? CodeBlock.of("null") : Emitter.zero(n.kind());
        }
        if (n.op() == Op.FIELD) return fieldExpression(n);
        throw new IllegalStateException("node used before it is defined: " + n);
    }

    /** {@code Owner.FIELD}: a static field, read where this is written. */
    private CodeBlock fieldExpression(Node n) {
        String q = n.attrs().text();
        int dot = q.lastIndexOf('.');
        return CodeBlock.of("$T.$N", classNamed.apply(q.substring(0, dot)), q.substring(dot + 1));
    }

    /** Writes the statement computing {@code n} (or keeps its expression for its one use). */
    void emit(Node n) {
        if (structured && n.region() == null) beforeTop(n);
        if (structured) readPositions(n);
        switch (n.op()) {
            case IF -> {
                writeIf(n);
                return;
            }
            case LOOP -> {
                writeLoop(n);
                return;
            }
            case RESULT -> {
                push(n);
                return;
            }
            case STORE, ACCUM -> {
                // One array object, written in place: every version of it is its variable.
                comment(n.origin());
                out.addStatement("$L[$L] $L $L", ref(n.in(0)), ref(n.in(1)), n.op() == Op.STORE ? "=" : "+=", ref(n.in(2)));
                refs.put(n, ref(n.in(0)));
                return;
            }
            default -> { }
        }
        if (inHeader.contains(n)) { // i++ in its for header
            refs.put(n, declared.get(n));
            return;
        }
        if (n.op().isLeaf()) {
            if (n.op() == Op.FIELD && saving.hoisted.contains(n)) { // read here, into its variable from before the branch
                out.addStatement("$L = $L", declared.get(n), fieldExpression(n));
            }
            push(n); // a static field read in a loop: kept as it was read
            return;
        }
        if (parts != null) enterPart(partOf.get(n));
        Block block = blockOf.get(n);
        if (block != null && block.members.get(0) == n) open(block);
        write(n);
        if (block != null && block.members.get(block.members.size() - 1) == n) out.endControlFlow();
        List<Node> dead = releaseAfter.get(n);
        if (dead != null) {
            out.addStatement("$T.release($L)", Emitter.KERNELS,
                    CodeBlock.join(dead.stream().map(this::ref).toList(), ", "));
        }
        if (n == lastNode) out = tail; // what follows is the entry point's again
        push(n);
    }

    // ---- branches and loops -------------------------------------------------------------------

    /** Before a top-level node: the storage of the values saved in it. */
    private void beforeTop(Node top) {
        for (Node v : saving.declareBefore.getOrDefault(top, List.of())) {
            if (saving.hoisted.contains(v)) {
                CodeBlock name = CodeBlock.of("$N", names.fresh(v.name()));
                out.addStatement("$T $L = $L", typeOf(v), name, v.kind() == Kind.TENSOR ? "null" : Emitter.zero(v.kind()));
                declared.put(v, name);
                refs.put(v, name);
            } else if (!stacks.containsKey(v)) {
                String name = names.fresh(bare(v.name()) + "Saved");
                CodeBlock capacity = capacity(v, top);
                out.addStatement("$T $N = new $T($L)", Saving.stackType(v.kind()), name, Saving.stackType(v.kind()), capacity);
                stacks.put(v, CodeBlock.of("$N", name));
            }
        }
    }

    /** Before an IF or LOOP of a reverse pass (or one around it): where each stack it reads back from starts. */
    private void readPositions(Node n) {
        for (Node v : saving.cursorBefore.getOrDefault(n, List.of())) {
            String name = names.fresh(bare(v.name()) + "At");
            out.addStatement("int $N = $L.size()", name, stacks.get(v));
            cursors.put(v, name);
        }
    }

    /**
     * The room a stack needs at first: the trip count of the top-level loop {@code top} when it is
     * known at its entry and {@code v} is saved once per iteration at most; else nothing (it grows).
     */
    private CodeBlock capacity(Node v, Node top) {
        if (top.op() != Op.LOOP) return CodeBlock.of("");
        for (dev.tapeless.processor.ir.Region r = v.region(); r != null && r != top.regions().get(1); r = r.parent()) {
            if (r.isLoopBody()) return CodeBlock.of(""); // in a nested loop: as many times as it runs
        }
        Node[] counted = Saving.countedBound(top);
        if (counted == null) return CodeBlock.of("");
        Node test = counted[0];
        Node bound = counted[1];
        Node init = counted[2];
        boolean up = test.in(0) == bound;
        Node from = up ? init : bound;
        Node to = up ? bound : init;
        CodeBlock span = from.isConst(0) ? top(to) : CodeBlock.of("$L - $L", top(to), paren(from));
        return test.op() == Op.GT ? CodeBlock.of("$T.max(0, $L)", Emitter.MATH, span) : CodeBlock.of("$T.max(0, $L + 1)", Emitter.MATH, span);
    }

    private CodeBlock paren(Node n) {
        return precedence(n) > Emission.ADDITIVE && !Saving.isTopLevelLength(n) ? ref(n) : CodeBlock.of("($L)", top(n));
    }

    /** A value from before a loop, written before it: {@code a.length} is read there afresh. */
    private CodeBlock top(Node n) {
        return Saving.isTopLevelLength(n) && !isDefined(n) ? CodeBlock.of("$L.length", ref(n.in(0))) : ref(n);
    }

    private static String bare(String name) {
        return name.startsWith("$") ? name.substring(1) : name;
    }

    /** Pushes {@code n} if the reverse pass reads it back. */
    private void push(Node n) {
        if (saving.stacked.contains(n)) out.addStatement("$L.push($L)", stacks.get(n), ref(n));
    }

    /** At the start of a region that undoes a forward one: the values it reads back. */
    private void readBack(dev.tapeless.processor.ir.Region r) {
        for (Node v : saving.readAt.getOrDefault(r, List.of())) {
            String name = names.fresh(bare(v.name()));
            if (saving.recomputed.contains(v)) {
                out.addStatement("$T $N = $L", javaType(v.kind()), name, recompute(v, r));
            } else {
                out.addStatement("$T $N = $L.get(--$N)", javaType(v.kind()), name, stacks.get(v), cursors.get(v));
            }
            refs.put(v, CodeBlock.of("$N", name));
        }
    }

    /**
     * {@code v} computed again at the start of reverse region {@code r}: {@code a[i]}, or a counter
     * {@code i0 + (k - 1) * c} from the reverse loop's counter {@code k} (its iteration k - 1 forward).
     */
    private CodeBlock recompute(Node v, dev.tapeless.processor.ir.Region r) {
        if (v.op() == Op.LOAD) return CodeBlock.of("$L[$L]", ref(v.in(0)), ref(v.in(1)));
        Node next = Saving.affineStep(v);
        Node init = v.region().owner().in(v.region().args().indexOf(v));
        CodeBlock t = CodeBlock.of("$L - 1", ref(r.args().get(0))); // the forward iteration it undoes
        CodeBlock steps = next.in(1).isConst(1) ? CodeBlock.of("($L)", t) : CodeBlock.of("($L) * $L", t, Emitter.literal(next.in(1)));
        String sign = next.op() == Op.ADD ? "+" : "-";
        if (init.isConst(0)) return next.op() == Op.ADD ? (next.in(1).isConst(1) ? t : steps) : CodeBlock.of("-$L", steps);
        return CodeBlock.of("$L $L $L", precedence(init) >= Emission.ADDITIVE ? ref(init) : CodeBlock.of("($L)", ref(init)), sign, steps);
    }

    private void writeRegion(dev.tapeless.processor.ir.Region r) {
        readBack(r);
        for (Node m : r.nodes()) emit(m);
    }

    /** The variable of a result: declared before the top-level branch if the reverse pass reads it, else here. */
    private CodeBlock resultVariable(Node r, boolean declare) {
        CodeBlock target = declared.get(r);
        if (target != null) return target;
        target = CodeBlock.of("$N", names.fresh(r.name()));
        if (declare) out.addStatement("$T $L", typeOf(r), target);
        return target;
    }

    private void writeIf(Node n) {
        comment(n.origin());
        List<Node> results = resultsOf.getOrDefault(n, List.of());
        Map<Integer, CodeBlock> targets = new HashMap<>();
        for (Node r : results) {
            if (r.kind().isArray()) continue; // the same array object on both paths
            targets.put((int) r.attrs().integer(), resultVariable(r, true));
        }
        for (dev.tapeless.processor.ir.Region r : n.regions()) {
            for (Node y : r.yields()) {
                Node into = coalesced.get(y);
                if (into != null && into.op() == Op.RESULT && into.in(0) == n) declared.put(y, targets.get((int) into.attrs().integer()));
            }
        }
        out.beginControlFlow("if ($L)", ref(n.in(0)));
        writeBranch(n.regions().get(0), targets);
        CodeBlock.Builder saved = out;
        CodeBlock.Builder elseCode = CodeBlock.builder();
        out = elseCode;
        writeBranch(n.regions().get(1), targets);
        out = saved;
        CodeBlock e = elseCode.build();
        if (!e.isEmpty()) {
            out.nextControlFlow("else");
            out.add(e);
        }
        out.endControlFlow();
        lastOrigin = Origin.NONE;
        for (Node r : results) {
            refs.put(r, r.kind().isArray() ? ref(dev.tapeless.processor.ir.Graph.arrayRoot(r)) : targets.get((int) r.attrs().integer()));
        }
    }

    private void writeBranch(dev.tapeless.processor.ir.Region r, Map<Integer, CodeBlock> targets) {
        Origin before = lastOrigin;
        writeRegion(r);
        for (int k = 0; k < r.yields().size(); k++) {
            Node y = r.yields().get(k);
            CodeBlock target = targets.get(k);
            if (target == null || coalesced.containsKey(y) && target.equals(declared.get(y))) continue;
            out.addStatement("$L = $L", target, ref(y));
        }
        lastOrigin = before;
    }

    /**
     * The carried counter a loop can step in a {@code for} header: an int or long that the body
     * steps by one, dead after the loop, with a condition written as an expression. The step is the
     * body's last statement, or read by nothing but the next iteration (then it moves to the end:
     * it reads only the counter, which nothing assigns before the end).
     * -1 when there is none (the loop is written {@code while}).
     */
    private int forCounter(Node n) {
        dev.tapeless.processor.ir.Region cond = n.regions().get(0);
        dev.tapeless.processor.ir.Region body = n.regions().get(1);
        if (!headers.contains(cond.yields().get(0)) && !cond.yields().get(0).op().isLeaf()) return -1;
        Node lastStatement = null;
        for (Node m : body.nodes()) if (!m.op().isLeaf()) lastStatement = m;
        for (int j = 0; j < body.args().size(); j++) {
            Node a = body.args().get(j);
            Node y = body.yields().get(j);
            boolean last = y == lastStatement && coalesced.get(y) == a;
            boolean onlyNext = y.region() == body && useCount.getOrDefault(y, 0) == 1 && !coalesced.containsKey(y)
                    && !writtenIntoUse.contains(y);
            if (!(last || onlyNext) || saving.stacked.contains(y) || saving.hoisted.contains(y)) continue;
            if ((y.op() != Op.ADD && y.op() != Op.SUB) || y.in(0) != a || !y.in(1).isConst(1)) continue;
            final int index = j;
            if (resultsOf.getOrDefault(n, List.of()).stream().anyMatch(r -> r.attrs().integer() == index)) continue;
            return j;
        }
        return -1;
    }

    private void writeLoop(Node n) {
        comment(n.origin());
        dev.tapeless.processor.ir.Region cond = n.regions().get(0);
        dev.tapeless.processor.ir.Region body = n.regions().get(1);
        List<Node> args = body.args();
        int stepped = forCounter(n);
        for (int j = 0; j < args.size(); j++) {
            Node a = args.get(j);
            if (a.kind().isArray()) { // the same array object in every iteration, written in place
                refs.put(a, ref(n.in(j)));
                continue;
            }
            if (j == stepped) { // declared in the for header
                refs.put(a, CodeBlock.of("$N", names.fresh(a.name())));
                inHeader.add(body.yields().get(j));
                declared.put(body.yields().get(j), refs.get(a));
                continue;
            }
            CodeBlock name = CodeBlock.of("$N", names.fresh(a.name()));
            out.addStatement("$T $L = $L", javaType(a.kind()), name, ref(n.in(j)));
            refs.put(a, name);
        }
        Node trips = null;
        for (Node r : resultsOf.getOrDefault(n, List.of())) if (r.attrs().integer() == args.size()) trips = r;
        CodeBlock counter = null;
        if (trips != null) {
            counter = resultVariable(trips, false);
            if (declared.containsKey(trips)) {
                out.addStatement("$L = 0", counter);
            } else {
                out.addStatement("int $L = 0", counter);
            }
        }
        for (Node y : body.yields()) {
            Node into = coalesced.get(y);
            if (into != null && into.op() == Op.ARG) declared.put(y, refs.get(into));
        }
        Node test = cond.yields().get(0);
        if (test.isConst(0)) { // never runs (found so only after the optimizer's last pass): no loop, which Java would reject
            lastOrigin = Origin.NONE;
            loopResults(n, trips, counter);
            return;
        }
        if (stepped >= 0) {
            for (Node m : cond.nodes()) emit(m);
            Node a = args.get(stepped);
            Node step = body.yields().get(stepped);
            out.beginControlFlow("for ($T $L = $L; $L; $L$L)", javaType(a.kind()), refs.get(a), ref(n.in(stepped)),
                    ref(test), refs.get(a), step.op() == Op.ADD ? "++" : "--");
        } else if (headers.contains(test)) {
            for (Node m : cond.nodes()) emit(m);
            out.beginControlFlow("while ($L)", ref(test));
        } else {
            out.beginControlFlow("while (true)");
            writeRegion(cond);
            CodeBlock c = ref(test);
            boolean primary = precedence(test) >= Emission.UNARY;
            out.addStatement("if ($L) break", primary ? CodeBlock.of("!$L", c) : CodeBlock.of("!($L)", c));
        }
        if (counter != null) out.addStatement("$L++", counter);
        for (Node a : args) push(a);
        writeRegion(body);
        // The next values, all read before any is assigned (a swap reads both old values).
        List<Integer> assign = new ArrayList<>();
        for (int j = 0; j < args.size(); j++) {
            Node y = body.yields().get(j);
            if (y != args.get(j) && coalesced.get(y) != args.get(j) && !y.kind().isArray() && j != stepped) assign.add(j);
        }
        Map<Integer, CodeBlock> value = new HashMap<>();
        for (int j : assign) {
            Node y = body.yields().get(j);
            CodeBlock v = ref(y);
            if (y.op() == Op.ARG && args.contains(y) && assign.contains(args.indexOf(y))) {
                String t = names.fresh(bare(y.name()) + "Before");
                out.addStatement("$T $N = $L", typeOf(y), t, v);
                v = CodeBlock.of("$N", t);
            }
            value.put(j, v);
        }
        for (int j : assign) out.addStatement("$L = $L", refs.get(args.get(j)), value.get(j));
        out.endControlFlow();
        lastOrigin = Origin.NONE;
        loopResults(n, trips, counter);
    }

    /**
     * After a loop: its results are its carried variables and its counter of iterations, or, for a
     * result the reverse pass reads from before the branch around it, assigned to that variable.
     */
    private void loopResults(Node n, Node trips, CodeBlock counter) {
        List<Node> args = n.regions().get(1).args();
        for (Node r : resultsOf.getOrDefault(n, List.of())) {
            if (r == trips) {
                refs.put(r, counter);
                continue;
            }
            CodeBlock v = refs.get(args.get((int) r.attrs().integer()));
            if (declared.containsKey(r) && !r.kind().isArray()) {
                out.addStatement("$L = $L", declared.get(r), v);
            } else {
                refs.put(r, v);
            }
        }
    }

    private void enterPart(int part) {
        if (part == currentPart) return;
        parts.next();
        currentPart = part;
        out = parts.code();
        lastOrigin = Origin.NONE; // each part starts with the source line it comes from
    }

    private void write(Node n) {
        Emission e = emitter.emit(n);
        if (writtenIntoUse.contains(n)) {
            refs.put(n, e.expression());
            precedences.put(n, e.precedence());
            return;
        }
        comment(n.origin());
        CodeBlock target = declared.get(n);
        if (target != null) {
            out.addStatement("$L = $L", target, e.expression());
            refs.put(n, target);
        } else {
            target = local(n);
            if (shared.contains(n)) {
                out.addStatement("$L = $L", target, e.expression());
            } else {
                out.addStatement("$T $L = $L", typeOf(n), target, e.expression());
            }
            refs.put(n, target);
        }
        fewest += e.fewest();
        most += e.most();
        called.addAll(e.calledCounts());
    }

    /** A new variable for {@code n}: a local, or a field of the frame when a later part reads it. */
    private CodeBlock local(Node n) {
        String name = names.fresh(n.name());
        return shared.contains(n) ? parts.field(typeOf(n), name) : CodeBlock.of("$N", name);
    }

    /** Declares the block's values read after it (zero while the gate is off), then opens it. */
    private void open(Block block) {
        comment(block.members.get(0).origin());
        for (Node m : block.members) {
            if (!readAfterBlock.contains(m)) continue;
            CodeBlock target = local(m);
            if (shared.contains(m)) {
                out.addStatement("$L = $L", target, Emitter.zero(m.kind()));
            } else {
                out.addStatement("$T $L = $L", typeOf(m), target, Emitter.zero(m.kind()));
            }
            declared.put(m, target);
            refs.put(m, target);
        }
        List<CodeBlock> tests = new ArrayList<>();
        for (Literal l : block.gate.literals()) {
            CodeBlock c = ref(l.condition());
            boolean primary = precedence(l.condition()) >= Emission.UNARY;
            tests.add(l.on() ? c : primary ? CodeBlock.of("!$L", c) : CodeBlock.of("!($L)", c));
        }
        out.beginControlFlow("if ($L)", CodeBlock.join(tests, " && "));
    }

    private void comment(Origin o) {
        if (!o.equals(lastOrigin) && o.line() > 0) {
            out.add("// $L$L: $L\n", o.adjoint() ? "adjoint of " : "", o.site(), oneLine(o.statement()));
        }
        lastOrigin = o;
    }

    void statement(String format, Object... args) {
        out.addStatement(format, args);
    }

    /** Code written as it is (a fused pass and its guard, before the ND4J path). */
    void block(CodeBlock c) {
        out.add(c);
    }

    void count(int fewestOps, int mostOps) {
        fewest += fewestOps;
        most += mostOps;
    }

    /** The entry point's body: all of it, or its first statements, the calls of its parts, and its last ones. */
    CodeBlock code() {
        if (parts == null) return code.build();
        if (!parts.parametersFit()) throw new PartsTooLarge();
        return CodeBlock.builder().add(code.build()).add(parts.calls()).add(tail.build()).build();
    }

    /** The part methods and the frame class of a body written in parts; none for a body written whole. */
    List<MethodSpec> partMethods() {
        return parts == null ? List.of() : parts.methods();
    }

    /** The frame class of a body written in parts, or null. */
    TypeSpec frameType() {
        return parts == null ? null : parts.frameType();
    }

    /** A body whose parts would each need more parameter slots than the JVM allows. */
    static final class PartsTooLarge extends RuntimeException {
        PartsTooLarge() {
            super(null, null, false, false);
        }
    }

    List<CodeBlock> called() {
        return called;
    }

    int fewest() {
        return fewest;
    }

    int most() {
        return most;
    }

    static TypeName javaType(Kind kind) {
        return switch (kind) {
            case TENSOR -> Emitter.INDARRAY;
            case SCALAR -> TypeName.DOUBLE;
            case INT -> TypeName.INT;
            case LONG -> TypeName.LONG;
            case BOOL -> TypeName.BOOLEAN;
            case VOID -> TypeName.VOID;
            case DOUBLE_ARRAY -> com.palantir.javapoet.ArrayTypeName.of(TypeName.DOUBLE);
            case INT_ARRAY -> com.palantir.javapoet.ArrayTypeName.of(TypeName.INT);
            case LONG_ARRAY -> com.palantir.javapoet.ArrayTypeName.of(TypeName.LONG);
            case BOOL_ARRAY -> com.palantir.javapoet.ArrayTypeName.of(TypeName.BOOLEAN);
            case DOUBLE_MATRIX -> com.palantir.javapoet.ArrayTypeName.of(com.palantir.javapoet.ArrayTypeName.of(TypeName.DOUBLE));
            case OBJECT -> ClassName.OBJECT;
        };
    }

    /** The Java type of {@code n}'s value: of its kind, or, for an object of a called companion, that class. */
    static TypeName javaType(Node n, Function<String, ClassName> classNamed) {
        if (n.kind() != Kind.OBJECT) return javaType(n.kind());
        dev.tapeless.processor.ir.Callee c = n.attrs().callee();
        return classNamed.apply(c.companion()).nestedClass(
                dev.tapeless.processor.ir.CompanionNames.nested(c.method(), n.op() == Op.CALL_VJP ? "Vjp" : "Gradient"));
    }

    private TypeName typeOf(Node n) {
        return javaType(n, classNamed);
    }

    /**
     * A statement as one line of a {@code //} comment. Backslashes are doubled: javac reads Unicode
     * escapes before comments, and a source's escaped line feed would end the comment.
     */
    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim().replace("\\", "\\\\");
    }
}
