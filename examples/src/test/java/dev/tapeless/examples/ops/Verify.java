package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import dev.tapeless.runtime.check.GradientCheck;
import dev.tapeless.runtime.check.OpCounter;
import dev.tapeless.runtime.support.Dense;
import dev.tapeless.runtime.support.OpCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checks every op goes through, on one set of inputs: generated gradient against the tape and
 * central finite differences; data types and shapes kept; nothing written into an argument and no
 * result sharing a buffer with an argument or another result; the op's own forward pass and
 * pullback against the tape; and the executed ND4J ops within the counts the companion declares.
 */
final class Verify {
    private Verify() {}

    /** How closely generated code must agree, by data type. */
    record Tolerance(double vsTape, double vsFiniteDifferences, double eps) {
        static Tolerance of(DataType type) {
            return type == DataType.DOUBLE ? new Tolerance(1e-9, 1e-6, 1e-6) : new Tolerance(1e-4, 2e-2, 1e-2);
        }
    }

    static void op(OpUnderTest op, List<INDArray> inputs, long seed) {
        DataType type = inputs.get(0).dataType();
        Tolerance tol = Tolerance.of(type);
        String label = label(op, inputs);

        // The reference: the op on the tape, and weights shaped like its result.
        INDArray reference = onTape(op, inputs);
        INDArray w = Inputs.array(new Random(seed), type, reference.shape(), Inputs.Domain.ANY);

        // Three ways: generated gradient vs tape vs central finite differences.
        GradientCheck.Report report = GradientCheck.of(v -> op.weightedOnTape().apply(v, w),
                x -> op.weightedGradient().apply(x, w), op.parameters(), inputs, tol.eps());
        for (GradientCheck.Row row : report.rows()) {
            assertTrue(row.vsTape() <= tol.vsTape(), () -> label + ": generated vs tape\n" + report);
            assertTrue(row.vsFiniteDifferences() <= tol.vsFiniteDifferences(),
                    () -> label + ": generated vs finite differences\n" + report);
        }
        assertTrue(report.valueDifference() <= tol.vsTape(), () -> label + ": value\n" + report);

        // Data types and shapes kept; no aliasing; arguments untouched.
        List<INDArray> gradient = ownedResults(label + " gradient", with(inputs, w), () -> op.weightedGradient().apply(inputs, w));
        assertEquals(type, gradient.get(0).dataType(), label + ": value type");
        for (int i = 0; i < inputs.size(); i++) {
            INDArray g = gradient.get(i + 1);
            assertArrayEquals(inputs.get(i).shape(), g.shape(), label + ": shape of d" + op.parameters().get(i));
            assertEquals(type, g.dataType(), label + ": type of d" + op.parameters().get(i));
        }

        // The op alone: forward pass, and pullback with upstream w (the weighted sum's gradient).
        List<INDArray> forward = ownedResults(label + " forward", inputs, () -> List.of(op.forward().apply(inputs)));
        assertArrayEquals(reference.shape(), forward.get(0).shape(), label + ": forward shape");
        assertEquals(type, forward.get(0).dataType(), label + ": forward type");
        assertTrue(FiniteDifferences.maxRelDiff(forward.get(0), reference) <= tol.vsTape(), label + ": forward value");
        List<INDArray> pulled = ownedResults(label + " pullback", with(inputs, w), () -> op.pullback(inputs, w));
        assertTrue(FiniteDifferences.maxRelDiff(pulled.get(0), reference) <= tol.vsTape(), label + ": vjp value");
        for (int i = 0; i < inputs.size(); i++) {
            int k = i + 1;
            assertArrayEquals(inputs.get(i).shape(), pulled.get(k).shape(), label + ": pullback shape");
            assertEquals(type, pulled.get(k).dataType(), label + ": pullback type");
            assertTrue(FiniteDifferences.maxRelDiff(pulled.get(k), gradient.get(k)) <= tol.vsTape(),
                    () -> label + ": pullback(w) vs gradient of the weighted sum, d" + op.parameters().get(k - 1));
        }

        // The plain sum: the adjoint reaching the op is the number 1, broadcast.
        GradientCheck.Report summed = GradientCheck.of(op.summedOnTape(), op.summedGradient(), op.parameters(),
                inputs, tol.eps());
        for (GradientCheck.Row row : summed.rows()) {
            assertTrue(row.vsTape() <= tol.vsTape() && row.vsFiniteDifferences() <= tol.vsFiniteDifferences(),
                    () -> label + ": gradient of the plain sum\n" + summed);
        }
        ownedResults(label + " sum gradient", inputs, () -> op.summedGradient().apply(inputs));
        assertOpsWithin(label + " sum gradient", op.summedCounts().gradient(), () -> op.summedGradient().apply(inputs));

        // The op's own gradient: for a one-element result, three ways again; otherwise an error
        // that names the shape and points to the vjp.
        if (reference.length() == 1) {
            GradientCheck.Report own = GradientCheck.of(op.onTape(), op.gradient(), op.parameters(), inputs, tol.eps());
            for (GradientCheck.Row row : own.rows()) {
                assertTrue(row.vsTape() <= tol.vsTape() && row.vsFiniteDifferences() <= tol.vsFiniteDifferences(),
                        () -> label + ": gradient of the op itself\n" + own);
            }
            ownedResults(label + " own gradient", inputs, () -> op.gradient().apply(inputs));
            assertOpsWithin(label + " own gradient", op.ownCounts().gradient(), () -> op.gradient().apply(inputs));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.gradient().apply(inputs));
            assertTrue(e.getMessage().contains(java.util.Arrays.toString(reference.shape()))
                    && e.getMessage().contains(op.name() + "Vjp"), () -> label + ": " + e.getMessage());
        }

