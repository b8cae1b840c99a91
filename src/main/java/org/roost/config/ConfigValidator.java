package org.roost.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks values that parse but cannot work, and fills the defaults that derive from {@code data}. */
final class ConfigValidator {
    /** Protocols whose listener may be enabled; the others are accepted in the file but refused when enabled. */
    private static final Set<String> BUILT_PROTOCOLS = Set.of("imap", "imaps", "pop3", "pop3s", "lmtp", "managesieve");
    /** Protocols that may listen on a UNIX socket: the ones an MTA on the same host talks to. */
    private static final Set<String> UNIX_SOCKET_PROTOCOLS = Set.of("lmtp");
    private static final Set<String> MAIL_FORMATS = Set.of("maildir", "mbox", "postgres");
    private static final Set<String> MBOX_LOCKS = Set.of("dotlock", "dotlock_try", "fcntl", "flock");
    private static final List<String> DATABASES = List.of("passwdFile", "system", "sql", "ldap");
    private static final Set<String> SASL_MECHANISMS = new java.util.TreeSet<>(
            List.of("PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256", "OAUTHBEARER", "XOAUTH2"));
    private static final Set<String> TOKEN_MECHANISMS = Set.of("OAUTHBEARER", "XOAUTH2");
    /** Each waiting connection holds a socket: the wait stays short. */
    private static final Duration MAX_RECONNECT_GRACE = Duration.ofSeconds(30);

    /** A longer penalty only holds connections open; Dovecot stops at 15 s. */
    private static final Duration MAX_PENALTY = Duration.ofMinutes(5);
    private static final Duration MAX_DECAY = Duration.ofHours(24);
    /** About 150 bytes each: 10 million is 1.5 GB of heap, the most a memory of failures may claim. */
    private static final int MAX_PENALIZED_ADDRESSES = 10_000_000;

    /** RFC 2971 §3.3: at most 30 field-value pairs, names of at most 30 octets, values of at most 1024. */
    private static final int MAX_ID_FIELDS = 30;
    private static final Pattern ID_TEXT = Pattern.compile("[\\x20-\\x7e]*");

    private ConfigValidator() {}

    static RoostConfig validate(RoostConfig c) throws ConfigException {
        var problems = new ArrayList<String>();
        require(problems, c.data() != null, "data", "must be set");
        listener(problems, "imap", c.listeners().imap());
        listener(problems, "imaps", c.listeners().imaps());
        listener(problems, "pop3", c.listeners().pop3());
        listener(problems, "pop3s", c.listeners().pop3s());
        listener(problems, "lmtp", c.listeners().lmtp());
        listener(problems, "managesieve", c.listeners().managesieve());
        address(problems, "admin.address", c.admin().address());
        port(problems, "admin.port", c.admin().port());
        require(problems, (c.tls().certificate() == null) == (c.tls().key() == null),
                "tls", "certificate and key must be given together");
        tls(problems, c.tls());
        networks(problems, "auth.secureNetworks", c.auth().secureNetworks());
        networks(problems, "proxy.trustedNetworks", c.proxy().trustedNetworks());
        auth(problems, c.auth());
        mechanisms(problems, c.auth());
        UserDatabaseRules.check(problems, c.auth());
        mailLocation(problems, c.mail());
        mbox(problems, c.mail().mbox());
        PostgresStoreRules.check(problems, c.mail());
        limits(problems, c.limits());
        pop3(problems, c.pop3());
        require(problems, c.index() != null && c.index().cacheBytes() >= 1024 * 1024, "index.cacheBytes",
                "must be at least 1048576 (1 MiB)");
        require(problems, c.index() != null && c.index().maxHeldExpunged() >= 0
                && c.index().maxHeldExpunged() <= 100_000, "index.maxHeldExpunged", "must be between 0 and 100000");
        require(problems, c.index() != null && c.index().fileLookupThreads() >= 1
                && c.index().fileLookupThreads() <= 256, "index.fileLookupThreads", "must be between 1 and 256");
        require(problems, c.index() != null && c.index().maxExpungedRanges() >= 100
                && c.index().maxExpungedRanges() <= 10_000_000, "index.maxExpungedRanges",
                "must be between 100 and 10000000");
        require(problems, c.index() != null && (c.index().maxOpenFiles() == 0 || c.index().maxOpenFiles() >= 16),
                "index.maxOpenFiles", "must be 0 (a quarter of the process limit) or at least 16");
        require(problems, c.index() != null && c.index().sortRunBytes() >= 64 * 1024
                && c.index().sortRunBytes() <= 256 << 20, "index.sortRunBytes", "must be between 65536 and 268435456");
        delivery(problems, c.delivery());
        quota(problems, c.quota());
        sieve(problems, c.sieve());
        require(problems, c.managesieve() != null && c.managesieve().maxInvalidCommands() >= 1
                && c.managesieve().maxInvalidCommands() <= 1000, "managesieve.maxInvalidCommands",
                "must be between 1 and 1000");
        fts(problems, c.fts());
        mailboxes(problems, c.mailboxes());
        metadata(problems, c.metadata());
        imap(problems, c.imap());
        acl(problems, c.acl());
        namespaces(problems, c.namespaces());
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        return withDerivedDefaults(c);
    }

