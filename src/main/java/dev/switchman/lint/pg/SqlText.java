package dev.switchman.lint.pg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Positions in one SQL text. libpg_query counts statement locations in UTF-8 bytes and the error cursor in
 * characters (code points); a Java string counts UTF-16 units. This turns both into string indexes, and indexes
 * into lines.
 */
final class SqlText {
    private final String sql;
    private final byte[] utf8;
    /** The string index of each UTF-8 byte, and of the end; null for ASCII, where they are the same. */
    private final int[] indexOfByte;
    private int[] lineStarts;

    SqlText(String sql) {
        this.sql = sql;
        this.utf8 = sql.getBytes(StandardCharsets.UTF_8);
        this.indexOfByte = utf8.length == sql.length() ? null : mapBytes(sql, utf8.length);
    }

    String sql() {
        return sql;
    }

    byte[] utf8() {
        return utf8;
    }

    int indexOfByte(int byteOffset) {
        int b = Math.clamp(byteOffset, 0, utf8.length);
        return indexOfByte == null ? b : indexOfByte[b];
    }

    int indexOfCodePoint(int codePoints) {
        int count = Math.clamp(codePoints, 0, sql.codePointCount(0, sql.length()));
        return sql.offsetByCodePoints(0, count);
    }

    /** The index of the first token at or after from: whitespace and comments (-- and nested slash-star) skipped. */
    int firstToken(int from, int to) {
        int i = from;
        while (i < to) {
            char c = sql.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b') {
                i++;
            } else if (c == '-' && i + 1 < to && sql.charAt(i + 1) == '-') {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 || newline > to ? to : newline + 1;
            } else if (c == '/' && i + 1 < to && sql.charAt(i + 1) == '*') {
                i = blockCommentEnd(i, to);
            } else {
                break;
            }
        }
        return Math.min(i, to);
    }

    /** 1-based. */
    int line(int index) {
        int found = Arrays.binarySearch(lineStarts(), index);
        return found >= 0 ? found + 1 : -found - 1;
    }

    /** 1-based, in string chars. */
    int column(int index) {
        return index - lineStarts()[line(index) - 1] + 1;
    }

    private int blockCommentEnd(int start, int to) {
        int depth = 0;
        int i = start;
        while (i + 1 < to) {
            if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return to;
    }

    private int[] lineStarts() {
        if (lineStarts == null) {
            int[] starts = new int[16];
            int n = 0;
            starts[n++] = 0;
            for (int i = 0; i < sql.length(); i++) {
                if (sql.charAt(i) == '\n') {
                    if (n == starts.length) {
                        starts = Arrays.copyOf(starts, n * 2);
                    }
                    starts[n++] = i + 1;
                }
            }
            lineStarts = Arrays.copyOf(starts, n);
        }
        return lineStarts;
    }

    private static int[] mapBytes(String sql, int byteCount) {
        int[] map = new int[byteCount + 1];
        int b = 0;
        for (int i = 0; i < sql.length(); ) {
            int codePoint = sql.codePointAt(i);
            // As String.getBytes encodes it; an unpaired surrogate becomes the one byte '?'.
            int bytes = Character.isSurrogate((char) codePoint) ? 1
                    : codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            for (int k = 0; k < bytes; k++) {
                map[b++] = i;
            }
            i += Character.charCount(codePoint);
        }
        map[b] = sql.length();
        return map;
    }
}
