package dev.ringback.server.cli;

import dev.ringback.server.RingbackServer;
import dev.ringback.server.config.RingbackConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code ./ringback run [--config FILE]}: the server until SIGTERM/Ctrl-C. */
public final class RunCommand {
    private RunCommand() {}

    public static int run(CliArgs args) throws Exception {
        args.allowOnly("config");
        Path config = args.existingFile("config", "conf/ringback.yaml");
        RingbackServer server = RingbackServer.start(RingbackConfig.load(config, System.getenv(), Map.of()), null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
