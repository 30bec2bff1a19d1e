package dev.switchman.traffic.builtin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code router.trustedProxies}: the IP addresses and CIDR blocks of the proxies in front of the router, whose
 * forwarded headers it keeps. Entries are literals only, so no name is ever looked up; an IPv4 peer is matched
 * without allocating.
 */
final class TrustedProxies {

    static final TrustedProxies NONE = new TrustedProxies(new int[0], new int[0], List.of());

    private static final String KEY = "router.trustedProxies";

    private record V6Block(byte[] network, int prefix) {}

    private final int[] v4Networks;
    private final int[] v4Masks;
    private final List<V6Block> v6Blocks;

    private TrustedProxies(int[] v4Networks, int[] v4Masks, List<V6Block> v6Blocks) {
        this.v4Networks = v4Networks;
        this.v4Masks = v4Masks;
        this.v6Blocks = v6Blocks;
    }

    /** Parses the entries; a bad one is an {@link IllegalArgumentException} naming the key and the entry. */
    static TrustedProxies parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return NONE;
        }
        List<Integer> networks = new ArrayList<>();
        List<Integer> masks = new ArrayList<>();
        List<V6Block> v6 = new ArrayList<>();
        for (String entry : entries) {
            if (entry == null) {
                throw new IllegalArgumentException(KEY + " has an empty entry: write an IP address or a CIDR block");
            }
            String text = entry.strip();
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            long v4 = ipv4(address);
            if (v4 >= 0) {
                int prefix = slash < 0 ? 32 : prefix(text.substring(slash + 1), 32, entry);
                int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
                networks.add((int) v4 & mask);
                masks.add(mask);
            } else {
                byte[] bytes = ipv6(address, entry);
                int prefix = slash < 0 ? 128 : prefix(text.substring(slash + 1), 128, entry);
                v6.add(new V6Block(bytes, prefix));
            }
        }
        return new TrustedProxies(networks.stream().mapToInt(Integer::intValue).toArray(),
                masks.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(v6));
    }

    boolean isEmpty() {
        return v4Networks.length == 0 && v6Blocks.isEmpty();
    }

    /** Whether the peer, as {@code SocketAddress.hostAddress()} writes it, is one of the trusted proxies. */
    boolean contains(String peer) {
        if (peer == null || isEmpty()) {
            return false;
        }
        long parsed = ipv4(peer);
        if (parsed >= 0) {
            int v4 = (int) parsed;
            for (int i = 0; i < v4Networks.length; i++) {
                if ((v4 & v4Masks[i]) == v4Networks[i]) {
                    return true;
                }
            }
            return false;
        }
        if (v6Blocks.isEmpty()) {
            return false;
        }
        int zone = peer.indexOf('%');
        byte[] bytes;
        try {
            bytes = ipv6(zone < 0 ? peer : peer.substring(0, zone), peer);
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
        for (V6Block block : v6Blocks) {
            if (samePrefix(bytes, block.network(), block.prefix())) {
                return true;
            }
        }
        return false;
    }

    /** A dotted quad as an unsigned 32-bit value, or -1 when the text is not one. */
    private static long ipv4(String text) {
        int length = text.length();
        long value = 0;
        int octets = 0;
        int i = 0;
        while (octets < 4) {
            int digits = 0;
            int octet = 0;
            while (i < length && digits < 4) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                octet = octet * 10 + (c - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || octet > 255) {
                return -1;
            }
            value = value << 8 | octet;
            octets++;
            if (octets < 4) {
                if (i >= length || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == length ? value : -1;
    }

    /** The 16 bytes of an IPv6 literal; refuses anything else before the JDK could take it for a host name. */
    private static byte[] ipv6(String text, String entry) {
        boolean literal = text.indexOf(':') >= 0;
        for (int i = 0; literal && i < text.length(); i++) {
            char c = text.charAt(i);
            literal = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
        }
        if (literal) {
            try {
                // A text of hex digits, dots and colons is parsed as a literal by the JDK, never resolved.
                InetAddress address = InetAddress.getByName(text);
                if (address instanceof Inet6Address) {
                    return address.getAddress();
                }
            } catch (UnknownHostException notALiteral) {
                // refused below
            }
        }
        throw new IllegalArgumentException(KEY + ": '" + entry + "' is not an IP address or a CIDR block "
                + "(write e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)");
    }

    private static int prefix(String text, int bits, String entry) {
        int prefix = -1;
        if (!text.isEmpty() && text.length() <= 3 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            prefix = Integer.parseInt(text);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException(KEY + ": '" + entry + "' has a bad prefix length (0 to " + bits + ")");
        }
        return prefix;
    }

    /** Whether the first {@code prefix} bits of the two addresses are equal. */
    private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[whole] & mask) == (b[whole] & mask);
    }
}
