package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.Dovecot;
import org.roost.testing.TestServer;

/**
 * A Dovecot site's ACL files, served by Debian's Dovecot with its acl and imap_acl plugins and by Roost, each over
 * its own copy of the same Maildir and the same global ACL file: MYRIGHTS, GETACL and LISTRIGHTS answer the same
 * bytes (Dovecot's timings left out of its tagged texts), also after SETACL, DELETEACL and a CREATE that inherits
 * its parent's entries. The user is in group {@code team} (Dovecot's {@code acl_groups}, Roost's user database).
 */
@Timeout(120)
class DovecotAclComparisonTest {
    /**
     * A tagged line's status and response code; its text is free-form (RFC 3501 §7.1) and Roost's differ (no
     * timings, "does not exist"); RFC 8474's MAILBOXID, which Dovecot 2.3 does not have, is left out too.
     */
    private static final Pattern TAGGED = Pattern.compile("\\S+ (OK|NO|BAD)( \\[(?!MAILBOXID)[^\\]]*\\])?.*");

    /**
     * Where Roost answers otherwise on purpose (docs/configuration.md, "## ACL", "Beside Dovecot"): LISTRIGHTS needs
     * {@code a} (RFC 4314 §2.1), which Dovecot does not ask; MYRIGHTS of a mailbox that does not exist is
     * NONEXISTENT, where Dovecot answers the rights it would have; two lines of one identifier are one entry, where
     * Dovecot also lists an empty negative entry.
     */
    private static final Map<String, String> OWN_ANSWERS = Map.ofEntries( // USER: the user
            Map.entry("LISTRIGHTS Owner USER", "NO [NOPERM]"),
            Map.entry("LISTRIGHTS GroupAndOwner USER", "NO [NOPERM]"),
            Map.entry("LISTRIGHTS GroupOverride USER", "NO [NOPERM]"),
            Map.entry("LISTRIGHTS UserEntry USER", "NO [NOPERM]"),
            Map.entry("LISTRIGHTS Named USER", "NO [NOPERM]"),
            Map.entry("LISTRIGHTS GlobalOwner USER", "NO [NOPERM]"),
            Map.entry("LISTRIGHTS GlobalAndOwn USER", "NO [NOPERM]"),
            Map.entry("LISTRIGHTS Hidden USER", "NO [NONEXISTENT]"),
            Map.entry("MYRIGHTS Nowhere", "NO [NONEXISTENT]"),
            Map.entry("GETACL Merged", "* ACL Merged USER alrw\nOK"));

    @TempDir
    Path dir;

    /** Each mailbox's {@code dovecot-acl} ({@code U} stands for the user), kinds and their mixtures. */
    private static Map<String, String> fixture(String user) {
        var files = new LinkedHashMap<String, String>();
        files.put("Owner", "owner lrs\n");
        files.put("GroupAndOwner", "group=team lrsw\nowner l\n");
        files.put("GroupOnly", "group=team lrsw\n");
        files.put("GroupOverride", "group-override=team lr\nowner lrwstipekxa\n");
        files.put("UserEntry", "user=U lrwi\n");
        files.put("UserAndOwner", "owner lr\nuser=U lrwstipekxa\n");
        files.put("UserNegative", "owner lrwstipekxa\n-user=U wk\n");
        files.put("OwnerNegative", "-owner x\n");
        files.put("GroupNegative", "owner lrwstipekxa\n-group=team s\n-group-override=team e\n");
        files.put("Anyone", "anyone lr\n");
        files.put("AnyoneNegative", "-anyone s\n");
        files.put("Authenticated", "authenticated lrs\nuser=friend lrw\n");
        files.put("Named", "owner lr :write-seen insert\n");
        files.put("Quoted", "\"user=U\" lra\n");
        files.put("Comments", "# written by hand\n\nowner lrwa\n");
        files.put("Merged", "user=U lr\nuser=U wa\n");
        files.put("GlobalOwner", "owner lrwstipekxa\n");
        files.put("GlobalNegative", "owner lrwstipekxa\n");
        files.put("GlobalAndOwn", "user=U lrwstipekxa\n");
        files.put("Hidden", "owner p\n");
        files.put("Parent", "owner lrwstipekxa\nuser=friend lr\n-group=team w\n");
        files.replaceAll((name, text) -> text.replace("=U ", "=" + user + " "));
        return files;
    }

    private static String globalFile(String user) {
        return "GlobalOwner owner lr\nGlobalNeg* -user=" + user + " t\nGlobalAndOwn group=team lrs\n";
    }

