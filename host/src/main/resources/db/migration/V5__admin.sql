-- Admin API: tokens (only their SHA-256 is stored) and the audit log of every change.
create table admin_token (
    name        text        primary key,
    token_hash  text        not null unique,
    role        text        not null check (role in ('read', 'admin')),
    created_at  timestamptz not null default now()
);

create table audit_log (
    id      bigserial   primary key,
    at      timestamptz not null default now(),
    actor   text        not null,
    action  text        not null,
    target  text        not null,
    before  text,
    after   text
);
create index audit_log_target on audit_log (target, at);