    private static RoostConfig withDerivedDefaults(RoostConfig c) {
        var a = c.auth();
        var auth = a.passwdFile() != null ? a
                : new RoostConfig.Auth(c.data().resolve("passwd"), a.secureNetworks(), a.mechanisms(), a.databases(),
                        a.system(), a.passwdPath(), a.shadowPath(), a.systemMinUid(), a.penalty(),
                        a.maxConcurrentVerifications(), a.maxConcurrentVerificationsPerUser(),
                        a.maxWaitingAddressesPerUser(), a.sql(), a.ldap(), a.oauth2(), a.cache());
        var mail = c.mail().location() != null ? c.mail()
                : new RoostConfig.Mail("maildir:" + c.data().toAbsolutePath().resolve("mail") + "/%u", c.mail().fsync(),
                        c.mail().allowedRoots(), c.mail().mbox(), c.mail().postgres(), c.mail().s3());
        var s = c.sieve();
        var sieve = s.homes() != null ? s
                : new RoostConfig.Sieve(s.enabled(), c.data().toAbsolutePath().resolve("sieve"), s.maxScriptSize(),
                        s.maxScripts(), s.maxActions(), s.maxRedirects(), s.maxCpuTime(), s.maxIncludeDepth(),
                        s.before(), s.after(), s.global(), s.relay(), s.relayTimeout(), s.vacationDays(),
                        s.vacationMaxDays(), s.cacheSize(), s.maxBodyText(), s.journalWindow(), s.journalMaxEntries());
        return new RoostConfig(c.data(), c.listeners(), c.admin(), c.tls(), auth, mail, c.limits(), c.pop3(), c.proxy(),
                c.index(), c.delivery(), c.quota(), sieve, c.managesieve(), c.fts(), c.mailboxes(),
                c.metadata(), c.imap(), c.acl(), c.namespaces());
    }

    /** The special uses Roost gives ordinary mailboxes (RFC 6154; \All and \Flagged would be virtual ones). */
    static final Set<String> SPECIAL_USES = Set.of("\\drafts", "\\sent", "\\trash", "\\junk", "\\archive");
    static final int MAX_SPECIAL_MAILBOXES = 64;

