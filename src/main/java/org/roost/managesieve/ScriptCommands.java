package org.roost.managesieve;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.roost.managesieve.ManageSieveCommand.Upload;
import org.roost.sieve.Compilation;
import org.roost.sieve.ScriptName;
import org.roost.sieve.ScriptStore;
import org.roost.sieve.ScriptStoreException;
import org.roost.sieve.SieveCompiler;

/**
 * The authenticated state's script commands (RFC 5804 §2.5-§2.12) on one user's {@link ScriptStore}: a script is
 * compiled before it is stored or activated, and what the store refuses is answered with its response code
 * (NONEXISTENT, ACTIVE, ALREADYEXISTS, QUOTA/MAXSCRIPTS, QUOTA/MAXSIZE).
 */
final class ScriptCommands {
    private static final System.Logger LOG = System.getLogger(ScriptCommands.class.getName());
    private final ScriptStore store;
    private final SieveCompiler compiler;
    private final String session;

    /** What a command answers: data lines before its completion (LISTSCRIPTS, GETSCRIPT), written once it is done. */
    private record Outcome(Data data, Reply reply) {
        static Outcome of(Reply reply) {
            return new Outcome(writer -> { }, reply);
        }
    }

    @FunctionalInterface
    private interface Data {
        void writeTo(ManageSieveWriter writer) throws IOException;
    }

    ScriptCommands(ScriptStore store, SieveCompiler compiler, String session) {
        this.store = store;
        this.compiler = compiler;
        this.session = session;
    }

    /**
     * Runs a script command and writes its data lines: a store failure is this command's NO, with the store's
     * response code, or TRYLATER when the disk failed; a failure to write to the client is the session's.
     */
    Reply execute(ManageSieveCommand command, ManageSieveWriter writer) throws IOException {
        Outcome outcome;
        try {
            outcome = run(command);
        } catch (ScriptStoreException e) {
            return Reply.no(e.reason().code(), sentence(e.getMessage()));
        } catch (InvalidScript e) {
            return Reply.no(e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "session {0}: {1} failed in {2}: {3}", session, command.name(), store.home(),
                    e.getMessage());
            return Reply.no("TRYLATER", "Internal error in the script store.");
        }
        outcome.data().writeTo(writer);
        return outcome.reply();
    }

    private Outcome run(ManageSieveCommand command) throws IOException {
        return switch (command) {
            case ManageSieveCommand.HaveSpace c -> {
                store.checkSpace(name(c.script()), c.size());
                yield Outcome.of(Reply.ok("Putscript would succeed."));
            }
            case ManageSieveCommand.PutScript c -> Outcome.of(putScript(name(c.script()), c.content()));
            case ManageSieveCommand.CheckScript c -> {
                compiled(text(c.content()));
                yield Outcome.of(Reply.ok("Script is valid."));
            }
            case ManageSieveCommand.ListScripts c -> {
                var listing = store.list();
                yield new Outcome(writer -> {
                    for (var script : listing) {
                        writer.scriptName(script.name(), script.active());
                    }
                }, Reply.ok("Listscripts completed."));
            }
            case ManageSieveCommand.SetActive c -> Outcome.of(setActive(c.script()));
            case ManageSieveCommand.GetScript c -> {
                var script = store.read(name(c.script())).getBytes(StandardCharsets.UTF_8);
                yield new Outcome(writer -> writer.script(script), Reply.ok("Getscript completed."));
            }
            case ManageSieveCommand.DeleteScript c -> {
                store.delete(name(c.script()));
                yield Outcome.of(Reply.ok("Deletescript completed."));
            }
            case ManageSieveCommand.RenameScript c -> {
                store.rename(name(c.from()), name(c.to()));
                yield Outcome.of(Reply.ok("Renamescript completed."));
            }
            default -> throw new IllegalArgumentException(command.name() + " is no script command");
        };
    }

    /**
     * RFC 5804 §2.6: the old script stays unless the new one is valid, within quota and stored; an empty one is
     * refused (a SHOULD there), though CHECKSCRIPT finds it valid Sieve, as Pigeonhole does.
     */
    private Reply putScript(ScriptName name, Upload content) throws IOException {
        if (content instanceof Upload.TooLarge large) {
            store.checkSpace(name, large.size());
        }
        var text = text(content);
        if (text.isEmpty()) {
            throw new InvalidScript("The script is empty.");
        }
        compiled(text);
        store.write(name, text);
        return Reply.ok("Putscript completed.");
    }

    /** RFC 5804 §2.8: a script becomes active only when it compiles (another program may have written it). */
    private Reply setActive(String script) throws IOException {
        if (script.isEmpty()) {
            store.deactivate();
            return Reply.ok("Active script disabled.");
        }
        var name = name(script);
        compiled(store.read(name));
        store.activate(name);
        return Reply.ok("Setactive completed.");
    }

    private void compiled(String text) throws InvalidScript {
        if (compiler.compile(text) instanceof Compilation.Invalid invalid) {
            throw new InvalidScript(invalid.text());
        }
    }

    /** A script's text: within the size kept, and UTF-8 (RFC 5228 §1). */
    private static String text(Upload content) throws InvalidScript {
        var bytes = switch (content) {
            case Upload.Received r -> r.content();
            case Upload.TooLarge t -> throw new InvalidScript("The script is too large (" + t.size() + " bytes).");
        };
        return ManageSieveCommandParser.strictUtf8(bytes)
                .orElseThrow(() -> new InvalidScript("The script is not valid UTF-8."));
    }

    private static ScriptName name(String script) throws InvalidScript {
        var problem = ScriptName.problem(script);
        if (problem != null) {
            throw new InvalidScript("Invalid script name: " + problem + ".");
        }
        return new ScriptName(script);
    }

    private static String sentence(String message) {
        return message.isEmpty() ? message : message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1) + ".";
    }

    /** A script or name the command cannot take: a plain NO with the reason. */
    private static final class InvalidScript extends IOException {
        InvalidScript(String message) {
            super(message, null);
        }
    }
}
