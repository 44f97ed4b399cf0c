-- 013-reports.sql: what the console's reports count (issue 15, lib/reports/).
--
-- The journal knows a job's money, the delivery log its owner and printer, but nothing knew what
-- a printed job was on paper. The release writes it on the delivery row (DeliveryLog::release:
-- the held job's pages and the price calculation's sheets, on the printer it is released to):
-- printed pages (impressions, copies included), of them in colour, sheets of paper, and whether
-- it was printed two-sided. Rows written before this migration keep 0: a report counts their
-- money and their job, with 0 pages.
ALTER TABLE deliveries ADD COLUMN pages INTEGER NOT NULL DEFAULT 0 CHECK (pages >= 0);
ALTER TABLE deliveries ADD COLUMN color_pages INTEGER NOT NULL DEFAULT 0
  CHECK (color_pages >= 0 AND color_pages <= pages);
ALTER TABLE deliveries ADD COLUMN sheets INTEGER NOT NULL DEFAULT 0 CHECK (sheets >= 0);
ALTER TABLE deliveries ADD COLUMN duplex INTEGER NOT NULL DEFAULT 0 CHECK (duplex IN (0, 1));

-- A report reads the captures and refunds of a period (a year of a busy site: hundreds of
-- thousands of entries) in time order, without touching the reserves and voids between them,
-- and from the index alone (it holds every column a report reads of an entry).
CREATE INDEX IF NOT EXISTS journal_charges_by_time
  ON journal(created_at, kind, amount, account_id, reservation_id)
  WHERE kind IN ('capture', 'refund');
-- A ratio split's shares are captured under their own reservations: a report finds the share's
-- job (and its delivery row) from the reservation.
CREATE INDEX split_shares_by_reservation ON split_shares(reservation_id)
  WHERE reservation_id IS NOT NULL;
