package org.roost.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated mail client of the {@code mixed} scenario: logs in, keeps INBOX selected and
 * runs operations from the {@link Mix} until its deadline, every exchange timed into its
 * {@link OpStats} and read by its {@link ConsistencyChecker}. A broken connection is counted
 * as a {@code CONNECTION} error and the client logs in again.
 */
public final class MailClient implements Runnable {
    public record Settings(long idleMillis, boolean literalPlus, String archive, int initialMessages) {
    }

    private final Target target;
    private final String user;
    private final String password;
    private final Mix mix;
    private final SplittableRandom random;
    private final Settings settings;
    private final long deadlineNanos;
    private final OpStats stats = new OpStats();
    private final ConsistencyChecker checker;
    private ImapConnection connection;
    private boolean archiveCreated;

    public MailClient(Target target, String user, String password, Mix mix, long seed, Settings settings,
                      long deadlineNanos, boolean exclusive) {
        this.target = target;
        this.user = user;
        this.password = password;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        this.settings = settings;
        this.deadlineNanos = deadlineNanos;
        this.checker = new ConsistencyChecker(exclusive);
    }

    public OpStats stats() {
        return stats;
    }

    public ConsistencyChecker checker() {
        return checker;
    }

    @Override
    public void run() {
        while (System.nanoTime() < deadlineNanos) {
            try {
                if (connection == null) {
                    connect();
                }
                perform(mix.next(random));
            } catch (IOException | RuntimeException e) {
                stats.record("CONNECTION", 0, false);
                dropConnection();
                LockSupport.parkNanos(50_000_000L);
            }
        }
        if (connection != null) {
            try {
                timed("LOGOUT", () -> connection.command("LOGOUT"));
            } catch (IOException ignored) {
                // the run is over; a failed LOGOUT was already counted as an error
            }
            dropConnection();
        }
    }

    private void connect() throws IOException {
        connection = ImapConnection.open(target);
        var login = timed("LOGIN", () -> connection.login(user, password));
        if (!login.ok()) {
            throw new IOException("LOGIN refused for " + user + ": " + login.tagged());
        }
        if (!archiveCreated) {
            checker.observe(connection.command("CREATE " + settings.archive()));
            archiveCreated = true;
        }
        selectInbox();
    }

    private void selectInbox() throws IOException {
        var select = timed("SELECT", () -> connection.command("SELECT INBOX"));
        if (!select.ok()) {
            throw new IOException("SELECT INBOX refused: " + select.tagged());
        }
        timed("FETCH_FLAGS", () -> connection.command("UID FETCH 1:* (UID FLAGS)"));
    }

    private void perform(Mix.Op op) throws IOException {
        long uid = randomKnownUid();
        int count = checker.knownUids().size();
        if (uid == 0 && op != Mix.Op.APPEND && op != Mix.Op.NOOP && op != Mix.Op.IDLE && op != Mix.Op.RELOGIN) {
            op = Mix.Op.APPEND;
        }
        if ((op == Mix.Op.MOVE || op == Mix.Op.EXPUNGE) && count < Math.max(5, settings.initialMessages() / 2)) {
            op = Mix.Op.APPEND;
        }
        if (op == Mix.Op.APPEND && count > 2 * Math.max(10, settings.initialMessages())) {
            op = Mix.Op.EXPUNGE;
        }
        switch (op) {
            case NOOP -> timed("NOOP", () -> connection.command("NOOP"));
            case FETCH_NEW -> timed("FETCH_NEW", () -> connection.command("UID FETCH " + (highestKnownUid() + 1)
                    + ":* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM TO SUBJECT MESSAGE-ID)])"));
            case FETCH_FLAGS -> timed("FETCH_FLAGS", () -> connection.command("UID FETCH 1:* (UID FLAGS)"));
            case FETCH_BODY -> {
                var e = timed("FETCH_BODY", () -> connection.command("UID FETCH " + uid + " BODY.PEEK[]"));
                stats.bytes("FETCH_BODY", e.literalBytes());
            }
            case STORE -> timed("STORE", () -> connection.command("UID STORE " + uid + " " + storeChange()));
            case SEARCH -> timed("SEARCH", () -> connection.command(searchCommand()));
            case APPEND -> append();
            case IDLE -> idle();
            case COPY -> timed("COPY", () -> connection.command("UID COPY " + uid + " " + settings.archive()));
            case MOVE -> timed("MOVE", () -> connection.command("UID MOVE " + uid + " " + settings.archive()));
            case EXPUNGE -> expunge(count);
            case EXAMINE -> {
                timed("EXAMINE", () -> connection.command("EXAMINE " + settings.archive()));
                selectInbox();
            }
            case RELOGIN -> {
                timed("LOGOUT", () -> connection.command("LOGOUT"));
                dropConnection();
                connect();
            }
        }
    }

    private void append() throws IOException {
        byte[] message = Messages.message(random, Messages.typicalSize(random));
        String flags = random.nextInt(3) == 0 ? "\\Seen" : "";
        var e = timed("APPEND", () -> connection.append("INBOX", flags, message, settings.literalPlus()));
        if (e.ok()) {
            stats.bytes("APPEND", message.length);
        }
    }

    private void idle() throws IOException {
        var seen = new ArrayList<String>();
        String tag = connection.startIdle(seen);
        LockSupport.parkNanos(settings.idleMillis() * 1_000_000L);
        timed("IDLE", () -> connection.finishIdle(tag, seen));
    }

    /** Marks one message (several when the mailbox has grown a lot) \Deleted, then EXPUNGE. */
    private void expunge(int count) throws IOException {
        int victims = count > 2 * settings.initialMessages() ? 5 : 1;
        var uids = new ArrayList<Long>();
        for (int i = 0; i < victims; i++) {
            long uid = randomKnownUid();
            if (uid != 0 && !uids.contains(uid)) {
                uids.add(uid);
            }
        }
        for (long uid : uids) {
            timed("STORE", () -> connection.command("UID STORE " + uid + " +FLAGS (\\Deleted)"));
        }
        timed("EXPUNGE", () -> connection.command("EXPUNGE"));
    }

    private String storeChange() {
        return switch (random.nextInt(4)) {
            case 0 -> "+FLAGS (\\Seen)";
            case 1 -> "-FLAGS (\\Seen)";
            case 2 -> "+FLAGS (\\Flagged)";
            default -> "-FLAGS (\\Flagged)";
        };
    }

    private String searchCommand() {
        int r = random.nextInt(20);
        if (r < 10) {
            return "UID SEARCH UNSEEN";
        }
        if (r < 17) {
            return "UID SEARCH SINCE 1-Jun-2024 FROM \"alice\"";
        }
        return "UID SEARCH TEXT \"budget\"";
    }

    private long randomKnownUid() {
        List<Long> uids = checker.knownUids();
        for (int attempt = 0; attempt < 4 && !uids.isEmpty(); attempt++) {
            long uid = uids.get(random.nextInt(uids.size()));
            if (uid != 0) {
                return uid;
            }
        }
        return uids.stream().filter(u -> u != 0).findFirst().orElse(0L);
    }

    private long highestKnownUid() {
        return checker.knownUids().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private interface Call {
        Exchange run() throws IOException;
    }

    private Exchange timed(String op, Call call) throws IOException {
        long start = System.nanoTime();
        Exchange e = call.run();
        stats.record(op, System.nanoTime() - start, e.ok());
        checker.observe(e);
        return e;
    }

    private void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        checker.disconnected();
    }
}
