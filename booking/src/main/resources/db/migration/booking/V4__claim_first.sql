-- A hold claims its units as the first statement of its one transaction, before its reservation
-- row exists (a rush's racing loser then waits on the winner's commit and gives up having written
-- nothing else). The reservation follows in the same transaction, so the claim's reference to it
-- is checked at commit. The primary key on unit_id still decides who gets a unit.
ALTER TABLE booking_claim
  ALTER CONSTRAINT booking_claim_reservation_id_fkey DEFERRABLE INITIALLY DEFERRED;
