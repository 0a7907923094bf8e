package dev.tapeless.processor.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generator's model of a program: expressions, statements, methods and classes, each able to
 * render itself as Java. Nodes are mutable so that the mutator can rewrite them in place (on a
 * copy).
 */
final class Ast {
    private Ast() {}

    enum Type {
        DOUBLE("double"), INT("int"), LONG("long"), BOOL("boolean"), TENSOR("Variable"), DATA("INDArray"),
        /** Arrays of double methods: {@code double[]} (differentiable), the others data. */
        DARR("double[]"), IARR("int[]"), LARR("long[]"), BARR("boolean[]"), DMAT("double[][]");

        final String java;

        Type(String java) {
            this.java = java;
        }

        boolean numeric() {
            return this == DOUBLE || this == INT || this == LONG;
        }

        boolean array() {
            return this == DARR || this == IARR || this == LARR || this == BARR || this == DMAT;
        }

        /** The type of an element of an array type (a row, for {@code double[][]}). */
        Type element() {
            return switch (this) {
                case DARR -> DOUBLE;
                case IARR -> INT;
                case LARR -> LONG;
                case BARR -> BOOL;
                case DMAT -> DARR;
                default -> throw new IllegalArgumentException(this + " is not an array");
            };
        }

        /** The one-dimensional array type of elements of type {@code t}. */
        static Type arrayOf(Type t) {
            return switch (t) {
                case DOUBLE -> DARR;
                case INT -> IARR;
                case LONG -> LARR;
                case BOOL -> BARR;
                case DARR -> DMAT;
                default -> throw new IllegalArgumentException(t.toString());
            };
        }

        /** Binary numeric promotion (JLS 5.6). */
        static Type promote(Type a, Type b) {
            if (a == DOUBLE || b == DOUBLE) return DOUBLE;
            if (a == LONG || b == LONG) return LONG;
            return INT;
        }
    }

    enum Form {
        /** {@code text} is the literal as written. */
        LITERAL,
        /** A parameter, local or field read by simple name ({@code text}), or a qualified name. */
        NAME,
        /** {@code kids[0] text kids[1]}, text one of + - * / % < <= > >= == != && ||. */
        BINARY,
        /** {@code -kids[0]}, {@code +kids[0]} or {@code !kids[0]} (text is the operator). */
        UNARY,
        /**
         * {@code ++kids[0]}, {@code kids[0]--} ...: text is {@code ++} or {@code --}, raw is
         * {@code pre} or {@code post}; kids[0] is a NAME of an int or long local.
         */
        INCDEC,
        /** {@code (double) kids[0]}. */
        CAST,
        /** {@code text(kids...)}: a static call, text includes any qualifier ({@code Math.sin}, {@code g1}). */
        CALL,
        /** {@code kids[0].text(kids[1..])}, or with {@code raw} argument text ({@code sum(true, 0)}). */
        METHOD,
        /** {@code kids[0] ? kids[1] : kids[2]}. */
        CONDITIONAL,
        /** {@code (kids[0])}: parentheses that change nothing. */
        PAREN,
        /** {@code kids[0][kids[1]]}: an element of an array (a row of a {@code double[][]}). */
        INDEX,
        /** {@code kids[0].length}. */
        LENGTH,
        /** {@code new text[kids[0]]}, text the element type ({@code double}, {@code int}, ...). */
        NEWARRAY,
        /** {@code {kids...}}: an array initializer (in a declaration only); type is the array's. */
        ARRAYINIT
    }

    static final class Expr {
        Form form;
        String text;
        Expr[] kids;
        Type type;
        /** For tensors: the shape at the generation point. */
        long[] shape;
        /** For METHOD: literal arguments rendered after the expression arguments (dims, shapes). */
        String raw;
        /** For doubles, ints, longs and booleans: the value at the generation point (may be null). */
        Object value;
        /** For tensors: every element is positive (for log, sqrt, division, fractional powers). */
        boolean positive;
        /** For CALL: the generated method called, or null for a Math function. */
        Method callee;
        /**
         * The mutator leaves this node alone (it still looks at its kids unless they are fixed
         * too): loop headers, whose change could make a mutant loop forever.
         */
        boolean fixed;

        Expr(Form form, String text, Type type, Expr... kids) {
            this.form = form;
            this.text = text;
            this.type = type;
            this.kids = kids;
        }

