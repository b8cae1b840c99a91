package org.roost.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private OpenLDAP {@code slapd} with its own {@code slapd.conf}, an mdb database loaded from an LDIF with
 * {@code slapadd}, plain LDAP (with StartTLS) and LDAPS on loopback ports, and a certificate for 127.0.0.1 signed
 * by a test CA ({@link #caFile}). The directory manager is {@value #ROOT_DN} / {@value #ROOT_PASSWORD}; the
 * service account {@value #SERVICE_DN} / {@value #SERVICE_PASSWORD} may read passwords.
 */
public final class SlapdServer implements AutoCloseable {
    public static final String SUFFIX = "dc=example,dc=org";
    public static final String ROOT_DN = "cn=admin," + SUFFIX;
    public static final String ROOT_PASSWORD = "ldap-test-root";
    public static final String SERVICE_DN = "cn=roost," + SUFFIX;
    public static final String SERVICE_PASSWORD = "ldap-test-service";
    private final Path slapd;
    private final Path dir;
    private final int port;
    private final int tlsPort;
    private Process process;

    private SlapdServer(Path slapd, Path dir, int port, int tlsPort) {
        this.slapd = slapd;
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** A directory with the entries of {@code ldif} (which must hold the suffix and the service account). */
    public static SlapdServer start(Path parent, String ldif) throws IOException, InterruptedException {
        var slapd = ExternalServers.binary("OpenLDAP (Debian package slapd)", "/usr/sbin/slapd");
        var slapadd = ExternalServers.binary("slapadd (Debian package slapd)", "/usr/sbin/slapadd");
        var openssl = ExternalServers.binary("openssl", "/usr/bin/openssl");
        var dir = Files.createDirectories(parent.resolve("slapd"));
        Files.createDirectories(dir.resolve("db"));
        certificates(openssl, dir);
        Files.writeString(dir.resolve("slapd.conf"), config(dir));
        Files.writeString(dir.resolve("data.ldif"), ldif);
        ExternalServers.run(List.of(slapadd.toString(), "-f", dir.resolve("slapd.conf").toString(), "-l",
                dir.resolve("data.ldif").toString()));
        var server = new SlapdServer(slapd, dir, ExternalServers.freePort(), ExternalServers.freePort());
        server.startAgain();
        return server;
    }

    private static void certificates(Path openssl, Path dir) throws IOException, InterruptedException {
        var ca = dir.resolve("ca");
        ExternalServers.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=Roost test CA",
                "-keyout", ca + "-key.pem", "-out", ca + ".pem"));
        ExternalServers.run(List.of(openssl.toString(), "req", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
                dir.resolve("key.pem").toString(), "-out", dir.resolve("csr.pem").toString()));
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        ExternalServers.run(List.of(openssl.toString(), "x509", "-req", "-in", dir.resolve("csr.pem").toString(),
                "-CA", ca + ".pem", "-CAkey", ca + "-key.pem", "-CAcreateserial", "-days", "2", "-extfile",
                dir.resolve("san.ext").toString(), "-out", dir.resolve("cert.pem").toString()));
    }

    private static String config(Path dir) {
        return """
                include /etc/ldap/schema/core.schema
                include /etc/ldap/schema/cosine.schema
                include /etc/ldap/schema/nis.schema
                include /etc/ldap/schema/inetorgperson.schema
                include /etc/ldap/schema/misc.schema
                modulepath /usr/lib/ldap
                moduleload back_mdb
                pidfile %1$s/slapd.pid
                TLSCACertificateFile %1$s/ca.pem
                TLSCertificateFile %1$s/cert.pem
                TLSCertificateKeyFile %1$s/key.pem
                database mdb
                maxsize 268435456
                suffix "%2$s"
                rootdn "%3$s"
                rootpw %4$s
                directory %1$s/db
                index uid eq
                index objectClass eq
                access to attrs=userPassword by dn.exact="%5$s" read by anonymous auth by * none
                access to * by * read
                """.formatted(dir, SUFFIX, ROOT_DN, ROOT_PASSWORD, SERVICE_DN);
    }

    public void startAgain() throws IOException, InterruptedException {
        process = new ProcessBuilder(slapd.toString(), "-d", "0", "-f", dir.resolve("slapd.conf").toString(), "-h",
                "ldap://127.0.0.1:" + port + "/ ldaps://127.0.0.1:" + tlsPort + "/")
                .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        ExternalServers.awaitPort(port, process);
        ExternalServers.awaitPort(tlsPort, process);
    }

    /** SIGKILL, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the server keeps its sockets but answers nothing (a hung directory). */
    public void freeze() throws IOException, InterruptedException {
        ExternalServers.run(List.of("kill", "-STOP", Long.toString(process.pid())));
    }

    public void thaw() throws IOException, InterruptedException {
        ExternalServers.run(List.of("kill", "-CONT", Long.toString(process.pid())));
    }

    public String uri() {
        return "ldap://127.0.0.1:" + port;
    }

    public String tlsUri() {
        return "ldaps://127.0.0.1:" + tlsPort;
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
