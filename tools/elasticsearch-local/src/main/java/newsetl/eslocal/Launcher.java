package newsetl.eslocal;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.transport.TransportAddress;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathPluginNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Elasticsearch node in this JVM until the process is told to stop (SIGTERM / SIGINT).
 *
 * Usage: java -cp 'target/es-local.jar:target/lib/*' newsetl.eslocal.Launcher --home DIR --url-file FILE
 *        [-Ekey=value ...]
 *
 * --home      path.home (also holds data/ and logs/ unless -Epath.data / -Epath.logs say otherwise)
 * --url-file  written (atomically) with "http://host:port" once the node has started and bound its HTTP port
 * --watch-pid stop the node when the process with this id ends (optional)
 * -Ekey=value any node setting, applied over the defaults below (same syntax as the real server's command line)
 *
 * Defaults: single-node discovery, HTTP and transport bound to 127.0.0.1 on free ports, disk watermarks off.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path urlFile = null;
        long watchPid = 0;
        Settings.Builder overrides = Settings.builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--home") && i + 1 < args.length) {
                home = Path.of(args[++i]).toAbsolutePath();
            } else if (arg.equals("--url-file") && i + 1 < args.length) {
                urlFile = Path.of(args[++i]).toAbsolutePath();
            } else if (arg.equals("--watch-pid") && i + 1 < args.length) {
                watchPid = Long.parseLong(args[++i]);
            } else if (arg.startsWith("-E") && arg.indexOf('=') > 2) {
                int eq = arg.indexOf('=');
                overrides.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                System.err.println("es-local launcher: unknown argument " + arg);
                System.exit(2);
            }
        }
        if (home == null || urlFile == null) {
            System.err.println("es-local launcher: --home DIR and --url-file FILE are required");
            System.exit(2);
        }

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "newsetl-local")
            .put("node.name", "newsetl-local-node")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", "0")
            .put("transport.port", "0")
            // the disk may be nearly full on dev machines; never turn indices read-only because of it
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put(overrides.build())
            .build();

        Path config = home.resolve("config");
        Files.createDirectories(config);
        Path logConfig = config.resolve("log4j2.properties");
        if (Files.notExists(logConfig)) {
            try (InputStream in = Launcher.class.getResourceAsStream("log4j2.properties")) {
                Files.copy(in, logConfig);
            }
        }
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "newsetl-local-node");
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
        // the server's own logging set-up: reads config/log4j2.properties and wires the server's logging SPI
        LogConfigurator.configure(environment, true);
        Node node;
        try {
            node = new ClasspathPluginNode(environment, List.of(Netty4Plugin.class, RootInfoPlugin.class));
        } catch (Exception | Error e) {
            fatal("could not create the node", e);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("es-local launcher: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "es-local-shutdown"));

        String url;
        try {
            node.start();
            TransportAddress http = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
            url = "http://" + http.address().getHostString() + ":" + http.address().getPort();
        } catch (Exception | Error e) {
            // the node's threads are not daemons: without an explicit exit a failed start would hang forever
            fatal("could not start the node", e);
            return;
        }
        if (watchPid > 0) {
            // stop with the process that asked for this node (e.g. a test run killed without its clean-up)
            ProcessHandle.of(watchPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
        }
        Path tmp = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
        Files.writeString(tmp, url + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, urlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("es-local launcher: node started, HTTP at " + url);
        stopped.await();
    }

    private static void fatal(String what, Throwable e) {
        System.err.println("es-local launcher: " + what + ": " + e);
        e.printStackTrace();
        System.exit(1);  // runs the shutdown hook, which closes whatever part of the node exists
    }
}
