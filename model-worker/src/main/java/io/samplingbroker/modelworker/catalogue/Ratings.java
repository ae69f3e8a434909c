package io.samplingbroker.modelworker.catalogue;

/**
 * How a model rates on the three axes of MCP model preferences, each in 0..1 where higher is better for the server:
 * {@code cost} is cheapness (1 = cheapest), {@code speed} is responsiveness, {@code intelligence} is capability.
 */
public record Ratings(double cost, double speed, double intelligence) {

    /** A model whose ratings the catalogue does not give sits in the middle of every axis. */
    public static final double UNRATED = 0.5;

    public Ratings {
        check("cost", cost);
        check("speed", speed);
        check("intelligence", intelligence);
    }

    /** The weighted sum MCP priorities ask for: each priority (0..1, absent = 0) weighs its rating. */
    public double score(double costPriority, double speedPriority, double intelligencePriority) {
        return cost * costPriority + speed * speedPriority + intelligence * intelligencePriority;
    }

    private static void check(String axis, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("rating " + axis + " must be within 0..1, not " + value);
        }
    }
}
