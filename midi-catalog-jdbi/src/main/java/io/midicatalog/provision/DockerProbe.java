package io.midicatalog.provision;

/** Asks Testcontainers whether a Docker daemon answers, without needing it on the class path. */
final class DockerProbe {
    private DockerProbe() {}

    static boolean dockerAvailable() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, DockerProbe.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        try {
            return ContainerServer.dockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
