package dev.tapeless.examples.ops;

import static dev.tapeless.examples.ops.Inputs.shape;

import dev.tapeless.examples.ops.Inputs.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code add sub mul div rsub rdiv} between two Variables, on equal shapes and on every kind of
 * NumPy broadcast: a missing leading axis, a size-1 axis on either side or both, rank 0 with
 * anything, rank 3 with rank 2, and both sides expanding across ranks.
 */
class BinaryOpsTest {

    static final List<long[][]> PAIRS = List.of(
            new long[][] {shape(3, 4), shape(3, 4)},
            new long[][] {shape(3, 4), shape(4)},
            new long[][] {shape(4), shape(3, 4)},
            new long[][] {shape(3, 4), shape(3, 1)},
            new long[][] {shape(1, 4), shape(3, 4)},
            new long[][] {shape(3, 1), shape(1, 4)},
            new long[][] {shape(1, 4), shape(3, 1)},
            new long[][] {shape(), shape(3, 4)},
            new long[][] {shape(2, 3, 4), shape()},
            new long[][] {shape(), shape()},
            new long[][] {shape(5), shape(5)},
            new long[][] {shape(2, 3, 4), shape(3, 1)},
            new long[][] {shape(3, 1), shape(2, 3, 4)},
            new long[][] {shape(2, 1, 4), shape(3, 1)},
            new long[][] {shape(1), shape(2, 3)},
            // Both sides expand and the ranks differ: ND4J alone throws on these.
            new long[][] {shape(3, 1), shape(4)},
            new long[][] {shape(4), shape(3, 1)},
            new long[][] {shape(2, 2, 1), shape(1, 1, 3)},
            new long[][] {shape(2, 3, 1), shape(4)});

    static final List<String> OPS = List.of("add", "sub", "mul", "div", "rsub", "rdiv");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String op : OPS) {
            for (long[][] pair : PAIRS) {
                for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                    out.add(Arguments.of(op, Inputs.str(pair[0]), Inputs.str(pair[1]), type, pair));
                }
            }
        }
        return out.stream();
    }

    /** The operand that divides stays away from zero: {@code a.div(b)} divides by b, {@code a.rdiv(b)} by a. */
    static Domain domain(String op, int operand) {
        if (op.equals("div") && operand == 1) return Domain.NONZERO;
        if (op.equals("rdiv") && operand == 0) return Domain.NONZERO;
        return Domain.ANY;
    }

    @ParameterizedTest(name = "{0}({1}, {2}) {3}")
    @MethodSource("cases")
    void generatedGradientMatchesTapeAndFiniteDifferences(String op, String a, String b, DataType type, long[][] pair) {
        Random rng = new Random(op.hashCode() * 31L + a.hashCode() * 7L + b.hashCode());
        Verify.op(OpCatalogue.op(op), List.of(
                Inputs.array(rng, type, pair[0], domain(op, 0)),
                Inputs.array(rng, type, pair[1], domain(op, 1))), rng.nextLong());
    }
}
