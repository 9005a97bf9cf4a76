package io.cartero.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The {@code cartero} program: picks the language, wires the commands, runs one. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** How long SIGTERM waits for a command to close its connections and print its summary. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(5);

    private Main() {
    }

    /** Runs the command named in {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        LogLevels.apply(args, System.getenv());
        StopSignal stop = new StopSignal();
        CliContext context = CliContext.ofProcess(Language.choose(args, Locale.getDefault()), stop);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> finish(stop), "cartero-shutdown"));
        int exitCode;
        try {
            exitCode = execute(context, args);
        } finally {
            stop.finished();
        }
        System.exit(exitCode);
    }

    /** Runs the command named in {@code args} in {@code context}; returns its exit code. */
    static int execute(CliContext context, String... args) {
        return commandLine(context).execute(args);
    }

    /** The whole command tree, speaking {@code context}'s language. */
    static CommandLine commandLine(CliContext context) {
        Texts texts = context.texts();
        CommandLine commandLine = new CommandLine(new CarteroCommand(context))
                .addSubcommand(new ServerCommand(context))
                .addSubcommand(new SendCommand(context))
                .addSubcommand(new ReceiveCommand(context))
                .addSubcommand(new ChatCommand(context))
                .addSubcommand(new RedisCommand(context))
                .addSubcommand(new DemoCommand(context))
                .addSubcommand(new DoctorCommand(context))
                .addSubcommand(new AdminCommand(context))
                .addSubcommand(new BenchCommand(context));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(context.out(), true));
        commandLine.setErr(new PrintWriter(context.err(), true));
        commandLine.setResourceBundle(texts.bundle());
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(context.environment()));
        commandLine.setParameterExceptionHandler(new UsageErrors(texts));
        commandLine.setExecutionExceptionHandler(new Failures(texts));
        return commandLine;
    }

    private static void finish(StopSignal stop) {
        stop.stop();
        try {
            if (!stop.awaitFinished(FINISH_TIMEOUT)) {
                LOG.warn("command did not finish within timeout={}", FINISH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
