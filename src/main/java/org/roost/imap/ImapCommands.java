package org.roost.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.imap.command.AclCommandExecutor;
import org.roost.imap.command.AppendCommand;
import org.roost.imap.command.AppendLimit;
import org.roost.imap.command.Appender;
import org.roost.imap.command.AuthenticateCommand;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CapabilityCommand;
import org.roost.imap.command.CheckCommand;
import org.roost.imap.command.CloseCommand;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.CommandExecutor;
import org.roost.imap.command.CompressCommand;
import org.roost.imap.command.CopyCommand;
import org.roost.imap.command.CreateCommand;
import org.roost.imap.command.DeleteCommand;
import org.roost.imap.command.EnableCommand;
import org.roost.imap.command.ExpungeCommand;
import org.roost.imap.command.GenUrlAuthCommand;
import org.roost.imap.command.IdCommand;
import org.roost.imap.command.IdleCommand;
import org.roost.imap.command.ListCommand;
import org.roost.imap.command.LoginCommand;
import org.roost.imap.command.LogoutCommand;
import org.roost.imap.command.MessageSets;
import org.roost.imap.command.NamespaceCommand;
import org.roost.imap.command.NoopCommand;
import org.roost.imap.command.QuotaCommand;
import org.roost.imap.command.RenameCommand;
import org.roost.imap.command.ReplaceCommand;
import org.roost.imap.command.ResetKeyCommand;
import org.roost.imap.command.SelectCommand;
import org.roost.imap.command.SessionFacts;
import org.roost.imap.command.SessionState;
import org.roost.imap.command.StartTlsCommand;
import org.roost.imap.command.StatusCommand;
import org.roost.imap.command.StatusValues;
import org.roost.imap.command.StoreCommand;
import org.roost.imap.command.SubscribeCommand;
import org.roost.imap.command.UnauthenticateCommand;
import org.roost.imap.command.UnselectCommand;
import org.roost.imap.command.UrlFetchCommand;
import org.roost.imap.fetch.FetchCommand;
import org.roost.imap.metadata.MetadataCommand;
import org.roost.imap.notify.NotifyCommand;
import org.roost.imap.search.CancelUpdateCommand;
import org.roost.imap.search.SearchCommand;
import org.roost.imap.sort.SortCommand;
import org.roost.imap.sort.ThreadCommand;
import org.roost.imap.urlauth.UrlAuthority;
import org.roost.imap.protocol.Command;
import org.roost.imap.protocol.Grammar;
import org.roost.imap.protocol.Syntax;
import org.roost.imap.protocol.response.Reply;
import org.roost.config.RoostConfig;
import org.roost.net.Deflate;
import org.roost.net.ProtocolViolation;
import org.roost.session.SessionServices;

/**
 * The IMAP commands a server runs, one executor each: where the grammar, the state checks, the
 * EXPUNGE rule and CAPABILITY come from. A command that is not registered is not parsed and not
 * advertised. The order is CAPABILITY's order.
 */
public final class ImapCommands {
    private final List<CommandExecutor<?>> executors;
    /**
     * Extensions of several commands, advertised after the executors' own (PARTIAL: SEARCH and UID FETCH;
     * CONTEXT=SEARCH: SEARCH and CANCELUPDATE; UIDONLY: ENABLE and every command naming messages;
     * LIST-EXTENDED, LIST-STATUS, SPECIAL-USE, CREATE-SPECIAL-USE and STATUS=SIZE: LIST, CREATE and STATUS;
     * MULTIAPPEND, APPENDLIMIT and CATENATE: APPEND, whose executor sits among RFC 3501's; BINARY: FETCH and APPEND;
     * URLAUTH: GENURLAUTH, RESETKEY, URLFETCH and CATENATE's URLs; UTF8=ACCEPT: ENABLE, every mailbox name, APPEND;
     * LOGIN-REFERRALS: LOGIN and AUTHENTICATE, in every state as Dovecot has it; I18NLEVEL=1: SEARCH, SORT
     * and THREAD compare with i;unicode-casemap, RFC 5255 §4.3).
     */
    private final List<Capability> extensions;
    private final Map<String, Route<?>> routes = new HashMap<>();
    private final Grammar grammar;

