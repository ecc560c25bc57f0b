package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keras.utils.get_file: Keras's cache directory and cache_subdir, hashes by length, offline mode; served locally. */
class GetFileTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    // the standard test vectors of "abc"
    private static final String MD5 = "900150983cd24fb0d6963f7d28e17f72";
    private static final String SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path home;
    private String savedHome;
    private String savedOffline;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        savedHome = System.getProperty(GetFile.PROP_KERAS_HOME);
        savedOffline = System.getProperty(GetFile.PROP_OFFLINE);
        System.setProperty(GetFile.PROP_KERAS_HOME, home.toString());
        System.clearProperty(GetFile.PROP_OFFLINE);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, ABC.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ABC);
            }
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        if (savedHome == null) System.clearProperty(GetFile.PROP_KERAS_HOME);
        else System.setProperty(GetFile.PROP_KERAS_HOME, savedHome);
        if (savedOffline == null) System.clearProperty(GetFile.PROP_OFFLINE);
        else System.setProperty(GetFile.PROP_OFFLINE, savedOffline);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/abc.txt";
    }

    @Test
    void downloadsIntoTheCacheSubdirOnceAndChecksMd5OrSha256() throws IOException {
        assertEquals(home, GetFile.kerasHome());
        Path p = GetFile.getFile("abc.txt", url(), MD5, "models");
        assertEquals(home.resolve("models").resolve("abc.txt"), p);
        assertArrayEquals(ABC, Files.readAllBytes(p));
        assertEquals(p, GetFile.getFile("abc.txt", url(), SHA, "models"));
        assertEquals(1, requests.get(), "the cached file is used, checked with either hash");
        assertEquals(MD5, GetFile.hashFile(p, "md5"));
        assertEquals(SHA, GetFile.hashFile(p, "sha256"));
        assertEquals("md5", GetFile.hashAlgorithm(MD5));
        assertEquals("sha256", GetFile.hashAlgorithm(SHA));
        // an explicit cache_dir
        Path other = home.resolve("other");
        assertEquals(other.resolve("datasets").resolve("abc.txt"), GetFile.getFile("abc.txt", url(), null, "datasets", other));
        assertEquals(2, requests.get());
    }

    @Test
    void offlineNamesTheFileTheUrlAndWhereToPutIt() throws IOException {
        System.setProperty(GetFile.PROP_OFFLINE, "true");
        GetFile.DownloadException e = assertThrows(GetFile.DownloadException.class,
                () -> GetFile.getFile("abc.txt", url(), MD5, "models"));
        assertTrue(e.getMessage().contains("abc.txt") && e.getMessage().contains(url())
                && e.getMessage().contains(home.resolve("models").resolve("abc.txt").toString())
                && e.getMessage().contains(GetFile.PROP_OFFLINE), e.getMessage());
        assertEquals(0, requests.get());
        assertFalse(Files.exists(home.resolve("models").resolve("abc.txt")));
        // a cached copy is used offline
        Files.createDirectories(home.resolve("models"));
        Files.write(home.resolve("models").resolve("abc.txt"), ABC);
        assertEquals(home.resolve("models").resolve("abc.txt"), GetFile.getFile("abc.txt", url(), MD5, "models"));
    }

    @Test
    void aWrongDownloadIsDeleted() {
        IOException e = assertThrows(IOException.class, () -> GetFile.getFile("abc.txt", url(), "0".repeat(32), "models"));
        assertTrue(e.getMessage().contains("wrong MD5 hash") && e.getMessage().contains("found " + MD5), e.getMessage());
        assertFalse(Files.exists(home.resolve("models").resolve("abc.txt")));
        assertThrows(IllegalArgumentException.class, () -> GetFile.getFile("abc.txt", url(), "abc", "models"));
    }
}
