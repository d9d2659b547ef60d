"""Bills (SKRD/SKPD) for assessed levies, their payment through the city's bank (SNAP-style
virtual accounts and dynamic QRIS), and the treasurer's daily reconciliation. Money is an
integer number of rupiah everywhere; see docs/payments.md."""
