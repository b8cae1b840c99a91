package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.roost.mail.MailboxNames;
import org.roost.mail.StorageException;
import org.roost.storage.MailStore;
import org.roost.storage.files.Durability;

/**
 * One user's mailbox access key table (RFC 4467 §2.2): a random key of {@value #KEY_BYTES} octets per mailbox,
 * made on first use, in the file {@value #FILE} beside the user's server annotations, readable by its owner only
 * (mode 0600). A key belongs to a mailbox by name and UIDVALIDITY: a mailbox deleted and made again under the
 * same name (or renamed onto it) has another UIDVALIDITY, so the URLs of the old one do not open the new one.
 *
 * <p>The file is the line {@value #HEADER_LINE}, then per key {@code <key, hex> SP <uidvalidity> SP <name as
 * UTF-8, hex> LF}; it is replaced whole (temporary file, fsync with {@code mail.fsync}, rename). A line that does
 * not parse (damage, another program) is dropped with a warning: its URLs stop validating, and GENURLAUTH makes a
 * new key. Keys of mailboxes that no longer exist are dropped whenever the file is written, so it stays as small as
 * the user's mailbox list.
 */
public final class UrlAuthKeys {
    static final String FILE = "roost-urlauth-keys";
    static final int KEY_BYTES = 32;
    private static final String HEADER_LINE = "roost-urlauth-keys 1";
    /** Far more than any key table of a user's mailboxes; a larger file is damage, read no further. */
    private static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final System.Logger LOG = System.getLogger(UrlAuthKeys.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final MailStore store;
    private final Durability durability;

    UrlAuthKeys(MailStore store, boolean fsync) {
        this.store = store;
        this.durability = new Durability(fsync);
    }

    /** The key of mailbox {@code name} with {@code uidValidity}, or null when it has none. */
    public byte[] key(String name, long uidValidity) throws IOException {
        return read(file()).get(new Owner(MailboxNames.canonical(name), uidValidity));
    }

    /** The key of mailbox {@code name} with {@code uidValidity}, made now when it has none. */
    public byte[] keyOrNew(String name, long uidValidity) throws IOException {
        var owner = new Owner(MailboxNames.canonical(name), uidValidity);
        return change(keys -> keys.computeIfAbsent(owner, o -> newKey())).get(owner);
    }

    /** Replaces the key of mailbox {@code name} with a new one (RESETKEY mailbox). */
    public void renew(String name, long uidValidity) throws IOException {
        var owner = new Owner(MailboxNames.canonical(name), uidValidity);
        change(keys -> keys.put(owner, newKey()));
    }

    /** Removes every key (RESETKEY without arguments), revoking every URL the user authorized. */
    public void removeAll() throws IOException {
        change(Map::clear);
    }

    private record Owner(String mailbox, long uidValidity) {}

    private interface Change {
        void apply(Map<Owner, byte[]> keys);
    }

    private Map<Owner, byte[]> change(Change change) throws IOException {
        var file = file();
        var lock = AnnotationFile.lockOf(file);
        lock.lock();
        try {
            var keys = read(file);
            change.apply(keys);
            keys.keySet().removeIf(this::gone);
            write(file, keys);
            return keys;
        } finally {
            lock.unlock();
        }
    }

    private boolean gone(Owner owner) {
        try {
            return !store.exists(owner.mailbox());
        } catch (IOException e) {
            return false; // kept: a store that cannot answer now may still have it
        }
    }

    private Path file() throws StorageException {
        var directory = store.serverAnnotationDirectory();
        if (directory == null) {
            throw new StorageException("this mail store keeps no URLAUTH keys");
        }
        return directory.resolve(FILE);
    }

    private static byte[] newKey() {
        var key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static Map<Owner, byte[]> read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        }
        var keys = new LinkedHashMap<Owner, byte[]>();
        var lines = new String(bytes, StandardCharsets.US_ASCII).split("\n", -1);
        int dropped = lines[0].equals(HEADER_LINE) ? 0 : 1;
        for (int i = 1; i < lines.length - 1; i++) {
            if (!parse(lines[i], keys)) {
                dropped++;
            }
        }
        if (dropped > 0 || !lines[lines.length - 1].isEmpty()) {
            LOG.log(Level.WARNING, "{0}: damaged; {1} keys kept, the rest dropped", file, keys.size());
        }
        return keys;
    }

    private static boolean parse(String line, Map<Owner, byte[]> keys) {
        var fields = line.split(" ", -1);
        if (fields.length != 3 || fields[0].length() != 2 * KEY_BYTES || !fields[1].matches("[1-9][0-9]{0,9}")) {
            return false;
        }
        try {
            var name = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(HEX.parseHex(fields[2]))).toString();
            keys.put(new Owner(name, Long.parseLong(fields[1])), HEX.parseHex(fields[0]));
            return true;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return false;
        }
    }

    private void write(Path file, Map<Owner, byte[]> keys) throws IOException {
        var directory = file.getParent();
        if (keys.isEmpty()) {
            if (Files.deleteIfExists(file)) {
                durability.syncDirectory(directory);
            }
            return;
        }
        var text = new StringBuilder(HEADER_LINE).append('\n');
        keys.forEach((owner, key) -> text.append(HEX.formatHex(key)).append(' ').append(owner.uidValidity())
                .append(' ').append(HEX.formatHex(owner.mailbox().getBytes(StandardCharsets.UTF_8))).append('\n'));
        Files.createDirectories(directory);
        var temp = directory.resolve(FILE + ".tmp");
        Files.deleteIfExists(temp); // made afresh, so that it has the owner-only mode from its first byte
        var ownerOnly = Files.getFileStore(directory).supportsFileAttributeView("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        try (var channel = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly)) {
            var buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            durability.sync(channel);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        durability.syncDirectory(directory);
    }
}
