package dev.tapeless.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;

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
 */
final class BodyWriter {
    private final Names names;
    private final Map<Node, CodeBlock> refs = new HashMap<>();
    private final Map<Node, Integer> precedences = new HashMap<>();
    private Set<Node> writtenIntoUse = Set.of();
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
            if (n.op().isLeaf() || n.kind() == Kind.TENSOR || pinned.contains(n)) continue;
            boolean sourceLocal = !n.name().startsWith("$") && !n.origin().adjoint();
            if (sourceLocal) continue;
            if (uses.getOrDefault(n, 0) != 1) continue;
            Node u = user.get(n);
            if (u.kind() == Kind.TENSOR || !u.origin().equals(n.origin())) continue;
            chosen.add(n);
        }
        writtenIntoUse = chosen;
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
        Emission e = emitter.emit(n);
        if (writtenIntoUse.contains(n)) {
            refs.put(n, e.expression());
            precedences.put(n, e.precedence());
            return null;
        }
        Origin o = n.origin();
        if (!o.equals(lastOrigin) && o.line() > 0) {
            code.add("// $L$L: $L\n", o.adjoint() ? "adjoint of " : "", o.site(), oneLine(o.statement()));
        }
        lastOrigin = o;
        String name = names.fresh(n.name());
        code.addStatement("$T $N = $L", javaType(n.kind()), name, e.expression());
        refs.put(n, CodeBlock.of("$N", name));
        fewest += e.fewest();
        most += e.most();
        return name;
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
