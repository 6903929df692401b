-- The planner asked to stop the attempt (io.stepwise.step.cancel-requested), and why: whoever runs it stops at the
-- next safe poll; one that had not started never starts.
alter table step_execution add column cancel_reason text;
-- Set while the attempt is inside an operation that must not stop halfway (a StatefulSet deleted and not yet created
-- again): an executor taking over a cancelled attempt finishes that operation before it stops.
alter table step_execution add column critical varchar(200);
-- Why a failed attempt failed, for programs (StepStatus.errorCode: PRECONDITION_FAILED, CANCELLED).
alter table step_execution add column error_code varchar(32);
-- A cancel that arrives before its request leaves a FAILED row without the request.
alter table step_execution alter column request drop not null;
alter table step_execution alter column kind drop not null;
