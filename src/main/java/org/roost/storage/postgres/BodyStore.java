package org.roost.storage.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.roost.mail.MailUnavailableException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Message bodies in an S3-compatible object store, each under the SHA-256 of its bytes (lower-case hex), so that
 * one body delivered to many users, or copied, is one object. A store that does not answer, or answers with a
 * server error, is {@link MailUnavailableException} (IMAP {@code NO [UNAVAILABLE]}).
 */
final class BodyStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BodyStore.class.getName());
    private final S3Client client;
    private final String bucket;

    /** Where the bodies are and how to sign; the secret key is never logged. */
    record Settings(String endpoint, String region, String bucket, boolean pathStyle, String accessKey,
            String secretKey, Duration timeout) {
        @Override
        public String toString() {
            return "Settings[" + (endpoint == null ? "AWS" : endpoint) + " bucket " + bucket + "]";
        }
    }

    BodyStore(Settings settings) {
        this.bucket = settings.bucket();
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(settings.timeout())
                        .socketTimeout(settings.timeout()))
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                // Checksums only where S3 requires them: S3-compatible stores differ in the newer trailing ones.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        this.client = builder.build();
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        return settings.accessKey() == null ? EnvironmentVariableCredentialsProvider.create()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }

    /** Uploads {@code file} as body {@code key}; durable when it returns (S3 acknowledges stored objects only). */
    void put(String key, Path file) throws IOException {
        try {
            client.putObject(b -> b.bucket(bucket).key(key).contentType("message/rfc822"), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("store", key, e);
        }
    }

    /** The bytes of body {@code key}. */
    InputStream open(String key) throws IOException {
        try {
            return client.getObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    /** Deletes body {@code key} (one already gone is no error, as S3 answers). */
    void delete(String key) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    /** Whether body {@code key} exists (for checks; the store's own paths never ask). */
    boolean exists(String key) throws IOException {
        try {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("look up", key, e);
        } catch (SdkException e) {
            throw failure("look up", key, e);
        }
    }

    private static IOException failure(String what, String key, SdkException e) {
        if (e instanceof S3Exception s3 && s3.statusCode() < 500) {
            return new IOException("object store refused to " + what + " body " + key + ": " + s3.getMessage(), e);
        }
        LOG.log(System.Logger.Level.WARNING, "object store unavailable ({0} body {1}): {2}", what, key, e.getMessage());
        var unavailable = new MailUnavailableException("the object store did not answer");
        unavailable.initCause(e);
        return unavailable;
    }

    @Override
    public void close() {
        client.close();
    }
}
