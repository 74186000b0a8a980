-- Room on each page for the updates a row gets after its insert, so that they stay on the row's page as heap-only
-- tuples: no new entry in any of the table's indexes, and a WAL record of the changed bytes only (an update moved to
-- another page logs the whole new row and an entry per index). The journal's rows change once at most (a void, a
-- reversal, a completion marks its original), mostly within seconds of their insert, while their page is the one
-- being filled; a session's row changes every second while its terminal trades (its key uses). Measured in
-- docs/performance.md, run 9. Pages written from now on get the room; a table rewritten (VACUUM FULL) gets it all.
alter table journal set (fillfactor = 85);
alter table terminal_session set (fillfactor = 50);
