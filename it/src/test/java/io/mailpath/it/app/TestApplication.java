package io.mailpath.it.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The test application's JAX-RS root. */
@ApplicationPath("/")
public class TestApplication extends Application {}
