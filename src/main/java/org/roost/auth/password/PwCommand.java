package org.roost.auth.password;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code roost pw [-l] [-s SCHEME] [-u USER] [-p PASSWORD] [-t HASH]}, modelled on {@code doveadm pw}:
 * prints {@code {SCHEME}hash} for a password (default scheme SHA512-CRYPT). Without -p it prompts
 * twice on a terminal, or reads one line from standard input when that is not a terminal.
 * -t checks the password against HASH instead. -u is accepted for doveadm compatibility; none of the
 * supported schemes mixes the user name into the hash.
 * Exit codes: 0 success, 1 failure (mismatch, empty or unreadable password), 2 usage error.
 */
public final class PwCommand {

    static final String DEFAULT_SCHEME = "SHA512-CRYPT";
    static final int USAGE = 2;
    static final int FAILED = 1;
    private static final int MAX_PASSWORD_BYTES = 4096;
    private static final String USAGE_TEXT =
            "usage: roost pw [-l] [-s SCHEME] [-u USER] [-p PASSWORD] [-t HASH]";

    private PwCommand() {
    }

    /** Parsed options; absent ones are empty. */
    record Options(boolean list, String scheme, Optional<String> password, Optional<String> test) {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.in, System.out, System.err));
    }

    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        Optional<Options> options = parse(args);
        if (options.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (options.get().list()) {
            out.println(String.join(" ", Passwords.schemes()));
            return 0;
        }
        return run(options.get(), in, out, err);
    }

    private static int run(Options options, InputStream in, PrintStream out, PrintStream err) {
        if (options.test().isEmpty() && !Passwords.supports(options.scheme())) {
            err.println("Unknown scheme: " + options.scheme());
            return USAGE;
        }
        Optional<byte[]> password = options.password().map(Passwords::utf8)
                .or(() -> readPassword(in, err, options.test().isEmpty()));
        if (password.isEmpty()) {
            return FAILED;
        }
        if (password.get().length == 0) {
            err.println("Empty passwords are not allowed");
            return FAILED;
        }
        String hash = options.test().orElseGet(() -> Passwords.hash(options.scheme(), password.get()));
        Verification check = Passwords.check(hash, password.get());
        Arrays.fill(password.get(), (byte) 0);
        if (!check.matches()) {
            err.println("reverse password verification check failed: " + check.reason());
            return FAILED;
        }
        out.println(options.test().isPresent() ? hash + " (verified)" : hash);
        return 0;
    }

    static Optional<Options> parse(List<String> args) {
        boolean list = false;
        String scheme = DEFAULT_SCHEME;
        Optional<String> password = Optional.empty();
        Optional<String> test = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("-l")) {
                list = true;
                continue;
            }
            if (!List.of("-s", "-u", "-p", "-t").contains(option) || i + 1 == args.size()) {
                return Optional.empty();
            }
            String value = args.get(++i);
            switch (option) {
                case "-s" -> scheme = value;
                case "-p" -> password = Optional.of(value);
                case "-t" -> test = Optional.of(value);
                default -> { } // -u: accepted and unused, as explained in the class comment
            }
        }
        return Optional.of(new Options(list, scheme, password, test));
    }

    private static Optional<byte[]> readPassword(InputStream in, PrintStream err, boolean confirm) {
        Optional<Console> console = interactiveConsole(in);
        try {
            return console.isPresent() ? prompt(console.get(), err, confirm) : readLine(in, err);
        } catch (IOException e) {
            err.println("cannot read password: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<byte[]> prompt(Console console, PrintStream err, boolean confirm) {
        char[] first = console.readPassword(confirm ? "Enter new password: " : "Enter password to verify: ");
        char[] second = confirm && first != null ? console.readPassword("Retype new password: ") : first;
        try {
            if (first == null || second == null) {
                err.println("cannot read password");
                return Optional.empty();
            }
            if (!Arrays.equals(first, second)) {
                err.println("Passwords don't match!");
                return Optional.empty();
            }
            ByteBuffer encoded = console.charset().encode(CharBuffer.wrap(first));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return Optional.of(bytes);
        } finally {
            wipe(first);
            wipe(second);
        }
    }

    /** One line, without its line ending; bounded so a stray pipe cannot fill the heap. */
    private static Optional<byte[]> readLine(InputStream in, PrintStream err) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (line.size() == MAX_PASSWORD_BYTES) {
                err.println("password longer than " + MAX_PASSWORD_BYTES + " bytes");
                return Optional.empty();
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return Optional.of(Arrays.copyOf(bytes, length));
    }

    private static Optional<Console> interactiveConsole(InputStream in) {
        Console console = in == System.in ? System.console() : null;
        return console != null && isTerminal(console) ? Optional.of(console) : Optional.empty();
    }

    /** From JDK 22 System.console() is non-null even when redirected; Console.isTerminal() tells. */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true; // on JDK 21 a console exists only for a terminal
        }
    }

    private static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }

}
