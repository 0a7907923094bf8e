package dev.tapeless.processor.fuzz;

import dev.tapeless.processor.fuzz.Ast.Expr;
import dev.tapeless.processor.fuzz.Ast.Method;
import dev.tapeless.processor.fuzz.Ast.Param;
import dev.tapeless.processor.fuzz.Ast.Stmt;
import dev.tapeless.processor.fuzz.Ast.Type;
import java.util.HashMap;
import java.util.Map;

/**
 * Evaluates the double/int/long/boolean part of the model with Java's semantics, so that the
 * generator knows each subexpression's value at the point it will be checked at (to keep
 * arguments inside functions' domains and away from kinks). Only a guide: the reference in the
 * checks is always the compiled source method.
 */
final class Interp {
    private Interp() {}

    /** Thrown for Java's run-time errors (int division by zero). */
    static final class Fault extends RuntimeException {
        Fault(String m) {
            super(m, null, false, false);
        }
    }

    static Object eval(Expr e, Map<String, Object> env, Map<String, Object> fields) {
        Object[] kv = new Object[e.kids.length];
        if (e.form == Ast.Form.CONDITIONAL) {
            // Java evaluates only the branch taken.
            boolean c = (Boolean) eval(e.kids[0], env, fields);
            Object v = eval(e.kids[c ? 1 : 2], env, fields);
            return convert(v, e.type);
        }
        for (int i = 0; i < kv.length; i++) kv[i] = eval(e.kids[i], env, fields);
        if (e.form == Ast.Form.NAME) {
            String n = e.text.substring(e.text.lastIndexOf('.') + 1);
            Object v = env.get(n);
            if (v == null) v = fields.get(n);
            if (v == null) throw new IllegalStateException("unbound " + e.text);
            return v;
        }
        if (e.form == Ast.Form.CALL && e.callee != null) return call(e.callee, kv, fields);
        return apply(e, kv);
    }

