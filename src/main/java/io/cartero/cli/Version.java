package io.cartero.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version for {@code --version}: from the jar's manifest, else from Maven's metadata. */
final class Version implements IVersionProvider {
    private static final String POM_PROPERTIES =
            "/META-INF/maven/io.cartero/cartero/pom.properties";
    private static final String UNKNOWN = "dev";

    @Override
    public String[] getVersion() {
        return new String[] {"cartero " + current()};
    }

    /** This build's version, or {@code dev} when running from unpackaged classes. */
    static String current() {
        String fromManifest = Version.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        return fromPom();
    }

    private static String fromPom() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
