package io.sagebrush.agent.execution;

import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.S3Uri;

/** Makes sure the image (docker) or program (process) can run, pulling or fetching it. */
final class ResolveImageStage implements Stage {
  @Override
  public String name() {
    return "resolve image";
  }

  @Override
  public void run(TaskContext context) {
    context.runtime.resolveImage(
        context.run,
        (uri, file) -> {
          try {
            context.store.download(S3Uri.parse(uri), file);
          } catch (ArtifactStoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
  }
}
