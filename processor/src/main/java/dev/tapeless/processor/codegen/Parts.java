package dev.tapeless.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.element.Modifier;

/**
 * A body too long for one Java method, written as consecutive parts: private methods that the
 * entry point calls in order. A value computed in one part and read in a later one (or by the
 * entry point's return) lives in a field of a per-call frame object; every other value stays a
 * local of its part. Parameters are passed to the parts that read them.
 *
 * <p>The JVM rejects a method of more than 64 KB of bytecode, and HotSpot does not compile one of
 * more than 8,000 bytes (it runs interpreted). A part holds at most {@link #NODES_PER_PART} nodes,
 * an array op counting three times: Java arithmetic takes 8 to 13 bytes of bytecode per node (the
 * more the more values come from the frame), an array op 25, so a part stays under 7 KB. A body
 * that fits in one part is written as one method, exactly as it would be without this class.
 */
final class Parts {
    /** Nodes (statements before temporaries are written into their use) per part, array ops counting three times. */
    static final int NODES_PER_PART = 500;
    /** Statements per method of the statements that follow the parts (a Vjp's field assignments, 8 to 9 bytes each). */
    static final int STATEMENTS_PER_METHOD = 500;
    /** The JVM's limit on a method's parameters, in slots ({@code this} one, a double or long two). */
    static final int MAX_PARAMETER_SLOTS = 255;

    /** Where the parts of one entry point go: methods {@code name + "Part" + i} and a frame class. */
    record Target(String entryName, ClassName frameType, boolean isStatic) {}

    /** A parameter of the entry point, passed on to the parts that read it. */
    record Parameter(String name, TypeName type) {}

    private static final class Part {
        final CodeBlock.Builder code = CodeBlock.builder();
        final Set<Parameter> reads = new LinkedHashSet<>();
    }

    private final Target target;
    private final String frame;
    private final List<Parameter> parameters;
    private final List<Part> parts = new ArrayList<>();
    private final List<FieldSpec> fields = new ArrayList<>();
    private final List<MethodSpec> after = new ArrayList<>();

    Parts(Target target, String frameName, List<Parameter> parameters) {
        this.target = target;
        this.frame = frameName;
        this.parameters = parameters;
    }

    /** Starts the next part; its statements go to {@link #code()}. */
    void next() {
        parts.add(new Part());
    }

    CodeBlock.Builder code() {
        return parts.get(parts.size() - 1).code;
    }

    /** The current part reads this parameter. */
    void reads(Parameter p) {
        if (!parts.isEmpty()) parts.get(parts.size() - 1).reads.add(p);
    }

    /** A frame field for a value shared between parts; returns how code refers to it. */
    CodeBlock field(TypeName type, String name) {
        fields.add(FieldSpec.builder(type, name).build());
        return CodeBlock.of("$N.$N", frame, name);
    }

    /** The entry point's calls: a new frame, then each part in order. */
    CodeBlock calls() {
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("$T $N = new $T()", target.frameType(), frame, target.frameType());
        for (int i = 0; i < parts.size(); i++) {
            List<CodeBlock> args = new ArrayList<>();
            args.add(CodeBlock.of("$N", frame));
            for (Parameter p : ordered(parts.get(i).reads)) args.add(CodeBlock.of("$N", p.name()));
            b.addStatement("$N($L)", methodName(i), CodeBlock.join(args, ", "));
        }
        return b.build();
    }

    /**
     * Statements that read the frame and {@code other} (and nothing else), run after the parts:
     * returns the calls of the methods that hold them, {@link #STATEMENTS_PER_METHOD} per method.
     */
    CodeBlock after(List<CodeBlock> statements, ParameterSpec other, String what) {
        CodeBlock.Builder calls = CodeBlock.builder();
        for (int from = 0; from < statements.size(); from += STATEMENTS_PER_METHOD) {
            String name = target.entryName() + what + (from / STATEMENTS_PER_METHOD + 1);
            MethodSpec.Builder m = MethodSpec.methodBuilder(name)
                    .addModifiers(Modifier.PRIVATE)
                    .addParameter(other)
                    .addParameter(target.frameType(), frame);
            if (target.isStatic()) m.addModifiers(Modifier.STATIC);
            for (CodeBlock s : statements.subList(from, Math.min(statements.size(), from + STATEMENTS_PER_METHOD))) {
                m.addStatement("$L", s);
            }
            after.add(m.build());
            calls.addStatement("$N($N, $N)", name, other.name(), frame);
        }
        return calls.build();
    }

    /** The part methods and the frame class, members of the class that holds the entry point. */
    List<MethodSpec> methods() {
        List<MethodSpec> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            MethodSpec.Builder m = MethodSpec.methodBuilder(methodName(i))
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Part $L of $L of {@link #$L}.\n", i + 1, parts.size(), target.entryName())
                    .addParameter(target.frameType(), frame);
            if (target.isStatic()) m.addModifiers(Modifier.STATIC);
            for (Parameter p : ordered(parts.get(i).reads)) m.addParameter(ParameterSpec.builder(p.type(), p.name()).build());
            out.add(m.addCode(parts.get(i).code.build()).build());
        }
        out.addAll(after);
        return out;
    }

    TypeSpec frameType() {
        return TypeSpec.classBuilder(target.frameType())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The values {@link #$L}'s parts share, for one call.\n", target.entryName())
                .addFields(fields)
                .build();
    }

    /** Whether every part's parameters fit the JVM's limit (the frame, {@code this}, then the parameters read). */
    boolean parametersFit() {
        for (Part p : parts) {
            int slots = target.isStatic() ? 1 : 2;
            for (Parameter q : p.reads) slots += slots(q.type());
            if (slots > MAX_PARAMETER_SLOTS) return false;
        }
        return true;
    }

    static int slots(TypeName t) {
        return t.equals(TypeName.DOUBLE) || t.equals(TypeName.LONG) ? 2 : 1;
    }

    private String methodName(int index) {
        return target.entryName() + "Part" + (index + 1);
    }

    private List<Parameter> ordered(Set<Parameter> reads) {
        return parameters.stream().filter(reads::contains).toList();
    }

    /** Assigns nodes to parts: a new part every {@link #NODES_PER_PART} nodes, never inside an {@code if} block. */
    static Map<Node, Integer> assign(List<Node> nodes, Predicate<Node> continuesBlock) {
        Map<Node, Integer> partOf = new HashMap<>();
        int total = 0;
        for (Node n : nodes) total += weight(n);
        if (total <= NODES_PER_PART) return partOf;
        int part = 0;
        int inPart = 0;
        for (Node n : nodes) {
            if (n.op().isLeaf()) continue;
            if (inPart + weight(n) > NODES_PER_PART && !continuesBlock.test(n)) {
                part++;
                inPart = 0;
            }
            partOf.put(n, part);
            inPart += weight(n);
        }
        return partOf;
    }

    private static int weight(Node n) {
        return n.op().isLeaf() ? 0 : n.kind() == Kind.TENSOR ? 3 : 1;
    }
}
