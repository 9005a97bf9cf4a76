package io.cartero.cli;

import java.util.Locale;
import java.util.Optional;

/** A language the command line speaks. */
enum Language {
    EN(Locale.ENGLISH),
    ES(Locale.forLanguageTag("es"));

    private static final String OPTION = "--lang";

    private final Locale locale;

    Language(Locale locale) {
        this.locale = locale;
    }

    /** The locale whose bundle holds this language's texts. */
    Locale locale() {
        return locale;
    }

    /** Spanish when {@code locale}'s language is Spanish, English otherwise. */
    static Language of(Locale locale) {
        return "es".equals(locale.getLanguage()) ? ES : EN;
    }

    /** The language named {@code code} ({@code es}, {@code EN}...), if it is one. */
    static Optional<Language> parse(String code) {
        for (Language language : values()) {
            if (language.name().equalsIgnoreCase(code)) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }

    /**
     * The language asked for with {@code --lang} anywhere in {@code args}, else the one of
     * {@code systemLocale}. Read before parsing, so that help and parse errors already come
     * out in that language; a value that is not a language is left for the parser to refuse.
     */
    static Language choose(String[] args, Locale systemLocale) {
        for (int i = 0; i < args.length && !"--".equals(args[i]); i++) {
            Optional<Language> asked = Optional.empty();
            if (OPTION.equals(args[i]) && i + 1 < args.length) {
                asked = parse(args[i + 1]);
            } else if (args[i].startsWith(OPTION + "=")) {
                asked = parse(args[i].substring(OPTION.length() + 1));
            }
            if (asked.isPresent()) {
                return asked.get();
            }
        }
        return of(systemLocale);
    }
}
