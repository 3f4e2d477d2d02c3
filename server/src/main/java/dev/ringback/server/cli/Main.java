package dev.ringback.server.cli;

import dev.ringback.server.config.ConfigException;


import java.util.Arrays;

/** Command-line entry: {@code run}, {@code demo}, {@code converse} (the launcher handles build and test). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ringback run|demo|eval|converse [options]  (./ringback --help)");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int code;
        try {
            code = switch (args[0]) {
                case "run" -> RunCommand.run(CliArgs.parse(rest));
                case "demo" -> DemoCommand.run(CliArgs.parse(rest));
                case "converse" -> ConverseCommand.run(CliArgs.parse(rest));
                case "eval" -> EvalCommand.run(CliArgs.parse(rest));
                default -> {
                    System.err.println("ringback: unknown command '" + args[0] + "'");
                    yield 2;
                }
            };
        } catch (CliArgs.UsageException | ConfigException e) {
            System.err.println("ringback: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("ringback: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        System.exit(code);
    }
}