        Expr copy() {
            Expr c = new Expr(form, text, type, new Expr[kids.length]);
            for (int i = 0; i < kids.length; i++) c.kids[i] = kids[i].copy();
            c.shape = shape;
            c.raw = raw;
            c.value = value;
            c.positive = positive;
            c.callee = callee;
            c.fixed = fixed;
            return c;
        }

        int precedence() {
            return switch (form) {
                case LITERAL -> text.startsWith("-") ? 14 : 16;
                case NAME, CALL, METHOD, PAREN, INDEX, LENGTH, NEWARRAY, ARRAYINIT -> 16;
                case INCDEC -> "post".equals(raw) ? 15 : 14;
                case UNARY, CAST -> 14;
                case BINARY -> switch (text) {
                    case "*", "/", "%" -> 12;
                    case "+", "-" -> 11;
                    case "==", "!=" -> 8;
                    case "&&" -> 4;
                    case "||" -> 3;
                    default -> 9;
                };
                case CONDITIONAL -> 2;
            };
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            render(sb);
            return sb.toString();
        }

        void render(StringBuilder sb) {
            switch (form) {
                case LITERAL, NAME -> sb.append(text);
                case BINARY -> {
                    int p = precedence();
                    child(sb, kids[0], p);
                    sb.append(' ').append(text).append(' ');
                    child(sb, kids[1], p + 1);
                }
                case UNARY -> {
                    sb.append(text);
                    // never "--x" or "- -1": that would be a decrement or read oddly
                    boolean sign = kids[0].form == Form.UNARY || kids[0].render().startsWith("-")
                            || kids[0].render().startsWith("+");
                    if (sign) {
                        sb.append('(');
                        kids[0].render(sb);
                        sb.append(')');
                    } else {
                        child(sb, kids[0], 14);
                    }
                }
                case INCDEC -> {
                    boolean post = "post".equals(raw);
                    if (!post) sb.append(text);
                    child(sb, kids[0], 16);
                    if (post) sb.append(text);
                }
                case CAST -> {
                    sb.append('(').append(text).append(") ");
                    child(sb, kids[0], 14);
                }
                case CALL -> {
                    sb.append(text).append('(');
                    args(sb, 0);
                    sb.append(')');
                }
                case METHOD -> {
                    // "2.add(x)" would lex as "2." then "add": parenthesize literal receivers
                    child(sb, kids[0], kids[0].form == Form.LITERAL ? 17 : 16);
                    sb.append('.').append(text).append('(');
                    args(sb, 1);
                    if (raw != null) {
                        if (kids.length > 1) sb.append(", ");
                        sb.append(raw);
                    }
                    sb.append(')');
                }
                case CONDITIONAL -> {
                    child(sb, kids[0], 3);
                    sb.append(" ? ");
                    child(sb, kids[1], 3);
                    sb.append(" : ");
                    child(sb, kids[2], 2);
                }
                case PAREN -> {
                    sb.append('(');
                    kids[0].render(sb);
                    sb.append(')');
                }
                case INDEX -> {
                    child(sb, kids[0], 16);
                    sb.append('[');
                    kids[1].render(sb);
                    sb.append(']');
                }
                case LENGTH -> {
                    child(sb, kids[0], 16);
                    sb.append(".length");
                }
                case NEWARRAY -> {
                    sb.append("new ").append(text).append('[');
                    kids[0].render(sb);
                    sb.append(']');
                }
                case ARRAYINIT -> {
                    sb.append('{');
                    args(sb, 0);
                    sb.append('}');
                }
            }
        }

        private void args(StringBuilder sb, int from) {
            for (int i = from; i < kids.length; i++) {
                if (i > from) sb.append(", ");
                kids[i].render(sb);
            }
        }

        private static void child(StringBuilder sb, Expr kid, int atLeast) {
            if (kid.precedence() < atLeast) {
                sb.append('(');
                kid.render(sb);
                sb.append(')');
            } else {
                kid.render(sb);
            }
        }

        /** This node and every node below it, parents first. */
        void collect(List<Expr> out) {
            out.add(this);
            for (Expr k : kids) k.collect(out);
        }

        /** The nodes below and including this one that are not {@link #fixed}, parents first. */
        void collectMutable(List<Expr> out) {
            if (!fixed) out.add(this);
            for (Expr k : kids) k.collectMutable(out);
        }

        /** Marks this node and every node below it {@link #fixed}; returns this. */
        Expr fix() {
            fixed = true;
            for (Expr k : kids) k.fix();
            return this;
        }

        @Override
        public String toString() {
            return render();
        }
    }