    /**
     * What IMAP4rev2 folds in from IMAP4rev1's extensions (RFC 9051 Appendix E items 2 and 3): IMAP4rev2
     * is advertised once every one of them is (LITERAL+ being the superset of LITERAL-, RFC 7888 §5), so
     * an extension that is not there yet keeps it from being claimed. Of BINARY, IMAP4rev2 takes only the
     * FETCH side, which FETCH always parses; the BINARY capability adds APPEND's literal8 (RFC 3516 §4.4).
     */
    static final Set<String> FOLDED_INTO_REV2 = Set.of("NAMESPACE", "UNSELECT", "UIDPLUS", "ESEARCH", "SEARCHRES",
            "ENABLE", "IDLE", "SASL-IR", "LIST-EXTENDED", "LIST-STATUS", "MOVE", "LITERAL+", "SPECIAL-USE",
            "STATUS=SIZE");

    public ImapCommands(List<CommandExecutor<?>> executors) {
        this(executors, List.of());
    }

    public ImapCommands(List<CommandExecutor<?>> executors, List<Capability> extensions) {
        this.executors = List.copyOf(executors);
        this.extensions = withRev2(executors, extensions);
        var rules = new HashMap<String, Syntax<?>>();
        for (var executor : executors) {
            for (var entry : executor.syntax().entrySet()) {
                if (rules.put(entry.getKey(), entry.getValue()) != null) {
                    throw new IllegalArgumentException("two executors for " + entry.getKey());
                }
                routes.put(entry.getKey(), new Route<>(executor));
            }
        }
        this.grammar = new Grammar(rules);
    }

    /** {@link #standard(SessionServices, RoostConfig.Imap)} with the default {@code imap.*} settings. */
    public static ImapCommands standard(SessionServices services) {
        return standard(services, RoostConfig.defaults().imap());
    }

    /** RFC 3501 and the extensions Roost implements, with the server's services and {@code imap.*} settings. */
    public static ImapCommands standard(SessionServices services, RoostConfig.Imap imap) {
        var appendLimit = new AppendLimit(services.limits().maxLiteralSize());
        var urlauth = UrlAuthority.of(imap.urlauth(), services.authenticator(), services.indexCache());
        var appender = new Appender(appendLimit, urlauth, services.limits().maxBinaryPartHeader());
        var statusValues = new StatusValues(appendLimit);
        var executors = new ArrayList<CommandExecutor<?>>(List.of(
                new CapabilityCommand(), new StartTlsCommand(services.tls()),
                new AuthenticateCommand(services.mechanisms()), new LoginCommand(), new IdCommand(imap.id().fields()),
                new EnableCommand(),
                new NoopCommand(), new LogoutCommand(),
                new IdleCommand(), new NamespaceCommand(), new ExpungeCommand(), new UnselectCommand(),
                new CopyCommand(), new ListCommand(services.limits(), statusValues),
                new SelectCommand(), new CreateCommand(), new DeleteCommand(), new RenameCommand(),
                new SubscribeCommand(), new StatusCommand(statusValues), new AppendCommand(appender),
                new CheckCommand(), new CloseCommand(), new StoreCommand(), new FetchCommand(services.limits().maxPreviewChars()),
                new SearchCommand(services.limits().maxSearchContexts(), services.fullText()),
                new QuotaCommand(), new SortCommand(services.limits().maxSearchContexts(), services.fullText()),
                new ThreadCommand(services.limits().maxThreadDepth(), services.fullText()),
                new NotifyCommand(), new CancelUpdateCommand(), new ReplaceCommand(appender),
                new MetadataCommand(services.metadata()), new UnauthenticateCommand()));
        var extensions = new ArrayList<>(List.of(Capability.afterLogin("PARTIAL"), Capability.afterLogin("CONTEXT=SEARCH"),
                Capability.afterLogin("UIDONLY"),
                Capability.afterLogin("LIST-EXTENDED"), Capability.afterLogin("LIST-STATUS"),
                Capability.afterLogin("SPECIAL-USE"), Capability.afterLogin("CREATE-SPECIAL-USE"),
                Capability.afterLogin("STATUS=SIZE"), Capability.afterLogin("MULTIAPPEND"),
                appendLimit.capability(),
                MetadataCommand.capability("METADATA", services.metadata()),
                MetadataCommand.capability("METADATA-SERVER", services.metadata()),
                Capability.afterLogin("BINARY"), UnauthenticateCommand.CAPABILITY,
                new Capability("OBJECTID", Capability.Availability.AFTER_LOGIN, SessionFacts::keepsGuids),
                Capability.afterLogin("SAVEDATE"), Capability.afterLogin("PREVIEW"),
                Capability.afterLogin("CATENATE")));
        if (imap.compress().enabled()) {
            executors.add(new CompressCommand(new Deflate(imap.compress().level(), imap.compress().history())));
            extensions.add(CompressCommand.CAPABILITY);
        }
        if (urlauth.enabled()) {
            executors.addAll(List.of(new GenUrlAuthCommand(urlauth), new ResetKeyCommand(), new UrlFetchCommand(urlauth, services.limits().binaryDecodeBuffer())));
            extensions.addAll(List.of(Capability.afterLogin("URLAUTH"), Capability.afterLogin("URL-PARTIAL"),
                    Capability.afterLogin("URLAUTH=BINARY")));
        }
        extensions.add(Capability.afterLogin("UTF8=ACCEPT"));
        extensions.add(Capability.always("LOGIN-REFERRALS"));
        extensions.addAll(List.of(Capability.afterLogin("PREVIEW=FUZZY"), Capability.afterLogin("SNIPPET=FUZZY")));
        extensions.add(Capability.afterLogin("I18NLEVEL=1"));
        // RFC 4314 when the mail has ACLs (acl.enabled); commands made without an index (a grammar alone) list them too
        if (services.indexCache() == null || services.indexCache().accessControlled()) {
            executors.add(new AclCommandExecutor());
            extensions.addAll(List.of(Capability.afterLogin("ACL"), Capability.afterLogin("RIGHTS=texk")));
        }
        extensions.add(Capability.afterLogin("SEARCH=FUZZY")); // RFC 6203: FUZZY from the full-text index
        return new ImapCommands(executors, extensions);
    }

