"""Indonesian words of the export spreadsheets: sheet names, column headers, status names.

The one place outside messages/templates/ where user-visible words live: spreadsheet
headers are data labels read by Dinas staff in Excel (whose own sheets are Indonesian),
not chat sentences, so they are kept here as constants.
"""

from __future__ import annotations

from typing import Final

WIB_FORMAT: Final = "%Y-%m-%d %H:%M WIB"

SHEET_OVERVIEW: Final = "Ringkasan"
SHEET_PURCHASE_ORDERS: Final = "Pesanan Pembelian"
SHEET_BILLS: Final = "Tagihan"
SHEET_AUDIT: Final = "Log Perubahan"
SHEET_PAYMENTS: Final = "Pembayaran"
SHEET_AFTER_CLOSE: Final = "Setelah Ditutup"

ITEM: Final = "Keterangan"
VALUE: Final = "Nilai"
ROUND: Final = "Putaran"
ROUND_ID: Final = "Nomor putaran"
OPENS_AT: Final = "Dibuka"
CLOSES_AT: Final = "Ditutup"
STATUS: Final = "Status"
DELIVERY_NOTE: Final = "Catatan pengiriman"
COOPS_INVITED: Final = "Koperasi diundang"
COOPS_ORDERED: Final = "Koperasi memesan"
ORDER_VALUE: Final = "Nilai pesanan"
MARKET_VALUE: Final = "Nilai menurut harga pasar"
SAVINGS: Final = "Penghematan"
PRODUCTS_UNFILLED: Final = "Produk tidak dipesan (di bawah MOQ)"
PRODUCTS_CUT: Final = "Produk dipotong (batas pasokan)"

PRODUCT_CODE: Final = "Kode Produk"
PRODUCT: Final = "Produk"
SUPPLIER_CODE: Final = "Kode Pemasok"
SUPPLIER: Final = "Pemasok"
COOP_CODE: Final = "Kode Koperasi"
COOP: Final = "Koperasi"
ADDRESS: Final = "Alamat Pengiriman"
CONTACT: Final = "Kontak"
UNIT: Final = "Satuan"
TOTAL_ASKED: Final = "Total Dipesan"
TOTAL_ALLOCATED: Final = "Total Dialokasikan"
PRICE_REACHED: Final = "Harga Tercapai"
UNIT_PRICE: Final = "Harga Satuan"
MARKET_PRICE: Final = "Harga Pasar"
MOQ: Final = "MOQ"
SHORT_OF_MOQ: Final = "Kurang dari MOQ"
SUPPLY_CAP: Final = "Batas Pasokan"
QUANTITY: Final = "Jumlah"
ASKED: Final = "Dipesan"
ALLOCATED: Final = "Dialokasikan"
AMOUNT: Final = "Nilai"
SUBTOTAL: Final = "Subtotal"
SAVING: Final = "Penghematan"
TOTAL_PRODUCT: Final = "Total produk"
TOTAL_SUPPLIER: Final = "Total pemasok"
TOTAL_BILL: Final = "Total tagihan"

TIME_WIB: Final = "Waktu (WIB)"
OLD_QUANTITY: Final = "Jumlah Lama"
NEW_QUANTITY: Final = "Jumlah Baru"
ACTOR: Final = "Oleh"
VIA: Final = "Lewat"
MESSAGE_ID: Final = "ID Pesan"

ROUND_STATUS: Final = {
    "draft": "Draf",
    "open": "Dibuka",
    "closed": "Ditutup",
    "cancelled": "Dibatalkan",
}
BILL_NUMBER: Final = "Nomor Tagihan"
PAID: Final = "Dibayar"
BALANCE: Final = "Sisa"
TOTAL_ALL: Final = "Jumlah"
PAID_IN_FULL: Final = "Lunas"
NOT_PAID: Final = "Belum lunas"
OVERPAID: Final = "Lebih bayar"
LINE_STATUS: Final = {
    "filled": "Terpenuhi",
    "cut": "Dipotong (batas pasokan)",
    "unfilled": "Tidak dipesan (di bawah MOQ)",
}

