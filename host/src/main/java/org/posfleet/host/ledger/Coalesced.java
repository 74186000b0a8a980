package org.posfleet.host.ledger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Requests for one statement, collected while the event loop runs its current task and sent together as one
 * statement when it ends. The members of a commit group start in the same task and each asks for its reads, then
 * (when those arrive, again in one task) writes its row: so N members cost one statement each time, not N.
 *
 * <p>When the shared statement fails, every request in it fails with {@link SharedStatementFailed}: no one request
 * can be blamed, and the commit group runs those members again one by one to find the culprit.
 *
 * <p>Not thread-safe: used from its event loop only.
 */
final class Coalesced<Q, R> {

    /** The failure of a statement several members shared. */
    static final class SharedStatementFailed extends RuntimeException {
        SharedStatementFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final Context context;
    private final Function<List<Q>, Future<List<R>>> statement;
    private List<Q> requests = new ArrayList<>();
    private List<Promise<R>> waiting = new ArrayList<>();

    /** @param statement one statement for all requests, answering them in their order */
    Coalesced(Context context, Function<List<Q>, Future<List<R>>> statement) {
        this.context = context;
        this.statement = statement;
    }

    Future<R> add(Q request) {
        if (requests.isEmpty()) {
            context.runOnContext(v -> send());
        }
        Promise<R> p = Promise.promise();
        requests.add(request);
        waiting.add(p);
        return p.future();
    }

    private void send() {
        List<Q> sent = requests;
        List<Promise<R>> answers = waiting;
        requests = new ArrayList<>();
        waiting = new ArrayList<>();
        Future<List<R>> result;
        try {
            result = statement.apply(sent);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            for (int i = 0; i < answers.size(); i++) {
                if (ar.failed()) {
                    answers.get(i).fail(sent.size() == 1 ? ar.cause() : new SharedStatementFailed(ar.cause()));
                } else {
                    answers.get(i).complete(ar.result().get(i));
                }
            }
        });
    }
}
