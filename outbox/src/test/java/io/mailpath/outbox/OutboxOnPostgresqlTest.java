package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailpath.testing.SentMail;
import io.mailpath.testing.peers.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The outbox on a real PostgreSQL server, which the first test of the run starts (the test kit's {@link PostgresServer},
 * data under {@code target/postgresql}).
 */
@Tag("slow")
class OutboxOnPostgresqlTest extends OutboxReviewScenarios {
    private static DataSource dataSource;

    @RegisterExtension
    static final BeforeAllCallback SERVER = context -> {
        PostgresServer server = PostgresServer.of(context);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(server.jdbcUrl());
        ds.setUser(server.user());
        dataSource = ds;
    };

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Test
    void aRelayPassesOverAnUncommittedEnqueueWithoutWaiting() throws SQLException {
        assertThat(outbox.dialect()).isEqualTo(OutboxDialect.POSTGRESQL);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                outbox.enqueue(c, mail("in-flight"));
                outbox.enqueue(mail("committed"));

                assertThat(relay.drainOnce()).isEqualTo(1);
                c.commit();
            } finally {
                c.rollback();
            }
        }
        assertThat(relay.drainOnce()).isEqualTo(1);

        assertThat(mailbox.messages()).extracting(SentMail::mailId).containsExactly("committed", "in-flight");
    }
}
