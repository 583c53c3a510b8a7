package io.github.jcacheredis.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.redisson.config.BaseConfig;
import org.redisson.config.SslVerificationMode;

/**
 * How to open a connection of the provider's own to one Redis node, with the credentials and TLS
 * settings of the manager's Redisson config: for the tracking connections, which Redisson's
 * connection pools cannot serve (they hold a client-side state Redis keeps per connection).
 */
record TrackingEndpoint(InetSocketAddress address, boolean tls, String username, String password,
                        BaseConfig<?> servers) {

    @Override
    public String toString() {
        return address.getHostString() + ":" + address.getPort();
    }

    Socket connect(int timeoutMillis) throws IOException {
        if (!tls) {
            Socket socket = new Socket();
            socket.connect(address, timeoutMillis);
            return socket;
        }
        try {
            SSLSocket socket = (SSLSocket) sslContext().getSocketFactory()
                    .createSocket(address.getHostString(), address.getPort());
            if (servers.getSslVerificationMode() == SslVerificationMode.STRICT) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            if (servers.getSslProtocols() != null) {
                socket.setEnabledProtocols(servers.getSslProtocols());
            }
            socket.setSoTimeout(timeoutMillis);
            socket.startHandshake();
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS to " + this + ": " + e.getMessage(), e);
        }
    }

    private SSLContext sslContext() throws GeneralSecurityException, IOException {
        TrustManagerFactory trust = servers.getSslTrustManagerFactory();
        if (trust == null && servers.getSslTruststore() != null) {
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(servers.getSslTruststore(), servers.getSslTruststorePassword()));
        }
        KeyManagerFactory keys = servers.getSslKeyManagerFactory();
        if (keys == null && servers.getSslKeystore() != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            char[] password = servers.getSslKeystorePassword() == null ? null : servers.getSslKeystorePassword().toCharArray();
            keys.init(load(servers.getSslKeystore(), servers.getSslKeystorePassword()), password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(URL url, String password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = url.openStream()) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
