package io.sagebrush.gateway.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A self-signed certificate for a gateway that was given none: an EC P-256 key and a certificate
 * valid for ten years naming {@code localhost}, {@code 127.0.0.1}, {@code ::1}, this host and any
 * extra names. It is generated once into {@code <home>/tls/gateway-cert.pem} and {@code
 * <home>/tls/gateway-key.pem} (mode 600) and reused on every later start, so clients can trust the
 * certificate file once. It is generated anew when the stored pair is unreadable, when the key does
 * not belong to the certificate (a write cut short), or when the certificate lacks one of the fixed
 * or configured names (the host name is not checked: it may change between starts, for instance in
 * a container).
 */
public final class SelfSignedCertificate {
  public static final String CERT_FILE = "gateway-cert.pem";
  public static final String KEY_FILE = "gateway-key.pem";
  private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private SelfSignedCertificate() {}

  /**
   * The PEM pair under {@code <home>/tls}, generated when either file is missing, the pair does not
   * match or the certificate lacks a required name.
   *
   * @return the certificate and key files
   * @throws UncheckedIOException when the directory or files cannot be written
   */
  public static PemPair ensure(Path home, List<String> extraNames) {
    Path dir = home.resolve("tls");
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
      String problem = reusable(cert, key, extraNames);
      if (problem == null) {
        return new PemPair(cert, key);
      }
      log.info("Generating a new self-signed gateway certificate: {}", problem);
    }
    try {
      Files.createDirectories(dir);
      Generated generated = generate(extraNames);
      // both files are written in full first, then renamed into place; a crash between the two
      // renames leaves a pair that does not match, which the next start detects and replaces
      Path keyTmp = writePrivate(key, generated.keyPem());
      Path certTmp = write(cert, generated.certificatePem());
      move(keyTmp, key);
      move(certTmp, cert);
      log.info(
          "Generated a self-signed gateway certificate for {} into {}; clients trust it with that"
              + " file (e.g. AWS_CA_BUNDLE={})",
          generated.names(),
          cert,
          cert);
      return new PemPair(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the gateway certificate under " + dir, e);
    }
  }

  /** A certificate file and its key file. */
  public record PemPair(Path certificate, Path privateKey) {}

  /** A generated key and certificate, as PEM text. */
  public record Generated(String certificatePem, String keyPem, List<String> names) {}

  /** Generates a key pair and a self-signed certificate (no files). */
  public static Generated generate(List<String> extraNames) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
      String hostName = localHostName();
      if (hostName != null) {
        names.add(hostName);
      }
      names.addAll(extraNames);
      List<GeneralName> alternatives = new ArrayList<>();
      for (String name : names) {
        alternatives.add(
            isIpAddress(name)
                ? new GeneralName(GeneralName.iPAddress, name)
                : new GeneralName(GeneralName.dNSName, name));
      }
      X500Name subject = new X500Name("CN=Sagebrush inference gateway,O=Sagebrush");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              pair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(pair.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(pair.getPublic()));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(alternatives.toArray(GeneralName[]::new)));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new Generated(
          pem("CERTIFICATE", certificate.getEncoded()),
          pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          List.copyOf(names));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate", e);
    }
  }

  private static String localHostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isBlank() ? null : name;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean isIpAddress(String name) {
    return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /**
   * Null when the stored pair can be served: the certificate parses, names every fixed and
   * configured name, and the key belongs to it; else why not.
   */
  static String reusable(Path certFile, Path keyFile, List<String> extraNames) {
    try {
      X509Certificate certificate;
      try (var in = Files.newInputStream(certFile)) {
        certificate =
            (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      Set<String> present = new HashSet<>();
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          present.add(normalize(String.valueOf(entry.get(1))));
        }
      }
      Set<String> required = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
      required.addAll(extraNames);
      for (String name : required) {
        if (!present.contains(normalize(name))) {
          return "the stored certificate does not name " + name;
        }
      }
      String keyPem = Files.readString(keyFile, StandardCharsets.US_ASCII);
      String base64 =
          keyPem
              .replace("-----BEGIN PRIVATE KEY-----", "")
              .replace("-----END PRIVATE KEY-----", "")
              .replaceAll("\\s", "");
      PrivateKey privateKey =
          KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      byte[] probe = "sagebrush-gateway-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        return "the stored key does not belong to the stored certificate";
      }
      return null;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return "the stored pair cannot be read (" + e + ")";
    }
  }

  /** IP addresses compare by value ({@code ::1} and {@code 0:0:0:0:0:0:0:1}), names by case. */
  private static String normalize(String name) {
    if (isIpAddress(name)) {
      try {
        // a literal address: no lookup happens
        return InetAddress.getByName(name).getHostAddress();
      } catch (IOException e) {
        return name;
      }
    }
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** Writes the key to a temporary file of mode 600 beside {@code file}; returns that file. */
  private static Path writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    return tmp;
  }

  /** Writes a temporary file beside {@code file}; returns that file. */
  private static Path write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    return tmp;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
