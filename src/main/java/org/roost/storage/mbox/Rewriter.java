package org.roost.storage.mbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.roost.mail.InvalidKeywordException;
import org.roost.mail.StorageException;
import org.roost.mail.SystemFlag;

/**
 * Every change Roost makes to an mbox, done the cheapest safe way. Each message whose bookkeeping must
 * change (its flags, its {@code X-UID}, the mailbox's {@code X-IMAPbase}) gets a new {@link Block};
 * where the new block fits in the bytes of the old one it is written in place (a few hundred bytes, as
 * Dovecot does with its padding). From the first message where it does not fit, or the first expunged
 * one, to the end of the file, the file is rewritten through a {@link Journal}, together with new
 * messages at the end. Messages before that point are not touched, so expunging from the middle of a
 * large mbox moves only what lies after it.
 */
final class Rewriter {

    /** New flags of a message. */
    record FlagState(Set<SystemFlag> flags, Set<String> keywords) {
    }

    /** A message to append: {@code data} gives its bytes (read while the mailbox is locked). */
    record NewMessage(Data data, Set<SystemFlag> flags, Set<String> keywords, Instant date) {
        interface Data {
            InputStream open() throws IOException;
        }
    }

    /** The file as it is after the change, the appended messages, and whether any byte of the file was written. */
    record Result(MboxContents contents, List<MboxMessage> appended, boolean wrote) {
    }

    /** A mailbox holds at most as many keywords as the index has bits for. */
    static final int MAX_KEYWORDS = 64;

    private final Path path;
    private final MboxOptions options;

    Rewriter(Path path, MboxOptions options) {
        this.path = path;
        this.options = options;
    }

    Result apply(MboxFile.Writer writer, MboxContents c, Map<Long, FlagState> changes, Set<Long> expunged,
                 List<NewMessage> appends) throws IOException {
        var plan = new Plan(c, changes, expunged, appends);
        var channel = writer.channel();
        var inPlace = new ArrayList<Patch>();
        long from = plan.journalStart(channel, inPlace);
        Journal journal = from < 0 ? null
                : Journal.prepare(path, channel, from, c.stamp().size(), out -> plan.write(channel, from, out),
                        options.fsync(), writer::keepAlive);
        var result = new Result[1];
        writer.exclusive(() -> {
            for (var patch : inPlace) {
                writeFully(channel, ByteBuffer.wrap(patch.bytes()), patch.at());
            }
            if (!inPlace.isEmpty() && options.fsync()) {
                channel.force(false);
            }
            if (journal != null) {
                journal.apply(channel, options.fsync());
                journal.delete();
            }
            result[0] = plan.result(channel, FileStamp.of(path), from, inPlace);
        });
        return result[0];
    }

    /** Bytes to write over the file at {@code at}: a message's new block in place. */
    private record Patch(long at, byte[] bytes, int message) {
    }

    /** What the change makes of each message. */
    private final class Plan {
        private final MboxContents c;
        private final Map<Long, FlagState> changes;
        private final Set<Long> expunged;
        private final List<NewMessage> appends;
        private final List<String> keywords;
        private final long nextUid;
        private final Metadata.Base base;
        /** The kept message that carries X-IMAPbase (null: the pseudo-message, an appended one, or a new pseudo-message). */
        private final MboxMessage holder;
        private final boolean newPseudo;

        Plan(MboxContents c, Map<Long, FlagState> changes, Set<Long> expunged, List<NewMessage> appends)
                throws StorageException {
            this.c = c;
            this.changes = changes;
            this.expunged = expunged;
            this.appends = appends;
            var all = new LinkedHashSet<>(c.keywords());
            changes.values().forEach(state -> all.addAll(state.keywords()));
            appends.forEach(message -> all.addAll(message.keywords()));
            if (all.size() > MAX_KEYWORDS) {
                throw new InvalidKeywordException("a mailbox holds at most " + MAX_KEYWORDS + " keywords");
            }
            this.keywords = List.copyOf(all);
            this.nextUid = c.nextUid() + appends.size();
            if (nextUid - 1 > Metadata.MAX_UID) {
                throw new StorageException("the mailbox has used up its UIDs; it must be recreated");
            }
            var kept = c.messages().stream().filter(m -> !expunged.contains(m.uid())).findFirst();
            this.holder = c.pseudo() == null ? kept.orElse(null) : null;
            this.newPseudo = c.pseudo() == null && kept.isEmpty() && appends.isEmpty() && !c.messages().isEmpty();
            this.base = new Metadata.Base(c.uidValidity(), nextUid - 1, keywords, c.pseudo() != null || newPseudo);
        }

