"""Typed errors of the purchasing domain.

Each error carries a `key` (the name of the template under `messages/<lang>/errors/` that
explains it to a person) and `params` for that template. No sentences live here.

The params each error is raised with are listed in its docstring; the templates rely on them.
"""

from __future__ import annotations

from typing import ClassVar


class ExplainedError(Exception):
    """The one base of every error a person is told about, in any layer: `key` names the
    template errors/<key>.j2 that explains it, `params` fill that template. Whoever catches
    it renders that template; nobody picks a message by checking first."""

    key: ClassVar[str] = "internal"

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.key} {params}")
        self.params: dict[str, object] = params


class PurchasingError(ExplainedError):
    """Base of every domain error; its own template is a generic fallback (no params)."""

    key = "purchasing_error"


class RoundNotOpen(PurchasingError):
    """Params: round_name (str), status (RoundStatus value), closes_at (aware datetime;
    when orders stopped, `Round.orders_ended_at`: the deadline, or an earlier close)."""

    key = "round_not_open"


class DeadlinePassed(PurchasingError):
    """Params: round_name (str), closes_at (aware datetime)."""

    key = "deadline_passed"


class RoundClosing(PurchasingError):
    """Params: round_name (str), closing_since (aware datetime)."""

    key = "round_closing"


class ClosingNotExtended(PurchasingError):
    """Staff asked to extend a round they are closing. Params: round_name, closing_since."""

    key = "closing_not_extended"


class ClosingNotCancelled(PurchasingError):
    """Staff asked to cancel a round whose close may still be running (`close_underway`).
    Params: round_name, closing_since."""

    key = "closing_not_cancelled"


class InvalidTransition(PurchasingError):
    """Params: from_status, to_status (RoundStatus values)."""

    key = "invalid_transition"


class QuantityInvalid(PurchasingError):
    """Negative, fractional, non-numeric or absurdly large.

    Params: raw (str, what was typed, shortened), max_quantity (int).
    """

    key = "quantity_invalid"


class OverCoopMaximum(PurchasingError):
    """Params: product_code, name, unit (str), quantity, maximum (int)."""

    key = "over_coop_maximum"


class UnknownProduct(PurchasingError):
    """Params: product_code (str)."""

    key = "unknown_product"


class ProductNotInRound(PurchasingError):
    """Params: product_code, round_name (str), round_id (int)."""

    key = "product_not_in_round"


class UnknownCoop(PurchasingError):
    """Params: coop_code (str); or_supplier (bool, optional): the code may name a supplier too
    (`/undang`, `/pengurus`, `/tagihan KODE`), and neither has it."""

    key = "unknown_coop"


class InvalidTiers(PurchasingError):
    """Params: reason (one of TIER_PROBLEMS), min_total (int, the tier at fault; 0 if none).

    Whoever knows the product adds product_code (str) with `for_product`.
    """

    key = "invalid_tiers"

    def for_product(self, product_code: str) -> InvalidTiers:
        return InvalidTiers(**self.params, product_code=product_code)


TIER_PROBLEMS = (
    "empty",
    "first_below_one",
    "duplicate_min_total",
    "price_not_positive",
    "price_rises",
)


class OpenAfterDeadline(DeadlinePassed):
    """A round cannot open once its deadline has passed. Params: round_name, closes_at."""

    key = "open_after_deadline"


class DeadlineNotReached(PurchasingError):
    """Closing before the deadline without force. Params: round_name (str), closes_at."""

    key = "deadline_not_reached"


class DeadlineNotLater(PurchasingError):
    """A new deadline must be later. Params: round_name, closes_at, new_closes_at."""

    key = "deadline_not_later"


class RoundEmpty(PurchasingError):
    """A round without products cannot open. Params: round_name (str)."""

    key = "round_empty"


class UnitMismatch(PurchasingError):
    """An order line names another unit. Params: product_code, unit_given, unit (str)."""

    key = "unit_mismatch"


class TooManyLines(PurchasingError):
    """An order message is too long. Params: max_lines, max_chars (int)."""

    key = "order_too_long"


