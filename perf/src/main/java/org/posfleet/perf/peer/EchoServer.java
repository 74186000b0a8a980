package org.posfleet.perf.peer;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.parsetools.RecordParser;

/**
 * The machine's limit for the end-to-end benchmark: a bare echo server over the same framing as the host (a
 * 2-byte big-endian length, then the body) that sends every frame back as it came, without decoding it. It uses
 * the same network stack as the host (Vert.x, the same number of event loops), so the difference between the
 * two is what the host does with a message.
 *
 * <pre>java -cp perf/target/benchmarks.jar org.posfleet.perf.peer.EchoServer PORT [INSTANCES]</pre>
 */
public final class EchoServer extends AbstractVerticle {

    private final int port;

    EchoServer(int port) {
        this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true)).connectHandler(socket -> {
            RecordParser frames = RecordParser.newFixed(2);
            boolean[] body = {false};
            Buffer[] length = {null};
            frames.handler(part -> {
                if (!body[0]) {
                    int n = part.getUnsignedShort(0);
                    if (n == 0) {
                        socket.close();
                        return;
                    }
                    length[0] = part.copy();
                    body[0] = true;
                    frames.fixedSizeMode(n);
                } else {
                    socket.write(Buffer.buffer(2 + part.length()).appendBuffer(length[0]).appendBuffer(part));
                    body[0] = false;
                    frames.fixedSizeMode(2);
                }
            });
            socket.handler(frames);
        }).listen(port, "127.0.0.1").onComplete(ar -> {
            if (ar.succeeded()) {
                started.complete();
            } else {
                started.fail(ar.cause());
            }
        });
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        // the machine's limit: on the same sockets as the host (epoll where it loads)
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        vertx.deployVerticle(() -> new EchoServer(port), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("echo server on 127.0.0.1:" + port + ", " + instances + " event loops, sockets: "
                + org.posfleet.host.HostApp.transport(vertx, true));
    }
}
