package org.posfleet.host.ledger;

/** A card of the stand-in issuer. The PIN is known only by its verification value. */
public record TestCard(String pan, String expiry, String pvv, int pinTries, long balance, String status) {

    public TestCard withPinTries(int tries) {
        return new TestCard(pan, expiry, pvv, tries, balance, status);
    }
}
