package io.cartero.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from environment variables ({@code CARTERO_PORT} for {@code --port}, and so
 * on), so that a flag wins over the environment, which wins over the built-in default.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    /** The environment variable that sets each option, by the option's long name. */
    static final Map<String, String> VARIABLES = Map.of(
            "--port", "CARTERO_PORT",
            "--host", "CARTERO_HOST",
            "--broker", "CARTERO_BROKER",
            "--server", "CARTERO_SERVER");

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!argument.isOption()) {
            return null;
        }
        String variable = VARIABLES.get(((OptionSpec) argument).longestName());
        String value = variable == null ? null : environment.get(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