    static Object call(Method m, Object[] args, Map<String, Object> fields) {
        Map<String, Object> env = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            Param p = m.params.get(i);
            env.put(p.name, convert(args[i], p.type));
        }
        return run(m, env, fields);
    }

    static Object run(Method m, Map<String, Object> env, Map<String, Object> fields) {
        for (Stmt s : m.body) {
            Object v = eval(s.expr, env, fields);
            switch (s.form) {
                case RETURN -> {
                    return convert(v, m.result);
                }
                case DECLARE -> env.put(s.name, s.declaredType.equals("var") ? v : convert(v, typeOf(s.declaredType)));
                case ASSIGN -> env.put(s.name, assign(env.get(s.name), s.operator, v));
            }
        }
        throw new IllegalStateException("no return");
    }

    static Type typeOf(String declared) {
        return switch (declared) {
            case "double" -> Type.DOUBLE;
            case "int" -> Type.INT;
            case "long" -> Type.LONG;
            case "boolean" -> Type.BOOL;
            default -> throw new IllegalArgumentException(declared);
        };
    }

    static Type typeOfValue(Object v) {
        if (v instanceof Double) return Type.DOUBLE;
        if (v instanceof Integer) return Type.INT;
        if (v instanceof Long) return Type.LONG;
        return Type.BOOL;
    }

    /** {@code old op= v}, cast back to old's type (JLS 15.26.2). */
    static Object assign(Object old, String operator, Object v) {
        Type t = typeOfValue(old);
        if (operator.equals("=")) return convert(v, t);
        Type p = Type.promote(t, typeOfValue(v));
        Object r = arith(operator.substring(0, 1), p, old, v);
        return narrow(r, t);
    }

    /** A primitive cast of a number to {@code t} (narrowing included). */
    static Object narrow(Object v, Type t) {
        Number n = (Number) v;
        return switch (t) {
            case DOUBLE -> n.doubleValue();
            case INT -> v instanceof Double d ? (int) (double) d : (int) n.longValue();
            case LONG -> v instanceof Double d ? (long) (double) d : n.longValue();
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    /** Widening conversion of a value to {@code t}. */
    static Object convert(Object v, Type t) {
        if (t == Type.BOOL) return v;
        Number n = (Number) v;
        return switch (t) {
            case DOUBLE -> n.doubleValue();
            case LONG -> n.longValue();
            case INT -> n.intValue();
            default -> v;
        };
    }

    static Object apply(Expr e, Object[] kv) {
        switch (e.form) {
            case LITERAL:
                return literal(e.text, e.type);
            case PAREN:
                return kv[0];
            case CAST:
                return narrow(kv[0], e.type);
            case UNARY:
                if (e.text.equals("+")) return convert(kv[0], e.type);
                return switch (e.type) {
                    case DOUBLE -> -((Number) kv[0]).doubleValue();
                    case LONG -> -((Number) kv[0]).longValue();
                    default -> -((Number) kv[0]).intValue();
                };
            case BINARY: {
                Type p = Type.promote(typeOfValue(kv[0]), typeOfValue(kv[1]));
                return switch (e.text) {
                    case "<", "<=", ">", ">=" -> compare(e.text, p, kv[0], kv[1]);
                    default -> arith(e.text, p, kv[0], kv[1]);
                };
            }
            case CALL:
                return math(e.text, kv);
            default:
                throw new IllegalArgumentException(e.form.toString());
        }
    }

    static Object literal(String text, Type t) {
        return switch (t) {
            case DOUBLE -> Double.parseDouble(text);
            case INT -> Integer.parseInt(text);
            case LONG -> Long.parseLong(text.substring(0, text.length() - 1));
            case BOOL -> Boolean.parseBoolean(text);
            default -> throw new IllegalArgumentException(text);
        };
    }

    static Object arith(String op, Type p, Object a, Object b) {
        switch (p) {
            case DOUBLE: {
                double x = ((Number) a).doubleValue(), y = ((Number) b).doubleValue();
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    default -> x / y;
                };
            }
            case LONG: {
                long x = ((Number) a).longValue(), y = ((Number) b).longValue();
                if (op.equals("/") && y == 0) throw new Fault("/ by zero");
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    default -> x / y;
                };
            }
            default: {
                int x = ((Number) a).intValue(), y = ((Number) b).intValue();
                if (op.equals("/") && y == 0) throw new Fault("/ by zero");
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    default -> x / y;
                };
            }
        }
    }

    static boolean compare(String op, Type p, Object a, Object b) {
        int c;
        if (p == Type.DOUBLE) {
            double x = ((Number) a).doubleValue(), y = ((Number) b).doubleValue();
            return switch (op) {
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                default -> x >= y;
            };
        }
        long x = ((Number) a).longValue(), y = ((Number) b).longValue();
        c = Long.compare(x, y);
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    static double math(String qualified, Object[] kv) {
        boolean strict = qualified.startsWith("StrictMath") || qualified.startsWith("java.lang.StrictMath");
        String f = qualified.substring(qualified.lastIndexOf('.') + 1);
        double a = ((Number) kv[0]).doubleValue();
        double b = kv.length > 1 ? ((Number) kv[1]).doubleValue() : 0;
        return strict ? strictMath(f, a, b) : plainMath(f, a, b);
    }

    static double plainMath(String f, double a, double b) {
        return switch (f) {
            case "sin" -> Math.sin(a);
            case "cos" -> Math.cos(a);
            case "tan" -> Math.tan(a);
            case "asin" -> Math.asin(a);
            case "acos" -> Math.acos(a);
            case "atan" -> Math.atan(a);
            case "sinh" -> Math.sinh(a);
            case "cosh" -> Math.cosh(a);
            case "tanh" -> Math.tanh(a);
            case "exp" -> Math.exp(a);
            case "expm1" -> Math.expm1(a);
            case "log" -> Math.log(a);
            case "log10" -> Math.log10(a);
            case "log1p" -> Math.log1p(a);
            case "sqrt" -> Math.sqrt(a);
            case "cbrt" -> Math.cbrt(a);
            case "abs" -> Math.abs(a);
            case "atan2" -> Math.atan2(a, b);
            case "pow" -> Math.pow(a, b);
            case "hypot" -> Math.hypot(a, b);
            case "min" -> Math.min(a, b);
            case "max" -> Math.max(a, b);
            default -> throw new IllegalArgumentException(f);
        };
    }

    static double strictMath(String f, double a, double b) {
        return switch (f) {
            case "sin" -> StrictMath.sin(a);
            case "cos" -> StrictMath.cos(a);
            case "tan" -> StrictMath.tan(a);
            case "asin" -> StrictMath.asin(a);
            case "acos" -> StrictMath.acos(a);
            case "atan" -> StrictMath.atan(a);
            case "sinh" -> StrictMath.sinh(a);
            case "cosh" -> StrictMath.cosh(a);
            case "tanh" -> StrictMath.tanh(a);
            case "exp" -> StrictMath.exp(a);
            case "expm1" -> StrictMath.expm1(a);
            case "log" -> StrictMath.log(a);
            case "log10" -> StrictMath.log10(a);
            case "log1p" -> StrictMath.log1p(a);
            case "sqrt" -> StrictMath.sqrt(a);
            case "cbrt" -> StrictMath.cbrt(a);
            case "abs" -> StrictMath.abs(a);
            case "atan2" -> StrictMath.atan2(a, b);
            case "pow" -> StrictMath.pow(a, b);
            case "hypot" -> StrictMath.hypot(a, b);
            case "min" -> StrictMath.min(a, b);
            case "max" -> StrictMath.max(a, b);
            default -> throw new IllegalArgumentException(f);
        };
    }
}
