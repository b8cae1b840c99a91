package org.roost.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API on a loopback port: s3proxy over jclouds' filesystem store, objects as files under a directory.
 * Requests are signed (AWS v4) with {@value #ACCESS_KEY} / {@value #SECRET_KEY}; path-style addressing.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "roost-test-access";
    public static final String SECRET_KEY = "roost-test-secret";
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path directory;

    private S3Server(S3Proxy proxy, BlobStoreContext context, Path directory) {
        this.proxy = proxy;
        this.context = context;
        this.directory = directory;
    }

    /** Starts one with its objects under {@code parent}/s3 and an empty bucket {@code bucket}. */
    public static S3Server start(Path parent, String bucket) throws Exception {
        var directory = Files.createDirectories(parent.resolve("s3"));
        var properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        var context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, bucket);
        var proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        for (int i = 0; i < 6000 && !AbstractLifeCycle.STARTED.equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        return new S3Server(proxy, context, directory);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Where the filesystem store keeps the objects (one directory per bucket). */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
