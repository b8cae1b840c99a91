package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.roost.auth.password.PwCommand;
import org.roost.auth.setup.UserDirectory;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;

/** The {@code roost} command line. Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error. */
public final class Main {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) {
        LogSetup.install();
        int code = run(List.of(args), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().equals("help") || args.getFirst().equals("--help")) {
            usage(out);
            return args.isEmpty() ? EXIT_USAGE : 0;
        }
        return switch (args.getFirst()) {
            case "serve" -> serve(args.subList(1, args.size()), out, err);
            case "pw" -> PwCommand.run(args.subList(1, args.size()), System.in, out, err);
            case "index" -> IndexCommand.run(args.subList(1, args.size()), out, err);
            case "db" -> DbCommand.run(args.subList(1, args.size()), out, err);
            case "acl" -> AclTool.run(args.subList(1, args.size()), out, err);
            case "migrate" -> MigrateCommand.run(args.subList(1, args.size()), out, err);
            case "deliver" -> {
                LogSetup.quiet();
                yield DeliverCommand.run(args.subList(1, args.size()), System.in, err);
            }
            default -> {
                err.println("roost: unknown command '" + args.getFirst() + "'");
                usage(err);
                yield EXIT_USAGE;
            }
        };
    }

    private static void usage(PrintStream out) {
        out.println("usage: roost serve [--config FILE]    run the server (no FILE: embedded defaults under ./roost-data)");
        out.println("       roost pw [-s SCHEME] [-p PASSWORD] [-t HASH] [-l]    make or test a password hash like doveadm pw");
        out.println("       roost index [--config FILE] USER [MAILBOX]    rebuild the index of a user's mailboxes from the mail");
        out.println("       roost db migrate [--config FILE]    bring the mail database of a postgres: location to the"
                + " newest schema");
        out.println("       roost acl [--config FILE] get|set|delete|my|rights USER MAILBOX [ID RIGHTS | ID | OTHER]    read"
                + " or change a mailbox's ACL like doveadm acl");
        out.println("       roost migrate [--config FILE] (--from|--to) LOCATION [--verify] USER...    copy users' mail"
                + " from Maildir or mbox into the database store or out to Maildir, keeping UIDs (--verify: compare)");
        out.println("       roost deliver [--config FILE] -d USER [-f SENDER] [-m MAILBOX] [-a ADDRESS]    deliver the"
                + " message on standard input (an MTA's mailbox_command, like dovecot-lda)");
    }

    private static int serve(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(++i));
            } else {
                err.println("roost serve: unexpected argument '" + args.get(i) + "'");
                return EXIT_USAGE;
            }
        }
        try {
            var config = new ConfigLoader().load(configFile, System.getenv());
            UserDirectory.check(config.auth());
            var stop = stopOnSignal(); // before the listeners say they listen: a SIGTERM from then on drains
            var warmedUp = WarmUp.inBackground(config);
            var server = new RoostServer(config);
            server.start(out, warmedUp);
            awaitTermination(stop, server);
            markAotTrainingDone();
            return 0;
        } catch (ConfigException e) {
            err.println("roost: configuration error:\n  " + e.getMessage().replace("\n", "\n  "));
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("roost: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    /**
     * bin/roost records an ahead-of-time cache during a first run; the JVM writes it at exit, also
     * after a configuration error. This marker tells bin/roost the run really served (started,
     * then stopped gracefully), so that a cache trained on a failed start is never used.
     */
    private static void markAotTrainingDone() {
        var marker = System.getProperty("roost.aot.trained");
        if (marker == null) {
            return;
        }
        try {
            Files.writeString(Path.of(marker), "trained by a run that served and stopped gracefully\n");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot mark the AOT cache as trained: {0}", e.getMessage());
        }
    }

    /** A latch that SIGTERM or SIGINT opens, in place of the JVM's default of exiting at once (status 143). */
    @SuppressWarnings("restriction")
    private static CountDownLatch stopOnSignal() {
        var stop = new CountDownLatch(1);
        sun.misc.SignalHandler handler = signal -> stop.countDown();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
        return stop;
    }

    /** Blocks until {@code stop} opens, then drains sessions and returns (exit code 0). */
    private static void awaitTermination(CountDownLatch stop, RoostServer server) {
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.shutdown();
    }
}
