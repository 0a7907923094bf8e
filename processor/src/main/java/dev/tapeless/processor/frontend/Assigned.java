package dev.tapeless.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreeScanner;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a loop does besides computing: the locals it assigns (which it carries from one iteration
 * to the next) and whether it breaks, continues or returns. Read from the source before the loop
 * is, so that its carried values are known when its regions begin.
 */
final class Assigned {
    private Assigned() {}

    /** The names assigned in {@code t} ({@code x = }, {@code x += }, {@code x++}), in order of appearance. */
    static Set<String> names(Tree t) {
        Set<String> out = new LinkedHashSet<>();
        new BodyScanner() {
            @Override
            public Void visitAssignment(AssignmentTree a, Void v) {
                add(a.getVariable());
                return super.visitAssignment(a, v);
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree a, Void v) {
                add(a.getVariable());
                return super.visitCompoundAssignment(a, v);
            }

            @Override
            public Void visitUnary(UnaryTree u, Void v) {
                switch (u.getKind()) {
                    case POSTFIX_INCREMENT, POSTFIX_DECREMENT, PREFIX_INCREMENT, PREFIX_DECREMENT -> add(u.getExpression());
                    default -> { }
                }
                return super.visitUnary(u, v);
            }

            private void add(ExpressionTree target) {
                ExpressionTree e = target;
                while (e instanceof com.sun.source.tree.ArrayAccessTree a) e = a.getExpression(); // y[i] = ... writes y
                if (e instanceof IdentifierTree id) out.add(id.getName().toString());
            }

        }.scan(t, null);
        return out;
    }

    /** Whether {@code e} assigns anything (then a loop condition is evaluated where the source does, once per test). */
    static boolean hasEffects(Tree e) {
        return e != null && !names(e).isEmpty();
    }

    /** Whether {@code t} contains a return statement. */
    static boolean returns(Tree t) {
        boolean[] found = {false};
        new BodyScanner() {
            @Override
            public Void visitReturn(ReturnTree r, Void v) {
                found[0] = true;
                return null;
            }

        }.scan(t, null);
        return found[0];
    }

    /** Whether the loop body {@code t} has an unlabeled break (continue, if {@code cont}) that leaves this loop. */
    static boolean jumps(Tree t, boolean cont) {
        boolean[] found = {false};
        new BodyScanner() {
            @Override
            public Void visitBreak(BreakTree b, Void v) {
                if (!cont && b.getLabel() == null) found[0] = true;
                return null;
            }

            @Override
            public Void visitContinue(ContinueTree c, Void v) {
                if (cont && c.getLabel() == null) found[0] = true;
                return null;
            }

            // A nested loop's own breaks and continues are its own.
            @Override
            public Void visitForLoop(ForLoopTree f, Void v) {
                return null;
            }

            @Override
            public Void visitEnhancedForLoop(EnhancedForLoopTree f, Void v) {
                return null;
            }

            @Override
            public Void visitWhileLoop(WhileLoopTree w, Void v) {
                return null;
            }

            @Override
            public Void visitDoWhileLoop(DoWhileLoopTree d, Void v) {
                return null;
            }

        }.scan(t, null);
        return found[0];
    }

    /** Scans a method body's own code: not the bodies of local classes and lambdas in it. */
    private static class BodyScanner extends TreeScanner<Void, Void> {
        @Override
        public Void visitClass(ClassTree c, Void v) {
            return null;
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree l, Void v) {
            return null;
        }
    }
}
