package dev.tapeless.processor.frontend;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import dev.tapeless.processor.diagnostics.CompileError;
import dev.tapeless.processor.diagnostics.Message;
import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Callee;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Reads static calls: {@code Math} functions, {@code Variable.constant}, and calls to other
 * {@code @Differentiable} methods, which are inlined or called ({@link Callees} says which). ({@link TensorOps} reads calls on a Variable.)
 */
final class Calls {
    private Calls() {}

    /** {@code Variable.constant(x)}: the array {@code x}, an INDArray parameter, local or field. */
    static Node variableConstant(BodyReader r, MethodInvocationTree call, String name) {
        if (!name.equals("constant") || call.getArguments().isEmpty() || call.getArguments().size() > 2) {
            throw r.errorAt(call, Message.VARIABLE_METHOD, name, "Variable.constant(INDArray) and " + Vocabulary.variableOps());
        }
        ExpressionTree arg = call.getArguments().get(0);
        if (!(arg instanceof IdentifierTree) && !(arg instanceof MemberSelectTree)) {
            throw r.errorAt(arg, Message.VARIABLE_CONSTANT_ARG);
        }
        Node x = r.expression(arg);
        if (x.kind() != Kind.TENSOR) throw r.errorAt(arg, Message.VARIABLE_CONSTANT_ARG);
        return x;
    }

    /** {@code Math.f(...)}; a {@code StrictMath} call stays one (its results are the same on every platform). */
    static Node math(BodyReader r, MethodInvocationTree call, String name, boolean strict) {
        Op op = mathFunction(r, call, name, strict);
        List<Node> in = new ArrayList<>();
        for (ExpressionTree a : call.getArguments()) in.add(r.expression(a));
        return mathOp(r, call, op, strict, in);
    }

    /** The op of {@code Math.name} called with {@code call}'s arguments, or an error that says why there is none. */
    private static Op mathFunction(BodyReader r, MethodInvocationTree call, String name, boolean strict) {
        String shown = (strict ? "StrictMath." : "Math.") + name;
        if (Vocabulary.MATH_NOT_DIFFERENTIABLE.contains(name)) {
            throw r.errorAt(call, Message.MATH_NOT_DIFFERENTIABLE, shown);
        }
        Op op = Vocabulary.MATH_UNARY.get(name);
        int arity = 1;
        if (op == null) {
            op = Vocabulary.MATH_BINARY.get(name);
            arity = 2;
        }
        if (op == null) throw r.errorAt(call, Message.MATH_FUNCTION, shown, Vocabulary.mathFunctions());
        if (call.getArguments().size() != arity) throw r.errorAt(call, Message.MATH_ARITY, shown, arity);
        return op;
    }

    /** The op of a {@code Math} function whose arguments are read. */
    private static Node mathOp(BodyReader r, MethodInvocationTree call, Op op, boolean strict, List<Node> in) {
        String shown = (strict ? "StrictMath." : "Math.") + BodyReader.methodName(call);
        for (int i = 0; i < in.size(); i++) {
            ExpressionTree at = call.getArguments().get(i);
            if (in.get(i).kind() == Kind.TENSOR) throw r.errorAt(at, Message.MATH_ON_TENSOR, shown);
            r.requireNumber(in.get(i), at, shown);
        }
        return r.graph().apply(op, strict ? Attrs.text("StrictMath") : Attrs.NONE, in.toArray(Node[]::new));
    }

    /** Whether {@code m} is a function of {@code java.lang.Math} or {@code StrictMath}. */
    static boolean isMathMember(ExecutableElement m) {
        return m.getEnclosingElement() instanceof TypeElement t
                && Vocabulary.MATH.contains(t.getQualifiedName().toString());
    }

    /** {@code Double.max}: a library method as a message names it. */
    private static String libraryName(ExecutableElement m) {
        return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName();
    }

    /** What to do instead of calling a library method: a supported equivalent where there is one. */
    private static String libraryAdvice(ExecutableElement m) {
        String owner = ((TypeElement) m.getEnclosingElement()).getQualifiedName().toString();
        String name = m.getSimpleName().toString();
        if (owner.equals("java.lang.Double") && (name.equals("max") || name.equals("min"))) {
            return "use Math." + name + ", which Tapeless differentiates";
        }
        if (owner.equals("java.lang.Double") && name.equals("sum")) return "use +";
        return "compute its result outside the @Differentiable method and pass it in as a parameter, or use a supported op";
    }