        /**
         * Decides where the journal starts (-1: no journal) and collects the blocks written in place
         * before it.
         */
        long journalStart(FileChannel channel, List<Patch> inPlace) throws IOException {
            if (c.pseudo() != null && !base.equals(c.fileBase())) {
                var patch = inPlace(channel, c.pseudo(), pseudoSpec(), -1);
                if (patch == null) {
                    return c.pseudo().offset();
                }
                inPlace.add(patch);
            }
            int firstExpunged = Integer.MAX_VALUE;
            for (long uid : expunged) {
                int i = c.indexOf(uid);
                if (i >= 0) {
                    firstExpunged = Math.min(firstExpunged, i);
                }
            }
            for (int i : candidates()) {
                if (i >= firstExpunged) {
                    break;
                }
                var m = c.messages().get(i);
                var spec = spec(m);
                if (fileSays(m, spec)) {
                    continue;
                }
                var patch = inPlace(channel, m.found(), spec, i);
                if (patch == null) {
                    return m.offset();
                }
                inPlace.add(patch);
            }
            if (firstExpunged < c.messages().size()) {
                return c.messages().get(firstExpunged).offset();
            }
            return appends.isEmpty() ? -1 : c.stamp().size();
        }

        /**
         * The messages whose block this change may have to write, in file order: those whose flags
         * change, the one to carry X-IMAPbase, those whose UID the file does not say yet. Every other
         * one is left alone, so a flag change costs nothing per message of a large mailbox.
         */
        private int[] candidates() {
            var indexes = new TreeSet<Integer>();
            for (long uid : changes.keySet()) {
                int i = c.indexOf(uid);
                if (i >= 0) {
                    indexes.add(i);
                }
            }
            if (holder != null) {
                indexes.add(c.indexOf(holder.uid()));
            }
            if (!c.messages().isEmpty() && c.pseudo() == null) {
                indexes.add(0); // it may hold an X-IMAPbase it must lose
            }
            if (!c.written()) {
                for (int i = Math.max(0, c.messages().firstUnwritten()); i < c.messages().size(); i++) {
                    if (!c.messages().get(i).uidWritten()) {
                        indexes.add(i);
                    }
                }
            }
            return indexes.stream().mapToInt(Integer::intValue).toArray();
        }

        /** A message this change leaves as the file has it (the common case: decided without allocating). */
        private boolean untouched(MboxMessage m) {
            boolean heldBase = c.pseudo() == null && !c.messages().isEmpty() && c.messages().getFirst() == m;
            return m.uidWritten() && !changes.containsKey(m.uid()) && (m == holder ? heldBase && base.equals(c.fileBase())
                    : !heldBase);
        }

        private Block.Spec spec(MboxMessage m) {
            var state = changes.get(m.uid());
            var flags = state == null ? m.flags() : state.flags();
            var own = state == null ? m.keywords() : state.keywords();
            var ordered = keywords.stream().filter(own::contains).toList();
            // Status O: a message seen now is no longer new to mutt either (Dovecot writes RO)
            boolean old = m.old() || (state != null && flags.contains(SystemFlag.SEEN));
            return new Block.Spec(m == holder ? base : null, m.uid(), flags, old, ordered, trustedLength(m.found()));
        }

        private Block.Spec pseudoSpec() {
            return new Block.Spec(base, 0, Set.of(SystemFlag.SEEN), true, List.of(), trustedLength(c.pseudo()));
        }

        /** Whether the file already says what {@code spec} says of {@code m}. */
        private boolean fileSays(MboxMessage m, Block.Spec spec) {
            return m.uidWritten() && m.flags().equals(spec.flags()) && m.old() == spec.old()
                    && m.keywords().equals(Set.copyOf(spec.keywords()))
                    && (spec.base() == null || spec.base().equals(c.fileBase()));
        }

