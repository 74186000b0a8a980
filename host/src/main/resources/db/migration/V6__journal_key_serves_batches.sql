-- Every journal row is written with one index entry fewer: the exactly-once key is reordered to start with
-- (tid, batch_no), so that it also serves what journal_batch served (a batch's totals, its upload), and
-- journal_batch goes. Lookups by the full key (duplicate checks, originals) use it as before.
alter table journal drop constraint journal_tid_mid_batch_no_stan_message_class_key;
alter table journal add constraint journal_key unique (tid, batch_no, stan, message_class, mid);
drop index journal_batch;