    /** A call to another {@code @Differentiable} method: its body, read with the arguments bound. */
    static Node inline(BodyReader r, MethodInvocationTree call, String name, List<ExecutableElement> candidates) {
        if (candidates.isEmpty()) throw r.errorAt(call, Message.CALL_UNRESOLVED, name);
        List<ExecutableElement> sameArity = candidates.stream()
                .filter(m -> m.getParameters().size() == call.getArguments().size()).toList();
        if (sameArity.isEmpty()) {
            throw r.errorAt(call, Message.CALL_ARGUMENTS, name, call.getArguments().size(),
                    candidates.get(0).getParameters().size());
        }
        List<Node> args = new ArrayList<>();
        for (ExpressionTree a : call.getArguments()) args.add(r.expression(a));
        Overloads.Choice choice = Overloads.choose(sameArity, args.stream().map(Node::kind).toList());
        ExecutableElement callee = choice.method();
        if (callee == null) {
            // Overloads none of which is @Differentiable cannot be inlined whichever javac chooses
            // (generic and varargs ones, which the kinds of the arguments do not decide, included).
            if (sameArity.stream().noneMatch(Frontend::isDifferentiable)) {
                callee = sameArity.get(0);
            } else {
                throw r.errorAt(call, Message.CALL_NO_OVERLOAD, name,
                        String.join(", ", args.stream()
                                .map(n -> n.kind() == Kind.TENSOR ? "Variable or INDArray" : n.kind().javaName()).toList()),
                        String.join(", ", (choice.applicable().isEmpty() ? sameArity : choice.applicable()).stream()
                                .map(m -> m.getSimpleName() + "(" + String.join(", ", m.getParameters().stream()
                                        .map(p -> p.asType().toString()).toList()) + ")")
                                .toList()));
            }
        }
        if (isMathMember(callee)) { // statically imported (import static java.lang.Math.*): sin(x) is Math.sin(x)
            boolean strict = ((TypeElement) callee.getEnclosingElement()).getQualifiedName()
                    .contentEquals(Vocabulary.STRICT_MATH);
            return mathOp(r, call, mathFunction(r, call, name, strict), strict, args);
        }
        if (!Frontend.isDifferentiable(callee) && !r.frontend().hasSource(callee)) {
            throw r.errorAt(call, Message.CALL_LIBRARY, libraryName(callee), libraryAdvice(callee));
        }
        if (!Frontend.isDifferentiable(callee) || !callee.getModifiers().contains(Modifier.STATIC)) {
            throw r.errorAt(call, Message.CALL_NOT_DIFFERENTIABLE, name);
        }
        if (r.inlining().contains(callee)) throw r.errorAt(call, Message.CALL_RECURSIVE, name);
        Callee called = r.frontend().calleeOf(r, call, callee);
        if (called != null) {
            Node[] in = new Node[args.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = r.convert(args.get(i), called.params().get(i).kind(), call.getArguments().get(i));
            }
            Node result = r.graph().apply(Op.CALL, Attrs.call(called, 0), in);
            r.graph().name(result, called.method());
            r.frontend().callAt(result, call, r.unit());
            return result;
        }
        Origin here = r.graph().origin();
        Node result;
        try {
            result = r.frontend().inline(callee, args, r.graph(), r.inlining(), r.companionPackage());
        } catch (CompileError inCallee) {
            // A field the caller's companion cannot read (which the callee's own companion may well
            // read) is an error of this inlining only: reported at the read, naming the caller's package.
            if (inCallee.message() == Message.FIELD_INACCESSIBLE) throw inCallee;
            // The callee is @Differentiable and in this compilation, so its own processing reports
            // the error where it is; here the caller learns why its call cannot be inlined.
            throw r.errorAt(call, Message.CALL_INTO_ERROR, name, inCallee.getMessage());
        }
        r.graph().at(here);
        return result;
    }
}
