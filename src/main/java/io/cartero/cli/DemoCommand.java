package io.cartero.cli;

import io.cartero.cli.demo.EnterPause;
import io.cartero.cli.demo.GuidedTour;
import io.cartero.cli.demo.Keyboard;
import io.cartero.cli.demo.Narrator;
import io.cartero.cli.demo.Pause;
import io.cartero.cli.demo.TourException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cartero demo}: the guided tour, in one process, on the memory broker or a Redis.
 * With a person at the terminal it waits for Enter between steps and paces the messages;
 * with {@code --auto}, or with standard input not a terminal, it runs straight through.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false)
final class DemoCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--broker", paramLabel = "${bundle:label.broker:-BROKER}",
            defaultValue = BrokerUrls.MEMORY, descriptionKey = "demo_broker")
    private String broker;

    @Option(names = "--auto", descriptionKey = "demo_auto")
    private boolean auto;

    DemoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        context.trapInterrupt();
        context.stop().onStop(() -> stop.complete(null));
        Narrator narrator = new Narrator(context.out(), context.charset(),
                context.texts()::get);
        boolean watched = !auto && context.interactive();
        Pause pause = watched ? new EnterPause(new Keyboard(context.in(), context.charset()),
                narrator, stop) : Pause.NONE;
        Duration beat = watched ? GuidedTour.BEAT : Duration.ZERO;

        RedisEnvironment redisEnv = RedisEnvironment.of(context.environment());
        try (DemoBrokers brokers = DemoBrokers.open(broker, redisEnv)) {
            if (BrokerUrls.isRedis(broker)) {
                RedisExposure.standard().warnIfOpen(broker, redisEnv, context);
            }
            new GuidedTour(brokers, narrator, pause, beat, stop).run();
        } catch (TourException e) {
            throw new CommandException(ExitCodes.UNREACHABLE, e, e.key(), e.args());
        }
        return ExitCodes.OK;
    }
}