class LineNotUnderstood(PurchasingError):
    """An order line is not `KODE JUMLAH`. Params: raw (str, shortened)."""

    key = "order_line_invalid"


class DuplicateLine(PurchasingError):
    """A product appears twice in one order message. Params: product_code, first_line_no."""

    key = "order_line_duplicate"


class DeadlineBeforeOpening(PurchasingError):
    """A round's deadline must come after its opening time.

    Params: round_name (str), opens_at, closes_at (aware datetimes)."""

    key = "deadline_before_opening"


class ExtendHoursInvalid(PurchasingError):
    """A plan's one MOQ extension is out of bounds: a round extended when a product is below
    its MOQ (`MoqPolicy.EXTEND`) needs 1 to `purchasing.rounds.MAX_EXTEND_HOURS` hours; one
    that drops such products (`MoqPolicy.DROP`) takes no hours at all.

    Params: round_name (str), hours (int, as asked), policy (MoqPolicy value), minimum,
    maximum (int, the hours allowed with EXTEND)."""

    key = "extend_hours_invalid"


class AnotherRoundOpen(PurchasingError):
    """One round is open at a time (treasurers see "this round's catalog"): another cannot
    open until it closes or is cancelled. Params: round_id (int), round_name (str),
    closes_at (datetime) of the round that is open."""

    key = "another_round_open"


class DraftNeverOpens(PurchasingError):
    """A draft whose deadline is not after the open round's: it would wait for that round to
    close and never open. Params: round_name (str), closes_at (datetime) of the draft;
    open_round_id (int), open_round_name (str), open_closes_at (datetime) of the open round."""

    key = "draft_never_opens"


class CoopRetired(PurchasingError):
    """The coop was retired (`storage.catalog.retirement.retire_coops`): nobody orders for it
    and no invite for it is made or redeemed until it is restored. Params: coop_code (str)."""

    key = "coop_retired"


class InviteExpired(PurchasingError):
    """Params: coop_code (str), expires_at (aware datetime)."""

    key = "invite_expired"


class InviteUsedUp(PurchasingError):
    """Params: coop_code (str), max_uses (int)."""

    key = "invite_used_up"


class AdminUnknown(PurchasingError):
    """Naming someone who is not an admin. Params: admin (str, as typed, shortened),
    admins (list of purchasing.model.Admin)."""

    key = "admin_unknown"


class LastAdmin(PurchasingError):
    """There is always at least one admin. Params: admin (str, "platform:user_id")."""

    key = "admin_last"


class ProductRetired(UnknownProduct):
    """A retired product named for a new round (or a draft opening with one): refused until
    it is restored. An UnknownProduct to everyone who already handles one (the chat, the
    command line, the sweep that opens due drafts and leaves such a draft as it is).
    Params: product_code (str), name (str)."""

    key = "product_retired"


class DeliveryDayTooFar(PurchasingError):
    """A delivery day more than `purchasing.supply.MAX_DELIVERY_DAYS` after today.
    Params: day (date), today (date), latest (date), max_days (int)."""

    key = "delivery_day_too_far"


class DayWithProducts(PurchasingError):
    """The delivery day and the products shipped short typed on one line.
    Params: text (str, the line), day (str, the day as typed), lines (list of str, one
    `KODE JUMLAH` each)."""

    key = "day_with_products"


class OrderAlreadyConfirmed(PurchasingError):
    """Params: supplier (str), round_name (str), delivery_on (date)."""

    key = "order_already_confirmed"


class NotInPurchaseOrder(PurchasingError):
    """Params: product_code (str), supplier (str)."""

    key = "not_in_purchase_order"


class ShortageTooLarge(PurchasingError):
    """Shipping more than was ordered. Params: product_code (str), shipped, ordered (int)."""

    key = "shipped_over_order"


class NoPurchaseOrder(PurchasingError):
    """Nothing to confirm: no closed round ordered from this supplier.

    Params: supplier (str), round_name (str, "" before any round closed)."""

    key = "no_purchase_order"


