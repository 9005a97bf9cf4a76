package io.cartero.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POSIX launcher {@code ./cartero} on a copy of the project that holds only the script and
 * the built jar: it saves the class archive once, starts from it after, makes it again when the
 * jar or the Java changes, and stays quiet and working when the archive is unusable.
 */
class LauncherIT {
    private static final long PATIENCE_SECONDS = 120;

    @TempDir
    Path project;

    private Path archive;

    @BeforeEach
    void copyScriptAndJar() throws IOException {
        Files.copy(Path.of("cartero"), project.resolve("cartero"));
        project.resolve("cartero").toFile().setExecutable(true);
        Files.createDirectories(project.resolve("src/main"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Path jar = project.resolve("target/cartero.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(CarteroProcess.jar()), jar, StandardCopyOption.COPY_ATTRIBUTES);
        // Newer than the sources, so the launcher does not try to build.
        Instant past = Instant.now().minusSeconds(3_600);
        Files.setLastModifiedTime(project.resolve("pom.xml"), FileTime.from(past));
        Files.setLastModifiedTime(project.resolve("src/main"), FileTime.from(past));
        Files.setLastModifiedTime(jar, FileTime.from(past.plusSeconds(60)));
        archive = project.resolve("target/cartero.jsa");
    }

    @Test
    void savesTheArchiveOnceAndStartsFromItAfter() throws Exception {
        Run first = run("--version");
        assertThat(first.out()).startsWith("cartero ");
        assertThat(first.err()).contains("Preparing a faster start");
        assertThat(archive).isNotEmptyFile();
        assertThat(project.resolve("target"))
                .isDirectoryNotContaining("glob:**/cartero.jsa.[0-9]*");

        Run second = run("--version");
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEmpty();
    }

    @Test
    void makesTheArchiveAgainForANewJarOrAnotherJava() throws Exception {
        run("--version");
        Path runtime = project.resolve("target/cartero.jsa.runtime");
        Files.writeString(runtime, "openjdk version \"17.0.0\" another build\n");

        assertThat(run("--version").err()).contains("Preparing a faster start");
        assertThat(Files.readString(runtime)).doesNotContain("another build");

        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(7_200)));
        assertThat(run("--version").err()).contains("Preparing a faster start");
        assertThat(run("--version").err()).isEmpty();
    }

    @Test
    void anArchiveJavaRefusesChangesNothingButTheStartTime() throws Exception {
        run("--version");
        archive.toFile().setWritable(true);
        Files.writeString(archive, "not a class archive", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));

        Run refused = run("--version");
        assertThat(refused.out()).startsWith("cartero ");
        assertThat(refused.err()).isEmpty();
        assertThat(refused.exit()).isZero();
    }

    @Test
    void speaksSpanishWhenTheSystemDoes() throws Exception {
        Run first = run(Map.of("LANG", "es_ES.UTF-8"), "--version");
        assertThat(first.err()).contains("Preparando un arranque más rápido");
    }

    private Run run(String... args) throws Exception {
        return run(Map.of("LANG", "C.UTF-8"), args);
    }

    private Run run(Map<String, String> environment, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = project.resolve("cartero").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
        builder.environment().remove("LC_ALL");
        builder.environment().remove("LC_MESSAGES");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Path out = project.resolve("out.txt");
        Path err = project.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish: " + String.join(" ", command));
        }
        return new Run(process.exitValue(), Files.readString(out).strip(),
                Files.readString(err).strip());
    }

    private record Run(int exit, String out, String err) {
    }
}
