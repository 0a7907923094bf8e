package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.check.FiniteDifferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Arguments that are views (a transpose, which is column-major; a slice with an offset and strides)
 * give the same results as contiguous copies of them, and are not written.
 */
class ViewsTest {

    enum View {
        TRANSPOSED {
            @Override
            INDArray of(INDArray x) {
                if (x.rank() != 2) return x.dup();
                return x.transpose().dup('c').transpose(); // the same values, in 'f' order
            }
        },
        SLICED {
            @Override
            INDArray of(INDArray x) {
                // x embedded in a larger array and taken back out: an offset and a row stride.
                long[] s = x.shape();
                long[] big = s.clone();
                big[0] += 2;
                big[s.length - 1] += 3;
                INDArray host = Nd4j.zeros(x.dataType(), big).assign(-9.0);
                INDArrayIndex[] window = new INDArrayIndex[s.length];
                for (int i = 0; i < s.length; i++) {
                    long from = i == 0 ? 1 : i == s.length - 1 ? 2 : 0;
                    window[i] = NDArrayIndex.interval(from, from + s[i]);
                }
                INDArray view = host.get(window);
                view.assign(x);
                return view;
            }
        };

        abstract INDArray of(INDArray x);
    }

    static final List<Object[]> CASES = List.of(
            new Object[] {"reshape26", new long[][] {{3, 4}}},
            new Object[] {"reshapeFlat", new long[][] {{3, 4}}},
            new Object[] {"reshapeInfer3", new long[][] {{4, 3}}},
            new Object[] {"transpose", new long[][] {{3, 4}}},
            new Object[] {"sum0", new long[][] {{3, 4}}},
            new Object[] {"mean1Keep", new long[][] {{3, 4}}},
            new Object[] {"softmax1", new long[][] {{3, 4}}},
            new Object[] {"logSoftmax0", new long[][] {{3, 4}}},
            new Object[] {"logSoftmaxLast", new long[][] {{3, 4}}},
            new Object[] {"expand234", new long[][] {{3, 1}}},
            new Object[] {"exp", new long[][] {{3, 4}}},
            new Object[] {"mmul", new long[][] {{3, 4}, {4, 5}}},
            new Object[] {"add", new long[][] {{3, 4}, {3, 1}}},
            new Object[] {"mul", new long[][] {{3, 4}, {3, 4}}},
            new Object[] {"div", new long[][] {{4, 3}, {4, 1}}});

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] c : CASES) for (View v : View.values()) out.add(Arguments.of(c[0], v, c[1]));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} of {1} arguments")
    @MethodSource("cases")
    void viewsGiveWhatTheirCopiesGive(String name, View view, long[][] shapes) {
        OpUnderTest op = OpCatalogue.op(name);
        Random rng = new Random(name.hashCode());
        List<INDArray> copies = new ArrayList<>();
        List<INDArray> views = new ArrayList<>();
        for (long[] s : shapes) {
            INDArray x = Inputs.array(rng, DataType.DOUBLE, s, Inputs.Domain.NONZERO);
            copies.add(x);
            views.add(view.of(x));
        }
        if (view == View.TRANSPOSED) assertEquals('f', views.get(0).ordering());
        if (view == View.SLICED) assertFalse(views.get(0).offset() == 0, "a view with an offset");
        INDArray w = Inputs.array(rng, DataType.DOUBLE, Verify.onTape(op, copies).shape(), Inputs.Domain.ANY);
        INDArray wView = view.of(w);

        assertExact(op.forward().apply(copies), op.forward().apply(views), "forward");
        List<INDArray> expected = op.weightedGradient().apply(copies, w);
        List<INDArray> actual = Verify.ownedResults(name + " on views", Verify.with(views, wView),
                () -> op.weightedGradient().apply(views, wView));
        // The value is a sum over the whole result, which ND4J adds in the order of the view's
        // memory: it may differ in the last bit. Every gradient element is exact.
        assertTrue(FiniteDifferences.maxRelDiff(actual.get(0), expected.get(0)) <= 4 * Math.ulp(1.0), "value");
        for (int i = 1; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).shape(), actual.get(i).shape());
            assertExact(expected.get(i), actual.get(i), "result " + i);
        }
        List<INDArray> pulled = op.pullback(views, wView);
        for (int i = 1; i < expected.size(); i++) assertExact(expected.get(i), pulled.get(i), "pullback " + i);
    }
}
