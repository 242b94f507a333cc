-- V10: statistics of the time signature as one value.
--
-- Above its count cap a search estimates its total, and the filters the count tables do not cover
-- (time signature among them) are estimated from the planner's statistics. A time signature is
-- two equalities on columns that go together (3/4 implies a denominator of 4): the planner
-- multiplied their shares and put 3/4 at half its files (316 estimated for 696 in the search
-- tests' catalog). The MCV list of the pair knows each signature's share.
--
-- Cost: ANALYZE of files builds it from the same sample (the import's ANALYZE lists both columns).

CREATE STATISTICS files_time_signature (mcv, dependencies) ON time_sig_num, time_sig_den FROM files;

ANALYZE files (time_sig_num, time_sig_den);
