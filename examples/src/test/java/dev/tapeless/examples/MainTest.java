package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The main example's data and its claim: well above 90% of held-out digits right. */
class MainTest {

    @Test
    void digitsAre1797ImagesOf64ScaledPixelsWithLabelsZeroToNine() {
        Digits digits = Digits.load();
        assertEquals(1797, digits.size());
        assertArrayEquals(new long[] {1797, 64}, digits.images().shape());
        assertEquals(DataType.DOUBLE, digits.images().dataType());
        assertEquals(0.0, digits.images().minNumber().doubleValue());
        assertEquals(1.0, digits.images().maxNumber().doubleValue());
        int[] perClass = new int[10];
        for (int label : digits.labels()) perClass[label]++;
        assertTrue(Arrays.stream(perClass).allMatch(n -> n >= 170 && n <= 190), Arrays.toString(perClass));
    }

    @Test
    void theSplitHoldsOutOneFifthWithoutLosingAnImage() {
        Digits digits = Digits.load();
        Digits.Split split = digits.split(0.2, new Random(1));
        assertEquals(359, split.heldOut().size());
        assertEquals(1438, split.training().size());
        double total = digits.images().sumNumber().doubleValue();
        double parts = split.training().images().sumNumber().doubleValue() + split.heldOut().images().sumNumber().doubleValue();
        assertEquals(total, parts, 1e-9);
    }

    @Test
    void trainingWithGeneratedGradientsGetsWellAboveNinetyPercentOfHeldOutDigitsRight() {
        Random rng = new Random(Main.SEED);
        Digits.Split split = Digits.load().split(Main.HELD_OUT, rng);
        Main.Model model = Main.Model.initial(rng);
        double before = model.accuracy(split.heldOut());
        java.util.List<Main.Epoch> history = new java.util.ArrayList<>();
        Main.train(model, split.training(), split.heldOut(), Main.EPOCHS, rng, new PrintStream(OutputStream.nullOutputStream()),
                history);
        double after = model.accuracy(split.heldOut());
        assertTrue(before < 0.3, "untrained: " + before);
        assertTrue(after > 0.95, "trained: " + after);
        assertEquals(Main.EPOCHS, history.size());
        assertEquals(after, history.get(Main.EPOCHS - 1).heldOutAccuracy());
        assertTrue(history.get(Main.EPOCHS - 1).loss() < history.get(0).loss() / 5, history.toString());
    }

    @Test
    void theTrainingCurveIsAPngOfTheEpochs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.util.List<Main.Epoch> history = java.util.List.of(new Main.Epoch(1, 1.5, 0.84), new Main.Epoch(2, 0.6, 0.91),
                new Main.Epoch(3, 0.4, 0.93));
        java.nio.file.Path png = TrainingCurve.write(history, dir.resolve("curves").resolve("curve.png"));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(TrainingCurve.WIDTH, image.getWidth());
        assertEquals(TrainingCurve.HEIGHT, image.getHeight());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3) for (int y = 0; y < image.getHeight(); y += 3) colours.add(image.getRGB(x, y));
        assertTrue(colours.size() > 10, "a drawing, not a blank image: " + colours.size() + " colours");
    }
}