    /** {@code extensions}, and IMAP4rev2 in every state when everything it folds in is offered. */
    private static List<Capability> withRev2(List<CommandExecutor<?>> executors, List<Capability> extensions) {
        var offered = new HashSet<String>();
        executors.forEach(e -> e.capabilities().forEach(c -> offered.add(c.name())));
        extensions.forEach(c -> offered.add(c.name()));
        if (!offered.containsAll(FOLDED_INTO_REV2)) {
            return List.copyOf(extensions);
        }
        var all = new ArrayList<>(extensions);
        all.add(Capability.always("IMAP4rev2"));
        return List.copyOf(all);
    }

    /** The names the parser knows, with their rules. */
    public Grammar grammar() {
        return grammar;
    }

    /** The executor of a command the grammar parsed. */
    Route<?> route(Command command) {
        return routes.get(command.name());
    }

    /**
     * {@code capability-data} (RFC 3501 §7.2.1), the one text of the untagged CAPABILITY response and the
     * {@code [CAPABILITY ...]} response code: what every state has, then what this state has, in
     * registration order, each followed by the extensions of several commands.
     */
    public String capabilityData(SessionFacts facts) {
        var phase = facts.state() == SessionState.NOT_AUTHENTICATED
                ? Capability.Availability.BEFORE_LOGIN : Capability.Availability.AFTER_LOGIN;
        var names = new LinkedHashSet<String>();
        for (var availability : List.of(Capability.Availability.ALWAYS, phase)) {
            for (var executor : executors) {
                executor.capabilities().stream().filter(c -> c.advertised(availability, facts))
                        .forEach(c -> names.add(c.name()));
            }
            extensions.stream().filter(c -> c.advertised(availability, facts)).forEach(c -> names.add(c.name()));
        }
        return "CAPABILITY " + String.join(" ", names);
    }

    /**
     * An executor with its command type: the command it gets is one its own rule made (the
     * grammar key is the command's name), so the cast holds.
     */
    record Route<C extends Command>(CommandExecutor<C> executor) {

        Set<SessionState> states() {
            return executor.states();
        }

        boolean expungesAllowedAfter(Command command) {
            return executor.expungesAllowedAfter(cast(command));
        }

        Reply execute(Command command, CommandContext context)
                throws IOException, ProtocolViolation, MessageSets.InvalidSet {
            return executor.execute(cast(command), context);
        }

        @SuppressWarnings("unchecked")
        private C cast(Command command) {
            return (C) command;
        }
    }
}