        /** The message's new block written over its old one, or null when it does not fit there. */
        private Patch inPlace(FileChannel channel, Scanner.Found found, Block.Spec spec, int message) throws IOException {
            if (found.metaStart() < 0) {
                return null;
            }
            int length = (int) (found.metaEnd() - found.metaStart());
            var old = new byte[length];
            if (readFully(channel, ByteBuffer.wrap(old), found.metaStart()) < length) {
                return null;
            }
            var block = Block.fitted(spec, visibleLines(old), length);
            return block == null ? null : new Patch(found.metaStart(), block, message);
        }

        /**
         * Where each kept message from the journal's start on lies once the journal is applied: messages
         * the change leaves alone are moved whole, the others get a new block; both are known without
         * reading the file again. Filled by {@link #write}.
         */
        private final List<Scanner.Found> moved = new ArrayList<>();
        /** The pseudo-message's place after the change, when the journal covers it. */
        private Scanner.Found movedPseudo;
        /** Where the new messages (and a new pseudo-message) start in the journal: read back after applying. */
        private long newFrom = -1;

        /** Writes the new bytes from {@code from} on: kept messages (moved, or with new blocks), then the new ones. */
        void write(FileChannel channel, long from, Journal.Output out) throws IOException {
            var last = new byte[] {'\n'};
            if (from > 0) {
                readFully(channel, ByteBuffer.wrap(last), from - 1);
            }
            if (c.pseudo() != null && c.pseudo().offset() >= from) {
                movedPseudo = rewritten(channel, c.pseudo(), pseudoSpec(), from, out);
                last[0] = lastByte(channel, c.pseudo());
            }
            Scanner.Found lastKept = null;
            for (var m : c.messages().subList(firstAtOrAfter(from), c.messages().size())) {
                if (!expunged.contains(m.uid())) {
                    moved.add(untouched(m) ? shifted(m.found(), from + out.length() - m.offset(), channel, out)
                            : rewritten(channel, m.found(), spec(m), from, out));
                    lastKept = m.found();
                }
            }
            if (lastKept != null) {
                // the last kept message's alone: a read per message was 50,000 system calls for half a large mbox
                last[0] = lastByte(channel, lastKept);
            }
            if (newPseudo || !appends.isEmpty()) {
                // before newFrom: what is read back there must start with the new separator line
                separate(last[0], out);
            }
            newFrom = from + out.length();
            if (newPseudo) {
                out.write(pseudoMessage());
            }
            long uid = c.nextUid();
            for (var message : appends) {
                var spec = new Block.Spec(holder == null && c.pseudo() == null && uid == c.nextUid() ? base : null,
                        uid++, message.flags(), true, keywords.stream().filter(message.keywords()::contains).toList(),
                        -1);
                try (var data = message.data().open()) {
                    MessageEncoder.encode(data, FromLine.format(FromLine.DEFAULT_SENDER, message.date(),
                            options.zone()), spec, out);
                }
            }
        }

        /** A message moved whole by {@code delta} bytes. */
        private Scanner.Found shifted(Scanner.Found m, long delta, FileChannel channel, Journal.Output out)
                throws IOException {
            out.copy(channel, m.offset(), m.end() - m.offset());
            return new Scanner.Found(m.offset() + delta, m.fromLength(), m.date(), m.fromCrc(), m.headerEnd() + delta,
                    m.bodyStart() + delta, m.contentEnd() + delta, m.end() + delta,
                    m.metaStart() < 0 ? -1 : m.metaStart() + delta, m.metaEnd() < 0 ? -1 : m.metaEnd() + delta,
                    m.metaCrc(), m.meta(), m.size(), m.virtualSize());
        }

