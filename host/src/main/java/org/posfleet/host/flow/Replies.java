package org.posfleet.host.flow;

import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.ResponseCode;

/** Replies any request can get: its identifying fields echoed, host time and date, a response code. */
public final class Replies {

    /** Fields a generic reply echoes from its request when present. */
    private static final int[] ECHOED = {2, 3, 4, 11, 25, 41, 42, 49, 60};

    private Replies() {
    }

    /** The reply MTI of a request MTI, or -1 when the message is itself a reply or advice response. */
    public static int replyMti(int requestMti) {
        return requestMti % 20 < 10 ? requestMti + 10 : -1;
    }

    /** A reply to {@code request} with {@code rc}; with {@code mac} true field 64 is announced for the signer. */
    public static IsoMessage to(IsoMessage request, ResponseCode rc, HostContext ctx, boolean mac) {
        IsoMessage.Builder b = IsoMessage.builder(replyMti(request.mti()));
        for (int f : ECHOED) {
            b.copy(request, f);
        }
        b.set(12, ctx.time()).set(13, ctx.date()).set(39, rc.code());
        return mac ? b.withMac().build() : b.build();
    }
}
