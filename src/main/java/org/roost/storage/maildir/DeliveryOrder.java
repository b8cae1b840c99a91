package org.roost.storage.maildir;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders message base names by delivery time as Maildir names encode it
 * ({@code <seconds>.M<microseconds>...}), then by name, so files that lack a UID get theirs
 * in a stable, delivery-like order.
 */
final class DeliveryOrder {

    static final Comparator<String> COMPARATOR = Comparator
            .comparingLong(DeliveryOrder::seconds)
            .thenComparingLong(DeliveryOrder::microseconds)
            .thenComparing(Comparator.naturalOrder());

    private DeliveryOrder() {
    }

    /** The keys in delivery order; each key's numbers are read once, not at every comparison. */
    static ArrayList<String> sorted(List<String> keys) {
        record Keyed(long seconds, long microseconds, String key) {
        }
        var keyed = new ArrayList<Keyed>(keys.size());
        for (var key : keys) {
            keyed.add(new Keyed(seconds(key), microseconds(key), key));
        }
        keyed.sort(Comparator.comparingLong(Keyed::seconds).thenComparingLong(Keyed::microseconds)
                .thenComparing(Keyed::key));
        var out = new ArrayList<String>(keyed.size());
        keyed.forEach(k -> out.add(k.key()));
        return out;
    }

    private static long seconds(String base) {
        return leadingNumber(base, 0);
    }

    private static long microseconds(String base) {
        int dot = base.indexOf('.');
        return dot >= 0 && base.startsWith("M", dot + 1) ? leadingNumber(base, dot + 2) : 0;
    }

    private static long leadingNumber(String text, int from) {
        long value = 0;
        int digits = 0;
        for (int i = from; i < text.length() && digits < 18 && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++, digits++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return digits == 0 ? Long.MAX_VALUE : value;
    }
}
