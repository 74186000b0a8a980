-- Requests refused before any flow looked at them (unknown terminal, no key, no session, bad MAC, expired
-- keys): kept so that every financial request the host answered is on record.
create table refused_message (
    id            bigserial   primary key,
    tid           varchar(8),
    mid           varchar(15),
    mti           smallint    not null,
    stan          integer,
    response_code varchar(2)  not null,
    at            timestamptz not null default now()
);
create index refused_message_tid on refused_message (tid, at);
