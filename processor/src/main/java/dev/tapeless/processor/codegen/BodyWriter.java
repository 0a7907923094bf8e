package dev.tapeless.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 */
final class BodyWriter {
    private final Names names;
    private final Map<Node, CodeBlock> refs = new HashMap<>();
    private final Map<Node, Integer> precedences = new HashMap<>();
    private Set<Node> writtenIntoUse = Set.of();
    private final Map<Node, Block> blockOf = new HashMap<>();
    private final Set<Node> readAfterBlock = new HashSet<>();
    private final Map<Node, String> declared = new HashMap<>();
    private final Map<Node, List<Node>> releaseAfter = new HashMap<>();
    private final Emitter emitter = new Emitter(this::ref, this::precedence);
    private final CodeBlock.Builder code = CodeBlock.builder();
    private Origin lastOrigin = Origin.NONE;
    private int fewest;
    private int most;

    BodyWriter(Names names) {
        this.names = names;
    }

    /** Makes {@code n} available under an existing name (a parameter, a field). */
    void define(Node n, String name) {
        refs.put(n, CodeBlock.of("$N", name));
    }

    /**
     * Decides which of {@code nodes} (the ones this body will emit, in order) are written into their
     * one use. {@code pinned} are read by name afterwards (results, values kept for a pullback).
     */
    void planTemporaries(List<Node> nodes, Collection<Node> pinned) {
        planTemporaries(nodes, pinned, Gates.none());
    }

    /** As above, with the gated nodes of a reverse pass computed in {@code if} blocks. */
    void planTemporaries(List<Node> nodes, Collection<Node> pinned, Gates gates) {
        planBlocks(nodes, pinned, gates);
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
            boolean sourceLocal = !n.name().startsWith("$") && !n.origin().adjoint();
            if (sourceLocal) continue;
            if (uses.getOrDefault(n, 0) != 1) continue;
            Node u = user.get(n);
            if (u.kind() == Kind.TENSOR || !u.origin().equals(n.origin())) continue;
            if (blockOf.get(u) != blockOf.get(n)) continue;
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
    void planReleases(List<Node> nodes, Collection<Node> pinned) {
        Map<Node, Integer> index = new HashMap<>();
        Map<Node, Node> user = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            index.put(n, i);
            for (Node in : n.inputs()) if (writtenIntoUse.contains(in)) user.put(in, n);
        }
        Set<Node> held = new HashSet<>();
        for (Node p : pinned) if (p.kind() == Kind.TENSOR) held.addAll(Aliasing.sourcesOf(p));
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
        for (Node n : nodes) {
            for (Node in : n.inputs()) {
                if (blockOf.containsKey(in) && blockOf.get(in) != blockOf.get(n)) readAfterBlock.add(in);
            }
        }
        for (Node p : pinned) if (blockOf.containsKey(p)) readAfterBlock.add(p);
    }

    int precedence(Node n) {
        return precedences.getOrDefault(n, Emission.PRIMARY);
    }

    boolean isDefined(Node n) {
        return refs.containsKey(n) || n.op() == Op.CONST || n.op() == Op.FIELD;
    }

    CodeBlock ref(Node n) {
        CodeBlock r = refs.get(n);
        if (r != null) return r;
        if (n.op() == Op.CONST) return Emitter.literal(n.attrs().number(), n.kind());
        if (n.op() == Op.FIELD) {
            String q = n.attrs().text();
            int dot = q.lastIndexOf('.');
            return CodeBlock.of("$T.$N", ClassName.bestGuess(q.substring(0, dot)), q.substring(dot + 1));
        }
        throw new IllegalStateException("node used before it is defined: " + n);
    }

    /** Writes the statement computing {@code n} and returns the local that holds it. */
    String emit(Node n) {
        if (n.op().isLeaf()) return null;
        Block block = blockOf.get(n);
        if (block != null && block.members.get(0) == n) open(block);
        String name = write(n);
        if (block != null && block.members.get(block.members.size() - 1) == n) code.endControlFlow();
        List<Node> dead = releaseAfter.get(n);
        if (dead != null) {
            code.addStatement("$T.release($L)", Emitter.KERNELS,
                    CodeBlock.join(dead.stream().map(this::ref).toList(), ", "));
        }
        return name;
    }

    private String write(Node n) {
        Emission e = emitter.emit(n);
        if (writtenIntoUse.contains(n)) {
            refs.put(n, e.expression());
            precedences.put(n, e.precedence());
            return null;
        }
        comment(n.origin());
        String name = declared.get(n);
        if (name != null) {
            code.addStatement("$N = $L", name, e.expression());
        } else {
            name = names.fresh(n.name());
            code.addStatement("$T $N = $L", javaType(n.kind()), name, e.expression());
            refs.put(n, CodeBlock.of("$N", name));
        }
        fewest += e.fewest();
        most += e.most();
        return name;
    }

    /** Declares the block's values read after it (zero while the gate is off), then opens it. */
    private void open(Block block) {
        comment(block.members.get(0).origin());
        for (Node m : block.members) {
            if (!readAfterBlock.contains(m)) continue;
            String name = names.fresh(m.name());
            code.addStatement("$T $N = $L", javaType(m.kind()), name, Emitter.literal(0, m.kind()));
            declared.put(m, name);
            refs.put(m, CodeBlock.of("$N", name));
        }
        List<CodeBlock> tests = new ArrayList<>();
        for (Literal l : block.gate.literals()) {
            CodeBlock c = ref(l.condition());
            boolean primary = precedence(l.condition()) >= Emission.UNARY;
            tests.add(l.on() ? c : primary ? CodeBlock.of("!$L", c) : CodeBlock.of("!($L)", c));
        }
        code.beginControlFlow("if ($L)", CodeBlock.join(tests, " && "));
    }

    private void comment(Origin o) {
        if (!o.equals(lastOrigin) && o.line() > 0) {
            code.add("// $L$L: $L\n", o.adjoint() ? "adjoint of " : "", o.site(), oneLine(o.statement()));
        }
        lastOrigin = o;
    }

    void statement(String format, Object... args) {
        code.addStatement(format, args);
    }

    void count(int fewestOps, int mostOps) {
        fewest += fewestOps;
        most += mostOps;
    }

    CodeBlock code() {
        return code.build();
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
        };
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
