-- Terminal registry, keys and sessions. Keys are stored only as TR-31 key blocks under the host master key
-- (LMK); check values may be stored and shown, clear keys never.

create table host_setting (
    name  text primary key,
    value text not null
);

create table merchant (
    mid        varchar(15) primary key,
    name       text        not null,
    status     text        not null default 'active' check (status in ('active', 'disabled')),
    created_at timestamptz not null default now()
);

create table terminal (
    tid           varchar(8)  primary key,
    mid           varchar(15) not null references merchant (mid),
    device_serial text,
    status        text        not null default 'active' check (status in ('active', 'disabled')),
    batch_no      integer     not null default 1 check (batch_no between 1 and 999999),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
-- a device serves one terminal at a time
create unique index terminal_device_serial on terminal (device_serial) where device_serial is not null;

-- serial numbers of unbound (broken, lost) devices: rejected from then on
create table revoked_device (
    device_serial text        primary key,
    tid           varchar(8)  not null,
    reason        text        not null,
    revoked_at    timestamptz not null default now()
);

-- every lifecycle step of a terminal: registration, bind, unbind, key load, sign-on ...
create table terminal_event (
    id     bigserial   primary key,
    tid    varchar(8)  not null,
    event  text        not null,
    detail text        not null default '',
    at     timestamptz not null default now()
);
create index terminal_event_tid on terminal_event (tid, at);

create table operator (
    tid             varchar(8)  not null references terminal (tid),
    operator_no     smallint    not null check (operator_no between 0 and 999),
    role            text        not null default 'operator' check (role in ('operator', 'supervisor')),
    password_hash   text        not null,
    failed_attempts integer     not null default 0,
    locked_at       timestamptz,
    updated_at      timestamptz not null default now(),
    primary key (tid, operator_no)
);

-- the terminal master key; 'pending' while a remote download awaits the terminal's confirmation
create table terminal_tmk (
    tid         varchar(8)  not null references terminal (tid),
    state       text        not null check (state in ('active', 'pending')),
    key_block   text        not null,
    check_value varchar(16) not null,
    suite       text        not null check (suite in ('TDES', 'SM4')),
    source      text        not null check (source in ('ceremony', 'remote')),
    created_at  timestamptz not null default now(),
    primary key (tid, state)
);

-- the working keys of the current sign-on
create table terminal_session (
    tid          varchar(8)  primary key references terminal (tid),
    key_version  bigint      not null,
    sign_on_code smallint    not null,
    operator_no  smallint    not null,
    pik_block    text        not null,
    mak_block    text        not null,
    tdk_block    text,
    issued_at    timestamptz not null default now(),
    uses         bigint      not null default 0
);
create sequence key_version_seq;
