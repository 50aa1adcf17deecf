-- The dishonest-judgment-debtors list (cn-judgment-defaulters), both rule versions, written by
-- hand in DuckDB SQL over the batch input tables: the yardstick of the compiled plan.
-- $as_of is replaced by the date asked about. Parameters (2017-05-01 on): listing 2 years,
-- extension capped at max_extension_years, adults from 18.
WITH h AS (
  SELECT record_id,
         arg_min("date", seq) FILTER (WHERE status = 'performed') AS performed_on,
         arg_min("date", seq) FILTER (WHERE status = 'revoked') AS revoked_on,
         arg_min("date", seq) FILTER (WHERE status = 'corrected') AS corrected_on
  FROM record_status WHERE "date" <= DATE '$as_of' GROUP BY record_id
),
c AS (
  SELECT r.*, h.performed_on, h.revoked_on, h.corrected_on, s.kind, s.birth_date
  FROM rec_court__enforcement_case r JOIN subjects s ON s.id = r.subject
  LEFT JOIN h ON h.record_id = r.id
  WHERE r.decided_on <= DATE '$as_of'
),
v2013 AS (
  SELECT subject, id AS record_id, decided_on AS starts, NULL::DATE AS planned_end,
         least(performed_on, CASE WHEN settlement_performed_on <= DATE '$as_of'
                                  THEN settlement_performed_on END,
               revoked_on, corrected_on) AS removed_on
  FROM c
  WHERE decided_on >= DATE '2013-10-01' AND decided_on < DATE '2017-05-01'
    AND coalesce(has_ability, ground = 'refuses_with_ability')
),
v2017 AS (
  SELECT subject, id AS record_id, decided_on AS starts,
         CASE WHEN ground = 'refuses_with_ability' THEN NULL
              WHEN aggravated AND extension_years >= 1
              THEN (decided_on + to_years(2) + to_years(least(extension_years, $max_ext)::INT))::DATE
              ELSE (decided_on + INTERVAL 2 YEAR)::DATE END AS planned_end,
         CASE WHEN ground = 'refuses_with_ability' THEN performed_on END AS removed_on
  FROM c
  WHERE decided_on >= DATE '2017-05-01'
    AND NOT (ground = 'refuses_with_ability' AND (security_sufficient OR seized_assets_sufficient
             OR later_in_order OR coalesce(other_not_able_to_perform, FALSE)))
    AND NOT (kind = 'person' AND year(decided_on) - year(birth_date)
             - (month(decided_on) * 100 + day(decided_on) < month(birth_date) * 100 + day(birth_date))::INT < 18)
    AND NOT coalesce(campus_loan_student AND decided_on >= DATE '2019-12-16', FALSE)
)
SELECT * FROM v2013 UNION ALL SELECT * FROM v2017
