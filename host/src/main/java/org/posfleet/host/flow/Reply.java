package org.posfleet.host.flow;

import org.posfleet.protocol.frame.Header;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.MacSigner;

/**
 * What a flow answers: the reply message, the signer for field 64 (null when the reply carries no MAC) and
 * the processing requirement for the reply header (3 asks the terminal to sign on again).
 */
public record Reply(IsoMessage message, MacSigner signer, int processingRequirement) {

    public static Reply of(IsoMessage message) {
        return new Reply(message, null, Header.PR_NONE);
    }

    public static Reply signOnAgain(IsoMessage message, MacSigner signer) {
        return new Reply(message, signer, Header.PR_SIGN_ON_AGAIN);
    }
}
