package io.sagebrush.agent.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagebrush.agent.runtime.JobWorkspace;
import io.sagebrush.agent.runtime.StageFailure;
import io.sagebrush.artifacts.ArtifactStoreException;
import io.sagebrush.artifacts.DownloadCancelled;
import io.sagebrush.artifacts.S3Uri;
import io.sagebrush.artifacts.StoredObject;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.protocol.ChannelSpec;
import io.sagebrush.protocol.TaskAssignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Downloads every channel into {@code <job dir>/<host>/input/data/<channel>/}.
 *
 * <p>(1) The channel's objects are listed ({@code S3Prefix}) or read from the manifest ({@code
 * ManifestFile}) and sorted by URI; (2) {@code ShardedByS3Key} gives host {@code i} of {@code N}
 * every object whose index {@code % N == i}, {@code FullyReplicated} gives every host all of them;
 * (3) each object is downloaded once and copied to the other hosts that get it. A stop order ends
 * the stage between objects, or within an object between two reads (its partial file is removed).
 */
final class DownloadInputsStage implements Stage {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An object and the path it gets below the channel directory. */
  record InputObject(S3Uri uri, String relativePath) {}

  @Override
  public String name() {
    return "download inputs";
  }

  @Override
  public void run(TaskContext context) {
    TaskAssignment task = context.task();
    if (task.channels() == null) {
      return;
    }
    try {
      for (ChannelSpec channel : task.channels()) {
        if (context.stopRequested()) {
          return;
        }
        downloadChannel(context, channel);
      }
    } catch (DownloadCancelled e) {
      // stopped mid-object: the caller sees the stop order and reports the job stopped
    }
  }

  private void downloadChannel(TaskContext context, ChannelSpec channel) {
    TaskAssignment task = context.task();
    JobWorkspace ws = context.workspace();
    List<InputObject> objects = objects(context, channel);
    if (objects.isEmpty()) {
      throw StageFailure.fatal(
          "ClientError: No S3 objects found under S3 URL \""
              + channel.s3Uri()
              + "\" given in input data source for channel "
              + channel.name());
    }
    boolean sharded = "ShardedByS3Key".equalsIgnoreCase(channel.distribution());
    int hosts = task.hosts().size();
    for (int i = 0; i < objects.size(); i++) {
      if (context.stopRequested()) {
        return;
      }
      InputObject object = objects.get(i);
      Path first = null;
      for (int h = 0; h < hosts; h++) {
        if (sharded && i % hosts != h) {
          continue;
        }
        String host = task.hosts().get(h).hostName();
        Path channelDir = ws.channelDir(host, channel.name());
        Path target = channelDir.resolve(object.relativePath()).normalize();
        if (!target.startsWith(channelDir)) {
          throw StageFailure.fatal(
              "ClientError: could not download "
                  + object.uri()
                  + ": its key escapes the channel directory");
        }
        try {
          Files.createDirectories(target.getParent());
          if (first == null) {
            download(context, object.uri(), target);
            first = target;
          } else {
            Files.copy(first, target, StandardCopyOption.REPLACE_EXISTING);
          }
        } catch (IOException e) {
          throw StageFailure.fatal(
              "ClientError: could not download " + object.uri() + ": " + e.getMessage(), e);
        }
      }
    }
    for (int h = 0; h < hosts; h++) {
      try {
        Files.createDirectories(ws.channelDir(task.hosts().get(h).hostName(), channel.name()));
      } catch (IOException e) {
        throw StageFailure.fatal("InternalServerError: could not create channel directory", e);
      }
    }
  }

  private static void download(TaskContext context, S3Uri uri, Path target) {
    try {
      context.store.download(uri, target, context::stopRequested);
    } catch (DownloadCancelled e) {
      throw e;
    } catch (ArtifactStoreException e) {
      String reason = "ClientError: could not download " + uri + ": " + e.getMessage();
      throw e.isNotFound() ? StageFailure.fatal(reason, e) : StageFailure.retryable(reason, e);
    }
  }

  /** The channel's objects in the order sharding uses (sorted by URI). */
  static List<InputObject> objects(TaskContext context, ChannelSpec channel) {
    S3Uri uri;
    try {
      uri = S3Uri.parse(channel.s3Uri());
    } catch (SagebrushException e) {
      throw StageFailure.fatal("ClientError: " + e.getMessage(), e);
    }
    String type = channel.s3DataType() == null ? "S3Prefix" : channel.s3DataType();
    List<InputObject> objects = new ArrayList<>();
    try {
      if (type.equalsIgnoreCase("ManifestFile")) {
        objects.addAll(fromManifest(context.store.getBytes(uri), uri));
      } else if (type.equalsIgnoreCase("S3Prefix")) {
        for (StoredObject o : context.store.list(uri)) {
          if (o.uri().key().endsWith("/")) {
            continue;
          }
          objects.add(new InputObject(o.uri(), relativePath(uri.key(), o.uri().key())));
        }
      } else {
        throw StageFailure.fatal(
            "ClientError: S3DataType "
                + type
                + " of channel "
                + channel.name()
                + " is not supported");
      }
    } catch (ArtifactStoreException e) {
      String reason = "ClientError: could not download " + uri + ": " + e.getMessage();
      throw e.isNotFound() ? StageFailure.fatal(reason, e) : StageFailure.retryable(reason, e);
    }
    objects.sort(Comparator.comparing(o -> o.uri().toString()));
    return objects;
  }

  /** Parses a SageMaker manifest: {@code [{"prefix":"s3://b/p/"}, "suffix1", ...]}. */
  static List<InputObject> fromManifest(byte[] manifest, S3Uri manifestUri) {
    List<InputObject> objects = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(manifest);
      if (root == null || !root.isArray() || root.isEmpty() || !root.get(0).hasNonNull("prefix")) {
        throw StageFailure.fatal(
            "ClientError: manifest "
                + manifestUri
                + " must be a JSON array starting with {\"prefix\": \"s3://...\"}");
      }
      String prefix = root.get(0).get("prefix").asText();
      for (int i = 1; i < root.size(); i++) {
        String suffix = root.get(i).asText();
        objects.add(new InputObject(S3Uri.parse(prefix + suffix), suffix));
      }
    } catch (IOException | SagebrushException e) {
      throw StageFailure.fatal(
          "ClientError: could not read manifest " + manifestUri + ": " + e.getMessage(), e);
    }
    return objects;
  }

  /**
   * Where an object lands below the channel directory: its key without the prefix; a prefix that
   * ends inside a path segment keeps that segment ({@code data/tr} + {@code data/train/a} gives
   * {@code train/a}); the object named by the prefix itself keeps its file name.
   */
  static String relativePath(String prefix, String key) {
    String rel;
    if (key.equals(prefix)) {
      int slash = key.lastIndexOf('/');
      rel = key.substring(slash + 1);
    } else if (prefix.isEmpty() || prefix.endsWith("/") || key.charAt(prefix.length()) == '/') {
      rel = key.substring(prefix.length());
    } else {
      int slash = prefix.lastIndexOf('/');
      rel = key.substring(slash + 1);
    }
    while (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    return rel;
  }
}
