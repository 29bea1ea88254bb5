package io.sagebrush.api.security;

import io.sagebrush.api.awsjson.AwsErrors;
import io.sagebrush.api.awsjson.RequestIds;
import io.sagebrush.api.embedded.ServerCredentials;
import io.sagebrush.common.error.ErrorCode;
import io.sagebrush.common.error.SagebrushException;
import io.sagebrush.common.sigv4.SigV4Request;
import io.sagebrush.common.sigv4.SigV4Verifier;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request before it reaches a controller.
 *
 * <ul>
 *   <li>{@code /actuator/health}: open (load balancers).
 *   <li>{@code /agent/v1/**} (agents) and {@code /gateway/v1/**} (inference gateways): {@code
 *       Authorization: Bearer <agent token>}, else 401.
 *   <li>{@code POST /} (SageMaker, Logs, CloudWatch JSON and Query) and {@code POST /service/**}
 *       (CloudWatch rpc-v2-cbor): SigV4 only (any service name in the credential scope, e.g. {@code
 *       monitoring}); failures are 403 in the AWS error shape.
 *   <li>everything else (REST, metrics): SigV4 or HTTP Basic with access key and secret key;
 *       without credentials 401 with {@code WWW-Authenticate}.
 * </ul>
 *
 * The body is read once into memory here so the SigV4 payload hash and the controller see the same
 * bytes. Every response carries {@code x-amzn-RequestId}.
 */
public final class AuthenticationFilter extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);
  private static final String AGENT_PREFIX = "/agent/v1/";
  private static final String GATEWAY_PREFIX = "/gateway/v1/";

  private final SigV4Verifier verifier;
  private final ServerCredentials credentials;
  private final AwsErrors errors;
  private final long maxBodyBytes;

  public AuthenticationFilter(
      SigV4Verifier verifier, ServerCredentials credentials, AwsErrors errors, long maxBodyBytes) {
    this.verifier = verifier;
    this.credentials = credentials;
    this.errors = errors;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String requestId = RequestIds.of(request);
    response.setHeader(RequestIds.HEADER, requestId);
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
      chain.doFilter(request, response);
      return;
    }
    if (path.startsWith(AGENT_PREFIX) || path.startsWith(GATEWAY_PREFIX)) {
      if (bearerMatches(request.getHeader("Authorization"))) {
        chain.doFilter(request, response);
      } else {
        log.warn("{} {} -> 401: missing or wrong agent token", request.getMethod(), path);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"sagebrush-agent\"");
        errors.write(
            response,
            "UnauthorizedException",
            401,
            "The agent API requires 'Authorization: Bearer <agent token>'.",
            requestId);
      }
      return;
    }
    long declared = request.getContentLengthLong();
    if (declared > maxBodyBytes) {
      errors.write(
          response,
          "SerializationException",
          413,
          "The request body is larger than " + maxBodyBytes + " bytes.",
          requestId);
      return;
    }
    byte[] body =
        request
            .getInputStream()
            .readNBytes((int) Math.min(maxBodyBytes + 1, Integer.MAX_VALUE - 8));
    if (body.length > maxBodyBytes) {
      errors.write(
          response,
          "SerializationException",
          413,
          "The request body is larger than " + maxBodyBytes + " bytes.",
          requestId);
      return;
    }
    CachedBodyRequest cached = new CachedBodyRequest(request, body);
    String authorization = request.getHeader("Authorization");
    // POST / (AWS JSON and Query) and the rpc-v2-cbor paths (CloudWatch): SigV4 only
    boolean awsEdge =
        "POST".equals(request.getMethod()) && (path.equals("/") || path.startsWith("/service/"));
    try {
      if (!awsEdge
          && authorization != null
          && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        if (!basicMatches(authorization)) {
          unauthorized(response, requestId, "Wrong access key or secret key.");
          return;
        }
        if (crossSiteWrite(request)) {
          // a browser sends cached Basic credentials with a form another site submits (CSRF)
          log.warn("{} {} -> 403: cross-site request refused", request.getMethod(), path);
          errors.write(
              response,
              "AccessDeniedException",
              403,
              "Cross-site requests that change state are refused; call the API directly"
                  + " (curl, SDKs) rather than from another web page.",
              requestId);
          return;
        }
      } else if (!awsEdge && (authorization == null || authorization.isBlank())) {
        unauthorized(
            response,
            requestId,
            "Authenticate with SigV4 or HTTP Basic (access key : secret key).");
        return;
      } else {
        verifier.verify(
            new SigV4Request(
                request.getMethod(),
                request.getRequestURI(),
                request.getQueryString(),
                name -> Collections.list(request.getHeaders(name)),
                body));
      }
    } catch (SagebrushException e) {
      log.warn(
          "{} {} -> {} {}: {}",
          request.getMethod(),
          target(request, path),
          e.code().httpStatus(),
          e.code().awsType(),
          e.getMessage());
      errors.write(response, e.code(), e.getMessage(), requestId);
      return;
    } catch (RuntimeException e) {
      // a request the verifier cannot even read (a malformed escape, an odd header) is the
      // client's fault: answer in the AWS error shape instead of a bare 500
      log.warn(
          "{} {} -> 403 InvalidSignatureException: unreadable request ({})",
          request.getMethod(),
          target(request, path),
          e.toString());
      errors.write(
          response,
          ErrorCode.INVALID_SIGNATURE,
          "The request could not be verified: it is malformed.",
          requestId);
      return;
    }
    chain.doFilter(cached, response);
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return true;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return true;
  }

  /**
   * True for a state-changing request a browser made on behalf of another site: its {@code
   * Sec-Fetch-Site} says so, or its {@code Origin} names a host other than the one addressed.
   * Command-line clients and SDKs send neither header.
   */
  static boolean crossSiteWrite(HttpServletRequest request) {
    String method = request.getMethod();
    if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
      return false;
    }
    String fetchSite = request.getHeader("Sec-Fetch-Site");
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return true;
    }
    String origin = request.getHeader("Origin");
    if (origin == null || origin.isBlank()) {
      return false;
    }
    String host = request.getHeader("Host");
    try {
      java.net.URI o = java.net.URI.create(origin.trim());
      String originHost = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return host == null || !host.equalsIgnoreCase(originHost);
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private void unauthorized(HttpServletResponse response, String requestId, String message)
      throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"sagebrush\", charset=\"UTF-8\"");
    errors.write(response, "UnauthorizedException", 401, message, requestId);
  }

  private boolean bearerMatches(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return constantTimeEquals(authorization.substring(7).trim(), credentials.agentToken());
  }

  private boolean basicMatches(String authorization) {
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    return constantTimeEquals(decoded.substring(0, colon), credentials.accessKey())
        & constantTimeEquals(decoded.substring(colon + 1), credentials.secretKey());
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String target(HttpServletRequest request, String path) {
    String t = request.getHeader("X-Amz-Target");
    return t != null ? t : path.toLowerCase(Locale.ROOT);
  }
}