    private static List<String> commands(String user) {
        var commands = new ArrayList<String>();
        int tag = 0;
        for (var name : new ArrayList<>(fixture(user).keySet())) {
            commands.add("m" + tag + " MYRIGHTS " + name);
            commands.add("g" + tag + " GETACL " + name);
            commands.add("l" + tag + " LISTRIGHTS " + name + " " + user);
            tag++;
        }
        commands.addAll(List.of("x1 MYRIGHTS INBOX", "x2 GETACL INBOX", "x3 LISTRIGHTS INBOX anyone",
                "x4 LISTRIGHTS INBOX $team", "x5 MYRIGHTS Nowhere", "x6 GETACL Nowhere",
                "c1 CREATE Parent.Child", "c2 GETACL Parent.Child", "c3 MYRIGHTS Parent.Child",
                "c4 CREATE Fresh", "c5 GETACL Fresh",
                "s1 SETACL Owner friend lrc", "s2 GETACL Owner",
                "s3 SETACL INBOX friend lrc", "s4 SETACL INBOX -friend w", "s5 GETACL INBOX",
                "s6 SETACL INBOX friend +d", "s7 SETACL INBOX friend -r", "s8 GETACL INBOX",
                "s9 DELETEACL INBOX friend", "s10 GETACL INBOX", "s11 DELETEACL INBOX -friend", "s12 GETACL INBOX",
                "s13 SETACL INBOX anyone lr", "s14 SETACL INBOX $team lrs", "s15 SETACL Fresh !$team lr",
                "s16 GETACL INBOX", "s16a MYRIGHTS Fresh", "s16b GETACL Fresh", "s17 SETACL INBOX " + user + " lr", "s18 GETACL INBOX", "s19 MYRIGHTS INBOX",
                "s20 SETACL INBOX " + user + " -a", "s21 MYRIGHTS INBOX", "s22 SETACL INBOX owner lrs",
                "s23 GETACL INBOX", "s24 SETACL INBOX friend lrq", "s25 SETACL INBOX friend LR",
                "s26 SETACL INBOX #friend lr", "s27 DELETEACL INBOX owner", "s28 GETACL INBOX",
                "b1 SETACL Owner friend lrq", "b2 SETACL Hidden friend LR", "b3 DELETEACL Nowhere #friend",
                "b4 SETACL Owner anyone l", "b5 SETACL Owner \"\" l"));
        return commands;
    }

    private Path maildir(Path root, String user) throws IOException {
        for (var sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(root.resolve(sub));
        }
        for (var entry : fixture(user).entrySet()) {
            var folder = root.resolve("." + entry.getKey());
            for (var sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(folder.resolve(sub));
            }
            Files.createFile(folder.resolve("maildirfolder"));
            Files.writeString(folder.resolve("dovecot-acl"), entry.getValue());
        }
        return root;
    }

    @Test
    void dovecotAndRoostGiveTheSameRightsAndAnswers() throws Exception {
        var global = dir.resolve("global-acl");
        var dovecotMail = dir.resolve("dovecot-mail");
        var dovecot = Dovecot.over(dovecotMail, "maildir:" + dovecotMail, Files.createDirectories(dir.resolve("dovecot")),
                """
                mail_plugins = acl
                protocol imap {
                  mail_plugins = $mail_plugins imap_acl
                }
                plugin {
                  acl = vfile:%s
                  acl_groups = team
                }
                """.formatted(global));
        var user = dovecot.user();
        Files.writeString(global, globalFile(user));
        maildir(dovecotMail, user);
        var commands = commands(user);
        var sent = new ArrayList<Object>(commands);
        sent.add("z LOGOUT");
        var expected = answers(dovecot.session(sent), commands);

        var roostHome = Files.createDirectories(dir.resolve("roost"));
        Files.writeString(roostHome.resolve("passwd"), user + ":{PLAIN}pw::::::userdb_acl_groups=team\n");
        var roostMail = maildir(dir.resolve("roost-mail"), user);
        var actual = new LinkedHashMap<String, String>();
        try (var server = TestServer.start(roostHome, Map.of("ROOST_MAIL_LOCATION", "maildir:" + roostMail,
                "ROOST_ACL_GLOBALFILE", global.toString())); var imap = server.connect()) {
            imap.expectOk("LOGIN " + user + " pw");
            for (var command : commands) {
                var tag = command.substring(0, command.indexOf(' '));
                actual.put(command, normalized(imap.command(tag, command.substring(tag.length() + 1))));
            }
        }
        var differences = new ArrayList<String>();
        expected.forEach((command, answer) -> {
            var own = OWN_ANSWERS.get(command.substring(command.indexOf(' ') + 1).replace(user, "USER"));
            var wanted = own == null ? answer : own.replace("USER", user);
            if (!wanted.equals(actual.get(command)) || own != null && wanted.equals(answer)) {
                differences.add(command + "\n  dovecot: " + answer.replace("\n", "\n           ") + "\n  wanted:  "
                        + wanted.replace("\n", "\n           ") + "\n  roost:   "
                        + actual.get(command).replace("\n", "\n           "));
            }
        });
        assertEquals("", String.join("\n", differences));
    }

    private static String normalized(List<String> answer) {
        return String.join("\n", answer.stream().map(l -> {
            var tagged = TAGGED.matcher(l);
            return tagged.matches() ? tagged.group(1) + (tagged.group(2) == null ? "" : tagged.group(2)) : l;
        }).toList());
    }

    /** Dovecot's transcript cut into each command's answer lines. */
    private static Map<String, String> answers(String transcript, List<String> commands) {
        var lines = transcript.lines().toList();
        var answers = new LinkedHashMap<String, String>();
        int next = 1; // after the PREAUTH greeting
        for (var command : commands) {
            var tag = command.substring(0, command.indexOf(' ') + 1);
            var answer = new ArrayList<String>();
            while (next < lines.size()) {
                var line = lines.get(next++);
                answer.add(line);
                if (line.startsWith(tag)) {
                    break;
                }
            }
            answers.put(command, normalized(answer));
        }
        return answers;
    }
}
