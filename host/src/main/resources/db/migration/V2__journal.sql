-- Financial journal, test cards, batches, reversals and e-signatures.

-- the stand-in issuer's cards; the PIN only as a keyed verification value (HMAC under a key derived from the LMK)
create table test_card (
    pan        varchar(19) primary key,
    expiry     char(4)     not null,             -- YYMM
    pvv        text        not null,
    pin_tries  integer     not null default 0,
    balance    bigint      not null check (balance >= 0),
    status     text        not null default 'active' check (status in ('active', 'lost', 'stolen', 'expired')),
    updated_at timestamptz not null default now()
);

create sequence rrn_seq;

-- every financial request and its reply; the reply leaves the host only after this row commits
create table journal (
    id              bigserial   primary key,
    tid             varchar(8)  not null,
    mid             varchar(15) not null,
    batch_no        integer     not null,
    stan            integer     not null,
    message_class   smallint    not null,        -- MTI / 100: 1 authorization, 2 financial, 4 reversal, 8 signature ...
    kind            text        not null,
    pan_masked      text,
    pan             varchar(19),
    amount          bigint,
    rrn             varchar(12),
    auth_code       varchar(6),
    response_code   varchar(2)  not null,
    status          text        not null check (status in ('posted', 'declined', 'voided', 'reversed', 'completed', 'acknowledged')),
    original_id     bigint      references journal (id),
    balance_delta   bigint      not null default 0,   -- what this row did to the card's balance: a reversal undoes it
    original_prev_status text,                        -- the original's status before this row changed it
    request_digest  bytea       not null,
    reply           bytea,
    created_at      timestamptz not null default now(),
    unique (tid, mid, batch_no, stan, message_class)
);
create index journal_rrn on journal (rrn) where rrn is not null;
create index journal_batch on journal (tid, batch_no);

-- a reversal whose original the host never saw: the original, arriving late, is declined and never posted
create table orphan_reversal (
    tid        varchar(8)  not null,
    mid        varchar(15) not null,
    batch_no   integer     not null,
    stan       integer     not null,
    created_at timestamptz not null default now(),
    primary key (tid, mid, batch_no, stan)
);

create table batch (
    tid            varchar(8)  not null,
    batch_no       integer     not null,
    status         text        not null check (status in ('open', 'uploading', 'settled')),
    host_totals    text,
    terminal_totals text,
    balanced       boolean,
    settled_at     timestamptz,
    primary key (tid, batch_no)
);

create table batch_upload_item (
    tid       varchar(8)  not null,
    batch_no  integer     not null,
    stan      integer     not null,
    items     text        not null,
    received  timestamptz not null default now()
);

-- e-signatures: one current per transaction, earlier uploads kept as history
create table signature (
    id          bigserial   primary key,
    journal_id  bigint      not null references journal (id),
    image       bytea       not null,
    slip_data   bytea,
    is_current  boolean     not null,
    uploaded_at timestamptz not null default now()
);
create unique index signature_current on signature (journal_id) where is_current;