# The Setelah Ditutup sheet: how far a closed round has come, then each step since the close.
# The stage words are those of the round menu (messages/templates/id/admin_round_detail.j2).
STAGE: Final = "Tahap"
OUT_OF: Final = "Dari"
SUPPLIERS_CONFIRMED: Final = "Pemasok konfirmasi"
COOPS_RECEIVED: Final = "Koperasi terima barang"
BILLS_PAID: Final = "Tagihan lunas"
AFTER_CLOSE_STAGE: Final = {
    "closed": "surat pesanan terkirim",
    "ordered": "dipesan (semua pemasok konfirmasi)",
    "delivered": "diterima (semua koperasi konfirmasi)",
    "settled": "lunas",
}
STEP: Final = "Langkah"
PARTY_CODE: Final = "Kode Pihak"
DETAIL: Final = "Rincian"
STEP_KIND: Final = {
    "supplier_confirmed": "Konfirmasi pemasok",
    "coop_received": "Penerimaan barang",
    "bill_changed": "Perubahan tagihan",
    "receipt_photo": "Foto barang",
    "proof_sent": "Bukti transfer",
    "proof_handled": "Pemeriksaan bukti",
    "payment": "Pembayaran",
}
DELIVERS_ON: Final = "kirim {day}"
LINES_SHORT: Final = "{count} baris kurang"
ALL_COMPLETE: Final = "lengkap"
BILL_CHANGE: Final = "{product} {old} → {new} ({reason})"
CHANGE_REASON: Final = {"shortage": "pemasok kurang kirim", "receipt": "tidak diterima"}
PHOTO: Final = "foto barang"
PROOF: Final = "bukti {id} untuk {number}: {status}"
PROOF_STATUS: Final = {"pending": "menunggu", "verified": "diverifikasi", "rejected": "ditolak"}
PAYMENT: Final = "{number}, {source} {paid_on}"
PAYMENT_SOURCE: Final = {"statement": "mutasi rekening", "proof": "bukti transfer"}
NOTE: Final = "{detail}: {note}"

# The print-ready sheets of one party (spreadsheets.party_sheets), after the sheets above.
# Sheet names are made valid and unique when written (spreadsheets.print_setup).
SHEET_ONE_PURCHASE_ORDER: Final = "SP {code}"
SHEET_ONE_BILL: Final = "TG {code}"
SHEET_ONE_SUPPLIER_BILL: Final = "TG {code}-{supplier}"
TITLE_PURCHASE_ORDER: Final = "SURAT PESANAN"
TITLE_BILL: Final = "TAGIHAN"
NUMBER: Final = "Nomor"
ISSUED_ON: Final = "Tanggal"
DUE_ON: Final = "Jatuh tempo"
FROM: Final = "Dari"
TO: Final = "Kepada"
PARTY: Final = "{name} ({code})"
DELIVERIES: Final = "Pengiriman per koperasi"
TOTAL_ORDER: Final = "Total pesanan"
SAVING_AGAINST_MARKET: Final = "Hemat dibanding harga pasar"
HOW_TO_PAY: Final = "Cara membayar"
ASK_THE_OFFICE: Final = "Tanyakan ke Dinas."
PAID_TO: Final = "Dibayar kepada"
PAY_SUPPLIER: Final = "Transfer langsung ke {name}"
SUPPLIER_ACCOUNT: Final = ", rekening {account}"
ASK_THE_SUPPLIER: Final = "; tanyakan nomor rekeningnya ke {contact}"
TRANSFER_REFERENCE: Final = "Berita transfer"
PAYMENT_TERMS: Final = "Syarat pembayaran"
SIGN_HERE: Final = "( ......................................... )"
# The printed page's footer: Excel fills in &[Page] and &[Pages].
PAGE_OF: Final = "Halaman &[Page] dari &[Pages]"
