package io.mailpath.cluster.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The test application's endpoints, under {@code /api}. */
@ApplicationPath("api")
public class ClusterApplication extends Application {}
