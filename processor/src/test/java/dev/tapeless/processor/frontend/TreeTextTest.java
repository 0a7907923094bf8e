package dev.tapeless.processor.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Messages name every Java operator by its symbol, as the user wrote it. */
class TreeTextTest {

    @Test
    void everyOperatorIsNamedByItsSymbol() {
        Set<Tree.Kind> seen = new HashSet<>();
        for (Tree.Kind k : Tree.Kind.values()) {
            Class<?> shape = k.asInterface();
            if (shape != BinaryTree.class && shape != UnaryTree.class && shape != CompoundAssignmentTree.class) continue;
            String text = TreeText.operatorText(k);
            assertTrue(text.matches("[-+*/%<>=!&|^~]+"), k + " is named '" + text + "'");
            seen.add(k);
        }
        assertTrue(seen.contains(Tree.Kind.XOR_ASSIGNMENT) && seen.contains(Tree.Kind.BITWISE_COMPLEMENT), seen::toString);
        assertEquals("<<", TreeText.operatorText(Tree.Kind.LEFT_SHIFT));
        assertEquals(">>>=", TreeText.operatorText(Tree.Kind.UNSIGNED_RIGHT_SHIFT_ASSIGNMENT));
    }
}
