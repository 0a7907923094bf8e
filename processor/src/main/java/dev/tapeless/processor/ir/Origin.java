package dev.tapeless.processor.ir;

/**
 * Where a node comes from in the user's source: file name, line, and the statement's text, for
 * the comments and error messages of generated code. {@code adjoint} marks the reverse pass.
 */
public record Origin(String file, long line, String statement, boolean adjoint) {

    public static final Origin NONE = new Origin("", 0, "", false);

    public Origin(String file, long line, String statement) {
        this(file, line, statement, false);
    }

    /** The same place, for the nodes of its derivative. */
    public Origin asAdjoint() {
        return new Origin(file, line, statement, true);
    }

    /** {@code Seed.java:12}, the form generated code uses in comments and errors. */
    public String site() {
        return file + ":" + line;
    }
}
