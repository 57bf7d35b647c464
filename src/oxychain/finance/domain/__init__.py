"""Finance's rules, pure: payment terms, bills and their deductions, payments, the
securities register, the ledger, and the documents other systems read (Tally vouchers,
OCDS transactions)."""
