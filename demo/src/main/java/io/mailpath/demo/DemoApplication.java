package io.mailpath.demo;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The demo's REST root: the page's endpoints and the stand-in API live under {@code /api}. */
@ApplicationPath("/api")
public class DemoApplication extends Application {}
