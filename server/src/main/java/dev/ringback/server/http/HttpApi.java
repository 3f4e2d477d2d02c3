package dev.ringback.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP server. The event loop only parses and writes; routes (which touch the database) run on
 * a separate executor group so a slow query never stalls other connections.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private static final int FREE_PORT_MIN = 20000;
    private static final int FREE_PORT_MAX = 32000;
    private static final int FREE_PORT_ATTEMPTS = 40;

    private final Channel channel;
    private final EventLoopGroup ownGroup;
    private final EventExecutorGroup ownRoutes;

    public interface Router {
        ApiResponse route(ApiRequest request);
    }

    public static HttpApi start(String host, int port, int maxBodyBytes, Router router) throws InterruptedException {
        var bootstrap = new ServerBootstrap();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventExecutorGroup routes = new DefaultEventExecutorGroup(4);
        bootstrap.group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new JsonRefusingAggregator(maxBodyBytes))
                                .addLast(routes, new RouteHandler(router));
                    }
                });
        try {
            return new HttpApi(port == 0 ? bindFreePort(bootstrap, host) : bootstrap.bind(host, port).sync().channel(), group, routes);
        } catch (Exception e) {
            group.shutdownGracefully();
            routes.shutdownGracefully();
            throw new IllegalStateException("cannot listen for HTTP on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Port 0 means any free port below the kernel's ephemeral range, as for SIP: outgoing connections then
     * never collide with it, and tests running side by side stay apart. The bind itself is the check.
     */
    private static Channel bindFreePort(ServerBootstrap bootstrap, String host) throws InterruptedException {
        Exception last = null;
        for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FREE_PORT_MIN, FREE_PORT_MAX);
            try {
                return bootstrap.bind(host, port).sync().channel();
            } catch (Exception e) {
                if (e instanceof InterruptedException interrupted) throw interrupted;
                last = e;
            }
        }
        throw new IllegalStateException("no free port in " + FREE_PORT_MIN + "-" + FREE_PORT_MAX + " after "
                + FREE_PORT_ATTEMPTS + " attempts", last);
    }

    private HttpApi(Channel channel, EventLoopGroup group, EventExecutorGroup routes) {
        this.channel = channel;
        this.ownGroup = group;
        this.ownRoutes = routes;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        // the I/O loop first: closing the kept-alive connections still runs their handlers on the route executors
        ownGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        ownRoutes.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Netty answers an oversized body with an empty 413; a client gets the reason in JSON, like every other refusal. */
    private static final class JsonRefusingAggregator extends HttpObjectAggregator {
        private final int maxBodyBytes;

        JsonRefusingAggregator(int maxBodyBytes) {
            super(maxBodyBytes);
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            log.info("HTTP request refused: body over {} bytes", maxBodyBytes);
            byte[] body = ("{\"error\":\"body larger than " + maxBodyBytes + " bytes\"}").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    Unpooled.wrappedBuffer(body));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setContentLength(out, body.length);
            var written = ctx.writeAndFlush(out);
            // as Netty's own answer does: a kept-alive connection stays open while the rest of the body is discarded
            // (closing on a client still sending resets the connection and loses the answer)
            if (oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(oversized)) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static final class RouteHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Router router;

        RouteHandler(Router router) {
            this.router = router;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            ApiResponse response;
            if (!req.decoderResult().isSuccess()) {
                response = ApiResponse.json(400, "{\"error\":\"malformed HTTP request\"}");
            } else {
                var decoder = new QueryStringDecoder(req.uri());
                Map<String, String> query = new HashMap<>();
                decoder.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
                Map<String, String> headers = new HashMap<>();
                req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
                var request = new ApiRequest(req.method().name(), decoder.path(), query, headers,
                        ByteBufUtil.getBytes(req.content()));
                try {
                    response = router.route(request);
                } catch (RuntimeException e) {
                    log.error("{} {} failed", request.method(), request.path(), e);
                    response = ApiResponse.json(500, "{\"error\":\"internal error, see the server log\"}");
                }
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            HttpUtil.setContentLength(out, response.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(out, keepAlive);
            var written = ctx.writeAndFlush(out);
            if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("HTTP connection error: {}", cause.toString());
            ctx.close();
        }
    }
}
