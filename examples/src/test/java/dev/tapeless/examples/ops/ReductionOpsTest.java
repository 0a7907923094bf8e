package dev.tapeless.examples.ops;

import static dev.tapeless.examples.ops.Inputs.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code sum} and {@code mean}: over everything, over some dims, with kept dims, with negative dims,
 * on every rank each form applies to (a dim must exist).
 */
class ReductionOpsTest {

    static final List<long[]> SHAPES = List.of(shape(), shape(5), shape(3, 4), shape(2, 3, 4), shape(1, 4), shape(3, 1));

    /** The smallest rank each method applies to (the largest dim it names, plus one). */
    static final List<Object[]> FORMS = List.of(
            new Object[] {"All", 0}, new Object[] {"AllKeep", 0}, new Object[] {"0", 1}, new Object[] {"1", 2},
            new Object[] {"Last", 1}, new Object[] {"01", 2}, new Object[] {"0Last", 2}, new Object[] {"0Keep", 1},
            new Object[] {"1Keep", 2}, new Object[] {"LastKeep", 1});

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String reduction : List.of("sum", "mean")) {
            for (Object[] form : FORMS) {
                for (long[] s : SHAPES) {
                    if (s.length < (int) form[1]) continue;
                    for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                        out.add(Arguments.of(reduction + form[0], Inputs.str(s), type, s));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}({1}) {2}")
    @MethodSource("cases")
    void generatedGradientMatchesTapeAndFiniteDifferences(String op, String label, DataType type, long[] shape) {
        Random rng = new Random(op.hashCode() * 31L + label.hashCode());
        Verify.op(OpCatalogue.op(op), List.of(Inputs.array(rng, type, shape, Inputs.Domain.ANY)), rng.nextLong());
    }
}
