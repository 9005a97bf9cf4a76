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
            "--data", "CARTERO_DATA",
            "--server", "CARTERO_SERVER",
            "--operator-token", "CARTERO_OPERATOR_TOKEN",
            "--password", "CARTERO_PASSWORD",
            "--token", "CARTERO_TOKEN",
            "--ca", "CARTERO_CA");
    /**
     * Variables of one command that replace those of {@link #VARIABLES}, by command name and
     * option: {@code cartero redis} must not listen on the node's {@code CARTERO_PORT}.
     */
    static final Map<String, String> COMMAND_VARIABLES = Map.of(
            "redis --port", "CARTERO_REDIS_PORT",
            "redis --password", "CARTERO_REDIS_PASSWORD");

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!argument.isOption()) {
            return null;
        }
        String option = ((OptionSpec) argument).longestName();
        String variable = COMMAND_VARIABLES.getOrDefault(
                argument.command().name() + " " + option, VARIABLES.get(option));
        String value = variable == null ? null : environment.get(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