    enum StmtForm {
        /** {@code declaredType name = expr;} */
        DECLARE,
        /** {@code name operator expr;} */
        ASSIGN,
        /** {@code expr;}: an increment or decrement ({@code k++;}). */
        EXPR,
        RETURN,
        /** {@code if (expr) body else elseBody}; no else when elseBody is null. */
        IF,
        /** {@code for (init; expr; update) body}. */
        FOR,
        /** {@code init; while (expr) body} (init may be null). */
        WHILE,
        /** {@code init; do body while (expr);} (init may be null). */
        DO,
        BREAK,
        CONTINUE,
        /** {@code { body }}. */
        BLOCK,
        /** {@code for (declaredType name : expr) body}: an enhanced for over an array. */
        FOREACH
    }

    static final class Stmt {
        StmtForm form;
        /** The declared type as written ({@code double}, {@code var}, ...), for DECLARE. */
        String declaredType;
        String name;
        /** For ASSIGN: {@code =}, {@code +=}, {@code -=}, {@code *=}, {@code /=}, {@code %=}. */
        String operator;
        /** The expression; for IF, WHILE, DO and FOR the condition (null in a FOR: none). */
        Expr expr;
        /** For IF (then), FOR, WHILE, DO and BLOCK: the statements of the body. */
        List<Stmt> body;
        /** For IF: the else branch, or null. */
        List<Stmt> elseBody;
        /**
         * For FOR: the declaration in its header. For WHILE and DO: a declaration written just
         * before the loop (its counter), part of this statement so that copies carry it along.
         * For IF: a declaration without a value written just before it, which it assigns.
         */
        Stmt init;
        /** For FOR: the update in its header (an ASSIGN or EXPR, written without its semicolon). */
        Stmt update;
        /** The mutator neither deletes, duplicates nor copies this statement, nor changes its own expressions. */
        boolean fixed;
        /** For IF, FOR and WHILE: braces around a body of one simple statement (else it goes on the same line). */
        boolean braces = true;
        /** For ASSIGN: an element written ({@code y[i] += e}, an INDEX), or null when {@code name} is assigned. */
        Expr target;
        /** A comment written after the statement's (first) line, or null: marks what a mutant inserted. */
        String comment;

        Stmt(StmtForm form, String declaredType, String name, String operator, Expr expr) {
            this.form = form;
            this.declaredType = declaredType;
            this.name = name;
            this.operator = operator;
            this.expr = expr;
        }

        static Stmt control(StmtForm form, Expr condition, List<Stmt> body) {
            Stmt s = new Stmt(form, null, null, null, condition);
            s.body = body;
            return s;
        }

        Stmt copy() {
            Stmt c = new Stmt(form, declaredType, name, operator, expr == null ? null : expr.copy());
            c.body = copy(body);
            c.elseBody = copy(elseBody);
            c.init = init == null ? null : init.copy();
            c.update = update == null ? null : update.copy();
            c.fixed = fixed;
            c.braces = braces;
            c.target = target == null ? null : target.copy();
            c.comment = comment;
            return c;
        }

        static List<Stmt> copy(List<Stmt> list) {
            if (list == null) return null;
            List<Stmt> out = new ArrayList<>();
            for (Stmt s : list) out.add(s.copy());
            return out;
        }

        /** Whether control can reach the end of this statement (JLS 14.22, for the forms generated). */
        boolean completesNormally() {
            return switch (form) {
                case RETURN, BREAK, CONTINUE -> false;
                case IF -> elseBody == null || completesNormally(body) || completesNormally(elseBody);
                case BLOCK -> completesNormally(body);
                // a loop without a condition ends only through a break of its own
                case FOR, WHILE -> !forever() || breaksOut(body);
                case DO -> (completesNormally(body) || continuesIn(body)) && !forever() || breaksOut(body);
                default -> true;
            };
        }

        boolean forever() {
            return expr == null || expr.form == Form.LITERAL && expr.text.equals("true");
        }

        static boolean completesNormally(List<Stmt> block) {
            for (Stmt s : block) if (!s.completesNormally()) return false;
            return true;
        }

        /** Whether {@code block} holds a break that leaves the loop whose body it is. */
        static boolean breaksOut(List<Stmt> block) {
            for (Stmt s : block) {
                switch (s.form) {
                    case BREAK -> {
                        return true;
                    }
                    case IF -> {
                        if (breaksOut(s.body) || s.elseBody != null && breaksOut(s.elseBody)) return true;
                    }
                    case BLOCK -> {
                        if (breaksOut(s.body)) return true;
                    }
                    default -> { }
                }
            }
            return false;
        }

