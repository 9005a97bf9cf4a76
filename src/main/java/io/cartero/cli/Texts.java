package io.cartero.cli;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * The user-facing texts of the command line in one language, from the bundle
 * {@code i18n/messages}. Patterns are {@link MessageFormat}s, except the picocli keys (usage
 * help and option descriptions), which picocli formats itself. Immutable and thread-safe.
 */
final class Texts {
    /** The base name of the bundle. */
    static final String BUNDLE = "i18n.messages";

    private final Language language;
    private final ResourceBundle bundle;

    private Texts(Language language, ResourceBundle bundle) {
        this.language = language;
        this.bundle = bundle;
    }

    /** The texts in {@code language}, never mixed with those of the system's locale. */
    static Texts of(Language language) {
        ResourceBundle.Control exact = ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES);
        return new Texts(language, ResourceBundle.getBundle(BUNDLE, language.locale(), exact));
    }

    /** The language of these texts. */
    Language language() {
        return language;
    }

    /** The bundle, for picocli's usage help. */
    ResourceBundle bundle() {
        return bundle;
    }

    /**
     * The text at {@code key}, with {@code args} filled in; an argument that is a
     * {@link Phrase} is itself looked up first.
     */
    String get(String key, Object... args) {
        Object[] filled = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            filled[i] = args[i] instanceof Phrase phrase ? get(phrase.key()) : args[i];
        }
        return new MessageFormat(bundle.getString(key), language.locale()).format(filled);
    }

    /**
     * A text to be looked up in the user's language when it is shown, passed as an argument
     * to another one.
     *
     * @param key its bundle key
     */
    record Phrase(String key) {
    }
}
