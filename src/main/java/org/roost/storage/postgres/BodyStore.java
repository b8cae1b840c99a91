package org.roost.storage.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.roost.mail.MailUnavailableException;
import org.roost.storage.ServiceEvents;
import org.roost.storage.ServiceStatus;
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
    private static final String SERVICE = "s3";
    private final S3Client client;
    private final String bucket;
    private volatile ServiceEvents events = ServiceEvents.NONE;

    /** One call to the store. */
    @FunctionalInterface
    private interface Request<T> {
        T send();
    }

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

    /** Tells {@code events} how each call goes from now on. */
    void meter(ServiceEvents events) {
        this.events = events;
    }

    /** Uploads {@code file} as body {@code key}; durable when it returns (S3 acknowledges stored objects only). */
    void put(String key, Path file) throws IOException {
        call("store", key, () -> client.putObject(b -> b.bucket(bucket).key(key).contentType("message/rfc822"),
                RequestBody.fromFile(file)));
    }

    /** The bytes of body {@code key}. */
    InputStream open(String key) throws IOException {
        return call("read", key, () -> client.getObject(b -> b.bucket(bucket).key(key)));
    }

    /** Deletes body {@code key} (one already gone is no error, as S3 answers). */
    void delete(String key) throws IOException {
        call("delete", key, () -> client.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /** Whether the bucket answers now, and how fast (a readiness probe's question). */
    ServiceStatus status() {
        long start = System.nanoTime();
        try {
            call("look up", "bucket", () -> client.headBucket(b -> b.bucket(bucket)));
            return new ServiceStatus(SERVICE, true, "bucket " + bucket + " answered in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (IOException e) {
            return new ServiceStatus(SERVICE, false, "bucket " + bucket + ": " + e.getMessage());
        }
    }

    /** Sends {@code request}, timed for the meters; a failure as {@link #failure} says. */
    private <T> T call(String what, String key, Request<T> request) throws IOException {
        long start = System.nanoTime();
        var result = ServiceEvents.Result.OK;
        try {
            return request.send();
        } catch (SdkException e) {
            var failure = failure(what, key, e);
            result = failure instanceof MailUnavailableException ? ServiceEvents.Result.UNAVAILABLE
                    : ServiceEvents.Result.ERROR;
            throw failure;
        } finally {
            events.call(SERVICE, what.replace(' ', '_'), result, Duration.ofNanos(System.nanoTime() - start));
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