        static boolean continuesIn(List<Stmt> block) {
            for (Stmt s : block) {
                switch (s.form) {
                    case CONTINUE -> {
                        return true;
                    }
                    case IF -> {
                        if (continuesIn(s.body) || s.elseBody != null && continuesIn(s.elseBody)) return true;
                    }
                    case BLOCK -> {
                        if (continuesIn(s.body)) return true;
                    }
                    default -> { }
                }
            }
            return false;
        }

        /** This statement and every statement nested in it, outer first. */
        void statements(List<Stmt> out) {
            out.add(this);
            for (List<Stmt> b : blocks()) for (Stmt s : b) s.statements(out);
        }

        /** The blocks directly inside this statement. */
        List<List<Stmt>> blocks() {
            List<List<Stmt>> out = new ArrayList<>();
            if (body != null) out.add(body);
            if (elseBody != null) out.add(elseBody);
            return out;
        }

        /** The expressions of this statement itself (not of nested statements). */
        List<Expr> expressions() {
            List<Expr> out = new ArrayList<>();
            if (init != null && init.expr != null) out.add(init.expr);
            if (target != null) out.add(target);
            if (expr != null) out.add(expr);
            if (update != null && update.expr != null) out.add(update.expr);
            return out;
        }

        /** Single-line statements: what may stand without braces after if, for or while. */
        boolean simple() {
            return switch (form) {
                case ASSIGN, EXPR, RETURN, BREAK, CONTINUE -> true;
                default -> false;
            };
        }

        /** The statement as one line without its semicolon (a declaration or update in a for header). */
        String inline() {
            return switch (form) {
                case DECLARE -> declaredType + " " + name + " = " + expr.render();
                case ASSIGN -> (target != null ? target.render() : name) + " " + operator + " " + expr.render();
                case EXPR -> expr.render();
                default -> throw new IllegalStateException(form.toString());
            };
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            render(sb, "");
            return sb.toString().strip();
        }

        void render(StringBuilder sb, String indent) {
            int start = sb.length();
            renderStatement(sb, indent);
            if (comment != null) {
                int eol = sb.indexOf("\n", start);
                sb.insert(eol < 0 ? sb.length() : eol, " // " + comment);
            }
        }

        private void renderStatement(StringBuilder sb, String indent) {
            switch (form) {
                case DECLARE -> sb.append(indent).append(expr == null ? declaredType + " " + name : inline()).append(";\n");
                case ASSIGN, EXPR -> sb.append(indent).append(inline()).append(";\n");
                case RETURN -> sb.append(indent).append("return ").append(expr.render()).append(";\n");
                case BREAK -> sb.append(indent).append("break;\n");
                case CONTINUE -> sb.append(indent).append("continue;\n");
                case BLOCK -> {
                    sb.append(indent).append("{\n");
                    renderBlock(sb, body, indent + "    ");
                    sb.append(indent).append("}\n");
                }
                case IF -> {
                    if (init != null) init.render(sb, indent);
                    sb.append(indent);
                    renderIf(sb, indent);
                }
                case FOR -> {
                    sb.append(indent).append("for (").append(init == null ? "" : init.inline()).append(";")
                            .append(expr == null ? "" : " " + expr.render()).append(";")
                            .append(update == null ? "" : " " + update.inline()).append(")");
                    renderBody(sb, body, indent);
                }
                case WHILE -> {
                    if (init != null) init.render(sb, indent);
                    sb.append(indent).append("while (").append(expr.render()).append(")");
                    renderBody(sb, body, indent);
                }
                case FOREACH -> {
                    sb.append(indent).append("for (").append(declaredType).append(' ').append(name).append(" : ")
                            .append(expr.render()).append(")");
                    renderBody(sb, body, indent);
                }
                case DO -> {
                    if (init != null) init.render(sb, indent);
                    sb.append(indent).append("do {\n");
                    renderBlock(sb, body, indent + "    ");
                    sb.append(indent).append("} while (").append(expr.render()).append(");\n");
                }
            }
        }

