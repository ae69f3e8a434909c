package io.samplingbroker.serviceruntime.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The TLS context of an HTTPS management port, from a PKCS12 key store. */
final class ManagementTls {

    private ManagementTls() {
    }

    static SSLContext context(ManagementSettings.Tls tls) {
        char[] password = tls.password().toCharArray();
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Cannot read management.tls.keystore " + tls.keystore()
                    + " (wrong password, or not PKCS12?): " + e.getMessage(), e));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("management.tls.keystore " + tls.keystore() + " holds no usable key: "
                    + e.getMessage(), e);
        }
    }
}
