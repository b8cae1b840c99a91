package org.roost.managesieve;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.roost.managesieve.ManageSieveCommand.Upload;
import org.roost.session.SaslChannel;

/** Turns the words of one command into a {@link ManageSieveCommand} (RFC 5804 §4), or says what is wrong. */
final class ManageSieveCommandParser {
    private static final String UNKNOWN = "INVALID";
    private static final Set<String> NAMES = Set.of("CAPABILITY", "LOGOUT", "NOOP", "STARTTLS", "AUTHENTICATE",
            "UNAUTHENTICATE", "HAVESPACE", "PUTSCRIPT", "CHECKSCRIPT", "LISTSCRIPTS", "SETACTIVE", "GETSCRIPT",
            "DELETESCRIPT", "RENAMESCRIPT");

    private ManageSieveCommandParser() {}

    /** The command a client meant, for the meters, when its words did not parse: a known name, else "INVALID". */
    static String commandName(List<Word> words) {
        if (!words.isEmpty() && words.getFirst() instanceof Word.Atom atom) {
            var name = atom.text().toUpperCase(Locale.ROOT);
            return NAMES.contains(name) ? name : UNKNOWN;
        }
        return UNKNOWN;
    }

    static ManageSieveCommand parse(List<Word> words) throws ManageSieveSyntaxException {
        if (words.isEmpty() || !(words.getFirst() instanceof Word.Atom atom)) {
            throw new ManageSieveSyntaxException(UNKNOWN, "Expected a command name.");
        }
        var name = atom.text().toUpperCase(Locale.ROOT);
        var args = new Arguments(name, words.subList(1, words.size()));
        var command = switch (name) {
            case "CAPABILITY" -> new ManageSieveCommand.Capability();
            case "LOGOUT" -> new ManageSieveCommand.Logout();
            case "NOOP" -> new ManageSieveCommand.Noop(args.optionalBytes());
            case "STARTTLS" -> new ManageSieveCommand.StartTls();
            case "AUTHENTICATE" -> authenticate(args);
            case "UNAUTHENTICATE" -> new ManageSieveCommand.Unauthenticate();
            case "HAVESPACE" -> new ManageSieveCommand.HaveSpace(args.scriptName(), args.number());
            case "PUTSCRIPT" -> new ManageSieveCommand.PutScript(args.scriptName(), args.upload());
            case "CHECKSCRIPT" -> new ManageSieveCommand.CheckScript(args.upload());
            case "LISTSCRIPTS" -> new ManageSieveCommand.ListScripts();
            case "SETACTIVE" -> new ManageSieveCommand.SetActive(args.utf8("script name"));
            case "GETSCRIPT" -> new ManageSieveCommand.GetScript(args.scriptName());
            case "DELETESCRIPT" -> new ManageSieveCommand.DeleteScript(args.scriptName());
            case "RENAMESCRIPT" -> new ManageSieveCommand.RenameScript(args.scriptName(), args.scriptName());
            default -> throw new ManageSieveSyntaxException(UNKNOWN, "Unknown command.");
        };
        args.end();
        return command;
    }

    /** RFC 5804 §2.1: the mechanism, then an optional initial response (base64; empty is an empty response). */
    private static ManageSieveCommand authenticate(Arguments args) throws ManageSieveSyntaxException {
        var mechanism = args.utf8("mechanism name");
        var initial = args.optionalBytes();
        if (initial.isEmpty()) {
            return new ManageSieveCommand.Authenticate(mechanism, Optional.empty());
        }
        var decoded = SaslChannel.base64(new String(initial.get(), StandardCharsets.US_ASCII));
        if (decoded.isEmpty()) {
            throw args.error("Invalid base64 data in the initial response.");
        }
        return new ManageSieveCommand.Authenticate(mechanism, decoded);
    }

    /** The text of {@code bytes}, when they are well-formed UTF-8 (RFC 3629): names and scripts must be. */
    static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The arguments after the command name, taken in order. */
    private static final class Arguments {
        private final String command;
        private final List<Word> words;
        private int next;

        Arguments(String command, List<Word> words) {
            this.command = command;
            this.words = words;
        }

        ManageSieveSyntaxException error(String message) {
            return new ManageSieveSyntaxException(command, message);
        }

        private Word take(String what) throws ManageSieveSyntaxException {
            if (next == words.size()) {
                throw error(command + " needs a " + what + ".");
            }
            return words.get(next++);
        }

        private byte[] bytes(String what) throws ManageSieveSyntaxException {
            return switch (take(what)) {
                case Word.Text t -> t.bytes();
                case Word.Skipped s -> throw error("The " + what + " is too long.");
                default -> throw error("The " + what + " must be a string.");
            };
        }

        Optional<byte[]> optionalBytes() throws ManageSieveSyntaxException {
            return next == words.size() ? Optional.empty() : Optional.of(bytes("string"));
        }

        String utf8(String what) throws ManageSieveSyntaxException {
            return strictUtf8(bytes(what)).orElseThrow(() -> error("The " + what + " is not valid UTF-8."));
        }

        /** RFC 5804 §1.6: a script name is at least one character; what else it may hold the script store decides. */
        String scriptName() throws ManageSieveSyntaxException {
            var name = utf8("script name");
            if (name.isEmpty()) {
                throw error("The script name must not be empty.");
            }
            return name;
        }

        long number() throws ManageSieveSyntaxException {
            if (take("number") instanceof Word.Number n) {
                return n.value();
            }
            throw error("The script size must be a number.");
        }

        Upload upload() throws ManageSieveSyntaxException {
            return switch (take("script")) {
                case Word.Text t -> new Upload.Received(t.bytes());
                case Word.Skipped s -> new Upload.TooLarge(s.size());
                default -> throw error("The script must be a string.");
            };
        }

        void end() throws ManageSieveSyntaxException {
            if (next < words.size()) {
                throw error("Too many arguments for " + command + ".");
            }
        }
    }
}