        /** {@code if (...) ...} from the current position (after an indent or after "else "). */
        private void renderIf(StringBuilder sb, String indent) {
            sb.append("if (").append(expr.render()).append(")");
            boolean inlineThen = !braces && body.size() == 1 && body.get(0).simple();
            if (inlineThen) {
                sb.append(' ').append(body.get(0).render());
            } else {
                sb.append(" {\n");
                renderBlock(sb, body, indent + "    ");
                sb.append(indent).append("}");
            }
            if (elseBody == null) {
                sb.append('\n');
                return;
            }
            sb.append(inlineThen ? "\n" + indent + "else " : " else ");
            if (elseBody.size() == 1 && elseBody.get(0).form == StmtForm.IF && elseBody.get(0).init == null) {
                // else if: an IF alone in the else branch
                elseBody.get(0).renderIf(sb, indent);
            } else if (!braces && elseBody.size() == 1 && elseBody.get(0).simple()) {
                sb.append(elseBody.get(0).render()).append('\n');
            } else {
                sb.append("{\n");
                renderBlock(sb, elseBody, indent + "    ");
                sb.append(indent).append("}\n");
            }
        }

        private void renderBody(StringBuilder sb, List<Stmt> b, String indent) {
            if (!braces && b.size() == 1 && b.get(0).simple()) {
                sb.append(' ').append(b.get(0).render()).append('\n');
                return;
            }
            sb.append(" {\n");
            renderBlock(sb, b, indent + "    ");
            sb.append(indent).append("}\n");
        }

        static void renderBlock(StringBuilder sb, List<Stmt> b, String indent) {
            for (Stmt s : b) s.render(sb, indent);
        }
    }

    static final class Param {
        final String name;
        final Type type;
        /** For TENSOR and DATA parameters. */
        final long[] shape;
        /** The value at the generation point: Double, Integer, Long, Boolean, or double[] for arrays. */
        final Object value;

        Param(String name, Type type, long[] shape, Object value) {
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.value = value;
        }

        /**
         * For an {@code int[]} parameter whose elements all lie in [0, indexBound): the generator
         * indexes arrays at least that long with them. -1 otherwise.
         */
        int indexBound = -1;

        boolean differentiable() {
            return type == Type.DOUBLE || type == Type.TENSOR || type == Type.DARR;
        }
    }

    static final class Method {
        String name;
        Type result;
        /** For tensor methods: the result's shape at the generation point. */
        long[] resultShape;
        List<Param> params = new ArrayList<>();
        List<Stmt> body = new ArrayList<>();
        /** The names given to {@code wrt}, or null for the default (every differentiable parameter). */
        List<String> wrt;

        Method copy() {
            Method m = new Method();
            m.name = name;
            m.result = result;
            m.resultShape = resultShape;
            m.params = new ArrayList<>(params);
            m.body = Stmt.copy(body);
            m.wrt = wrt == null ? null : new ArrayList<>(wrt);
            return m;
        }

        boolean tensor() {
            return result == Type.TENSOR;
        }

        /** The differentiated parameters, in declaration order. */
        List<Param> differentiated() {
            List<Param> out = new ArrayList<>();
            for (Param p : params) {
                if (p.differentiable() && (wrt == null || wrt.contains(p.name))) out.add(p);
            }
            return out;
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            if (!tensor()) {
                // the point the fuzzer checks at: keeps a printed program a reproducer on its own
                sb.append("    // at");
                for (Param p : params) {
                    sb.append(' ').append(p.name).append(" = ").append(literal(p.value));
                }
                sb.append('\n');
            }
            sb.append("    @Differentiable");
            if (wrt != null) {
                sb.append("(wrt = ");
                if (wrt.size() == 1) {
                    sb.append('"').append(wrt.get(0)).append('"');
                } else {
                    sb.append('{');
                    for (int i = 0; i < wrt.size(); i++) sb.append(i > 0 ? ", " : "").append('"').append(wrt.get(i)).append('"');
                    sb.append('}');
                }
                sb.append(')');
            }
            sb.append("\n    static ").append(result.java).append(' ').append(name).append('(');
            for (int i = 0; i < params.size(); i++) {
                Param p = params.get(i);
                sb.append(i > 0 ? ", " : "").append(p.type.java).append(' ').append(p.name);
            }
            sb.append(") {\n");
            Stmt.renderBlock(sb, body, "        ");
            sb.append("    }\n");
            return sb.toString();
        }
    }

