"""The partnership board: needs and offers, matched."""
