package dev.tapeless.processor;

import java.util.Random;

/**
 * Generated sources of the sizes a demanding user reaches: long straight-line methods (generated
 * or unrolled code) and deeply nested calls. Deterministic for a given size and seed.
 */
final class LargePrograms {
    private LargePrograms() {}

    /**
     * {@code @Differentiable static double big(double x, double y)} with {@code statements} statements
     * over bounded values (tanh, sin, ratios), with {@code ?:}, {@code max} and compound assignments,
     * each reading a recent value and one from far back (live across any split).
     */
    static String doubleMethod(String name, int statements, long seed) {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder();
        b.append("    @Differentiable\n    public static double ").append(name).append("(double x, double y) {\n");
        b.append("        double a0 = x;\n        double a1 = y;\n        double s = 0.0;\n");
        int n = 2;
        for (int i = 3; i < statements; i++) {
            String p = "a" + (n - 1);
            String q = "a" + (n - 2 - random.nextInt(Math.min(n - 1, 5)));
            String far = "a" + random.nextInt(n);
            double c = Math.round(random.nextDouble() * 1000) / 1000.0 + 0.1;
            String e = switch (random.nextInt(8)) {
                case 0 -> "Math.tanh(" + p + " * " + far + " + " + c + ")";
                case 1 -> p + " + " + c + " * Math.sin(" + far + ")";
                case 2 -> p + " / (1.0 + " + far + " * " + far + ")";
                case 3 -> "(" + p + " > " + q + " ? " + p + " * " + c + " : Math.cos(" + q + "))";
                case 4 -> "Math.max(" + p + ", " + far + ") * " + c;
                case 5 -> "Math.tanh(" + p + " - " + q + " * " + c + ") + Math.exp(-" + far + " * " + far + ")";
                case 6 -> "Math.sqrt(1.0 + " + p + " * " + p + ") - " + q;
                default -> null;
            };
            if (e == null) {
                b.append("        s += ").append(p).append(" * ").append(c / 100).append(";\n");
            } else {
                b.append("        double a").append(n).append(" = ").append(e).append(";\n");
                n++;
            }
        }
        b.append("        return s + a").append(n - 1).append(";\n    }\n");
        return b.toString();
    }

    /**
     * {@code @Differentiable static Variable big(Variable x, Variable y)}: {@code statements}
     * statements of elementwise ops, broadcasting and reductions, summed to a scalar.
     */
    static String tensorMethod(String name, int statements, long seed) {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder();
        b.append("    @Differentiable\n    public static Variable ").append(name).append("(Variable x, Variable y) {\n");
        b.append("        Variable a0 = x;\n        Variable a1 = y;\n");
        int n = 2;
        for (int i = 2; i < statements - 1; i++) {
            String p = "a" + (n - 1);
            String q = "a" + (n - 2 - random.nextInt(Math.min(n - 1, 5)));
            String far = "a" + random.nextInt(n);
            double c = Math.round(random.nextDouble() * 1000) / 1000.0 + 0.1;
            String e = switch (random.nextInt(6)) {
                case 0 -> p + ".mul(" + far + ").add(" + c + ").tanh()";
                case 1 -> p + ".add(" + far + ".sin().mul(" + c + "))";
                case 2 -> p + ".div(" + far + ".mul(" + far + ").add(1.0))";
                case 3 -> p + ".sub(" + q + ".mul(" + c + ")).tanh()";
                case 4 -> p + ".mul(" + q + ".sum(true, 1).mul(" + c / 10 + ").sigmoid())";
                default -> p + ".sigmoid().mul(" + far + ")";
            };
            b.append("        Variable a").append(n).append(" = ").append(e).append(";\n");
            n++;
        }
        b.append("        return a").append(n - 1).append(".sum();\n    }\n");
        return b.toString();
    }

    /** {@code f0(x) = sin(x)}, {@code fi(x) = f(i-1)(x) + f(i-1)(x)}: read naively, 2^depth calls. */
    static String nestedDoubleCalls(int depth) {
        StringBuilder b = new StringBuilder();
        b.append("    @Differentiable\n    static double f0(double x) {\n        return Math.sin(x);\n    }\n");
        for (int i = 1; i <= depth; i++) {
            b.append("    @Differentiable\n    static double f").append(i).append("(double x) {\n        return f")
                    .append(i - 1).append("(x) + f").append(i - 1).append("(x);\n    }\n");
        }
        return b.toString();
    }

    /** As {@link #nestedDoubleCalls} over arrays: {@code gi(x) = g(i-1)(x).add(g(i-1)(x))}. */
    static String nestedTensorCalls(int depth) {
        StringBuilder b = new StringBuilder();
        b.append("    @Differentiable\n    static Variable g0(Variable x) {\n        return x.sin();\n    }\n");
        for (int i = 1; i <= depth; i++) {
            b.append("    @Differentiable\n    static Variable g").append(i).append("(Variable x) {\n        return g")
                    .append(i - 1).append("(x).add(g").append(i - 1).append("(x));\n    }\n");
        }
        return b.toString();
    }
}
