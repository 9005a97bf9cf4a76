package io.cartero.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

    @Test
    void aCutEndsBothSidesAndTheProxyAcceptsAgain() throws Exception {
        try (ServerSocket target = new ServerSocket()) {
            target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (TcpProxy proxy = new TcpProxy(target.getLocalPort());
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                    Socket accepted = target.accept()) {
                client.getOutputStream().write(7);
                assertThat(accepted.getInputStream().read()).isEqualTo(7);

                proxy.cut();

                assertThat(readOrEnd(client.getInputStream())).isEqualTo(-1);
                assertThat(readOrEnd(accepted.getInputStream())).isEqualTo(-1);
                try (Socket again = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                        Socket second = target.accept()) {
                    again.getOutputStream().write(8);
                    assertThat(second.getInputStream().read()).isEqualTo(8);
                }
            }
        }
    }

    private static int readOrEnd(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }
}
