package io.mailpath.testing.peers.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.mailpath.spi.DirectTransport;
import io.mailpath.testing.peers.TransportContract;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The contract fails a transport that breaks the phase rule: run on the toy transport that reports every lost
 * connection as unavailable, it fails exactly the cells where the server had the whole message and the connection
 * broke before the reply, and passes the others.
 */
@Tag("slow") // the fault matrix at every protocol step
class ContractCatchesAPhaseBlindTransportTest {
    /** The contract on the phase-blind transport; nested, so that the build does not run it as a test of its own. */
    static class PhaseBlind extends TransportContract {
        @Override
        protected Peer startPeer() throws Exception {
            return new LineServer(LineTransportContractTest.SECRET);
        }

        @Override
        protected DirectTransport transportTo(String host, int port) {
            return LineTransport.phaseBlind(host, port, LineTransportContractTest.SECRET, 1_000);
        }

        @Override
        protected Optional<String> secret() {
            return Optional.of(LineTransportContractTest.SECRET);
        }
    }

    @Test
    void failsTheCellsWhereAnAcceptedMessageIsReportedUnavailable() {
        List<String> failed = new CopyOnWriteArrayList<>();
        List<String> passed = new CopyOnWriteArrayList<>();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(PhaseBlind.class))
                                .build(),
                        new TestExecutionListener() {
                            @Override
                            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                                if (!test.isTest()) {
                                    return;
                                }
                                String line = test.getDisplayName()
                                        + result.getThrowable()
                                                .map(t -> " -> " + t.getMessage())
                                                .orElse("");
                                (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? passed : failed)
                                        .add(line);
                            }
                        });

        assertThat(failed)
                .as("cells the phase-blind transport fails")
                .isNotEmpty()
                .allSatisfy(
                        f -> assertThat(f).contains("the peer accepted the message, yet the caller got UNAVAILABLE"));
        // The server had the whole message and no reply came back: written, then closed, reset or stalled.
        assertThat(failed)
                .anySatisfy(f -> assertThat(f).contains("'SEND'").contains("written, no reply / close"))
                .anySatisfy(f -> assertThat(f).contains("'SEND'").contains("written, no reply / reset"))
                .anySatisfy(f -> assertThat(f).contains("'SEND'").contains("written, no reply / stall"));
        // Everything before the message is written it gets right, as does the send without fault.
        assertThat(passed)
                .anySatisfy(p -> assertThat(p).startsWith("connect"))
                .anySatisfy(p -> assertThat(p).contains("'AUTH'"))
                .anySatisfy(p -> assertThat(p).contains("aSendWithoutFaultIsAcceptedOnce"));
    }
}
