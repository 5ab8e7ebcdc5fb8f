package io.mailpath;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for {@link Mail#id()}, without {@link UUID#randomUUID()}'s one JVM-wide generator: on Linux
 * that is a {@code NativePRNG} behind a single lock, and 16 threads building mail spent more time waiting for it than
 * sending (BENCHMARKS.md). Here each calling thread picks one of a few independently seeded DRBG generators.
 */
final class MailIds {

    private static final SecureRandom[] GENERATORS =
            new SecureRandom[4 * Runtime.getRuntime().availableProcessors()];

    static {
        for (int i = 0; i < GENERATORS.length; i++) {
            try {
                GENERATORS[i] = SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                GENERATORS[i] = new SecureRandom();
            }
        }
    }

    private MailIds() {}

    static String next() {
        byte[] bytes = new byte[16];
        int index = Math.floorMod(System.identityHashCode(Thread.currentThread()), GENERATORS.length);
        GENERATORS[index].nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }
}
