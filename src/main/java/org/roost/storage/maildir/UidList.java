package org.roost.storage.maildir;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
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
     * The entries in the order they were put, null where one was removed or replaced; ascending
     * by UID unless {@link #ordered} is false. Found by key through {@link #slots}. Arrays instead
     * of a tree and a hash map of entries: a uid list may hold a million records.
     */
    private Entry[] rows = new Entry[16];
    private int count;
    private int live;
    private boolean ordered = true;
    /** The UID of the last entry added: a lower one makes the rows unordered. */
    private long lastAddedUid;
    /**
     * Open addressing by key: the key's hash in the high half (compared before any key), row + 1 in
     * the low half; 0 is a free slot. A removed row's slot stays.
     */
    private long[] slots = new long[32];
    private boolean damaged;
    /** Something other than new records changed since the last read or write. */
    private boolean rewriteNeeded;
    /** Records added since the last read or write, in UID order. */
    private final ArrayList<Entry> appended = new ArrayList<>();
    /** The {@link #GUID} fields by key, made on first use and dropped by every change of the entries. */
    private Map<String, String> guids;

    UidList(long uidValidity, long nextUid, String guid) {
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.guid = guid;
    }

    /**
     * Parses a uid list. A damaged header yields UIDVALIDITY 0, which the caller must replace:
     * the UIDs in it can no longer be trusted to belong to the old UIDVALIDITY.
     */
    static UidList parse(String text, String origin) {
        int end = lineEnd(text, 0);
        var header = text.substring(0, end);
        var list = new UidList(0, 1, null);
        int version = list.parseHeader(header);
        if (version == 0) {
            list.markDamaged(origin, 1, header.length());
            list.uidValidity = 0;
        }
        int lineNumber = 1;
        // Line by line without splitting: a uid list of a million records is read at the first
        // open of a large mailbox, and a million line strings would be garbage at once.
        for (int start = end + 1; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            lineNumber++;
            if (end == start) {
                continue;
            }
            var entry = version == 1 ? parseVersion1Record(text, start, end) : parseVersion3Record(text, start, end);
            if (entry == null || !list.acceptable(entry) || !list.addIfAbsent(entry)) {
                list.markDamaged(origin, lineNumber, end - start);
            }
        }
        list.nextUid = Math.max(list.nextUid, list.highestUid() + 1);
        list.rewriteNeeded = version != 3;   // never append version 3 records to an older file
        return list;
    }

    private static int lineEnd(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline;
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

    /** A record {@code <uid> [<letter><value> ...] :<key>} in {@code text[start, end)}, or null. */
    private static Entry parseVersion3Record(String text, int start, int end) {
        int space = text.indexOf(' ', start, end);
        int colon = text.indexOf(" :", start, end);
        if (space <= start || colon < space) {
            return null;
        }
        long uid = parseUid(text, start, space);
        if (uid < 0) {
            return null;
        }
        var key = text.substring(colon + 2, end);
        if (colon == space) {
            return new Entry(uid, key, Map.of());
        }
        var extensions = new LinkedHashMap<Character, String>();
        for (var field : text.substring(space, colon).trim().split(" +")) {
            if (!field.isEmpty()) {
                extensions.put(field.charAt(0), field.substring(1));
            }
        }
        return new Entry(uid, key, extensions);
    }

    private static Entry parseVersion1Record(String text, int start, int end) {
        int space = text.indexOf(' ', start, end);
        if (space <= start) {
            return null;
        }
        long uid = parseUid(text, start, space);
        return uid < 0 ? null : new Entry(uid, text.substring(space + 1, end), Map.of());
    }

    /** The UID in {@code text[start, end)}, or -1 when it is not one. */
    private static long parseUid(String text, int start, int end) {
        if (end == start || end - start > 10) {
            return -1;
        }
        long uid = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            uid = uid * 10 + (c - '0');
        }
        return uid >= 1 && uid <= MAX_UID ? uid : -1;
    }

    /** Dovecot writes UIDs ascending and keys once; anything else is damage. */
    private boolean acceptable(Entry entry) {
        return MaildirFileName.isPlausibleKey(entry.key()) && entry.uid() > highestUid();
    }

    /** The highest UID of an entry, 0 when there is none. */
    private long highestUid() {
        long highest = 0;
        if (ordered) {
            for (int i = count - 1; i >= 0 && highest == 0; i--) {
                highest = rows[i] == null ? 0 : rows[i].uid();
            }
            return highest;
        }
        for (int i = 0; i < count; i++) {
            highest = rows[i] == null ? highest : Math.max(highest, rows[i].uid());
        }
        return highest;
    }

    void put(Entry entry) {
        guids = null;
        int existing = row(entry.key());
        if (existing >= 0) {
            ordered &= rows[existing].uid() == entry.uid();
            rows[existing] = entry;
        } else {
            add(entry);
        }
        rewriteNeeded = true;
    }

    /** Adds an entry whose key is not in the list. */
    private void add(Entry entry) {
        makeRoom();
        insert(slotOf(entry.key()), entry);
    }

    /** Adds an entry unless its key is in the list already (one probe: a million are read at once). */
    private boolean addIfAbsent(Entry entry) {
        makeRoom();
        int slot = slotOf(entry.key());
        if (slots[slot] != 0) {
            return false;
        }
        insert(slot, entry);
        rewriteNeeded = true;
        return true;
    }

    private void makeRoom() {
        if ((count + 1) * 2 > slots.length || count == rows.length) {
            compact(Math.max(16, live * 2 + 1));
        }
    }

    private void insert(int slot, Entry entry) {
        guids = null;
        ordered &= entry.uid() > lastAddedUid;
        lastAddedUid = entry.uid();
        rows[count] = entry;
        slots[slot] = ((long) entry.key().hashCode() << 32) | ++count;
        live++;
    }

    /** Drops removed rows and makes room for {@code capacity} entries, rebuilding the key index. */
    private void compact(int capacity) {
        var kept = new Entry[Math.max(capacity, live)];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (rows[i] != null) {
                kept[n++] = rows[i];
            }
        }
        rows = kept;
        count = n;
        slots = new long[Integer.highestOneBit(Math.max(2, kept.length * 2 - 1)) << 1];
        for (int i = 0; i < n; i++) {
            slots[slotOf(rows[i].key())] = ((long) rows[i].key().hashCode() << 32) | (i + 1);
        }
    }

    /** The slot holding {@code key}, or the free slot where it would go. */
    private int slotOf(String key) {
        int hash = key.hashCode();
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            long taken = slots[slot];
            if (taken == 0) {
                return slot;
            }
            if ((int) (taken >>> 32) == hash) {
                var entry = rows[(int) taken - 1];
                if (entry != null && entry.key().equals(key)) {
                    return slot;
                }
            }
        }
    }

    /** The row holding {@code key}, or -1. */
    private int row(String key) {
        long taken = slots[slotOf(key)];
        return taken == 0 ? -1 : (int) taken - 1;
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
        if (nextUid > MAX_UID) {
            throw new IllegalStateException("UID space of the mailbox is exhausted");
        }
        var entry = new Entry(nextUid++, key, extensions);
        makeRoom();
        int slot = slotOf(key);
        if (slots[slot] != 0) {
            rows[(int) slots[slot] - 1] = null; // the key's old entry; its slot now names the new one
            live--;
        }
        insert(slot, entry);
        appended.add(entry);
        return entry;
    }

    /** Makes room for {@code more} entries at once, so that assigning a million UIDs rebuilds the key index once. */
    void reserve(int more) {
        if ((count + more) * 2L > slots.length || count + more > rows.length) {
            compact(live + more);
        }
        appended.ensureCapacity(appended.size() + more);
    }

    void remove(String key) {
        int existing = row(key);
        if (existing >= 0) {
            guids = null;
            rows[existing] = null;
            live--;
            rewriteNeeded = true;
        }
    }

    Optional<Entry> get(String key) {
        int existing = row(key);
        return existing < 0 ? Optional.empty() : Optional.of(rows[existing]);
    }

    /** The entries in ascending UID order (a view: valid until the list changes). */
    Collection<Entry> entries() {
        if (live < count) {
            compact(rows.length);
        }
        if (!ordered) {
            Arrays.sort(rows, 0, count, Comparator.comparingLong(Entry::uid));
            compact(rows.length);
            ordered = true;
            lastAddedUid = count == 0 ? 0 : rows[count - 1].uid();
        }
        return Collections.unmodifiableList(Arrays.asList(rows).subList(0, count));
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
                var value = rows[i] == null ? null : rows[i].extensions().get(GUID);
                if (value != null && !value.isEmpty()) {
                    found.put(rows[i].key(), value);
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
        var digits = new char[MAX_DIGITS];
        for (var entry : appended) {
            formatEntry(entry, out, digits);
        }
    }

    /** The file now holds this list. */
    void markWritten() {
        appended.clear();
        rewriteNeeded = false;
        damaged = false;
    }

    private static void formatEntry(Entry entry, Writer out, char[] digits) throws IOException {
        writeNumber(entry.uid(), out, digits);
        if (!entry.extensions().isEmpty()) { // most have none: no iterator for each of a million lines
            for (var field : entry.extensions().entrySet()) {
                out.append(' ').append(field.getKey()).append(field.getValue());
            }
        }
        out.append(" :").append(entry.key()).append('\n');
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
        var digits = new char[MAX_DIGITS];
        for (var entry : entries()) {
            formatEntry(entry, out, digits);
        }
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
