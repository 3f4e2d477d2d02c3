package dev.ringback.sip.tls;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The sockets of one agent's JAIN-SIP stack, TLS ones made from the agent's own SSL context (JAIN-SIP's default network
 * layer would use the JVM-wide default context). Client sockets check the server's name when the settings ask.
 */
final class TlsNetworkLayer implements NetworkLayer {
    /** JAIN-SIP's own connect timeout for TLS; a handshake then has the socket's default. */
    private static final int CONNECT_TIMEOUT_MS = 8000;

    private final TlsMaterial material;

    TlsNetworkLayer(TlsMaterial material) {
        this.material = material;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new ServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return (SSLServerSocket) material.context().getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return new Socket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return new Socket(address, port, myAddress, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return new Socket(address, port, myAddress, myPort);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        SSLSocket socket = (SSLSocket) material.context().getSocketFactory().createSocket();
        if (material.verifyHostname()) {
            SSLParameters parameters = socket.getSSLParameters();
            // the name (or IP address) we connect to must be in the certificate, as for HTTPS
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
        }
        if (myAddress != null) socket.bind(new InetSocketAddress(myAddress, 0));
        try {
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return new DatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        if (bindAddress.isMulticastAddress()) {
            try {
                MulticastSocket socket = new MulticastSocket(port);
                socket.joinGroup(bindAddress);
                return socket;
            } catch (IOException e) {
                throw new SocketException(e.getLocalizedMessage());
            }
        }
        return new DatagramSocket(port, bindAddress);
    }

    @Override
    public void setSipStack(SipStackImpl sipStack) {
        // nothing to take from the stack
    }
}
