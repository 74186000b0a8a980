package org.posfleet.protocol.frame;

import org.posfleet.protocol.iso.IsoMessage;

/** A terminal frame without its 2-byte length: TPDU, header and the ISO 8583 message. */
public record Frame(Tpdu tpdu, Header header, IsoMessage message) {

    /** A reply frame: TPDU swapped, the request's header with the given processing requirement. */
    public Frame reply(IsoMessage replyMessage, int processingRequirement) {
        return new Frame(tpdu.reply(), header.withProcessingRequirement(processingRequirement), replyMessage);
    }
}
