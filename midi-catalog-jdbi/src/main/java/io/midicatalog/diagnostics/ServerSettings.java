package io.midicatalog.diagnostics;

import java.util.Map;
import java.util.Objects;

/**
 * The server settings that matter for the catalog, and the machine they were checked against.
 *
 * @param settings name to value with its unit as PostgreSQL shows it ({@code SHOW})
 * @param machineCores processors of the machine checked against
 * @param machineMemoryBytes physical memory of that machine, -1 when unknown
 * @param sameMachine whether the server runs on the machine checked against (loopback or socket);
 *     when false the figures are the client's and the advice is approximate
 */
public record ServerSettings(String serverVersion, Map<String, String> settings, int machineCores,
                             long machineMemoryBytes, boolean sameMachine, int poolMaxSize) {
    public ServerSettings {
        Objects.requireNonNull(serverVersion, "serverVersion");
        settings = Map.copyOf(settings);
    }
}
