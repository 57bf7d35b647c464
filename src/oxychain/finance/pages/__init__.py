"""Finance's pages: bills, payments and payment terms (``bills``); the ledger, the
securities register and the exports (``accounts``)."""