        // Each entry point runs between the fewest and the most ops its companion declares.
        assertOpsWithin(label + " gradient", op.counts().gradient(), () -> op.weightedGradient().apply(inputs, w));
        assertOpsWithin(label + " forward", op.ownCounts().forward(), () -> op.forward().apply(inputs));
        assertOpsWithin(label + " vjp", op.ownCounts().vjp(), () -> op.vjp().apply(inputs));
        Function<INDArray, List<INDArray>> pullback = op.vjp().apply(inputs);
        assertOpsWithin(label + " pullback", op.ownCounts().pullback(), () -> pullback.apply(w));
    }

    /**
     * The ND4J path runs between the fewest and the most ops declared; where the entry point has
     * fused loops, a call whose arguments fit them runs no ND4J op at all.
     */
    static void assertOpsWithin(String label, OpCount declared, Runnable call) {
        long ops = OpCounter.countOps(() -> Dense.withoutFusedLoops(() -> {
            call.run();
            return null;
        }));
        assertTrue(declared.fewest() <= ops && ops <= declared.most(),
                () -> label + " ran " + ops + " ND4J ops, declared " + declared);
        if (declared.fusedLoops() > 0) {
            long fused = OpCounter.countOps(call);
            assertTrue(fused == 0 || declared.fewest() <= fused && fused <= declared.most(),
                    () -> label + " ran " + fused + " ND4J ops with its fused loops on, declared " + declared);
        }
    }

    /** The op's value on the tape. */
    static INDArray onTape(OpUnderTest op, List<INDArray> inputs) {
        Tape.reset();
        List<Variable> vars = new ArrayList<>();
        for (INDArray x : inputs) vars.add(Variable.constant(x));
        INDArray value = op.onTape().apply(vars).value();
        Tape.reset();
        return value;
    }

    /**
     * Runs {@code f} and checks that it wrote into none of the caller's arrays and that each of its
     * results owns its buffer: writing into one changes neither a caller's array nor another
     * result. Returns the results as they were before those writes.
     */
    static List<INDArray> ownedResults(String label, List<INDArray> callers, Supplier<List<INDArray>> f) {
        List<INDArray> before = callers.stream().map(INDArray::dup).toList();
        List<INDArray> results = f.get();
        for (int i = 0; i < callers.size(); i++) {
            assertExact(before.get(i), callers.get(i), label + ": wrote into argument " + i);
        }
        List<INDArray> snapshot = results.stream().map(INDArray::dup).toList();
        for (int r = 0; r < results.size(); r++) {
            results.get(r).assign(12345.0);
            for (int i = 0; i < callers.size(); i++) {
                assertExact(before.get(i), callers.get(i), label + ": result " + r + " shares a buffer with argument " + i);
            }
            for (int o = 0; o < results.size(); o++) {
                if (o != r) {
                    assertExact(snapshot.get(o), results.get(o), label + ": results " + r + " and " + o + " share a buffer");
                }
            }
            results.get(r).assign(snapshot.get(r));
        }
        return snapshot;
    }

    static List<INDArray> with(List<INDArray> inputs, INDArray extra) {
        List<INDArray> all = new ArrayList<>(inputs);
        all.add(extra);
        return all;
    }

    static String label(OpUnderTest op, List<INDArray> inputs) {
        StringBuilder s = new StringBuilder(op.name()).append('(');
        for (int i = 0; i < inputs.size(); i++) {
            if (i > 0) s.append(", ");
            s.append(Inputs.str(inputs.get(i).shape()));
        }
        return s.append(") ").append(inputs.get(0).dataType()).toString();
    }
}
