package dev.tapeless.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;

/**
 * A construct outside the supported language, at a position in the source. Thrown inside the
 * frontend to abandon one method; caught by the processor, which reports it and goes on.
 */
public final class CompileError extends RuntimeException {
    private final transient Tree tree;
    private final transient CompilationUnitTree unit;
    private final Message message;

    public CompileError(Tree tree, CompilationUnitTree unit, Message message, Object... args) {
        super(message.format(args), null, false, false);
        this.tree = tree;
        this.unit = unit;
        this.message = message;
    }

    /** Which message of the catalogue this is. */
    public Message message() {
        return message;
    }

    public Tree tree() {
        return tree;
    }

    public CompilationUnitTree unit() {
        return unit;
    }
}
