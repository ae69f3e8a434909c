package io.samplingbroker.reviewconsole;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Prints the PBKDF2 hash of a reviewer's password for {@code review.reviewers.<name>}. Reads the password from
 * the terminal without echo (asked twice), or the first line of standard input when there is no terminal, so it
 * never appears in the shell history or the process list.
 *
 * <pre>
 * java -cp ... io.samplingbroker.reviewconsole.ReviewerPasswordHash
 * printf '%s\n' "$PASSWORD" | java -cp ... io.samplingbroker.reviewconsole.ReviewerPasswordHash
 * </pre>
 */
public final class ReviewerPasswordHash {

    private static final int MIN_LENGTH = 8;

    private ReviewerPasswordHash() {
    }

    public static void main(String[] args) throws IOException {
        char[] password = read();
        try {
            if (password == null || password.length < MIN_LENGTH) {
                System.err.println("A reviewer password needs at least " + MIN_LENGTH + " characters");
                System.exit(2);
                return;
            }
            System.out.println(PasswordHashing.hash(password));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static char[] read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Reviewer password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                System.err.println("The two passwords differ");
                System.exit(2);
            }
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            return first;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? null : line.toCharArray();
    }
}
