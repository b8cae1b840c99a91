package org.roost.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole server configuration, as loaded from YAML and environment overrides.
 * Every key has a default (see {@link #defaults()}), so an empty file is a valid configuration.
 */
public record RoostConfig(
        Path data,
        Listeners listeners,
        Admin admin,
        Tls tls,
        Auth auth,
        Mail mail,
        Limits limits,
        Pop3 pop3,
        Proxy proxy,
        Index index,
        Delivery delivery,
        Quota quota,
        Sieve sieve,
        ManageSieve managesieve,
        Fts fts,
        Mailboxes mailboxes,
        Metadata metadata,
        Imap imap,
        Acl acl,
        Namespaces namespaces) {

    public record Listeners(Listener imap, Listener imaps, Listener pop3, Listener pop3s, Listener lmtp,
            Listener managesieve) {}

    /**
     * {@code proxyProtocol}: expect a HAProxy PROXY v1/v2 header first (only from {@code proxy.trustedNetworks}).
     * {@code path}: a UNIX socket to listen on instead of {@code address}:{@code port} (LMTP only).
     */
    public record Listener(String address, int port, boolean enabled, boolean proxyProtocol, String path) {
        public Listener(String address, int port, boolean enabled) {
            this(address, port, enabled, false, null);
        }

        /** Whether the listener is a UNIX socket rather than TCP. */
        public boolean unixSocket() {
            return path != null && !path.isBlank();
        }
    }

    /** Load balancers allowed to send PROXY headers; connections from elsewhere to a proxied listener are refused. */
    public record Proxy(List<String> trustedNetworks) {}

    /** Admin HTTP server. An empty token disables the admin API (every request gets 401). */
    public record Admin(String address, int port, String token, boolean enabled) {}

    /**
     * PEM files; when both are absent a self-signed pair is generated under {@code data}.
     * {@code sni} adds certificates chosen by the name the client asks for (SNI); every file is
     * re-read when it changes, checked every {@code reloadInterval}.
     */
    public record Tls(Path certificate, Path key, List<SniCertificate> sni, Duration reloadInterval) {}

    /** A certificate chain and key served to clients that ask for one of {@code names} ({@code *.example.org} allowed). */
    public record SniCertificate(List<String> names, Path certificate, Path key) {}

    /**
     * Who may log in. {@code mechanisms}: the SASL mechanisms offered (Dovecot's auth_mechanisms); CRAM-MD5 and
     * SCRAM work only for users whose stored secret allows them, so they are off by default.
     * {@code databases} is the lookup order ({@code passwdFile}, {@code system}); the first database that
     * knows a user decides. {@code system} reads {@code passwdPath} + {@code shadowPath} and takes part only
     * when {@code system} is true; system users below {@code systemMinUid} never log in.
     * {@code maxConcurrentVerifications} caps password checks at once; per user, at most
     * {@code maxConcurrentVerificationsPerUser} run at once and {@code maxWaitingAddressesPerUser} further
     * addresses of each kind (with and without failures) may wait for a turn (docs/configuration.md, "Login penalties").
     * {@code sql} and {@code ldap} take part when {@code databases} lists them; {@code oauth2} judges the tokens of
     * OAUTHBEARER and XOAUTH2; {@code cache} keeps SQL and LDAP answers (docs/configuration.md, "User databases").
     */
    public record Auth(
            Path passwdFile,
            List<String> secureNetworks,
            List<String> mechanisms,
            List<String> databases,
            boolean system,
            Path passwdPath,
            Path shadowPath,
            int systemMinUid,
            Penalty penalty,
            int maxConcurrentVerifications,
            int maxConcurrentVerificationsPerUser,
            int maxWaitingAddressesPerUser,
            Sql sql,
            Ldap ldap,
            OAuth2 oauth2,
            Cache cache) {}

    /**
     * A SQL user database over JDBC (PostgreSQL, MariaDB): Dovecot's password_query, user_query and iterate_query
     * with its variables as bind parameters. The defaults read a Postfixadmin {@code mailbox} table.
     */
    public record Sql(String url, String user, String password, Path passwordFile, String passwordQuery,
            String userQuery, String iterateQuery, String defaultScheme, int poolSize, Duration timeout) {}

    /**
     * An LDAP user database: {@code userFilter} under {@code baseDn} finds a user; with {@code authBind} the
     * password is checked by binding as the user's DN (found, or made from {@code authBindDn}), else read from
     * the attribute mapped to {@code password}. {@code attributes} maps Roost's field names to attribute names.
     */
    public record Ldap(List<String> uris, String bindDn, String bindPassword, Path bindPasswordFile, String baseDn,
            String scope, String userFilter, String iterateFilter, boolean authBind, String authBindDn,
            Map<String, String> attributes, boolean startTls, Path caFile, String defaultScheme, int poolSize,
            Duration timeout) {}

    /**
     * OAuth 2.0 bearer tokens (OAUTHBEARER, XOAUTH2): JWTs checked against the keys at {@code jwksUrl}, or any
     * token asked of {@code introspectionUrl} (RFC 7662); {@code usernameClaim} names the user.
     */
    public record OAuth2(String jwksUrl, String issuer, List<String> audience, String usernameClaim,
            List<String> algorithms, Duration clockSkew, Duration jwksCacheTtl, Duration jwksMinRefetch,
            String introspectionUrl, String clientId, String clientSecret, Path clientSecretFile, Duration cacheTtl,
            Duration timeout, Path caFile, boolean requireKnownUser, String scope, String openidConfiguration) {

        /** Whether tokens can be judged at all: a JWKS or an introspection endpoint is set. */
        public boolean configured() {
            return present(jwksUrl) || present(introspectionUrl);
        }

        private static boolean present(String url) {
            return url != null && !url.isBlank();
        }
    }

    /** Dovecot's auth cache for the SQL and LDAP databases; {@code size} 0 turns it off. */
    public record Cache(int size, Duration ttl, Duration negativeTtl) {}

    /**
     * Failed-login delay per remote address (IPv6 grouped by {@code ipv6Prefix}), never per user: after n recent
     * failures from an address its next attempt waits {@code initialDelay * 2^(n-1)}, at most {@code maxDelay};
     * one failure is forgotten per {@code decay} without failures; at most {@code maxAddresses} are remembered.
     */
    public record Penalty(Duration initialDelay, Duration maxDelay, Duration decay, int ipv6Prefix, int maxAddresses) {}

    /**
     * Dovecot-style location, e.g. {@code maildir:/var/mail/%u} or {@code mbox:/home/%u/mail:INBOX=/var/mail/%u};
     * a user database's {@code mail} field overrides it for its user, and a location from a database (that field,
     * or one expanded with the user's {@code home}) must lie inside one of {@code allowedRoots} (empty: the
     * directory {@code location} starts with). {@code mbox}: how mbox files are locked against the other programs
     * that share them. {@code postgres} and {@code s3}: where a {@code postgres:} location keeps its metadata and
     * its message bodies.
     */
    public record Mail(String location, boolean fsync, List<Path> allowedRoots, Mbox mbox, Postgres postgres,
            S3 s3) {}

    /**
     * The database of {@code mail.location: postgres:%u}: mailboxes, UIDs, flags and MODSEQs; migrated by Flyway
     * at start when {@code migrateAtStart}, else by {@code roost db migrate}. Every wait (a connection, a query)
     * is bounded by {@code timeout}. A body no message refers to is deleted once it has been untouched for
     * {@code bodyGrace} (longer than any APPEND takes), by a sweep every {@code collectInterval}, which also trims
     * each mailbox's record of expunged UIDs (QRESYNC's) to its newest {@code maxExpunged}. Each replica keeps
     * the bodies it read or stored lately under its data directory, at most {@code bodyCacheBytes} (0: none).
     */
    public record Postgres(String url, String user, String password, Path passwordFile, int poolSize,
            Duration timeout, boolean migrateAtStart, Duration bodyGrace, Duration collectInterval, int maxExpunged,
            long bodyCacheBytes) {}

    /**
     * The S3-compatible object store that holds the bodies of a {@code postgres:} location, each under the SHA-256
     * of its bytes. {@code endpoint} empty: AWS itself; {@code pathStyle} for MinIO, Ceph RGW, Garage and s3proxy.
     * The keys come from {@code accessKey} and {@code secretKey}/{@code secretKeyFile}, else from the environment
     * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}).
     */
    public record S3(String endpoint, String region, String bucket, boolean pathStyle, String accessKey,
            String secretKey, Path secretKeyFile, Duration timeout) {}

    /**
     * mbox locking, as Dovecot's {@code mbox_read_locks}, {@code mbox_write_locks} ({@code dotlock},
     * {@code dotlock_try}, {@code fcntl}, {@code flock}, in the order taken), {@code mbox_lock_timeout} and
     * {@code mbox_dotlock_change_timeout} (a dot-lock untouched this long is stale).
     */
    public record Mbox(List<String> readLocks, List<String> writeLocks, Duration lockTimeout, Duration dotlockStale) {}

    /**
     * POP3 behaviour. {@code uidlFormat} uses Dovecot's {@code pop3_uidl_format} variables
     * ({@code %u} UID, {@code %v} UIDVALIDITY, {@code %f} Maildir file name; {@code 0}, width and the
     * {@code X}/{@code L}/{@code U} modifiers), so UIDLs stay the same when a Dovecot mailbox moves to Roost.
     * {@code markSeenOnRetr} sets {@code \Seen} on RETR, as Dovecot does. {@code maxInvalidCommands}
     * consecutive invalid commands, or {@code maxOverlongLines} overlong lines, close the connection.
     */
    public record Pop3(String uidlFormat, boolean markSeenOnRetr, int maxInvalidCommands, int maxOverlongLines) {}

    /**
     * ManageSieve behaviour (RFC 5804). {@code maxInvalidCommands} consecutive invalid commands (unknown,
     * malformed, overlong or in the wrong state) close the connection.
     */
    public record ManageSieve(int maxInvalidCommands) {}

    /**
     * The mailbox index.
     *
     * @param cacheBytes heap budget of the shared cache of open mailboxes (idle mailboxes beyond it are closed)
     * @param persistent keep index files ({@code roost.index}, {@code roost.index.log}) in each Maildir folder
     * @param maxHeldExpunged expunged messages kept readable (an open file each) for sessions that still show them
     * @param fileLookupThreads message files looked at at once (a stat, or a read to count line ends) for facts
     *                          the storage did not state, over the whole server
     * @param maxExpungedRanges ranges of expunged UIDs remembered per mailbox with their MODSEQs (QRESYNC's VANISHED)
     * @param maxOpenFiles file descriptors open mailboxes keep open between commands, over the whole server;
     *                     0: a quarter of the process's limit
     * @param sortRunBytes the bytes of sort keys a first SORT or THREAD holds in memory in one run before it sorts
     *                     them into a file beside the index (two runs at most, and a merge of no more)
     */
    /**
     * The full-text index SEARCH asks ({@code fts.*}), one Lucene index per user under {@code data/fts}.
     * {@code enabled}: without it every text search scans; {@code ramBufferBytes}: what the indexer buffers
     * before writing a segment, over all users; {@code maxTextChars}: the characters of text indexed per message (a longer
     * message is read by every text search); {@code queueBound}: the mailboxes that may wait for the indexer;
     * {@code maxOpenIndexes}: the users' indexes open at once (the least recently used beyond is closed);
     * {@code maxAttachmentBytes}, {@code attachmentTimeout}, {@code attachmentThreads}: the bounds on reading
     * an attachment's text with Tika (larger, slower or waiting attachments are skipped);
     * {@code maxIndexBytesPerUser}: the size one user's index may grow to (beyond, new messages are not
     * indexed, and searches read them); {@code commitInterval}: how long indexing may wait for its fsync;
     * {@code refreshInterval}: the least time between two reopens of a searcher, which searches make (and read
     * what they do not see meanwhile);
     * {@code positionedChars}: the characters of a message's headers and of its body indexed with positions (the
     * rest without, each trigram once: a message whose rest has a needle's trigrams is read by that search);
     * {@code deferredMessagesPerUser}: the new messages of one user left for the first search that needs them
     * before they are indexed in the background (0: each indexed at once).
     */
    public record Fts(boolean enabled, long ramBufferBytes, int maxTextChars, int queueBound, int maxOpenIndexes,
                      long maxAttachmentBytes, Duration attachmentTimeout, int attachmentThreads,
                      long maxIndexBytesPerUser, Duration commitInterval, Duration refreshInterval,
                      int positionedChars, int deferredMessagesPerUser) {}

    /**
     * What every user's mailboxes have ({@code mailboxes.*}). {@code special}: the mailboxes with special uses
     * (RFC 6154), as Dovecot's {@code mailbox NAME { special_use; auto }} blocks.
     */
    public record Mailboxes(List<SpecialMailbox> special) {}

    /**
     * {@code name}: the mailbox; {@code use}: its uses, space-separated, of {@code \Drafts \Sent \Trash \Junk
     * \Archive}; {@code auto}: {@code no} (leave it to the user), {@code create} (make it when missing after
     * login) or {@code subscribe} (make and subscribe it).
     */
    public record SpecialMailbox(String name, String use, String auto) {}

    /**
     * IMAP METADATA (RFC 5464): {@code enabled} advertises METADATA and METADATA-SERVER; {@code maxValueSize}
     * bounds one value (larger: {@code NO [METADATA MAXSIZE n]}, refused before a synchronizing literal is sent);
     * {@code maxEntries} the entries of one mailbox, and of one user's server entries ({@code [METADATA TOOMANY]});
     * {@code maxEntryNameLength} the octets of an entry name; {@code privateEntries} false refuses {@code /private}
     * entries ({@code [METADATA NOPRIVATE]}); {@code serverComment} and {@code serverAdmin} are the read-only server
     * entries {@code /shared/comment} and {@code /shared/admin} (a URI), absent when empty.
     */
    public record Metadata(boolean enabled, long maxValueSize, int maxEntries, int maxEntryNameLength,
                           boolean privateEntries, String serverComment, String serverAdmin) {}

    /**
     * Access control lists (RFC 4314), kept as Dovecot's acl plugin keeps them ({@code acl = vfile}).
     * {@code enabled}: mailboxes have ACLs, read from a {@code dovecot-acl} file in each mailbox's directory, and the
     * IMAP ACL commands are offered; {@code globalFile}: Dovecot's global ACL file ({@code acl = vfile:PATH}; lines
     * {@code PATTERN ID RIGHTS}), or null for none; {@code maxFileBytes}: the largest ACL file read (a larger one
     * gives nobody any right); {@code cachedMailboxes}: how many mailboxes' ACL files are kept read.
     */
    public record Acl(boolean enabled, Path globalFile, int maxFileBytes, int cachedMailboxes) {}

    /**
     * The namespaces of RFC 2342 besides the user's own (they need {@code acl.enabled}). {@code sharedPrefix}: the
     * other users' namespace, Dovecot's {@code shared/%u} ({@code Shared.bob.INBOX}; empty: none), letters, digits,
     * {@code -} and {@code _}. {@code publicPrefix}: the public namespace ({@code Public.News}), backed by the Maildir
     * {@code publicMaildir} (null: no public namespace). {@code privateFlags}: the system flags each user keeps of
     * their own on the mailboxes of those namespaces, as Dovecot's {@code INDEXPVT} keeps {@code \Seen} (empty: every
     * flag is shared).
     */
    public record Namespaces(String sharedPrefix, String publicPrefix, Path publicMaildir, List<String> privateFlags) {}

    /** IMAP behaviour beyond the limits ({@code imap.*}): COMPRESS=DEFLATE, the answer to ID, URLAUTH. */
    public record Imap(Compress compress, Id id, Urlauth urlauth) {}

    /**
     * COMPRESS=DEFLATE (RFC 4978). {@code enabled}: offered after login; {@code level}: zlib's 0-9 (Dovecot's
     * {@code imap_compress_deflate_level} is 6); {@code history}: bytes of the last responses a compressed
     * connection keeps between two responses as the next one's dictionary, 0 to 32768 (a connection holds a
     * deflater, about 260 KiB, only while it writes a response).
     */
    public record Compress(boolean enabled, int level, int history) {}

    /**
     * The server's answer to ID (RFC 2971), Dovecot's {@code imap_id_send}: field to value, in this order;
     * empty: {@code ID NIL}.
     */
    public record Id(Map<String, String> fields) {}

    /**
     * URLAUTH (RFC 4467): {@code enabled} offers GENURLAUTH, RESETKEY and URLFETCH and takes URLAUTH URLs in
     * CATENATE; {@code maxUrlLength} bounds one URL (a longer one is refused by GENURLAUTH, fetched as NIL, a
     * BADURL in CATENATE); {@code maxUrls} the URLs of one URLFETCH or GENURLAUTH; {@code submitUsers} the users
     * authorized as message submission entities (§3): only they may fetch a {@code submit+} URL.
     */
    public record Urlauth(boolean enabled, int maxUrlLength, int maxUrls, List<String> submitUsers) {}

    public record Index(long cacheBytes, boolean persistent, int maxHeldExpunged, int fileLookupThreads,
                        int maxExpungedRanges, int maxOpenFiles, int sortRunBytes) {}

    /**
     * Mail delivery by LMTP and {@code roost deliver}. {@code recipientDelimiter}: what separates a user from a
     * detail ({@code user+detail@domain}, Dovecot's {@code recipient_delimiter}; empty: none);
     * {@code saveToDetailMailbox}: deliver to the mailbox named by the detail when it exists (Dovecot's
     * {@code lmtp_save_to_detail_mailbox}); {@code autocreateMailbox}: create a missing target mailbox instead of
     * delivering to INBOX ({@code lda_mailbox_autocreate}); {@code maxMessageSize}: the largest message accepted
     * (SIZE); {@code maxRecipients}: per LMTP transaction; {@code timeout}: an LMTP client's silence allowed
     * before the connection is closed; {@code hostname}: the name in the greeting and in Received: fields.
     */
    public record Delivery(String recipientDelimiter, boolean saveToDetailMailbox, boolean autocreateMailbox,
            long maxMessageSize, int maxRecipients, Duration timeout, String hostname) {}

    /**
     * Quota, one root per user over all mailboxes. {@code storage} and {@code messages}: the default limits of
     * users whose database entry has no {@code quota_rule} ({@code storage} in bytes, or with a k/M/G/T suffix;
     * 0: none); {@code fullTempfail}: an LMTP delivery over quota is refused for now ({@code 452 4.2.2}) rather
     * than for good ({@code 552 5.2.2}), Dovecot's {@code quota_full_tempfail}; {@code warnings}: percentages of a
     * limit at whose upward crossing the user is sent a warning message, from {@code warningFrom}.
     */
    public record Quota(String storage, long messages, boolean fullTempfail, List<Integer> warnings,
            String warningFrom) {}

    /**
     * Sieve filtering at delivery, with Pigeonhole's layout: each user's scripts are {@code ~/sieve/NAME.sieve} and
     * the active one is the link {@code ~/.dovecot.sieve}; {@code ~} is the user's home from the user database, or
     * {@code homes/USER} for a user without one (docs/configuration.md, "Sieve"). {@code maxScriptSize} and
     * {@code maxScripts} bound what a user may store; {@code maxActions}, {@code maxRedirects} and
     * {@code maxCpuTime} bound what one run may do; {@code maxIncludeDepth} the nesting of {@code include}.
     * {@code before} and {@code after}: global scripts run before and after the user's (Pigeonhole's
     * {@code sieve_before}/{@code sieve_after}); {@code global}: the directory of the scripts {@code include :global}
     * names (Pigeonhole's {@code sieve_global}). {@code relay}: the SMTP server ({@code host:port}) that takes
     * redirected mail and vacation replies; empty: {@code vacation} is not offered and a redirect keeps the message.
     * {@code vacationDays}: the default {@code :days} of vacation; {@code vacationMaxDays} its upper bound.
     * {@code maxBodyText}: characters of each body part the {@code body} test reads. {@code journalWindow}: how long a
     * delivery that stores a message more than once remembers the stores it made, so that the MTA's retry after a
     * crash does not make them again; {@code journalMaxEntries}: the most stores one user's journal keeps.
     */
    public record Sieve(boolean enabled, Path homes, long maxScriptSize, int maxScripts, int maxActions,
            int maxRedirects, Duration maxCpuTime, int maxIncludeDepth, List<Path> before, List<Path> after,
            Path global, String relay, Duration relayTimeout, int vacationDays, int vacationMaxDays, int cacheSize, int maxBodyText,
            Duration journalWindow, int journalMaxEntries) {}

    /**
     * Bounds on what one client may ask of the server. {@code maxListPatternLength} and
     * {@code maxListWildcards} bound a LIST/LSUB reference name and pattern together;
     * {@code maxSearchDepth} the nesting of SEARCH keys, {@code maxIdParameters} the field-value pairs
     * of an ID command, {@code maxFetchHeaderFields} the field names of one FETCH HEADER.FIELDS list,
     * {@code maxSaslRounds} the challenges of one SASL exchange, {@code maxThreadDepth} how far up a
     * thread THREAD=REFERENCES looks for a loop and how many references of one message it reads;
     * {@code maxNotifyMailboxes} how many mailbox names one NOTIFY may give and how many mailboxes it may
     * watch, {@code maxNotifyPending} how many notifications a session may owe its client before it is
     * told {@code NOTIFICATIONOVERFLOW} (RFC 5465 §5.8); {@code maxSearchContexts} how many searches one
     * session may have kept up to date (CONTEXT=SEARCH's UPDATE, RFC 5267 §4.3.1); {@code maxAppendMessages}
     * how many messages one APPEND may carry (MULTIAPPEND, RFC 3502), {@code maxCatenateParts} how many parts
     * one CATENATE may join (RFC 4469); {@code maxPreviewChars} the characters of a FETCH PREVIEW (RFC 8970 §3.3: at
     * most 256); {@code binaryDecodeBuffer} the bytes of each of the two buffers a FETCH BINARY decodes through
     * (RFC 3516); {@code maxBinaryPartHeader} the longest part header of a {@code literal8} APPEND whose binary part
     * is rewritten to base64 (RFC 3516 §4.4; a longer one keeps the part as sent).
     */
    public record Limits(
            int maxConnections,
            int maxConnectionsPerIp,
            int maxLineLength,
            long maxLiteralSize,
            long maxPreAuthLiteralSize,
            Duration preAuthTimeout,
            Duration idleTimeout,
            Duration shutdownDrain,
            int maxFailedLogins,
            int maxListPatternLength,
            int maxListWildcards,
            Duration reconnectGrace,
            int maxSearchDepth,
            int maxIdParameters,
            int maxFetchHeaderFields,
            int maxSaslRounds,
            int maxThreadDepth,
            int maxNotifyMailboxes,
            int maxNotifyPending,
            int maxSearchContexts,
            int maxAppendMessages,
            int maxCatenateParts,
            int maxPreviewChars,
            int binaryDecodeBuffer,
            int maxBinaryPartHeader) {}

    /** The embedded default: loopback only, unprivileged ports, state under ./roost-data. */
    public static RoostConfig defaults() {
        return new RoostConfig(
                Path.of("roost-data"),
                new Listeners(
                        new Listener("127.0.0.1", 1143, true),
                        new Listener("127.0.0.1", 1993, true),
                        new Listener("127.0.0.1", 1110, false),
                        new Listener("127.0.0.1", 1995, false),
                        new Listener("127.0.0.1", 1024, false),
                        new Listener("127.0.0.1", 4190, false)),
                new Admin("127.0.0.1", 8080, "", true),
                new Tls(null, null, List.of(), Duration.ofSeconds(5)),
                new Auth(null, List.of("127.0.0.0/8", "::1/128"), List.of("PLAIN", "LOGIN"),
                        List.of("passwdFile", "system"), false, Path.of("/etc/passwd"), Path.of("/etc/shadow"), 1000,
                        new Penalty(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(1), 64, 100_000),
                        4, 1, 4,
                        new Sql(null, null, null, null,
                                "SELECT username AS user, password FROM mailbox WHERE username = '%u' AND active = '1'",
                                "SELECT CONCAT('*:bytes=', quota) AS quota_rule FROM mailbox"
                                        + " WHERE username = '%u' AND active = '1'",
                                "SELECT username AS user FROM mailbox WHERE active = '1'",
                                "CRYPT", 8, Duration.ofSeconds(5)),
                        new Ldap(List.of(), null, null, null, null, "subtree",
                                "(&(objectClass=posixAccount)(uid=%u))", "(objectClass=posixAccount)", false, null,
                                Map.of("user", "uid", "password", "userPassword", "home", "homeDirectory",
                                        "uid", "uidNumber", "gid", "gidNumber"),
                                false, null, "CRYPT", 8, Duration.ofSeconds(5)),
                        new OAuth2(null, null, List.of(), "email",
                                List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"),
                                Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(30), null, null,
                                null, null, Duration.ofSeconds(60), Duration.ofSeconds(5), null, true, null, null),
                        new Cache(10_000, Duration.ofMinutes(5), Duration.ofSeconds(30))),
                new Mail(null, true, List.of(), new Mbox(List.of("fcntl"), List.of("dotlock", "fcntl"),
                        Duration.ofMinutes(5), Duration.ofMinutes(2)),
                        new Postgres(null, null, null, null, 10, Duration.ofSeconds(5), true, Duration.ofHours(1),
                                Duration.ofMinutes(10), 100_000, 256L * 1024 * 1024),
                        new S3(null, "us-east-1", null, false, null, null, null, Duration.ofSeconds(30))),
                new Limits(10_000, 50, 64 * 1024, 64L * 1024 * 1024, 64 * 1024,
                        Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofSeconds(10), 5, 1024, 32,
                        Duration.ofSeconds(2), 64, 30, 256, 10, 1000, 1000, 1000, 10, 1000, 100, 200, 64 * 1024,
                        64 * 1024),
                new Pop3("%08Xu%08Xv", true, 10, 3),
                new Proxy(List.of()),
                new Index(256L * 1024 * 1024, true, 512, 16, 100_000, 0, 4 << 20),
                new Delivery("+", false, false, 64L * 1024 * 1024, 1000, Duration.ofMinutes(5), "localhost"),
                new Quota("0", 0, false, List.of(80, 95), "postmaster@localhost"),
                new Sieve(true, null, 1024 * 1024, 100, 32, 4, Duration.ofSeconds(2), 4, List.of(), List.of(),
                        null, "", Duration.ofSeconds(30), 7, 90, 10_000, 1024 * 1024, Duration.ofDays(5), 10_000),
                new ManageSieve(10),
                new Fts(true, 16L * 1024 * 1024, 1 << 20, 10_000, 100, 10L * 1024 * 1024, Duration.ofSeconds(10), 2,
                        8L << 30, Duration.ofSeconds(30), Duration.ofMillis(500), 1 << 20, 500),
                new Mailboxes(List.of(new SpecialMailbox("Drafts", "\\Drafts", "no"),
                        new SpecialMailbox("Sent", "\\Sent", "no"), new SpecialMailbox("Trash", "\\Trash", "no"),
                        new SpecialMailbox("Junk", "\\Junk", "no"),
                        new SpecialMailbox("Archive", "\\Archive", "no"))),
                new Metadata(true, 64 * 1024, 100, 1024, true, "", ""),
                new Imap(new Compress(true, 6, 4096), new Id(Map.of("name", "Roost")),
                        new Urlauth(true, 8192, 100, List.of())),
                new Acl(true, null, 64 * 1024, 100_000),
                new Namespaces("Shared", "Public", null, List.of("\\Seen")));
    }
}
