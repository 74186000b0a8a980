-- The journal's statistics, sized for what reads the journal: lookups by key (tid, batch, STAN; RRN; id; original),
-- a batch's totals, the admin API's listing. None of these plans changes with finer statistics, so the columns they
-- filter on keep a small sample (a target of 10: ANALYZE samples 300 x the largest target, 3,000 rows instead of
-- 30,000), and the columns nothing filters on keep none at all. Autoanalyze visits a growing journal about once a
-- minute at a few thousand sales a second; with the default targets each visit cost 0.3-0.5 s of CPU and showed in
-- the host's tail (docs/performance.md, run 14); with these it costs a tenth. It also keeps card numbers and replies
-- out of pg_statistic's most-common-value lists.
alter table journal
    alter column id set statistics 10,
    alter column tid set statistics 10,
    alter column mid set statistics 10,
    alter column batch_no set statistics 10,
    alter column stan set statistics 10,
    alter column message_class set statistics 10,
    alter column kind set statistics 10,
    alter column status set statistics 10,
    alter column rrn set statistics 10,
    alter column original_id set statistics 10,
    alter column created_at set statistics 10,
    alter column pan_masked set statistics 0,
    alter column pan set statistics 0,
    alter column amount set statistics 0,
    alter column auth_code set statistics 0,
    alter column response_code set statistics 0,
    alter column balance_delta set statistics 0,
    alter column original_prev_status set statistics 0,
    alter column request_digest set statistics 0,
    alter column reply set statistics 0;
