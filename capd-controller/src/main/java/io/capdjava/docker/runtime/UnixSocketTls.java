package io.capdjava.docker.runtime;

import com.github.dockerjava.transport.SSLConfig;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context docker-java's transport gets for an engine on a unix socket, where TLS never runs. Given none, the
 * transport takes the JDK's default context, whose making parses the JDK's whole CA bundle (about 140 certificates,
 * a tenth of the provider process's start-up on its main thread) for a connection that never uses it. This context
 * trusts no server: were TLS ever attempted with it, the handshake would be refused.
 */
final class UnixSocketTls implements SSLConfig {
  static final UnixSocketTls INSTANCE = new UnixSocketTls();

  private UnixSocketTls() {}

  @Override
  public SSLContext getSSLContext() throws KeyManagementException, NoSuchAlgorithmException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[0], new TrustManager[] {new TrustingNoServer()}, null);
    return context;
  }

  private static final class TrustingNoServer implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("no TLS on the Docker engine's unix socket");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("no TLS on the Docker engine's unix socket");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
