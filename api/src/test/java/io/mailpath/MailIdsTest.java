package io.mailpath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MailIdsTest {

    @Test
    void idsAreVersion4UuidsInTheirCanonicalForm() {
        for (int i = 0; i < 1_000; i++) {
            String id = MailIds.next();
            UUID parsed = UUID.fromString(id);
            assertEquals(id, parsed.toString());
            assertEquals(4, parsed.version());
            assertEquals(2, parsed.variant());
        }
    }

    @Test
    void threadsSharingAGeneratorStillGetDistinctIds() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        seen.add(MailIds.next());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(64 * 2_000, seen.size());
    }

    @Test
    void aMailWithoutAnIdGetsOneFromTheGenerator() {
        Mail mail = Mail.builder()
                .from("a@example.com")
                .to("b@example.com")
                .subject("s")
                .text("t")
                .build();
        assertEquals(4, UUID.fromString(mail.id()).version());
    }
}
