package dev.tapeless.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The current thread's tape: every op on a {@link Variable} appends one entry here, and
 * {@link #grad} walks the entries backwards to compute gradients (reverse mode).
 *
 * <p>Each thread has its own tape, so threads that differentiate at the same time never see each
 * other's entries. The tape only grows: call {@link #reset()} between independent computations
 * (for example once per training step), never in the middle of one — variables created before a
 * reset become leaves, and gradients stop at them.
 *
 * <pre>{@code
 * Tape.reset();
 * Variable a = Variable.constant(x, "a"), b = Variable.constant(y, "b");
 * Variable loss = a.add(b).mul(b).sum();
 * List<Variable> g = Tape.grad(loss, a, b);   // g.get(0) is b, g.get(1) is a + 2b
 * }</pre>
 */
public final class Tape {

    private static final ThreadLocal<List<TapeEntry>> ENTRIES = ThreadLocal.withInitial(ArrayList::new);

    private Tape() {}

    /** Clears the current thread's tape. Other threads' tapes are untouched. */
    public static void reset() {
        ENTRIES.get().clear();
    }

    /** The number of entries recorded on the current thread's tape since its last reset. */
    public static int size() {
        return ENTRIES.get().size();
    }

    /** How many {@link #withoutRecording} calls the current thread is inside. */
    private static final ThreadLocal<int[]> PAUSED = ThreadLocal.withInitial(() -> new int[1]);

    /** Appends an entry to the current thread's tape; called by {@link Variable}'s ops. */
    static void record(TapeEntry entry) {
        if (PAUSED.get()[0] > 0) return;
        ENTRIES.get().add(entry);
    }

    /** Whether ops on the current thread record onto its tape (false inside {@link #withoutRecording}). */
    public static boolean isRecording() {
        return PAUSED.get()[0] == 0;
    }

    /**
     * Runs {@code computation} with the current thread's tape paused: {@code Variable} ops compute
     * their values and record nothing (as PyTorch's {@code no_grad}). Generated code runs a function
     * with a custom derivative this way for its value alone.
     */
    public static <T> T withoutRecording(java.util.function.Supplier<T> computation) {
        int[] depth = PAUSED.get();
        depth[0]++;
        try {
            return computation.get();
        } finally {
            depth[0]--;
        }
    }

    /**
     * The gradients of {@code loss} with respect to each of {@code wrt}, in order.
     *
     * <p>Walks the current thread's tape from the newest entry to the oldest, starting from a
     * seed of 1 for {@code loss}; a variable used several times (even twice in one op, as in
     * {@code x.mul(x)}) receives the sum of all its contributions. A variable of {@code wrt}
     * that does not reach {@code loss} gets zeros. Each gradient is a new constant variable
     * (a fresh array: writing into it changes nothing else) with the shape and data type of its
     * variable. The tape is left as it is: {@code grad} may be called again.
     *
     * @param loss a variable with exactly one element (rank 0, or shape {@code [1]},
     *             {@code [1, 1]}, ...), usually the result of {@code sum()} or {@code mean()}
     * @param wrt  the variables to differentiate with respect to; any variable, leaf or not
     * @return one gradient per element of {@code wrt}
     * @throws IllegalArgumentException if {@code loss}, {@code wrt} or one of its elements is
     *                                  null, or if {@code loss} has more than one element
     */
    public static List<Variable> grad(Variable loss, Variable... wrt) {
        if (loss == null) {
            throw new IllegalArgumentException("grad: loss is null");
        }
        if (wrt == null) {
            throw new IllegalArgumentException("grad: wrt is null");
        }
        for (int i = 0; i < wrt.length; i++) {
            if (wrt[i] == null) {
                throw new IllegalArgumentException("grad: wrt[" + i + "] is null");
            }
        }
        if (loss.value().length() != 1) {
            throw new IllegalArgumentException(
                    "grad: the loss must have exactly one element, but its shape is "
                            + Shapes.str(loss.shape())
                            + "; reduce it first (sum(), mean()) or differentiate each element");
        }

        Map<Variable, INDArray> adjoints = new IdentityHashMap<>();
        adjoints.put(loss, Nd4j.ones(loss.dataType(), loss.shape()));

        List<TapeEntry> entries = ENTRIES.get();
        for (int i = entries.size() - 1; i >= 0; i--) {
            TapeEntry entry = entries.get(i);

            List<INDArray> outputAdjoints = new ArrayList<>();
            boolean reached = false;
            for (Variable output : entry.outputs()) {
                INDArray adjoint = adjoints.get(output);
                reached |= adjoint != null;
                outputAdjoints.add(adjoint);
            }
            if (!reached) {
                continue; // this entry does not lead to the loss
            }
            for (int k = 0; k < outputAdjoints.size(); k++) {
                if (outputAdjoints.get(k) == null) {
                    Variable output = entry.outputs().get(k);
                    outputAdjoints.set(k, Nd4j.zeros(output.dataType(), output.shape()));
                }
            }

            List<INDArray> inputAdjoints = entry.propagate().apply(outputAdjoints);
            for (int k = 0; k < entry.inputs().size(); k++) {
                INDArray contribution = inputAdjoints.get(k);
                if (contribution == null) {
                    continue;
                }
                Variable input = entry.inputs().get(k);
                if (!Arrays.equals(contribution.shape(), input.shape())
                        || contribution.dataType() != input.dataType()) {
                    throw new IllegalStateException("internal error: the rule of '" + entry.op()
                            + "' gave an adjoint " + contribution.dataType()
                            + Shapes.str(contribution.shape()) + " for an input "
                            + input.dataType() + Shapes.str(input.shape()));
                }
                // Not in place: an adjoint array may be shared (add passes its adjoint through).
                adjoints.merge(input, contribution, INDArray::add);
            }
        }

        List<Variable> gradients = new ArrayList<>(wrt.length);
        for (Variable w : wrt) {
            INDArray adjoint = adjoints.get(w);
            if (adjoint == null) {
                adjoint = Nd4j.zeros(w.dataType(), w.shape());
            }
            gradients.add(Variable.constant(adjoint)); // constant() copies: no shared arrays
        }
        return gradients;
    }
}
