package io.mailpath.outbox;

import io.mailpath.testing.peers.PostgresServer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The outbox's streams on a real PostgreSQL server (the test kit's {@link PostgresServer}). */
@Tag("slow")
class OutboxStreamsOnPostgresqlTest extends OutboxStreamScenarios {
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

    @Override
    OutboxDialect dialect() {
        return OutboxDialect.POSTGRESQL;
    }
}
