package dev.ringback.server.cli;

import dev.ringback.server.eval.EvalReport;
import dev.ringback.server.eval.Evaluation;
import dev.ringback.server.sim.OnCallPhone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * {@code ./ringback eval [--scenarios DIR] [--voices rms,slt,espeak:en-us,...] [--calls N] [--on-call MODE] [--out DIR] [--json]}:
 * a benchmark, not a test: it exits 0 when it ran, whatever the score.
 */
public final class EvalCommand {
    private EvalCommand() {}

    public static int run(CliArgs args) throws Exception {
        args.allowOnly("scenarios", "voices", "calls", "json", "config", "on-call", "out");
        System.setProperty("ringback.console.level", "WARN");
        Path dir = Path.of(args.option("scenarios").orElse("conf/scenarios"));
        if (!Files.isDirectory(dir)) throw new CliArgs.UsageException("--scenarios: no such directory: " + dir);
        List<Path> files = Evaluation.scenarioFiles(dir);
        if (files.isEmpty()) throw new CliArgs.UsageException("--scenarios: no scenario files in " + dir);
        int calls;
        try {
            calls = Integer.parseInt(args.option("calls").orElse("1"));
        } catch (NumberFormatException e) {
            throw new CliArgs.UsageException("--calls must be a number");
        }
        if (calls < 1 || calls > 50) throw new CliArgs.UsageException("--calls must be between 1 and 50");
        OnCallPhone.Mode onCall;
        try {
            onCall = OnCallPhone.Mode.parse(args.option("on-call").orElse("answer"));
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException(e.getMessage());
        }
        List<String> voices = args.option("voices").map(v -> List.of(v.split(","))).orElse(List.of());
        Path out = Path.of(args.option("out").orElse("var/eval/" + LocalDateTime.now().withNano(0).toString().replace(':', '-')));
        EvalReport report = Evaluation.run(new Evaluation.Options(files, voices, calls, args.existingFile("config", "conf/ringback.yaml"), onCall, out),
                System.err);
        if (args.flag("json")) System.out.println(report.json());
        else report.printTable(System.out);
        return 0;
    }
}
