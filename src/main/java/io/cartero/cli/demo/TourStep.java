package io.cartero.cli.demo;

/** One step of the tour: it tells what it will show, shows it live, then says the lesson. */
interface TourStep {

    /** The bundle key of the step's title; its short name is the same key under short. */
    String key();

    /** Runs the step on {@code stage}; what its producers sent and its consumers received. */
    StepRecord run(Stage stage) throws InterruptedException;
}
