-- Helpers the ClickHouse models call, expanded as text by the runner (ClickHouse 18.16 has no
-- user functions): `name(a, b) := expression`, one per paragraph ending with a line holding only ';'.
-- The same meanings as ../../models/macros.sql, written for ClickHouse: `if` evaluates both branches,
-- so a division is guarded on both sides.

-- Money divided by a count, rounded to the fen (0.01 yuan) half away from zero, in integers: the
-- amount in fen (exact, the money is DECIMAL(…, 2)), then (2·|n| + den) div (2·den). ClickHouse's
-- decimal division truncates, so the fen rule is applied here. Null when the amount is null or the
-- count 0 or null.
money_div(num, den) :=
  if(isNull(num) or ifNull(toFloat64(den), 0) = 0, NULL,
     toDecimal64(
       if(toInt64(assumeNotNull(num) * 100) < 0, -1, 1)
       * toInt64(intDiv(toUInt64(abs(toInt64(assumeNotNull(num) * 100))) * 2 + greatest(toUInt64(assumeNotNull(den)), 1),
                        2 * greatest(toUInt64(assumeNotNull(den)), 1))),
       2) / 100)
;
-- A plain fraction, in Float64; null when the denominator is 0 or null.
ratio(num, den) :=
  if(ifNull(toFloat64(den), 0) = 0, NULL, toFloat64(num) / toFloat64(den))
;
-- The last day of a date's month.
last_day(d) :=
  addDays(addMonths(toStartOfMonth(d), 1), -1)
;
-- The one bit of a service in a customer's set of active services.
service_bit(service) :=
  multiIf(service = 'mobile', 1, service = 'fixed_voice', 2, service = 'broadband', 4, service = 'iptv', 8, 16)
;
-- The one bit of a customer group in a customer's set of segments.
segment_bit(segment) :=
  multiIf(segment = 'personal', 1, segment = 'household', 2, segment = 'enterprise', 4, 8)
;
-- The number of bits set in a set of services (five bits at most).
bit_count(x) :=
  (bitAnd(x, 1) + bitAnd(bitShiftRight(x, 1), 1) + bitAnd(bitShiftRight(x, 2), 1) + bitAnd(bitShiftRight(x, 3), 1) + bitAnd(bitShiftRight(x, 4), 1))
;
-- Twice a region's average subscriptions for ARPU: end of p plus end of p-1, or twice p when p-1
-- has no subscriber slice (previous is null).
twice_average(active, previous) :=
  (active + ifNull(previous, active))
;
-- ARPU: revenue over the average subscriptions, given doubled (twice_average).
arpu(revenue, doubled_average) :=
  money_div(revenue * 2, doubled_average)
;
-- One code's figure out of the rows of a breakdown (a pivot): its value, null when it is null.
-- ClickHouse's maxIf gives 0, not null, when the rows it keeps hold only nulls.
pick(x, cond) :=
  if(countIf((cond) AND isNotNull(x)) = 0, NULL, maxIf(x, cond))
;
-- A customer's set of bits (int_customers), OR-ed over its rows: bits 0–4 its services
-- (service_bit), 5–8 its segments (segment_bit), 9–12 the segments it is converged in, 13 "has an
-- active subscription". The bits of one active subscription's row:
subscription_bits(service, segment, is_converged) :=
  toUInt16(service_bit(service) + 32 * segment_bit(segment) + if(is_converged, 512 * segment_bit(segment), 0) + 8192)
;
-- Out of a customer's bits: whether it has an active subscription,
has_active(bits) :=
  bitAnd(bits, 8192) <> 0
;
-- its services (service_bit),
services_of(bits) :=
  bitAnd(bits, 31)
;
-- its segments (segment_bit),
segments_of(bits) :=
  bitAnd(bitShiftRight(bits, 5), 15)
;
-- the segments it is converged in.
converged_segments_of(bits) :=
  bitAnd(bitShiftRight(bits, 9), 15)
