package io.mailpath.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outbox on Apache Derby, embedded, its database in memory: the portable claim by conditional update. */
class OutboxOnDerbyTest extends OutboxReviewScenarios {
    private static EmbeddedDataSource dataSource;

    @BeforeAll
    static void createDatabase() {
        System.setProperty("derby.stream.error.file", "target/derby.log");
        // A lock wait that times out names the locks held (derby.log), rather than only failing.
        System.setProperty("derby.locks.deadlockTrace", "true");
        System.setProperty("derby.locks.monitor", "true");
        System.setProperty("derby.locks.waitTimeout", "20");
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:mailpath-outbox");
        dataSource.setCreateDatabase("create");
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Test
    void claimsByConditionalUpdate() {
        assertThat(outbox.dialect()).isEqualTo(OutboxDialect.DERBY);
    }
}