    /**
     * A value as a Java literal: {@code 2L}, {@code {1.5, -2.0}} for arrays (rows in braces for
     * {@code double[][]}). Doubles are written so that they read back exactly.
     */
    static String literal(Object v) {
        if (v instanceof Long l) return l + "L";
        if (v instanceof double[] a) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
            return sb.append('}').toString();
        }
        if (v instanceof int[] a) return Arrays.toString(a).replace('[', '{').replace(']', '}');
        if (v instanceof boolean[] a) return Arrays.toString(a).replace('[', '{').replace(']', '}');
        if (v instanceof long[] a) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]).append('L');
            return sb.append('}').toString();
        }
        if (v instanceof double[][] m) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < m.length; i++) sb.append(i > 0 ? ", " : "").append(literal(m[i]));
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }

    /** A copy of a value whose arrays (and rows) are fresh; other values as they are. */
    static Object deepCopy(Object v) {
        if (v instanceof double[] a) return a.clone();
        if (v instanceof int[] a) return a.clone();
        if (v instanceof long[] a) return a.clone();
        if (v instanceof boolean[] a) return a.clone();
        if (v instanceof double[][] m) {
            double[][] c = new double[m.length][];
            for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
            return c;
        }
        return v;
    }

    /** Whether two values are equal, arrays element by element (doubles bit for bit). */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof double[] x && b instanceof double[] y) {
            if (x.length != y.length) return false;
            for (int i = 0; i < x.length; i++) if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) return false;
            return true;
        }
        if (a instanceof double[][] x && b instanceof double[][] y) {
            if (x.length != y.length) return false;
            for (int i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
            return true;
        }
        if (a instanceof int[] x && b instanceof int[] y) return Arrays.equals(x, y);
        if (a instanceof long[] x && b instanceof long[] y) return Arrays.equals(x, y);
        if (a instanceof boolean[] x && b instanceof boolean[] y) return Arrays.equals(x, y);
        return java.util.Objects.equals(a, b);
    }

    static final class Field {
        final String name;
        final Type type;
        final boolean isFinal;
        /** The initializer as written. */
        final String init;
        final Object value;

        Field(String name, Type type, boolean isFinal, String init, Object value) {
            this.name = name;
            this.type = type;
            this.isFinal = isFinal;
            this.init = init;
            this.value = value;
        }

        String render() {
            return "    static " + (isFinal ? "final " : "") + type.java + " " + name + " = " + init + ";\n";
        }
    }

    /** One generated compilation unit: a class with fields and @Differentiable methods, in its own package. */
    static final class Program {
        final long seed;
        final int index;
        final String pkg;
        final String cls;
        List<Field> fields = new ArrayList<>();
        List<Method> methods = new ArrayList<>();
        /** Extra same-package classes (decoys named like java.lang types), as full sources keyed by simple name. */
        List<String[]> extraClasses = new ArrayList<>();
        /**
         * For a mutant that writes one construct outside the array language (and nothing else): the
         * error the processor must report, on the line whose statement carries {@link #EXPECT} as its
         * comment. Null otherwise.
         */
        dev.tapeless.processor.diagnostics.Message expectedError;

        /** The comment that marks the statement a mutant's {@link #expectedError} is about. */
        static final String EXPECT = "mutant: expect an error here";

        /** The line (from 1) of the statement marked {@link #EXPECT}, or -1. */
        int expectedLine() {
            List<String> lines = render().lines().toList();
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(EXPECT)) return i + 1;
            return -1;
        }

        Program(long seed, int index, String pkg, String cls) {
            this.seed = seed;
            this.index = index;
            this.pkg = pkg;
            this.cls = cls;
        }

        Program copy() {
            Program p = new Program(seed, index, pkg, cls);
            p.fields = new ArrayList<>(fields);
            for (Method m : methods) p.methods.add(m.copy());
            p.extraClasses = new ArrayList<>(extraClasses);
            p.expectedError = expectedError;
            return p;
        }

        String qualifiedName() {
            return pkg + "." + cls;
        }

        String companionName() {
            return pkg + "." + cls + "Derivatives";
        }

        Method method(String name) {
            for (Method m : methods) if (m.name.equals(name)) return m;
            throw new IllegalArgumentException(name);
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            sb.append("package ").append(pkg).append(";\n\n");
            sb.append("import dev.tapeless.Differentiable;\n");
            sb.append("import dev.tapeless.runtime.Variable;\n");
            sb.append("import org.nd4j.linalg.api.ndarray.INDArray;\n\n");
            sb.append("public class ").append(cls).append(" {\n");
            for (Field f : fields) sb.append(f.render());
            for (Method m : methods) sb.append('\n').append(m.render());
            sb.append("}\n");
            return sb.toString();
        }

        @Override
        public String toString() {
            return qualifiedName() + " " + Arrays.toString(methods.stream().map(m -> m.name).toArray());
        }
    }
}
