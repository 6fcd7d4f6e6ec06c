package io.idnode.server;

/** The administration scenarios with sessions turned off in the client: one challenge per request (§6.1-6.3). */
class StockClientAdminTest extends StockClientAdminScenarios {
    @Override
    boolean sessions() {
        return false;
    }
}
