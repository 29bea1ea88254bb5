package io.sagebrush.it.support;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that starts ONE embedded-mode server (docker runtime, in-process agent) for the
 * whole test run and hands it to any test class that declares a {@link SagebrushServerProcess}
 * parameter (constructor, {@code @BeforeAll} or test method). The server is stopped when the run
 * ends. Sharing keeps the suite quick on a two-core machine; tests use unique job names.
 */
public final class SharedServer implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedServer.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == SagebrushServerProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return extension
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("server", key -> new Holder(), Holder.class)
        .server;
  }

  /** Closed by JUnit when the root context (the whole run) ends. */
  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    private final SagebrushServerProcess server =
        SagebrushServerProcess.start(
            "shared",
            Map.of(
                "SAGEBRUSH_RUNTIME",
                "docker",
                // endpoint tests keep several small replicas (2 vCPU each) up at once on a
                // two-core machine; the default CPU overcommit (4) would queue them
                "SAGEBRUSH_SCHEDULER_PLACEMENT_CPUOVERCOMMIT",
                "16"));

    Holder() {
      // the bucket every test job writes its output to
      try (AwsClients clients = server.clients()) {
        TrainingJobs.ensureBucket(clients.s3(), TrainingJobs.BUCKET);
      }
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
