package org.roost.storage.maildir;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The contents of {@code dovecot-uidlist}: UIDVALIDITY, the next UID, and one UID per message
 * keyed by the message file's base name (the name without the {@code :2,} flags part).
 *
 * <p>Version 3, as Dovecot writes it: a header {@code 3 V<uidvalidity> N<nextuid> G<guid>} with
 * possibly more {@code <letter><value>} fields, then {@code <uid> [<letter><value> ...] :<basename>}.
 * Version 1 ({@code 1 <uidvalidity> <nextuid>}, records {@code <uid> <basename>}) is read too.
 * Parsing never fails: damaged lines are skipped and reported in {@link #damaged()}.
 */
final class UidList {

    private static final System.Logger LOG = System.getLogger(UidList.class.getName());
    static final long MAX_UID = 0xffff_ffffL;
    private static final int MAX_DIGITS = 10;

    /** One message: its UID, extension fields (e.g. 'W' → virtual size) in file order, base name. */
    record Entry(long uid, String key, Map<Character, String> extensions) {

        Entry {
            // Most records have no fields: they share one empty map (a million of them are read at once).
            extensions = extensions.isEmpty() ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        }

        OptionalLong longExtension(char field) {
            var value = extensions.get(field);
            if (value == null) {
                return OptionalLong.empty();
            }
            try {
                long parsed = Long.parseLong(value);
                return parsed >= 0 ? OptionalLong.of(parsed) : OptionalLong.empty();
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        Entry withExtension(char field, String value) {
            var copy = new LinkedHashMap<>(extensions);
            copy.put(field, value);
            return new Entry(uid, key, copy);
        }
    }

    /** Dovecot's record field holding a message's POP3 UIDL (MAILDIR_UIDLIST_REC_EXT_POP3_UIDL). */
    static final char POP3_UIDL = 'P';
    /** Dovecot's record field holding a message's GUID where it is not the base name (MAILDIR_UIDLIST_REC_EXT_GUID). */
    static final char GUID = 'G';

    private long uidValidity;
    private long nextUid;
    private String guid;
    private final Map<Character, String> otherHeaderFields = new LinkedHashMap<>();
    /**
     * The entries in columns, in the order they were put: the UID (unsigned; 0 where an entry was
     * removed or replaced), the key's reference into {@link #keyBytes}, and the extension fields (the
     * array null while no entry has any). Ascending by UID unless {@link #ordered} is false. Found by
     * key through {@link #slots}. Columns instead of an object and a string per entry: a uid list may
     * hold a million records, all made at a first open.
     */
    private int[] uids = new int[16];
    private long[] keys = new long[16];
    private Map<Character, String>[] fields;
    private KeyBytes keyBytes = new KeyBytes();
    private int count;
    private int live;
    private boolean ordered = true;
    /** The UID of the last entry added: a lower one makes the rows unordered. */
    private long lastAddedUid;
    /**
     * Open addressing by key: the key's hash in the high half (compared before any key), row + 1 in
     * the low half; 0 is a free slot. A removed row's slot stays. Null while not built: a first open
     * numbers a million new files ({@link #assignKeysOf}) and looks none up, and a slot for each would
     * be a cache miss each; the first lookup builds it.
     */
    private long[] slots = new long[32];
    private boolean damaged;
    /** Something other than new records changed since the last read or write. */
    private boolean rewriteNeeded;
    /** How many of the last rows were added since the last read or write (all in UID order). */
    private int appended;
    /** The {@link #GUID} fields by key, made on first use and dropped by every change of the entries. */
    private Map<String, String> guids;

    UidList(long uidValidity, long nextUid, String guid) {
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.guid = guid;
    }

    /** Parses a uid list from its text (see {@link #parse(byte[], int, String)}). */
    static UidList parse(String text, String origin) {
        var bytes = text.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, bytes.length, origin);
    }

    /**
     * Parses a uid list from the first {@code length} bytes of its file (UTF-8, as it is written and
     * as Java decodes the file names it is matched with). A damaged header yields UIDVALIDITY 0, which
     * the caller must replace: the UIDs in it can no longer be trusted to belong to the old UIDVALIDITY.
     */
    static UidList parse(byte[] text, int length, String origin) {
        int end = lineEnd(text, 0, length);
        var header = new String(text, 0, end, StandardCharsets.UTF_8);
        var list = new UidList(0, 1, null);
        int version = list.parseHeader(header);
        if (version == 0) {
            list.markDamaged(origin, 1, header.length());
            list.uidValidity = 0;
        }
        list.reserve(lines(text, end, length));
        int lineNumber = 1;
        // Line by line, keys copied as bytes: a uid list of a million records is read at the first
        // open of a large mailbox, and a million line or key strings would be garbage at once.
        for (int start = end + 1; start < length; start = end + 1) {
            end = lineEnd(text, start, length);
            lineNumber++;
            if (end > start && !(version == 1 ? list.addVersion1Record(text, start, end)
                    : list.addVersion3Record(text, start, end))) {
                list.markDamaged(origin, lineNumber, end - start);
            }
        }
        list.nextUid = Math.max(list.nextUid, list.highestUid() + 1);
        list.rewriteNeeded = version != 3;   // never append version 3 records to an older file
        list.appended = 0;
        return list;
    }

    private static int lineEnd(byte[] text, int from, int length) {
        for (int i = from; i < length; i++) {
            if (text[i] == '\n') {
                return i;
            }
        }
        return length;
    }

    private static int lines(byte[] text, int from, int length) {
        int lines = 0;
        for (int i = from; i < length; i++) {
            lines += text[i] == '\n' ? 1 : 0;
        }
        return lines;
    }

    private void markDamaged(String origin, int lineNumber, int lineLength) {
        if (!damaged) {
            // One line per file, not per damaged line: a garbage file must not flood the log.
            LOG.log(System.Logger.Level.WARNING, "{0}: skipping damaged lines, first at line {1} ({2} chars);"
                    + " the list is rewritten at the next update", origin, lineNumber, lineLength);
        }
        damaged = true;
    }

    /** Returns the version (1 or 3), or 0 when the header cannot be understood. */
    private int parseHeader(String header) {
        var fields = header.trim().split(" +");
        try {
            if (fields.length == 3 && fields[0].equals("1")) {
                uidValidity = Long.parseLong(fields[1]);
                nextUid = Long.parseLong(fields[2]);
                return validHeaderNumbers() ? 1 : 0;
            }
            if (fields.length < 2 || !(fields[0].equals("3") || fields[0].equals("2"))) {
                return 0;
            }
            boolean sawValidity = false;
            for (int i = 1; i < fields.length; i++) {
                var field = fields[i];
                if (field.isEmpty()) {
                    continue;
                }
                char letter = field.charAt(0);
                var value = field.substring(1);
                switch (letter) {
                    case 'V' -> {
                        uidValidity = Long.parseLong(value);
                        sawValidity = true;
                    }
                    case 'N' -> nextUid = Long.parseLong(value);
                    case 'G' -> guid = value;
                    default -> otherHeaderFields.put(letter, value);
                }
            }
            return sawValidity && validHeaderNumbers() ? 3 : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private boolean validHeaderNumbers() {
        return uidValidity > 0 && uidValidity <= MAX_UID && nextUid > 0 && nextUid <= MAX_UID + 1;
    }

    /** Adds the record {@code <uid> [<letter><value> ...] :<key>} in {@code text[start, end)}; false if damaged. */
    private boolean addVersion3Record(byte[] text, int start, int end) {
        int space = indexOf(text, (byte) ' ', start, end);
        int colon = space < 0 ? -1 : keyMark(text, space, end);
        if (space <= start || colon < space) {
            return false;
        }
        long uid = parseUid(text, start, space);
        if (colon == space) {
            return addRecord(uid, text, colon + 2, end, Map.of());
        }
        var extensions = new LinkedHashMap<Character, String>();
        for (var field : new String(text, space, colon - space, StandardCharsets.UTF_8).trim().split(" +")) {
            if (!field.isEmpty()) {
                extensions.put(field.charAt(0), field.substring(1));
            }
        }
        return addRecord(uid, text, colon + 2, end, extensions);
    }

    private boolean addVersion1Record(byte[] text, int start, int end) {
        int space = indexOf(text, (byte) ' ', start, end);
        return space > start && addRecord(parseUid(text, start, space), text, space + 1, end, Map.of());
    }

    /** Where {@code " :"} starts in {@code text[from, end)}, or -1. */
    private static int keyMark(byte[] text, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (text[i] == ' ' && text[i + 1] == ':') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] text, byte wanted, int from, int end) {
        for (int i = from; i < end; i++) {
            if (text[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Adds a record read from a file unless it is damage: Dovecot writes UIDs ascending and keys once,
     * and only plausible keys. A key of ASCII is copied as it is; any other is decoded, as a file
     * name is, so that a key that is not valid UTF-8 matches no file, as before.
     */
    private boolean addRecord(long uid, byte[] text, int keyStart, int keyEnd, Map<Character, String> extensions) {
        if (uid < 0 || uid <= highestUid() || keyEnd - keyStart > MAX_KEY_BYTES) {
            return false;
        }
        long key;
        if (isPlausibleAsciiKey(text, keyStart, keyEnd)) {
            key = keyBytes.add(text, keyStart, keyEnd - keyStart);
        } else {
            var decoded = new String(text, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8);
            if (!isNonAscii(text, keyStart, keyEnd) || !MaildirFileName.isPlausibleKey(decoded)) {
                return false;
            }
            key = keyBytes.add(decoded, decoded.length());
        }
        makeRoom();
        int hash = keyBytes.hash(key);
        int slot = slotOf(hash, key);
        if (slots[slot] != 0) {
            return false;
        }
        insert(slot, hash, uid, key, extensions);
        return true;
    }

    /** A plausible key has at most 255 characters of up to three bytes each. */
    private static final int MAX_KEY_BYTES = 3 * 255;

    private static boolean isPlausibleAsciiKey(byte[] text, int start, int end) {
        if (end == start || text[start] == '.' || end - start > 255) {
            return false;
        }
        for (int i = start; i < end; i++) {
            byte c = text[i];
            if (c == '/' || c == ':' || c < 0x20 || c == 0x7f) { // bytes of non-ASCII are negative: not plausible here
                return false;
            }
        }
        return true;
    }

    private static boolean isNonAscii(byte[] text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /** The UID in {@code text[start, end)}, or -1 when it is not one. */
    private static long parseUid(byte[] text, int start, int end) {
        if (end == start || end - start > MAX_DIGITS) {
            return -1;
        }
        long uid = 0;
        for (int i = start; i < end; i++) {
            byte c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            uid = uid * 10 + (c - '0');
        }
        return uid >= 1 && uid <= MAX_UID ? uid : -1;
    }

    /** The highest UID of an entry, 0 when there is none. */
    private long highestUid() {
        long highest = 0;
        if (ordered) {
            for (int i = count - 1; i >= 0 && highest == 0; i--) {
                highest = uid(i);
            }
            return highest;
        }
        for (int i = 0; i < count; i++) {
            highest = Math.max(highest, uid(i));
        }
        return highest;
    }

    private long uid(int row) {
        return Integer.toUnsignedLong(uids[row]);
    }

    void put(Entry entry) {
        guids = null;
        int existing = row(entry.key());
        if (existing >= 0) {
            ordered &= uid(existing) == entry.uid();
            uids[existing] = (int) entry.uid();
            setFields(existing, entry.extensions());
        } else {
            makeRoom();
            long key = keyBytes.add(entry.key(), entry.key().length());
            int hash = keyBytes.hash(key);
            insert(slotOf(hash, key), hash, entry.uid(), key, entry.extensions());
        }
        rewriteNeeded = true;
    }

    private void makeRoom() {
        if (slots != null && (count + 1) * 2 > slots.length || count == uids.length) {
            compact(Math.max(16, live * 2 + 1));
        }
    }

    private void insert(int slot, int hash, long uid, long key, Map<Character, String> extensions) {
        append(uid, key, extensions);
        slots[slot] = ((long) hash << 32) | count;
    }

    /** Puts a row after the last one, not into the key index. */
    private void append(long uid, long key, Map<Character, String> extensions) {
        guids = null;
        ordered &= uid > lastAddedUid;
        lastAddedUid = uid;
        uids[count] = (int) uid;
        keys[count] = key;
        setFields(count, extensions);
        count++;
        live++;
    }

    @SuppressWarnings("unchecked")
    private void setFields(int row, Map<Character, String> extensions) {
        if (fields == null && !extensions.isEmpty()) {
            fields = new Map[uids.length];
        }
        if (fields != null) {
            fields[row] = extensions.isEmpty() ? null : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        }
    }

    private Map<Character, String> fields(int row) {
        var found = fields == null ? null : fields[row];
        return found == null ? Map.of() : found;
    }

    /**
     * Drops removed rows and makes room for {@code capacity} entries. The key index is rebuilt from
     * the old one (the hashes are there), and the key bytes are copied only when some were dropped.
     */
    @SuppressWarnings("unchecked")
    private void compact(int capacity) {
        int size = Math.max(capacity, live);
        var keptUids = new int[size];
        var keptKeys = new long[size];
        var keptFields = fields == null ? null : (Map<Character, String>[]) new Map[size];
        var newRow = new int[count];
        var bytes = live < count ? new KeyBytes() : keyBytes;
        int n = 0;
        int keptAppended = 0;
        for (int i = 0; i < count; i++) {
            if (uids[i] == 0) {
                newRow[i] = -1;
                continue;
            }
            newRow[i] = n;
            keptUids[n] = uids[i];
            keptKeys[n] = bytes == keyBytes ? keys[i] : keyBytes.copyTo(bytes, keys[i]);
            if (keptFields != null) {
                keptFields[n] = fields[i];
            }
            keptAppended += i >= count - appended ? 1 : 0;
            n++;
        }
        var newSlots = slots == null ? null : new long[tableSize(size)];
        for (long taken : slots == null ? new long[0] : slots) {
            if (taken != 0 && newRow[(int) taken - 1] >= 0) {
                put(newSlots, (int) (taken >>> 32), newRow[(int) taken - 1]);
            }
        }
        uids = keptUids;
        keys = keptKeys;
        fields = keptFields;
        keyBytes = bytes;
        slots = newSlots;
        count = n;
        appended = keptAppended;
    }

    private static int tableSize(int capacity) {
        return Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1;
    }

    /** Puts {@code row} of key hash {@code hash} into the first free slot of {@code table} from its own on. */
    private static void put(long[] table, int hash, int row) {
        int mask = table.length - 1;
        int slot = spread(hash) & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = ((long) hash << 32) | (row + 1);
    }

    /** Builds the key index if it is not there (see {@link #slots}); keys read in row order, as they lie in the blocks. */
    private void index() {
        if (slots == null) {
            var table = new long[tableSize(uids.length)];
            for (int row = 0; row < count; row++) {
                if (uids[row] != 0) {
                    put(table, keyBytes.hash(keys[row]), row);
                }
            }
            slots = table;
        }
    }

    /** The slot holding the key {@code key} (of hash {@code hash}), or the free slot where it would go. */
    private int slotOf(int hash, long key) {
        index();
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            long taken = slots[slot];
            if (taken == 0) {
                return slot;
            }
            int row = (int) taken - 1;
            if ((int) (taken >>> 32) == hash && uids[row] != 0 && keyBytes.equal(keys[row], key)) {
                return slot;
            }
        }
    }

    /** The row holding the key that is the first {@code length} characters of {@code text}, or -1. */
    private int row(String text, int length) {
        int hash = KeyBytes.hash(text, length);
        index();
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            long taken = slots[slot];
            if (taken == 0) {
                return -1;
            }
            int row = (int) taken - 1;
            if ((int) (taken >>> 32) == hash && uids[row] != 0 && keyBytes.matches(keys[row], text, length)) {
                return row;
            }
        }
    }

    /** The row holding {@code key}, or -1. */
    private int row(String key) {
        return row(key, key.length());
    }

    /**
     * Mixes all bits of a string hash into the low ones (MurmurHash3's finalizer): Maildir names
     * differ in a few trailing digits, whose plain hashes are neighbours, and neighbours would
     * make long runs in an open-addressing table.
     */
    static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** True when {@code count} more UIDs still fit below 2^32. */
    boolean hasRoomFor(int count) {
        return nextUid + count <= MAX_UID + 1;
    }

    /**
     * The same messages numbered from 1 under a new UIDVALIDITY: the way out when the UID space
     * is used up (RFC 3501 §2.3.1.1 allows it only with a new UIDVALIDITY).
     */
    UidList renumbered(long newUidValidity) {
        var fresh = new UidList(newUidValidity, 1, guid);
        fresh.otherHeaderFields.putAll(otherHeaderFields);
        for (var entry : entries()) {
            fresh.assign(entry.key(), entry.extensions());
        }
        fresh.rewriteNeeded = true;
        return fresh;
    }

    /** Gives {@code key} the next UID; callers check {@link #hasRoomFor} first. */
    Entry assign(String key, Map<Character, String> extensions) {
        long uid = nextUid;
        assign(key, key.length(), extensions);
        return new Entry(uid, key, extensions);
    }

    /**
     * Gives the keys of the files in {@code rows} of {@code listing} the next UIDs, in that order, their
     * keys copied as bytes. The list must hold none of these keys (files no entry matched). When they
     * outnumber the entries (a first open numbers a million), the key index is left to be built when
     * first needed; callers check {@link #hasRoomFor} first.
     */
    void assignKeysOf(Listing listing, int[] rows) {
        if (rows.length > live) {
            slots = null;
        }
        reserve(rows.length);
        for (int row : rows) {
            checkRoom();
            long key = listing.copyKey(row, keyBytes);
            if (slots == null) {
                append(nextUid++, key, Map.of());
                appended++;
            } else {
                add(key, Map.of());
            }
        }
    }

    private void assign(String text, int length, Map<Character, String> extensions) {
        checkRoom();
        makeRoom();
        add(keyBytes.add(text, length), extensions);
    }

    private void checkRoom() {
        if (nextUid > MAX_UID) {
            throw new IllegalStateException("UID space of the mailbox is exhausted");
        }
    }

    /** Gives the stored {@code key} the next UID (room made). */
    private void add(long key, Map<Character, String> extensions) {
        int hash = keyBytes.hash(key);
        int slot = slotOf(hash, key);
        if (slots[slot] != 0) {
            uids[(int) slots[slot] - 1] = 0; // the key's old entry; its slot now names the new one
            live--;
        }
        insert(slot, hash, nextUid++, key, extensions);
        appended++;
    }

    /** Makes room for {@code more} entries at once, so that assigning a million UIDs rebuilds the key index once. */
    private void reserve(int more) {
        if (slots != null && (count + more) * 2L > slots.length || count + more > uids.length) {
            compact(live + more);
        }
    }

    void remove(String key) {
        int existing = row(key);
        if (existing >= 0) {
            guids = null;
            uids[existing] = 0;
            live--;
            rewriteNeeded = true;
        }
    }

    Optional<Entry> get(String key) {
        int existing = row(key);
        return existing < 0 ? Optional.empty() : Optional.of(entry(existing));
    }

    private Entry entry(int row) {
        return new Entry(uid(row), keyBytes.string(keys[row]), fields(row));
    }

    /** The entries in ascending UID order (a view, each entry made when asked for: valid until the list changes). */
    List<Entry> entries() {
        if (live < count) {
            compact(uids.length);
        }
        if (!ordered) {
            sortByUid();
        }
        return new AbstractList<>() {
            private final int size = count;

            @Override
            public Entry get(int index) {
                Objects.checkIndex(index, size);
                return entry(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The UID of the entry at {@code index} of {@link #entries()}, read in place. */
    long uidAt(int index) {
        return uid(index);
    }

    /** The row in {@code listing} of the file of the entry at {@code index} of {@link #entries()}, or -1. */
    int listedRow(Listing listing, int index) {
        return listing.row(keyBytes, keys[index]);
    }

    /** The key of the entry at {@code index} of {@link #entries()}. */
    String keyAt(int index) {
        return keyBytes.string(keys[index]);
    }

    /** The length in UTF-8 bytes of the key of the entry at {@code index} of {@link #entries()}. */
    int keyLengthAt(int index) {
        return keyBytes.length(keys[index]);
    }

    /** Puts the UTF-8 bytes of the key of the entry at {@code index} of {@link #entries()} into {@code out}. */
    void putKeyAt(int index, ByteBuffer out) {
        keyBytes.put(keys[index], out);
    }

    /** Puts the (compacted) rows in UID order: sorted as numbers, the row in the low half (UIDs are unsigned). */
    @SuppressWarnings("unchecked")
    private void sortByUid() {
        var order = new long[count];
        for (int i = 0; i < count; i++) {
            order[i] = (uid(i) << 32 | i) ^ Long.MIN_VALUE; // the sign bit flipped: signed order is unsigned order
        }
        Arrays.sort(order);
        var sortedUids = new int[uids.length];
        var sortedKeys = new long[keys.length];
        var sortedFields = fields == null ? null : (Map<Character, String>[]) new Map[fields.length];
        var newRow = new int[count];
        for (int i = 0; i < count; i++) {
            int row = (int) order[i];
            newRow[row] = i;
            sortedUids[i] = uids[row];
            sortedKeys[i] = keys[row];
            if (sortedFields != null) {
                sortedFields[i] = fields[row];
            }
        }
        for (int slot = 0; slots != null && slot < slots.length; slot++) {
            if (slots[slot] != 0) {
                slots[slot] = (slots[slot] & 0xffff_ffff_0000_0000L) | (newRow[(int) slots[slot] - 1] + 1);
            }
        }
        uids = sortedUids;
        keys = sortedKeys;
        fields = sortedFields;
        ordered = true;
        lastAddedUid = count == 0 ? 0 : uid(count - 1);
        appended = 0; // rows moved: whatever follows is written whole (an unordered list is rewritten anyway)
    }

    long uidValidity() {
        return uidValidity;
    }

    long nextUid() {
        return nextUid;
    }

    String guid() {
        return guid;
    }

    /** Gives a list without a mailbox GUID (a version 1 list, or one another program wrote) {@code newGuid}. */
    void giveGuid(String newGuid) {
        if (guid == null || guid.isEmpty()) {
            guid = newGuid;
            rewriteNeeded = true;
        }
    }

    /** The messages' {@link #GUID} fields by key: those whose GUID is not their base name. */
    Map<String, String> guids() {
        var known = guids;
        if (known == null) {
            var found = new HashMap<String, String>();
            for (int i = 0; i < count; i++) {
                var value = uids[i] == 0 ? null : fields(i).get(GUID);
                if (value != null && !value.isEmpty()) {
                    found.put(keyBytes.string(keys[i]), value);
                }
            }
            known = Map.copyOf(found);
            guids = known;
        }
        return known;
    }

    boolean damaged() {
        return damaged;
    }

    /** Starts over under a new UIDVALIDITY, for a list whose header was lost. */
    void resetValidity(long newUidValidity, String newGuid) {
        uidValidity = newUidValidity;
        guid = guid == null ? newGuid : guid;
        rewriteNeeded = true;
    }

    void raiseNextUid(long atLeast) {
        if (atLeast > nextUid) {
            nextUid = atLeast;
            rewriteNeeded = true; // the header changes
        }
    }

    /** Whether the list holds no message. */
    boolean isEmpty() {
        return live == 0;
    }

    /** True unless the file can be brought up to date by appending {@link #formatAppended}. */
    boolean needsRewrite() {
        return rewriteNeeded || damaged;
    }

    /** Writes the records added since the last read or write, as lines to append. */
    void formatAppended(Writer out) throws IOException {
        formatRows(count - appended, out);
    }

    /** The file now holds this list. */
    void markWritten() {
        appended = 0;
        rewriteNeeded = false;
        damaged = false;
    }

    /** Writes the live rows from {@code from} on as lines. */
    private void formatRows(int from, Writer out) throws IOException {
        var digits = new char[MAX_DIGITS];
        var key = new char[256];
        for (int row = from; row < count; row++) {
            if (uids[row] == 0) {
                continue;
            }
            writeNumber(uid(row), out, digits);
            var extensions = fields(row);
            if (!extensions.isEmpty()) { // most have none: no iterator for each of a million lines
                for (var field : extensions.entrySet()) {
                    out.append(' ').append(field.getKey()).append(field.getValue());
                }
            }
            out.append(" :");
            keyBytes.write(keys[row], out, key);
            out.append('\n');
        }
    }

    /** Writes a UID's digits through {@code digits} (of {@link #MAX_DIGITS}) without making a string of them. */
    private static void writeNumber(long value, Writer out, char[] digits) throws IOException {
        int start = digits.length;
        do {
            digits[--start] = (char) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        out.write(digits, start, digits.length - start);
    }

    /** Writes the whole list as Dovecot's version 3 file, line by line (a million lines are 60 MB). */
    void format(Writer out) throws IOException {
        out.append("3 V").append(Long.toString(uidValidity)).append(" N").append(Long.toString(nextUid));
        if (guid != null && !guid.isEmpty()) {
            out.append(" G").append(guid);
        }
        for (var field : otherHeaderFields.entrySet()) {
            out.append(' ').append(field.getKey()).append(field.getValue());
        }
        out.append('\n');
        entries(); // compacted, in UID order
        formatRows(0, out);
    }

    /** The whole list as text (for small lists and tests; files are written by {@link #format(Writer)}). */
    String format() {
        var out = new StringWriter();
        try {
            format(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
