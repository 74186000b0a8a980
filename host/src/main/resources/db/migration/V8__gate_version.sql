-- One number per terminal that changes whenever anything the gate decides on changes: the terminal (merchant,
-- device, status, batch), its merchant's status, its TMK, its session's key version. A posting admitted on the
-- gate's cached row then confirms that row in its transaction by this number alone, one index lookup instead of
-- four (docs/performance.md, run 11). Triggers keep it, so no writer (the host, the admin API, an operator's SQL)
-- can change the gate's inputs without it.
alter table terminal add column gate_version bigint not null default 0;

create function terminal_gate_changed() returns trigger language plpgsql as $$
begin
    if (new.mid, new.device_serial, new.status, new.batch_no) is distinct from (old.mid, old.device_serial, old.status, old.batch_no) then
        new.gate_version := old.gate_version + 1;
    end if;
    return new;
end $$;
create trigger terminal_gate_changed before update on terminal
    for each row execute function terminal_gate_changed();

create function merchant_gate_changed() returns trigger language plpgsql as $$
begin
    update terminal set gate_version = gate_version + 1 where mid = new.mid;
    return null;
end $$;
create trigger merchant_gate_changed after update of status on merchant
    for each row when (old.status is distinct from new.status) execute function merchant_gate_changed();

-- a TMK or session row added, removed or given new keys: its terminal's gate changed
create function key_gate_changed() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        update terminal set gate_version = gate_version + 1 where tid = old.tid;
    end if;
    if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.tid <> old.tid) then
        update terminal set gate_version = gate_version + 1 where tid = new.tid;
    end if;
    return null;
end $$;
create trigger tmk_gate_changed after insert or update or delete on terminal_tmk
    for each row execute function key_gate_changed();
create trigger session_gate_changed after insert or delete on terminal_session
    for each row execute function key_gate_changed();
-- the counts of key uses, written every second, leave the gate as it was
create trigger session_keys_changed after update on terminal_session
    for each row when (old.key_version is distinct from new.key_version or old.tid is distinct from new.tid)
    execute function key_gate_changed();
