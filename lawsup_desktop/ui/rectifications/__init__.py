"""整改台账: the rectification ledger page, its item panel and its dialogs."""
