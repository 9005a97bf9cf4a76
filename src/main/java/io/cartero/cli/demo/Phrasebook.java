package io.cartero.cli.demo;

/** The tour's texts in the person's language: a bundle key and its arguments give a text. */
@FunctionalInterface
public interface Phrasebook {

    /** The text at {@code key}, with {@code args} filled in. */
    String text(String key, Object... args);
}
