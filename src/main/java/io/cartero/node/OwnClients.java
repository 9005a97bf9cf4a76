package io.cartero.node;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** How the clients a node starts itself (the operator's simulated ones) reach that node. */
final class OwnClients {
    private OwnClients() {
    }

    /**
     * The HTTP client of the node's own simulated clients: under TLS it trusts exactly the
     * node's certificate (they connect to it on loopback, a name its certificate need not hold).
     */
    static HttpClient http(NodeSettings settings) {
        if (!settings.secure()) {
            return HttpClient.newHttpClient();
        }
        X509Certificate own = settings.tls().certificate();
        X509ExtendedTrustManager onlyOwn = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                    throws CertificateException {
                if (chain == null || chain.length == 0 || !chain[0].equals(own)) {
                    throw new CertificateException("not this node's own certificate");
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType,
                    Socket socket) throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType,
                    SSLEngine engine) throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                    throws CertificateException {
                throw new CertificateException("a client of the node trusts no client");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType,
                    Socket socket) throws CertificateException {
                checkClientTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType,
                    SSLEngine engine) throws CertificateException {
                checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[] {own};
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {onlyOwn}, null);
            return HttpClient.newBuilder().sslContext(context).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available to the node's own clients", e);
        }
    }
}
