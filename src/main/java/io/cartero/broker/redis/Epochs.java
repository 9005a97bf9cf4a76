package io.cartero.broker.redis;

import java.security.SecureRandom;

/**
 * Random epoch names: 10 lowercase base32 characters, 50 bits. Made here and handed to the
 * scripts, which use one only when a room needs a new epoch. Thread-safe.
 */
final class Epochs {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    static String next() {
        char[] epoch = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            epoch[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(epoch);
    }
}
