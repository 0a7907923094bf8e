package dev.tapeless.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;

import java.util.HashMap;
import java.util.Map;

/**
 * Writes IR nodes as Java statements, one per primitive, each group under a comment with the
 * source statement it comes from, and counts the ND4J ops they run.
 */
final class BodyWriter {
    private final Names names;
    private final Map<Node, CodeBlock> refs = new HashMap<>();
    private final Emitter emitter = new Emitter(this::ref);
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
        Origin o = n.origin();
        if (!o.equals(lastOrigin) && o.line() > 0) {
            code.add("// $L$L: $L\n", o.adjoint() ? "adjoint of " : "", o.site(), oneLine(o.statement()));
        }
        lastOrigin = o;
        Emission e = emitter.emit(n);
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
