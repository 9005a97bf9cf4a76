package io.cartero.cli;

import picocli.CommandLine.Option;

/** Where messages go or come from: a room (every member gets each one) or a queue (one gets
 * each). The {@code --room} and {@code --queue} options, one or the other. */
final class Target {
    /** The room used when neither option is given. */
    static final String DEFAULT_ROOM = "general";

    @Option(names = {"-r", "--room"}, paramLabel = "${bundle:label.room:-ROOM}",
            descriptionKey = "room")
    private String room;

    @Option(names = {"-q", "--queue"}, paramLabel = "${bundle:label.queue:-QUEUE}",
            descriptionKey = "queue")
    private String queue;

    /** {@code target}, or the default room when no option was given. */
    static Target orDefault(Target target) {
        return target == null ? new Target() : target;
    }

    /** Whether the target is a queue. */
    boolean isQueue() {
        return queue != null;
    }

    /** The room's or the queue's name. */
    String name() {
        if (queue != null) {
            return queue;
        }
        return room != null ? room : DEFAULT_ROOM;
    }
}