        /**
         * A message copied with its new block (in place of the old one, or after its separator line);
         * returns where it lies once the journal is applied at {@code from}. What clients see of it is
         * unchanged, so its sizes are.
         */
        private Scanner.Found rewritten(FileChannel channel, Scanner.Found m, Block.Spec spec, long from,
                                        Journal.Output out) throws IOException {
            long offset = from + out.length();
            int fromLength = m.fromLength();
            int fromCrc = m.fromCrc();
            long date = m.date();
            if (fromLength > 0) {
                out.copy(channel, m.offset(), fromLength);
            } else {
                long seconds = c.stamp().modifiedNanos() / 1_000_000_000L;
                var line = FromLine.format(FromLine.DEFAULT_SENDER, Instant.ofEpochSecond(seconds), options.zone());
                out.write(line);
                fromLength = line.length;
                var crc = new CRC32C();
                crc.update(line);
                fromCrc = (int) crc.getValue();
                date = seconds;
            }
            byte[] block;
            long blockAt;
            long after;
            if (m.metaStart() >= 0) {
                var old = new byte[(int) (m.metaEnd() - m.metaStart())];
                readFully(channel, ByteBuffer.wrap(old), m.metaStart());
                out.copy(channel, m.headerStart(), m.metaStart() - m.headerStart());
                blockAt = from + out.length();
                block = Block.fresh(spec, visibleLines(old));
                out.write(block);
                after = m.metaEnd();
            } else {
                blockAt = from + out.length();
                block = Block.fresh(spec, new byte[0]);
                out.write(block);
                after = m.headerStart();
            }
            out.copy(channel, after, m.end() - after);
            long delta = blockAt + block.length - after; // for every position after the old block
            var crc = new CRC32C();
            crc.update(block);
            var meta = new Metadata();
            meta.uid = spec.uid() > 0 ? spec.uid() : -1;
            meta.contentLength = spec.contentLength();
            return new Scanner.Found(offset, fromLength, date, fromCrc, m.headerEnd() + delta, m.bodyStart() + delta,
                    m.contentEnd() + delta, m.end() + delta, blockAt, blockAt + block.length, (int) crc.getValue(), meta,
                    m.size(), m.virtualSize());
        }

        private byte lastByte(FileChannel channel, Scanner.Found m) throws IOException {
            if (m.end() <= m.offset()) {
                return '\n';
            }
            var last = ByteBuffer.allocate(1);
            readFully(channel, last, m.end() - 1);
            return last.get(0);
        }

        /**
         * The state after the change: messages before {@code from} as they were (blocks patched), then the moved
         * ones and the new ones. A change without a journal makes a list that shares all but the patched
         * messages' chunks with the one before: its cost follows the messages changed, not the mailbox.
         */
        Result result(FileChannel channel, FileStamp stamp, long from, List<Patch> inPlace) throws IOException {
            var pseudo = c.pseudo();
            var patched = new TreeMap<Integer, MboxMessage>();
            for (var patch : inPlace) {
                if (patch.message() < 0) {
                    pseudo = withBlock(c.pseudo(), patch.bytes());
                    continue;
                }
                var m = c.messages().get(patch.message());
                var spec = spec(m);
                // A new Found: streams reading the message's header start over.
                patched.put(patch.message(), new MboxMessage(m.uid(), withBlock(m.found(), patch.bytes()),
                        spec.flags(), Set.copyOf(spec.keywords()), spec.old(), true));
            }
            var before = c.messages().with(patched);
            if (from < 0) {
                return new Result(after(stamp, pseudo, before), List.of(), !inPlace.isEmpty());
            }
            int first = firstAtOrAfter(from);
            var messages = new ArrayList<MboxMessage>(c.messages().size() + appends.size());
            messages.addAll(before.subList(0, first));
            if (movedPseudo != null) {
                pseudo = movedPseudo;
            }
            int k = 0;
            for (var m : c.messages().subList(first, c.messages().size())) {
                if (!expunged.contains(m.uid())) {
                    var spec = spec(m);
                    messages.add(new MboxMessage(m.uid(), moved.get(k++), spec.flags(), Set.copyOf(spec.keywords()),
                            spec.old(), true));
                }
            }
            var found = Scanner.scan(channel, newFrom, stamp.size(), options.zone());
            int n = 0;
            if (newPseudo) {
                pseudo = found.get(n++);
            }
            var appended = new ArrayList<MboxMessage>();
            long uid = c.nextUid();
            for (var message : appends) {
                var m = readBack(found, n++, uid++, message.flags(), message.keywords());
                messages.add(m);
                appended.add(m);
            }
            if (n != found.size()) {
                throw new IOException("the rewritten mbox does not read back as written");
            }
            return new Result(after(stamp, pseudo, MessageList.of(messages)), appended, true);
        }

        private MboxContents after(FileStamp stamp, Scanner.Found pseudo, MessageList messages) {
            // Only UIDs and X-IMAPbase written: nothing an index sees changed, so its token stays.
            boolean housekeeping = changes.isEmpty() && expunged.isEmpty() && appends.isEmpty();
            return new MboxContents(stamp, housekeeping ? c.tokenStamp() : stamp, c.uidValidity(), nextUid, keywords,
                    pseudo, messages, messages.isEmpty() && pseudo == null ? c.fileBase() : base);
        }

