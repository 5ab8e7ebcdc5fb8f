package io.mailpath.bench.liberty;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The bench WAR's JAX-RS application: {@link BenchResource} at {@code /mailpath-bench/run}. */
@ApplicationPath("/")
public class BenchApplication extends Application {}
