package io.github.jcacheredis.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Ports for test servers stay out of the kernel's ephemeral range, where an outgoing connection
 * may take them (or connect to itself on them) between the pick and the server's bind.
 */
class FreePortsUnitTests {

    @Test
    void aServerPortAndItsClusterBusPortAreBelowTheEphemeralRange() {
        int ephemeralStart = FreePorts.ephemeralStart();
        for (int pick = 0; pick < 500; pick++) {
            int port = FreePorts.next();
            assertTrue(port >= FreePorts.LOWEST, port + " is among the well-known services' ports");
            assertTrue(port + FreePorts.BUS_OFFSET < ephemeralStart,
                    "bus port " + (port + FreePorts.BUS_OFFSET) + " is in the ephemeral range from " + ephemeralStart);
        }
    }
}