    private static void mailboxes(List<String> problems, RoostConfig.Mailboxes m) {
        if (m == null || m.special() == null) {
            problems.add("mailboxes.special: must be a list (empty for none)");
            return;
        }
        require(problems, m.special().size() <= MAX_SPECIAL_MAILBOXES, "mailboxes.special",
                "at most " + MAX_SPECIAL_MAILBOXES + " mailboxes");
        var names = new HashSet<String>();
        for (int i = 0; i < m.special().size(); i++) {
            var key = "mailboxes.special[" + i + "]";
            var special = m.special().get(i);
            if (special == null) {
                problems.add(key + ": must be {name, use, auto}");
                continue;
            }
            var name = special.name();
            require(problems, name != null && !name.isBlank() && name.length() <= 255
                    && name.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f || ch == '*' || ch == '%'),
                    key + ".name", "must be a mailbox name of 1 to 255 characters, without control characters or"
                            + " wildcards");
            require(problems, name == null || names.add(name.equalsIgnoreCase("INBOX") ? "INBOX" : name),
                    key + ".name", "names " + name + " a second time");
            var uses = special.use() == null ? List.<String>of() : List.of(special.use().trim().split("\\s+"));
            require(problems, !uses.isEmpty() && uses.stream()
                    .allMatch(u -> SPECIAL_USES.contains(u.toLowerCase(Locale.ROOT))), key + ".use",
                    "must be one or more of \\Drafts \\Sent \\Trash \\Junk \\Archive, separated by spaces");
            require(problems, special.auto() != null && Set.of("no", "false", "create", "subscribe")
                    .contains(special.auto().toLowerCase(Locale.ROOT)), key + ".auto", "must be no, create or subscribe");
        }
    }

    /** RFC 5464 §4.1: a server accepts values of at least 1024 octets and at least 10 entries per mailbox. */
    private static void metadata(List<String> problems, RoostConfig.Metadata m) {
        if (m == null) {
            problems.add("metadata: must be set");
            return;
        }
        require(problems, m.maxValueSize() >= 1024 && m.maxValueSize() <= 16L * 1024 * 1024, "metadata.maxValueSize",
                "must be between 1024 and 16777216 (16 MiB)");
        require(problems, m.maxEntries() >= 10 && m.maxEntries() <= 100_000, "metadata.maxEntries",
                "must be between 10 and 100000");
        require(problems, m.maxEntryNameLength() >= 64 && m.maxEntryNameLength() <= 8192, "metadata.maxEntryNameLength",
                "must be between 64 and 8192");
        require(problems, m.serverComment() != null && m.serverComment().length() <= m.maxValueSize(),
                "metadata.serverComment", "must be at most metadata.maxValueSize long");
        require(problems, m.serverAdmin() != null && (m.serverAdmin().isEmpty()
                || m.serverAdmin().matches("[A-Za-z][A-Za-z0-9+.-]*:\\S+")), "metadata.serverAdmin",
                "must be a URI such as mailto:postmaster@example.org (or empty)");
    }

    private static void namespaces(List<String> problems, RoostConfig.Namespaces n) {
        if (n == null) {
            problems.add("namespaces: must not be null");
            return;
        }
        require(problems, prefix(n.sharedPrefix()), "namespaces.sharedPrefix",
                "must be up to 64 letters, digits, '-' or '_' (empty: no shared namespace), and not INBOX");
        require(problems, prefix(n.publicPrefix()) && !n.publicPrefix().isEmpty()
                && !n.publicPrefix().equalsIgnoreCase(n.sharedPrefix()), "namespaces.publicPrefix",
                "must be 1 to 64 letters, digits, '-' or '_', not INBOX nor namespaces.sharedPrefix");
        require(problems, n.publicMaildir() == null || n.publicMaildir().isAbsolute(), "namespaces.publicMaildir",
                "must be an absolute path");
        require(problems, n.privateFlags() != null && n.privateFlags().stream().allMatch(ConfigValidator::privateFlag),
                "namespaces.privateFlags", "must list only \\Seen, \\Answered, \\Flagged or \\Draft");
    }

    /** A flag that may be each user's own: not {@code \Deleted}, which EXPUNGE acts on for everyone. */
    private static boolean privateFlag(String flag) {
        return flag != null && Set.of("\\seen", "\\answered", "\\flagged", "\\draft")
                .contains(flag.toLowerCase(Locale.ROOT));
    }

    private static boolean prefix(String prefix) {
        return prefix != null && prefix.matches("[A-Za-z0-9_-]{0,64}") && !prefix.equalsIgnoreCase("INBOX");
    }

    private static void acl(List<String> problems, RoostConfig.Acl a) {
        if (a == null) {
            problems.add("acl: must not be null");
            return;
        }
        require(problems, a.maxFileBytes() >= 1024 && a.maxFileBytes() <= 16 * 1024 * 1024, "acl.maxFileBytes",
                "must be between 1024 and 16777216");
        require(problems, a.cachedMailboxes() >= 1 && a.cachedMailboxes() <= 10_000_000, "acl.cachedMailboxes",
                "must be between 1 and 10000000");
        require(problems, a.globalFile() == null || a.globalFile().isAbsolute(), "acl.globalFile",
                "must be an absolute path");
    }

    private static void imap(List<String> problems, RoostConfig.Imap i) {
        if (i == null || i.compress() == null || i.id() == null || i.id().fields() == null) {
            problems.add("imap: must not be null");
            return;
        }
        var z = i.compress();
        require(problems, z.level() >= 0 && z.level() <= 9, "imap.compress.level", "must be between 0 and 9");
        require(problems, z.history() >= 0 && z.history() <= 32 * 1024, "imap.compress.history",
                "must be between 0 and 32768");
        var fields = i.id().fields();
        require(problems, fields.size() <= MAX_ID_FIELDS, "imap.id.fields",
                "must have at most " + MAX_ID_FIELDS + " fields (RFC 2971 §3.3)");
        fields.forEach((field, value) -> {
            require(problems, field.length() >= 1 && field.length() <= 30 && ID_TEXT.matcher(field).matches(),
                    "imap.id.fields", "field names must be 1 to 30 printable ASCII characters (RFC 2971 §3.3)");
            require(problems, value == null || value.length() <= 1024 && ID_TEXT.matcher(value).matches(),
                    "imap.id.fields." + field, "must be at most 1024 printable ASCII characters (RFC 2971 §3.3)");
        });
        urlauth(problems, i.urlauth());
    }

    static final int MAX_SUBMIT_USERS = 1000;

    private static void urlauth(List<String> problems, RoostConfig.Urlauth u) {
        if (u == null || u.submitUsers() == null) {
            problems.add("imap.urlauth: must be {enabled, maxUrlLength, maxUrls, submitUsers}");
            return;
        }
        require(problems, u.maxUrlLength() >= 256 && u.maxUrlLength() <= 65_536, "imap.urlauth.maxUrlLength",
                "must be between 256 and 65536");
        require(problems, u.maxUrls() >= 1 && u.maxUrls() <= 10_000, "imap.urlauth.maxUrls",
                "must be between 1 and 10000");
        require(problems, u.submitUsers().size() <= MAX_SUBMIT_USERS, "imap.urlauth.submitUsers",
                "at most " + MAX_SUBMIT_USERS + " users");
        require(problems, u.submitUsers().stream().allMatch(name -> name != null && !name.isBlank()
                && name.length() <= 255 && name.chars().noneMatch(Character::isISOControl)),
                "imap.urlauth.submitUsers", "must be user names of 1 to 255 characters, without control characters");
    }

    private static void fts(List<String> problems, RoostConfig.Fts f) {
        if (f == null) {
            problems.add("fts: must not be null");
            return;
        }
        require(problems, f.ramBufferBytes() >= 1024 * 1024 && f.ramBufferBytes() <= 2047L * 1024 * 1024,
                "fts.ramBufferBytes", "must be between 1048576 (1 MiB) and 2146435072 (2047 MiB)");
        require(problems, f.maxTextChars() >= 1024 && f.maxTextChars() <= 64 * 1024 * 1024, "fts.maxTextChars",
                "must be between 1024 and 67108864");
        require(problems, f.queueBound() >= 1 && f.queueBound() <= 1_000_000, "fts.queueBound",
                "must be between 1 and 1000000");
        require(problems, f.maxOpenIndexes() >= 1 && f.maxOpenIndexes() <= 100_000, "fts.maxOpenIndexes",
                "must be between 1 and 100000");
        require(problems, f.maxAttachmentBytes() >= 0 && f.maxAttachmentBytes() <= 1024L * 1024 * 1024,
                "fts.maxAttachmentBytes", "must be between 0 and 1073741824 (1 GiB)");
        require(problems, f.attachmentTimeout() != null && !f.attachmentTimeout().isNegative()
                && !f.attachmentTimeout().isZero() && f.attachmentTimeout().compareTo(Duration.ofMinutes(10)) <= 0,
                "fts.attachmentTimeout", "must be more than 0 and at most 10 minutes");
        require(problems, f.attachmentThreads() >= 1 && f.attachmentThreads() <= 64, "fts.attachmentThreads",
                "must be between 1 and 64");
        require(problems, f.maxIndexBytesPerUser() >= 1024 * 1024 && f.maxIndexBytesPerUser() <= 1L << 40,
                "fts.maxIndexBytesPerUser", "must be between 1048576 (1 MiB) and 1099511627776 (1 TiB)");
        require(problems, f.commitInterval() != null && !f.commitInterval().isNegative()
                && f.commitInterval().compareTo(Duration.ofHours(1)) <= 0, "fts.commitInterval",
                "must be between 0s and 1 hour");
        require(problems, f.refreshInterval() != null && !f.refreshInterval().isNegative()
                && f.refreshInterval().compareTo(Duration.ofMinutes(1)) <= 0, "fts.refreshInterval",
                "must be between 0s and 1 minute");
        require(problems, f.positionedChars() >= 1024 && f.positionedChars() <= 64 * 1024 * 1024, "fts.positionedChars",
                "must be between 1024 and 67108864");
        require(problems, f.deferredMessagesPerUser() >= 0 && f.deferredMessagesPerUser() <= 1_000_000,
                "fts.deferredMessagesPerUser", "must be between 0 and 1000000");
    }

    private static void listener(List<String> problems, String name, RoostConfig.Listener l) {
        var key = "listeners." + name;
        if (l == null) {
            problems.add(key + ": must not be null");
            return;
        }
        address(problems, key + ".address", l.address());
        port(problems, key + ".port", l.port());
        require(problems, !l.enabled() || BUILT_PROTOCOLS.contains(name), key + ".enabled",
                "the " + name + " protocol is not available in this version of Roost; set enabled: false");
        require(problems, !l.unixSocket() || UNIX_SOCKET_PROTOCOLS.contains(name), key + ".path",
                "only " + UNIX_SOCKET_PROTOCOLS + " can listen on a UNIX socket");
        require(problems, !l.unixSocket() || !l.proxyProtocol(), key + ".proxyProtocol",
                "a UNIX socket has no client address for a PROXY header to replace");
    }

    private static void address(List<String> problems, String key, String address) {
        if (address == null || address.isBlank()) {
            problems.add(key + ": must be an IP address, '*' or '::'");
            return;
        }
        if (address.equals("*") || address.equals("localhost")) {
            return;
        }
        try {
            Cidr.parseLiteral(address);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage() + " (use an IP literal, '*' or '::')");
        }
    }

    private static void port(List<String> problems, String key, int port) {
        require(problems, port >= 0 && port <= 65535, key, "must be between 0 and 65535, was " + port);
    }

    private static void networks(List<String> problems, String key, List<String> networks) {
        if (networks == null) {
            problems.add(key + ": must be a list (may be empty)");
            return;
        }
        for (int i = 0; i < networks.size(); i++) {
            try {
                Cidr.parse(networks.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(key + "[" + i + "]: " + e.getMessage());
            }
        }
    }

    private static void tls(List<String> problems, RoostConfig.Tls tls) {
        require(problems, positive(tls.reloadInterval()), "tls.reloadInterval", "must be positive");
        if (tls.sni() == null) {
            problems.add("tls.sni: must be a list (may be empty)");
            return;
        }
        for (int i = 0; i < tls.sni().size(); i++) {
            var entry = tls.sni().get(i);
            var key = "tls.sni[" + i + "]";
            require(problems, entry.names() != null && !entry.names().isEmpty()
                    && entry.names().stream().noneMatch(n -> n == null || n.isBlank()), key + ".names",
                    "must list at least one host name");
            require(problems, entry.certificate() != null && entry.key() != null, key,
                    "certificate and key must both be set");
        }
    }

    private static void auth(List<String> problems, RoostConfig.Auth a) {
        var databases = a.databases();
        if (databases == null || databases.isEmpty()) {
            problems.add("auth.databases: must list at least one of " + DATABASES);
        } else {
            for (int i = 0; i < databases.size(); i++) {
                require(problems, DATABASES.contains(databases.get(i)), "auth.databases[" + i + "]",
                        "'" + databases.get(i) + "' is not one of " + DATABASES);
            }
            require(problems, Set.copyOf(databases).size() == databases.size(), "auth.databases",
                    "lists a database twice");
            require(problems, !a.system() || databases.contains("system"), "auth.system",
                    "is true but auth.databases does not list 'system'");
        }
        require(problems, a.passwdPath() != null && a.shadowPath() != null, "auth.passwdPath/shadowPath",
                "must be set");
        require(problems, a.systemMinUid() >= 0, "auth.systemMinUid", "must not be negative");
        require(problems, a.maxConcurrentVerifications() > 0, "auth.maxConcurrentVerifications", "must be positive");
        require(problems, a.maxConcurrentVerificationsPerUser() > 0
                && a.maxConcurrentVerificationsPerUser() <= a.maxConcurrentVerifications(),
                "auth.maxConcurrentVerificationsPerUser", "must be between 1 and auth.maxConcurrentVerifications ("
                        + a.maxConcurrentVerifications() + ")");
        require(problems, a.maxWaitingAddressesPerUser() >= 0 && a.maxWaitingAddressesPerUser() <= 1000,
                "auth.maxWaitingAddressesPerUser", "must be between 0 and 1000");
        penalty(problems, a.penalty());
    }

    private static void penalty(List<String> problems, RoostConfig.Penalty p) {
        if (p == null) {
            problems.add("auth.penalty: must be set");
            return;
        }
        require(problems, notNegative(p.initialDelay()), "auth.penalty.initialDelay", "must not be negative");
        require(problems, notNegative(p.maxDelay()) && p.initialDelay() != null
                && p.maxDelay().compareTo(p.initialDelay()) >= 0 && p.maxDelay().compareTo(MAX_PENALTY) <= 0,
                "auth.penalty.maxDelay", "must be between initialDelay and " + MAX_PENALTY.toMinutes() + "m");
        require(problems, positive(p.decay()) && p.decay().compareTo(MAX_DECAY) <= 0, "auth.penalty.decay",
                "must be positive and at most " + MAX_DECAY.toHours() + "h");
        require(problems, p.ipv6Prefix() >= 16 && p.ipv6Prefix() <= 128, "auth.penalty.ipv6Prefix",
                "must be between 16 and 128");
        require(problems, p.maxAddresses() > 0 && p.maxAddresses() <= MAX_PENALIZED_ADDRESSES,
                "auth.penalty.maxAddresses", "must be between 1 and " + MAX_PENALIZED_ADDRESSES);
    }

    private static boolean notNegative(Duration d) {
        return d != null && !d.isNegative();
    }

    private static void mechanisms(List<String> problems, RoostConfig.Auth auth) {
        var mechanisms = auth.mechanisms();
        if (mechanisms == null) {
            problems.add("auth.mechanisms: must be a list");
            return;
        }
        for (int i = 0; i < mechanisms.size(); i++) {
            var name = mechanisms.get(i) == null ? "" : mechanisms.get(i).toUpperCase(java.util.Locale.ROOT);
            require(problems, SASL_MECHANISMS.contains(name), "auth.mechanisms[" + i + "]",
                    "unknown mechanism '" + mechanisms.get(i) + "'; known: " + SASL_MECHANISMS);
            require(problems, !TOKEN_MECHANISMS.contains(name) || auth.oauth2() != null && auth.oauth2().configured(),
                    "auth.mechanisms[" + i + "]", name + " needs auth.oauth2.jwksUrl or auth.oauth2.introspectionUrl");
        }
    }

    private static void mailLocation(List<String> problems, RoostConfig.Mail mail) {
        var roots = mail.allowedRoots();
        require(problems, roots != null && roots.stream().allMatch(root -> root != null && root.isAbsolute()),
                "mail.allowedRoots", "must be a list of absolute directories");
        var location = mail.location();
        if (location == null) {
            return;
        }
        int colon = location.indexOf(':');
        var format = colon < 0 ? "" : location.substring(0, colon);
        if (!MAIL_FORMATS.contains(format)) {
            problems.add("mail.location: '" + location + "' must start with one of " + MAIL_FORMATS
                    + " followed by ':' and a path (e.g. maildir:/var/mail/%u)");
        } else if (location.length() == colon + 1) {
            problems.add("mail.location: the path after '" + format + ":' is empty");
        } else if ((location.startsWith("~", colon + 1) || location.startsWith("%h", colon + 1))
                && roots != null && roots.isEmpty()) {
            problems.add("mail.allowedRoots: mail.location '" + location + "' starts with the user's home, so name the"
                    + " directories homes may be in (e.g. [/home])");
        }
        if (colon > 0 && MAIL_FORMATS.contains(format) && location.length() > colon + 1) {
            var known = format.equals("mbox") ? Set.of("INBOX", "INDEX") : Set.<String>of();
            for (var key : optionKeys(location.substring(colon + 1))) {
                require(problems, known.contains(key), "mail.location", "option " + key + " is not for " + format
                        + " locations (they take " + (known.isEmpty() ? "none" : new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    /** The KEY of each {@code :KEY=value} after the path ({@code ::} is a colon inside a value, as in Dovecot). */
    private static List<String> optionKeys(String afterFormat) {
        var keys = new ArrayList<String>();
        var parts = afterFormat.replace("::", "\0").split(":");
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            keys.add((equals < 0 ? parts[i] : parts[i].substring(0, equals)).toUpperCase(java.util.Locale.ROOT));
        }
        return keys;
    }

    private static void mbox(List<String> problems, RoostConfig.Mbox m) {
        if (m == null) {
            problems.add("mail.mbox: must be a mapping");
            return;
        }
        lockList(problems, "mail.mbox.readLocks", m.readLocks());
        lockList(problems, "mail.mbox.writeLocks", m.writeLocks());
        require(problems, m.lockTimeout() != null && m.lockTimeout().toMillis() >= 100
                && m.lockTimeout().compareTo(Duration.ofHours(1)) <= 0, "mail.mbox.lockTimeout",
                "must be between 100ms and 1h");
        require(problems, m.dotlockStale() != null && m.dotlockStale().toSeconds() >= 5
                && m.dotlockStale().compareTo(Duration.ofHours(1)) <= 0, "mail.mbox.dotlockStale",
                "must be between 5s and 1h");
    }

    private static void lockList(List<String> problems, String key, List<String> locks) {
        if (locks == null) {
            problems.add(key + ": must be a list");
            return;
        }
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i < locks.size(); i++) {
            var name = locks.get(i) == null ? "" : locks.get(i).toLowerCase(java.util.Locale.ROOT);
            require(problems, MBOX_LOCKS.contains(name), key + "[" + i + "]",
                    "unknown lock method '" + locks.get(i) + "'; known: " + new java.util.TreeSet<>(MBOX_LOCKS));
            require(problems, seen.add(name), key + "[" + i + "]", "'" + locks.get(i) + "' is named twice");
        }
    }

    private static void limits(List<String> problems, RoostConfig.Limits l) {
        require(problems, l.maxConnections() > 0, "limits.maxConnections", "must be positive");
        require(problems, l.maxConnectionsPerIp() > 0, "limits.maxConnectionsPerIp", "must be positive");
        require(problems, l.maxLineLength() >= 1024, "limits.maxLineLength", "must be at least 1024");
        require(problems, l.maxLiteralSize() > 0, "limits.maxLiteralSize", "must be positive");
        require(problems, l.maxPreAuthLiteralSize() > 0, "limits.maxPreAuthLiteralSize", "must be positive");
        require(problems, positive(l.preAuthTimeout()), "limits.preAuthTimeout", "must be positive");
        require(problems, l.idleTimeout() != null && l.idleTimeout().toMinutes() >= 30, "limits.idleTimeout",
                "must be at least 30m (RFC 3501 section 5.4)");
        require(problems, l.shutdownDrain() != null && !l.shutdownDrain().isNegative(), "limits.shutdownDrain",
                "must not be negative");
        require(problems, l.maxFailedLogins() > 0, "limits.maxFailedLogins", "must be positive");
        require(problems, l.maxListPatternLength() >= 256, "limits.maxListPatternLength",
                "must be at least 256 (a whole mailbox name must fit)");
        require(problems, l.maxListWildcards() > 0, "limits.maxListWildcards", "must be positive");
        require(problems, l.reconnectGrace() != null && !l.reconnectGrace().isNegative()
                && l.reconnectGrace().compareTo(MAX_RECONNECT_GRACE) <= 0, "limits.reconnectGrace",
                "must be between 0 and " + MAX_RECONNECT_GRACE.toSeconds() + "s");
        require(problems, l.maxSearchDepth() >= 1 && l.maxSearchDepth() <= 1000, "limits.maxSearchDepth",
                "must be between 1 and 1000");
        require(problems, l.maxIdParameters() >= 1 && l.maxIdParameters() <= 1000, "limits.maxIdParameters",
                "must be between 1 and 1000");
        require(problems, l.maxFetchHeaderFields() >= 1 && l.maxFetchHeaderFields() <= 10_000,
                "limits.maxFetchHeaderFields", "must be between 1 and 10000");
        require(problems, l.maxSaslRounds() >= 1 && l.maxSaslRounds() <= 100, "limits.maxSaslRounds",
                "must be between 1 and 100");
        require(problems, l.maxThreadDepth() >= 10 && l.maxThreadDepth() <= 100_000, "limits.maxThreadDepth",
                "must be between 10 and 100000");
        require(problems, l.maxNotifyMailboxes() >= 1 && l.maxNotifyMailboxes() <= 100_000,
                "limits.maxNotifyMailboxes", "must be between 1 and 100000");
        require(problems, l.maxNotifyPending() >= 10 && l.maxNotifyPending() <= 1_000_000,
                "limits.maxNotifyPending", "must be between 10 and 1000000");
        require(problems, l.maxSearchContexts() >= 1 && l.maxSearchContexts() <= 1000, "limits.maxSearchContexts",
                "must be between 1 and 1000");
        require(problems, l.maxAppendMessages() >= 1 && l.maxAppendMessages() <= 100_000, "limits.maxAppendMessages",
                "must be between 1 and 100000");
        require(problems, l.maxCatenateParts() >= 1 && l.maxCatenateParts() <= 10_000, "limits.maxCatenateParts",
                "must be between 1 and 10000");
        require(problems, l.maxPreviewChars() >= 1 && l.maxPreviewChars() <= 256, "limits.maxPreviewChars",
                "must be between 1 and 256 (RFC 8970)");
        require(problems, l.binaryDecodeBuffer() >= 4096 && l.binaryDecodeBuffer() <= 1024 * 1024,
                "limits.binaryDecodeBuffer", "must be between 4096 and 1048576");
        require(problems, l.maxBinaryPartHeader() >= 1024 && l.maxBinaryPartHeader() <= 64 * 1024,
                "limits.maxBinaryPartHeader", "must be between 1024 and 65536 (the header bytes a part is parsed from)");
    }

    /** One Dovecot-style variable: [-][0][width][.offset] [LUX]* then a variable, or %% for a percent sign. */
    private static final Pattern UIDL_PLACEHOLDER = Pattern.compile(
            "%(%|-?0?\\d*(\\.-?\\d+)?[LUX]*([uvf]|\\{(uid|uidvalidity|filename)\\}))");

    private static void pop3(List<String> problems, RoostConfig.Pop3 p) {
        if (p == null) {
            problems.add("pop3.uidlFormat: must be set (Dovecot's default is %08Xu%08Xv)");
            return;
        }
        require(problems, p.maxInvalidCommands() >= 1 && p.maxInvalidCommands() <= 1000, "pop3.maxInvalidCommands",
                "must be between 1 and 1000");
        require(problems, p.maxOverlongLines() >= 1 && p.maxOverlongLines() <= 100, "pop3.maxOverlongLines",
                "must be between 1 and 100");
        if (p.uidlFormat() == null || p.uidlFormat().isEmpty()) {
            problems.add("pop3.uidlFormat: must be set (Dovecot's default is %08Xu%08Xv)");
            return;
        }
        var rest = UIDL_PLACEHOLDER.matcher(p.uidlFormat()).replaceAll("");
        if (rest.contains("%")) {
            problems.add("pop3.uidlFormat: '" + p.uidlFormat() + "' has an unknown variable;"
                    + " supported are %u (UID), %v (UIDVALIDITY), %f (file name) with 0, width and X/L/U modifiers");
        } else if (!p.uidlFormat().matches(".*%-?0?\\d*(\\.-?\\d+)?[LUX]*([uf]|\\{(uid|filename)\\}).*")) {
            problems.add("pop3.uidlFormat: must contain %u or %f, else two messages could get the same UIDL");
        }
    }

    /** SMTP's limits of RFC 5321 §4.5.3.1 are minimums; ours are bounded so that one client cannot hog the server. */
    private static void delivery(List<String> problems, RoostConfig.Delivery d) {
        if (d == null) {
            problems.add("delivery: must be set");
            return;
        }
        require(problems, d.recipientDelimiter() != null && d.recipientDelimiter().length() <= 8
                && d.recipientDelimiter().chars().noneMatch(ch -> ch == '@' || ch < 0x21 || ch > 0x7e),
                "delivery.recipientDelimiter", "must be at most 8 printable ASCII characters other than '@' (or empty)");
        require(problems, d.maxMessageSize() >= 1024, "delivery.maxMessageSize", "must be at least 1024");
        require(problems, d.maxRecipients() >= 1 && d.maxRecipients() <= 100_000, "delivery.maxRecipients",
                "must be between 1 and 100000 (RFC 5321 §4.5.3.1.8 asks for at least 100)");
        require(problems, positive(d.timeout()) && d.timeout().compareTo(Duration.ofHours(1)) <= 0, "delivery.timeout",
                "must be positive and at most 1h");
        require(problems, d.hostname() != null && d.hostname().matches("[A-Za-z0-9.-]{1,253}"), "delivery.hostname",
                "must be a host name (letters, digits, '.', '-')");
    }

    private static void quota(List<String> problems, RoostConfig.Quota q) {
        if (q == null) {
            problems.add("quota: must be set");
            return;
        }
        try {
            DataSize.parse(q.storage() == null ? "" : q.storage(), 1);
        } catch (IllegalArgumentException e) {
            problems.add("quota.storage: " + e.getMessage());
        }
        require(problems, q.messages() >= 0, "quota.messages", "must not be negative (0: no limit)");
        require(problems, q.warnings() != null && q.warnings().stream().allMatch(p -> p != null && p >= 1 && p <= 100),
                "quota.warnings", "must be a list of percentages between 1 and 100");
        require(problems, q.warningFrom() != null && q.warningFrom().matches("[^\\s<>@]+@[^\\s<>@]+"),
                "quota.warningFrom", "must be an address like postmaster@example.org");
    }

    /** Bounds that keep one user's scripts and one run cheap; the upper ends only stop a typo from lifting them. */
    private static void sieve(List<String> problems, RoostConfig.Sieve s) {
        if (s == null) {
            problems.add("sieve: must be set");
            return;
        }
        require(problems, s.homes() == null || !s.homes().toString().isEmpty(),
                "sieve.homes", "must be a directory");
        require(problems, s.maxScriptSize() >= 1024 && s.maxScriptSize() <= 16L * 1024 * 1024, "sieve.maxScriptSize",
                "must be between 1024 and 16777216 (16 MiB)");
        require(problems, s.maxScripts() >= 1 && s.maxScripts() <= 10_000, "sieve.maxScripts",
                "must be between 1 and 10000");
        require(problems, s.maxActions() >= 1 && s.maxActions() <= 1000, "sieve.maxActions",
                "must be between 1 and 1000");
        require(problems, s.maxRedirects() >= 0 && s.maxRedirects() <= 100, "sieve.maxRedirects",
                "must be between 0 and 100");
        require(problems, positive(s.maxCpuTime()) && s.maxCpuTime().compareTo(Duration.ofMinutes(1)) <= 0,
                "sieve.maxCpuTime", "must be positive and at most 1m");
        require(problems, s.maxIncludeDepth() >= 0 && s.maxIncludeDepth() <= 32, "sieve.maxIncludeDepth",
                "must be between 0 and 32");
        require(problems, s.before() != null && s.before().stream().allMatch(p -> p != null && p.isAbsolute()),
                "sieve.before", "must be a list of absolute paths of scripts");
        require(problems, s.after() != null && s.after().stream().allMatch(p -> p != null && p.isAbsolute()),
                "sieve.after", "must be a list of absolute paths of scripts");
        require(problems, s.global() == null || s.global().isAbsolute(), "sieve.global",
                "must be an absolute directory (or unset)");
        require(problems, s.relay() != null && (s.relay().isEmpty() || s.relay().matches("[A-Za-z0-9.:\\[\\]-]+:\\d{1,5}")),
                "sieve.relay", "must be empty (no redirect or vacation) or host:port, e.g. 127.0.0.1:587");
        require(problems, positive(s.relayTimeout()) && s.relayTimeout().compareTo(Duration.ofMinutes(10)) <= 0,
                "sieve.relayTimeout", "must be positive and at most 10m");
        require(problems, s.vacationMaxDays() >= 1 && s.vacationMaxDays() <= 365, "sieve.vacationMaxDays",
                "must be between 1 and 365");
        require(problems, s.vacationDays() >= 1 && s.vacationDays() <= s.vacationMaxDays(), "sieve.vacationDays",
                "must be between 1 and sieve.vacationMaxDays");
        require(problems, s.cacheSize() >= 0 && s.cacheSize() <= 1_000_000, "sieve.cacheSize",
                "must be between 0 and 1000000");
        require(problems, s.maxBodyText() >= 1024 && s.maxBodyText() <= 64 * 1024 * 1024, "sieve.maxBodyText",
                "must be between 1024 and 67108864");
        require(problems, s.journalWindow() != null && s.journalWindow().compareTo(Duration.ofMinutes(1)) >= 0
                && s.journalWindow().compareTo(Duration.ofDays(30)) <= 0, "sieve.journalWindow",
                "must be between 1m and 30d");
        require(problems, s.journalMaxEntries() >= 16 && s.journalMaxEntries() <= 1_000_000, "sieve.journalMaxEntries",
                "must be between 16 and 1000000");
    }

    static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    static void require(List<String> problems, boolean ok, String key, String reason) {
        if (!ok) {
            problems.add(key + ": " + reason);
        }
    }
}
