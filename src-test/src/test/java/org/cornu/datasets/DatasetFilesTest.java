package org.cornu.datasets;

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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DatasetFiles}: local look-up, hash checks, and downloads from a small HTTP server on
 * 127.0.0.1 (never the internet).
 */
class DatasetFilesTest {
    private static final byte[] CONTENT = "cornu dataset test file\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
    private static final String SHA = hex("SHA-256", CONTENT);
    private static final String MD5 = hex("MD5", CONTENT);
    private static final String WRONG = "0".repeat(64);

    @TempDir
    Path tmp;
    private Path datasets;
    private Path cache;
    private String savedDatasets;
    private String savedCache;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        savedDatasets = System.getProperty(DatasetFiles.PROP_DATASETS);
        savedCache = System.getProperty(DatasetFiles.PROP_CACHE_DIR);
        datasets = Files.createDirectory(tmp.resolve("datasets"));
        cache = tmp.resolve("cache");   // created on first download
        System.setProperty(DatasetFiles.PROP_DATASETS, datasets.toString());
        System.setProperty(DatasetFiles.PROP_CACHE_DIR, cache.toString());
    }

    @AfterEach
    void tearDown() {
        restore(DatasetFiles.PROP_DATASETS, savedDatasets);
        restore(DatasetFiles.PROP_CACHE_DIR, savedCache);
        if (server != null) server.stop(0);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Serves CONTENT at /files/tiny.bin and 404 elsewhere; returns the base URL. */
    private String serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (exchange.getRequestURI().getPath().equals("/files/tiny.bin")) {
                exchange.sendResponseHeaders(200, CONTENT.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(CONTENT);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
    }

    /** A URL on which nothing listens: connections are refused. */
    private static String refusedUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/files/tiny.bin";
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void findsAFileInTheDatasetsFolderWithoutTheNetwork() throws IOException {
        Path f = Files.write(datasets.resolve("tiny.bin"), CONTENT);
        assertEquals(f, DatasetFiles.get("tiny.bin", refusedUrl(), SHA));
        assertEquals(f, DatasetFiles.get("tiny.bin", refusedUrl(), MD5));
        assertEquals(f, DatasetFiles.get("tiny.bin", refusedUrl(), null));
        Path sub = Files.createDirectories(datasets.resolve("fashion-mnist")).resolve("tiny.bin");
        Files.write(sub, CONTENT);
        assertEquals(sub, DatasetFiles.get("fashion-mnist", "tiny.bin", refusedUrl(), SHA));
        assertFalse(Files.exists(cache));
    }

    @Test
    void relativeDatasetsFolderIsTakenFromTheWorkingDirectory() throws IOException {
        Path f = Files.write(datasets.resolve("tiny.bin"), CONTENT);
        Path relative = Path.of("").toAbsolutePath().relativize(datasets);
        System.setProperty(DatasetFiles.PROP_DATASETS, relative.toString());
        assertEquals(f, DatasetFiles.get("tiny.bin", refusedUrl(), SHA));
    }

    @Test
    void wrongHashOfALocalFileNamesTheFileAndBothHashes() throws IOException {
        Path f = Files.write(datasets.resolve("tiny.bin"), CONTENT);
        IOException e = assertThrows(IOException.class, () -> DatasetFiles.get("tiny.bin", refusedUrl(), WRONG));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + WRONG), e.getMessage());
        assertTrue(e.getMessage().contains("found " + SHA), e.getMessage());
        assertTrue(Files.exists(f), "a file in the datasets folder is never deleted");
        e = assertThrows(IOException.class, () -> DatasetFiles.verify(f, WRONG));
        assertTrue(e.getMessage().contains(WRONG) && e.getMessage().contains(SHA), e.getMessage());
    }

    @Test
    void findsAFileInTheCache() throws IOException {
        Path f = Files.write(Files.createDirectories(cache).resolve("tiny.bin"), CONTENT);
        assertEquals(f, DatasetFiles.get("tiny.bin", refusedUrl(), SHA));
    }

    @Test
    void downloadsIntoTheCacheThenReusesIt() throws IOException {
        String base = serve();
        Path got = DatasetFiles.get("tiny.bin", base + "tiny.bin", SHA);
        assertEquals(cache.resolve("tiny.bin"), got);
        assertArrayEquals(CONTENT, Files.readAllBytes(got));
        assertEquals(List.of(got), filesUnder(cache), "no temporary file is left");
        assertEquals(1, requests.get());
        assertEquals(got, DatasetFiles.get("tiny.bin", base + "tiny.bin", SHA));
        assertEquals(1, requests.get(), "the second call uses the cached file");

        // Keras's subfolder semantics: cache/fashion-mnist/tiny.bin
        Path sub = DatasetFiles.get("fashion-mnist", "tiny.bin", base + "tiny.bin", SHA);
        assertEquals(cache.resolve("fashion-mnist").resolve("tiny.bin"), sub);
        assertArrayEquals(CONTENT, Files.readAllBytes(sub));
    }

    @Test
    void cachedFileWithWrongHashIsDownloadedAgain() throws IOException {
        Path stale = Files.write(Files.createDirectories(cache).resolve("tiny.bin"), "old".getBytes());
        String base = serve();
        assertEquals(stale, DatasetFiles.get("tiny.bin", base + "tiny.bin", SHA));
        assertArrayEquals(CONTENT, Files.readAllBytes(stale));
        assertEquals(1, requests.get());
    }

    @Test
    void downloadWithWrongHashLeavesNoFile() throws IOException {
        String base = serve();
        IOException e = assertThrows(IOException.class, () -> DatasetFiles.get("tiny.bin", base + "tiny.bin", WRONG));
        assertTrue(e.getMessage().startsWith("tiny.bin: "), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + WRONG + ", found " + SHA), e.getMessage());
        assertEquals(List.of(), filesUnder(cache), "neither the file nor a temporary file remains");
    }

    @Test
    void notFoundAndRefusedGiveOneClearMessage() throws IOException {
        String base = serve();
        for (String url : new String[] {base + "missing.bin", refusedUrl()}) {
            IOException e = assertThrows(IOException.class, () -> DatasetFiles.get("tiny.bin", url, SHA));
            String m = e.getMessage();
            assertTrue(m.startsWith("Cannot get the dataset file tiny.bin: download from " + url + " failed: "), m);
            assertTrue(m.contains(cache.resolve("tiny.bin").toString()), m);
            assertTrue(m.contains("CORNU_DATASETS"), m);
            assertEquals(List.of(), filesUnder(cache), "no temporary file remains");
        }
        IOException e = assertThrows(IOException.class, () -> DatasetFiles.get("tiny.bin", base + "missing.bin", SHA));
        assertTrue(e.getMessage().contains("HTTP status 404"), e.getMessage());
    }

    @Test
    void verifiedHashIsRememberedPerPathSizeAndTime() throws IOException {
        Path f = Files.write(datasets.resolve("tiny.bin"), CONTENT);
        FileTime time = Files.getLastModifiedTime(f);
        DatasetFiles.verify(f, SHA);
        // Same size and modification time: the remembered hash is used, the file is not read again.
        byte[] changed = CONTENT.clone();
        changed[0] ^= 1;
        Files.write(f, changed);
        Files.setLastModifiedTime(f, time);
        DatasetFiles.verify(f, SHA);
        // A new modification time makes it hash the file again, and see the change.
        Files.setLastModifiedTime(f, FileTime.fromMillis(time.toMillis() + 5000));
        assertThrows(IOException.class, () -> DatasetFiles.verify(f, SHA));
    }

    @Test
    void badHashArgumentIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> DatasetFiles.get("tiny.bin", "http://127.0.0.1:9/x", "abc"));
        assertThrows(IllegalArgumentException.class, () -> DatasetFiles.get("tiny.bin", "http://127.0.0.1:9/x", "z".repeat(64)));
    }
}
