package io.cartero.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLevelsTest {
    private final Logger root =
            (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level saved;

    @BeforeEach
    void saveLevel() {
        saved = root.getLevel();
        root.setLevel(Level.INFO);
    }

    @AfterEach
    void restoreLevel() {
        root.setLevel(saved);
    }

    @Test
    void quietsTheTerminalCommandsToErrors() {
        LogLevels.apply(new String[] {"--lang", "es", "chat", "--name", "ana"}, Map.of());

        assertThat(root.getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void leavesTheServersLifecycleLogsAlone() {
        LogLevels.apply(new String[] {"--lang", "server", "server", "--port", "0"}, Map.of());

        assertThat(root.getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void aServerChosenAfterAQuietStartLogsItsLifecycle() {
        root.setLevel(Level.ERROR);

        LogLevels.apply(new String[] {"server"}, Map.of());

        assertThat(root.getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void letsTheEnvironmentChoose() {
        LogLevels.apply(new String[] {"send"}, Map.of("CARTERO_LOG", "debug"));

        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
    }
}
