package dev.tapeless.runtime;

import static dev.tapeless.runtime.TestSupport.array;
import static dev.tapeless.runtime.TestSupport.assertExact;
import static dev.tapeless.runtime.TestSupport.checkGradients;
import static dev.tapeless.runtime.TestSupport.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code Variable.slice(i)}: the i-th sub-array along the first axis, on the tape. */
class SliceTest {

    @AfterEach
    void clear() {
        Tape.reset();
    }

    @Test
    void aSliceIsTheSubArrayAtTheIndexOneRankLower() {
        INDArray m = array(shape(3, 2), 1, 2, 3, 4, 5, 6);
        assertExact(array(shape(2), 3, 4), Variable.constant(m).slice(1).value());
        INDArray v = array(shape(3), 7, 8, 9);
        assertExact(Nd4j.scalar(9.0), Variable.constant(v).slice(2).value());
        double[] counting = new double[24];
        for (int i = 0; i < 24; i++) counting[i] = i + 1;
        INDArray t = array(shape(2, 3, 4), counting);
        assertExact(array(shape(3, 4), java.util.Arrays.copyOfRange(counting, 12, 24)), Variable.constant(t).slice(1).value());
        INDArray f = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        assertEquals(DataType.FLOAT, Variable.constant(f).slice(0).value().dataType());
    }

    @Test
    void aSliceOfAColumnMajorViewIsItsLogicalRow() {
        INDArray m = array(shape(2, 3), 1, 2, 3, 4, 5, 6).dup('f');
        assertExact(array(shape(3), 4, 5, 6), Variable.constant(m).slice(1).value());
        INDArray transposed = array(shape(2, 3), 1, 2, 3, 4, 5, 6).transpose();
        assertExact(array(shape(2), 2, 5), Variable.constant(transposed).slice(1).value());
    }

    @Test
    void theGradientIsTheUpstreamAtTheIndexAndZeroElsewhere() {
        Random r = new Random(3);
        for (long[] s : List.of(shape(4), shape(3, 2), shape(2, 3, 4), shape(1, 5))) {
            for (int i = 0; i < s[0]; i++) {
                int index = i;
                INDArray x = TestSupport.random(r, TestSupport.Domain.ANY, s);
                checkGradients("slice(" + i + ") of " + java.util.Arrays.toString(s), v -> v.get(0).slice(index), List.of(x));
                // A slice used twice accumulates; another index stays zero.
                checkGradients("slice twice", v -> v.get(0).slice(index).mul(v.get(0).slice(index)), List.of(x));
            }
        }
    }

    @Test
    void badIndicesNameTheShape() {
        Variable m = Variable.constant(array(shape(3, 2), 1, 2, 3, 4, 5, 6));
        assertEquals("slice: index 3 is out of range for shape [3, 2]",
                assertThrows(IllegalArgumentException.class, () -> m.slice(3)).getMessage());
        assertEquals("slice: index -1 is out of range for shape [3, 2]",
                assertThrows(IllegalArgumentException.class, () -> m.slice(-1)).getMessage());
        assertEquals("slice: a rank-0 value has no first axis to slice",
                assertThrows(IllegalArgumentException.class, () -> Variable.constant(Nd4j.scalar(1.0)).slice(0)).getMessage());
    }
}