        /** The index of the first message at or after {@code offset}. */
        private int firstAtOrAfter(long offset) {
            int low = 0;
            int high = c.messages().size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (c.messages().get(mid).offset() < offset) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        private MboxMessage readBack(List<Scanner.Found> found, int k, long uid, Set<SystemFlag> flags,
                                     Set<String> keywords) throws IOException {
            if (k >= found.size() || found.get(k).meta().uid != uid) {
                throw new IOException("the rewritten mbox does not read back as written");
            }
            return new MboxMessage(uid, found.get(k), flags, keywords, true, true);
        }

        /** UW-IMAP's pseudo-message, which keeps UIDVALIDITY and the last UID of an empty mailbox. */
        private byte[] pseudoMessage() {
            var now = Instant.now();
            var date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now, options.zone()));
            var text = "Date: " + date + "\n"
                    + "From: Mail System Internal Data <MAILER-DAEMON@localhost>\n"
                    + "Subject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA\n"
                    + "Message-ID: <" + now.getEpochSecond() + "@localhost>\n"
                    + new String(Block.fresh(pseudoSpecFor(base), new byte[0]), StandardCharsets.US_ASCII)
                    + "\n"
                    + "This text is part of the internal format of your mail folder, and is not\n"
                    + "a real message.  It is created automatically by the mail system software.\n"
                    + "If deleted, important folder data will be lost, and it will be re-created\n"
                    + "with the data reset to initial values.\n"
                    + "\n";
            var from = FromLine.format(FromLine.DEFAULT_SENDER, now, options.zone());
            var bytes = text.getBytes(StandardCharsets.US_ASCII);
            var all = new byte[from.length + bytes.length];
            System.arraycopy(from, 0, all, 0, from.length);
            System.arraycopy(bytes, 0, all, from.length, bytes.length);
            return all;
        }

        private Block.Spec pseudoSpecFor(Metadata.Base pseudoBase) {
            return new Block.Spec(pseudoBase, 0, Set.of(SystemFlag.SEEN), true, List.of(), -1);
        }
    }

    /** Makes sure a new message starts on a line of its own. */
    private static void separate(byte last, Journal.Output out) throws IOException {
        if (last != '\n') {
            out.write(new byte[] {'\n'});
        }
    }

    /** A message's body length when its Content-Length checks out (the block keeps it), else -1. */
    private static long trustedLength(Scanner.Found m) {
        long length = m.meta().contentLength;
        return length >= 0 && m.contentEnd() - m.bodyStart() == length ? length : -1;
    }

    /** A message's record after its block was written over in place: a new object, with the new block's checksum. */
    private static Scanner.Found withBlock(Scanner.Found f, byte[] block) {
        var crc = new CRC32C();
        crc.update(block);
        return new Scanner.Found(f.offset(), f.fromLength(), f.date(), f.fromCrc(), f.headerEnd(), f.bodyStart(),
                f.contentEnd(), f.end(), f.metaStart(), f.metaEnd(), (int) crc.getValue(), f.meta(), f.size(),
                f.virtualSize());
    }

    /**
     * The lines of an old block that are not bookkeeping (a sender's header that sat between two of
     * them): they stay, before the new block.
     */
    static byte[] visibleLines(byte[] block) {
        var out = new ByteArrayOutputStream();
        boolean hidden = false;
        boolean afterContentLength = false;
        int i = 0;
        while (i < block.length) {
            int lf = Exposure.indexOfLf(block, i, block.length);
            int end = lf < 0 ? block.length : lf + 1;
            boolean continuation = block[i] == ' ' || block[i] == '\t';
            if (!continuation) {
                int colon = -1;
                for (int k = i; k < Math.min(end, i + Exposure.NAME_LOOKAHEAD + 1); k++) {
                    if (block[k] == ':') {
                        colon = k;
                        break;
                    }
                }
                var name = colon < 0 ? "" : new String(block, i, colon - i, StandardCharsets.ISO_8859_1);
                hidden = colon >= 0 && Exposure.isHidden(name, afterContentLength);
                afterContentLength = name.equalsIgnoreCase("content-length");
            }
            if (!hidden) {
                out.write(block, i, end - i);
            }
            i = end;
        }
        return out.toByteArray();
    }

    static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }
}
