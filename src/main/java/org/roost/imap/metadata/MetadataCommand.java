package org.roost.imap.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SequencedMap;
import java.util.TreeMap;
import org.roost.config.RoostConfig;
import org.roost.acl.Rights;
import org.roost.imap.command.Access;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.CommandExecutor;
import org.roost.imap.command.SessionState;
import org.roost.imap.protocol.EntryNames;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Metadata;
import org.roost.imap.protocol.Metadata.GetMetadata;
import org.roost.imap.protocol.Metadata.SetMetadata;
import org.roost.imap.protocol.Syntax;
import org.roost.imap.protocol.response.MetadataResponse;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.Annotations;

/**
 * GETMETADATA and SETMETADATA (RFC 5464 §4.2, §4.3). A mailbox's {@code /shared} entries are the mailbox's, read
 * and set by whoever has the rights of §3.3 on it; its {@code /private} ones are each user's own (on another user's
 * or a public mailbox, kept in the user's own mail: {@link Annotations}); server entries are the
 * user's own {@code /private} ones plus the read-only {@code /shared/comment} and {@code /shared/admin} of
 * {@code metadata.*}; other {@code /shared} server entries would be seen by every user, so they cannot be set
 * (§3.3 lets a server restrict them). An entry asked for by name that does not exist is answered NIL (as
 * Dovecot does) unless DEPTH looks below it.
 */
public final class MetadataCommand extends CommandExecutor<Metadata> {
    private static final String COMMENT = "/shared/comment";
    private static final String ADMIN = "/shared/admin";

    private final RoostConfig.Metadata settings;
    private final Annotations.Limits limits;

    public MetadataCommand(RoostConfig.Metadata settings) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, settings.enabled() ? syntax(rules(settings)) : Map.of());
        this.settings = settings;
        this.limits = new Annotations.Limits(settings.maxEntries(), settings.maxValueSize(),
                settings.maxEntryNameLength());
    }

    /**
     * METADATA or METADATA-SERVER (both are advertised: server and mailbox entries), after login when
     * {@code metadata.enabled}; registered among the extensions, after those added before.
     */
    public static Capability capability(String name, RoostConfig.Metadata settings) {
        return new Capability(name, Capability.Availability.AFTER_LOGIN, facts -> settings.enabled());
    }

    private static Metadata.Rules rules(RoostConfig.Metadata settings) {
        return new Metadata.Rules(settings.maxValueSize(), settings.maxEntries(), settings.maxEntryNameLength());
    }

    private static Map<String, Syntax<? extends Metadata>> syntax(Metadata.Rules rules) {
        return Map.of("GETMETADATA", GetMetadata.syntax(rules), "SETMETADATA", SetMetadata.syntax(rules));
    }

    @Override
    public Reply execute(Metadata command, CommandContext context) throws IOException {
        if (!command.server() && !(command.mailbox() instanceof MailboxName.Valid)) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        var annotations = context.mailboxes().annotations(limits);
        var target = command.server() ? Annotations.SERVER : ((MailboxName.Valid) command.mailbox()).name();
        var rights = command.server() ? Rights.ALL : Access.of(context, target);
        if (!Access.mayAnnotate(rights)) {
            return Access.denied(rights);
        }
        return switch (command) {
            case GetMetadata get -> get(get, annotations.read(target), context);
            case SetMetadata set -> set(set, annotations, target);
        };
    }

    private Reply get(GetMetadata get, SequencedMap<String, byte[]> stored, CommandContext context) throws IOException {
        var entries = visible(get.server(), stored);
        var names = get.depth() == Metadata.Depth.ZERO ? null : new TreeMap<String, Integer>();
        if (names != null) {
            entries.keySet().forEach(name -> names.put(name, names.size()));
        }
        var found = new LinkedHashMap<String, byte[]>();
        long longest = -1;
        for (var name : get.entries()) {
            var candidates = names != null ? selected(names, name, get.depth())
                    : entries.containsKey(name) ? List.of(name) : List.<String>of();
            if (candidates.isEmpty() && names == null) {
                found.putIfAbsent(name, null);
            }
            for (var candidate : candidates) {
                var value = entries.get(candidate);
                if (get.maxSize() >= 0 && value.length > get.maxSize()) {
                    longest = Math.max(longest, value.length);
                } else {
                    found.put(candidate, value);
                }
            }
        }
        if (!found.isEmpty()) {
            var list = new ArrayList<MetadataResponse.Entry>(found.size());
            found.forEach((name, value) -> list.add(new MetadataResponse.Entry(name, value)));
            MetadataResponse.values(context.writer(), get.mailbox().wire(), list);
        }
        return longest < 0 ? Reply.ok("GETMETADATA complete")
                : Reply.ok("METADATA LONGENTRIES " + longest, "GETMETADATA complete");
    }

    /** What this user may see: the stored entries, the server's configured ones, no private ones when they are off. */
    private SequencedMap<String, byte[]> visible(boolean server, SequencedMap<String, byte[]> stored) {
        var entries = new LinkedHashMap<String, byte[]>();
        stored.forEach((name, value) -> {
            if (settings.privateEntries() || !EntryNames.isPrivate(name)) {
                entries.put(name, value);
            }
        });
        if (server) {
            entries.remove(COMMENT);
            entries.remove(ADMIN);
            configured(entries, COMMENT, settings.serverComment());
            configured(entries, ADMIN, settings.serverAdmin());
        }
        return entries;
    }

    private static void configured(SequencedMap<String, byte[]> entries, String name, String value) {
        if (!value.isEmpty()) {
            entries.put(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * With DEPTH 1 or infinity, {@code name} itself and what lies below it (§4.2.2), in the order the entries
     * were set; {@code names} ranks every entry name.
     */
    private static List<String> selected(NavigableMap<String, Integer> names, String name, Metadata.Depth depth) {
        var prefix = name + "/";
        var out = new ArrayList<String>();
        if (names.containsKey(name)) {
            out.add(name);
        }
        // '/' + 1 is '0': every name below "name/" sorts before "name0"
        for (var below : names.subMap(prefix, name + "0").keySet()) {
            if (depth == Metadata.Depth.INFINITY || below.indexOf('/', prefix.length()) < 0) {
                out.add(below);
            }
        }
        out.sort(Comparator.comparing(names::get));
        return out;
    }

    private Reply set(SetMetadata set, Annotations annotations, String target) throws IOException {
        for (var name : set.entries().keySet()) {
            if (EntryNames.isPrivate(name) && !settings.privateEntries()) {
                return Reply.no("METADATA NOPRIVATE", "SETMETADATA failed: private entries are not supported");
            }
            if (set.server() && !EntryNames.isPrivate(name)) {
                return Reply.no("PERMISSIONDENIED", "SETMETADATA failed: shared server entries are read-only");
            }
        }
        try {
            annotations.change(target, set.entries());
        } catch (Annotations.TooMany e) {
            return Reply.no("METADATA TOOMANY", "SETMETADATA failed");
        }
        return Reply.ok("SETMETADATA complete");
    }
}
