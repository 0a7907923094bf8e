package dev.tapeless.processor.frontend;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import dev.tapeless.processor.diagnostics.Message;
import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

import java.util.ArrayList;
import java.util.List;

/** Reads a call of a {@code Variable} op, {@code self.name(args)}, into a node. */
final class TensorOps {
    private TensorOps() {}

    static Node read(BodyReader r, MethodInvocationTree call, String name, Node self) {
        Graph g = r.graph();
        List<? extends ExpressionTree> args = call.getArguments();
        Op unary = Vocabulary.TENSOR_UNARY.get(name);
        if (unary != null) {
            arity(r, call, name, 0, "no arguments");
            return g.apply(unary, self);
        }
        Op binary = Vocabulary.TENSOR_BINARY.get(name);
        if (binary != null) {
            arity(r, call, name, 1, "one argument, a Variable or a double");
            Node other = r.expression(args.get(0));
            if (other.kind() == Kind.BOOL) {
                throw r.errorAt(args.get(0), Message.NUMBER_ARG_EXPECTED, "Variable." + name, "a boolean");
            }
            boolean reversed = name.startsWith("r");
            return reversed ? g.apply(binary, other, self) : g.apply(binary, self, other);
        }
        switch (name) {
            case "pow": {
                arity(r, call, name, 1, "one argument, a double exponent");
                Node p = r.expression(args.get(0));
                r.requireNumber(p, args.get(0), "Variable.pow");
                return g.apply(Op.POW, self, p);
            }
            case "mmul": {
                arity(r, call, name, 1, "one argument, a Variable");
                Node other = r.expression(args.get(0));
                if (other.kind() != Kind.TENSOR) {
                    throw r.errorAt(args.get(0), Message.TENSOR_ARG_EXPECTED, "Variable.mmul", BodyReader.describe(other.kind()));
                }
                return g.apply(Op.MMUL, self, other);
            }
            case "sum":
            case "mean": {
                boolean keep = false;
                int first = 0;
                if (!args.isEmpty()) {
                    Node k = r.expression(args.get(0));
                    if (k.kind() == Kind.BOOL) {
                        if (k.op() != Op.CONST) {
                            throw r.errorAt(args.get(0), Message.CONSTANT_ARGUMENT, "keepDims flag", name);
                        }
                        keep = k.attrs().number() != 0;
                        first = 1;
                    }
                }
                List<Integer> dims = new ArrayList<>();
                for (int i = first; i < args.size(); i++) {
                    int dim = r.constantArgument(args.get(i), "dimension", name).intValue();
                    // Equal dims name one axis twice on any rank; (0, -2) does on rank 2 only,
                    // which Kernels rejects at run time, as the tape does.
                    if (dims.contains(dim)) throw r.errorAt(args.get(i), Message.REPEATED_DIMENSION, name, dim);
                    dims.add(dim);
                }
                return g.apply(name.equals("sum") ? Op.SUM : Op.MEAN, Attrs.dims(dims, keep), self);
            }
            case "reshape":
            case "expand": {
                // No sizes: to rank 0 (a one-element array reshaped, a rank-0 one expanded to itself), as on the tape.
                List<Long> shape = new ArrayList<>();
                for (ExpressionTree a : args) shape.add(r.constantArgument(a, "shape", name).longValue());
                return g.apply(name.equals("reshape") ? Op.RESHAPE : Op.EXPAND, Attrs.shape(shape), self);
            }
            case "slice": {
                arity(r, call, name, 1, "one argument, an int index");
                Node i = r.expression(args.get(0));
                if (i.kind() != Kind.INT) {
                    throw r.errorAt(args.get(0), Message.KIND_MISMATCH, "an int", BodyReader.describe(i.kind()));
                }
                return g.apply(Op.SLICE, self, i);
            }
            case "softmax":
            case "logSoftmax": {
                arity(r, call, name, 1, "one argument, the constant dimension");
                int dim = r.constantArgument(args.get(0), "dimension", name).intValue();
                return g.apply(name.equals("softmax") ? Op.SOFTMAX : Op.LOG_SOFTMAX,
                        Attrs.dims(List.of(dim), true), self);
            }
            default:
                throw r.errorAt(call, Message.VARIABLE_METHOD, name, Vocabulary.variableOps());
        }
    }

    private static void arity(BodyReader r, MethodInvocationTree call, String name, int n, String takes) {
        if (call.getArguments().size() != n) throw r.errorAt(call, Message.VARIABLE_METHOD_ARGS, name, takes);
    }
}