class NothingToReceive(PurchasingError):
    """A coop's receipt (or photo of damaged goods) when no closed round bought it anything.

    Params: coop_code (str), round_name (str, "" before any round closed)."""

    key = "nothing_to_receive"


class ReceiptAlreadyConfirmed(PurchasingError):
    """Params: coop_code (str), round_name (str)."""

    key = "receipt_already_confirmed"


class NotOnBill(PurchasingError):
    """Params: product_code (str), coop_code (str)."""

    key = "not_on_bill"


class DeliveryNotConfirmed(PurchasingError):
    """A receipt before every supplier of the coop's goods said when it delivers.

    Params: coop_code (str), round_name (str), suppliers (str, their names)."""

    key = "delivery_not_confirmed"


class NothingShortReceived(PurchasingError):
    """A photo of damaged goods before the coop's receipt said what came short.

    Params: coop_code (str), round_name (str)."""

    key = "nothing_short_received"


class RoundNameMissing(PurchasingError):
    """A round planned without a name (or only spaces). No params."""

    key = "round_name_missing"


class CountLineInvalid(PurchasingError):
    """A line of `/konfirmasi` (what ships) or `/terima` (what arrived) that is not
    `KODE JUMLAH` with a whole number from 0 to MAX_QUANTITY. Params: raw (str, the line,
    shortened), counted ("shipped" or "received"), maximum (int, MAX_QUANTITY)."""

    key = "count_line_invalid"


class CountLineDuplicate(PurchasingError):
    """A product on two lines of `/konfirmasi` or `/terima` (both read, neither kept).
    Params: product_code (str), first, again (str: the two lines as written, shortened),
    counted ("shipped" or "received")."""

    key = "count_line_duplicate"


class ReceivedOverShipped(PurchasingError):
    """Receiving more than was shipped to the coop. Params: product_code (str), received,
    shipped (int)."""

    key = "received_over_shipped"


class NoBillToPay(PurchasingError):
    """A proof of payment from a coop that owes nothing, or `/bayar` from one. Params:
    coop_code (str), proof (bool: a proof of transfer was sent, and is not kept)."""

    key = "no_bill_to_pay"


class ProofHandled(PurchasingError):
    """A proof verified or rejected already (a second press). Params: proof_id (int),
    status (str)."""

    key = "proof_handled"


class AmountOverBalance(PurchasingError):
    """A verified transfer larger than what the bill still owes (a typing slip, or money to
    refund). Params: amount (int), balance (int), number (str)."""

    key = "amount_over_balance"


class BillAlreadyPaid(PurchasingError):
    """A proof verified against a bill with nothing left to pay (paid since, by a statement
    or another proof): nothing is recorded. Params: proof_id (int), number (str),
    supplier_code (str: "" where the office is paid)."""

    key = "bill_already_paid"


class SupplierNotNamed(PurchasingError):
    """A proof verified without naming the supplier the money went to, from a coop that
    still owes several suppliers directly (its proof was sent for none of them). Params:
    proof_id (int), bills (list of {number, supplier_code, supplier, balance}: its bills
    still owing in the proof's round), amount (int, or None: all that is owed)."""

    key = "supplier_not_named"


class AmountInvalid(PurchasingError):
    """Not an amount of money (whole Rupiah above zero), or one above the most we take.
    Params: raw (str, shortened), too_large (bool: a whole amount above `maximum`),
    maximum (int)."""

    key = "amount_invalid"


class ProductNotMatched(PurchasingError):
    """An order line names no product of the round that we can tell apart ("maksudnya …?").

    Params: raw (str, the words typed, shortened), suggestions (list of dicts with code and
    name, up to three, possibly empty)."""

    key = "order_line_no_match"


class CountNotForUnit(PurchasingError):
    """ "lusin"/"kodi" for a product not sold by the piece (2 lusin of a karton).

    Params: product_code, name, unit, unit_given (str), per (int, pieces in one unit_given)."""

    key = "order_count_word"
