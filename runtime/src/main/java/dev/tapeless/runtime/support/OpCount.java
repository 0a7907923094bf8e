package dev.tapeless.runtime.support;

/**
 * How many ND4J ops one call of a generated entry point runs: {@code fewest} when the shapes of
 * the arguments agree wherever the code guards on them (no broadcasting to undo), {@code most}
 * when every guard takes its slow path.
 */
public record OpCount(int fewest, int most) {
    @Override
    public String toString() {
        return fewest == most ? Integer.toString(fewest) : fewest + "–" + most;
    }
}
